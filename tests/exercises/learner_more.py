"""A learner's versions of the write-it exercises of chapters 02, 03, 06 and 10, with loops.

As in learner.py (which serves these names too): nothing here calls cnnlib, and ``mistake``
names one way of getting it wrong, written where a learner's loop would make it.
"""
import numpy as np


def numerical_gradient(fun, x, eps=1e-6, mistake=None):
    """Eq. (2) by central differences, one entry of x at a time."""
    x = np.array(x, dtype=float)
    if mistake == "eps ignored":
        eps = 1e-6
    grad = np.zeros(x.shape)
    for k in np.ndindex(*x.shape):
        old = x[k]
        x[k] = old + eps
        z_plus = fun(x)
        x[k] = old if mistake == "one-sided difference" else old - eps
        z_minus = fun(x)
        x[k] = old
        if mistake == "one-sided difference":
            grad[k] = (z_plus - z_minus) / eps
        elif mistake == "divided by eps":
            grad[k] = (z_plus - z_minus) / eps
        else:
            grad[k] = (z_plus - z_minus) / (2 * eps)
    return grad


def squared_loss_backward(x, t, mistake=None):
    """dz/dx of z = ||t - x||^2, entry by entry."""
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    dzdx = np.zeros(x.shape)
    for k in np.ndindex(*x.shape):
        if mistake == "no factor 2":
            dzdx[k] = x[k] - t[k]
        elif mistake == "sign flipped":
            dzdx[k] = 2 * (t[k] - x[k])
        else:
            dzdx[k] = 2 * (x[k] - t[k])
    return dzdx


def kron(A, B, mistake=None):
    """Eq. (21): block (i, j) of A ⊗ B is a_ij B."""
    if mistake == "factors swapped":
        A, B = B, A
    (m, n), (p, q) = np.shape(A), np.shape(B)
    out = np.zeros((m * p, n * q))
    for i, j, k, l in np.ndindex(m, n, p, q):
        if mistake == "blocks out of order":           # a_ij b_kl at C-order place (i, j, k, l)
            flat = ((i * n + j) * p + k) * q + l
            out[flat // (n * q), flat % (n * q)] = A[i][j] * B[k][l]
        else:
            out[i * p + k, j * q + l] = A[i][j] * B[k][l]
    return out


def im2col_inverse(phi, x_shape, kernel, stride=1, pad=0, mistake=None):
    """x from phi(x): add every copy back to its pixel, divide by how many copies it has."""
    (kh, kw), (sh, sw), (ph, pw) = (np.broadcast_to(v, 2).tolist()
                                    for v in (kernel, stride, pad))
    h, w, d_in = tuple(x_shape) + (1,) * (3 - len(x_shape))
    h_out, w_out = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    sums, counts = np.zeros((h + 2 * ph, w + 2 * pw, d_in)), np.zeros((h + 2 * ph, w + 2 * pw))
    for i_, j_ in np.ndindex(h_out, w_out):
        p = i_ + h_out * j_                                               # Eq. (16)
        for i, j, d in np.ndindex(kh, kw, d_in):
            sums[sh * i_ + i, sw * j_ + j, d] += phi[p, i + kh * j + kh * kw * d]   # Eq. (17)
        counts[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw] += 1
    if mistake == "counts not divided":
        x = sums
    elif mistake == "divided by kh kw":
        x = sums / (kh * kw)
    else:
        x = sums / counts[:, :, None]
    return x[ph:ph + h, pw:pw + w].reshape(x_shape)
