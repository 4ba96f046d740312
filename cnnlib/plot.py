"""plot: the matplotlib figures of chapters 00-05, and drawing primitives others may reuse.

Primitives
    draw_matrix(a, ...)       a small matrix as a grid with its numbers, some cells highlighted
    draw_row(arrays, ...)     several matrices side by side, with titles and signs between them
Figures of the chapters
    draw_vec_order, draw_vec_orders, draw_chain, draw_loss_curve,
    draw_difference_errors, draw_phi_map
The explorers' redraws (slider values in, data or figure out; the widgets call these)
    vec_step / draw_vec_step            element <-> position in vec, column- or row-major
    conv_step / draw_conv_step          the window at output position p, stride, padding
    im2col_step / draw_im2col_step      row p of phi(x) and the patch it copies

Every ``draw_*`` function returns the matplotlib Figure it drew, with a fixed size.
The explorers' one-line summaries (the ``text`` of ``*_step``) are printed beside the
figure by the caller, not drawn into it.
Indices are zero-based and output positions follow the note's column-major order
p = i' + H' j' (Eq. 16).  This module only draws: the numbers come from cnnlib.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

from .im2col import conv_output_shape, im2col
from .tensor import pair

__all__ = ["draw_matrix", "draw_row", "format_value",
           "draw_vec_order", "draw_vec_orders", "draw_chain", "draw_loss_curve",
           "draw_difference_errors", "draw_phi_map",
           "vec_step", "draw_vec_step",
           "conv_step", "draw_conv_step",
           "im2col_step", "draw_im2col_step"]

HIGHLIGHT = "#f4a259"      # the cells a step is about (window, element, row of phi)
TARGET = "#5b8e7d"         # the cell it fills (output entry, position in vec)
PADDING = "#e6e6e6"        # zero padding


# ------------------------------------------------------------------ primitives
def format_value(v):
    """A matrix entry as short text: integers without a decimal point, others with 2 decimals."""
    v = float(v)
    if not np.isfinite(v):
        return ""
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


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


def draw_matrix(a, ax=None, title=None, highlight=None, color=HIGHLIGHT, shade=None,
                shade_color=PADDING, cmap=None, text=None, fontsize=None,
                row_labels=None, col_labels=None, figsize=(3, 3)):
    """Draw the 2-D array ``a`` as a grid of cells with its numbers written in them.

    a: (m, n) array.  ax: an Axes to draw into (a new figure of ``figsize`` if None).
    highlight: boolean mask (m, n) or iterable of (i, j): cells filled with ``color``
    and outlined.  shade: cells filled with ``shade_color`` (e.g. zero padding).
    cmap: colour every cell by its value instead of white (a colormap name).
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
    hl, sh = _cells(highlight, a.shape), _cells(shade, a.shape)
    if cmap is not None and np.isfinite(a).any():
        lo, hi = np.nanmin(a), np.nanmax(a)
        rgba = plt.get_cmap(cmap)(plt.Normalize(lo, hi if hi > lo else lo + 1)(a))
        rgba[~np.isfinite(a)] = plt.matplotlib.colors.to_rgba(PADDING)
    else:
        rgba = np.ones((m, n, 4))
    rgba[sh] = plt.matplotlib.colors.to_rgba(shade_color)
    rgba[hl] = plt.matplotlib.colors.to_rgba(color)
    ax.imshow(rgba, interpolation="nearest", aspect="equal")
    if fontsize is None:
        integers = np.all(np.isnan(a) | (a == np.round(a)))
        fontsize = max(5, min(12 if integers else 9, 150 / max(m, n, 1)))
    for i in range(m):
        for j in range(n):
            s = format_value(a[i, j]) if text is None else text[i][j]
            ax.text(j, i, s, ha="center", va="center", fontsize=fontsize,
                    color="#999999" if sh[i, j] and not hl[i, j] else "black")
    ax.set_xticks(np.arange(n) - 0.5, minor=True)
    ax.set_yticks(np.arange(m) - 0.5, minor=True)
    ax.grid(which="minor", color="#555555", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    tick_fs = max(5, min(9, fontsize))
    ax.set_xticks(np.arange(n))
    ax.set_yticks(np.arange(m))
    ax.set_xticklabels(col_labels if col_labels is not None else np.arange(n), fontsize=tick_fs)
    ax.set_yticklabels(row_labels if row_labels is not None else np.arange(m), fontsize=tick_fs)
    ax.tick_params(which="major", length=0)
    ax.xaxis.tick_top()
    for i, j in zip(*np.nonzero(hl)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black", lw=1.8))
    if title:
        ax.set_title(title, fontsize=10, pad=16 if n > 0 else 6)
    return ax.figure


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


# ------------------------------------------------------------------ vec (chapter 01)
def vec_step(a, position, order="F"):
    """Where entry ``position`` of vec(a) comes from, for column-major or row-major vec.

    a: (m, n) array.  position: index k into the vectorized a, 0 <= k < a.size.
    order: "F" (column-major, the note's vec, Eq. 1) or "C" (row-major, numpy's default).
    Returns a dict: ``cell`` (i, j) of a, ``value``, ``other_position`` (where the same
    entry lands under the other order), ``vec_F``, ``vec_C`` and a one-line ``text``.
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"vec_step: a must be 2-D, got shape {a.shape}")
    if order not in ("F", "C"):
        raise ValueError(f"vec_step: order must be 'F' or 'C', got {order!r}")
    if not 0 <= position < a.size:
        raise ValueError(f"vec_step: position {position} outside 0..{a.size - 1} "
                         f"(a shape {a.shape})")
    m, n = a.shape
    i, j = np.unravel_index(position, (m, n), order=order)
    i, j = int(i), int(j)
    other = "C" if order == "F" else "F"
    other_position = int(np.ravel_multi_index((i, j), (m, n), order=other))
    name = {"F": "column-major", "C": "row-major"}
    formula = f"{i} + {m}*{j}" if order == "F" else f"{i}*{n} + {j}"
    text = (f"{name[order]}: vec(a)[{position}] = a[{i}, {j}] = {format_value(a[i, j])}"
            f"  (k = {formula});  {name[other]} puts a[{i}, {j}] at {other_position}")
    return {"cell": (i, j), "value": a[i, j], "other_position": other_position,
            "vec_F": a.reshape(-1, order="F"), "vec_C": a.reshape(-1, order="C"),
            "text": text}


def _order_path(ax, shape, order):
    """Arrows through the cells of ``shape`` in vec order, in the cells' lower-left corners."""
    m, n = shape
    k = np.arange(m * n)
    ii, jj = np.unravel_index(k, shape, order=order)
    px, py = jj - 0.3, ii + 0.28
    for t in range(m * n - 1):
        ax.add_patch(FancyArrowPatch((px[t], py[t]), (px[t + 1], py[t + 1]),
                                     arrowstyle="-|>", mutation_scale=8, color="#3a6ea5",
                                     alpha=0.6, shrinkA=2, shrinkB=2, zorder=3))


def draw_vec_order(a, order="F", ax=None, title=None, figsize=(3.2, 3)):
    """The matrix ``a`` with each cell labelled by its position k in vec and the path of vec.

    order: "F" (column-major) or "C" (row-major).  Returns the Figure.
    """
    a = np.asarray(a)
    k = np.arange(a.size).reshape(a.shape, order=order)
    name = {"F": "column-major (the note's vec)", "C": "row-major (numpy's default)"}[order]
    fig = draw_matrix(a, ax=ax, fontsize=11, title=title or name, figsize=figsize)
    ax = fig.axes[0] if ax is None else ax
    for (i, j), kk in np.ndenumerate(k):
        ax.text(j + 0.42, i - 0.38, f"k={kk}", ha="right", va="top", fontsize=7.5,
                color="#3a6ea5")
    _order_path(ax, a.shape, order)
    return fig


def draw_vec_orders(a, figsize=(8, 3.2)):
    """Column-major and row-major order side by side: each cell labelled k, its place in vec.

    a: (m, n) array.  Returns the Figure.
    """
    fig, axes = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"wspace": 0.3})
    draw_vec_order(a, "F", ax=axes[0])
    draw_vec_order(a, "C", ax=axes[1])
    return fig


def draw_vec_step(a, position, order="F", figsize=(9, 3)):
    """The vec explorer's picture: a with the visiting order, and both vectorizations.

    The entry at ``position`` of the ``order`` vectorization is highlighted in a and in
    both vectors, so one sees it land elsewhere under the other order.  Returns the Figure.
    """
    step = vec_step(a, position, order)
    a = np.asarray(a)
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, 2, width_ratios=[1.3, 2.4], height_ratios=[1, 1],
                            wspace=0.25, hspace=0.9)
    ax_a = fig.add_subplot(grid[:, 0])
    draw_vec_order(a, order, ax=ax_a, title=f"a, visited {'column' if order == 'F' else 'row'} "
                                              "by " + ('column' if order == 'F' else 'row'))
    i, j = step["cell"]
    ax_a.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, color=HIGHLIGHT, alpha=0.6, zorder=1))
    ax_a.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black",
                             lw=1.8, zorder=4))
    pos = {"F": position if order == "F" else step["other_position"],
           "C": position if order == "C" else step["other_position"]}
    for row, o, label in ((0, "F", "vec(a), column-major: Matlab's a(:), numpy order='F'"),
                          (1, "C", "row-major: numpy's a.reshape(-1), NOT the note's vec")):
        ax = fig.add_subplot(grid[row, 1])
        v = step[f"vec_{o}"]
        draw_matrix(v, ax=ax, highlight=[(0, pos[o])],
                    color=HIGHLIGHT if o == order else TARGET, fontsize=10)
        ax.set_yticks([])
        ax.set_title(label, fontsize=10, pad=18)
    return fig


# ------------------------------------------------------------------ chapters 02-03
def draw_difference_errors(eps, forward_error, central_error, figsize=(6.5, 4)):
    """Error of forward and central differences against the step eps, log-log.

    eps, forward_error, central_error: 1-D arrays of the same length.  Returns the Figure.
    """
    fig, ax = plt.subplots(figsize=figsize)
    ax.loglog(eps, forward_error, "o-", label="forward: (z(x+ε) − z(x)) / ε")
    ax.loglog(eps, central_error, "s-", label="central: (z(x+ε) − z(x−ε)) / 2ε")
    ax.set_xlabel("step ε")
    ax.set_ylabel("|numerical − exact|")
    ax.set_title("Finite differences: error against the step")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    fig.subplots_adjust(bottom=0.3)
    return fig


def draw_chain(names, shapes, params=None, figsize=(10, 2.4), title=None):
    """The chain of Eq. (5): x^1 -> [w^1] -> x^2 -> ... -> z, boxes and arrows with shapes.

    names: one name per layer box (e.g. "conv", "ReLU").  shapes: the shapes of
    x^1 ... x^L and of z, len(names) + 1 entries.  params: per layer, a short
    description of w^l ('' or None when the layer has none).  Returns the Figure.
    """
    if len(shapes) != len(names) + 1:
        raise ValueError(f"draw_chain: {len(names)} layers need {len(names) + 1} shapes, "
                         f"got {len(shapes)}")
    params = params or [None] * len(names)
    fig, ax = plt.subplots(figsize=figsize)
    n = len(names)
    xs = np.arange(2 * n + 1)
    for k in range(2 * n + 1):
        if k % 2 == 0:                        # a tensor x^l (or z at the end)
            l = k // 2
            label = "z" if l == n else f"$x^{{{l + 1}}}$"
            ax.text(xs[k], 0.25, label, ha="center", va="center", fontsize=13)
            ax.text(xs[k], -0.35, str(tuple(shapes[l])) if l < n else "scalar",
                    ha="center", va="center", fontsize=8, color="#444444")
        else:                                 # a layer box
            l = k // 2
            ax.add_patch(Rectangle((xs[k] - 0.38, -0.05), 0.76, 0.6, facecolor="#dbe8f5",
                                   edgecolor="#3a6ea5", lw=1.2))
            ax.text(xs[k], 0.25, names[l], ha="center", va="center", fontsize=9)
            w = params[l] or "no $w$"
            ax.text(xs[k], -0.35, w, ha="center", va="center", fontsize=8,
                    color="#3a6ea5" if params[l] else "#999999")
        if k < 2 * n:
            start = xs[k] + (0.22 if k % 2 == 0 else 0.38)
            stop = xs[k + 1] - (0.38 if k % 2 == 0 else 0.22)
            ax.add_patch(FancyArrowPatch((start, 0.25), (stop, 0.25), arrowstyle="-|>",
                                         mutation_scale=12, color="#333333"))
    ax.set_xlim(-0.6, 2 * n + 0.6)
    ax.set_ylim(-0.7, 0.8)
    ax.axis("off")
    ax.set_title(title or "The chain of layers, Eq. (5)", fontsize=11)
    return fig


def draw_loss_curve(losses, figsize=(5, 3.2), title="SGD on the toy problem", log=True):
    """The loss z after each SGD step (Eq. 8-9).  losses: 1-D sequence.  Returns the Figure."""
    losses = np.asarray(losses, dtype=float)
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot(np.arange(losses.size), losses, "-", color="#3a6ea5", lw=1.8)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("SGD step t")
    ax.set_ylabel("loss z")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------ convolution (chapter 04)
def conv_step(x, f, stride=1, pad=0, position=0):
    """What the convolution does at output position p, for a 2-D x and one 2-D filter f.

    x: (H, W).  f: (kh, kw).  stride, pad: ints.  position: p = i' + H' j' (Eq. 16),
    clipped to the last output position when too large (the sliders may overshoot).
    Returns a dict: ``x_padded``, ``window`` (boolean mask over x_padded), ``out`` (i', j'),
    ``y`` (the whole output), ``value`` (y[i', j']), ``n_positions`` (H' W'),
    ``pad_mask`` (padding cells of x_padded) and a one-line ``text``.
    """
    x, f = np.asarray(x, dtype=float), np.asarray(f, dtype=float)
    if x.ndim != 2 or f.ndim != 2:
        raise ValueError(f"conv_step: x and f must be 2-D, got shapes {x.shape}, {f.shape}")
    (kh, kw), (s, _), (pd, _) = f.shape, pair(stride, "stride"), pair(pad, "pad", 0)
    h_out, w_out = conv_output_shape(x.shape, (kh, kw), s, pd)
    position = int(min(max(position, 0), h_out * w_out - 1))
    i_, j_ = position % h_out, position // h_out                      # Eq. (16)
    xp = np.pad(x, pd)
    pad_mask = np.ones(xp.shape, dtype=bool)
    pad_mask[pd:pd + x.shape[0], pd:pd + x.shape[1]] = False
    window = np.zeros(xp.shape, dtype=bool)
    window[s * i_:s * i_ + kh, s * j_:s * j_ + kw] = True
    patch = xp[s * i_:s * i_ + kh, s * j_:s * j_ + kw]
    value = float(np.sum(patch * f))
    y = (im2col(x, (kh, kw), s, pd) @ f.reshape(-1, order="F")).reshape(h_out, w_out,
                                                                         order="F")
    text = (f"p = {position}: y[{i_}, {j_}] = {format_value(value)} = sum of window * kernel, "
            f"window rows {s * i_}..{s * i_ + kh - 1}, cols {s * j_}..{s * j_ + kw - 1} "
            f"of the padded x; y is {h_out}x{w_out}")
    return {"x_padded": xp, "pad_mask": pad_mask, "window": window, "out": (i_, j_),
            "y": y, "value": value, "n_positions": h_out * w_out, "text": text}


def draw_conv_step(x, f, stride=1, pad=0, position=0, figsize=(10, 3.2)):
    """The convolution explorer's picture: padded x with the window, the kernel, the output.

    Arguments as :func:`conv_step`.  The window's cells are highlighted in x (padding in
    grey) and the output cell it fills in y.  Returns the Figure.
    """
    step = conv_step(x, f, stride, pad, position)
    f = np.asarray(f, dtype=float)
    xp, y = step["x_padded"], step["y"]
    fig, axes = plt.subplots(1, 3, figsize=figsize,
                             gridspec_kw={"width_ratios": [xp.shape[1], max(f.shape[1], 2),
                                                           max(y.shape[1], 2)], "wspace": 0.35})
    pd = pair(pad, "pad", 0)[0]
    x_idx = np.arange(xp.shape[0]) - pd, np.arange(xp.shape[1]) - pd
    draw_matrix(xp, ax=axes[0], highlight=step["window"], shade=step["pad_mask"],
                title=f"x (pad {pd}, stride {pair(stride, 'stride')[0]})",
                row_labels=x_idx[0], col_labels=x_idx[1])
    draw_matrix(f, ax=axes[1], title="kernel f", cmap=None)
    i_, j_ = step["out"]
    draw_matrix(y, ax=axes[2], highlight=[(i_, j_)], color=TARGET,
                title=f"y = x ⋆ f, cell ({i_}, {j_})")
    return fig


# ------------------------------------------------------------------ im2col (chapter 05)
def im2col_step(x, kernel, position=0, stride=1, pad=0):
    """Row p of phi(x) and the patch of x it copies, for a 2-D x (Eq. 14-19).

    x: (H, W).  kernel: kh or (kh, kw).  position: p = i' + H' j' (Eq. 16), clipped.
    Returns a dict: ``phi``, ``row`` (phi[p]), ``out`` (i', j'), ``patch_cells``
    (the (i^l, j^l) of x that column q = 0, 1, ... copies, Eq. 17-19; None for padding),
    ``mask`` (boolean mask of those cells in x), ``n_positions`` and a one-line ``text``.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"im2col_step: x must be 2-D, got shape {x.shape}")
    (kh, kw), (s, _), (pd, _) = pair(kernel, "kernel"), pair(stride, "stride"), pair(pad, "pad", 0)
    phi = im2col(x, (kh, kw), s, pd)
    h_out, w_out = conv_output_shape(x.shape, (kh, kw), s, pd)
    p = int(min(max(position, 0), h_out * w_out - 1))
    i_, j_ = p % h_out, p // h_out                                    # Eq. (16)
    cells, mask = [], np.zeros(x.shape, dtype=bool)
    for q in range(kh * kw):
        i, j = q % kh, q // kh                                        # Eq. (17), one channel
        il, jl = s * i_ + i - pd, s * j_ + j - pd                     # Eq. (18)-(19)
        inside = 0 <= il < x.shape[0] and 0 <= jl < x.shape[1]
        cells.append((il, jl) if inside else None)
        if inside:
            mask[il, jl] = True
    row = phi[p]
    text = (f"p = {p} -> (i', j') = ({i_}, {j_}); phi[{p}] = "
            f"[{', '.join(format_value(v) for v in row)}], "
            f"the {kh}x{kw} patch read column by column")
    return {"phi": phi, "row": row, "out": (i_, j_), "patch_cells": cells, "mask": mask,
            "n_positions": h_out * w_out, "text": text}


def draw_im2col_step(x, kernel, position=0, stride=1, pad=0, figsize=(9, 3.8)):
    """The im2col explorer's picture: x with the patch of position p, and phi with row p.

    Each cell of the patch is labelled with the column q of phi it goes to.
    Returns the Figure.
    """
    step = im2col_step(x, kernel, position, stride, pad)
    x = np.asarray(x, dtype=float)
    phi = step["phi"]
    fig, axes = plt.subplots(1, 2, figsize=figsize,
                             gridspec_kw={"width_ratios": [x.shape[1] + 1, phi.shape[1]],
                                          "wspace": 0.3})
    labels = [[format_value(v) for v in r] for r in x]
    for q, c in enumerate(step["patch_cells"]):
        if c is not None:
            labels[c[0]][c[1]] = f"{format_value(x[c])}\nq={q}"
    draw_matrix(x, ax=axes[0], highlight=step["mask"], text=labels, fontsize=9,
                title=f"x: patch of (i', j') = {step['out']}")
    p = min(max(int(position), 0), step["n_positions"] - 1)
    h_out = conv_output_shape(x.shape, kernel, stride, pad)[0]
    row_labels = [f"{r}: ({r % h_out},{r // h_out})" for r in range(phi.shape[0])]
    hl = np.zeros(phi.shape, dtype=bool)
    hl[p] = True
    draw_matrix(phi, ax=axes[1], highlight=hl, row_labels=row_labels,
                title=f"φ(x): row p = {p}", fontsize=9)
    axes[1].set_ylabel("p: (i', j')", fontsize=9)
    axes[1].set_xlabel("column q", fontsize=9)
    return fig


def draw_phi_map(x_shape, kernel, stride=1, pad=0, figsize=(9, 4.5)):
    """Where every entry of phi comes from: phi of the positions u = vec index of x.

    x_shape: (H, W) or (H, W, D).  Each cell of phi shows u, the column-major index of
    the entry of x it copies (Eq. 16-19), coloured by u; padding shows '·'.
    Left: x with u written in each cell.  Returns the Figure.
    """
    x_shape = tuple(x_shape)
    size = int(np.prod(x_shape))
    u = np.arange(1, size + 1, dtype=float).reshape(x_shape, order="F")
    phi_u = im2col(u, kernel, stride, pad) - 1                        # -1 marks padding
    kh, kw = pair(kernel, "kernel")
    h_out, _ = conv_output_shape(x_shape, (kh, kw), stride, pad)
    d = x_shape[2] if len(x_shape) == 3 else 1
    fig, axes = plt.subplots(1, 2, figsize=figsize,
                             gridspec_kw={"width_ratios": [x_shape[1] * d + d - 1 + 2,
                                                           phi_u.shape[1]], "wspace": 0.3})
    x_view = (u - 1).reshape(x_shape[0], -1, order="F") if d > 1 else u - 1
    draw_matrix(x_view, ax=axes[0], cmap="viridis",
                title="x: u = vec index" + (" (slices side by side)" if d > 1 else ""),
                text=[[f"{int(v)}" for v in r] for r in x_view],
                col_labels=list(range(x_shape[1])) * d)
    _recolor_text(axes[0])
    for k in range(1, d):
        axes[0].axvline(k * x_shape[1] - 0.5, color="white", lw=4)
    text = [["·" if v < 0 else str(int(v)) for v in r] for r in phi_u]
    q_labels = [f"{q % kh},{(q % (kh * kw)) // kh}" + (f",{q // (kh * kw)}" if d > 1 else "")
                for q in range(phi_u.shape[1])]
    p_labels = [f"{p} ({p % h_out},{p // h_out})" for p in range(phi_u.shape[0])]
    draw_matrix(np.where(phi_u < 0, np.nan, phi_u), ax=axes[1], cmap="viridis", text=text,
                row_labels=p_labels, col_labels=q_labels,
                title="φ(x): entry = u of the x entry it copies")
    _recolor_text(axes[1])
    plt.setp(axes[1].get_xticklabels(), rotation=90)
    axes[1].set_xlabel("column q  (i, j" + (", d)" if d > 1 else ")"), fontsize=9)
    axes[1].set_ylabel("row p  (i', j')", fontsize=9)
    return fig


def _recolor_text(ax):
    """White numbers on the dark half of viridis, so they stay readable."""
    image = ax.get_images()[0].get_array()
    for t in ax.texts:
        j, i = t.get_position()
        r, g, b = image[int(round(i)), int(round(j))][:3]
        if 0.299 * r + 0.587 * g + 0.114 * b < 0.5:
            t.set_color("white")
