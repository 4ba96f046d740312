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
of the window (:func:`is_window_max`), so S(x) vec(x) == vec(maxpool2d(x)) holds with NaNs.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._checks import as_4d, as_float, from_4d, result_dtype, shape_arg
from ._window import pad_hw, pool_args, window_geometry

__all__ = ["maxpool2d", "maxpool2d_backward", "avgpool2d", "avgpool2d_backward",
           "pool_output_shape"]


def _geometry(x_shape, size, stride, pad):
    size, stride, pad, out = window_geometry(x_shape, *pool_args(size, stride, pad), "size")
    if pad[0] >= size[0] or pad[1] >= size[1]:
        raise ValueError(f"pad {pad} must be smaller than the window size {size}: "
                         f"a window of padding alone has no value")
    return size, stride, pad, out


def pool_output_shape(x_shape, size, stride=None, pad=0):
    """(H', W') of pooling ``size`` windows over ``x_shape``; H' = H / kh in the note (Eq. 46)."""
    x_shape = shape_arg(x_shape)
    return _geometry(x_shape + (1,) * (4 - len(x_shape)), size, stride, pad)[3]


def windows(x4, size, stride, pad, fill):
    """All windows as (H', W', D, N, kh kw), window offset o = i + kh j (column-major).

    x4: (H, W, D, N); padding cells hold ``fill``.  A view, no copy.  Shared with
    ``indicator.maxpool_indicator``, which reads the same windows.
    """
    (kh, kw), (sh, sw), (ph, pw), (h_out, w_out) = _geometry(x4.shape, size, stride, pad)
    d, n = x4.shape[2:]
    xp = pad_hw(x4, (ph, pw), fill=fill)
    s0, s1, s2, s3 = xp.strides
    win = as_strided(xp, shape=(h_out, w_out, d, n, kw, kh),
                     strides=(sh * s0, sw * s1, s2, s3, s1, s0), writeable=False)
    return win.reshape(h_out, w_out, d, n, kw * kh)


def is_window_max(win):
    """Mask of the maximisers of each window win (..., kh kw) (every one on ties), with the
    NaN rule above: in a window holding a NaN, exactly its NaNs."""
    m = win.max(axis=-1, keepdims=True)              # nan when the window holds a nan
    return (win == m) | (np.isnan(win) & np.isnan(m))


def _argmax(x4, size, stride, pad):
    """(y, idx) as (H', W', D, N): the window maxima and their flat column-major index in x."""
    (kh, _), (sh, sw), (ph, pw), (h_out, w_out) = _geometry(x4.shape, size, stride, pad)
    h, w, d, n = x4.shape
    win = windows(x4, size, stride, pad, -np.inf)
    o = win.argmax(axis=-1)           # the FIRST maximum: the ties rule (the first NaN wins)

    def rows_cols(o):                                                   # Eq. (49)-(51)
        return (sh * np.arange(h_out)[:, None, None, None] + o % kh - ph,
                sw * np.arange(w_out)[None, :, None, None] + o // kh - pw)

    il, jl = rows_cols(o)
    padding = (il < 0) | (il >= h) | (jl < 0) | (jl >= w)
    if padding.any():         # all real values -inf, tied with the padding: take the first real
        real = windows(np.ones((h, w, 1, 1), dtype=bool), size, stride, pad, False)
        o[padding] = np.broadcast_to(real, win.shape)[padding].argmax(axis=-1)
        il, jl = rows_cols(o)
    y = np.take_along_axis(win, o[..., None], axis=-1)[..., 0]
    dl = np.arange(d)[None, None, :, None]
    nl = np.arange(n)[None, None, None, :]
    return y, il + h * (jl + w * (dl + d * nl))


def maxpool2d(x, size, stride=None, pad=0, return_indices=False):
    """Max pooling, Eq. (47): y[i', j', d] = max over the window at (i', j') of channel d.

    x: (H, W), (H, W, D) or (H, W, D, N).  size: kh or (kh, kw).
    stride: None (= size, non-overlapping windows, as in the note) or int / pair.
    pad: padding on each side, smaller than size; padding never wins.
    Returns y (H', W'[, D[, N]]); with return_indices also idx, the same shape, holding
    the flat column-major index into x of each maximum (first maximum on ties).
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
    x = as_float(x, "x")
    y = windows(as_4d(x, "x"), size, stride, pad, 0).mean(axis=-1)
    return from_4d(y, x.ndim)


def avgpool2d_backward(x_shape, dzdy, size, stride=None, pad=0):
    """dz/dx through average pooling: each dzdy entry spread evenly, / (kh kw), over its window.

    x_shape: shape of the pooled x.  dzdy: shaped like y.  Returns dzdx of ``x_shape``.
    This is A^T dz/dvec(y) for the linear pooling matrix A of Eq. (48).
    """
    x_shape = shape_arg(x_shape)
    x4_shape = x_shape + (1,) * (4 - len(x_shape))
    (kh, kw), (sh, sw), (ph, pw), (h_out, w_out) = _geometry(x4_shape, size, stride, pad)
    y_shape = from_4d(np.empty((h_out, w_out) + x4_shape[2:], dtype=bool), len(x_shape)).shape
    dzdy = _check_dzdy(dzdy, y_shape, "avgpool2d", x_shape)
    g = dzdy.reshape(h_out, w_out, *x4_shape[2:]) / (kh * kw)
    h, w = x4_shape[:2]
    dzdx = np.zeros((h + 2 * ph, w + 2 * pw) + x4_shape[2:], dtype=g.dtype)
    for j in range(kw):
        for i in range(kh):
            dzdx[i:i + sh * h_out:sh, j:j + sw * w_out:sw] += g
    return dzdx[ph:ph + h, pw:pw + w].reshape(x_shape)


def _check_dzdy(dzdy, y_shape, layer, x_shape):
    dzdy = as_float(dzdy, "dzdy")
    if dzdy.shape != tuple(y_shape):
        raise ValueError(f"dzdy has shape {dzdy.shape}, but y = {layer}(x) has shape "
                         f"{tuple(y_shape)} (x shape {tuple(x_shape)})")
    return dzdy
