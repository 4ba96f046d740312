"""The rules of a window slid over an image (private): note sections 4.2 and 5.

One place for what a convolution, a pooling, im2col, the indicator matrices, the reverse
operators and the explorers all need: ``kernel``/``size``, ``stride`` and ``pad`` given as
an int or an (h, w) pair; a pooling stride that defaults to the window; zero padding; the
output side floor((H + 2*pad - kh) / stride) + 1; a window that must fit the padded input;
the smallest input a reverse operator defaults to.
"""
import numbers

import numpy as np


def pair(value, name, minimum=1):
    """An int or an (h, w) pair of ints >= minimum, returned as a tuple (h, w)."""
    if type(value) is int and value >= minimum:          # the common case, checked quickly
        return value, value
    if type(value) is tuple and len(value) == 2 and all(type(v) is int and v >= minimum
                                                        for v in value):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    vals = (value, value) if not isinstance(value, (tuple, list, np.ndarray)) else tuple(value)
    if len(vals) != 2:
        raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r}")
    out = []
    for v in vals:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an int or an (h, w) pair of ints, got {value!r}")
        if v < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
        out.append(int(v))
    return tuple(out)


def pad_hw(x4, pad, order=None, fill=0):
    """x4 (H, W, D, N) with pad = (ph, pw) rows and columns of ``fill`` on each side.

    order: "F" or "C" for the memory order the caller's copy walks best, or None for any.
    x4 itself is returned when there is nothing to pad and it is already in that order.
    """
    ph, pw = pad
    if not (ph or pw) and (order is None or x4.flags[f"{order}_CONTIGUOUS"]):
        return x4
    h, w, d, n = x4.shape
    shape, order = (h + 2 * ph, w + 2 * pw, d, n), order or "C"
    xp = (np.zeros(shape, x4.dtype, order=order) if fill == 0 else
          np.full(shape, fill, x4.dtype, order=order))
    xp[ph:ph + h, pw:pw + w] = x4
    return xp


def output_size(n, k, stride, pad):
    """Output side of a sliding window: floor((n + 2*pad - k) / stride) + 1."""
    return (n + 2 * pad - k) // stride + 1


def check_window(x_shape, kernel, stride, pad, name="kernel"):
    """Validate a window over the first two axes of ``x_shape``; return (h_out, w_out)."""
    for ax, side in enumerate("HW"):
        n, k, p = x_shape[ax], kernel[ax], pad[ax]
        if k > n + 2 * p:
            raise ValueError(f"{name} {k} exceeds {side} + 2*pad = {n + 2 * p} "
                             f"(x shape {tuple(x_shape)}, {name} {kernel}, pad={pad})")
    return (output_size(x_shape[0], kernel[0], stride[0], pad[0]),
            output_size(x_shape[1], kernel[1], stride[1], pad[1]))


def window_args(kernel, stride=1, pad=0, name="kernel"):
    """``kernel``, ``stride``, ``pad`` as (h, w) pairs.  ``name`` is what the window is called
    in messages ("kernel", "size")."""
    return pair(kernel, name), pair(stride, "stride"), pair(pad, "pad", 0)


def pool_args(size, stride=None, pad=0):
    """Pooling's window as :func:`window_args`; ``stride=None`` means the window itself
    (non-overlapping windows, as in note section 5)."""
    size = pair(size, "size")
    return window_args(size, size if stride is None else stride, pad, "size")


def window_geometry(x_shape, kernel, stride=1, pad=0, name="kernel"):
    """A window slid over the first two axes of ``x_shape``, parsed and checked once.

    Returns ((kh, kw), (sh, sw), (ph, pw), (H', W')).  The public entries of im2col and conv
    call it once and pass the result down; pooling passes its stride through
    :func:`pool_args` first.
    """
    kernel, stride, pad = window_args(kernel, stride, pad, name)
    return kernel, stride, pad, check_window(x_shape, kernel, stride, pad, name)


def smallest_input(y_hw, kernel, stride, pad, verb="convolves to", name="kernel"):
    """The default size of a reverse operator's result: the SMALLEST valid input.

    Per side, the smallest n >= 1 that the forward window maps to y's side H':
    floor((n + 2 pad - k) / stride) + 1 == H', i.e. n = max(1, (H' - 1) stride + k - 2 pad)
    when that n maps to H' (every n up to H' stride + k - 2 pad - 1 does as well).
    y_hw: (H', W'); kernel, stride, pad: (h, w) pairs; verb and name for the message
    ("pools to", "size").  Returns (H, W), or raises a ValueError naming the arguments
    when no n >= 1 maps to H' (e.g. padding that alone gives a single row more outputs).
    """
    sides = []
    for ax, side in enumerate(("rows", "columns")):
        out, k, s, p = y_hw[ax], kernel[ax], stride[ax], pad[ax]
        n = max(1, (out - 1) * s + k - 2 * p)
        if out < 1 or output_size(n, k, s, p) != out:
            raise ValueError(f"no input size {verb} y's {out} {side} with {name} {k}, "
                             f"stride {s}, pad {p}")
        sides.append(n)
    return tuple(sides)
