"""The layers of a CNN (note section 3): each wraps a function the course already checked.

    layer.forward(x)      -> y        stores the input as ``layer.x`` (explicit, no cache tuple)
    layer.backward(dzdy)  -> dzdx     Eq. (11); fills ``layer.grads`` with dz/dw, Eq. (10)
    layer.params, layer.grads         dicts name -> array ("f", "b"), empty for ReLU and pooling

Arrays use the course layout, a mini-batch is (H, W, D, N): every layer handles the
whole batch in one call to cnnlib's batched functions (no Python loop over images).
The loss layers end the chain: they map the last x^L and the labels to the scalar z.
:mod:`cnnlib.net` chains these layers into a network and trains it.
"""
import numpy as np

from .conv import conv2d, conv2d_backward
from .loss import (softmax, softmax_log_loss, softmax_log_loss_backward, squared_loss,
                   squared_loss_backward)
from .pool import maxpool2d
from .relu import relu, relu_backward
from .reverse import maxunpool2d
from ._checks import as_float, positive_int
from ._window import pair

__all__ = ["Conv2d", "FullyConnected", "ReLU", "MaxPool2d", "SoftmaxLogLoss", "SquaredLoss"]


def image_shape(in_shape, name="in_shape"):
    """(H, W, D) of one input image, each side an int >= 1, else an error naming it."""
    if not isinstance(in_shape, (tuple, list)):
        raise TypeError(f"{name} must be a tuple (H, W, D), got {in_shape!r}")
    if len(in_shape) != 3:
        raise ValueError(f"{name} must be (H, W, D), got {tuple(in_shape)}")
    return tuple(positive_int(s, name) for s in in_shape)


def as_batch(x):
    """x as a float (H, W, D, N) mini-batch; a single (H, W, D) image becomes N = 1."""
    x = as_float(x, "x")
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4:
        raise ValueError(f"x must be an image (H, W, D) or a mini-batch (H, W, D, N), "
                         f"got shape {x.shape}")
    return x


class Layer:
    """What every layer has: forward, backward, parameters and their gradients.

    :meth:`forward` is written once, here: it makes x a mini-batch, calls the layer's
    :meth:`compute` and, with ``keep``, stores x for :meth:`backward`.
    """

    def __init__(self):
        self.params, self.grads, self.x = {}, {}, None

    def init(self, rng):
        """Draw the initial parameters from the numpy Generator ``rng`` (nothing to draw here)."""

    def forward(self, x, keep=True):
        """y for the image or mini-batch x.  keep: store x (and what backward needs)."""
        x = as_batch(x)
        y = self.compute(x, keep)
        if keep:
            self.x = x
        return y

    def compute(self, x, keep):
        """y for the mini-batch x (H, W, D, N): what the layer does (each layer says)."""
        raise NotImplementedError

    def output_shape(self, in_shape):
        """(H', W', D') of the output for an input (H, W, D)."""
        y = self.forward(np.zeros(tuple(in_shape) + (1,)), keep=False)
        return y.shape[:3]

    def _stored_input(self):
        if self.x is None:
            raise ValueError(f"{self}: backward called before forward (no stored input x)")
        return self.x

    def __repr__(self):
        return type(self).__name__ + "()"


class Conv2d(Layer):
    """Convolution layer, Eq. (12)/(20); backward Eq. (33) for dz/dF and (44) for dz/dx.

    d_in, d_out: channels in and filters out.  kernel: kh or (kh, kw).  stride, pad: ints.
    params: "f" (kh, kw, d_in, d_out) and "b" (d_out,).  Input (H, W, d_in, N),
    output (H', W', d_out, N) with H' = (H + 2 pad - kh) // stride + 1.
    """

    def __init__(self, d_in, d_out, kernel, stride=1, pad=0):
        super().__init__()
        self.kh, self.kw = pair(kernel, "kernel")
        pair(stride, "stride"), pair(pad, "pad", 0)                  # checked, kept as given
        self.d_in, self.d_out = positive_int(d_in, "d_in"), positive_int(d_out, "d_out")
        self.stride, self.pad = stride, pad
        self.params = {"f": np.zeros((self.kh, self.kw, self.d_in, self.d_out)),
                       "b": np.zeros(self.d_out)}

    def init(self, rng):
        """He initialisation: f ~ N(0, 2 / fan_in) with fan_in = kh kw d_in; b = 0."""
        fan_in = self.kh * self.kw * self.d_in
        self.params["f"] = rng.standard_normal(self.params["f"].shape) * np.sqrt(2 / fan_in)
        self.params["b"] = np.zeros(self.d_out)

    def compute(self, x, keep):
        return conv2d(x, self.params["f"], self.params["b"], self.stride, self.pad)

    def backward(self, dzdy):
        dzdx, dzdf, dzdb = conv2d_backward(self._stored_input(), self.params["f"], dzdy,
                                           self.stride, self.pad)
        self.grads = {"f": dzdf, "b": dzdb}
        return dzdx

    def __repr__(self):
        extra = "".join(f", {k}={v}" for k, v, default in (("stride", self.stride, 1),
                                                           ("pad", self.pad, 0)) if v != default)
        return f"Conv2d({self.d_in}, {self.d_out}, kernel=({self.kh}, {self.kw}){extra})"


class FullyConnected(Conv2d):
    """A fully connected layer as the note sees it: a convolution whose kernel covers the
    whole input, so the output is (1, 1, d_out, N), one number per class and image.

    in_shape: (H, W, D) of the input.  d_out: outputs.  params "f" (H, W, D, d_out), "b".
    """

    def __init__(self, in_shape, d_out):
        h, w, d = image_shape(in_shape)
        super().__init__(d, d_out, (h, w))

    def compute(self, x, keep):
        if x.shape[:3] != (self.kh, self.kw, self.d_in):
            raise ValueError(f"{self!r} needs inputs of shape ({self.kh}, {self.kw}, "
                             f"{self.d_in}, N), got {x.shape}")
        return super().compute(x, keep)

    def __repr__(self):
        return f"FullyConnected(({self.kh}, {self.kw}, {self.d_in}), {self.d_out})"


class ReLU(Layer):
    """y = max(0, x), Eq. (58); backward Eq. (60).  No parameters."""

    def compute(self, x, keep):
        return relu(x)

    def backward(self, dzdy):
        return relu_backward(self._stored_input(), dzdy)


class MaxPool2d(Layer):
    """Max pooling over size x size windows, Eq. (47); backward Eq. (55).  No parameters.

    stride None means stride = size (non-overlapping windows, as in the note).
    """

    def __init__(self, size, stride=None):
        super().__init__()
        pair(size, "size"), stride is None or pair(stride, "stride")  # checked, kept as given
        self.size, self.stride, self.idx = size, stride, None

    def compute(self, x, keep):
        y, idx = maxpool2d(x, self.size, self.stride, return_indices=True)
        if keep:
            self.idx = idx            # where each maximum came from: S(x) of Eq. (52)
        return y

    def backward(self, dzdy):
        """dz/dx = S(x)^T dz/dy, Eq. (55): each gradient goes back to its window's maximum."""
        x = self._stored_input()
        if np.shape(dzdy) != self.idx.shape:
            raise ValueError(f"dzdy has shape {np.shape(dzdy)}, but this layer's output "
                             f"has shape {self.idx.shape}")
        return maxunpool2d(dzdy, self.idx, x.shape)

    def __repr__(self):
        return f"MaxPool2d({self.size}" + ("" if self.stride is None else
                                           f", stride={self.stride}") + ")"


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


class SoftmaxLogLoss(Layer):
    """The loss layer of a classifier: z = mean over the batch of -log softmax(x^L)[label].

    forward(x, labels): x (1, 1, C, N) scores, labels N ints -> the scalar z.
    backward(dzdz=1.0) -> dz/dx^L, shape of x: (softmax - onehot) / N.
    """

    def forward(self, x, labels):
        x = as_float(x, "x")
        _scores(x)
        self.x, self.labels = x, np.asarray(labels)
        return softmax_log_loss(x, self.labels)

    def backward(self, dzdz=1.0):
        dzdz = _dzdz(dzdz)
        return dzdz * softmax_log_loss_backward(self._stored_input(), self.labels)

    @staticmethod
    def probabilities(x):
        """softmax of the (1, 1, C, N) scores: (C, N) class probabilities."""
        return softmax(_scores(x), axis=0)


class SquaredLoss(Layer):
    """The loss of Eq. (6), z = ||t - x^L||^2, averaged over the N images of the batch.

    forward(x, target): x (1, 1, C, N); target either N integer labels (t is then their
    one-hot code) or an array shaped like x.  backward(dzdz=1.0) -> 2 (x - t) / N.
    """

    def forward(self, x, target):
        x = as_float(x, "x")
        C, N = _scores(x).shape
        if target is None:
            raise TypeError("target must be N integer labels or an array shaped like x, got None")
        target = np.asarray(target)
        if target.dtype.kind in "iu" and target.ndim == 1:
            if target.size != N or target.min() < 0 or target.max() >= C:
                raise ValueError(f"labels must be {N} ints in [0, {C}), got {target}")
            t = np.zeros_like(x)
            t[0, 0, target, np.arange(N)] = 1
        else:
            t = target
        self.x, self.t = x, t
        return squared_loss(x, t) / N

    def backward(self, dzdz=1.0):
        x, dzdz = self._stored_input(), _dzdz(dzdz)
        return dzdz * squared_loss_backward(x, self.t) / x.shape[3]

    @staticmethod
    def probabilities(x):
        """The scores themselves, (C, N): Eq. (6) asks x^L to approach the one-hot target."""
        return _scores(x)
