"""The convolution layer (note section 4): forward Eq. (12)/(20), backward Eq. (33), (44).

Forward:  y[i', j', d] = sum_{i, j, dl} f[i, j, dl, d] x[s i' + i, s j' + j, dl] + b[d]
          (Eq. 12 corrected, erratum E6; cross-correlation, no kernel flip), computed as
          vec(y) = vec(phi(x) F), one im2col copy and one matrix product (Eq. 20).
Backward: dz/dF = phi(x)^T dz/dY                         (Eq. 33)
          dz/dx = col2im(dz/dY F^T)  = H^T vec(dz/dY F^T)  (Eq. 44-45)
where F = f reshaped column-major to (kh kw D_in, D_out) and Y = y reshaped to
(H' W' N, D_out), so that vec(Y) = vec(y) as Eq. (26) needs.  That is the code below.
For a mini-batch whose image index is its contiguous axis, conv2d computes the same
products with phi's rows and columns permuted (``_convfast``, the fast path).
"""
import numpy as np

from ._convfast import backward_batch_inner, batch_inner, forward_batch_inner
from ._window import window_geometry
from .im2col import col2im_4d, phi_4d
from ._checks import as_4d, as_float, from_4d, result_dtype, shape_from_4d

__all__ = ["conv2d", "conv2d_backward"]


def filters_4d(f, d_in):
    """f as (kh, kw, D_in, D_out); (kh, kw) and (kh, kw, D_in) mean D_out = 1.

    d_in: the channels of x that f must match (None: do not check).  Shared with
    ``reverse.deconv2d``, which takes its filters as conv2d does."""
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
    f4 = filters_4d(f, x4.shape[2])
    dtype = result_dtype(x, f4, *others)
    return x.ndim, x4.astype(dtype, copy=False), f4.astype(dtype, copy=False)


def Y_to_y(Y, h_out, w_out, n):
    """(H' W' N, D) -> (H', W', D, N): undo the row order p = i' + H' j' + H' W' n."""
    return Y.reshape(h_out, w_out, n, Y.shape[1], order="F").transpose(0, 1, 3, 2)


def y_to_Y(y4):
    """(H', W', D, N) -> (H' W' N, D), the inverse of :func:`Y_to_y` (so vec(Y) = vec(y))."""
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
    d_out = f4.shape[3]
    if b is not None:
        b = as_float(b, "b")
        if b.size != d_out:
            raise ValueError(f"b has {b.size} entries (shape {b.shape}), f has {d_out} filters")
    geometry = window_geometry(x4.shape, f4.shape[:2], stride, pad)
    forward = forward_batch_inner if batch_inner(x4, geometry) else forward_eq20
    y4 = forward(x4, f4, geometry)
    if b is not None:
        y4 = y4 + b.reshape(1, 1, d_out, 1).astype(y4.dtype, copy=False)
    return from_4d(y4, ndim)


def conv2d_backward(x, f, dzdy, stride=1, pad=0):
    """Gradients of a loss z through y = conv2d(x, f, b, stride, pad), Eq. (33), (44).

    x, f, stride, pad: as given to :func:`conv2d`.  dzdy: dz/dy, shaped like y.
    Returns (dzdx, dzdf, dzdb) shaped like x, f and (D_out,):
    dzdf = phi(x)^T dz/dY (Eq. 33), dzdx = col2im(dz/dY F^T) (Eq. 44-45),
    dzdb[d] = sum of dz/dy over channel d.
    """
    dzdy = as_float(dzdy, "dzdy")
    ndim, x4, f4 = _prepare(x, f, dzdy)
    d_out, n = f4.shape[3], x4.shape[3]
    geometry = window_geometry(x4.shape, f4.shape[:2], stride, pad)
    h_out, w_out = geometry[3]
    y_shape = shape_from_4d((h_out, w_out, d_out, n), ndim)
    if dzdy.shape != y_shape:
        raise ValueError(f"dzdy has shape {dzdy.shape}, but y = conv2d(x, f) has shape "
                         f"{y_shape} (x shape {np.shape(x)}, f shape {np.shape(f)})")
    dzdy4 = dzdy.reshape(h_out, w_out, d_out, n).astype(x4.dtype, copy=False)
    backward = backward_batch_inner if batch_inner(x4, geometry) else backward_eq33_44
    dzdx, dzdf, dzdb = backward(x4, f4, dzdy4, geometry)
    return dzdx.reshape(np.shape(x)), dzdf.reshape(np.shape(f), order="F"), dzdb


# ------------------------------------------------------------- Eq. (20), (33), (44)
def F_of(f4):
    """F: f4 (kh, kw, D_in, D_out) reshaped column-major to (kh kw D_in, D_out), Eq. (20)."""
    kh, kw, d_in, d_out = f4.shape
    return f4.reshape(kh * kw * d_in, d_out, order="F")


def eq20_product(phi, F):
    """Y = phi F, Eq. (20); computed as (F^T phi^T)^T so that Y comes out F-ordered."""
    return (F.T @ phi.T).T


def eq33_product(phi, dzdY):
    """dz/dF = phi^T dz/dY, Eq. (33)."""
    return phi.T @ dzdY


def eq44_product(dzdY, F):
    """dz/dphi = dz/dY F^T, Eq. (44); F-ordered, so col2im reads it without a copy."""
    return (F @ dzdY.T).T


def bias_gradient(dzdY):
    """dz/db[d] = sum of column d of dz/dY (erratum E7: b[d] is added at every position)."""
    return dzdY.sum(axis=0)


def forward_eq20(x4, f4, geometry):
    """y4 (H', W', D_out, N) = phi(x) F reshaped, Eq. (14), (20)."""
    h_out, w_out = geometry[3]
    phi = phi_4d(x4, geometry)                                          # Eq. (14)
    return Y_to_y(eq20_product(phi, F_of(f4)), h_out, w_out, x4.shape[3])


def backward_eq33_44(x4, f4, dzdy4, geometry):
    """(dzdx4, dzdf4, dzdb): dz/dF = phi^T dz/dY (Eq. 33), dz/dx = col2im(dz/dY F^T) (44)."""
    dzdY, F = y_to_Y(dzdy4), F_of(f4)
    dzdF = eq33_product(phi_4d(x4, geometry), dzdY)                     # Eq. (33)
    dzdx = col2im_4d(eq44_product(dzdY, F), x4.shape, geometry)         # Eq. (44)-(45)
    return dzdx, dzdF.reshape(f4.shape, order="F"), bias_gradient(dzdY)
