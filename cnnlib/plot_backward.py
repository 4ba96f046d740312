"""plot_backward: the figures of chapters 06-11 (Kronecker forms, backward passes, indicator
matrices, pooling, reverse operators, ReLU).

Every function takes plain values and returns a matplotlib Figure; the ``*_summary``
functions return the one line of text the explorers print.  The explorers in
``widgets_backward`` only wire sliders to these functions, so everything drawn by an
explorer can be drawn (and tested) without a kernel or a browser.
Shapes follow the note: x (Hl, Wl, Dl), f (kh, kw, Dl, D), y (H', W', D); vec is column-major.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from .conv import conv2d_backward
from .im2col import conv_output_shape, im2col
from .indicator import conv_indicator
from .pool import avgpool2d, avgpool2d_backward, maxpool2d, maxpool2d_backward

__all__ = ["matrices_figure", "kron_figure", "spy_figure", "counts_figure", "images_figure",
           "backward_figure", "backward_summary", "indicator_figure", "indicator_summary",
           "pooling_figure", "pooling_summary", "relu_figure"]

HIGHLIGHT = "tab:red"


def _show(ax, M, title=None, annotate=False, cmap="viridis", fmt="{:g}", vmin=None, vmax=None):
    """Draw matrix M as cells (row 0 on top), optionally with its values written in."""
    M = np.asarray(M, dtype=float)
    im = ax.imshow(M, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest", aspect="equal")
    if annotate:
        for (r, c), v in np.ndenumerate(M):
            red, green, blue, _ = im.cmap(im.norm(v))          # light text on dark cells
            dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
            ax.text(c, r, fmt.format(round(v, 2) + 0.0), ha="center", va="center", fontsize=8,
                    color="white" if dark else "black")
    if title:
        ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _box(ax, r0, c0, h, w, color=HIGHLIGHT, lw=2.0, fill=False, alpha=1.0):
    """Outline (or fill) cells r0..r0+h-1, c0..c0+w-1 of an imshow'd matrix."""
    ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), w, h, fill=fill, edgecolor=color,
                           facecolor=color if fill else "none", lw=lw, alpha=alpha))


def matrices_figure(mats, titles, annotate=False, figsize=(10, 3.5), cmap="viridis"):
    """One panel per matrix, side by side, each cell drawn (and written in when annotate).

    With the diverging cmap "coolwarm" each panel's colours are centred on 0 (0 is grey)."""
    fig, axes = plt.subplots(1, len(mats), figsize=figsize, squeeze=False)
    for ax, M, t in zip(axes[0], mats, titles):
        lim = max(np.abs(np.asarray(M, dtype=float)).max(), 1e-12) if cmap == "coolwarm" else None
        _show(ax, M, f"{t}  {np.shape(M)[0]}×{np.shape(M)[1]}", annotate, cmap,
              vmin=-lim if lim else None, vmax=lim)
    fig.tight_layout()
    return fig


def kron_figure(A, B, figsize=(11, 3.6)):
    """A, B and A ⊗ B (Eq. 21): the blocks a_ij B outlined, block (0, 0) and a_00 in red."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    K = np.kron(A, B)
    (m, n), (p, q) = A.shape, B.shape
    fig, axes = plt.subplots(1, 3, figsize=figsize,
                             gridspec_kw={"width_ratios": [n, q, n * q]})
    _show(axes[0], A, f"A  {m}×{n}", annotate=True, cmap="coolwarm")
    _show(axes[1], B, f"B  {p}×{q}", annotate=True, cmap="coolwarm")
    _show(axes[2], K, f"A ⊗ B  {m * p}×{n * q}: block (i, j) is a_ij·B", annotate=True,
          cmap="coolwarm")
    for i in range(m):
        for j in range(n):
            _box(axes[2], i * p, j * q, p, q, color="black", lw=1.5)
    _box(axes[0], 0, 0, 1, 1)
    _box(axes[2], 0, 0, p, q, lw=2.5)
    fig.tight_layout()
    return fig


def spy_figure(M, title, highlight_rows=(), highlight_cols=(), xlabel="column", ylabel="row",
               figsize=(5, 6), ax=None):
    """A sparse 0/1 matrix drawn as dots (matplotlib's spy); chosen rows/columns in red."""
    M = M.tocoo() if hasattr(M, "tocoo") else np.asarray(M)
    fig, ax = (plt.subplots(figsize=figsize) if ax is None else (ax.figure, ax))
    ms = max(2.0, min(6.0, 600.0 / max(M.shape)))
    ax.spy(M, markersize=ms, color="tab:blue", aspect="auto")
    for r in highlight_rows:
        ax.axhline(r, color=HIGHLIGHT, lw=0.8, alpha=0.6)
    for c in highlight_cols:
        ax.axvline(c, color=HIGHLIGHT, lw=1.2, alpha=0.8)
    if len(highlight_rows) or len(highlight_cols):
        dense = M.toarray() if hasattr(M, "toarray") else M
        rr, cc = np.nonzero(dense)
        keep = np.isin(rr, list(highlight_rows)) | np.isin(cc, list(highlight_cols))
        ax.plot(cc[keep], rr[keep], "s", color=HIGHLIGHT, markersize=ms + 2)
    ax.set_title(f"{title}  {M.shape[0]}×{M.shape[1]}, {int((M != 0).sum())} ones", fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_ticks_position("bottom")
    fig.tight_layout()
    return fig


def counts_figure(counts, title="coverage count: windows that cover each pixel",
                  figsize=(5, 3.5)):
    """A 2-D array of coverage counts, every cell written in."""
    fig, ax = plt.subplots(figsize=figsize)
    _show(ax, counts, title, annotate=True)
    fig.tight_layout()
    return fig


def images_figure(images, titles, figsize=(12, 3.4), cmap="gray"):
    """Grayscale images side by side, each with its own title and its size."""
    fig, axes = plt.subplots(1, len(images), figsize=figsize, squeeze=False)
    for ax, im, t in zip(axes[0], images, titles):
        ax.imshow(im, cmap=cmap, interpolation="nearest")
        ax.set_title(f"{t}\n{im.shape[0]}×{im.shape[1]}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


# ------------------------------------------------------------ backward explorer (ch. 07-08)
def _one_hot(shape, index):
    e = np.zeros(shape)
    e[tuple(index)] = 1.0
    return e


def backward_summary(x, f, i_out, j_out, d_out):
    """One line: which entries of dz/dx and dz/dF the single gradient dz/dy[i', j', d] reaches."""
    e = _one_hot(conv_output_shape(x.shape, f.shape[:2]) + (f.shape[3],), (i_out, j_out, d_out))
    dzdx, dzdf, _ = conv2d_backward(x, f, e)
    kh, kw = f.shape[:2]
    return (f"dz/dy[{i_out},{j_out},{d_out}] = 1 reaches dz/dx at rows {i_out}..{i_out + kh - 1}, "
            f"cols {j_out}..{j_out + kw - 1} ({np.count_nonzero(dzdx)} entries, sum "
            f"{dzdx.sum():.3f}) and dz/dF of filter {d_out} only ({np.count_nonzero(dzdf)} "
            f"entries, sum {dzdf.sum():.3f})")


def backward_figure(x, f, i_out, j_out, d_out, figsize=(11, 6.6)):
    """What one output-gradient entry touches: dz/dy = e_(i',j',d) pushed through Eq. (33), (44).

    Row 1: dz/dy, one panel per output channel, the chosen entry in red.
    Row 2: its share of dz/dx (= f[:, :, dl, d] placed at the window), one panel per dl.
    Row 3: its share of dz/dF (= the window of x), filter d, one panel per dl.
    x: (Hl, Wl, Dl), f: (kh, kw, Dl, D).
    """
    x, f = np.asarray(x, dtype=float), np.asarray(f, dtype=float)
    kh, kw, d_in, d_out_all = f.shape
    h_out, w_out = conv_output_shape(x.shape, (kh, kw))
    e = _one_hot((h_out, w_out, d_out_all), (i_out, j_out, d_out))
    dzdx, dzdf, _ = conv2d_backward(x, f, e)
    cols = max(d_out_all, d_in)
    fig, axes = plt.subplots(3, cols, figsize=figsize, squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    lim_x = max(np.abs(dzdx).max(), 1e-12)
    lim_f = max(np.abs(dzdf).max(), 1e-12)
    for d in range(d_out_all):
        ax = axes[0, d]
        ax.axis("on")
        _show(ax, e[:, :, d], f"dz/dy[:, :, {d}]", annotate=True, cmap="Greys", vmin=0, vmax=1)
        if d == d_out:
            _box(ax, i_out, j_out, 1, 1)
    for dl in range(d_in):
        ax = axes[1, dl]
        ax.axis("on")
        _show(ax, dzdx[:, :, dl], f"dz/dx[:, :, {dl}]", cmap="coolwarm", vmin=-lim_x, vmax=lim_x)
        _box(ax, i_out, j_out, kh, kw)
        ax = axes[2, dl]
        ax.axis("on")
        _show(ax, dzdf[:, :, dl, d_out], f"dz/df[:, :, {dl}, {d_out}]", annotate=True,
              cmap="coolwarm", vmin=-lim_f, vmax=lim_f, fmt="{:.2f}")
    fig.suptitle(f"one gradient entry dz/dy[{i_out},{j_out},{d_out}] = 1: red box = the "
                 f"{kh}×{kw} window it came from", fontsize=11)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------ indicator explorer (ch. 08)
ROW_COLOR = "tab:orange"


def _indicator_selection(x_shape, kernel, il, jl, dl, row):
    """The pixel's column u and its (p, q) list; the row r's (p, q) and the pixel it copies."""
    H = conv_indicator(x_shape, kernel).tocsr()
    h_out, w_out = conv_output_shape(x_shape, kernel)
    P = h_out * w_out
    u = int(np.ravel_multi_index((il, jl, dl), x_shape, order="F"))
    rows = H.tocsc()[:, u].nonzero()[0]
    pq = [(int(r % P), int(r // P)) for r in sorted(rows)]
    row = int(row) % H.shape[0]
    u_row = int(H.indices[H.indptr[row]])
    return H, u, pq, row, (row % P, row // P), u_row


def indicator_summary(x_shape, kernel, il=0, jl=0, dl=0, row=0):
    """One line: the (p, q) entries of phi that copy pixel (il, jl, dl), and the pixel that
    row ``row`` of H copies (Eq. 34)."""
    x_shape, kernel = tuple(x_shape), tuple(kernel)
    H, u, pq, row, (p, q), u_row = _indicator_selection(x_shape, kernel, il, jl, dl, row)
    shown = ", ".join(f"({a},{b})" for a, b in pq[:6]) + (" ..." if len(pq) > 6 else "")
    i_r, j_r, d_r = np.unravel_index(u_row, x_shape, order="F")
    return (f"pixel x[{il},{jl},{dl}] (column u={u} of H) feeds {len(pq)} entries phi[p,q]: "
            f"{shown} | row r={row} of H is phi[{p},{q}], a copy of x[{i_r},{j_r},{d_r}]")


def indicator_figure(x_shape, kernel, il=0, jl=0, dl=0, row=0, figsize=(12, 5)):
    """The indicator matrix H of Eq. (34), both ways round, in three views.

    Red: the pixel x[il, jl, dl] and every (p, q) of phi that copies it (one per window covering
    it), i.e. the 1s of its column u in H.  Orange: row ``row`` of H, i.e. one entry phi[p, q],
    and the pixel it copies.  Left: the input channel dl (entries written as their index u).
    Middle: phi(x) of the index tensor (which u each (p, q) copies).  Right: H as dots.
    """
    x_shape, kernel = tuple(x_shape), tuple(kernel)
    H, u, pq, row, (p_r, q_r), u_row = _indicator_selection(x_shape, kernel, il, jl, dl, row)
    i_r, j_r, d_r = (int(v) for v in np.unravel_index(u_row, x_shape, order="F"))
    positions = np.arange(int(np.prod(x_shape))).reshape(x_shape, order="F")
    phi = im2col(positions, kernel)
    fig, axes = plt.subplots(1, 3, figsize=figsize,
                             gridspec_kw={"width_ratios": [x_shape[1], phi.shape[1], 8]})
    _show(axes[0], positions[:, :, dl], f"x[:, :, {dl}]: entry = its u", annotate=True,
          cmap="Greys", vmin=0, vmax=4 * positions.max())
    _box(axes[0], il, jl, 1, 1, lw=2.5)
    if d_r == dl:
        _box(axes[0], i_r, j_r, 1, 1, color=ROW_COLOR, lw=2.5)
    _show(axes[1], phi, f"φ(x) {phi.shape[0]}×{phi.shape[1]}: which u each (p, q) copies",
          annotate=phi.size <= 400, cmap="Greys", vmin=0, vmax=4 * positions.max())
    for p, q in pq:
        _box(axes[1], p, q, 1, 1, fill=True, alpha=0.5)
    _box(axes[1], p_r, q_r, 1, 1, color=ROW_COLOR, lw=2.5)
    axes[1].set_xlabel("q = i + kh·j + kh·kw·dl")
    axes[1].set_ylabel("p = i' + H'·j'")
    spy_figure(H, "H", highlight_cols=[u], xlabel="u (pixel)", ylabel="r = p + H'W'·q",
               ax=axes[2])
    axes[2].axhline(row, color=ROW_COLOR, lw=1.2)
    axes[2].plot([u_row], [row], "s", color=ROW_COLOR, ms=7)
    fig.suptitle(f"red: pixel x[{il},{jl},{dl}] (u = {u}) is copied into {len(pq)} entries of φ"
                 f"   |   orange: row r = {row} of H is φ[{p_r},{q_r}] = x[{i_r},{j_r},{d_r}]",
                 fontsize=11)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------ pooling explorer (ch. 09)
def _pool(x, size, stride, mode):
    if mode == "max":
        y, idx = maxpool2d(x, size, stride, return_indices=True)
        dzdx = maxpool2d_backward(x, np.ones_like(y), size, stride)
        return y, idx, dzdx
    y = avgpool2d(x, size, stride)
    return y, None, avgpool2d_backward(x.shape, np.ones_like(y), size, stride)


def pooling_summary(x, size, stride, mode="max", k=0):
    """One line: output size, and where a gradient of 1 on every output lands."""
    y, idx, dzdx = _pool(np.asarray(x, dtype=float), size, stride, mode)
    k_raw = int(k)
    i_out, j_out = np.unravel_index(k_raw % y.size, y.shape, order="F")
    where = (f"its max x[{idx[i_out, j_out] % x.shape[0]},{idx[i_out, j_out] // x.shape[0]}]"
             if mode == "max" else f"all {size * size} cells, 1/{size * size} each")
    return (f"{mode} pool size {size} stride {stride}: y is {y.shape[0]}×{y.shape[1]}; output "
            f"k={k_raw} is y[{i_out},{j_out}], its gradient goes to {where}; with dz/dy = 1 everywhere, "
            f"{np.count_nonzero(dzdx)} of {x.size} inputs get gradient, the most is "
            f"{dzdx.max():.2f}")


def pooling_figure(x, size, stride, mode="max", k=0, figsize=(12, 4.2)):
    """Pooling a 2-D x with size×size windows at ``stride``, and where the gradient goes.

    Left: x, the window of output k (column-major) in red, every window's max as a dot.
    Middle: y.  Right: dz/dx for dz/dy = 1 everywhere (Eq. 55 for max: each output sends its
    1 to its max, so overlapping windows can send several; average: 1/size² to every cell).
    """
    x = np.asarray(x, dtype=float)
    y, idx, dzdx = _pool(x, size, stride, mode)
    k_raw, k = int(k), int(k) % y.size
    i_out, j_out = np.unravel_index(k, y.shape, order="F")
    fig, axes = plt.subplots(1, 3, figsize=figsize,
                             gridspec_kw={"width_ratios": [x.shape[1], y.shape[1] + 1,
                                                           x.shape[1]]})
    _show(axes[0], x, "x: red = window of the chosen output", annotate=True, cmap="Blues",
          fmt="{:.0f}")
    _box(axes[0], i_out * stride, j_out * stride, size, size, lw=3)
    axes[0].set_xlabel(f"chosen output k = {k_raw} (column-major, modulo {y.size}): y[{i_out},{j_out}]")
    if mode == "max":
        r, c = np.unravel_index(idx, x.shape, order="F")
        axes[0].plot(c.ravel(), r.ravel(), "o", ms=14, mfc="none", mec="tab:orange", mew=2)
        axes[0].plot(c[i_out, j_out], r[i_out, j_out], "o", ms=14, mfc="none", mec=HIGHLIGHT,
                     mew=3)
    _show(axes[1], y, f"y = {mode}pool(x)", annotate=True, cmap="Blues", fmt="{:.1f}")
    _box(axes[1], i_out, j_out, 1, 1, lw=3)
    _show(axes[2], dzdx, "dz/dx when every dz/dy = 1", annotate=True, cmap="Oranges",
          fmt="{:.2f}" if mode == "avg" else "{:.0f}", vmin=0)
    _box(axes[2], i_out * stride, j_out * stride, size, size, lw=3)
    fig.suptitle(f"{mode} pooling, window {size}×{size}, stride {stride}"
                 + (" (windows overlap)" if stride < size else "")
                 + (" (some pixels in no window)" if stride > size else ""), fontsize=11)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------ ReLU (ch. 11)
def relu_figure(eps=0.5, figsize=(10, 3.4)):
    """ReLU and its derivative; at 0 the one-sided difference quotients (slope 0 and 1) disagree."""
    t = np.linspace(-2, 2, 401)
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    axes[0].plot(t, np.maximum(t, 0), color="tab:blue", lw=2)
    axes[0].plot([-eps, 0], [0, 0], color="tab:green", lw=4, alpha=0.6,
                 label="left difference: slope 0")
    axes[0].plot([0, eps], [0, eps], color=HIGHLIGHT, lw=4, alpha=0.6,
                 label="right difference: slope 1")
    axes[0].set_title("y = max(0, x)  (Eq. 58)")
    axes[0].legend(loc="upper left", fontsize=9)
    axes[1].plot(t[t < 0], 0 * t[t < 0], color="tab:blue", lw=2)
    axes[1].plot(t[t > 0], 1 + 0 * t[t > 0], color="tab:blue", lw=2)
    axes[1].plot([0], [0], "o", color="tab:blue", ms=8, label="cnnlib's choice at 0")
    axes[1].plot([0], [1], "o", mfc="white", mec="tab:blue", ms=8)
    axes[1].set_title("dy/dx = 1[x > 0]  (Eq. 59), undefined at 0")
    axes[1].set_ylim(-0.3, 1.3)
    axes[1].legend(loc="upper left", fontsize=9)
    for ax in axes:
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_xlabel("x")
    fig.tight_layout()
    return fig

