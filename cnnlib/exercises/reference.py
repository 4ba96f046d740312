"""The references ``cl.check`` compares with that cnnlib has no function of its own for.

    im2col_inverse   chapter 10: x back from phi(x), the left inverse (H^T H)^-1 H^T of im2col

(``kron``, chapter 06, is numpy's ``np.kron``; every other name is cnnlib's function.)
"""
import numpy as np

from ..im2col import col2im

__all__ = []


def im2col_inverse(phi, x_shape, kernel, stride=1, pad=0):
    """x from phi = im2col(x, kernel, stride, pad): Eq. (57)'s H^T vec(phi) divided by the
    coverage counts, the diagonal of H^T H (erratum E21: H^T alone gives counts * x).

    phi: (H'W', kh kw D) as im2col returns it for one image; x_shape: (H, W[, D]).  Every
    pixel must lie in some window (a pixel in none has count 0 and cannot come back)."""
    counts = col2im(np.ones(np.shape(phi)), x_shape, kernel, stride, pad)
    if np.any(counts == 0):
        raise ValueError(f"some pixel of x_shape {tuple(x_shape)} lies in no window of kernel "
                         f"{kernel}, stride {stride}, pad {pad}: it cannot be recovered")
    return col2im(phi, x_shape, kernel, stride, pad) / counts
