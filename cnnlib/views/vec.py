"""vec (chapter 01): which entry of a matrix lands at which position of vec, both orders.

    vec_step(a, position, order)    the numbers of one frame: cell, value, both vectors, text
    draw_vec(step)                  a with its visiting order, and both vectorizations
    draw_vec_order, draw_vec_orders every cell labelled with its place k in vec
    vec_explorer(a)                 slider k and the order; one step per move
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch

from .._checks import positive_int
from .damage import HALO_WIDTH
from .draw import HIGHLIGHT, TARGET, clear_marks, draw_matrix, format_value, step_of
from .explore import Frame, slider

__all__ = ["vec_step", "draw_vec", "draw_vec_order", "draw_vec_orders", "vec_explorer"]

ORDER_NAME = {"F": "column-major", "C": "row-major"}


def vec_step(a, position, order="F"):
    """Where entry ``position`` of vec(a) comes from, for column-major or row-major vec.

    a: (m, n) array.  position: index k into the vectorized a, an int 0 <= k < a.size
    (else a ValueError).  order: "F" (column-major, the note's vec, Eq. 1) or "C"
    (row-major, numpy's default).
    Returns a dict: ``family`` ("vec"), ``a``, ``position``, ``order``, ``cell`` (i, j)
    of a, ``value``, ``other_position`` (where the same entry lands under the other
    order), ``vec_F``, ``vec_C`` and a one-line ``text``.
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"vec_step: a must be 2-D, got shape {a.shape}")
    if order not in ("F", "C"):
        raise ValueError(f"vec_step: order must be 'F' or 'C', got {order!r}")
    position = positive_int(position, "position", 0)
    if position >= a.size:
        raise ValueError(f"vec_step: position {position} outside 0..{a.size - 1} "
                         f"(a shape {a.shape})")
    m, n = a.shape
    i, j = np.unravel_index(position, (m, n), order=order)
    i, j = int(i), int(j)
    other = "C" if order == "F" else "F"
    other_position = int(np.ravel_multi_index((i, j), (m, n), order=other))
    formula = f"{i} + {m}*{j}" if order == "F" else f"{i}*{n} + {j}"
    text = (f"{ORDER_NAME[order]}: vec(a)[{position}] = a[{i}, {j}] = {format_value(a[i, j])}"
            f"  (k = {formula});  {ORDER_NAME[other]} puts a[{i}, {j}] at {other_position}")
    return {"family": "vec", "a": a, "position": position, "order": order, "cell": (i, j),
            "value": a[i, j], "other_position": other_position, "vec_F": a.reshape(-1, order="F"),
            "vec_C": a.reshape(-1, order="C"), "text": text}


PATH = "#9db8d6"            # the vec path: light, drawn under the numbers


def _order_path(ax, shape, order, highlight=None):
    """Arrows through the cells of ``shape`` in vec order, near the cells' lower-left corners.

    The arrows are light and lie under the numbers, solid along a column (row-major: a row)
    and dotted where the path jumps to the next; every number written in ``ax`` gets a
    halo of its cell's colour, so a value crossed by the path stays readable."""
    ax._cnn_vec_path = [ax.add_patch(FancyArrowPatch(
        *ends, arrowstyle="-|>", mutation_scale=8, color=PATH, shrinkA=2, shrinkB=2,
        zorder=2, linestyle=style)) for ends, style in _path_ends(shape, order)]
    _halos(ax, highlight)


def _path_ends(shape, order):
    """Where each arrow of the vec path starts and ends (near the lower-left corners of
    consecutive cells in vec order) and its line style: solid along a column (row-major: a
    row), dotted where the path jumps on to the next."""
    ii, jj = np.unravel_index(np.arange(shape[0] * shape[1]), shape, order=order)
    px, py = jj - 0.3, ii + 0.28
    slow = jj if order == "F" else ii
    return [(((px[t], py[t]), (px[t + 1], py[t + 1])), ":" if slow[t + 1] != slow[t] else "-")
            for t in range(len(px) - 1)]


def _halos(ax, highlight=None):
    """Every text of ``ax`` above the path, haloed in its cell's colour."""
    for text in ax.texts:
        x, y = text.get_position()
        cell = (int(round(y)), int(round(x)))
        marked = highlight is not None and cell == tuple(highlight)
        halo = to_rgba(HIGHLIGHT) if marked else "white"
        text.set_zorder(4)
        text.set_path_effects([patheffects.withStroke(linewidth=HALO_WIDTH, foreground=halo)])


def draw_vec_order(a, order="F", ax=None, title=None, figsize=(3.2, 3), highlight=None,
                   k_labels=True):
    """The matrix ``a`` with each cell labelled by its position k in vec and the path of vec.

    order: "F" (column-major) or "C" (row-major).  highlight: one cell (i, j) filled and
    outlined.  k_labels: False leaves out the labels "k=..." (the path alone shows the
    order).  Returns the Figure.
    """
    a = np.asarray(a)
    k = np.arange(a.size).reshape(a.shape, order=order)
    name = {"F": "column-major (the note's vec)", "C": "row-major (numpy's default)"}[order]
    fig = draw_matrix(a, ax=ax, fontsize=11, title=title or name, figsize=figsize,
                      highlight=None if highlight is None else [highlight])
    ax = fig.axes[0] if ax is None else ax
    ax._cnn_vec_k = [ax.text(j + 0.42, i - 0.38, f"k={kk}", ha="right", va="top",
                             fontsize=7.5, color="#3a6ea5")
                     for (i, j), kk in np.ndenumerate(k if k_labels else np.zeros((0, 0)))]
    _order_path(ax, a.shape, order, highlight)
    return fig


def _reorder(ax, shape, order, title):
    """Relabel a drawing of :func:`draw_vec_order` in place for ``order``: its k labels,
    its path and its title."""
    k = np.arange(shape[0] * shape[1]).reshape(shape, order=order)
    for label, kk in zip(ax._cnn_vec_k, k.ravel()):
        label.set_text(f"k={kk}")
    for arrow, (ends, style) in zip(ax._cnn_vec_path, _path_ends(shape, order)):
        arrow.set_positions(*ends)
        arrow.set_linestyle(style)
    ax.set_title(title, fontsize=10, pad=16)


def draw_vec_orders(a, figsize=(8, 3.2)):
    """Column-major and row-major order side by side: each cell labelled k, its place in vec.

    a: (m, n) array.  Returns the Figure.
    """
    fig, axes = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"wspace": 0.3})
    draw_vec_order(a, "F", ax=axes[0])
    draw_vec_order(a, "C", ax=axes[1])
    return fig


def draw_vec(step, figsize=(9, 3), fig=None):
    """The vec explorer's picture: a with the visiting order, and both vectorizations.

    step: what :func:`vec_step` returns.  The entry at its ``position`` of its ``order``
    vectorization is highlighted in a and in both vectors, so one sees it land elsewhere
    under the other order.  fig: this figure drawn for the same a (either order), redrawn in
    place (an explorer's frame).  Returns the Figure.
    """
    step = step_of(step, "vec")
    a, position, order = step["a"], step["position"], step["order"]
    pos = {order: position, ("C" if order == "F" else "F"): step["other_position"]}
    rows = ((0, "F", "vec(a), column-major: Matlab's a(:), numpy order='F'"),
            (1, "C", "row-major: numpy's a.reshape(-1), NOT the note's vec"))
    way = "column" if order == "F" else "row"
    if fig is not None:
        clear_marks(fig)
        ax_a, ax_f, ax_c = fig.axes
        if ax_a.get_title() != f"a, visited {way} by {way}":
            _reorder(ax_a, a.shape, order, f"a, visited {way} by {way}")
        draw_matrix(a, ax=ax_a, fontsize=11, highlight=[step["cell"]])
        _halos(ax_a, step["cell"])
        for ax, (_, o, _) in zip((ax_f, ax_c), rows):
            draw_matrix(step[f"vec_{o}"], ax=ax, highlight=[(0, pos[o])],
                        color=HIGHLIGHT if o == order else TARGET, fontsize=10)
        return fig
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, 2, width_ratios=[1.3, 2.4], height_ratios=[1, 1],
                            wspace=0.25, hspace=0.9)
    ax_a = fig.add_subplot(grid[:, 0])
    draw_vec_order(a, order, ax=ax_a, title=f"a, visited {way} by {way}",
                   highlight=step["cell"], k_labels=False)     # k: the vectors' ticks
    for row, o, label in rows:
        ax = fig.add_subplot(grid[row, 1])
        draw_matrix(step[f"vec_{o}"], ax=ax, highlight=[(0, pos[o])],
                    color=HIGHLIGHT if o == order else TARGET, fontsize=10)
        ax.set_yticks([])
        ax.set_title(label, fontsize=10, pad=18)
        ax.text(-0.75, -0.62, "k", ha="right", va="bottom", fontsize=9, style="italic")
    return fig


def vec_explorer(a=None, position=0, order="F"):
    """Pick a position k of vec(a) and an order: see which entry of ``a`` lands there.

    a: a small 2-D array (default a 3x4 matrix of 1..12).  position, order: the starting
    state ("F" column-major, "C" row-major).  Returns the widget box.
    """
    a = np.asarray(np.arange(1, 13).reshape(3, 4) if a is None else a)
    position = slider("position k in the vector", position, 0, a.size - 1)
    order = widgets.ToggleButtons(options=[("column-major (vec)", "F"), ("row-major", "C")],
                                  value=order, description="order")

    frame = Frame()

    def redraw(position, order):
        step = vec_step(a, position, order)
        frame.show(None, draw_vec, step)          # (the order: drawn in place)

    out = widgets.interactive_output(redraw, {"position": position, "order": order})
    return widgets.VBox([position, order, out])
