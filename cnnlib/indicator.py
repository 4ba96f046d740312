"""Indicator matrices (note sections 4.7 and 5): im2col and max pooling as sparse 0/1 matrices.

H (Eq. 34): row r = p + (H' W') q, the position of phi[p, q] in vec(phi); column u, the
column-major position of the input entry x[i^l, j^l, d^l] that phi[p, q] copies.  Then
vec(phi(x)) = H vec(x) (Eq. 35) and, phi being linear in x, d vec(phi)/d vec(x)^T = H
(Eq. 36).  The map (p, q) -> u is many-to-one (erratum E11): each row of H holds one 1,
column u holds as many as there are windows covering entry u (rows that copy zero
padding are all zero).

S(x) (Eq. 52): row r = i' + H' j' + H' W' d (+ H' W' D n), the position of y[i', j', d] in
vec(y); a 1 in the column of the input that is the window's maximum, so that
vec(y) = S(x) vec(x) (Eq. 53) and dz/dvec(x) = S(x)^T dz/dvec(y) (Eq. 55).
"""
import numpy as np
import scipy.sparse as sp

from .im2col import im2col
from .pool import is_max, maxpool2d, pool_geometry, pool_taps
from ._checks import as_4d, as_float, shape_arg
from .tensor import vec

__all__ = ["phi_index", "conv_indicator", "maxpool_indicator"]


def phi_index(x_shape, kernel, stride=1, pad=0):
    """Which entry of x each entry of phi copies: the index map of Eq. (16)-(19), (34).

    x_shape: (H, W), (H, W, D) or (H, W, D, N); kernel, stride, pad as for :func:`im2col`.
    Returns an int64 array shaped like phi, (H' W' N, kh kw D): entry (p, q) is u, the
    column-major position of x[i^l, j^l, d^l] in vec(x) (0 <= u < prod(x_shape)), the
    column of row p + H' W' N q of H; -1 where phi[p, q] copies zero padding.
    """
    x_shape = shape_arg(x_shape)
    size = int(np.prod(x_shape))
    # im2col of the tensor of 1-based positions: padding copies 0, so it becomes -1
    positions = np.arange(1, size + 1, dtype=np.float64).reshape(x_shape, order="F")
    return im2col(positions, kernel, stride, pad).astype(np.int64) - 1


def conv_indicator(x_shape, kernel, stride=1, pad=0):
    """The indicator matrix H of Eq. (34), sparse CSR, with vec(im2col(x)) == H @ vec(x).

    x_shape: (H, W), (H, W, D) or (H, W, D, N); kernel, stride, pad as for :func:`im2col`.
    Returns H of shape (H' W' N * kh kw D, prod(x_shape)) with float64 ones: row r has its
    1 in column u = :func:`phi_index` at (p, q) (r = p + H' W' N q), none for padding.
    """
    u = vec(phi_index(x_shape, kernel, stride, pad))
    rows = np.flatnonzero(u >= 0)                     # rows that copy padding stay empty
    return sp.csr_matrix((np.ones(rows.size), (rows, u[rows])),
                         shape=(u.size, int(np.prod(shape_arg(x_shape)))))


def maxpool_indicator(x, size, stride=None, pad=0, ties="first"):
    """The max-pooling indicator S(x) of Eq. (52), sparse CSR: vec(maxpool2d(x)) == S @ vec(x).

    x, size, stride, pad: as for :func:`maxpool2d`.  Returns S of shape (y.size, x.size).
    ties="first" (default): one 1 per row, at the maximum :func:`maxpool2d` picks.
    ties="all": the note's literal Eq. (49)-(51), a 1 at EVERY maximiser of the window;
    with ties a row then holds several ones and S @ vec(x) no longer equals vec(y) (E20).
    NaN: a window holding a NaN pools to NaN; its row marks the first NaN ("first") or
    every NaN ("all"), so S @ vec(x) is NaN there too (the rule is in pool.py).
    """
    x = as_float(x, "x")
    y, idx = maxpool2d(x, size, stride, pad, return_indices=True)
    shape = (y.size, x.size)
    if ties == "first":
        return sp.csr_matrix((np.ones(y.size), (np.arange(y.size), vec(idx))), shape=shape)
    if ties != "all":
        raise ValueError(f"ties must be 'first' or 'all', got {ties!r}")
    # every kernel offset (i, j) that falls on x: the windows whose cell there is a maximiser
    x4 = as_4d(x, "x")
    y4 = as_4d(y, "y").reshape(y.shape[:2] + x4.shape[2:])
    rows, cols = [], []                               # vec positions in y and in x
    down, across = pool_taps(x4.shape, pool_geometry(x4.shape, size, stride, pad))
    for _, a, b, ri in down:
        for _, c, e, rj in across:
            ii, jj, dd, nn = np.nonzero(is_max(x4[ri, rj], y4[a:b, c:e]))
            rows.append(np.ravel_multi_index((a + ii, c + jj, dd, nn), y4.shape, order="F"))
            cols.append(np.ravel_multi_index((ri.start + ri.step * ii, rj.start + rj.step * jj,
                                              dd, nn), x4.shape, order="F"))
    r, u = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_matrix((np.ones(r.size), (r, u)), shape=shape)
