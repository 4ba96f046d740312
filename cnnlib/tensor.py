"""Tensors and vectorization (note section 2.1, Eq. (1)).

The note vectorizes the way Matlab's ``A(:)`` does: column by column, so the
first index runs fastest.  In numpy that is ``order="F"``.  Every identity of the
note from Eq. (14) on (phi, the Kronecker forms, the indicator matrices) holds
only with this order, so cnnlib uses it everywhere.

Besides ``vec``/``unvec`` this module holds the small argument checks the layers
share, so that every layer rejects bad input with the same kind of message.
"""
import numbers

import numpy as np

__all__ = ["vec", "unvec"]


def vec(a):
    """vec(a): the entries of ``a`` stacked column-major, Eq. (1).

    a: array of any shape.  Returns a 1-D array of ``a.size`` entries, first index
    fastest: ``vec([[1, 2], [3, 4]]) == [1, 3, 2, 4]``.  For a tensor (H, W, D) this
    is vec(slice 0), vec(slice 1), ... (note section 2.1).
    Raises TypeError for None or an array that is not numbers (object, strings).
    """
    a = numeric(a, "a")
    return a.reshape(-1, order="F")


def unvec(v, shape):
    """The inverse of :func:`vec`: fill ``shape`` column-major from the 1-D ``v``.

    v: 1-D array (or anything with exactly prod(shape) entries).  shape: int or tuple
    of ints >= 0.  Raises ValueError when the sizes differ, TypeError for a shape that
    is not ints.
    """
    v = numeric(v, "v")
    shape = _shape_tuple(shape)
    if v.size != int(np.prod(shape, dtype=np.int64)):
        raise ValueError(f"unvec: v has {v.size} entries (shape {v.shape}), "
                         f"shape {shape} needs {int(np.prod(shape, dtype=np.int64))}")
    return v.reshape(shape, order="F")


def _shape_tuple(shape):
    """unvec's ``shape`` as a tuple of ints >= 0, or a TypeError / ValueError naming it."""
    if _is_int(shape):
        shape = (shape,)
    elif isinstance(shape, (tuple, list)) and all(_is_int(s) for s in shape):
        shape = tuple(shape)
    else:
        raise TypeError(f"shape must be an int or a tuple of ints, got {shape!r}")
    if any(s < 0 for s in shape):
        raise ValueError(f"shape must hold ints >= 0, got {shape}")
    return tuple(int(s) for s in shape)


# ---------------------------------------------------------------- argument checks
def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def numeric(a, name):
    """``a`` as an array of numbers (bool, int, float or complex), else a TypeError naming it."""
    if a is None:
        raise TypeError(f"{name} must be an array of numbers, got None")
    a = np.asarray(a)
    if a.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be an array of numbers, got dtype {a.dtype}")
    return a


def positive_number(value, name, allow_zero=False):
    """A finite real number > 0 (>= 0 with allow_zero) as a float, else an error naming it."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be a finite number {'>=' if allow_zero else '>'} 0, "
                         f"got {value!r}")
    return float(value)


def positive_int(value, name, minimum=1):
    """An int >= minimum (bools and floats refused), else an error naming it."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if not _is_int(value):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def finite(a, name):
    """``a`` unchanged when every entry is finite, else a ValueError naming it."""
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} holds non-finite values (inf or nan): "
                         f"{int(np.size(a) - np.count_nonzero(np.isfinite(a)))} of {np.size(a)}")
    return a


def as_float(a, name):
    """``a`` as a float array: float32 stays float32, everything real else float64."""
    if a is None:
        raise TypeError(f"{name} must be a real numeric array, got None")
    a = np.asarray(a)
    if a.dtype == np.float32 or a.dtype == np.float64:
        return a
    if a.dtype.kind in "biuf":
        return a.astype(np.float64)
    raise TypeError(f"{name} must be a real numeric array, got dtype {a.dtype}")


def result_dtype(*arrays):
    """float32 when every float operand is float32, otherwise float64."""
    return np.result_type(*arrays, np.float32)


def pair(value, name, minimum=1):
    """An int or an (h, w) pair of ints >= minimum, returned as a tuple (h, w)."""
    if type(value) is int and value >= minimum:          # the common case, checked quickly
        return value, value
    if type(value) is tuple and len(value) == 2 and all(type(v) is int and v >= minimum
                                                        for v in value):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    vals = (value, value) if not isinstance(value, (tuple, list, np.ndarray)) else tuple(value)
    if len(vals) != 2:
        raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r}")
    out = []
    for v in vals:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an int or an (h, w) pair of ints, got {value!r}")
        if v < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
        out.append(int(v))
    return tuple(out)


def shape_arg(shape, name="x_shape"):
    """A layer input's shape, (H, W), (H, W, D) or (H, W, D, N), as a tuple of ints >= 0."""
    try:
        shape = tuple(shape)
    except TypeError:
        raise TypeError(f"{name} must be a shape tuple such as (H, W, D), got {shape!r}") from None
    if len(shape) not in (2, 3, 4):
        raise ValueError(f"{name} must be (H, W), (H, W, D) or (H, W, D, N), got {shape}")
    if not all(isinstance(s, numbers.Integral) and not isinstance(s, (bool, np.bool_))
               and s >= 0 for s in shape):
        raise ValueError(f"{name} must hold non-negative ints, got {shape}")
    return tuple(int(s) for s in shape)


def as_4d(x, name="x"):
    """View ``x`` as (H, W, D, N): (H, W) -> (H, W, 1, 1), (H, W, D) -> (H, W, D, 1)."""
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"{name} must be (H, W), (H, W, D) or (H, W, D, N), "
                         f"got shape {x.shape}")
    return x.reshape(x.shape + (1,) * (4 - x.ndim))


def from_4d(y4, ndim):
    """Undo :func:`as_4d` for a result: drop the axes a ``ndim``-dimensional input lacked.

    ndim 3 drops N; ndim 2 drops N and keeps D only when it is not 1.
    """
    if ndim == 4:
        return y4
    y = y4[..., 0]
    if ndim == 2 and y.shape[2] == 1:
        y = y[..., 0]
    return y


def pad_hw(x4, pad, order=None, fill=0):
    """x4 (H, W, D, N) with pad = (ph, pw) rows and columns of ``fill`` on each side.

    order: "F" or "C" for the memory order the caller's copy walks best, or None for any.
    x4 itself is returned when there is nothing to pad and it is already in that order.
    """
    ph, pw = pad
    if not (ph or pw) and (order is None or x4.flags[f"{order}_CONTIGUOUS"]):
        return x4
    h, w, d, n = x4.shape
    shape, order = (h + 2 * ph, w + 2 * pw, d, n), order or "C"
    xp = (np.zeros(shape, x4.dtype, order=order) if fill == 0 else
          np.full(shape, fill, x4.dtype, order=order))
    xp[ph:ph + h, pw:pw + w] = x4
    return xp


def output_size(n, k, stride, pad):
    """Output side of a sliding window: floor((n + 2*pad - k) / stride) + 1."""
    return (n + 2 * pad - k) // stride + 1


def check_window(x_shape, kernel, stride, pad, name="kernel"):
    """Validate a window over the first two axes of ``x_shape``; return (h_out, w_out)."""
    for ax, side in enumerate("HW"):
        n, k, p = x_shape[ax], kernel[ax], pad[ax]
        if k > n + 2 * p:
            raise ValueError(f"{name} {k} exceeds {side} + 2*pad = {n + 2 * p} "
                             f"(x shape {tuple(x_shape)}, {name} {kernel}, pad={pad})")
    return (output_size(x_shape[0], kernel[0], stride[0], pad[0]),
            output_size(x_shape[1], kernel[1], stride[1], pad[1]))
