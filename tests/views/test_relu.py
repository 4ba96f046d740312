"""cnnlib.views.relu: ReLU and its derivative."""
import numpy as np

import cnnlib as cl


def test_relu_figure_two_panels():
    assert len(cl.relu_figure().axes) == 2


def test_relu_figure_marks_the_central_difference_at_0():
    # the chapter stresses that a central difference reports 1/2 at the kink: it is drawn
    # as a chord of slope 1/2 over the kink and as a point (0, 1/2) on the derivative
    relu_ax, slope_ax = cl.relu_figure(eps=0.5).axes
    chords = [line for line in relu_ax.get_lines() if "central" in line.get_label()]
    assert len(chords) == 1
    xs, ys = chords[0].get_xdata(), chords[0].get_ydata()
    assert np.allclose(xs, [-0.5, 0.5]) and np.isclose((ys[1] - ys[0]) / (xs[1] - xs[0]), 0.5)
    points = {(float(line.get_xdata()[0]), float(line.get_ydata()[0]))
              for line in slope_ax.get_lines() if len(line.get_xdata()) == 1}
    assert points == {(0.0, 0.0), (0.0, 1.0), (0.0, 0.5)}
    assert any("central" in t.get_text() and "½" in t.get_text() for t in slope_ax.texts)
