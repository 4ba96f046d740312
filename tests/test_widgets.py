"""Tests of the explorers of chapters 01, 04, 05 and the pure functions that redraw them.

For given slider values, the step functions (vec_step, conv_step, im2col_step) must return
the data the note's formulas give (Eq. 1, 12, 16-19, written as loops here), the draw
functions a figure that highlights exactly that, and the widgets must print a line that
changes when a slider moves.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import cnnlib as cl  # noqa: E402
from cnnlib import widgets  # noqa: E402

A = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])
K2 = np.array([[1, 2], [3, 4]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def outlined_cells(ax):
    return {(int(round(r.get_y() + 0.5)), int(round(r.get_x() + 0.5)))
            for r in ax.patches if isinstance(r, Rectangle) and not r.get_fill()}


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def conv_oracle(x, f, s, pad):
    """y of Eq. (12) with stride s and zero padding, by loops."""
    xp = np.zeros((x.shape[0] + 2 * pad, x.shape[1] + 2 * pad))
    xp[pad:pad + x.shape[0], pad:pad + x.shape[1]] = x
    kh, kw = f.shape
    h_out, w_out = (xp.shape[0] - kh) // s + 1, (xp.shape[1] - kw) // s + 1
    y = np.zeros((h_out, w_out))
    for i_ in range(h_out):
        for j_ in range(w_out):
            for i in range(kh):
                for j in range(kw):
                    y[i_, j_] += f[i, j] * xp[s * i_ + i, s * j_ + j]
    return y


def test_all_lists_the_explorers():
    assert {"vec_explorer", "conv_explorer", "im2col_explorer"} <= set(widgets.__all__)
    assert cl.conv_explorer is widgets.conv_explorer


# ------------------------------------------------------------------ vec
@pytest.mark.parametrize("order", ["F", "C"])
def test_vec_step_matches_the_order(order):
    a = np.arange(1, 13).reshape(3, 4)
    for k in range(12):
        step = cl.vec_step(a, k, order)
        i, j = (k % 3, k // 3) if order == "F" else (k // 4, k % 4)     # Eq. (1) / row-major
        other = i * 4 + j if order == "F" else i + 3 * j
        assert step["cell"] == (i, j) and step["value"] == a[i, j]
        assert step["other_position"] == other
        assert f"a[{i}, {j}] = {a[i, j]}" in step["text"]


def test_vec_step_errors():
    with pytest.raises(ValueError, match="position 6 outside 0..5"):
        cl.vec_step(np.ones((2, 3)), 6)
    with pytest.raises(ValueError, match="order"):
        cl.vec_step(np.ones((2, 3)), 0, "A")


def test_draw_vec_step_highlights_both_vectors():
    a = np.arange(1, 13).reshape(3, 4)
    fig = cl.draw_vec_step(a, 4, "F")                 # vec(a)[4] = a[1, 1], row-major 5
    assert isinstance(fig, Figure)
    ax_a, ax_f, ax_c = fig.axes
    assert (1, 1) in outlined_cells(ax_a)
    assert outlined_cells(ax_f) == {(0, 4)} and outlined_cells(ax_c) == {(0, 5)}
    assert not np.array_equal(pixels(fig), pixels(cl.draw_vec_step(a, 5, "F")))


# ------------------------------------------------------------------ convolution
@pytest.mark.parametrize("s, pad", [(1, 0), (2, 0), (1, 1), (2, 1), (3, 2)])
def test_conv_step_value_window_and_output(s, pad):
    y = conv_oracle(A, K2, s, pad)
    h_out, w_out = y.shape
    for p in range(h_out * w_out):
        step = cl.conv_step(A, K2, s, pad, p)
        i_, j_ = p % h_out, p // h_out                                  # Eq. (16)
        assert step["out"] == (i_, j_)
        assert np.allclose(step["y"], y) and step["value"] == y[i_, j_]
        rows, cols = np.nonzero(step["window"])
        assert set(rows) == {s * i_, s * i_ + 1} and set(cols) == {s * j_, s * j_ + 1}
        assert step["n_positions"] == h_out * w_out
        assert step["pad_mask"].sum() == step["x_padded"].size - A.size


def test_conv_step_note_example_text_and_clipping():
    step = cl.conv_step(A, np.ones((2, 2)), 1, 0, 3)
    assert step["value"] == 28 and "y[1, 1] = 28" in step["text"]
    assert cl.conv_step(A, np.ones((2, 2)), 1, 0, 99)["out"] == (1, 2)   # last position


def test_conv_step_rejects_3d():
    with pytest.raises(ValueError, match="2-D"):
        cl.conv_step(np.ones((3, 3, 2)), np.ones((2, 2)))


def test_draw_conv_step_highlights_window_and_output():
    fig = cl.draw_conv_step(A, K2, stride=1, pad=1, position=4)
    ax_x, ax_f, ax_y = fig.axes
    step = cl.conv_step(A, K2, 1, 1, 4)                 # p = 4 -> (0, 1) of a 4 x 5 output
    assert outlined_cells(ax_x) == set(zip(*np.nonzero(step["window"])))
    assert outlined_cells(ax_y) == {(0, 1)}
    assert not np.array_equal(pixels(fig), pixels(cl.draw_conv_step(A, K2, 1, 1, 5)))


# ------------------------------------------------------------------ im2col
@pytest.mark.parametrize("s", [1, 2])
def test_im2col_step_row_and_patch(s):
    kh, kw = 2, 3
    x = np.arange(30.0).reshape(5, 6)
    h_out, w_out = (5 - kh) // s + 1, (6 - kw) // s + 1
    for p in range(h_out * w_out):
        step = cl.im2col_step(x, (kh, kw), p, stride=s)
        i_, j_ = p % h_out, p // h_out                                  # Eq. (16)
        cells = [(s * i_ + q % kh, s * j_ + q // kh) for q in range(kh * kw)]   # Eq. (17)-(19)
        assert step["out"] == (i_, j_)
        assert step["patch_cells"] == cells
        assert np.array_equal(step["row"], [x[c] for c in cells])
        assert step["mask"].sum() == kh * kw


def test_im2col_step_padding_cells_are_none():
    step = cl.im2col_step(np.ones((2, 2)), 2, 0, pad=1)
    assert step["patch_cells"] == [None, None, None, (0, 0)]
    assert np.array_equal(step["row"], [0, 0, 0, 1])


def test_draw_im2col_step_highlights_row_and_patch():
    fig = cl.draw_im2col_step(A, 2, 3)
    ax_x, ax_phi = fig.axes
    assert outlined_cells(ax_x) == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert outlined_cells(ax_phi) == {(3, q) for q in range(4)}
    assert "(i', j') = (1, 1)" in ax_x.get_title() and "p = 3" in ax_phi.get_title()
    assert not np.array_equal(pixels(fig), pixels(cl.draw_im2col_step(A, 2, 4)))


# ------------------------------------------------------------------ the widgets
def first_slider(box):
    return box.children[0]


def test_vec_explorer_prints_a_line_that_follows_the_slider(capsys):
    box = cl.vec_explorer(np.arange(1, 7).reshape(2, 3))
    assert first_slider(box).continuous_update is False
    assert "vec(a)[0] = a[0, 0] = 1" in capsys.readouterr().out
    first_slider(box).value = 3
    assert "vec(a)[3] = a[1, 1] = 5" in capsys.readouterr().out
    box.children[1].value = "C"
    assert "row-major: vec(a)[3] = a[1, 0] = 4" in capsys.readouterr().out


def test_conv_explorer_slider_range_follows_stride_and_pad(capsys):
    box = cl.conv_explorer()
    position = first_slider(box)
    stride, pad = box.children[1].children
    assert all(w.continuous_update is False for w in (position, stride, pad))
    assert position.max == 5                         # the note's A, 2 x 2 kernel: 2 x 3 output
    assert "y[0, 0] = 12" in capsys.readouterr().out
    position.value = 3
    assert "y[1, 1] = 28" in capsys.readouterr().out
    pad.value = 1
    assert position.max == 4 * 5 - 1
    stride.value = 2
    assert position.max == 2 * 3 - 1


def test_conv_explorer_with_given_input_has_no_menus(capsys):
    box = cl.conv_explorer(A, K2)
    assert len(box.children) == 3                    # position, stride/pad, output
    assert "y[0, 0] = 37" in capsys.readouterr().out


def test_im2col_explorer_prints_the_row(capsys):
    box = cl.im2col_explorer(A, kernel=2)
    assert "phi[0] = [1, 4, 2, 5]" in capsys.readouterr().out
    first_slider(box).value = 5
    assert "phi[5] = [6, 9, 1, 1]" in capsys.readouterr().out
    box.children[1].value = 2                        # stride 2: a 1 x 2 output
    assert first_slider(box).max == 1


def test_explorers_start_where_asked(capsys):
    cl.vec_explorer(np.arange(1, 13).reshape(3, 4), position=4)
    assert "vec(a)[4] = a[1, 1] = 6" in capsys.readouterr().out
    box = cl.conv_explorer(A, K2, position=5, stride=1, pad=1)
    assert first_slider(box).value == 5 and first_slider(box).max == 19
    assert "p = 5: y[1, 1]" in capsys.readouterr().out
    box = cl.im2col_explorer(A, kernel=2, position=3)
    assert first_slider(box).value == 3
    assert "phi[3] = [5, 8, 6, 9]" in capsys.readouterr().out
