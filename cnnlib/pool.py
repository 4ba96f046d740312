"""The pooling layer (note section 5): max pooling Eq. (47), average pooling Eq. (48).

The note pools non-overlapping H x W windows (Eq. 46): y[i', j', d] is the max or the
mean of x[i' H + i, j' W + j, d].  cnnlib adds a stride (default: the window size,
as in the note) and padding; the output side is floor((H + 2 pad - kh) / stride) + 1.
Padding never wins a max (it counts as -inf) and counts as zeros in an average.

Ties (erratum E20): the note says exactly one input attains each max, which fails
when a window holds equal values (all-zero windows after ReLU are common).  cnnlib
picks the FIRST maximum in column-major order (window offset o = i + kh j, the order
of vec), and the forward pass, the backward pass, ``maxpool_indicator`` and
``maxunpool2d`` all use that one choice.

NaN (defined here once): a NaN is larger than every number, as in ``np.max``, and all NaNs
tie.  A window holding a NaN pools to NaN, its first NaN (column-major) is the recorded
maximum that receives the gradient, and ``maxpool_indicator(ties="all")`` marks every NaN
of the window (:func:`is_max`), so S(x) vec(x) == vec(maxpool2d(x)) holds with NaNs.

How: a window's max is the max over its columns of each column's max, and its mean the
sum over its columns of each column's sum, / (kh kw).  So pooling reduces along H, one
kernel offset at a time (``_window.taps``: only the offsets that fall on x, no padding is
stored), then likewise along W: memory follows x and y, never a copy of every window.
Going down each column first and then across the columns finds the first maximum in
column-major order.
"""
import numpy as np

from ._checks import as_4d, as_float, from_4d, result_dtype, shape_arg, shape_from_4d
from ._window import pool_args, taps, window_geometry

__all__ = ["maxpool2d", "maxpool2d_backward", "avgpool2d", "avgpool2d_backward",
           "pool_output_shape"]


def pool_geometry(x4_shape, size, stride, pad):
    """window_geometry for pooling x4_shape (H, W, D, N): stride None = size, pad < size,
    and x must have rows and columns (a window of padding alone has no value)."""
    geometry = window_geometry(x4_shape, *pool_args(size, stride, pad), "size")
    size, _, pad, _ = geometry
    if pad[0] >= size[0] or pad[1] >= size[1]:
        raise ValueError(f"pad {pad} must be smaller than the window size {size}: "
                         f"a window of padding alone has no value")
    if 0 in x4_shape[:2]:
        raise ValueError(f"x shape {tuple(x4_shape)} has no rows or no columns: every window "
                         f"holds padding alone, which has no value (size {size}, pad {pad})")
    return geometry


def pool_taps(x4_shape, geometry):
    """(taps along H, taps along W) of ``_window.taps`` for a parsed pooling geometry."""
    kernel, stride, pad, out = geometry
    return [taps(x4_shape[a], kernel[a], stride[a], pad[a], out[a]) for a in (0, 1)]


def pool_output_shape(x_shape, size, stride=None, pad=0):
    """(H', W') of pooling ``size`` windows over ``x_shape``; H' = H / kh in the note (Eq. 46)."""
    x_shape = shape_arg(x_shape)
    return pool_geometry(x_shape + (1,) * (4 - len(x_shape)), size, stride, pad)[3]


def is_max(values, maxima):
    """Where ``values`` equal their window's maximum, with the NaN rule above."""
    return (values == maxima) | (np.isnan(values) & np.isnan(maxima))


def _max_down(v, tap_list, best, at, carry=None, got=None):
    """Max pooling along axis 0 of v, into best (windows, ...): at = the row of v holding
    each max (the first on ties, the NaN rule above) and got = ``carry`` at that row."""
    seen = best.shape[0]                       # windows >= seen have read a row already
    for _, a, b, rows in tap_list:
        cur = v[rows]
        pos = np.arange(rows.start, rows.stop, rows.step).reshape((-1,) + (1,) * (v.ndim - 1))
        m = min(b, seen) - a                   # windows a .. a + m - 1 read their first row
        best[a:a + m], at[a:a + m] = cur[:m], pos[:m]
        if carry is not None:
            got[a:a + m] = carry[rows][:m]
        if a + m < b:
            old, cur = best[a + m:b], cur[m:]
            better = ~(cur <= old) & (old == old)   # larger, or the first NaN: the rules above
            np.copyto(old, cur, where=better)
            np.copyto(at[a + m:b], pos[m:], where=better)
            if carry is not None:
                np.copyto(got[a + m:b], carry[rows][m:], where=better)
        seen = a


def _sum_down(v, tap_list, acc):
    """Sum pooling along axis 0 of v into acc (windows, ...): each window's rows on x."""
    seen = acc.shape[0]
    for _, a, b, rows in tap_list:
        cur = v[rows]
        m = min(b, seen) - a
        acc[a:a + m] = cur[:m]
        acc[a + m:b] += cur[m:]
        seen = a


def _spread_up(g, tap_list, acc):
    """The adjoint of :func:`_sum_down`: add g (windows, ...) to each window's rows of acc."""
    for _, a, b, rows in tap_list:
        acc[rows] += g[a:b]


def _argmax(x4, size, stride, pad):
    """(y, idx) as (H', W', D, N): the window maxima and their flat column-major index in x."""
    geometry = pool_geometry(x4.shape, size, stride, pad)
    (h_out, w_out), (h, w, d, n) = geometry[3], x4.shape
    down, across = pool_taps(x4.shape, geometry)
    col_max, col_row = np.empty((h_out, w, d, n), x4.dtype), np.empty((h_out, w, d, n), np.intp)
    _max_down(x4, down, col_max, col_row)                        # each column of each window
    y, il, jl = (np.empty((h_out, w_out, d, n), t) for t in (x4.dtype, np.intp, np.intp))
    _max_down(col_max.swapaxes(0, 1), across, y.swapaxes(0, 1), jl.swapaxes(0, 1),
              col_row.swapaxes(0, 1), il.swapaxes(0, 1))        # then across the columns
    dl = np.arange(d)[None, None, :, None]
    nl = np.arange(n)[None, None, None, :]
    return y, il + h * (jl + w * (dl + d * nl))                  # Eq. (49)-(51)


def maxpool2d(x, size, stride=None, pad=0, return_indices=False):
    """Max pooling, Eq. (47): y[i', j', d] = max over the window at (i', j') of channel d.

    x: (H, W), (H, W, D) or (H, W, D, N).  size: kh or (kh, kw).
    stride: None (= size, non-overlapping windows, as in the note) or int / pair.
    pad: padding on each side, smaller than size; padding never wins.
    Returns y (H', W'[, D[, N]]); with return_indices also idx, the same shape, holding
    the flat column-major index into x of each maximum (first maximum on ties).
    An x with no rows or columns is refused (its windows would hold padding alone); an
    x with no channels or no images gives an empty y and idx.
    """
    x = as_float(x, "x")
    y, idx = _argmax(as_4d(x, "x"), size, stride, pad)
    y, idx = from_4d(y, x.ndim), from_4d(idx, x.ndim)
    return (y, idx) if return_indices else y


def maxpool2d_backward(x, dzdy, size, stride=None, pad=0):
    """dz/dx through max pooling, Eq. (55): dz/dvec(x) = S(x)^T dz/dvec(y).

    x, size, stride, pad: as given to :func:`maxpool2d`.  dzdy: shaped like y.
    Each dzdy entry goes to its window's (first) maximum; overlapping windows add up.
    Returns dzdx shaped like x.
    """
    x = as_float(x, "x")
    _, idx = maxpool2d(x, size, stride, pad, return_indices=True)
    dzdy = _check_dzdy(dzdy, idx.shape, "maxpool2d", x.shape)
    dtype = result_dtype(x, dzdy)
    dzdx = np.bincount(idx.ravel(), weights=dzdy.ravel(), minlength=x.size)
    return dzdx.astype(dtype, copy=False).reshape(x.shape, order="F")


def avgpool2d(x, size, stride=None, pad=0):
    """Average pooling, Eq. (48): y[i', j', d] = (1 / kh kw) * sum over the window.

    Arguments as :func:`maxpool2d`; padding counts as zeros in the mean.
    Returns y shaped (H', W'[, D[, N]]).
    """
    x4 = as_4d(as_float(x, "x"), "x")
    geometry = pool_geometry(x4.shape, size, stride, pad)
    (kh, kw), _, _, (h_out, w_out) = geometry
    down, across = pool_taps(x4.shape, geometry)
    col_sum = np.empty((h_out,) + x4.shape[1:], x4.dtype)
    _sum_down(x4, down, col_sum)                                 # each column of each window
    y = np.empty((h_out, w_out) + x4.shape[2:], x4.dtype)
    _sum_down(col_sum.swapaxes(0, 1), across, y.swapaxes(0, 1))  # then across the columns
    return from_4d(y / (kh * kw), np.ndim(x))


def avgpool2d_backward(x_shape, dzdy, size, stride=None, pad=0):
    """dz/dx through average pooling: each dzdy entry spread evenly, / (kh kw), over its window.

    x_shape: shape of the pooled x.  dzdy: shaped like y.  Returns dzdx of ``x_shape``.
    This is A^T dz/dvec(y) for the linear pooling matrix A of Eq. (48).
    """
    x_shape = shape_arg(x_shape)
    x4_shape = x_shape + (1,) * (4 - len(x_shape))
    geometry = pool_geometry(x4_shape, size, stride, pad)
    (kh, kw), _, _, (h_out, w_out) = geometry
    y_shape = shape_from_4d((h_out, w_out) + x4_shape[2:], len(x_shape))
    dzdy = _check_dzdy(dzdy, y_shape, "avgpool2d", x_shape)
    g = dzdy.reshape(h_out, w_out, *x4_shape[2:]) / (kh * kw)
    down, across = pool_taps(x4_shape, geometry)
    col = np.zeros((h_out,) + x4_shape[1:], g.dtype)
    _spread_up(g.swapaxes(0, 1), across, col.swapaxes(0, 1))   # back across the columns
    dzdx = np.zeros(x4_shape, g.dtype)
    _spread_up(col, down, dzdx)                                  # then down each column
    return dzdx.reshape(x_shape)


def _check_dzdy(dzdy, y_shape, layer, x_shape):
    dzdy = as_float(dzdy, "dzdy")
    if dzdy.shape != tuple(y_shape):
        raise ValueError(f"dzdy has shape {dzdy.shape}, but y = {layer}(x) has shape "
                         f"{tuple(y_shape)} (x shape {tuple(x_shape)})")
    return dzdy
