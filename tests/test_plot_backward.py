"""Tests of the drawing functions of chapters 06-11 and the explorers wired to them.

Oracles come from the note's index formulas (Eq. 16-19, 47), written as loops here,
never from the functions under test.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import cnnlib as cl  # noqa: E402
from cnnlib import plot_backward as pb  # noqa: E402

X_SHAPE, KERNEL = (5, 7, 3), (2, 3)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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


def test_indicator_summary_lists_every_pq_from_the_index_maps():
    text = pb.indicator_summary(X_SHAPE, KERNEL, 0, 0, 0)
    assert "x[0,0,0]" in text and "feeds 1 entries" in text and "(0,0)" in text
    text = pb.indicator_summary(X_SHAPE, KERNEL, 1, 1, 2)
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
    text = pb.indicator_summary(X_SHAPE, KERNEL, row=r)
    assert f"row r={r} of H is phi[{p},{q}], a copy of x[{i_ + i},{j_ + j},{d}]" in text


def test_indicator_figure_changes_with_the_pixel():
    fig_a = pb.indicator_figure(X_SHAPE, KERNEL, 0, 0, 0, row=0)
    fig_b = pb.indicator_figure(X_SHAPE, KERNEL, 2, 3, 1, row=0)
    fig_c = pb.indicator_figure(X_SHAPE, KERNEL, 2, 3, 1, row=100)
    assert isinstance(fig_a, matplotlib.figure.Figure) and len(fig_a.axes) == 3
    assert fig_a._suptitle.get_text() != fig_b._suptitle.get_text()
    assert "6 entries" in fig_b._suptitle.get_text()          # interior pixel: kh*kw windows
    assert fig_b._suptitle.get_text() != fig_c._suptitle.get_text()


def test_backward_summary_counts_window_and_filter():
    rng = np.random.default_rng(1)
    x, f = rng.standard_normal(X_SHAPE), rng.standard_normal(KERNEL + (3, 4))
    text = pb.backward_summary(x, f, 1, 2, 3)
    assert "rows 1..2, cols 2..4" in text and "filter 3" in text
    assert text.count("18 entries") == 2                       # kh*kw*Dl each
    # the dz/dx share is f[:, :, :, d] at the window: its sum is f[..., 3].sum()
    assert f"sum {f[..., 3].sum():.3f}" in text
    # the dz/dF share is the window of x
    assert f"sum {x[1:3, 2:5].sum():.3f}" in text
    fig = pb.backward_figure(x, f, 1, 2, 3)
    assert len(fig.axes) == 12                                 # 3 rows x max(D, Dl)


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
def test_pooling_summary_shapes_and_gradient_mass(size, stride):
    x = np.random.default_rng(2).permutation(48).reshape(6, 8).astype(float)
    y = maxpool_by_loops(x, size, stride)
    text = pb.pooling_summary(x, size, stride, "max", 0)
    assert "output k=0 is y[0,0]" in text
    assert pb.pooling_summary(x, size, stride, "max", y.size) != text   # k shown even when it wraps
    assert f"y is {y.shape[0]}×{y.shape[1]}" in text
    r, c = np.argwhere(x == y[0, 0])[0]
    assert f"its max x[{r},{c}]" in text
    avg = pb.pooling_summary(x, size, stride, "avg", 0)
    assert f"1/{size * size} each" in avg


def test_pooling_figure_returns_three_panels_and_marks_overlap():
    x = np.arange(48.0).reshape(6, 8)
    fig = pb.pooling_figure(x, 3, 2, "max", 1)
    assert len(fig.axes) == 3 and "overlap" in fig._suptitle.get_text()
    fig = pb.pooling_figure(x, 2, 3, "avg", 1)
    assert "no window" in fig._suptitle.get_text()


def test_static_figures():
    A, B = np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2)
    assert len(pb.kron_figure(A, B).axes) == 3
    H = cl.conv_indicator((3, 4), 2)
    assert len(pb.spy_figure(H, "H").axes) == 1
    assert len(pb.counts_figure(np.ones((3, 4))).axes) == 1
    assert len(pb.images_figure([np.eye(4), np.ones((2, 2))], ["a", "b"]).axes) == 2
    assert len(pb.matrices_figure([np.eye(3), np.ones((2, 4))], ["I", "J"]).axes) == 2
    assert len(pb.relu_figure().axes) == 2


@pytest.mark.parametrize("name,slider,value", [("backward_explorer", "j'", 0),
                                               ("backward_explorer", "d", 2),
                                               ("indicator_explorer", "il", 0),
                                               ("indicator_explorer", "row r", 7),
                                               ("pooling_explorer", "stride", 1),
                                               ("pooling_explorer", "output k", 5)])
def test_explorers_print_a_line_that_follows_the_sliders(name, slider, value, capsys):
    w = getattr(cl, name)()
    first = capsys.readouterr().out
    controls = {c.description: c for c in w.children if hasattr(c, "description")}
    assert all(getattr(c, "continuous_update", False) is False
               for c in controls.values() if hasattr(c, "continuous_update"))
    controls[slider].value = value
    second = capsys.readouterr().out
    assert first.strip() and second.strip() and first != second


def test_top_level_names_resolve_to_these_modules():
    # cnnlib's lazy namespace searches plot/widgets first: a name clash there would hide ours
    from cnnlib import widgets_backward as wb
    for mod in (pb, wb):
        for name in mod.__all__:
            assert getattr(cl, name) is getattr(mod, name), name
