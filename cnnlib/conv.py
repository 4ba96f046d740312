"""The convolution layer (note section 4): forward Eq. (12)/(20), backward Eq. (33), (44).

Forward:  y[i', j', d] = sum_{i, j, dl} f[i, j, dl, d] x[s i' + i, s j' + j, dl] + b[d]
          (Eq. 12 corrected, erratum E6; cross-correlation, no kernel flip), computed as
          vec(y) = vec(phi(x) F), one im2col copy and one matrix product (Eq. 20).
Backward: dz/dF = phi(x)^T dz/dY                         (Eq. 33)
          dz/dx = col2im(dz/dY F^T)  = H^T vec(dz/dY F^T)  (Eq. 44-45)
where F = f reshaped column-major to (kh kw D_in, D_out) and Y = y reshaped to
(H' W' N, D_out), so that vec(Y) = vec(y) as Eq. (26) needs.
"""
import numpy as np

from .im2col import _phi, col2im, col2im_batch_inner, conv_output_shape, phi_batch_inner
from .tensor import as_4d, as_float, from_4d, result_dtype

__all__ = ["conv2d", "conv2d_backward"]


def _filters(f, d_in):
    """f as (kh, kw, D_in, D_out); (kh, kw) and (kh, kw, D_in) mean D_out = 1.

    d_in: the channels of x that f must match (None: do not check)."""
    f = as_float(f, "f")
    if f.ndim not in (2, 3, 4):
        raise ValueError(f"f must be (kh, kw), (kh, kw, D_in) or (kh, kw, D_in, D_out), "
                         f"got shape {f.shape}")
    f4 = f.reshape(f.shape + (1,) * (4 - f.ndim))
    if d_in is not None and f4.shape[2] != d_in:
        raise ValueError(f"f has {f4.shape[2]} input channels (f shape {f.shape}), "
                         f"x has {d_in}")
    return f4


def _prepare(x, f, *others):
    """x as (H, W, D, N) and f as (kh, kw, D, D_out), both in the result's dtype."""
    x = as_float(x, "x")
    x4 = as_4d(x, "x")
    f4 = _filters(f, x4.shape[2])
    dtype = result_dtype(x, f4, *others)
    return x.ndim, x4.astype(dtype, copy=False), f4.astype(dtype, copy=False)


def _Y_to_y(Y, h_out, w_out, n):
    """(H' W' N, D) -> (H', W', D, N): undo the row order p = i' + H' j' + H' W' n."""
    return Y.reshape(h_out, w_out, n, Y.shape[1], order="F").transpose(0, 1, 3, 2)


def _y_to_Y(y4):
    """(H', W', D, N) -> (H' W' N, D), the inverse of :func:`_Y_to_y`."""
    h_out, w_out, d, n = y4.shape
    return y4.transpose(0, 1, 3, 2).reshape(h_out * w_out * n, d, order="F")


def conv2d(x, f, b=None, stride=1, pad=0):
    """y = x * f (+ b): the convolution layer's forward pass, Eq. (12), (20).

    x: (H, W), (H, W, D_in) or (H, W, D_in, N).
    f: (kh, kw, D_in, D_out); (kh, kw) or (kh, kw, D_in) for a single filter.
    b: None or D_out biases, added to every position of channel d (erratum E7).
    stride, pad: int or (h, w) pair; zero padding.
    Returns y of shape (H', W', D_out[, N]), H' = floor((H + 2 pad - kh) / stride) + 1;
    a 2-D x with one filter gives a 2-D y.  float32 in gives float32 out.
    """
    ndim, x4, f4 = _prepare(x, f)
    kh, kw, d_in, d_out = f4.shape
    if b is not None:
        b = as_float(b, "b")
        if b.size != d_out:
            raise ValueError(f"b has {b.size} entries (shape {b.shape}), f has {d_out} filters")
    n = x4.shape[3]
    if _batch_inner(x4, (kh, kw), stride, pad):
        phiT, (h_out, w_out) = phi_batch_inner(x4, (kh, kw), stride, pad)
        YT = f4.reshape(kh * kw * d_in, d_out).T @ phiT             # (phi F)^T, Eq. (20)
        y4 = YT.reshape(d_out, h_out, w_out, n).transpose(1, 2, 0, 3)
    else:
        phi, (h_out, w_out) = _phi(x4, (kh, kw), stride, pad)      # Eq. (14)
        F = f4.reshape(kh * kw * d_in, d_out, order="F")
        Y = (F.T @ phi.T).T        # = phi F, Eq. (20); computed transposed so Y is F-ordered
        y4 = _Y_to_y(Y, h_out, w_out, n)
    if b is not None:
        y4 = y4 + b.reshape(1, 1, d_out, 1).astype(y4.dtype, copy=False)
    return from_4d(y4, ndim)


def _batch_inner(x4, kernel, stride, pad):
    """Whether phi is better copied with the image index n fastest (see im2col.py):
    when n is the contiguous axis of x and runs longer than a column of the output."""
    h_out = conv_output_shape(x4.shape, kernel, stride, pad)[0]
    return x4.shape[3] >= h_out and not x4.flags.f_contiguous


def conv2d_backward(x, f, dzdy, stride=1, pad=0):
    """Gradients of a loss z through y = conv2d(x, f, b, stride, pad), Eq. (33), (44).

    x, f, stride, pad: as given to :func:`conv2d`.  dzdy: dz/dy, shaped like y.
    Returns (dzdx, dzdf, dzdb) shaped like x, f and (D_out,):
    dzdf = phi(x)^T dz/dY (Eq. 33), dzdx = col2im(dz/dY F^T) (Eq. 44-45),
    dzdb[d] = sum of dz/dy over channel d.
    """
    dzdy = as_float(dzdy, "dzdy")
    ndim, x4, f4 = _prepare(x, f, dzdy)
    kh, kw, d_in, d_out = f4.shape
    n = x4.shape[3]
    h_out, w_out = conv_output_shape(x4.shape, (kh, kw), stride, pad)
    y_shape = from_4d(np.empty((h_out, w_out, d_out, n), dtype=bool), ndim).shape
    if dzdy.shape != y_shape:
        raise ValueError(f"dzdy has shape {dzdy.shape}, but y = conv2d(x, f) has shape "
                         f"{y_shape} (x shape {np.shape(x)}, f shape {np.shape(f)})")
    dzdy4 = dzdy.reshape(h_out, w_out, d_out, n).astype(x4.dtype, copy=False)
    if _batch_inner(x4, (kh, kw), stride, pad):           # the same sums, other orders
        dzdYT = dzdy4.transpose(2, 0, 1, 3).reshape(d_out, h_out * w_out * n)
        phiT, _ = phi_batch_inner(x4, (kh, kw), stride, pad)
        F = f4.reshape(kh * kw * d_in, d_out)
        dzdf = (dzdYT @ phiT.T).T.reshape(f4.shape)                 # Eq. (33), transposed
        dzdx = col2im_batch_inner(F @ dzdYT, x4.shape, (kh, kw), stride, pad)
        return dzdx.reshape(np.shape(x)), dzdf.reshape(np.shape(f)), dzdYT.sum(axis=1)
    dzdY = _y_to_Y(dzdy4)
    phi, _ = _phi(x4, (kh, kw), stride, pad)
    F = f4.reshape(kh * kw * d_in, d_out, order="F")
    dzdF = phi.T @ dzdY                                             # Eq. (33)
    dzdphi = (F @ dzdY.T).T        # = dz/dY F^T, F-ordered: col2im reads it without a copy
    dzdx = col2im(dzdphi, x4.shape, (kh, kw), stride, pad)          # Eq. (44)-(45)
    return (dzdx.reshape(np.shape(x)), dzdF.reshape(np.shape(f), order="F"),
            dzdY.sum(axis=0))
