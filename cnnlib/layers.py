"""The layers of a CNN (note section 3): each wraps a function the course already checked.

    layer.forward(x)      -> y        stores the input as ``layer.x`` (explicit, no cache tuple)
    layer.backward(dzdy)  -> dzdx     Eq. (11); fills ``layer.grads`` with dz/dw, Eq. (10)
    layer.params, layer.grads         dicts name -> array ("f", "b"), empty for ReLU and pooling

Arrays use the course layout, a mini-batch is (H, W, D, N): every layer handles the
whole batch in one call to cnnlib's batched functions (no Python loop over images).
Hyper-parameters are kept in one canonical form, (h, w) pairs of ints, whatever form they
were given in (2, (2, 2), np.int64(2), np.array([2, 2])); ``repr`` writes a pair whose two
sides agree as one int: ``Conv2d(1, 2, kernel=(3, 3), stride=(1, 2), pad=1)``.

The loss layers are no layers of the chain but its end (:mod:`cnnlib.loss_layers`);
:mod:`cnnlib.net` chains the layers into a network, ends it with a loss and trains it.
"""
import numpy as np

from .conv import conv2d, conv2d_backward
from .im2col import conv_output_shape
from .pool import maxpool2d, pool_output_shape
from .relu import relu, relu_backward
from .reverse import maxunpool2d
from ._checks import as_float, positive_int
from ._window import pool_args, window_args

__all__ = ["Conv2d", "FullyConnected", "ReLU", "MaxPool2d"]


def image_shape(in_shape, name="in_shape"):
    """(H, W, D) of one input image, each side an int >= 1, else an error naming it."""
    if isinstance(in_shape, np.ndarray) and in_shape.ndim == 1:
        in_shape = tuple(in_shape)
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


def _short(hw):
    """An (h, w) pair as one would write it: 2 for (2, 2), (1, 2) otherwise."""
    return hw[0] if hw[0] == hw[1] else hw


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
        """(H', W', D') of the output for an input (H, W, D); here by a forward pass of zeros,
        the layers below compute it from their hyper-parameters (no array is made)."""
        y = self.forward(np.zeros(image_shape(in_shape) + (1,)), keep=False)
        return y.shape[:3]

    def _stored_input(self):
        if self.x is None:
            raise ValueError(f"{self}: backward called before forward (no stored input x)")
        return self.x

    def __repr__(self):
        return type(self).__name__ + "()"


class Conv2d(Layer):
    """Convolution layer, Eq. (12)/(20); backward Eq. (33) for dz/dF and (44) for dz/dx.

    d_in, d_out: channels in and filters out.  kernel, stride, pad: an int or an (h, w)
    pair each, kept as pairs (``self.kh, self.kw``, ``self.stride``, ``self.pad``).
    params: "f" (kh, kw, d_in, d_out) and "b" (d_out,).  Input (H, W, d_in, N),
    output (H', W', d_out, N) with H' = (H + 2 pad - kh) // stride + 1.
    """

    def __init__(self, d_in, d_out, kernel, stride=1, pad=0):
        super().__init__()
        (self.kh, self.kw), self.stride, self.pad = window_args(kernel, stride, pad)
        self.d_in, self.d_out = positive_int(d_in, "d_in"), positive_int(d_out, "d_out")
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

    def output_shape(self, in_shape):
        h, w, d = image_shape(in_shape)
        if d != self.d_in:
            raise ValueError(f"{self!r} needs {self.d_in} input channels, got in_shape "
                             f"{(h, w, d)}")
        return conv_output_shape((h, w, d), (self.kh, self.kw), self.stride,
                                 self.pad) + (self.d_out,)

    def __repr__(self):
        extra = "".join(f", {k}={_short(v)}" for k, v, default in
                        (("stride", self.stride, (1, 1)), ("pad", self.pad, (0, 0)))
                        if v != default)
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
        self._check(x.shape[:3], x.shape)
        return super().compute(x, keep)

    def output_shape(self, in_shape):
        self._check(tuple(in_shape), tuple(in_shape))
        return 1, 1, self.d_out

    def _check(self, image, shape):
        if image != (self.kh, self.kw, self.d_in):
            raise ValueError(f"{self!r} needs inputs of shape ({self.kh}, {self.kw}, "
                             f"{self.d_in}, N), got {shape}")

    def __repr__(self):
        return f"FullyConnected(({self.kh}, {self.kw}, {self.d_in}), {self.d_out})"


class ReLU(Layer):
    """y = max(0, x), Eq. (58); backward Eq. (60).  No parameters."""

    def compute(self, x, keep):
        return relu(x)

    def backward(self, dzdy):
        return relu_backward(self._stored_input(), dzdy)

    def output_shape(self, in_shape):
        return image_shape(in_shape)


class MaxPool2d(Layer):
    """Max pooling over size x size windows, Eq. (47); backward Eq. (55).  No parameters.

    size, stride: an int or an (h, w) pair each, kept as pairs; stride None means
    stride = size (non-overlapping windows, as in the note).
    """

    def __init__(self, size, stride=None):
        super().__init__()
        self.size, self.stride, _ = pool_args(size, stride)
        self.idx = None

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

    def output_shape(self, in_shape):
        h, w, d = image_shape(in_shape)
        return pool_output_shape((h, w, d), self.size, self.stride) + (d,)

    def __repr__(self):
        return f"MaxPool2d({_short(self.size)}" + ("" if self.stride == self.size else
                                                   f", stride={_short(self.stride)}") + ")"
