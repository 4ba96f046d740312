"""cnnlib.views.draw: the primitives every figure is made of (values, grids, heat maps)."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import cnnlib as cl
from cnnlib.views import draw

from .helpers import cell_texts, outlined_cells

A = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])


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
    assert np.allclose(rgba[1, 0, :3], matplotlib.colors.to_rgb(draw.PADDING))
    assert np.allclose(rgba[0, 0, :3], matplotlib.colors.to_rgb(draw.HIGHLIGHT))


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


def test_matrices_figure_one_panel_per_matrix():
    assert len(cl.matrices_figure([np.eye(3), np.ones((2, 4))], ["I", "J"]).axes) == 2


@pytest.mark.parametrize("rgb, ink", [((0, 0, 0), "white"), ((1, 1, 1), "black"),
                                      ((0.2, 0.3, 0.9), "white"), ((1.0, 0.8, 0.3), "black")])
def test_text_color_by_luma(rgb, ink):
    # luma 0.299 r + 0.587 g + 0.114 b against one half
    assert draw.text_color(rgb + (1.0,)) == ink


def test_numbers_on_dark_cells_are_white_in_both_matrix_drawings():
    a = np.array([[0.0, 1.0], [2.0, 3.0]])                 # viridis: dark purple .. light yellow
    fig, (ax_grid, ax_heat) = plt.subplots(1, 2)
    cl.draw_matrix(a, ax=ax_grid, cmap="viridis")
    draw.draw_heatmap(ax_heat, a, annotate=True, cmap="viridis")
    for ax in (ax_grid, ax_heat):
        ink = {t.get_text(): t.get_color() for t in ax.texts}
        assert ink["0"] == "white" and ink["3"] == "black"


def test_a_draw_takes_the_step_of_its_own_family_only():
    step = cl.conv_step(A, np.ones((2, 2)))
    assert draw.step_of(step, "conv") is step
    with pytest.raises(TypeError, match=r"draw_im2col: step must be the dict im2col_step"
                                        r".*got the step of conv_step"):
        draw.step_of(step, "im2col")
    with pytest.raises(TypeError, match="draw_conv: .* got ndarray"):
        cl.draw_conv(A)                               # the raw inputs are not a step
    with pytest.raises(TypeError, match="got dict"):
        cl.draw_conv({"text": "made by hand"})


def test_one_name_one_colour():
    colours = {n: getattr(draw, n) for n in ("HIGHLIGHT", "TARGET", "PADDING", "MARK", "SECOND")}
    assert len({matplotlib.colors.to_hex(c) for c in colours.values()}) == len(colours)


def test_matrices_figure_block_grid_lines_and_labels():
    M = np.kron(np.arange(1, 7).reshape(2, 3), np.eye(4))            # 8×12, 2×3 blocks of 4×4
    fig = cl.matrices_figure([M, M], ["blocks", "plain"], blocks=[(4, 4), None],
                             xlabels=["column", None], ylabels=["row", None], aspect="auto")
    ax, plain = fig.axes
    horizontal = sorted(line.get_ydata()[0] for line in ax.lines if line.get_ydata()[0]
                        == line.get_ydata()[1] and line.get_xdata()[0] != line.get_xdata()[1])
    vertical = sorted(line.get_xdata()[0] for line in ax.lines if line.get_xdata()[0]
                      == line.get_xdata()[1] and line.get_ydata()[0] != line.get_ydata()[1])
    assert horizontal == [3.5] and vertical == [3.5, 7.5]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "4", "8", "12"]
    assert ax.get_xlabel() == "column" and ax.get_ylabel() == "row"
    assert not plain.lines and plain.get_xlabel() == "" and not plain.get_xticks().size
    assert ax.get_aspect() == "auto"


def test_draw_heatmap_ticks_label_rows_and_columns():
    fig, ax = plt.subplots()
    cl.draw_heatmap(ax, np.zeros((2, 3)), ticks=True)
    assert list(ax.get_xticks()) == [0, 1, 2] and list(ax.get_yticks()) == [0, 1]


def test_draw_heatmap_in_place_writes_its_values_in_a_new_format():
    """Max and average pooling of size 1 give the same dz/dx, written "1" and "1.00"."""
    ax = Figure().add_subplot()
    draw.draw_heatmap(ax, np.ones((2, 2)), annotate=True, fmt="{:.0f}")
    draw.draw_heatmap(ax, np.ones((2, 2)), annotate=True, fmt="{:.2f}")
    assert set(cell_texts(ax).values()) == {"1.00"}
