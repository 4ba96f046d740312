"""im2col (chapter 05): row p of phi(x) and the patch of x it copies, Eq. (14)-(19).

    im2col_step(x, kernel, position, stride, pad)   one frame: phi, row p, the patch, text
    draw_im2col(step)                               x with the patch, phi with row p
    draw_phi_map(x_shape, kernel)                   every entry of phi named by its source
    im2col_explorer(x)                              sliders p and stride; one step per move
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..im2col import conv_output_shape, im2col
from ..indicator import phi_index
from .._checks import positive_int
from .._window import pair, window_args
from .conv import EXAMPLE_INPUTS
from .draw import clear_marks, draw_matrix, format_value, step_of
from .explore import Frame, slider
from .relayout import width_ratios

__all__ = ["im2col_step", "draw_im2col", "draw_phi_map", "im2col_explorer"]


def im2col_step(x, kernel, position=0, stride=1, pad=0):
    """Row p of phi(x) and the patch of x it copies, for a 2-D x (Eq. 14-19).

    x: (H, W).  kernel: kh or (kh, kw).  position: an int p = i' + H' j' >= 0 (Eq. 16),
    clipped to the last row H' W' - 1 when larger.  stride, pad: int or (h, w) pair.
    Returns a dict: ``family`` ("im2col"), ``x``, ``phi``, ``position`` (p after
    clipping), ``h_out`` (H'), ``row`` (phi[p]), ``out`` (i', j'), ``patch_cells`` (the
    (i^l, j^l) of x that column q = 0, 1, ... copies, Eq. 17-19, from
    :func:`cnnlib.phi_index`; None for padding), ``mask`` (boolean mask of those cells
    in x), ``n_positions`` and a one-line ``text``.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"im2col_step: x must be 2-D, got shape {x.shape}")
    (kh, kw), (sh, sw), (ph, pw) = window_args(kernel, stride, pad)
    phi = im2col(x, (kh, kw), (sh, sw), (ph, pw))
    h_out, w_out = conv_output_shape(x.shape, (kh, kw), (sh, sw), (ph, pw))
    p = min(positive_int(position, "position", 0), h_out * w_out - 1)
    i_, j_ = p % h_out, p // h_out                                    # Eq. (16)
    u = phi_index(x.shape, (kh, kw), (sh, sw), (ph, pw))[p]           # Eq. (17)-(19)
    il, jl = np.unravel_index(np.maximum(u, 0), x.shape, order="F")
    cells = [None if v < 0 else (int(i), int(j)) for v, i, j in zip(u, il, jl)]
    mask = np.zeros(x.shape, dtype=bool)
    mask[il[u >= 0], jl[u >= 0]] = True
    row = phi[p]
    text = (f"p = {p} -> (i', j') = ({i_}, {j_}); phi[{p}] = "
            f"[{', '.join(format_value(v) for v in row)}], "
            f"the {kh}x{kw} patch read column by column")
    return {"family": "im2col", "x": x, "phi": phi, "position": p, "h_out": h_out, "row": row,
            "out": (i_, j_), "patch_cells": cells, "mask": mask, "n_positions": h_out * w_out,
            "text": text}


def draw_im2col(step, figsize=(9, 3.8), fig=None):
    """The im2col explorer's picture: x with the patch of position p, and phi with row p.

    step: what :func:`im2col_step` returns.  Each cell of the patch is labelled with the
    column q of phi it goes to.  fig: this figure drawn for another step, redrawn in place
    (other shapes: reshaped, see :mod:`~cnnlib.views.relayout`).  Returns the Figure.
    """
    step = step_of(step, "im2col")
    x, phi, p, h_out = step["x"], step["phi"], step["position"], step["h_out"]
    new = fig is None
    ratios = [x.shape[1] + 1, phi.shape[1]]
    if new:
        fig, axes = plt.subplots(1, 2, figsize=figsize,
                                 gridspec_kw={"width_ratios": ratios, "wspace": 0.3})
    else:
        clear_marks(fig)
        width_ratios(fig, ratios)
        axes = fig.axes
    labels = [[format_value(v) for v in r] for r in x]
    for q, c in enumerate(step["patch_cells"]):
        if c is not None:
            labels[c[0]][c[1]] = f"{format_value(x[c])}\nq={q}"
    draw_matrix(x, ax=axes[0], highlight=step["mask"], text=labels, fontsize=9,
                title=f"x: patch of (i', j') = {step['out']}")
    row_labels = [f"{r}: ({r % h_out},{r // h_out})" for r in range(phi.shape[0])]
    hl = np.zeros(phi.shape, dtype=bool)
    hl[p] = True
    draw_matrix(phi, ax=axes[1], highlight=hl, row_labels=row_labels,
                title=f"φ(x): row p = {p}", fontsize=9)
    if new:
        axes[1].set_ylabel("p: (i', j')", fontsize=9)
        axes[1].set_xlabel("column q", fontsize=9)
    return fig


def draw_phi_map(x_shape, kernel, stride=1, pad=0, figsize=(9, 4.5)):
    """Where every entry of phi comes from: phi of the positions u = vec index of x.

    x_shape: (H, W) or (H, W, D).  Each cell of phi shows u, the column-major index of
    the entry of x it copies (:func:`cnnlib.phi_index`, Eq. 16-19), coloured by u;
    padding (u = -1) shows '·'.  Left: x with u written in each cell.  Returns the Figure.
    """
    x_shape = tuple(x_shape)
    if len(x_shape) not in (2, 3):
        raise ValueError(f"draw_phi_map: x_shape must be (H, W) or (H, W, D), got {x_shape}")
    phi_u = phi_index(x_shape, kernel, stride, pad)                   # -1 marks padding
    u = np.arange(int(np.prod(x_shape))).reshape(x_shape, order="F")   # x's vec positions
    kh, kw = pair(kernel, "kernel")
    h_out, _ = conv_output_shape(x_shape, (kh, kw), stride, pad)
    d = x_shape[2] if len(x_shape) == 3 else 1
    fig, axes = plt.subplots(1, 2, figsize=figsize,
                             gridspec_kw={"width_ratios": [x_shape[1] * d + d - 1 + 2,
                                                           phi_u.shape[1]], "wspace": 0.3})
    x_view = u.reshape(x_shape[0], -1, order="F") if d > 1 else u
    draw_matrix(x_view, ax=axes[0], cmap="viridis",
                title="x: u = vec index" + (" (slices side by side)" if d > 1 else ""),
                text=[[f"{int(v)}" for v in r] for r in x_view],
                col_labels=list(range(x_shape[1])) * d)
    for k in range(1, d):
        axes[0].axvline(k * x_shape[1] - 0.5, color="white", lw=4)
    for k in range(d if d > 1 else 0):                        # name each slice below it
        axes[0].text((k + 0.5) * x_shape[1] - 0.5, x_shape[0] - 0.35, f"slice d = {k}",
                     ha="center", va="top", fontsize=9)
    axes[0].set_ylabel("row i", fontsize=9)
    axes[0].set_title(axes[0].get_title() + "\ncolumn j", fontsize=10, pad=16)
    text = [["·" if v < 0 else str(int(v)) for v in r] for r in phi_u]
    q_labels = [f"{q} ({q % kh},{(q % (kh * kw)) // kh}" + (f",{q // (kh * kw)})" if d > 1
                                                            else ")")
                for q in range(phi_u.shape[1])]
    p_labels = [f"{p} ({p % h_out},{p // h_out})" for p in range(phi_u.shape[0])]
    draw_matrix(np.where(phi_u < 0, np.nan, phi_u), ax=axes[1], cmap="viridis", text=text,
                row_labels=p_labels, col_labels=q_labels,
                title="φ(x): entry = u of the x entry it copies")
    plt.setp(axes[1].get_xticklabels(), rotation=90)
    axes[1].set_xlabel("column q  (i, j" + (", d)" if d > 1 else ")"), fontsize=9)
    axes[1].set_ylabel("row p  (i', j')", fontsize=9)
    return fig


def im2col_explorer(x=None, kernel=2, position=0, stride=1):
    """Pick an output position p: its row of phi(x) and the patch of x it copies.

    x: a 2-D input (default: the note's A of Eq. 13).  kernel: kh or (kh, kw).
    Sliders: p (Eq. 16) and the stride (1-2); position, stride give their starting values.
    Returns the widget box.
    """
    x = EXAMPLE_INPUTS["A, 3x4 (note, Eq. 13)"] if x is None else np.asarray(x)
    position = slider("output position p", position, 0, max(position, 5))
    stride = slider("stride", stride, 1, 2)

    def update_range(_=None):
        h_out, w_out = conv_output_shape(x.shape, kernel, stride.value, 0)
        position.max = h_out * w_out - 1

    stride.observe(update_range, names="value")
    update_range()
    frame = Frame(reuse=True, keep=1)

    def redraw(position, stride):
        step = im2col_step(x, kernel, position, stride)
        frame.show(stride, draw_im2col, step)

    out = widgets.interactive_output(redraw, {"position": position, "stride": stride})
    return widgets.VBox([position, stride, out])
