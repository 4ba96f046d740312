"""cnnlib.views.conv: conv_step against Eq. (12) as loops, its figure, its explorer."""
import numpy as np
import pytest

import cnnlib as cl

from .helpers import cell_texts, first_slider, outlined_cells, pixels

A = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])
K2 = np.array([[1, 2], [3, 4]])


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


def test_draw_conv_highlights_window_and_output():
    step = cl.conv_step(A, K2, stride=1, pad=1, position=4)   # p = 4 -> (0, 1) of a 4 x 5 y
    fig = cl.draw_conv(step)
    ax_x, ax_f, ax_y = fig.axes
    assert outlined_cells(ax_x) == set(zip(*np.nonzero(step["window"])))
    assert outlined_cells(ax_y) == {(0, 1)}
    assert not np.array_equal(pixels(fig), pixels(cl.draw_conv(cl.conv_step(A, K2, 1, 1, 5))))


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


def test_conv_explorer_starts_where_asked(capsys):
    box = cl.conv_explorer(A, K2, position=5, stride=1, pad=1)
    assert first_slider(box).value == 5 and first_slider(box).max == 19
    assert "p = 5: y[1, 1]" in capsys.readouterr().out


def conv_oracle_hw(x, f, stride, pad):
    """y of Eq. (12) with a (sh, sw) stride and (ph, pw) zero padding, by loops."""
    (sh, sw), (ph, pw) = stride, pad
    xp = np.zeros((x.shape[0] + 2 * ph, x.shape[1] + 2 * pw))
    xp[ph:ph + x.shape[0], pw:pw + x.shape[1]] = x
    kh, kw = f.shape
    y = np.zeros(((xp.shape[0] - kh) // sh + 1, (xp.shape[1] - kw) // sw + 1))
    for i_, j_ in np.ndindex(*y.shape):
        y[i_, j_] = sum(xp[sh * i_ + i, sw * j_ + j] * f[i, j] for i, j in np.ndindex(kh, kw))
    return y


@pytest.mark.parametrize("stride, pad", [((1, 2), (0, 1)), ((2, 1), (1, 0)), ((2, 3), (2, 1))])
def test_conv_step_non_square_stride_and_padding(stride, pad):
    x = np.arange(1, 31).reshape(5, 6)
    y = conv_oracle_hw(x, K2, stride, pad)
    h_out = y.shape[0]
    for p in range(y.size):
        step = cl.conv_step(x, K2, stride, pad, p)
        i_, j_ = p % h_out, p // h_out                                  # Eq. (16)
        assert step["y"].shape == y.shape and np.allclose(step["y"], y)
        assert step["value"] == y[i_, j_]
        rows, cols = np.nonzero(step["window"])                         # Eq. (18)-(19)
        assert set(rows) == {stride[0] * i_, stride[0] * i_ + 1}
        assert set(cols) == {stride[1] * j_, stride[1] * j_ + 1}
        assert step["x_padded"].shape == (5 + 2 * pad[0], 6 + 2 * pad[1])
        assert step["pad_mask"].sum() == step["x_padded"].size - x.size


def test_draw_conv_non_square():
    step = cl.conv_step(A, K2, (1, 2), (0, 1), 3)
    fig = cl.draw_conv(step)
    ax_x, _, ax_y = fig.axes
    assert outlined_cells(ax_x) == set(zip(*np.nonzero(step["window"])))
    assert outlined_cells(ax_y) == {step["out"]}
    assert "pad (0, 1), stride (1, 2)" in ax_x.get_title()
    assert [t.get_text() for t in ax_x.get_xticklabels()][0] in ("-1", "\N{MINUS SIGN}1")


def test_conv_step_numpy_hyper_parameters_are_ints():
    step = cl.conv_step(A, K2, np.int64(2), np.array([1, 1]), np.int64(3))
    assert step["text"] == cl.conv_step(A, K2, 2, 1, 3)["text"]
    assert step["stride"] == (2, 2) and step["position"] == 3


@pytest.mark.parametrize("position, error", [(2.7, TypeError), (True, TypeError),
                                             (-1, ValueError)])
def test_conv_step_position_is_an_int_from_0(position, error):
    # 2.7 was floored to 2 and -1 clipped to 0, both silently
    with pytest.raises(error, match="position"):
        cl.conv_step(A, K2, 1, 0, position)


def test_conv_step_clips_a_position_past_the_end_and_says_so():
    step = cl.conv_step(A, K2, 1, 0, 99)                    # a 2 x 3 output: p = 5 at most
    assert step["position"] == 5 and step["text"].startswith("p = 5:")


@pytest.mark.parametrize("s, pad, p", [(2, 1, 0), (1, 1, 4), (1, 0, 3), (3, 2, 2)])
def test_conv_step_text_numbers_rows_as_the_figure_labels_them(s, pad, p):
    # the figure labels x's rows -pad .. H+pad-1; the text once gave indices into the padded x
    step = cl.conv_step(A, K2, s, pad, p)
    ax_x = cl.draw_conv(step).axes[0]
    labels = [int(t.get_text().replace("−", "-")) for t in ax_x.get_yticklabels()]
    col_labels = [int(t.get_text().replace("−", "-")) for t in ax_x.get_xticklabels()]
    rows, cols = np.nonzero(step["window"])
    expected = (f"window rows {labels[rows.min()]}..{labels[rows.max()]}, "
                f"cols {col_labels[cols.min()]}..{col_labels[cols.max()]} of x")
    assert expected in step["text"]
    n_pad = int((step["window"] & step["pad_mask"]).sum())
    assert (f"({n_pad} of its 4 cells padding)" in step["text"]) == (n_pad > 0)


def window_outlines(ax):
    """(top row, left column, height, width) of each thick coloured outline, rounded."""
    return [(round(r.get_y() + 0.5), round(r.get_x() + 0.5), round(r.get_height()),
             round(r.get_width())) for r in ax.patches if not r.get_fill() and r.get_lw() == 3]


@pytest.mark.parametrize("shape, k, s, pad, windows", [
    ((5, 5), 3, 2, 1, ((0, 0), (0, 1), (1, 0))), ((4, 7), (2, 3), (1, 2), (0, 1), ((1, 2),))])
def test_windows_figure_outlines_each_window_where_eq_12_reads_it(shape, k, s, pad, windows):
    (kh, kw), (sh, sw), (ph, pw) = [(v, v) if np.ndim(v) == 0 else v for v in (k, s, pad)]
    fig = cl.windows_figure(shape, k, s, pad, windows)
    ax_x, ax_y = fig.axes
    assert window_outlines(ax_x) == [(sh * i_, sw * j_, kh, kw) for i_, j_ in windows]
    y_shape = cl.conv2d(np.zeros(shape), np.ones((kh, kw)), stride=s, pad=pad).shape
    assert ax_y.get_images()[0].get_array().shape[:2] == y_shape
    texts = cell_texts(ax_x)                     # "0" on the padding only, rows numbered as x's
    assert sum(t == "0" for t in texts.values()) == (shape[0] + 2 * ph) * (shape[1] + 2 * pw) \
        - shape[0] * shape[1]
    assert ax_x.get_yticklabels()[0].get_text().replace("−", "-") == str(-ph)
    filled = {(round(r.get_y() + 0.5), round(r.get_x() + 0.5)) for r in ax_y.patches
              if r.get_fill()}
    assert filled == set(windows)


def test_windows_figure_refuses_a_cell_outside_y():
    with pytest.raises(ValueError, match=r"windows: cell \(3, 0\) is outside y, 3x3"):
        cl.windows_figure((5, 5), 3, 2, 1, [(3, 0)])


def test_correlation_figure_shows_a_in_every_row_and_names_each_operation():
    from scipy.signal import convolve2d
    rows = [cl.conv2d(A, K2), convolve2d(A, K2[::-1, ::-1], "valid"), convolve2d(A, K2, "valid")]
    fig = cl.correlation_figure(A, K2, *rows, names=("A", "K2"))
    assert len(fig.axes) == 9
    for r in range(3):
        a_ax, k_ax, y_ax = fig.axes[3 * r:3 * r + 3]
        assert a_ax.get_title() == "A" and cell_texts(a_ax)[(1, 2)] == "6"
        assert cell_texts(y_ax)[(0, 0)] == str(int(rows[r][0, 0]))
    assert cell_texts(fig.axes[4])[(0, 0)] == "4"                 # row 2 draws flip(K2)
    words = " ".join(t.get_text() for t in fig.texts)
    assert "cross-correlation" in words and words.count("true convolution") == 2
