"""conv (chapter 04): the kernel's window sliding over the zero-padded input, Eq. (12).

    conv_step(x, f, stride, pad, position)   one frame: the window, the output, the text
    draw_conv(step)                          padded x with the window, the kernel, y
    conv_explorer()                          sliders p, stride, padding; one step per move
    EXAMPLE_INPUTS, EXAMPLE_KERNELS          what the explorer's menus offer
    windows_figure(x_shape, kernel, ...)     several windows at once: stride and padding
    correlation_figure(a, k, ...)            cross-correlation against true convolution (E8)

Output positions follow the note's column-major order p = i' + H' j' (Eq. 16).
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..im2col import conv_output_shape, im2col
from .._checks import positive_int
from .._window import window_args
from .draw import TARGET, clear_marks, draw_matrix, format_value, outline, step_of, side
from .explore import Frame, slider
from .relayout import width_ratios

__all__ = ["conv_step", "draw_conv", "conv_explorer", "EXAMPLE_INPUTS", "EXAMPLE_KERNELS",
           "windows_figure", "correlation_figure"]

#: inputs the explorers offer: the note's A of Eq. (13), seed 003's 4x4, a 5x6 of small ints
EXAMPLE_INPUTS = {
    "A, 3x4 (note, Eq. 13)": np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]]),
    "X, 4x4 (seed 003)": np.arange(1, 17).reshape(4, 4),
    "5x6 small integers": (np.arange(30).reshape(5, 6, order="F") * 7) % 10,
}
#: kernels the convolution explorer offers
EXAMPLE_KERNELS = {
    "ones 2x2 (note)": np.ones((2, 2)),
    "[[1, 2], [3, 4]] (asymmetric)": np.array([[1, 2], [3, 4]]),
    "vertical edge 3x3": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
    "ones 1x3": np.ones((1, 3)),
}


def conv_step(x, f, stride=1, pad=0, position=0):
    """What the convolution does at output position p, for a 2-D x and one 2-D filter f.

    x: (H, W).  f: (kh, kw).  stride, pad: int or (h, w) pair.  position: an int
    p = i' + H' j' >= 0 (Eq. 16), clipped to the last output position H' W' - 1 when
    larger (a slider may overshoot while its range follows the stride).
    Returns a dict: ``family`` ("conv"), ``position`` (p after clipping), ``f``,
    ``stride``, ``pad`` (as pairs), ``x_padded``, ``window`` (boolean mask over x_padded),
    ``out`` (i', j'), ``y`` (the whole output), ``value`` (y[i', j']), ``n_positions``
    (H' W'), ``pad_mask`` (padding cells of x_padded) and a one-line ``text``, whose rows
    and columns are numbered as x's (as :func:`draw_conv` labels its axes: -1 is padding).
    """
    x, f = np.asarray(x, dtype=float), np.asarray(f, dtype=float)
    if x.ndim != 2 or f.ndim != 2:
        raise ValueError(f"conv_step: x and f must be 2-D, got shapes {x.shape}, {f.shape}")
    (kh, kw), (sh, sw), (ph, pw) = window_args(f.shape, stride, pad)
    h_out, w_out = conv_output_shape(x.shape, (kh, kw), (sh, sw), (ph, pw))
    position = min(positive_int(position, "position", 0), h_out * w_out - 1)
    i_, j_ = position % h_out, position // h_out                      # Eq. (16)
    xp = np.pad(x, ((ph, ph), (pw, pw)))
    pad_mask = np.ones(xp.shape, dtype=bool)
    pad_mask[ph:ph + x.shape[0], pw:pw + x.shape[1]] = False
    rows, cols = slice(sh * i_, sh * i_ + kh), slice(sw * j_, sw * j_ + kw)
    window = np.zeros(xp.shape, dtype=bool)
    window[rows, cols] = True
    value = float(np.sum(xp[rows, cols] * f))                          # Eq. (12)
    y = (im2col(x, (kh, kw), (sh, sw), (ph, pw)) @ f.reshape(-1, order="F")).reshape(
        h_out, w_out, order="F")                                       # Eq. (20)
    n_pad = int(np.count_nonzero(window & pad_mask))
    text = (f"p = {position}: y[{i_}, {j_}] = {format_value(value)} = sum of window * kernel, "
            f"window rows {rows.start - ph}..{rows.stop - 1 - ph}, "
            f"cols {cols.start - pw}..{cols.stop - 1 - pw} of x"
            + (f" ({n_pad} of its {kh * kw} cells padding)" if n_pad else "")
            + f"; y is {h_out}x{w_out}")
    return {"family": "conv", "position": position, "f": f, "stride": (sh, sw), "pad": (ph, pw),
            "x_padded": xp, "pad_mask": pad_mask, "window": window, "out": (i_, j_), "y": y,
            "value": value, "n_positions": h_out * w_out, "text": text}


def draw_conv(step, figsize=(10, 3.2), fig=None):
    """The convolution explorer's picture: padded x with the window, the kernel, the output.

    step: what :func:`conv_step` returns.  The window's cells are highlighted in x
    (padding in grey) and the output cell it fills in y.  fig: this figure drawn for
    another step, redrawn in place (an explorer's frame; other shapes: the panels are
    reshaped, see :mod:`~cnnlib.views.relayout`).  Returns the Figure.
    """
    step = step_of(step, "conv")
    xp, f, y, (ph, pw) = step["x_padded"], step["f"], step["y"], step["pad"]
    ratios = [xp.shape[1], max(f.shape[1], 2), max(y.shape[1], 2)]
    if fig is None:
        fig, axes = plt.subplots(1, 3, figsize=figsize,
                                 gridspec_kw={"width_ratios": ratios, "wspace": 0.35})
    else:
        clear_marks(fig)
        width_ratios(fig, ratios)
        axes = fig.axes
    draw_matrix(xp, ax=axes[0], highlight=step["window"], shade=step["pad_mask"],
                title=f"x (pad {side(step['pad'])}, stride {side(step['stride'])})",
                row_labels=np.arange(xp.shape[0]) - ph, col_labels=np.arange(xp.shape[1]) - pw)
    draw_matrix(f, ax=axes[1], title="kernel f", cmap=None)
    i_, j_ = step["out"]
    draw_matrix(y, ax=axes[2], highlight=[(i_, j_)], color=TARGET,
                title=f"y = x ⋆ f, cell ({i_}, {j_})")
    return fig


def conv_explorer(x=None, f=None, position=0, stride=1, pad=0):
    """Slide a kernel over a zero-padded input: window, kernel and the output cell it fills.

    x, f: a 2-D input and kernel; when given, the input/kernel menus are hidden.
    Sliders: output position p = i' + H' j' (Eq. 16), stride (1-3), padding (0-2);
    position, stride, pad give their starting values.  Returns the widget box.
    """
    inputs = EXAMPLE_INPUTS if x is None else {"x": np.asarray(x)}
    kernels = EXAMPLE_KERNELS if f is None else {"f": np.asarray(f)}
    position = slider("output position p", position, 0, max(position, 5))
    stride = slider("stride", stride, 1, 3)
    pad = slider("padding", pad, 0, 2)
    x_menu = widgets.Dropdown(options=list(inputs), description="input")
    f_menu = widgets.Dropdown(options=list(kernels), description="kernel")

    def n_positions():
        xx, ff = inputs[x_menu.value], kernels[f_menu.value]
        try:
            h_out, w_out = conv_output_shape(xx.shape, ff.shape, stride.value, pad.value)
        except ValueError:                    # kernel larger than the padded input
            return 1
        return max(h_out * w_out, 1)

    def update_range(_=None):
        position.max = n_positions() - 1

    for w in (stride, pad, x_menu, f_menu):
        w.observe(update_range, names="value")
    update_range()
    frame = Frame(reuse=True, keep=1)

    def redraw(position, stride, pad, x_name, f_name):
        try:
            step = conv_step(inputs[x_name], kernels[f_name], stride, pad, position)
        except ValueError as err:
            print(f"no output: {err}")
            return
        frame.show((stride, pad, x_name, f_name), draw_conv, step)

    out = widgets.interactive_output(redraw, {"position": position, "stride": stride,
                                              "pad": pad, "x_name": x_menu, "f_name": f_menu})
    menus = [m for m, d in ((x_menu, inputs), (f_menu, kernels)) if len(d) > 1]
    return widgets.VBox([position, widgets.HBox([stride, pad])] + menus + [out])


WINDOW_COLOURS = ("tab:orange", "tab:blue", "tab:green", "tab:purple", "tab:red")


def windows_figure(x_shape, kernel, stride=1, pad=0, windows=((0, 0), (0, 1), (1, 0)),
                   figsize=(9, 4.2)):
    """Stride and padding at a glance: the windows of some output cells, on the padded input.

    x_shape: (H, W).  kernel, stride, pad: int or (h, w) pair.  windows: output cells
    (i', j'), at most five; each window is outlined on the zero-padded input (padding grey,
    rows and columns numbered as x's, as :func:`draw_conv` does) in the colour that fills
    its cell of y, whose size is H' = floor((H + 2 pad - kh) / stride) + 1.  Returns the Figure.
    """
    (kh, kw), (sh, sw), (ph, pw) = window_args(kernel, stride, pad)
    h_out, w_out = conv_output_shape(tuple(x_shape), (kh, kw), (sh, sw), (ph, pw))
    if len(windows) > len(WINDOW_COLOURS):
        raise ValueError(f"windows: at most {len(WINDOW_COLOURS)} cells, got {len(windows)}")
    for i_, j_ in windows:
        if not (0 <= i_ < h_out and 0 <= j_ < w_out):
            raise ValueError(f"windows: cell ({i_}, {j_}) is outside y, {h_out}x{w_out}")
    hp, wp = x_shape[0] + 2 * ph, x_shape[1] + 2 * pw
    padding = np.ones((hp, wp), dtype=bool)
    padding[ph:ph + x_shape[0], pw:pw + x_shape[1]] = False
    fig, (ax_x, ax_y) = plt.subplots(1, 2, figsize=figsize, gridspec_kw={
        "width_ratios": [wp, max(w_out, 2)], "wspace": 0.3})
    draw_matrix(np.zeros((hp, wp)), ax=ax_x, shade=padding,
                text=np.where(padding, "0", ""), row_labels=np.arange(hp) - ph,
                col_labels=np.arange(wp) - pw)
    ax_x.set_title(f"x {x_shape[0]}x{x_shape[1]}, padded by {side((ph, pw))} (grey zeros);\n"
                   f"{kh}x{kw} windows start every {side((sh, sw))} cells", fontsize=10, pad=22)
    labels = np.full((h_out, w_out), "", dtype=object)
    for m, (i_, j_) in enumerate(windows):
        inset = 0.08 * (m + 1)                           # overlapping outlines stay apart
        outline(ax_x, sh * i_ + inset, sw * j_ + inset, kh - 2 * inset,
                kw - 2 * inset, color=WINDOW_COLOURS[m], lw=3)
        labels[i_, j_] = f"y[{i_},{j_}]"
    draw_matrix(np.zeros((h_out, w_out)), ax=ax_y, text=labels, fontsize=9)
    ax_y.set_title(f"y {h_out}x{w_out}:\nfloor(({x_shape[0]} + 2·{ph} − {kh}) / {sh}) + 1 "
                   f"= {h_out}", fontsize=10, pad=22)
    for m, (i_, j_) in enumerate(windows):
        outline(ax_y, i_, j_, color=WINDOW_COLOURS[m], fill=True, alpha=0.6)
    return fig


def correlation_figure(a, k, correlation, convolution_flipped, convolution,
                       names=("a", "k"), figsize=(8, 6.6)):
    """Eq. (12) against the true convolution, one equation per row, the input shown in each.

    a: the input; k: the kernel; correlation = a ⋆ k (cross-correlation, Eq. 12,
    cl.conv2d); convolution_flipped = a ∗ flip(k) (true convolution with the kernel
    flipped on both axes, equal to row 1); convolution = a ∗ k (true convolution, not
    equal).  names: what a and k are called in the titles.  Each row says in words
    which operation it is; ⋆ is drawn as a star, ∗ as an asterisk.  Returns the Figure.
    """
    k = np.asarray(k)
    na, nk = names
    rows = [("cross-correlation", nk, k, "⋆", correlation, " (Eq. 12, cl.conv2d)"),
            ("true convolution", f"flip({nk})", k[::-1, ::-1], "∗", convolution_flipped,
             " with the flipped kernel: row 1's numbers"),
            ("true convolution", nk, k, "∗", convolution, " with the kernel as it is: "
             "other numbers")]
    widths = [np.shape(a)[1], k.shape[1], np.shape(correlation)[1]]
    fig, axes = plt.subplots(3, 3, figsize=figsize, gridspec_kw={
        "width_ratios": widths, "wspace": 0.55, "hspace": 0.95})
    for r, (words, kname, kernel, op, result, remark) in enumerate(rows):
        draw_matrix(a, ax=axes[r, 0], title=na)
        draw_matrix(kernel, ax=axes[r, 1], title=kname)
        draw_matrix(result, ax=axes[r, 2], title=f"{words} of {na} and {kname}")
        left, mid, right = (ax.get_position() for ax in axes[r])
        y = (left.y0 + left.y1) / 2
        fig.text((left.x1 + mid.x0) / 2, y, op, fontsize=40 if op == "⋆" else 22,
                 ha="center", va="center")
        fig.text((mid.x1 + right.x0) / 2, y, "=", fontsize=16, ha="center", va="center")
        fig.text(left.x0, left.y1 + 0.07, f"{r + 1}. {na} {op} {kname}: {words}{remark}",
                 fontsize=11, ha="left", va="bottom", weight="bold")
    return fig
