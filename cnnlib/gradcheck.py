"""Finite differences (note sections 2.2 and 3.4): the referee of every backward pass.

The derivative of a scalar z with respect to a tensor x has x's shape (Eq. 2); the
Jacobian of vec(y) with respect to vec(x) has one row per entry of y (Eq. 3).
Central differences are exact for linear maps up to rounding, and have O(eps^2)
error otherwise, so they check an analytic gradient to about 1e-8 in float64.
"""
import numpy as np

from ._checks import finite, numeric, positive_number
from .tensor import vec

__all__ = ["numerical_gradient", "numerical_jacobian", "relative_error"]


def _arguments(fun, x, eps):
    """Checked (x as a C-ordered float64 copy, eps): what every finite difference needs."""
    if not callable(fun):
        raise TypeError(f"fun must be a function of x, got {type(fun).__name__} {fun!r}")
    eps = positive_number(eps, "eps")
    x = numeric(x, "x")
    if x.dtype.kind == "c":
        raise TypeError(f"x must be real for finite differences, got dtype {x.dtype}")
    x = np.array(x, dtype=np.float64, order="C")  # a C-ordered copy: reshape(-1) is a view
    if x.size == 0:
        raise ValueError(f"x is empty (shape {x.shape})")
    return finite(x, "x"), eps


def _probes(fun, x, flat, k, eps):
    """(fun(x + eps e_k), fun(x - eps e_k)): each answer copied before x changes again.

    flat: a view of x, entry k the one probed; x is restored afterwards.  fun sees x
    read-only (a fun that wrote into x would spoil the later probes), and what it returns
    may be x itself or a view of it (``lambda z: z[:1]``): its value at x + eps e_k is taken
    (a float64 copy) before x is set to x - eps e_k.
    """
    old, values = flat[k], []
    if old + eps == old or old - eps == old:
        raise ValueError(f"eps={eps} is lost in rounding at x entry {k} = {float(old)!r} "
                         f"(the float64 spacing there is {np.spacing(abs(old)):.3g}): choose "
                         f"a larger eps")
    probe = x.view()
    probe.flags.writeable = False
    for step in (eps, -eps):
        flat[k] = old + step
        try:
            y = fun(probe)
        except ValueError as err:
            if "read-only" not in str(err):
                raise
            raise ValueError(f"fun must not write into its argument x ({err})") from err
        y = numeric(y, "fun(x)")
        if y.dtype.kind == "c":
            raise TypeError(f"fun must return real values, got dtype {y.dtype}")
        if y.dtype.kind == "f" and y.dtype.itemsize < 8:
            raise TypeError(f"fun must compute in float64, it returned {y.dtype}: its "
                            f"{np.finfo(y.dtype).precision} digits leave next to none for a "
                            f"difference over 2 eps = {2 * eps:g}")
        values.append(np.array(y, dtype=np.float64))      # a copy, taken now
    flat[k] = old
    return values


def numerical_gradient(fun, x, eps=1e-6):
    """dz/dx by central differences, Eq. (2): (z(x + eps e_k) - z(x - eps e_k)) / (2 eps).

    fun: maps an array shaped like x to a scalar z; it is given a read-only x and may
    return x itself or a view of it (each value is copied before x is moved again).
    x: array (computed in float64).  eps: the step, a finite number > 0.
    Returns an array shaped like x.  Raises TypeError when fun is not callable or returns
    no real float64 numbers (float32 keeps too few digits for the difference), ValueError
    for a non-finite x, a bad eps or one lost in rounding next to an entry of x (1e20 + 1e-6
    is 1e20), a fun that writes into x.
    """
    x, eps = _arguments(fun, x, eps)
    grad = np.empty_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for k in range(flat.size):
        z_plus, z_minus = _probes(fun, x, flat, k, eps)
        for z in (z_plus, z_minus):
            if z.size != 1:
                raise ValueError(f"fun must return a scalar, got shape {z.shape}")
        g[k] = (float(np.squeeze(z_plus)) - float(np.squeeze(z_minus))) / (2 * eps)
        if not np.isfinite(g[k]):
            raise ValueError(f"fun returned a non-finite value near x entry {k} (eps={eps})")
    return grad


def numerical_jacobian(fun, x, eps=1e-6):
    """d vec(y) / d vec(x)^T by central differences, Eq. (3), with column-major vec.

    fun: maps an array shaped like x to an array y of one shape (a ValueError otherwise),
    given and returned as for :func:`numerical_gradient`.  Returns J of shape
    (y.size, x.size), J[i, k] = d vec(y)_i / d vec(x)_k; for a linear map,
    J @ vec(x) == vec(fun(x)).  eps, errors: as for :func:`numerical_gradient`.
    """
    x, eps = _arguments(fun, x, eps)
    xf = np.asfortranarray(x)
    flat = xf.reshape(-1, order="F")              # a view into xf: probe k is vec index k
    columns, y_shape = [], None
    for k in range(flat.size):
        y_plus, y_minus = _probes(fun, xf, flat, k, eps)
        y_shape = y_plus.shape if y_shape is None else y_shape
        if y_plus.shape != y_shape or y_minus.shape != y_shape:
            raise ValueError(f"fun must return arrays of one shape: {y_shape} first, then "
                             f"{y_plus.shape} and {y_minus.shape} (probing x entry {k})")
        y_plus, y_minus = finite(vec(y_plus), "fun(x)"), finite(vec(y_minus), "fun(x)")
        columns.append((y_plus - y_minus) / (2 * eps))
    return np.stack(columns, axis=1)


def relative_error(a, b):
    """max |a - b| / max(|a|, |b|, 1e-12), one number to compare two gradients.

    a, b: real arrays of one shape, finite (a nan or inf has no relative error: ValueError).
    """
    a, b = numeric(a, "a"), numeric(b, "b")
    if a.dtype.kind == "c" or b.dtype.kind == "c":
        raise TypeError(f"a and b must be real, got dtypes {a.dtype} and {b.dtype}")
    a, b = finite(a.astype(np.float64), "a"), finite(b.astype(np.float64), "b")
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape}, b has {b.shape}")
    scale = max(np.abs(a).max(initial=0), np.abs(b).max(initial=0), 1e-12)
    return float(np.abs(a - b).max(initial=0) / scale)
