"""The rules of a window slid over an image (private): note sections 4.2 and 5.

One place for what a convolution, a pooling, im2col, the indicator matrices, the reverse
operators and the explorers all need: ``kernel``/``size``, ``stride`` and ``pad`` given as
an int or an (h, w) pair; a pooling stride that defaults to the window; the output side
floor((H + 2*pad - kh) / stride) + 1; a window that must fit the padded input; the
smallest input a reverse operator defaults to; and which entries of x the windows read:
:func:`read` (the zero-padded array a strided copy reads) and :func:`taps` (each kernel
offset's rows of x, for a reduction offset by offset).  Both store only what the windows
touch, so memory follows x and the output, never the size of the zero padding.
"""
import numbers

import numpy as np

from ._checks import INTP_MAX, fits


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
    out = (output_size(x_shape[0], kernel[0], stride[0], pad[0]),
           output_size(x_shape[1], kernel[1], stride[1], pad[1]))
    if out[0] * out[1] > INTP_MAX:
        raise ValueError(f"pad {pad} with stride {stride} gives {out[0]} x {out[1]} windows, "
                         f"more than an array can hold (x shape {tuple(x_shape)})")
    return out


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


# ------------------------------------------------------- what the windows read of x
def _reach(n, k, s, p, out):
    """(first, last): the windows along one axis that reach a row of x (first > last: none)."""
    return max(0, -((k - 1 - p) // s)), min(out - 1, (p + n - 1) // s)


def _axis(n, k, s, p, out):
    """One axis of the array :func:`read` makes: (extent, step, dst, src).

    Window i' reads rows step i' .. step i' + k - 1 of it; its rows ``dst`` are x's rows
    ``src`` (None: all of them) and every other row is padding.  stride <= kernel: x padded
    by ``pad``, less the trailing rows no window reaches; step = stride.  stride > kernel:
    the windows leave gaps, which are not stored: the windows sit side by side (step =
    kernel), and dst and src list the rows of the windows that reach x.
    """
    if s <= k:
        return max((out - 1) * s + k, p + n), s, slice(p, p + n), None
    first, last = _reach(n, k, s, p, out)
    src = np.array([s * w - p for w in range(first, last + 1)], dtype=np.intp)
    src = src.reshape(-1, 1) + np.arange(k)
    dst = np.arange(first, last + 1).reshape(-1, 1) * k + np.arange(k)
    keep = (src >= 0) & (src < n)
    return out * k, k, dst[keep], src[keep]


def _index(rows, cols, n_rows, n_cols):
    """Index the first two axes by ``rows`` and ``cols``: slices, index arrays, or None
    for all of the ``n_rows`` rows (``n_cols`` columns)."""
    rows = slice(0, n_rows) if rows is None else rows
    cols = slice(0, n_cols) if cols is None else cols
    if isinstance(rows, slice) or isinstance(cols, slice):
        return rows, cols
    return np.ix_(rows, cols)


def _plan(x_shape, geometry):
    (kh, kw), (sh, sw), (ph, pw), (h_out, w_out) = geometry
    return (_axis(x_shape[0], kh, sh, ph, h_out), _axis(x_shape[1], kw, sw, pw, w_out))


def read(x4, geometry, order=None):
    """(xs, (step_h, step_w)): what the windows of ``geometry`` read of x4 (H, W, D, N).

    Window (i', j') at kernel offset (i, j) reads xs[step_h i' + i, step_w j' + j], zero
    padding included, so a strided view of xs is every window (see :func:`_axis`).
    order: "F" or "C" for the memory order the caller's copy walks best, or None for any.
    Without padding and with stride <= kernel, xs is x4 itself when it is in that order.
    """
    (eh, sh, dh, rh), (ew, sw, dw, rw) = _plan(x4.shape, geometry)
    plain = rh is None and rw is None
    if plain and (eh, ew) == x4.shape[:2] and (order is None
                                              or x4.flags[f"{order}_CONTIGUOUS"]):
        return x4, (sh, sw)
    shape = fits((eh, ew) + x4.shape[2:], "kernel {}, stride {}, pad {}: the padded x",
                 *geometry[:3])
    xs = np.zeros(shape, x4.dtype, order=order or "C")
    if plain:
        xs[dh, dw] = x4
    else:
        xs[_index(dh, dw, *shape[:2])] = x4[_index(rh, rw, *x4.shape[:2])]
    return xs, (sh, sw)


def source_shape(x_shape, geometry):
    """((extent_h, extent_w), steps, plan) of the array :func:`read` makes for ``x_shape``;
    an adjoint (col2im) scatter-adds into zeros of that shape, then calls :func:`write_back`
    with the plan."""
    plan = _plan(x_shape, geometry)
    (eh, sh, _, _), (ew, sw, _, _) = plan
    return (eh, ew), (sh, sw), plan


def write_back(xs, x4_shape, plan):
    """The adjoint of :func:`read`: the entries of xs that are x's, shaped ``x4_shape``
    (padding dropped; a view of xs when stride <= kernel).  plan: from :func:`source_shape`."""
    (_, _, dh, rh), (_, _, dw, rw) = plan
    if rh is None and rw is None:
        return xs[dh, dw]
    x4 = np.zeros(x4_shape, xs.dtype, order="F" if np.isfortran(xs) else "C")
    x4[_index(rh, rw, *x4_shape[:2])] = xs[_index(dh, dw, *xs.shape[:2])]
    return x4


def taps(n, k, s, p, out):
    """The kernel offsets along one axis that fall on x, for reductions offset by offset.

    n rows of x; window k, stride s, pad p; ``out`` windows.  Returns [(i, a, b, rows)] in
    increasing offset i: windows a <= i' < b read x's rows ``rows`` (a slice: s a + i - p,
    then every s-th) at offset i, and read padding there otherwise.  Offsets and windows
    that read only padding are left out, so a huge pad or stride costs nothing.
    """
    first, last = _reach(n, k, s, p, out)
    if s <= n:          # the offsets on x of consecutive windows overlap: one range
        offsets = range(max(0, p - s * last), min(k, p + n - s * first))
    else:
        offsets = sorted({i for w in range(first, last + 1)
                          for i in range(max(0, p - s * w), min(k, p - s * w + n))})
    found = []
    for i in offsets:
        a, b = max(first, -((i - p) // s)), min(last, (p + n - 1 - i) // s) + 1
        if a < b:
            r0 = s * a + i - p
            found.append((i, a, b, slice(r0, r0 + s * (b - a - 1) + 1, s if b - a > 1 else 1)))
    return found
