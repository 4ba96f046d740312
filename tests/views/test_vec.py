"""cnnlib.views.vec: vec_step against Eq. (1) by hand, its figures, its explorer."""
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

import cnnlib as cl

from .helpers import first_slider, outlined_cells, pixels


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


def test_draw_vec_highlights_both_vectors():
    a = np.arange(1, 13).reshape(3, 4)
    fig = cl.draw_vec(cl.vec_step(a, 4, "F"))         # vec(a)[4] = a[1, 1], row-major 5
    assert isinstance(fig, Figure)
    ax_a, ax_f, ax_c = fig.axes
    assert (1, 1) in outlined_cells(ax_a)
    assert outlined_cells(ax_f) == {(0, 4)} and outlined_cells(ax_c) == {(0, 5)}
    assert not np.array_equal(pixels(fig), pixels(cl.draw_vec(cl.vec_step(a, 5, "F"))))


def test_vec_explorer_prints_a_line_that_follows_the_slider(capsys):
    box = cl.vec_explorer(np.arange(1, 7).reshape(2, 3))
    assert first_slider(box).continuous_update is False
    assert "vec(a)[0] = a[0, 0] = 1" in capsys.readouterr().out
    first_slider(box).value = 3
    assert "vec(a)[3] = a[1, 1] = 5" in capsys.readouterr().out
    box.children[1].value = "C"
    assert "row-major: vec(a)[3] = a[1, 0] = 4" in capsys.readouterr().out


def test_vec_explorer_starts_where_asked(capsys):
    cl.vec_explorer(np.arange(1, 13).reshape(3, 4), position=4)
    assert "vec(a)[4] = a[1, 1] = 6" in capsys.readouterr().out


def test_vec_path_runs_under_the_numbers_which_keep_a_halo():
    fig = cl.draw_vec(cl.vec_step(np.arange(1, 13).reshape(3, 4), position=4, order="F"))
    ax = fig.axes[0]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 11
    values = [t for t in ax.texts if t.get_text().isdigit()]
    assert len(values) == 12
    assert all(t.get_zorder() > max(a.get_zorder() for a in arrows) for t in values)
    assert all(t.get_path_effects() for t in ax.texts)
    assert (1, 1) in outlined_cells(ax)             # the chosen cell a[1, 1] = 6


@pytest.mark.parametrize("order, jumps", [("F", [2, 5, 8]), ("C", [3, 7])])
def test_draw_vec_is_uncluttered(order, jumps):
    """Issue 20 (chapter 01's explorer figure): the matrix beside the two vectors had a
    label k=... in every cell and solid arrows across the numbers. Its k is now read off the
    vectors (an axis named k); the path is solid along a column (row) and dotted where it
    jumps to the next."""
    fig = cl.draw_vec(cl.vec_step(np.arange(1, 13).reshape(3, 4), position=4, order=order))
    ax_a, ax_f, ax_c = fig.axes
    assert not [t for t in ax_a.texts if t.get_text().startswith("k=")]
    assert [t.get_text() for t in ax_f.texts + ax_c.texts if t.get_text() == "k"] == ["k", "k"]
    arrows = [p for p in ax_a.patches if isinstance(p, FancyArrowPatch)]
    dotted = [t for t, a in enumerate(arrows) if a.get_linestyle() != "-"]
    assert dotted == jumps


@pytest.mark.parametrize("position, error", [(True, TypeError), (2.5, TypeError),
                                             (-1, ValueError)])
def test_vec_step_position_is_an_int_in_range(position, error):
    # True was read as position 1 ("vec(a)[True]"), 2.5 failed inside numpy naming nothing
    with pytest.raises(error, match="position"):
        cl.vec_step(np.ones((2, 3)), position)


def test_vec_step_numpy_position_is_an_int():
    a = np.arange(1, 13).reshape(3, 4)
    step = cl.vec_step(a, np.int64(4), np.str_("F"))
    assert step["text"] == cl.vec_step(a, 4, "F")["text"] and type(step["position"]) is int


def test_draw_vec_in_place_follows_a_new_order():
    """The explorer's order buttons redraw its one figure: the k labels, the path and the
    title follow, as in a fresh drawing of that order."""
    a = np.arange(1, 13).reshape(3, 4)
    fig = cl.draw_vec(cl.vec_step(a, 4, "F"))
    cl.draw_vec(cl.vec_step(a, 4, "C"), fig=fig)
    fresh = cl.draw_vec(cl.vec_step(a, 4, "C"))
    for ax, new in zip(fig.axes, fresh.axes):
        assert [t.get_text() for t in ax.texts] == [t.get_text() for t in new.texts]
        assert ax.get_title() == new.get_title()
    ends = [[tuple(np.round(p, 6)) for p in arrow._posA_posB] for arrow in fig.axes[0].patches
            if isinstance(arrow, FancyArrowPatch)]
    assert ends == [[tuple(np.round(p, 6)) for p in arrow._posA_posB]
                    for arrow in fresh.axes[0].patches if isinstance(arrow, FancyArrowPatch)]
    assert np.array_equal(pixels(fig), pixels(fresh))
