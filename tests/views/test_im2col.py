"""cnnlib.views.im2col: im2col_step and the phi map against Eq. (16)-(19), the explorer."""
import numpy as np
import pytest

import cnnlib as cl

from .helpers import cell_texts, first_slider, outlined_cells, pixels

A = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])


@pytest.mark.parametrize("x_shape", [(3, 4), (3, 4, 2)])
def test_draw_phi_map_cells_name_the_copied_input(x_shape):
    kh = kw = 2
    ax = cl.draw_phi_map(x_shape, 2).axes[1]
    texts = cell_texts(ax)
    h, w = x_shape[:2]
    d_in = x_shape[2] if len(x_shape) == 3 else 1
    h_out, w_out = h - kh + 1, w - kw + 1
    for p in range(h_out * w_out):
        i_, j_ = p % h_out, p // h_out                                  # Eq. (16)
        for q in range(kh * kw * d_in):
            dl, i, j = q // (kh * kw), (q % (kh * kw)) % kh, (q % (kh * kw)) // kh   # Eq. (17)
            u = (i_ + i) + h * (j_ + j) + h * w * dl                    # Eq. (18)-(19), vec index
            assert texts[(p, q)] == str(u)


def test_draw_phi_map_marks_padding():
    texts = cell_texts(cl.draw_phi_map((2, 2), 2, pad=1).axes[1])
    assert texts[(0, 0)] == "·"                   # the first window starts in the padding
    assert texts[(0, 3)] == "0"                   # ... and its last entry is x[0, 0]


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


def test_draw_im2col_highlights_row_and_patch():
    fig = cl.draw_im2col(cl.im2col_step(A, 2, 3))
    ax_x, ax_phi = fig.axes
    assert outlined_cells(ax_x) == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert outlined_cells(ax_phi) == {(3, q) for q in range(4)}
    assert "(i', j') = (1, 1)" in ax_x.get_title() and "p = 3" in ax_phi.get_title()
    assert not np.array_equal(pixels(fig), pixels(cl.draw_im2col(cl.im2col_step(A, 2, 4))))


def test_im2col_explorer_prints_the_row(capsys):
    box = cl.im2col_explorer(A, kernel=2)
    assert "phi[0] = [1, 4, 2, 5]" in capsys.readouterr().out
    first_slider(box).value = 5
    assert "phi[5] = [6, 9, 1, 1]" in capsys.readouterr().out
    box.children[1].value = 2                        # stride 2: a 1 x 2 output
    assert first_slider(box).max == 1


def test_im2col_explorer_starts_where_asked(capsys):
    box = cl.im2col_explorer(A, kernel=2, position=3)
    assert first_slider(box).value == 3
    assert "phi[3] = [5, 8, 6, 9]" in capsys.readouterr().out


@pytest.mark.parametrize("stride, pad", [((1, 2), (0, 1)), ((2, 1), (1, 0)), ((2, 3), (1, 2))])
def test_im2col_step_non_square_stride_and_padding(stride, pad):
    kh, kw = 2, 3
    x = np.arange(1.0, 31.0).reshape(5, 6)
    (sh, sw), (ph, pw) = stride, pad
    h_out, w_out = (5 + 2 * ph - kh) // sh + 1, (6 + 2 * pw - kw) // sw + 1
    for p in range(h_out * w_out):
        step = cl.im2col_step(x, (kh, kw), p, stride, pad)
        i_, j_ = p % h_out, p // h_out                                  # Eq. (16)
        cells = []
        for q in range(kh * kw):
            il, jl = sh * i_ + q % kh - ph, sw * j_ + q // kh - pw      # Eq. (17)-(19)
            cells.append((il, jl) if 0 <= il < 5 and 0 <= jl < 6 else None)
        assert step["out"] == (i_, j_) and step["patch_cells"] == cells
        assert np.array_equal(step["row"], [0.0 if c is None else x[c] for c in cells])
        assert step["phi"].shape == (h_out * w_out, kh * kw)


def test_draw_im2col_non_square():
    step = cl.im2col_step(A, (2, 2), 1, stride=(1, 2), pad=(0, 1))
    fig = cl.draw_im2col(step)
    ax_x, ax_phi = fig.axes
    assert outlined_cells(ax_x) == {c for c in step["patch_cells"] if c is not None}
    assert outlined_cells(ax_phi) == {(1, q) for q in range(4)}


@pytest.mark.parametrize("position, error", [(2.7, TypeError), (-1, ValueError)])
def test_im2col_step_position_is_an_int_from_0(position, error):
    # 2.7 was floored to 2 and -1 clipped to 0, both silently
    with pytest.raises(error, match="position"):
        cl.im2col_step(A, 2, position)


def test_im2col_step_numpy_hyper_parameters_are_ints():
    step = cl.im2col_step(A, np.array([2, 2]), np.int64(3), np.int64(1), np.int64(0))
    assert step["text"] == cl.im2col_step(A, 2, 3)["text"] and step["position"] == 3


def test_im2col_views_number_pixels_from_0_and_padding_minus_1():
    # pad 1: phi[0] copies padding three times, then pixel u = 0 (Eq. 18-19)
    step = cl.im2col_step(np.arange(1.0, 5.0).reshape(2, 2), 2, 0, pad=1)
    assert step["patch_cells"] == [None, None, None, (0, 0)]
    assert list(cl.phi_index((2, 2), 2, pad=1)[0]) == [-1, -1, -1, 0]
    texts = cell_texts(cl.draw_phi_map((2, 2), 2, pad=1).axes[1])
    assert [texts[(0, q)] for q in range(4)] == ["·", "·", "·", "0"]


def test_draw_phi_map_names_a_batch_shape():
    # (H, W, D, N) failed inside draw_matrix ("a must be 1-D or 2-D"), naming no argument
    with pytest.raises(ValueError, match=r"x_shape must be \(H, W\) or \(H, W, D\)"):
        cl.draw_phi_map((3, 4, 2, 2), 2)


def test_draw_phi_map_names_its_axes_slices_and_columns():
    """Issue 20 (chapter 05's map): the input's axes and slices were unnamed and phi's
    columns showed (i, j, d) without their number q."""
    ax_x, ax_phi = cl.draw_phi_map((3, 4, 2), 2).axes
    assert [t.get_text() for t in ax_x.texts if t.get_text().startswith("slice")] == \
        ["slice d = 0", "slice d = 1"]
    assert ax_x.get_ylabel() == "row i" and "column j" in ax_x.get_title()
    labels = [t.get_text() for t in ax_phi.get_xticklabels()]
    assert labels[:2] == ["0 (0,0,0)", "1 (1,0,0)"] and labels[7] == "7 (1,1,1)"   # Eq. (17)
    ax_x, ax_phi = cl.draw_phi_map((3, 4), 2).axes
    assert not [t for t in ax_x.texts if t.get_text().startswith("slice")]
    assert [t.get_text() for t in ax_phi.get_xticklabels()][3] == "3 (1,1)"
