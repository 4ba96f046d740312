"""The reverse operators (note section 6, Eq. (56)-(57)): transposes, not inverses.

The note calls H^T vec(phi(x)) a "deconvolution" and suggests it undoes im2col.  It does
not (erratum E21): H^T H is the diagonal matrix of coverage counts, so H^T vec(phi(x)) =
counts * vec(x).  What the transposes ARE is adjoints, and that is what a network needs:
  deconv2d    = the transpose of conv2d, y -> H^T (F kron I) vec(y) (the operator of Eq. 44);
  maxunpool2d = S(x)^T: each value back at its window's recorded maximum (Eq. 55);
  avgunpool2d = nearest-neighbour upsampling, kh kw A^T for the average-pool matrix A (E22).
"""
import math

import numpy as np

from .conv import filters_4d, y_to_Y
from .im2col import col2im, conv_output_shape
from .pool import avgpool2d_backward, pool_output_shape
from ._checks import as_4d, as_float, fits, from_4d, result_dtype, shape_arg, shape_from_4d
from ._window import pair, pool_args, smallest_input, window_args

__all__ = ["deconv2d", "maxunpool2d", "avgunpool2d"]


def deconv2d(y, f, stride=1, pad=0, out_size=None):
    """Transposed convolution of y: the adjoint of ``conv2d(., f, stride=stride, pad=pad)``.

    y: (H', W', D_out[, N]) or (H', W') for one filter.  f: (kh, kw, D_in, D_out) as for conv2d.
    out_size: (H, W) of the result; several sizes map to the same H' when stride > 1.
    The default is the SMALLEST valid size: per side the smallest H >= 1 that conv2d maps
    to H', max(1, (H' - 1) stride + kh - 2 pad); a ValueError names kernel, stride and pad
    when no H maps to H' (e.g. H' = 1 with kh = 3, stride 1, pad 2: H = 1 gives 3 rows).
    Returns x of shape (H, W, D_in[, N]) (2-D for a 2-D y with D_in = 1) such that
    <conv2d(x0, f), y> == <x0, deconv2d(y, f)> for every x0 of that shape.
    It is the dz/dx of conv2d for dz/dy = y (Eq. 44): col2im(Y F^T).
    """
    y = as_float(y, "y")
    y4 = as_4d(y, "y")
    h_out, w_out, d_out, n = y4.shape
    f4 = filters_4d(f, None)
    if f4.shape[3] != d_out:
        raise ValueError(f"y has {d_out} channels (y shape {y.shape}), but f has {f4.shape[3]} "
                         f"filters (f shape {np.shape(f)})")
    kh, kw, d_in, _ = f4.shape
    _, (sh, sw), (ph, pw) = window_args(f4.shape[:2], stride, pad)
    if out_size is None:
        out_size = smallest_input((h_out, w_out), (kh, kw), (sh, sw), (ph, pw))
        fits(out_size + (d_in, n), "the smallest out_size for stride {}, pad {} gives x",
             (sh, sw), (ph, pw))
    out_size = pair(out_size, "out_size")
    x_shape = out_size + (d_in, n)
    if (kh > out_size[0] + 2 * ph or kw > out_size[1] + 2 * pw
            or conv_output_shape(x_shape, (kh, kw), stride, pad) != (h_out, w_out)):
        raise ValueError(f"out_size {out_size} does not convolve to y's {(h_out, w_out)} "
                         f"(y shape {y.shape}) with kernel {(kh, kw)}, stride {(sh, sw)}, "
                         f"pad {(ph, pw)}")
    dtype = result_dtype(y, f4)
    F = f4.reshape(kh * kw * d_in, d_out, order="F").astype(dtype, copy=False)
    x4 = col2im(y_to_Y(y4.astype(dtype, copy=False)) @ F.T, x_shape, (kh, kw), stride, pad)
    return from_4d(x4, y.ndim)


def maxunpool2d(y, idx, x_shape):
    """Max unpooling, S(x)^T vec(y): zeros of ``x_shape`` except y at the recorded maxima.

    y: pooled values (or gradients); idx: from ``maxpool2d(x, ..., return_indices=True)``,
    same shape as y; x_shape: the shape of x.  Values whose windows share a maximum
    (overlapping windows) add up, so maxunpool2d(dzdy, idx, x.shape) is maxpool2d_backward.
    """
    y, idx = as_float(y, "y"), np.asarray(idx)
    x_shape = shape_arg(x_shape)
    size = math.prod(x_shape)
    if idx.shape != y.shape:
        raise ValueError(f"idx has shape {idx.shape}, y has {y.shape}: they must match")
    if idx.dtype.kind not in "iu":
        raise TypeError(f"idx must hold integer positions, got dtype {idx.dtype}")
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        raise ValueError(f"idx holds positions in [{idx.min()}, {idx.max()}], outside "
                         f"x_shape {x_shape} ({size} entries)")
    x = np.bincount(idx.ravel(), weights=y.ravel(), minlength=size)
    return x.astype(y.dtype, copy=False).reshape(x_shape, order="F")


def avgunpool2d(y, size, stride=None, pad=0, x_shape=None):
    """Average unpooling: every pooled value copied back into each cell of its window.

    This is nearest-neighbour upsampling, kh kw A^T vec(y) for the average-pool matrix A
    (Eq. 48, erratum E22).  avgpool2d(avgunpool2d(y)) == y exactly when no two windows
    share a cell and no window reaches into the padding: stride >= size on both sides
    and pad = 0 (then A A^T = I / (kh kw)).  With padding a window keeps only the share
    of y its real cells hold (y / 4 in a corner for size 2, pad 1); overlapping windows
    add their neighbours' values.  avgunpool2d(avgpool2d(x)) is only a blocky x.
    y: (H', W'[, D[, N]]); size, stride, pad as for avgpool2d.  x_shape: the shape of the
    pooled x; the default is the SMALLEST valid one, per side the smallest H >= 1 that
    pools to H', max(1, (H' - 1) stride + kh - 2 pad); a ValueError names size, stride and
    pad when no H pools to H' (e.g. H' = 1 with size 3, stride 1, pad 2).
    """
    y = as_float(y, "y")
    as_4d(y, "y")                                   # y must be (H', W'[, D[, N]])
    size, stride, pad = pool_args(size, stride, pad)
    if x_shape is None:
        x_shape = smallest_input(y.shape[:2], size, stride, pad, "pools to", "size")
        x_shape = fits(x_shape + y.shape[2:], "the smallest x_shape for size {}, stride {}, "
                       "pad {}:", size, stride, pad)
    x_shape = shape_arg(x_shape)
    x4_shape = x_shape + (1,) * (4 - len(x_shape))
    want = shape_from_4d(pool_output_shape(x4_shape, size, stride, pad) + x4_shape[2:],
                         len(x_shape))
    if want != y.shape:
        raise ValueError(f"x_shape {x_shape} pools to {want}, not to y's shape {y.shape} "
                         f"(size {size}, stride {stride}, pad {pad})")
    return avgpool2d_backward(x_shape, y, size, stride, pad) * (size[0] * size[1])
