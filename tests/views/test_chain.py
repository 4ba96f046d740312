"""cnnlib.views.chain: the figures of chapters 02-03 hold the data they were given."""
import numpy as np
import pytest

import cnnlib as cl


def test_draw_chain_shapes_and_errors():
    fig = cl.draw_chain(["conv", "ReLU"], [(6, 6, 1), (4, 4, 2), ()], ["f", None])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "(6, 6, 1)" in texts and "(4, 4, 2)" in texts and "conv" in texts
    with pytest.raises(ValueError, match="2 layers need 3 shapes"):
        cl.draw_chain(["conv", "ReLU"], [(6, 6, 1), (4, 4, 2)])


def test_draw_loss_curve_plots_the_losses():
    losses = [4.0, 2.0, 1.0, 0.5]
    ax = cl.draw_loss_curve(losses).axes[0]
    assert np.array_equal(ax.lines[0].get_ydata(), losses)
    assert ax.get_yscale() == "log"


def test_draw_difference_errors_two_curves():
    eps = np.logspace(-8, -2, 4)
    ax = cl.draw_difference_errors(eps, eps, eps**2).axes[0]
    assert len(ax.lines) == 4                       # two curves, two reference slopes
    assert np.array_equal(ax.lines[1].get_ydata(), eps**2)


def slope(line):
    x, y = np.log10(line.get_xdata()), np.log10(line.get_ydata())
    return (y[-1] - y[0]) / (x[-1] - x[0])


def test_draw_difference_errors_reference_slopes_and_the_step_used():
    """Issue 20: slopes 1 and 2 drawn beside the curves, over their truncation side, and
    the step the chapter uses marked."""
    eps = np.logspace(-12, -1, 12)
    forward = eps + 1e-16 / eps                     # truncation ε, rounding ε_mach/ε
    central = eps**2 + 1e-16 / eps
    ax = cl.draw_difference_errors(eps, forward, central, used=1e-6).axes[0]
    ref_1, ref_2 = ax.lines[2:4]
    assert round(slope(ref_1), 6) == 1 and round(slope(ref_2), 6) == 2
    assert ref_1.get_xdata().min() == eps[np.argmin(forward)]       # from the minimum on
    assert ref_2.get_xdata().min() == eps[np.argmin(central)]
    assert np.isclose(ref_2.get_ydata()[-1], central[-1] / 10)      # a decade below
    marks = [ln for ln in ax.lines if list(ln.get_xdata()) == [1e-6, 1e-6]]
    assert len(marks) == 1
    labels = ax.get_legend_handles_labels()[1]
    assert "slope 2: ∝ ε²" in labels and any("1e-06" in t for t in labels)


def test_draw_difference_errors_names_mismatched_lengths():
    with pytest.raises(ValueError, match=r"central_error.*\(4,\), \(4,\), \(3,\)"):
        cl.draw_difference_errors(np.ones(4), np.ones(4), np.ones(3))
