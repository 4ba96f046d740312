"""pooling (chapter 09): max and average pooling of a 2-D x, and where the gradient goes.

    pooling_step(x, size, stride, mode, k)   one frame: y, the max positions, dz/dx for
                                             dz/dy = 1, output k and its window, the text
    draw_pooling(step)                       x with the window, y, dz/dx
    pooling_explorer()                       mode, size, stride, k; one step per move
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..pool import avgpool2d, avgpool2d_backward, maxpool2d, maxpool2d_backward
from .._checks import positive_int
from .._window import pool_args
from .draw import MARK, SECOND, clear_marks, draw_heatmap, step_of, mark, outline, side
from .explore import Frame, slider
from .relayout import default_subplots, tight_layout, width_ratios

__all__ = ["pooling_step", "draw_pooling", "pooling_explorer"]


def pooling_step(x, size, stride, mode="max", k=0, pad=0):
    """Pool the 2-D x with ``size`` windows at ``stride`` (Eq. 47-48) and send dz/dy = 1 back.

    x: (H, W).  size, stride, pad: int or (h, w) pair; stride None means stride = size.
    mode: "max" or "avg".  k: an int >= 0, one output in column-major order, wrapped into
    range (modulo y.size).
    Returns a dict: ``family`` ("pooling"), ``x``, ``y``, ``idx`` (flat positions of the
    maxima, None for "avg"), ``dzdx`` (Eq. 55 for dz/dy = 1 everywhere), ``k`` (as
    given), ``out`` (i', j' of output k), ``window`` (its first row and column in x),
    ``size``, ``stride``, ``pad`` (pairs), ``mode`` and a one-line ``text``.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"pooling_step: x must be 2-D, got shape {x.shape}")
    if not (isinstance(mode, str) and mode in ("max", "avg")):
        raise ValueError(f"pooling_step: mode must be 'max' or 'avg', got {mode!r}")
    k = positive_int(k, "k", 0)
    (kh, kw), (sh, sw), (ph, pw) = pool_args(size, stride, pad)
    if mode == "max":
        y, idx = maxpool2d(x, (kh, kw), (sh, sw), (ph, pw), return_indices=True)
        dzdx = maxpool2d_backward(x, np.ones_like(y), (kh, kw), (sh, sw), (ph, pw))
    else:
        y, idx = avgpool2d(x, (kh, kw), (sh, sw), (ph, pw)), None
        dzdx = avgpool2d_backward(x.shape, np.ones_like(y), (kh, kw), (sh, sw), (ph, pw))
    i_out, j_out = (int(v) for v in np.unravel_index(k % y.size, y.shape, order="F"))
    where = (f"its max x[{idx[i_out, j_out] % x.shape[0]},{idx[i_out, j_out] // x.shape[0]}]"
             if mode == "max" else f"all {kh * kw} cells, 1/{kh * kw} each")
    text = (f"{mode} pool size {side((kh, kw))} stride {side((sh, sw))}: y is "
            f"{y.shape[0]}×{y.shape[1]}; output k={k} is y[{i_out},{j_out}], its gradient "
            f"goes to {where}; with dz/dy = 1 everywhere, {np.count_nonzero(dzdx)} of {x.size} "
            f"inputs get gradient, the most is {dzdx.max():.2f}")
    return {"family": "pooling", "x": x, "y": y, "idx": idx, "dzdx": dzdx, "k": k,
            "out": (i_out, j_out), "window": (sh * i_out - ph, sw * j_out - pw), "size": (kh, kw),
            "stride": (sh, sw), "pad": (ph, pw), "mode": mode, "text": text}


def draw_pooling(step, figsize=(12, 4.2), fig=None):
    """Pooling a 2-D x with size×size windows at ``stride``, and where the gradient goes.

    step: what :func:`pooling_step` returns.
    Left: x, the window of output k (column-major) in red, every window's max as a dot.
    Middle: y, on x's colour scale (a value has one colour in both panels).  Right: dz/dx
    for dz/dy = 1 everywhere (Eq. 55 for max: each output sends its 1 to its max, so
    overlapping windows can send several; average: 1/size² to every cell).
    fig: this figure drawn for another step, redrawn in place (other shapes: reshaped and
    laid out again, see :mod:`~cnnlib.views.relayout`).
    """
    step = step_of(step, "pooling")
    x, y, idx, dzdx, mode = step["x"], step["y"], step["idx"], step["dzdx"], step["mode"]
    i_out, j_out = step["out"]
    (kh, kw), (sh, sw), (r0, c0) = step["size"], step["stride"], step["window"]
    new = fig is None
    ratios = [x.shape[1], y.shape[1] + 1, x.shape[1]]
    if new:
        fig, axes = plt.subplots(1, 3, figsize=figsize, gridspec_kw={"width_ratios": ratios})
    else:
        clear_marks(fig)
        axes = fig.axes
        relaid = (axes[1].images[0].get_array().shape != y.shape
                  or axes[0].images[0].get_array().shape != x.shape)   # laid out again, as anew
        if relaid:
            width_ratios(fig, ratios)
            default_subplots(fig)
    lo, hi = float(x.min()), float(x.max())          # y on x's colour scale: 45 looks alike
    draw_heatmap(axes[0], x, "x: red = window of the chosen output", annotate=True,
                 cmap="Blues", fmt="{:.0f}", vmin=lo, vmax=hi)
    outline(axes[0], r0, c0, kh, kw, lw=3)
    caption = (f"chosen output k = {step['k']} (column-major, modulo {y.size}): "
               f"y[{i_out},{j_out}]")
    if new:
        axes[0]._cnn_caption = axes[0].text(0.5, -0.04, caption, transform=axes[0].transAxes,
                                            ha="center", va="top", fontsize=10)
    axes[0]._cnn_caption.set_text(caption)
    if mode == "max":
        r, c = np.unravel_index(idx, x.shape, order="F")
        mark(axes[0].plot(c.ravel(), r.ravel(), "o", ms=14, mfc="none", mec=SECOND, mew=2))
        mark(axes[0].plot(c[i_out, j_out], r[i_out, j_out], "o", ms=14, mfc="none", mec=MARK,
                          mew=3))
    draw_heatmap(axes[1], y, f"y = {mode}pool(x), x's colours", annotate=True, cmap="Blues",
                 fmt="{:.1f}", vmin=lo, vmax=hi)
    outline(axes[1], i_out, j_out, 1, 1, lw=3)
    draw_heatmap(axes[2], dzdx, "dz/dx when every dz/dy = 1", annotate=True, cmap="Oranges",
                 fmt="{:.2f}" if mode == "avg" else "{:.0f}", vmin=0)
    outline(axes[2], r0, c0, kh, kw, lw=3)
    fig.suptitle(f"{mode} pooling, window {kh}×{kw}, stride {side((sh, sw))}"
                 + (" (windows overlap)" if sh < kh or sw < kw else "")
                 + (" (some pixels in no window)" if sh > kh or sw > kw else ""), fontsize=11)
    if new:
        fig.tight_layout()
    elif relaid:
        tight_layout(fig)               # (as the fresh drawing's, remembered per layout)
    return fig


def pooling_explorer(x=None):
    """Window size, stride and max/average pooling on a 2-D x: where does the gradient go?

    x: 2-D array; default a seeded permutation of 0..47 as 6×8 (no ties).  The slider k
    picks one output (column-major) whose window and gradient are drawn in red.
    """
    x = (np.random.default_rng(0).permutation(48).reshape(6, 8).astype(float)
         if x is None else np.asarray(x, dtype=float))

    frame = Frame(reuse=True, keep=1)

    def draw(mode, size, stride, k):
        step = pooling_step(x, size, stride, mode, k)
        frame.show((size, stride), draw_pooling, step)       # (the mode: drawn in place)

    return widgets.interactive(
        draw, mode=widgets.ToggleButtons(options=["max", "avg"], value="max",
                                         description="pooling"),
        size=slider("size", 2, 1, min(x.shape)), stride=slider("stride", 2, 1, 4),
        k=slider("output k", 0, 0, 47))
