"""im2col: the matrix phi(x) of note sections 4.3-4.4, Eq. (14)-(20), and its adjoint.

Row p of phi is the receptive field of output position (i', j'), with
p = i' + H' j' (Eq. 16); column q is the filter offset (i, j, d) with
q = i + kh j + kh kw d (Eq. 17); the entry is x[s i' + i - pad, s j' + j - pad, d]
(Eq. 18-19 with stride s and zero padding).  Then vec(y) = vec(phi F) (Eq. 20).

``im2col`` is one strided copy; ``col2im`` (its adjoint, the scatter-add of
Eq. 45) loops only over the kh*kw kernel offsets.

For the modules built on it (conv, not the notebooks): ``phi_4d`` and ``col2im_4d`` take
a window parsed and checked once by ``_window.window_geometry``, so a layer's forward or
backward pass parses it once.  Both store only what the windows touch (``_window.read``):
a huge stride or pad costs no memory beyond phi itself.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._checks import as_4d, as_float, shape_arg
from ._window import read, source_shape, window_geometry, write_back

__all__ = ["im2col", "col2im", "conv_output_shape"]


def conv_output_shape(x_shape, kernel, stride=1, pad=0):
    """(H', W') of a window ``kernel`` slid over ``x_shape`` with ``stride`` and ``pad``.

    Each side is floor((H + 2*pad - kh) / stride) + 1 (the note's H' = H^l - H + 1
    when stride is 1 and pad is 0).
    """
    x_shape = shape_arg(x_shape)
    return window_geometry(x_shape + (1,) * (4 - len(x_shape)), kernel, stride, pad)[3]


def im2col(x, kernel, stride=1, pad=0):
    """phi(x): one row per output position, one column per filter entry, Eq. (14)-(19).

    x: (H, W), (H, W, D) or a mini-batch (H, W, D, N).
    kernel: kh or (kh, kw).  stride, pad: int or (h, w) pair (zero padding).
    Returns phi of shape (H' W' N, kh kw D), rows p = i' + H' j' + H' W' n (Eq. 16,
    image n's rows after image n-1's), columns q = i + kh j + kh kw d (Eq. 17),
    phi[p, q] = x_padded[stride i' + i, stride j' + j, d, n] (Eq. 18-19).
    The result is F-contiguous, a fresh array.
    """
    x4 = as_4d(as_float(x, "x"), "x")
    return phi_4d(x4, window_geometry(x4.shape, kernel, stride, pad))


def phi_4d(x4, geometry):
    """phi of x4 (H, W, D, N) for a parsed ``geometry``: the work of :func:`im2col`."""
    (kh, kw), _, _, (h_out, w_out) = geometry
    xs, (sh, sw) = read(x4, geometry, order="F")    # the copy below walks the first axis fastest
    d, n = x4.shape[2:]
    s0, s1, s2, s3 = xs.strides
    # axes (d, j, i, n, j', i'): a C-order copy of this view is phi transposed
    win = as_strided(xs, shape=(d, kw, kh, n, w_out, h_out),
                     strides=(s2, s1, s0, s3, sw * s1, sh * s0), writeable=False)
    return win.copy(order="C").reshape(d * kw * kh, n * w_out * h_out).T


def col2im(phi, x_shape, kernel, stride=1, pad=0):
    """The adjoint of :func:`im2col`: add every entry of ``phi`` back where it came from.

    phi: (H' W' N, kh kw D), rows and columns ordered as :func:`im2col` makes them.
    x_shape: the shape of x, (H, W), (H, W, D) or (H, W, D, N).
    Returns an array of ``x_shape``: entry (i^l, j^l, d) is the sum of phi[p, q] over all
    (p, q) that copy it, Eq. (45) (entries copied into the zero padding are dropped).
    So <im2col(x), M> == <x, col2im(M)> for every M, and col2im(im2col(x)) = counts * x.
    """
    x_shape = shape_arg(x_shape)
    x4_shape = x_shape + (1,) * (4 - len(x_shape))
    geometry = window_geometry(x4_shape, kernel, stride, pad)
    (kh, kw), stride, pad, (h_out, w_out) = geometry
    phi = as_float(phi, "phi")
    want = (h_out * w_out * x4_shape[3], kh * kw * x4_shape[2])
    if phi.shape != want:
        raise ValueError(f"phi has shape {phi.shape}, but x_shape {x_shape} with kernel "
                         f"{(kh, kw)}, stride {stride}, pad {pad} needs {want}")
    return col2im_4d(phi, x4_shape, geometry).reshape(x_shape)


def col2im_4d(phi, x4_shape, geometry):
    """The work of :func:`col2im` for x4_shape (H, W, D, N) and a parsed ``geometry``."""
    (kh, kw), _, _, (h_out, w_out) = geometry
    d, n = x4_shape[2:]
    # blocks[i', j', n, i, j, d] = phi[p, q]
    blocks = phi.reshape(h_out, w_out, n, kh, kw, d, order="F")   # a view if phi is F-ordered
    extent, (sh, sw), plan = source_shape(x4_shape, geometry)     # where phi was read from
    xs = np.zeros(extent + (d, n), dtype=phi.dtype, order="F")
    for i in range(kh):
        for j in range(kw):
            xs[i:i + sh * h_out:sh, j:j + sw * w_out:sw] += \
                blocks[:, :, :, i, j, :].transpose(0, 1, 3, 2)
    return write_back(xs, x4_shape, plan)
