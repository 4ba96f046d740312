"""cnnlib.views.backward: where one output gradient goes (Eq. 33, 44), the Kronecker figure."""
import numpy as np
import pytest

import cnnlib as cl

from .helpers import cell_texts, explorer_follows_its_slider, smallest_font_px

X_SHAPE, KERNEL = (5, 7, 3), (2, 3)


def test_backward_step_text_counts_window_and_filter():
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    step = cl.backward_step(x, f, 1, 2, 3)
    text = step["text"]
    assert "rows 1..2, cols 2..4" in text and "filter 3" in text
    assert text.count("18 entries") == 2                       # kh*kw*Dl each
    # the dz/dx share is f[:, :, :, d] at the window: its sum is f[..., 3].sum()
    assert f"sum {f[..., 3].sum():.3f}" in text
    # the dz/dF share is the window of x
    assert f"sum {x[1:3, 2:5].sum():.3f}" in text
    fig = cl.draw_backward(step)
    assert len(fig.axes) == 4 + 3 + 3                          # D, Dl and Dl panels


def test_kron_figure_three_panels():
    A, B = np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2)
    assert len(cl.kron_figure(A, B).axes) == 3


def test_kron_figure_is_legible_700_pixels_wide():
    """Issue 20: its numbers were 7 px (8 pt on an 11 in figure) on a page 700 px wide."""
    A, B = np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2)
    assert smallest_font_px(cl.kron_figure(A, B)) >= 9


@pytest.mark.parametrize("slider, value", [("j'", 0), ("d", 2)])
def test_backward_explorer_follows_its_sliders(slider, value, capsys):
    explorer_follows_its_slider(cl.backward_explorer, slider, value, capsys)


@pytest.mark.parametrize("stride, pad", [((1, 2), (0, 1)), ((2, 1), (1, 0))])
def test_backward_step_non_square_stride_and_padding(stride, pad):
    rng = np.random.default_rng(3)
    x, f = rng.standard_normal((6, 7, 2)), rng.standard_normal((2, 3, 2, 3))
    i_out, j_out, d_out = 1, 2, 2
    step = cl.backward_step(x, f, i_out, j_out, d_out, stride, pad)
    (sh, sw), (ph, pw) = stride, pad
    # the one gradient reaches f[:, :, :, d] placed at its window (Eq. 44), cut by the padding
    want = np.zeros((6 + 2 * ph, 7 + 2 * pw, 2))
    want[sh * i_out:sh * i_out + 2, sw * j_out:sw * j_out + 3] = f[:, :, :, d_out]
    assert np.allclose(step["dzdx"], want[ph:ph + 6, pw:pw + 7])
    assert step["window"] == (sh * i_out - ph, sw * j_out - pw, 2, 3)
    r0, c0 = sh * i_out - ph, sw * j_out - pw
    assert f"rows {max(r0, 0)}..{r0 + 1}, cols {max(c0, 0)}..{c0 + 2}" in step["text"]
    fig = cl.draw_backward(step)
    assert len(fig.axes) == 3 + 2 + 2 and "stride" in fig._suptitle.get_text()


def test_draw_backward_labels_indices_and_names_the_one_filter_it_shows():
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    fig = cl.draw_backward(cl.backward_step(x, f, 1, 2, 2))
    title = fig._suptitle.get_text()
    assert "filter 2, the only one it reaches" in title and "d = 0, 1, 3" in title
    dzdx_panel = next(ax for ax in fig.axes if ax.get_title() == "dz/dx[:, :, 0]")
    assert list(dzdx_panel.get_xticks()) == list(range(X_SHAPE[1]))
    assert list(dzdx_panel.get_yticks()) == list(range(X_SHAPE[0]))


@pytest.mark.parametrize("out, error, match", [
    ((-1, 0, 0), ValueError, "i_out must be >= 0"),     # was e[-1] with the window of row -1
    ((4, 0, 0), ValueError, r"outside y, of shape \(4, 5, 4\)"),
    ((0, 0, 4), ValueError, r"outside y, of shape \(4, 5, 4\)"),
    ((1.0, 0, 0), TypeError, "i_out must be an int")])
def test_backward_step_output_entry_is_an_int_inside_y(out, error, match):
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    with pytest.raises(error, match=match):
        cl.backward_step(x, f, *out)


def test_backward_step_2d_x_is_one_channel_and_f_must_be_4d():
    rng = np.random.default_rng(2)
    x, f = rng.standard_normal((5, 7)), rng.standard_normal((2, 3, 1, 2))
    step = cl.backward_step(x, f, np.int64(1), 2, 1, np.int64(1), np.array([0, 1]))
    assert step["text"] == cl.backward_step(x[:, :, None], f, 1, 2, 1, 1, (0, 1))["text"]
    assert step["dzdx"].shape == (5, 7, 1)
    assert len(cl.draw_backward(step).axes) == 2 + 1 + 1      # it draws (it failed on 2-D x)
    with pytest.raises(ValueError, match=r"f \(kh, kw, Dl, D\).*\(2, 3, 1\)"):
        cl.backward_step(x, f[..., 0], 0, 0, 0)


def colour_bars(fig):
    """{label: colour bar axes} of the bars drawn beside the panels of ``fig``."""
    return {cax.get_ylabel(): cax for ax in fig.axes for cax in ax.child_axes}


def test_draw_backward_writes_the_dzdx_window_and_has_colour_bars():
    """Issue 20: the dz/dx panels had no numbers and no colour bar; the title called the
    1x1 box of the top row "the 2x3 window"."""
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    step = cl.backward_step(x, f, 1, 2, 3)
    fig = cl.draw_backward(step)
    for dl in range(3):
        panel = next(ax for ax in fig.axes if ax.get_title() == f"dz/dx[:, :, {dl}]")
        written = cell_texts(panel)
        assert set(written) == {(i, j) for i in (1, 2) for j in (2, 3, 4)}     # the window
        assert all(float(written[i, j]) == round(f[i - 1, j - 2, dl, 3], 1)
                   for i, j in written)                         # f[:, :, dl, d] placed there
    bars = colour_bars(fig)
    assert set(bars) == {"dz/dx", "dz/df"}
    lim = np.abs(step["dzdx"]).max()
    assert np.allclose(bars["dz/dx"].get_ylim(), (-lim, lim))
    title = fig._suptitle.get_text().splitlines()
    assert "2×3 window" not in title[0] and "2×3 window" in title[1] and "dz/dx" in title[1]


def test_draw_backward_redrawn_in_place_moves_numbers_and_keeps_the_explorers_scale():
    """The colour bars span max |f| (dz/dx) and max |x| (dz/dF) at every entry: colours
    compare between steps, and a frame's bars are never those of another step."""
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    fig = cl.draw_backward(cl.backward_step(x, f, 1, 2, 3))
    step = cl.backward_step(x, f, 3, 0, 0)
    assert cl.draw_backward(step, fig=fig) is fig and len(fig.axes) == 10
    panel = next(ax for ax in fig.axes if ax.get_title() == "dz/dx[:, :, 0]")
    assert set(cell_texts(panel)) == {(i, j) for i in (3, 4) for j in (0, 1, 2)}
    bars = colour_bars(fig)
    for name, whole, part in (("dz/dx", f, step["dzdx"]), ("dz/df", x, step["dzdf"])):
        lim = np.abs(whole).max()
        assert np.allclose(bars[name].get_ylim(), (-lim, lim)) and np.abs(part).max() <= lim


def test_draw_backward_is_legible_700_pixels_wide():
    """Issue 20: its tick labels were about 6 px tall on a page 700 px wide."""
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    assert smallest_font_px(cl.draw_backward(cl.backward_step(x, f, 1, 2, 3))) >= 9
