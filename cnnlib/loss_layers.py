"""The loss layers (note section 3.1): the end of the chain, x^L and the target -> z.

A loss layer is no :class:`~cnnlib.layers.Layer`: its forward takes the target too and
returns the scalar z, its backward starts back-propagation (the first row of Eq. 11), and
it says how the network's scores become class probabilities for a prediction (Eq. 7).
Each wraps the loss functions of :mod:`cnnlib.loss`, averaged over the N images of a batch.
"""
import numpy as np

from .loss import (check_labels, softmax, softmax_log_loss, softmax_log_loss_backward,
                   squared_loss, squared_loss_backward)
from ._checks import as_float

__all__ = ["Loss", "SoftmaxLogLoss", "SquaredLoss"]


def _dzdz(dzdz):
    """The loss layer's upstream derivative dz/dz: a finite number (1 for the loss itself)."""
    if isinstance(dzdz, (bool, np.bool_)) or not np.isscalar(dzdz) or not np.isreal(dzdz):
        raise TypeError(f"dzdz must be a real number, got {dzdz!r}")
    if not np.isfinite(dzdz):
        raise ValueError(f"dzdz must be finite, got {dzdz!r}")
    return dzdz


def _scores(x):
    """(1, 1, C, N) class scores as a (C, N) matrix."""
    x = as_float(x, "x")
    if x.ndim != 4 or x.shape[:2] != (1, 1):
        raise ValueError(f"a loss layer needs scores of shape (1, 1, C, N), got {x.shape}")
    return x[0, 0]


class Loss:
    """What every loss layer has:

        loss.forward(x, target) -> z        x: the scores x^L (1, 1, C, N), stored as loss.x
        loss.backward(dzdz=1.0) -> dz/dx^L  shaped like x: where Eq. (11) starts
        loss.probabilities(x)   -> (C, N)   what the network predicts from (Eq. 7)

    :meth:`forward` is written once, here: it checks the scores (N >= 1 images), calls the
    loss's :meth:`compute` and stores x; :meth:`backward` scales the loss's :meth:`gradient`.
    """

    def __init__(self):
        self.x = None

    def forward(self, x, target):
        """z, the mean loss of the N images, for the scores x and the target (each loss says)."""
        x = as_float(x, "x")
        if _scores(x).shape[1] == 0:
            raise ValueError(f"x holds no images (scores shape {x.shape}): the mean loss "
                             f"over the batch is undefined")
        z = self.compute(x, target)
        self.x = x
        return z

    def compute(self, x, target):
        """z for the (1, 1, C, N) scores x; keeps what :meth:`gradient` needs."""
        raise NotImplementedError

    def gradient(self, x):
        """dz/dx at the stored x, for dz/dz = 1."""
        raise NotImplementedError

    def backward(self, dzdz=1.0):
        """dz/dx^L = dzdz * dz/dx (dzdz: a finite number; 1 for the loss itself)."""
        dzdz = _dzdz(dzdz)
        if self.x is None:
            raise ValueError(f"{self}: backward called before forward (no stored scores x)")
        return dzdz * self.gradient(self.x)

    @staticmethod
    def probabilities(x):
        """(C, N) class probabilities from the (1, 1, C, N) scores (each loss says how)."""
        raise NotImplementedError

    def __repr__(self):
        return type(self).__name__ + "()"


class SoftmaxLogLoss(Loss):
    """The loss layer of a classifier: z = mean over the batch of -log softmax(x^L)[label].

    forward(x, labels): x (1, 1, C, N) scores, labels N ints in [0, C) -> the scalar z.
    backward(dzdz=1.0) -> dz/dx^L, shape of x: (softmax - onehot) / N.
    """

    def compute(self, x, labels):
        z = softmax_log_loss(x, labels)
        self.labels = np.asarray(labels)
        return z

    def gradient(self, x):
        return softmax_log_loss_backward(x, self.labels)

    @staticmethod
    def probabilities(x):
        """softmax of the (1, 1, C, N) scores: (C, N) class probabilities."""
        return softmax(_scores(x), axis=0)


class SquaredLoss(Loss):
    """The loss of Eq. (6), z = ||t - x^L||^2, averaged over the N images of the batch.

    forward(x, target): x (1, 1, C, N); target either N integer labels in [0, C) (t is then
    their one-hot code) or an array shaped like x.  backward(dzdz=1.0) -> 2 (x - t) / N.
    """

    def compute(self, x, target):
        C, N = x.shape[2:]
        if np.shape(target) == x.shape:
            t = target
        elif target is not None and np.asarray(target).dtype.kind not in "iu":
            raise ValueError(f"target must be {N} integer labels in [0, {C}) or an array "
                             f"shaped like x {x.shape}, got dtype {np.asarray(target).dtype} "
                             f"and shape {np.shape(target)}")
        else:
            t = np.zeros_like(x)
            t[0, 0, check_labels(target, C, N, x.shape, "target"), np.arange(N)] = 1
        z = squared_loss(x, t) / N
        self.t = t
        return z

    def gradient(self, x):
        return squared_loss_backward(x, self.t) / x.shape[3]

    @staticmethod
    def probabilities(x):
        """The scores themselves, (C, N): Eq. (6) asks x^L to approach the one-hot target."""
        return _scores(x)
