"""The ReLU layer (note section 7): forward Eq. (58), backward Eq. (59)-(60)."""
import numpy as np

from ._checks import as_float, result_dtype

__all__ = ["relu", "relu_backward"]


def relu(x):
    """y = max(0, x) entry by entry, Eq. (58).  x: any shape; y has x's shape and float dtype."""
    x = as_float(x, "x")
    return np.maximum(x, 0)


def relu_backward(x, dzdy):
    """dz/dx of y = max(0, x), Eq. (60): dzdy where x > 0, else 0.

    x: the layer input, any shape, e.g. (H, W, D) or (H, W, D, N).
    dzdy: dz/dy, same shape as x.  Returns dzdx, shape of x.
    At x = 0 the derivative does not exist (Eq. 59); cnnlib uses 0 there, as MatConvNet does.
    """
    x, dzdy = as_float(x, "x"), as_float(dzdy, "dzdy")
    if dzdy.shape != x.shape:
        raise ValueError(f"relu_backward: dzdy has shape {dzdy.shape}, x has {x.shape}")
    return (dzdy * (x > 0)).astype(result_dtype(x, dzdy), copy=False)
