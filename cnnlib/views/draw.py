"""draw: the drawing primitives every figure of the course is made of.

    format_value(v)             a number as the short text written in a cell
    text_color(rgba)            white on a dark cell, black on a light one
    outline(ax, r, c, h, w)     a rectangle around cells of a drawn matrix
    draw_matrix(a, ...)         a small matrix as a grid with its numbers (chapters 01-05)
    draw_heatmap(ax, M, ...)    a matrix as a colour map, values optional (chapters 06-11)
    draw_row(arrays, ...)       several matrices side by side, signs between them
    matrices_figure(mats, ...)  several heat maps side by side
    step_of(step, family)       the step a ``draw_<family>`` was given, checked it is one
    side((h, w))                "2" for (2, 2), "(1, 2)" otherwise: a stride or a pad in a title
    mark(artist), clear_marks   what a step adds on top of a drawing, removed before the next

The colours are named by what they mean, one name, one colour.  Every figure has a
fixed size and is returned as a matplotlib Figure; nothing here computes the math.

An explorer draws its figure once and then redraws it in place: ``draw_matrix`` and
``draw_heatmap`` called again on an Axes they drew change its colours, texts and title
(of another shape: :mod:`relayout` reshapes it); what a step adds on top (outlines,
markers) is marked, and ``clear_marks`` removes it before the next step is drawn.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from . import relayout

__all__ = ["draw_matrix", "draw_heatmap", "draw_row", "format_value", "matrices_figure"]

HIGHLIGHT = "#f4a259"      # grid cells a step is about (window, element, row of phi)
TARGET = "#5b8e7d"         # the grid cell it fills (output entry, position in vec)
PADDING = "#e6e6e6"        # zero padding
MARK = "tab:red"           # on a colour map: the cells a step is about
SECOND = "tab:orange"      # on a colour map: a second selection (a row of H, every max)


def format_value(v):
    """A matrix entry as short text: integers without a decimal point, others with 2 decimals."""
    v = float(v)
    if not np.isfinite(v):
        return ""
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


def text_color(rgba):
    """"white" on a dark cell colour (luma below one half), else "black"."""
    red, green, blue = rgba[:3]
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "black"


def mark(artist):
    """Tag ``artist`` (or a list of artists) as part of one step: ``clear_marks`` removes it."""
    for a in artist if isinstance(artist, list) else [artist]:
        a._cnn_mark = True
    return artist


def clear_marks(fig):
    """Remove every marked artist of ``fig`` (the previous step's outlines and markers)."""
    for ax in fig.axes:
        for a in list(ax.patches) + list(ax.lines) + list(ax.texts):
            if getattr(a, "_cnn_mark", False):
                a.remove()


def outline(ax, r0, c0, h=1, w=1, color=MARK, lw=2.0, fill=False, alpha=1.0, **style):
    """Outline (or fill) cells r0..r0+h-1, c0..c0+w-1 of a matrix drawn with imshow (marked)."""
    ax.add_patch(mark(Rectangle((c0 - 0.5, r0 - 0.5), w, h, fill=fill, edgecolor=color,
                                facecolor=color if fill else "none", lw=lw, alpha=alpha,
                                **style)))


def step_of(step, family):
    """``step`` when ``<family>_step`` made it (its "family" says so), else a TypeError:
    each ``draw_<family>(step, fig=None)`` draws such a step only, never computes one."""
    if not (isinstance(step, dict) and step.get("family") == family):
        made = step.get("family") if isinstance(step, dict) else None
        got = f"the step of {made}_step" if made else type(step).__name__
        raise TypeError(f"draw_{family}: step must be the dict {family}_step(...) returns, "
                        f"got {got}")
    return step


def side(v):
    """An (h, w) pair as text: "2" when both are 2, "(1, 2)" otherwise."""
    return str(v[0]) if v[0] == v[1] else f"({v[0]}, {v[1]})"


def _cells(mask_or_cells, shape):
    """A boolean mask of ``shape`` from a mask or an iterable of (i, j) cells."""
    if mask_or_cells is None:
        return np.zeros(shape, dtype=bool)
    arr = np.asarray(mask_or_cells)
    if arr.dtype == bool and arr.shape == shape:
        return arr
    mask = np.zeros(shape, dtype=bool)
    for i, j in mask_or_cells:
        mask[i, j] = True
    return mask


def _set_text(t, s, color):
    """Give Text ``t`` the string ``s`` and ``color``, touching it only if they differ."""
    if t.get_text() != s:
        t.set_text(s)
    if to_rgba(t.get_color()) != to_rgba(color):
        t.set_color(color)


def draw_matrix(a, ax=None, title=None, highlight=None, color=HIGHLIGHT, shade=None,
                shade_color=PADDING, cmap=None, text=None, fontsize=None,
                row_labels=None, col_labels=None, figsize=(3, 3)):
    """Draw the 2-D array ``a`` as a grid of cells with its numbers written in them.

    a: (m, n) array.  ax: an Axes to draw into (a new figure of ``figsize`` if None).
    highlight: boolean mask (m, n) or iterable of (i, j): cells filled with ``color``
    and outlined.  shade: cells filled with ``shade_color`` (e.g. zero padding).
    cmap: colour every cell by its value instead of white (a colormap name); numbers on
    dark cells are written in white.
    text: (m, n) array of strings to write instead of the values ('' leaves a cell blank).
    row_labels, col_labels: tick labels (default: the zero-based indices).
    Returns the Figure.
    """
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2:
        raise ValueError(f"draw_matrix: a must be 1-D or 2-D, got shape {a.shape}")
    m, n = a.shape
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    drawn = getattr(ax, "_cnn_matrix", None)
    hl, sh = _cells(highlight, a.shape), _cells(shade, a.shape)
    if cmap is not None and np.isfinite(a).any():
        lo, hi = np.nanmin(a), np.nanmax(a)
        rgba = plt.get_cmap(cmap)(plt.Normalize(lo, hi if hi > lo else lo + 1)(a))
        rgba[~np.isfinite(a)] = to_rgba(PADDING)
    else:
        rgba = np.ones((m, n, 4))
    rgba[sh] = to_rgba(shade_color)
    rgba[hl] = to_rgba(color)
    if fontsize is None:
        integers = np.all(np.isnan(a) | (a == np.round(a)))
        fontsize = max(5, min(12 if integers else 9, 150 / max(m, n, 1)))
    if drawn is None:
        image = ax.imshow(rgba, interpolation="nearest", aspect="equal")
        texts = [[ax.text(j, i, "", ha="center", va="center", fontsize=fontsize,
                          in_layout=False) for j in range(n)] for i in range(m)]
    else:                               # drawn before: in place (another shape: reshaped)
        if (drawn["shape"], drawn["fontsize"]) != (a.shape, fontsize):
            relayout.reshape_matrix(ax, drawn, a.shape, fontsize)
        image, texts = drawn["image"], drawn["texts"]
        if not np.array_equal(image.get_array(), rgba):
            image.set_data(rgba)
    for i in range(m):
        for j in range(n):
            s = format_value(a[i, j]) if text is None else text[i][j]
            ink = "#999999" if sh[i, j] and not hl[i, j] else "black"
            if cmap is not None and text_color(rgba[i, j]) == "white":
                ink = "white"
            _set_text(texts[i][j], s, ink)
    for i, j in zip(*np.nonzero(hl)):
        outline(ax, i, j, color="black", lw=1.8)
    labels = (None if row_labels is None else list(row_labels),
              None if col_labels is None else list(col_labels))
    if drawn is not None:
        if title and ax.get_title() != title:
            ax.set_title(title, fontsize=10, pad=16 if n > 0 else 6)
        if labels != drawn["labels"]:
            ax.set_xticklabels(col_labels if col_labels is not None else np.arange(n))
            ax.set_yticklabels(row_labels if row_labels is not None else np.arange(m))
            drawn["labels"] = labels
        return ax.figure
    grid = (ax.hlines(np.arange(1, m) - 0.5, -0.5, n - 0.5, color="#555555", linewidth=0.6),
            ax.vlines(np.arange(1, n) - 0.5, -0.5, m - 0.5, color="#555555", linewidth=0.6))
    ax._cnn_matrix = {"shape": a.shape, "image": image, "texts": texts, "labels": labels,
                      "fontsize": fontsize, "grid": grid}
    tick_fs = max(5, min(9, fontsize))
    ax.set_xticks(np.arange(n))
    ax.set_yticks(np.arange(m))
    ax.set_xticklabels(col_labels if col_labels is not None else np.arange(n), fontsize=tick_fs)
    ax.set_yticklabels(row_labels if row_labels is not None else np.arange(m), fontsize=tick_fs)
    ax.tick_params(which="major", length=0)
    ax.xaxis.tick_top()
    if title:
        ax.set_title(title, fontsize=10, pad=16 if n > 0 else 6)
    return ax.figure


def draw_heatmap(ax, M, title=None, annotate=False, cmap="viridis", fmt="{:g}", vmin=None,
                 vmax=None, ticks=False, aspect="equal"):
    """Draw matrix M into ``ax`` as coloured cells (row 0 on top); with ``annotate`` each
    value is written in, light on dark cells; with ``ticks`` rows and columns are labelled
    by their indices (else no ticks).  Returns ``ax``."""
    M = np.asarray(M, dtype=float)
    drawn = getattr(ax, "_cnn_heatmap", None)
    if drawn is not None:                        # drawn before: new values, colours, texts
        if drawn["shape"] != M.shape:
            relayout.reshape_heatmap(ax, drawn, M.shape)
        im = drawn["image"]
        clim = (np.nanmin(M) if vmin is None else vmin, np.nanmax(M) if vmax is None else vmax)
        if not (drawn["values"] is not None and np.array_equal(M, drawn["values"])
                and clim == im.get_clim() and fmt == drawn["fmt"]):
            im.set_data(M)                   # (unchanged panels stay untouched: not redrawn)
            im.set_clim(*clim)
            drawn["values"], drawn["fmt"] = M.copy(), fmt
            for t, v, rgba in zip(drawn["texts"], M.ravel(), im.cmap(im.norm(M.ravel()))):
                _set_text(t, fmt.format(round(v, 2) + 0.0), text_color(rgba))
        if title and ax.get_title() != title:
            ax.set_title(title, fontsize=10)
        return ax
    im = ax.imshow(M, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest", aspect=aspect)
    rgba = im.cmap(im.norm(M)) if annotate else None           # (one call for every cell)
    texts = [ax.text(c, r, fmt.format(round(v, 2) + 0.0), ha="center", va="center", fontsize=8,
                     color=text_color(rgba[r, c]), in_layout=False)   # (in its cell)
             for (r, c), v in np.ndenumerate(M)] if annotate else []
    ax._cnn_heatmap = {"shape": M.shape, "image": im, "texts": texts, "values": M.copy(),
                       "fmt": fmt, "ticks": ticks}
    if title:
        ax.set_title(title, fontsize=10)
    if ticks:
        ax.set_xticks(np.arange(M.shape[1]))
        ax.set_yticks(np.arange(M.shape[0]))
        ax.tick_params(labelsize=8, length=2)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    return ax


def block_grid(ax, shape, block, color="white", lw=0.8):
    """Lines between the (bh, bw) blocks of a matrix of ``shape`` drawn with imshow."""
    (m, n), (bh, bw) = shape, block
    for r in range(bh, m, bh):
        ax.axhline(r - 0.5, color=color, lw=lw)
    for c in range(bw, n, bw):
        ax.axvline(c - 0.5, color=color, lw=lw)


def draw_row(arrays, titles=None, signs=None, highlights=None, figsize=(9, 2.8), suptitle=None):
    """Several matrices side by side: ``draw_row([A, K, Y], signs=['⋆', '='])``.

    arrays: list of 1-D/2-D arrays.  titles: one per array.  signs: strings written
    between consecutive matrices.  highlights: one highlight argument per array (see
    :func:`draw_matrix`).  Returns the Figure.
    """
    arrays = [np.atleast_2d(np.asarray(a, dtype=float)) for a in arrays]
    widths = [a.shape[1] for a in arrays]
    fig, axes = plt.subplots(1, len(arrays), figsize=figsize,
                             gridspec_kw={"width_ratios": widths, "wspace": 0.45})
    axes = np.atleast_1d(axes)
    titles = titles or [None] * len(arrays)
    highlights = highlights or [None] * len(arrays)
    for ax, a, t, h in zip(axes, arrays, titles, highlights):
        draw_matrix(a, ax=ax, title=t, highlight=h)
    for k, s in enumerate(signs or []):
        box_l, box_r = axes[k].get_position(), axes[k + 1].get_position()
        fig.text((box_l.x1 + box_r.x0) / 2, (box_l.y0 + box_l.y1) / 2, s,
                 ha="center", va="center", fontsize=16)
    if suptitle:
        fig.suptitle(suptitle, fontsize=11, y=1.02)
    return fig


def matrices_figure(mats, titles, annotate=False, figsize=(10, 3.5), cmap="viridis",
                    blocks=None, xlabels=None, ylabels=None, aspect="equal", width_ratios=None):
    """One panel per matrix, side by side, each cell drawn (and written in when annotate).

    With the diverging cmap "coolwarm" each panel's colours are centred on 0 (0 is grey).
    blocks: one (bh, bw) per matrix (or None): white lines between its blocks, and ticks
    at the block edges.  xlabels, ylabels: one axis label per matrix (or None).
    aspect: "equal" (square cells) or "auto" (the panel's shape).  width_ratios: the
    panels' widths."""
    n = len(mats)
    fig, axes = plt.subplots(1, n, figsize=figsize, squeeze=False,
                             gridspec_kw=None if width_ratios is None else
                             {"width_ratios": width_ratios})
    for k, (ax, M, t) in enumerate(zip(axes[0], mats, titles)):
        lim = max(np.abs(np.asarray(M, dtype=float)).max(), 1e-12) if cmap == "coolwarm" else None
        draw_heatmap(ax, M, f"{t}  {np.shape(M)[0]}×{np.shape(M)[1]}", annotate, cmap,
                     vmin=-lim if lim else None, vmax=lim, aspect=aspect)
        block = None if blocks is None else blocks[k]
        if block is not None:
            block_grid(ax, np.shape(M), block)
            ax.set_yticks(np.arange(0, np.shape(M)[0] + 1, block[0]) - 0.5,
                          labels=np.arange(0, np.shape(M)[0] + 1, block[0]))
            ax.set_xticks(np.arange(0, np.shape(M)[1] + 1, block[1]) - 0.5,
                          labels=np.arange(0, np.shape(M)[1] + 1, block[1]))
            ax.tick_params(labelsize=7, length=2)
        if xlabels is not None and xlabels[k]:
            ax.set_xlabel(xlabels[k], fontsize=9)
        if ylabels is not None and ylabels[k]:
            ax.set_ylabel(ylabels[k], fontsize=9)
    fig.tight_layout()
    return fig
