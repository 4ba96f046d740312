"""indicator (chapters 08-09): the indicator matrices H and S drawn, and H both ways round.

    spy_figure(M, title)                  a sparse 0/1 matrix as dots, rows/columns marked
    counts_figure(counts)                 how many windows cover each pixel (H^T H's diagonal)
    indicator_step(x_shape, kernel, il, jl, dl, row)
                                          one frame: the pixel's column u of H and the (p, q)
                                          it feeds; row r of H and the pixel it copies (Eq. 34)
    draw_indicator(step)                  x, phi of the index tensor, H as dots
    indicator_explorer()                  sliders il, jl, dl, r; one step per move
    routes_figure(mats, titles, tol)      one result drawn once, and how far each other
                                          route's result is from it (max |difference|),
                                          against the tolerance and float64 rounding
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..im2col import conv_output_shape
from ..indicator import conv_indicator, phi_index
from .._checks import positive_int, shape_arg
from .._window import window_args
from .draw import MARK, PADDING, SECOND, clear_marks, draw_heatmap, step_of, mark, outline
from .explore import Frame, slider

__all__ = ["spy_figure", "counts_figure", "indicator_step", "draw_indicator",
           "indicator_explorer", "routes_figure"]


def spy_figure(M, title, highlight_rows=(), highlight_cols=(), xlabel="column", ylabel="row",
               figsize=(5, 6), ax=None):
    """A sparse 0/1 matrix drawn as dots (matplotlib's spy); chosen rows/columns in red."""
    M = M.tocoo() if hasattr(M, "tocoo") else np.asarray(M)
    fig, ax = (plt.subplots(figsize=figsize) if ax is None else (ax.figure, ax))
    ax.spy(M, markersize=_spy_size(M), color="tab:blue", aspect="auto")
    _spy_marks(ax, M, highlight_rows, highlight_cols)
    ax.set_title(f"{title}  {M.shape[0]}×{M.shape[1]}, {int((M != 0).sum())} ones", fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_ticks_position("bottom")
    fig.tight_layout()
    return fig


def _spy_size(M):
    return max(2.0, min(6.0, 600.0 / max(M.shape)))


def _spy_marks(ax, M, highlight_rows=(), highlight_cols=()):
    """The chosen rows and columns of a spy drawing, and their ones, in red (marked)."""
    for r in highlight_rows:
        mark(ax.axhline(r, color=MARK, lw=0.8, alpha=0.6))
    for c in highlight_cols:
        mark(ax.axvline(c, color=MARK, lw=1.2, alpha=0.8))
    if len(highlight_rows) or len(highlight_cols):
        M = M.tocoo() if hasattr(M, "tocoo") else np.asarray(M)
        rr, cc = (M.row, M.col) if hasattr(M, "row") else np.nonzero(M)
        keep = np.isin(rr, list(highlight_rows)) | np.isin(cc, list(highlight_cols))
        mark(ax.plot(cc[keep], rr[keep], "s", color=MARK, markersize=_spy_size(M) + 2))


def counts_figure(counts, title="coverage count: windows that cover each pixel",
                  figsize=(5, 3.5)):
    """A 2-D array of coverage counts, every cell written in."""
    fig, ax = plt.subplots(figsize=figsize)
    draw_heatmap(ax, counts, title, annotate=True)
    fig.tight_layout()
    return fig


#: phi of the index tensor: u in shades of grey, zero padding (u = -1) in the padding grey
GREYS_PADDED = plt.get_cmap("Greys").with_extremes(under=PADDING)


def indicator_step(x_shape, kernel, il=0, jl=0, dl=0, row=0, stride=1, pad=0):
    """Pixel x[il, jl, dl] and row ``row`` of the indicator matrix H of Eq. (34).

    x_shape: (Hl, Wl, Dl), or (Hl, Wl) for Dl = 1.  kernel, stride, pad: as for
    :func:`cnnlib.conv_indicator`.  il, jl, dl: ints, a pixel of x (else a ValueError
    naming x_shape).  row: an int >= 0, wrapped into range (modulo the rows of H).
    Returns a dict: ``family`` ("indicator"), ``H``, ``positions`` (the tensor of
    positions u, shaped x_shape), ``phi`` (:func:`cnnlib.phi_index`: which u each (p, q)
    copies, -1 for zero padding), ``pixel`` (il, jl, dl), ``u`` (its column of H), ``pq``
    (the (p, q) of phi that copy it, in the order of H's rows r = p + H'W' q), ``row``
    (wrapped into range), ``row_pq`` (the (p, q) that row is), ``row_u`` and ``row_pixel``
    (the u and the (i, j, d) it copies; None when it copies zero padding), ``copy`` (that
    pixel as text) and a one-line ``text``.
    """
    x_shape = shape_arg(x_shape)
    x_shape = x_shape + (1,) if len(x_shape) == 2 else x_shape
    if len(x_shape) != 3:
        raise ValueError(f"indicator_step: x_shape must be (Hl, Wl, Dl), got {x_shape}")
    pixel = tuple(positive_int(v, n, 0) for v, n in ((il, "il"), (jl, "jl"), (dl, "dl")))
    if any(v >= n for v, n in zip(pixel, x_shape)):
        raise ValueError(f"indicator_step: pixel (il, jl, dl) = {pixel} is outside x, of "
                         f"shape {x_shape}")
    il, jl, dl = pixel
    kernel, stride, pad = window_args(kernel, stride, pad)
    H = conv_indicator(x_shape, kernel, stride, pad).tocsr()
    phi = phi_index(x_shape, kernel, stride, pad)                     # Eq. (18)-(19), (34)
    h_out, w_out = conv_output_shape(x_shape, kernel, stride, pad)
    P = h_out * w_out
    u = int(np.ravel_multi_index((il, jl, dl), x_shape, order="F"))
    qs, ps = np.nonzero(phi.T == u)                  # by q, then p: the order of H's rows
    pq = [(int(a), int(b)) for a, b in zip(ps, qs)]
    row = positive_int(row, "row", 0) % H.shape[0]
    p, q = row % P, row // P
    row_u = int(phi[p, q]) if phi[p, q] >= 0 else None
    row_pixel = (None if row_u is None else
                 tuple(int(v) for v in np.unravel_index(row_u, x_shape, order="F")))
    shown = ", ".join(f"({a},{b})" for a, b in pq[:6]) + (" ..." if len(pq) > 6 else "")
    copy = ("zero padding" if row_pixel is None else
            "x[{},{},{}]".format(*row_pixel))
    text = (f"pixel x[{il},{jl},{dl}] (column u={u} of H) feeds {len(pq)} entries phi[p,q]: "
            f"{shown} | row r={row} of H is phi[{p},{q}], a copy of {copy}")
    positions = np.arange(int(np.prod(x_shape))).reshape(x_shape, order="F")
    return {"family": "indicator", "H": H, "positions": positions, "phi": phi,
            "pixel": (il, jl, dl), "u": u, "pq": pq, "row": row, "row_pq": (p, q),
            "row_u": row_u, "row_pixel": row_pixel, "copy": copy, "text": text}


def draw_indicator(step, figsize=(12, 5), fig=None):
    """The indicator matrix H of Eq. (34), both ways round, in three views.

    step: what :func:`indicator_step` returns.
    Red: the pixel x[il, jl, dl] and every (p, q) of phi that copies it (one per window covering
    it), i.e. the 1s of its column u in H.  Orange: row ``row`` of H, i.e. one entry phi[p, q],
    and the pixel it copies.  Left: the input channel dl (entries written as their index u).
    Middle: phi(x) of the index tensor (which u each (p, q) copies; zero padding in the
    padding grey, written '·' where marked).  Right: H as dots.
    fig: this figure drawn for the same shapes, redrawn in place (an explorer's frame).
    """
    step = step_of(step, "indicator")
    positions, phi, u, row = step["positions"], step["phi"], step["u"], step["row"]
    il, jl, dl = step["pixel"]
    p_r, q_r = step["row_pq"]
    new = fig is None
    if new:
        fig, axes = plt.subplots(1, 3, figsize=figsize, gridspec_kw={
            "width_ratios": [positions.shape[1], phi.shape[1], 8]})
    else:
        clear_marks(fig)
        axes = fig.axes
    draw_heatmap(axes[0], positions[:, :, dl], f"x[:, :, {dl}]: entry = its u", annotate=True,
                 cmap="Greys", vmin=0, vmax=4 * positions.max())
    outline(axes[0], il, jl, 1, 1, lw=2.5)
    if step["row_pixel"] is not None and step["row_pixel"][2] == dl:
        outline(axes[0], *step["row_pixel"][:2], 1, 1, color=SECOND, lw=2.5)
    draw_heatmap(axes[1], phi, f"φ(x) {phi.shape[0]}×{phi.shape[1]}: the u each (p, q) copies "
                 "(shade), written where marked", cmap=GREYS_PADDED, vmin=0,
                 vmax=1.5 * positions.max())
    for p, q in step["pq"]:
        outline(axes[1], p, q, 1, 1, fill=True, alpha=0.5)
    outline(axes[1], p_r, q_r, 1, 1, color=SECOND, lw=2.5)
    for p, q in set(step["pq"]) | {(p_r, q_r)}:
        mark(axes[1].text(q, p, "·" if phi[p, q] < 0 else str(int(phi[p, q])), ha="center",
                          va="center", fontsize=8.5))
    if new:
        axes[1].set_xticks(np.arange(0, phi.shape[1], 3))
        axes[1].set_yticks(np.arange(0, phi.shape[0], 3))
        axes[1].tick_params(labelsize=8, length=2)
        axes[1].set_xlabel("q = i + kh·j + kh·kw·dl")
        axes[1].set_ylabel("p = i' + H'·j'")
        spy_figure(step["H"], "H", highlight_cols=[u], xlabel="u (pixel)",
                   ylabel="r = p + H'W'·q", ax=axes[2])
    else:
        _spy_marks(axes[2], step["H"], highlight_cols=[u])
    mark(axes[2].axhline(row, color=SECOND, lw=1.2))
    if step["row_u"] is not None:
        mark(axes[2].plot([step["row_u"]], [row], "s", color=SECOND, ms=7))
    fig.suptitle(f"red: pixel x[{il},{jl},{dl}] (u = {u}) is copied into {len(step['pq'])} "
                 f"entries of φ   |   orange: row r = {row} of H is φ[{p_r},{q_r}] = "
                 f"{step['copy']}", fontsize=11)
    if new:
        fig.tight_layout()
    return fig


def indicator_explorer(x_shape=(5, 7, 3), kernel=(2, 3)):
    """Select an input pixel (il, jl, dl) and see every (p, q) of phi it feeds (red); select a
    row r of H and see the entry of phi it is and the pixel it copies (orange), Eq. (34)."""
    x_shape, kernel = tuple(x_shape), tuple(kernel)
    h_out, w_out = conv_output_shape(x_shape, kernel)
    n_rows = h_out * w_out * kernel[0] * kernel[1] * x_shape[2]

    frame = Frame()

    def draw(il, jl, dl, row):
        step = indicator_step(x_shape, kernel, il, jl, dl, row)
        frame.show(None, draw_indicator, step)

    return widgets.interactive(
        draw, il=slider("il", 2, 0, x_shape[0] - 1), jl=slider("jl", 3, 0, x_shape[1] - 1),
        dl=slider("dl", 1, 0, x_shape[2] - 1), row=slider("row r", 100, 0, n_rows - 1))


def routes_figure(mats, titles, figsize=(10, 3.4), fmt="{:.2f}", tol=1e-6):
    """The result of several routes to one matrix: the first drawn once, with its values,
    and beside it the largest |difference| of every other route from it, a dot on a log
    scale (an identical result: a hollow dot at the axis' left edge, labelled 0), with the
    tolerance ``tol`` the checks assert as a dashed line and float64 rounding (2.2e-16
    times the largest |value|) as a dotted one.

    mats: 2-D arrays of one shape.  titles: one per array, the first names the drawn one."""
    mats = [np.asarray(M, dtype=float) for M in mats]
    diffs = [float(np.abs(M - mats[0]).max()) for M in mats[1:]]
    fig, axes = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1.2, 1]})
    lim = max(np.abs(mats[0]).max(), 1e-12)
    draw_heatmap(axes[0], mats[0], f"{titles[0]}  {mats[0].shape[0]}×{mats[0].shape[1]}",
                 annotate=True, cmap="coolwarm", vmin=-lim, vmax=lim, fmt=fmt)
    ax, rounding = axes[1], np.finfo(float).eps * lim
    left = 10.0 ** np.floor(np.log10(min([rounding, tol] + [d for d in diffs if d > 0]) / 10))
    ax.set_xscale("log")
    ax.set_xlim(left, 1)
    ax.axvline(tol, color=MARK, ls="--", lw=1.2, label=f"tolerance of the checks, {_short(tol)}")
    ax.axvline(rounding, color="grey", ls=":", lw=1.2,
               label=f"float64 rounding, {_short(rounding)}")
    for k, d in enumerate(diffs):
        at = d if d > 0 else left
        ax.plot([at], [k], "o", ms=8, color="tab:blue", mfc="tab:blue" if d > 0 else "white",
                clip_on=False)
        ax.annotate("0 (identical)" if d == 0 else f"{d:.1e}", (at, k), xytext=(10, 0),
                    textcoords="offset points", va="center", fontsize=10,
                    bbox={"fc": "white", "ec": "none", "pad": 1})
    ax.set_ylim(len(diffs) - 0.5, -0.5)
    ax.set_yticks(np.arange(len(diffs)), labels=titles[1:], fontsize=10)
    ax.set_xlabel(f"max |route − {titles[0]}|  (log scale)")
    ax.set_title("largest difference from it", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def _short(v):
    """1e-06 as "1e-6": a power of ten for a legend."""
    return f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e")
