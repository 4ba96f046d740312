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
    assert len(ax.lines) == 2
    assert np.array_equal(ax.lines[1].get_ydata(), eps**2)
