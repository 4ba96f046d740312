"""Tensors and vectorization (note section 2.1, Eq. (1)).

The note vectorizes the way Matlab's ``A(:)`` does: column by column, so the
first index runs fastest.  In numpy that is ``order="F"``.  Every identity of the
note from Eq. (14) on (phi, the Kronecker forms, the indicator matrices) holds
only with this order, so cnnlib uses it everywhere.
"""
import math

import numpy as np

from ._checks import is_int, numeric

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
    of ints >= 0; numpy integers and integer arrays (np.array([2, 3])) act as ints.
    Raises ValueError when the sizes differ, TypeError for a shape that
    is not ints.
    """
    v = numeric(v, "v")
    shape = _shape_tuple(shape)
    if v.size != math.prod(shape):
        raise ValueError(f"unvec: v has {v.size} entries (shape {v.shape}), "
                         f"shape {shape} needs {math.prod(shape)}")
    return v.reshape(shape, order="F")


def _shape_tuple(shape):
    """unvec's ``shape`` as a tuple of ints >= 0, or a TypeError / ValueError naming it."""
    if isinstance(shape, np.ndarray) and shape.ndim <= 1 and shape.dtype.kind in "iu":
        shape = shape.tolist()                       # np.array(4) -> 4, np.array([2, 3]) -> list
    if is_int(shape):
        shape = (shape,)
    elif isinstance(shape, (tuple, list)) and all(is_int(s) for s in shape):
        shape = tuple(shape)
    else:
        raise TypeError(f"shape must be an int or a tuple of ints, got {shape!r}")
    if any(s < 0 for s in shape):
        raise ValueError(f"shape must hold ints >= 0, got {shape}")
    return tuple(int(s) for s in shape)
