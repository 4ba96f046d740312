"""Argument checks shared by every public function of cnnlib (private).

Each check returns the argument in the form the math uses, or raises a TypeError or
ValueError whose message names the argument, so that every layer rejects bad input
with the same kind of message (DESIGN.md: "bad input names the offending argument").
"""
import math
import numbers

import numpy as np


def is_int(value):
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
    if not is_int(value):
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


INTP_MAX = int(np.iinfo(np.intp).max)        # the largest array size numpy can index


def fits(shape, name, *args):
    """``shape`` unchanged when a float64 array of it can exist, else a ValueError naming it
    (numpy would raise "array is too big" or "Maximum allowed dimension exceeded").
    name: what the shape is, formatted with ``args`` (only when it is raised)."""
    if math.prod(shape) * 8 > INTP_MAX:
        raise ValueError(f"{name.format(*args)} {tuple(shape)}: {math.prod(shape)} entries, "
                         f"more than an array can hold")
    return shape


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
    return fits(tuple(int(s) for s in shape), name)


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
    return y4.reshape(shape_from_4d(y4.shape, ndim))


def shape_from_4d(shape4, ndim):
    """The shape :func:`from_4d` gives a result of shape ``shape4`` (nothing allocated)."""
    shape4 = tuple(shape4)
    if ndim == 4:
        return shape4
    return shape4[:2] if ndim == 2 and shape4[2] == 1 else shape4[:3]


def class_labels(labels, n_classes, name="labels"):
    """``labels`` flattened to ints in [0, n_classes), else an error naming them and that range:
    a TypeError for None or a non-integer dtype, a ValueError for a label out of range (-1 would
    silently index the last class)."""
    if labels is None:
        raise TypeError(f"{name} must be integers in [0, {n_classes}), got None")
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integers in [0, {n_classes}), got dtype {labels.dtype}")
    labels = labels.reshape(-1)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"{name} must lie in [0, {n_classes}), "
                         f"got [{labels.min()}, {labels.max()}]")
    return labels
