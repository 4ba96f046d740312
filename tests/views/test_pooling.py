"""cnnlib.views.pooling: pooling_step against Eq. (47) as loops, its figure, its explorer."""
import numpy as np
import pytest

import cnnlib as cl

from .helpers import explorer_follows_its_slider


def maxpool_by_loops(x, size, stride):
    h_out = (x.shape[0] - size) // stride + 1
    w_out = (x.shape[1] - size) // stride + 1
    y = np.empty((h_out, w_out))
    for i_ in range(h_out):
        for j_ in range(w_out):
            y[i_, j_] = max(x[i_ * stride + i, j_ * stride + j]
                            for i in range(size) for j in range(size))
    return y


@pytest.mark.parametrize("size,stride", [(2, 2), (3, 2), (2, 3)])
def test_pooling_step_text_shapes_and_gradient_mass(size, stride):
    x = np.random.default_rng(2).permutation(48).reshape(6, 8).astype(float)
    y = maxpool_by_loops(x, size, stride)
    text = cl.pooling_step(x, size, stride, "max", 0)["text"]
    assert "output k=0 is y[0,0]" in text
    # k shown even when it wraps
    assert cl.pooling_step(x, size, stride, "max", y.size)["text"] != text
    assert f"y is {y.shape[0]}×{y.shape[1]}" in text
    r, c = np.argwhere(x == y[0, 0])[0]
    assert f"its max x[{r},{c}]" in text
    avg = cl.pooling_step(x, size, stride, "avg", 0)["text"]
    assert f"1/{size * size} each" in avg


def test_draw_pooling_returns_three_panels_and_marks_overlap():
    x = np.arange(48.0).reshape(6, 8)
    fig = cl.draw_pooling(cl.pooling_step(x, 3, 2, "max", 1))
    assert len(fig.axes) == 3 and "overlap" in fig._suptitle.get_text()
    fig = cl.draw_pooling(cl.pooling_step(x, 2, 3, "avg", 1))
    assert "no window" in fig._suptitle.get_text()


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_draw_pooling_draws_y_on_the_colour_scale_of_x(mode):
    # a value has one colour in x and in y (45 was dark in x and mid-blue in y)
    x = np.random.default_rng(0).permutation(48).reshape(6, 8).astype(float)
    fig = cl.draw_pooling(cl.pooling_step(x, 3, 2, mode, 1))
    image_x, image_y = fig.axes[0].get_images()[0], fig.axes[1].get_images()[0]
    assert image_x.get_clim() == image_y.get_clim() == (0.0, 47.0)
    cl.draw_pooling(cl.pooling_step(x, 3, 2, mode, 2), fig=fig)      # an explorer's redraw
    assert fig.axes[1].get_images()[0].get_clim() == (0.0, 47.0)


@pytest.mark.parametrize("slider, value", [("stride", 1), ("output k", 5)])
def test_pooling_explorer_follows_its_sliders(slider, value, capsys):
    explorer_follows_its_slider(cl.pooling_explorer, slider, value, capsys)


def pad_share(size, stride, pad):
    """How much of the dz/dy = 1 mass of average pooling falls on the zero padding."""
    (kh, kw), (sh, sw), (ph, pw) = size, stride, pad
    h_out, w_out = (6 + 2 * ph - kh) // sh + 1, (8 + 2 * pw - kw) // sw + 1
    share = 0.0
    for i_, j_ in np.ndindex(h_out, w_out):
        for i, j in np.ndindex(kh, kw):
            il, jl = sh * i_ + i - ph, sw * j_ + j - pw
            share += not (0 <= il < 6 and 0 <= jl < 8)
    return share / (kh * kw)


@pytest.mark.parametrize("size, stride, pad", [((2, 3), (1, 2), (0, 1)), ((3, 2), (2, 1), (1, 0))])
def test_pooling_step_non_square_stride_and_padding(size, stride, pad):
    x = np.random.default_rng(4).permutation(48).reshape(6, 8).astype(float)
    (kh, kw), (sh, sw), (ph, pw) = size, stride, pad
    xp = np.full((6 + 2 * ph, 8 + 2 * pw), -np.inf)
    xp[ph:ph + 6, pw:pw + 8] = x
    h_out, w_out = (6 + 2 * ph - kh) // sh + 1, (8 + 2 * pw - kw) // sw + 1
    y = np.array([[xp[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw].max() for j_ in range(w_out)]
                  for i_ in range(h_out)])                              # Eq. (47), padded
    for k in (0, 3, y.size - 1):
        step = cl.pooling_step(x, size, stride, "max", k, pad)
        i_out, j_out = k % h_out, k // h_out
        assert np.array_equal(step["y"], y) and step["out"] == (i_out, j_out)
        assert step["window"] == (sh * i_out - ph, sw * j_out - pw)
        r, c = np.argwhere(x == y[i_out, j_out])[0]
        assert f"its max x[{r},{c}]" in step["text"]
        assert step["dzdx"].sum() == y.size                           # every dz/dy = 1 lands
    avg = cl.pooling_step(x, size, stride, "avg", 0, pad)
    assert f"1/{kh * kw} each" in avg["text"]
    assert np.isclose(avg["dzdx"].sum(), avg["y"].size - pad_share(size, stride, pad))
    assert len(cl.draw_pooling(avg).axes) == 3


@pytest.mark.parametrize("mode", ["Max", "average", None])
def test_pooling_step_mode_is_max_or_avg(mode):
    # anything but "max" was average pooling, silently
    with pytest.raises(ValueError, match="mode must be 'max' or 'avg'"):
        cl.pooling_step(np.ones((4, 4)), 2, 2, mode)


@pytest.mark.parametrize("shape", [(4, 4, 1), (4, 4, 2), (16,)])
def test_pooling_step_x_is_2d(shape):
    # (4, 4, 1) and (4, 4, 2) failed with "too many values to unpack"
    with pytest.raises(ValueError, match=r"x must be 2-D, got shape"):
        cl.pooling_step(np.ones(shape), 2, 2)


@pytest.mark.parametrize("k, error", [(2.7, TypeError), (-1, ValueError)])
def test_pooling_step_k_is_an_int_from_0(k, error):
    # 2.7 was floored to 2
    with pytest.raises(error, match="k must be"):
        cl.pooling_step(np.ones((4, 4)), 2, 2, "max", k)


def test_pooling_step_numpy_hyper_parameters_are_ints():
    x = np.random.default_rng(5).permutation(48).reshape(6, 8).astype(float)
    step = cl.pooling_step(x, np.int64(3), np.array([2, 1]), "max", np.int64(20), np.int64(1))
    assert step["text"] == cl.pooling_step(x, 3, (2, 1), "max", 20, 1)["text"]
    assert step["k"] == 20 and type(step["k"]) is int
