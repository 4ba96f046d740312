"""Mistakes in the write-it exercises of chapters 02, 03, 06 and 10, for :mod:`.mistakes`.

numerical_gradient (chapter 02, Eq. 2 by central differences), squared_loss_backward (03,
the gradient of Eq. 6), kron (06, Eq. 21) and im2col_inverse (10, Eq. 57 and erratum E21).
Each function below is one variant of a mistake, built from the reference with the one
thing changed.
"""
import numpy as np

from ..gradcheck import numerical_gradient
from ..im2col import col2im
from ..loss import squared_loss_backward
from .mistakes import mistake, sign_flipped

__all__ = []


# ------------------------------------------------- numerical_gradient, chapter 02 (Eq. 2)
def _steps(fun, x, eps):
    """[(z(x + eps e_k), z(x), z(x - eps e_k))] for every entry k of x, in C order."""
    x = np.array(x, dtype=float)
    out = []
    for k in np.ndindex(*x.shape):
        probes = []
        for step in (eps, 0.0, -eps):
            moved = x.copy()
            moved[k] += step
            probes.append(float(fun(moved)))
        out.append(probes)
    return x.shape, np.array(out)


@mistake("numerical_gradient", "one-sided difference", 2, "(z(x + eps e_k) - z(x)) / eps is "
         "off by a term proportional to eps: take the central difference "
         "(z(x + eps e_k) - z(x - eps e_k)) / (2 eps)")
def _gradient_one_sided(fun, x, eps=1e-6):
    shape, z = _steps(fun, x, eps)
    return ((z[:, 0] - z[:, 1]) / eps).reshape(shape)


@mistake("numerical_gradient", "divided by eps", 2, "the central difference spans 2 eps, from "
         "x - eps e_k to x + eps e_k: divide by 2 eps")
def _gradient_twice(fun, x, eps=1e-6):
    return 2 * numerical_gradient(fun, x, eps)


@mistake("numerical_gradient", "eps ignored", 2, "step by the eps you are given (the cases "
         "pass eps=0.1, 0.01, ...; 1e-6 is only the default)")
def _gradient_own_eps(fun, x, eps=1e-6):
    return numerical_gradient(fun, x)


# ---------------------------------------------- squared_loss_backward, chapter 03 (Eq. 6)
@mistake("squared_loss_backward", "no factor 2", 3, "Eq. (6) has no 1/2: z = ||t - x||^2, so "
         "dz/dx = 2 (x - t)")
def _squared_half(x, t):
    return squared_loss_backward(x, t) / 2


sign_flipped("squared_loss_backward", 3, "dz/dx = 2 (x - t), the prediction minus the target: "
             "z grows as x moves away from t", squared_loss_backward)


# ------------------------------------------------------------------ kron, chapter 06 (Eq. 21)
@mistake("kron", "factors swapped", 6, "A ⊗ B replaces each a_ij by the block a_ij B: the "
         "blocks are scaled copies of B, laid out like A (Eq. 21)")
def _kron_swapped(A, B):
    return np.kron(B, A)


@mistake("kron", "blocks out of order", 6, "entry a_ij b_kl sits in row i p + k and column "
         "j q + l for a p x q matrix B: block (i, j) is a_ij B")
def _kron_reshaped(A, B):
    (m, n), (p, q) = np.shape(A), np.shape(B)
    return np.einsum("ij,kl->ijkl", A, B).reshape(m * p, n * q)


# --------------------------------------------------------- im2col_inverse, chapter 10 (E21)
@mistake("im2col_inverse", "counts not divided", 10, "H^T puts every copy of a pixel back, so "
         "col2im gives counts * x (erratum E21): divide by the coverage counts")
def _inverse_sum(phi, x_shape, kernel, stride=1, pad=0):
    return col2im(phi, x_shape, kernel, stride, pad)


@mistake("im2col_inverse", "divided by kh kw", 10, "pixels near the border lie in fewer "
         "windows: divide each by its own count, col2im of an all-ones phi")
def _inverse_window(phi, x_shape, kernel, stride=1, pad=0):
    kh, kw = (kernel, kernel) if np.ndim(kernel) == 0 else kernel
    return col2im(phi, x_shape, kernel, stride, pad) / (kh * kw)
