"""backward (chapters 06-07): the Kronecker product, and where one output gradient goes.

    kron_figure(A, B)                           A, B and A ⊗ B with its blocks (Eq. 21)
    backward_step(x, f, i_out, j_out, d_out)    dz/dy = e_(i',j',d) pushed through Eq. (33),
                                                (44): the numbers and the text of one frame
    draw_backward(step)                         dz/dy, its share of dz/dx and of dz/dF
    backward_explorer()                         sliders i', j', d; one step per move

Shapes follow the note: x (Hl, Wl, Dl), f (kh, kw, Dl, D), y (H', W', D).
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..conv import conv2d_backward
from ..im2col import conv_output_shape
from .._checks import positive_int
from .._window import window_args
from .draw import clear_marks, draw_heatmap, mark, outline, side, step_of, text_color
from .explore import Frame, slider

__all__ = ["kron_figure", "backward_step", "draw_backward", "backward_explorer"]

FONT = 10                  # points: the figure is about 8.6 in wide, legible at 700 px


def kron_figure(A, B, figsize=(8.4, 3.2)):
    """A, B and A ⊗ B (Eq. 21): the blocks a_ij B outlined, block (0, 0) and a_00 in red.
    Its text stays legible with the figure shown 700 pixels wide."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    K = np.kron(A, B)
    (m, n), (p, q) = A.shape, B.shape
    fig, axes = plt.subplots(1, 3, figsize=figsize,
                             gridspec_kw={"width_ratios": [n, q, n * q]})
    draw_heatmap(axes[0], A, f"A  {m}×{n}", annotate=True, cmap="coolwarm")
    draw_heatmap(axes[1], B, f"B  {p}×{q}", annotate=True, cmap="coolwarm")
    draw_heatmap(axes[2], K, f"A ⊗ B  {m * p}×{n * q}: block (i, j) is a_ij·B", annotate=True,
                 cmap="coolwarm")
    for i in range(m):
        for j in range(n):
            outline(axes[2], i * p, j * q, p, q, color="black", lw=1.5)
    outline(axes[0], 0, 0, 1, 1)
    outline(axes[2], 0, 0, p, q, lw=2.5)
    for ax in axes:
        ax.title.set_fontsize(FONT)
        for t in ax.texts:
            t.set_fontsize(FONT)
    fig.tight_layout()
    return fig


def backward_step(x, f, i_out, j_out, d_out, stride=1, pad=0):
    """What the single output gradient dz/dy[i', j', d] = 1 reaches, Eq. (33), (44).

    x: (Hl, Wl, Dl), or (Hl, Wl) for Dl = 1; f: (kh, kw, Dl, D); stride, pad: int or
    (h, w) pair, as for conv2d.  i_out, j_out, d_out: ints, an entry of y (H', W', D)
    (else a ValueError naming y's shape).
    Returns a dict: ``family`` ("backward"), ``e`` (that dz/dy, (H', W', D)), ``dzdx``,
    ``dzdf``, ``out`` (i', j', d), ``window`` (first row and column of its window in x,
    and (kh, kw)), ``stride``, ``pad`` (pairs), ``scale`` (max |f|, max |x|: the colour
    scales of dz/dx and dz/dF, the same for every entry, so colours compare between steps)
    and a one-line ``text``.
    """
    x, f = np.asarray(x, dtype=float), np.asarray(f, dtype=float)
    if x.ndim == 2:
        x = x[:, :, None]
    if x.ndim != 3 or f.ndim != 4:
        raise ValueError(f"backward_step: x must be (Hl, Wl, Dl) and f (kh, kw, Dl, D), got "
                         f"shapes {x.shape}, {f.shape}")
    kh, kw, _, d_all = f.shape
    _, (sh, sw), (ph, pw) = window_args((kh, kw), stride, pad)
    e = np.zeros(conv_output_shape(x.shape, (kh, kw), (sh, sw), (ph, pw)) + (d_all,))
    out = tuple(positive_int(v, name, 0) for v, name in
                ((i_out, "i_out"), (j_out, "j_out"), (d_out, "d_out")))
    if any(v >= n for v, n in zip(out, e.shape)):
        raise ValueError(f"backward_step: (i_out, j_out, d_out) = {out} is outside y, "
                         f"of shape {e.shape}")
    i_out, j_out, d_out = out
    e[i_out, j_out, d_out] = 1.0
    dzdx, dzdf, _ = conv2d_backward(x, f, e, (sh, sw), (ph, pw))
    r0, c0 = sh * i_out - ph, sw * j_out - pw                         # Eq. (18)-(19)
    rows = f"{max(r0, 0)}..{min(r0 + kh, x.shape[0]) - 1}"
    cols = f"{max(c0, 0)}..{min(c0 + kw, x.shape[1]) - 1}"
    text = (f"dz/dy[{i_out},{j_out},{d_out}] = 1 reaches dz/dx at rows {rows}, "
            f"cols {cols} ({np.count_nonzero(dzdx)} entries, sum "
            f"{dzdx.sum():.3f}) and dz/dF of filter {d_out} only ({np.count_nonzero(dzdf)} "
            f"entries, sum {dzdf.sum():.3f})")
    return {"family": "backward", "e": e, "dzdx": dzdx, "dzdf": dzdf, "out": (i_out, j_out, d_out),
            "window": (r0, c0, kh, kw), "stride": (sh, sw), "pad": (ph, pw), "text": text,
            "scale": (max(np.abs(f).max(), 1e-12), max(np.abs(x).max(), 1e-12))}


def draw_backward(step, figsize=(8.6, 6.8), fig=None):
    """What one output-gradient entry touches: dz/dy = e_(i',j',d) pushed through Eq. (33), (44).

    step: what :func:`backward_step` returns.
    Row 1: dz/dy, one panel per output channel, the chosen entry (the 1) boxed in red.
    Row 2: its share of dz/dx (= f[:, :, dl, d] placed at the window, boxed in red, its
    values written in), one panel per dl.
    Row 3: its share of dz/dF (= the window of x), filter d, one panel per dl; the other
    filters' shares are 0, which the title says.  Rows 2 and 3 have one colour scale each,
    centred on 0, with a colour bar: ``step["scale"]``, the same for every entry of y (an
    explorer's colour bars never change, so a frame keeps them as background).  Rows and
    columns carry their indices; the fonts stay legible with the figure shown 700 pixels
    wide.
    fig: this figure drawn for the same shapes, redrawn in place (an explorer's frame).
    """
    step = step_of(step, "backward")
    e, dzdx, dzdf = step["e"], step["dzdx"], step["dzdf"]
    i_out, j_out, d_out = step["out"]
    r0, c0, kh, kw = step["window"]
    d_in, d_all = dzdf.shape[2:]
    new = fig is None
    if new:                         # rows of d_all, d_in, d_in panels, each row full width
        fig = plt.figure(figsize=figsize)
        grid = fig.add_gridspec(3, d_all * d_in, height_ratios=[0.8, 1, 0.75])
        for row, n in enumerate((d_all, d_in, d_in)):
            for k in range(n):
                span = d_all * d_in // n
                fig.add_subplot(grid[row, k * span:(k + 1) * span])
    else:
        clear_marks(fig)
    axes = [fig.axes[:d_all], fig.axes[d_all:d_all + d_in], fig.axes[d_all + d_in:]]
    lim_x, lim_f = step["scale"]            # dz/dx holds entries of f, dz/dF entries of x
    for d in range(d_all):
        ax = axes[0][d]
        draw_heatmap(ax, e[:, :, d], f"dz/dy[:, :, {d}]", cmap="Greys", vmin=0, vmax=1,
                     ticks=True)
        if d == d_out:
            outline(ax, i_out, j_out, 1, 1)
            mark(ax.text(j_out, i_out, "1", ha="center", va="center", color="white",
                         fontsize=FONT))
    for dl in range(d_in):
        ax = axes[1][dl]
        draw_heatmap(ax, dzdx[:, :, dl], f"dz/dx[:, :, {dl}]", cmap="coolwarm", vmin=-lim_x,
                     vmax=lim_x, ticks=True)
        outline(ax, r0, c0, kh, kw)
        for (r, c), v in np.ndenumerate(dzdx[:, :, dl]):
            if r0 <= r < r0 + kh and c0 <= c < c0 + kw:
                mark(ax.text(c, r, f"{v:.1f}", ha="center", va="center", fontsize=FONT - 1,
                             color=text_color(ax.images[0].cmap(ax.images[0].norm(v)))))
        ax = axes[2][dl]
        draw_heatmap(ax, dzdf[:, :, dl, d_out], f"dz/df[:, :, {dl}, {d_out}]", annotate=True,
                     cmap="coolwarm", vmin=-lim_f, vmax=lim_f, fmt="{:.2f}", ticks=True)
    for ax in fig.axes:
        ax.tick_params(labelsize=FONT)
        ax.title.set_fontsize(FONT + 1)
        for t in getattr(ax, "_cnn_heatmap", {}).get("texts", []):
            t.set_fontsize(FONT)
    if new:
        for row, label in ((1, "dz/dx"), (2, "dz/df")):
            last = axes[row][-1]
            bar = fig.colorbar(last.images[0], cax=last.inset_axes([1.06, 0, 0.06, 1]))
            bar.ax.tick_params(labelsize=FONT)
            bar.set_label(label, fontsize=FONT)
    geometry = ("" if step["stride"] == (1, 1) and step["pad"] == (0, 0) else
                f" (stride {side(step['stride'])}, pad {side(step['pad'])})")
    others = [d for d in range(d_all) if d != d_out]
    fig.suptitle(f"one gradient entry dz/dy[{i_out},{j_out},{d_out}] = 1 (red box, top row)\n"
                 f"middle row: it reaches dz/dx in the {kh}×{kw} window it came from (red box)"
                 f"{geometry}\nbottom row: filter {d_out}, the only one it reaches (dz/df[:, :, "
                 f":, d] = 0 for d = {', '.join(map(str, others)) or 'none'})", fontsize=FONT + 1)
    if new:
        fig.tight_layout()
    return fig


def backward_explorer(x=None, f=None):
    """Pick one entry dz/dy[i', j', d] and see the entries of dz/dx and dz/dF it reaches.

    x: (Hl, Wl, Dl), f: (kh, kw, Dl, D); default: seeded random 5×7×3 and 2×3×3×4.
    """
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 7, 3)) if x is None else np.asarray(x, dtype=float)
    f = rng.standard_normal((2, 3, 3, 4)) if f is None else np.asarray(f, dtype=float)
    h_out, w_out = conv_output_shape(x.shape, f.shape[:2])
    frame = Frame()

    def draw(i_out, j_out, d_out):
        step = backward_step(x, f, i_out, j_out, d_out)
        frame.show(None, draw_backward, step)

    return widgets.interactive(draw, i_out=slider("i'", 1, 0, h_out - 1),
                               j_out=slider("j'", 2, 0, w_out - 1),
                               d_out=slider("d", 0, 0, f.shape[3] - 1))
