"""Loss layers (note section 3.1): the squared loss of Eq. (6) and the softmax log-loss.

The loss is the network's last layer: it maps the prediction x^L (and the target)
to the scalar z that SGD lowers (Eq. 8).  Its backward pass starts back-propagation.
"""
import numpy as np

from ._checks import as_float, class_labels, finite

__all__ = ["squared_loss", "squared_loss_backward", "softmax", "softmax_log_loss",
           "softmax_log_loss_backward"]


def _same_shape(x, t):
    x, t = finite(as_float(x, "x"), "x"), finite(as_float(t, "t"), "t")
    if x.shape != t.shape:
        raise ValueError(f"t has shape {t.shape}, x has {x.shape}: they must match")
    return x, t


def squared_loss(x, t):
    """z = ||t - x||^2, Eq. (6) (no 1/2, as in the note).  x, t: same shape, finite.

    Returns a float, summed in float64 (float32 scores of 1e20 give 1e40, not inf); inf
    when z is beyond float64 (|t - x| above about 1e154).  A nan or inf in x or t raises
    ValueError (the loss would be nan).
    """
    x, t = _same_shape(x, t)
    with np.errstate(over="ignore"):                    # beyond float64: inf, not a warning
        d = np.subtract(t, x, dtype=np.float64)
        return float(np.sum(d * d))


def squared_loss_backward(x, t):
    """dz/dx = 2 (x - t) for z = ||t - x||^2, shaped like x."""
    x, t = _same_shape(x, t)
    return 2 * (x - t)


def _class_axis(shape):
    """The axis of the class scores: 0 for (C,) and (C, N), 2 for a conv net's (1, 1, C[, N])."""
    if len(shape) in (3, 4) and shape[:2] == (1, 1):
        return 2
    if len(shape) in (1, 2):
        return 0
    raise ValueError(f"x must be (C,), (C, N), (1, 1, C) or (1, 1, C, N) class scores, "
                     f"got shape {shape}")


def _one_class(shape, axis):
    return ValueError(f"axis {axis} of x has length 1 (x shape {shape}): it cannot hold "
                      f"classes, the softmax of one score is always 1; (1, 1, C, N) scores "
                      f"hold the C classes on axis 2, (C,) and (C, N) scores on axis 0")


def check_labels(labels, n_classes, n_samples, x_shape, name="labels"):
    """``labels`` as ``n_samples`` ints in [0, n_classes) (flattened), else an error naming
    them and that range; x_shape: the scores' shape, for the messages."""
    labels = class_labels(labels, n_classes, name)
    if labels.size != n_samples:
        raise ValueError(f"{name} has {labels.size} entries, x holds {n_samples} samples "
                         f"(x shape {x_shape})")
    return labels


def _scores(x, labels):
    """x as a (C, N) matrix and labels as N ints in [0, C)."""
    x = finite(as_float(x, "x"), "x")
    axis = _class_axis(x.shape)
    if x.shape[axis] < 2:
        raise _one_class(x.shape, axis)
    X = x[0, 0].reshape(x.shape[2], -1) if axis == 2 else x.reshape(x.shape[0], -1)
    if X.shape[1] == 0:
        raise ValueError(f"x holds no samples (x shape {x.shape}): the mean loss is undefined")
    return x, X, check_labels(labels, X.shape[0], X.shape[1], x.shape)


def softmax(x, axis=None):
    """exp(x) / sum(exp(x)) along the class axis, computed stably; shaped like x.

    x: class scores as :func:`softmax_log_loss` reads them: (C,), (C, N), (1, 1, C) or
    (1, 1, C, N).  axis: None (default) for that class axis (0, or 2 for the network's
    (1, 1, C[, N]) scores), or an explicit axis of any array.  A class axis of length 1
    is a ValueError (the softmax of one score is always 1), as is a nan or inf score.
    """
    x = finite(as_float(x, "x"), "x")
    if axis is None:
        axis = _class_axis(x.shape)
    elif isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be None or an int, got {axis!r}")
    elif not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for x of shape {x.shape}")
    if x.shape[axis] < 2:
        raise _one_class(x.shape, axis)
    # scores further apart than the dtype's range give -inf here, and exp(-inf) = 0 exactly
    with np.errstate(over="ignore"):
        e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_log_loss(x, labels):
    """Mean over the N samples of -log softmax(x)[label]: the classifier's loss.

    x: class scores (C,), (C, N), (1, 1, C) or (1, 1, C, N), C >= 2 classes on the class
    axis that :func:`softmax` uses, finite (a nan or inf score raises ValueError).
    labels: N ints in [0, C).  The prediction is argmax over classes (Eq. 7).
    Returns a float, computed in float64; inf when a label's score lies more than
    1.8e308 below the largest score of its sample.
    """
    x, X, labels = _scores(x, labels)
    with np.errstate(over="ignore"):       # in float64, as squared_loss; -inf as in softmax
        shifted = np.subtract(X, X.max(axis=0, keepdims=True), dtype=np.float64)
    logp = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(-logp[labels, np.arange(labels.size)].mean())


def softmax_log_loss_backward(x, labels):
    """dz/dx of :func:`softmax_log_loss`: (softmax(x) - onehot(labels)) / N, shaped like x."""
    x, X, labels = _scores(x, labels)
    dzdX = softmax(X, axis=0)
    dzdX[labels, np.arange(labels.size)] -= 1
    return (dzdX / labels.size).reshape(x.shape)
