"""cnnlib.views.explore: a frame redrawn in place shows what a fresh drawing of that step
shows, pixel for pixel, and keeps no trace of the steps before it."""
import io

import numpy as np
import pytest
from PIL import Image

import cnnlib as cl
from cnnlib.views import backward, conv, digit, explore, im2col, indicator, pooling, vec

RNG = np.random.default_rng(0)
X, F = RNG.standard_normal((5, 7, 3)), RNG.standard_normal((2, 3, 3, 4))
POOL_X = RNG.permutation(48).reshape(6, 8).astype(float)
A = np.arange(1, 13).reshape(3, 4)
X2 = np.arange(1, 17).reshape(4, 4)


def steps(net=None, digits=None):
    """name: (draw, [steps]) with the steps an explorer would draw one after another."""
    return {
        "vec": (vec.draw_vec, [vec.vec_step(A, p, "F") for p in (0, 4, 11)]),
        "conv": (conv.draw_conv,
                 [conv.conv_step(X2, np.ones((2, 2)), 2, 1, p) for p in (0, 4, 8)]),
        "im2col": (im2col.draw_im2col, [im2col.im2col_step(A, 2, p) for p in (0, 3, 5)]),
        "backward": (backward.draw_backward,
                     [backward.backward_step(X, F, *o)
                      for o in ((1, 2, 0), (0, 4, 3), (3, 0, 1))]),
        "indicator": (indicator.draw_indicator,
                      [indicator.indicator_step((5, 7, 3), (2, 3), *o)
                       for o in ((2, 3, 1, 100), (0, 0, 0, 7), (4, 6, 2, 359))]),
        "pooling": (pooling.draw_pooling,
                    [pooling.pooling_step(POOL_X, 2, 1, "max", k) for k in (0, 17, 34)]),
        "digit": (digit.draw_digit,
                  [digit.digit_step(net, digits[0][:, :, 0, k], int(digits[1][k]))
                   for k in (0, 5, 7)]),
    }


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def artists(fig):
    return sum(len(ax.get_children()) for ax in fig.axes) + len(fig.texts)


@pytest.mark.parametrize("name", ["vec", "conv", "im2col", "backward", "indicator", "pooling",
                                  "digit"])
def test_a_frame_redrawn_in_place_keeps_no_trace_of_the_steps_before(name, net, digits):
    draw, (first, second, third) = steps(net, digits)[name]
    direct = explore.Frame()                  # laid out for the first step, as an explorer is
    direct.draw("layout", draw, first)
    first_png = direct.png()
    direct.draw("layout", draw, third)
    expected = pixels(direct.png())
    moved = explore.Frame()
    moved.draw("layout", draw, first)
    moved.png()
    moved.draw("layout", draw, second)
    moved.png()
    moved.draw("layout", draw, third)
    assert np.array_equal(pixels(moved.png()), expected)
    assert not np.array_equal(pixels(first_png), expected)         # the steps differ
    assert artists(moved.fig) == artists(direct.fig)              # nothing piles up


@pytest.mark.parametrize("name", ["vec", "conv", "im2col", "backward", "digit"])
def test_a_frame_redrawn_in_place_is_the_fresh_drawing_of_its_step(name, net, digits):
    """Figures whose layout does not depend on the step redraw to the very pixels of a fresh
    drawing: backward's colour bars included (its scale is the explorer's, not the step's;
    a scale per step left the bars of the first step standing).  Indicator and pooling are
    laid out by tight_layout around the step's text, a pixel either way."""
    draw, (first, _, third) = steps(net, digits)[name]
    fresh = explore.Frame()
    fresh.draw("layout", draw, third)
    moved = explore.Frame()
    moved.draw("layout", draw, first)
    moved.png()
    moved.draw("layout", draw, third)
    assert moved.fig is not fresh.fig
    assert np.array_equal(pixels(moved.png()), pixels(fresh.png()))


def test_a_new_layout_draws_a_new_figure():
    frame = explore.Frame()
    one = frame.draw((1, 0), conv.draw_conv, conv.conv_step(X2, np.ones((2, 2)), 1, 0, 0))
    same = frame.draw((1, 0), conv.draw_conv, conv.conv_step(X2, np.ones((2, 2)), 1, 0, 3))
    other = frame.draw((2, 1), conv.draw_conv, conv.conv_step(X2, np.ones((2, 2)), 2, 1, 0))
    assert one is same and other is not one


def test_frame_png_is_the_drawn_figure_cropped_like_the_inline_backend():
    step = conv.conv_step(X2, np.ones((2, 2)), 2, 1, 4)
    frame = explore.Frame()
    frame.draw(None, conv.draw_conv, step)
    png = pixels(frame.png())
    fig = cl.draw_conv(step)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", dpi=fig.dpi)
    inline = pixels(buffer.getvalue())
    assert abs(png.shape[0] - inline.shape[0]) <= 0.45 * fig.dpi      # the pad, 0.2 in a side
    assert abs(png.shape[1] - inline.shape[1]) <= 0.45 * fig.dpi
