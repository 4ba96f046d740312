"""Finite differences (note sections 2.2 and 3.4): the referee of every backward pass.

The derivative of a scalar z with respect to a tensor x has x's shape (Eq. 2); the
Jacobian of vec(y) with respect to vec(x) has one row per entry of y (Eq. 3).
Central differences are exact for linear maps up to rounding, and have O(eps^2)
error otherwise, so they check an analytic gradient to about 1e-8 in float64.
"""
import numpy as np

from .tensor import vec

__all__ = ["numerical_gradient", "numerical_jacobian", "relative_error"]


def _float64_copy(x):
    x = np.array(x, dtype=np.float64, order="C")  # a C-ordered copy: reshape(-1) is a view
    if x.size == 0:
        raise ValueError(f"x is empty (shape {x.shape})")
    return x


def numerical_gradient(fun, x, eps=1e-6):
    """dz/dx by central differences, Eq. (2): (z(x + eps e_k) - z(x - eps e_k)) / (2 eps).

    fun: maps an array shaped like x to a scalar z.  x: array (computed in float64).
    Returns an array shaped like x.
    """
    x = _float64_copy(x)
    grad = np.empty_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        z_plus = fun(x)
        flat[k] = old - eps
        z_minus = fun(x)
        flat[k] = old
        if np.ndim(z_plus) != 0 and np.size(z_plus) != 1:
            raise ValueError(f"fun must return a scalar, got shape {np.shape(z_plus)}")
        g[k] = (float(np.squeeze(z_plus)) - float(np.squeeze(z_minus))) / (2 * eps)
    return grad


def numerical_jacobian(fun, x, eps=1e-6):
    """d vec(y) / d vec(x)^T by central differences, Eq. (3), with column-major vec.

    fun: maps an array shaped like x to an array y.  Returns J of shape (y.size, x.size),
    J[i, k] = d vec(y)_i / d vec(x)_k; for a linear map, J @ vec(x) == vec(fun(x)).
    """
    x = _float64_copy(x)
    xf = np.asfortranarray(x)
    flat = xf.reshape(-1, order="F")              # a view into xf: probe k is vec index k
    columns = []
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        y_plus = vec(np.array(fun(xf), dtype=np.float64))
        flat[k] = old - eps
        y_minus = vec(np.array(fun(xf), dtype=np.float64))
        flat[k] = old
        columns.append((y_plus - y_minus) / (2 * eps))
    return np.stack(columns, axis=1)


def relative_error(a, b):
    """max |a - b| / max(|a|, |b|, 1e-12), one number to compare two gradients."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape}, b has {b.shape}")
    scale = max(np.abs(a).max(initial=0), np.abs(b).max(initial=0), 1e-12)
    return float(np.abs(a - b).max(initial=0) / scale)
