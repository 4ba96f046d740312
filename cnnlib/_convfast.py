"""conv2d's fast path (private): the products of Eq. (20), (33), (44) with the image index
n innermost.

conv2d's product does not care in which order phi's rows and columns are stored, only that
F and Y use the same orders.  For a mini-batch stored the numpy way, (H, W, D, N) in C
order, the image index n is the contiguous axis, so this path copies phi with n fastest:
phiT_n[(i, j, d), (i', j', n)] = x_padded[s i' + i, s j' + j, d, n], both indices in C
order.  It is phi^T with its rows and columns permuted (Eq. (16)-(17) relabelled), and the
copy reads runs of N contiguous numbers instead of H'.  conv.py takes this path when
:func:`batch_inner` says so; each stage is a function, which benchconv's profile times.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._window import read, source_shape, write_back


def batch_inner(x4, geometry):
    """Whether conv2d takes this path: when n is the contiguous axis of x4 (H, W, D, N) and
    runs longer than a column of the output, so phi is better copied with n fastest."""
    return x4.shape[3] >= geometry[3][0] and not x4.flags.f_contiguous


def phi_n(x4, geometry, ones_row=False):
    """phiT_n: phi^T of x4 (H, W, D, N) with C-ordered (i, j, d) rows and (i', j', n)
    columns, a C-contiguous (kh kw D, H' W' N) array (Eq. 14 in this path's orders).

    ones_row: append a row of ones, (kh kw D + 1, H' W' N): phi's column of ones, whose
    product with dz/dY is dz/db, so that dz/dF and dz/db come out of one product."""
    (kh, kw), _, _, (h_out, w_out) = geometry
    d, n = x4.shape[2:]
    xs, (sh, sw) = read(x4, geometry, order="C")    # the copy below walks the batch axis fastest
    s0, s1, s2, s3 = xs.strides
    win = as_strided(xs, shape=(kh, kw, d, h_out, w_out, n),
                     strides=(s0, s1, s2, sh * s0, sw * s1, s3), writeable=False)
    if not ones_row:
        return win.copy(order="C").reshape(kh * kw * d, h_out * w_out * n)
    phiT = np.empty((kh * kw * d + 1, h_out * w_out * n), dtype=x4.dtype)
    np.copyto(phiT[:-1].reshape(win.shape), win)
    phiT[-1] = 1
    return phiT


def col2im_n(phiT_n, x4_shape, geometry):
    """The adjoint of :func:`phi_n`: scatter-add phiT_n back into (H, W, D, N) (Eq. 45)."""
    (kh, kw), _, _, (h_out, w_out) = geometry
    d, n = x4_shape[2:]
    blocks = phiT_n.reshape(kh, kw, d, h_out, w_out, n)
    extent, (sh, sw), plan = source_shape(x4_shape, geometry)     # where phi was read from
    xs = np.zeros(extent + (d, n), dtype=phiT_n.dtype)
    for i in range(kh):
        for j in range(kw):
            xs[i:i + sh * h_out:sh, j:j + sw * w_out:sw] += blocks[i, j].transpose(1, 2, 0, 3)
    return write_back(xs, x4_shape, plan)


def F_n(f4):
    """F in this path's row order: f4 (kh, kw, D_in, D_out) as (kh kw D_in, D_out), C order."""
    kh, kw, d_in, d_out = f4.shape
    return f4.reshape(kh * kw * d_in, d_out)


def y_T(F, phiT):
    """(phi F)^T = F^T phiT_n, Eq. (20): y's entries as (D_out, H' W' N)."""
    return F.T @ phiT


def dzdY_T(dzdy4):
    """dz/dY^T in this path's orders: dzdy4 (H', W', D_out, N) as (D_out, H' W' N)."""
    return dzdy4.transpose(2, 0, 1, 3).reshape(dzdy4.shape[2], -1)


def dzdF_db(phiT1, dzdYT):
    """(dz/dF | dz/db)^T, (D_out, kh kw D_in + 1): dz/dF = phi^T dz/dY (Eq. 33) and, from
    phi's row of ones (:func:`phi_n` with ones_row), dz/db = dz/dY^T 1 in the same pass
    over dz/dY.  The operand with fewer rows goes first (phiT1 when it has at most D_out)."""
    if phiT1.shape[0] <= dzdYT.shape[0]:
        return (phiT1 @ dzdYT.T).T
    return dzdYT @ phiT1.T


def dzdphi_T(F, dzdYT):
    """(dz/dY F^T)^T = F dz/dY^T, Eq. (44): what :func:`col2im_n` scatters back."""
    return F @ dzdYT


def forward_batch_inner(x4, f4, geometry):
    """y4 (H', W', D_out, N) = phi(x) F (Eq. 20), computed in this path's orders."""
    (h_out, w_out), d_out = geometry[3], f4.shape[3]
    YT = y_T(F_n(f4), phi_n(x4, geometry))
    return YT.reshape(d_out, h_out, w_out, x4.shape[3]).transpose(1, 2, 0, 3)


def backward_batch_inner(x4, f4, dzdy4, geometry):
    """(dzdx4, dzdf4, dzdb): Eq. (33), (44)-(45) and dz/db, in this path's orders."""
    dzdYT = dzdY_T(dzdy4)
    phiT1 = phi_n(x4, geometry, ones_row=True)
    dzdF_b = dzdF_db(phiT1, dzdYT)                                         # Eq. (33), dz/db
    dzdx = col2im_n(dzdphi_T(F_n(f4), dzdYT), x4.shape, geometry)          # Eq. (44)
    return dzdx, dzdF_b[:, :-1].T.reshape(f4.shape), dzdF_b[:, -1].copy()
