"""Tests of cnnlib.plot: the drawing primitives and the figures of chapters 01-05.

Oracles are the note's index formulas written as loops here (Eq. 1, 16-19), never the
functions under test.  Figures are checked through what they hold: texts, highlighted
cells, line data.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import cnnlib as cl  # noqa: E402
from cnnlib import plot  # noqa: E402

A = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def cell_texts(ax):
    """{(i, j): text} of the numbers written at integer cell centres of ``ax``."""
    out = {}
    for t in ax.texts:
        x, y = t.get_position()
        if float(x).is_integer() and float(y).is_integer():
            out[(int(y), int(x))] = t.get_text()
    return out


def outlined_cells(ax):
    """(i, j) of every cell outlined by a highlight rectangle."""
    return {(int(round(r.get_y() + 0.5)), int(round(r.get_x() + 0.5)))
            for r in ax.patches if isinstance(r, Rectangle) and not r.get_fill()}


def test_all_is_complete_and_callable():
    public = {n for n in dir(plot) if not n.startswith("_") and callable(getattr(plot, n))
              and getattr(getattr(plot, n), "__module__", "") == plot.__name__}
    assert public <= set(plot.__all__)
    assert all(getattr(cl, n) is getattr(plot, n) for n in plot.__all__)


@pytest.mark.parametrize("value, text", [(3, "3"), (3.0, "3"), (-2.0, "-2"), (0.125, "0.12"),
                                         (-0.001, "0.00"), (np.nan, "")])
def test_format_value(value, text):
    assert cl.format_value(value) == text


def test_draw_matrix_writes_every_entry_and_outlines_highlight():
    fig = cl.draw_matrix(A, highlight=[(1, 2), (2, 3)], title="A")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    texts = cell_texts(ax)
    assert texts == {(i, j): str(A[i, j]) for i in range(3) for j in range(4)}
    assert outlined_cells(ax) == {(1, 2), (2, 3)}
    assert ax.get_title() == "A"


def test_draw_matrix_mask_highlight_shade_and_custom_text():
    mask = np.zeros(A.shape, dtype=bool)
    mask[0] = True
    labels = [["x"] * 4 for _ in range(3)]
    fig = cl.draw_matrix(A, highlight=mask, shade=~mask, text=labels)
    ax = fig.axes[0]
    assert outlined_cells(ax) == {(0, j) for j in range(4)}
    assert set(cell_texts(ax).values()) == {"x"}
    rgba = ax.get_images()[0].get_array()
    assert np.allclose(rgba[1, 0, :3], matplotlib.colors.to_rgb(plot.PADDING))
    assert np.allclose(rgba[0, 0, :3], matplotlib.colors.to_rgb(plot.HIGHLIGHT))


def test_draw_matrix_into_given_axes_and_1d():
    fig, ax = plt.subplots()
    assert cl.draw_matrix([1, 2, 3], ax=ax) is fig
    assert cell_texts(ax) == {(0, 0): "1", (0, 1): "2", (0, 2): "3"}


def test_draw_matrix_rejects_3d():
    with pytest.raises(ValueError, match=r"draw_matrix.*\(2, 2, 2\)"):
        cl.draw_matrix(np.zeros((2, 2, 2)))


def test_draw_row_one_axes_per_array_and_signs():
    fig = cl.draw_row([A, np.ones((2, 2)), [[12, 16, 11], [24, 28, 17]]],
                      titles=["A", "K", "Y"], signs=["*", "="])
    assert [ax.get_title() for ax in fig.axes] == ["A", "K", "Y"]
    assert [t.get_text() for t in fig.texts] == ["*", "="]


@pytest.mark.parametrize("order", ["F", "C"])
def test_draw_vec_order_labels_are_vec_positions(order):
    a = np.arange(1, 7).reshape(2, 3)
    ax = cl.draw_vec_order(a, order).axes[0]
    labels = {t.get_text() for t in ax.texts if t.get_text().startswith("k=")}
    assert labels == {f"k={k}" for k in range(6)}
    for t in ax.texts:                            # label k sits in cell (i, j) of Eq. (1)'s order
        if t.get_text().startswith("k="):
            k = int(t.get_text()[2:])
            i, j = (k % 2, k // 2) if order == "F" else (k // 3, k % 3)
            x, y = t.get_position()
            assert round(x - 0.42) == j and round(y + 0.38) == i


def test_draw_vec_orders_has_both_orders():
    fig = cl.draw_vec_orders(np.arange(6).reshape(2, 3))
    titles = [ax.get_title() for ax in fig.axes]
    assert any("column-major" in t for t in titles) and any("row-major" in t for t in titles)


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
