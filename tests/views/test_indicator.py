"""cnnlib.views.indicator: H read both ways against the index maps (Eq. 16-19, 34)."""
import matplotlib
import numpy as np
import pytest

import cnnlib as cl
from cnnlib.views.draw import PADDING

from .helpers import cell_texts, explorer_follows_its_slider

X_SHAPE, KERNEL = (5, 7, 3), (2, 3)


def feeds_by_loops(x_shape, kernel, il, jl, dl):
    """All (p, q) with phi[p, q] = x[il, jl, dl], from Eq. (16)-(19) with loops."""
    kh, kw = kernel
    h_out, w_out = x_shape[0] - kh + 1, x_shape[1] - kw + 1
    out = []
    for j_ in range(w_out):
        for i_ in range(h_out):
            for d in range(x_shape[2]):
                for j in range(kw):
                    for i in range(kh):
                        if (i_ + i, j_ + j, d) == (il, jl, dl):
                            out.append((i_ + h_out * j_, i + kh * j + kh * kw * d))
    return sorted(out)


def test_indicator_step_text_lists_every_pq_from_the_index_maps():
    text = cl.indicator_step(X_SHAPE, KERNEL, 0, 0, 0)["text"]
    assert "x[0,0,0]" in text and "feeds 1 entries" in text and "(0,0)" in text
    text = cl.indicator_step(X_SHAPE, KERNEL, 1, 1, 2)["text"]
    want = feeds_by_loops(X_SHAPE, KERNEL, 1, 1, 2)
    assert f"feeds {len(want)} entries" in text
    for p, q in want[:6]:
        assert f"({p},{q})" in text


def test_indicator_row_mode_finds_the_pixel_of_the_row():
    # row r = p + P q of H; phi[p, q] copies x at (i' + i, j' + j, d)
    h_out = X_SHAPE[0] - KERNEL[0] + 1
    P = h_out * (X_SHAPE[1] - KERNEL[1] + 1)
    r = 100
    p, q = r % P, r // P
    i_, j_ = p % h_out, p // h_out
    i, j, d = q % KERNEL[0], (q // KERNEL[0]) % KERNEL[1], q // (KERNEL[0] * KERNEL[1])
    text = cl.indicator_step(X_SHAPE, KERNEL, row=r)["text"]
    assert f"row r={r} of H is phi[{p},{q}], a copy of x[{i_ + i},{j_ + j},{d}]" in text


def test_draw_indicator_changes_with_the_pixel():
    fig_a = cl.draw_indicator(cl.indicator_step(X_SHAPE, KERNEL, 0, 0, 0, row=0))
    fig_b = cl.draw_indicator(cl.indicator_step(X_SHAPE, KERNEL, 2, 3, 1, row=0))
    fig_c = cl.draw_indicator(cl.indicator_step(X_SHAPE, KERNEL, 2, 3, 1, row=100))
    assert isinstance(fig_a, matplotlib.figure.Figure) and len(fig_a.axes) == 3
    assert fig_a._suptitle.get_text() != fig_b._suptitle.get_text()
    assert "6 entries" in fig_b._suptitle.get_text()          # interior pixel: kh*kw windows
    assert fig_b._suptitle.get_text() != fig_c._suptitle.get_text()


def test_spy_and_counts_figures():
    H = cl.conv_indicator((3, 4), 2)
    assert len(cl.spy_figure(H, "H").axes) == 1
    assert len(cl.counts_figure(np.ones((3, 4))).axes) == 1


@pytest.mark.parametrize("slider, value", [("il", 0), ("row r", 7)])
def test_indicator_explorer_follows_its_sliders(slider, value, capsys):
    explorer_follows_its_slider(cl.indicator_explorer, slider, value, capsys)


@pytest.mark.parametrize("stride, pad", [((1, 2), (0, 1)), ((2, 1), (1, 0))])
def test_indicator_step_non_square_stride_and_padding(stride, pad):
    x_shape, kernel = (5, 6, 2), (2, 3)
    (sh, sw), (ph, pw) = stride, pad
    h_out, w_out = (5 + 2 * ph - 2) // sh + 1, (6 + 2 * pw - 3) // sw + 1
    P = h_out * w_out
    for row in range(0, P * 2 * 3 * 2, 7):
        step = cl.indicator_step(x_shape, kernel, 1, 2, 1, row, stride, pad)
        p, q = row % P, row // P
        i_, j_ = p % h_out, p // h_out                                  # Eq. (16)
        i, j, d = q % 2, (q // 2) % 3, q // 6                           # Eq. (17)
        il, jl = sh * i_ + i - ph, sw * j_ + j - pw                     # Eq. (18)-(19)
        inside = 0 <= il < 5 and 0 <= jl < 6
        assert step["row_pq"] == (p, q)
        assert step["row_pixel"] == ((il, jl, d) if inside else None)
        assert ("zero padding" in step["text"]) == (not inside)
    fig = cl.draw_indicator(cl.indicator_step(x_shape, kernel, 0, 0, 0, 0, stride, pad))
    assert len(fig.axes) == 3


def test_draw_indicator_writes_phi_only_where_marked():
    step = cl.indicator_step(X_SHAPE, KERNEL, 2, 3, 1, 100)
    fig = cl.draw_indicator(step)
    written = cell_texts(fig.axes[1])
    marked = set(step["pq"]) | {step["row_pq"]}
    assert set(written) == marked
    assert all(written[p, q] == str(int(step["phi"][p, q])) for p, q in marked)


def test_routes_figure_draws_one_map_each_routes_difference_and_the_tolerance():
    a = np.arange(6.0).reshape(2, 3)
    b, c = a + 1e-12 * np.arange(6).reshape(2, 3), a.copy()
    fig = cl.routes_figure([a, b, c], ["exact", "perturbed", "copy"], tol=1e-6)
    heat, dots = fig.axes
    assert len(heat.get_images()) == 1
    # no bars: on a log axis a bar's length says where the axis starts, not the difference
    assert not dots.patches
    at = [line.get_xdata()[0] for line in dots.get_lines() if line.get_marker() == "o"]
    assert np.isclose(at[0], 5e-12) and at[1] == dots.get_xlim()[0]    # 0 at the left edge
    assert [t.get_text() for t in dots.texts] == ["5.0e-12", "0 (identical)"]
    levels = {line.get_linestyle(): line.get_xdata()[0] for line in dots.get_lines()
              if line.get_marker() != "o"}
    assert levels == {"--": 1e-6, ":": np.finfo(float).eps * 5}      # tolerance, rounding
    legend = [t.get_text() for t in dots.get_legend().get_texts()]
    assert legend == ["tolerance of the checks, 1e-6", "float64 rounding, 1e-15"]


def test_indicator_step_tells_padding_from_pixel_0():
    # pad 1: phi[0, 0] copies zero padding and phi[0, 3] pixel u = 0; numbered from 0 with
    # padding as 0, both read 0 in the step and in the figure
    step = cl.indicator_step((2, 2, 1), 2, 0, 0, 0, row=0, stride=1, pad=1)
    assert np.array_equal(step["phi"], cl.phi_index((2, 2, 1), 2, 1, 1))
    assert step["phi"][0, 0] == -1 and step["phi"][0, 3] == 0
    assert step["pq"] == [(4, 0), (3, 1), (1, 2), (0, 3)]        # its 4 windows, by row of H
    assert step["row_pixel"] is None and "a copy of zero padding" in step["text"]
    ax = cl.draw_indicator(step).axes[1]
    written = cell_texts(ax)
    assert written[(0, 0)] == "·" and written[(0, 3)] == "0"
    image = ax.get_images()[0]
    assert np.allclose(image.cmap(image.norm(step["phi"][0, 0])), matplotlib.colors.to_rgba(
        PADDING))                                                # padding in the padding grey
    assert not np.allclose(image.cmap(image.norm(0)), matplotlib.colors.to_rgba(PADDING))


def test_indicator_step_pq_and_row_agree_with_H():
    step = cl.indicator_step((5, 6, 2), (2, 3), 1, 2, 1, 41, (2, 1), (1, 0))
    H, P = step["H"].tocsc(), step["phi"].shape[0]
    assert [p + P * q for p, q in step["pq"]] == list(H[:, step["u"]].nonzero()[0])
    assert step["row_u"] == step["H"].tocsr()[step["row"]].indices[0]


def test_indicator_step_2d_shape_is_one_channel():
    # (H, W) raised "parameter multi_index must be a sequence of length 2"
    step = cl.indicator_step((5, 7), (2, 3), 2, 3, 0, 10)
    assert step["text"] == cl.indicator_step((5, 7, 1), (2, 3), 2, 3, 0, 10)["text"]
    with pytest.raises(ValueError, match=r"x_shape must be \(Hl, Wl, Dl\)"):
        cl.indicator_step((5, 7, 3, 2), (2, 3))


@pytest.mark.parametrize("pixel, row, error, match", [
    ((5, 0, 0), 0, ValueError, r"\(5, 0, 0\) is outside x, of shape \(5, 7, 3\)"),
    ((0, -1, 0), 0, ValueError, "jl must be >= 0"),
    ((0, 0, 0), 1.5, TypeError, "row must be an int"),       # was floored to row 1
    ((0, 0, 0), -1, ValueError, "row must be >= 0")])
def test_indicator_step_pixel_inside_x_and_row_an_int(pixel, row, error, match):
    with pytest.raises(error, match=match):
        cl.indicator_step(X_SHAPE, KERNEL, *pixel, row)


def test_indicator_step_numpy_arguments_are_ints():
    step = cl.indicator_step(X_SHAPE, np.array(KERNEL), np.int64(2), np.int64(3), np.int64(1),
                             np.int64(400), np.int64(1), np.int64(0))
    assert step["text"] == cl.indicator_step(X_SHAPE, KERNEL, 2, 3, 1, 400)["text"]
    assert step["row"] == 400 % step["H"].shape[0]                   # wrapped
