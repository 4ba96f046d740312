"""A whole CNN (note sections 3 and 8): layers chained as Eq. (5), trained by SGD, Eq. (8)-(9).

Every layer is a small object that wraps a function the course already checked:

    layer.forward(x)      -> y        stores the input as ``layer.x`` (explicit, no cache tuple)
    layer.backward(dzdy)  -> dzdx     Eq. (11); fills ``layer.grads`` with dz/dw, Eq. (10)
    layer.params, layer.grads         dicts name -> array ("f", "b"), empty for ReLU and pooling

Arrays use the course layout, a mini-batch is (H, W, D, N): every layer handles the
whole batch in one call to cnnlib's batched functions (no Python loop over images).
A :class:`Sequential` network loops over its layers forward, then backward in reverse
(a plain loop, no recursion), and ends in a loss layer that maps the last x^L and the
labels to the scalar z.  :class:`SGD` applies w <- w - eta dz/dw to every parameter.

One training step (what ``python -m cnnlib.bench`` times, at the chapter's batch size 16)::

    net = digits_cnn(seed=0)
    opt = SGD(net, lr=0.05, momentum=0.9, weight_decay=1e-3)
    z = train_step(net, opt, x, labels)   # x (8, 8, 1, 16), labels 16 ints; returns z

forward, backward and update for the 16 images; images per second = 16 / its time.

Parameters are saved with :meth:`Sequential.save` (``np.savez``) and read back with
:meth:`Sequential.load`, which checks the file against the network's architecture.
"""
import os
import zipfile

import numpy as np

from .conv import conv2d, conv2d_backward
from .loss import (softmax, softmax_log_loss, softmax_log_loss_backward, squared_loss,
                   squared_loss_backward)
from .pool import maxpool2d
from .relu import relu, relu_backward
from .reverse import maxunpool2d
from .tensor import as_float, pair, positive_int, positive_number

__all__ = ["Conv2d", "FullyConnected", "ReLU", "MaxPool2d", "SoftmaxLogLoss", "SquaredLoss",
           "Sequential", "SGD", "train_step", "digits_cnn", "benchmark_step"]


def _as_batch(x):
    """x as a float (H, W, D, N) mini-batch; a single (H, W, D) image becomes N = 1."""
    x = as_float(x, "x")
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4:
        raise ValueError(f"x must be an image (H, W, D) or a mini-batch (H, W, D, N), "
                         f"got shape {x.shape}")
    return x


class Layer:
    """What every layer has: forward, backward, parameters and their gradients."""

    def __init__(self):
        self.params, self.grads, self.x = {}, {}, None

    def init(self, rng):
        """Draw the initial parameters from the numpy Generator ``rng`` (nothing to draw here)."""

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

    def forward(self, x, keep=True):
        x = _as_batch(x)
        if keep:
            self.x = x
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
        if not isinstance(in_shape, (tuple, list)) or len(in_shape) != 3:
            raise TypeError(f"in_shape must be a tuple (H, W, D), got {in_shape!r}")
        h, w, d = (positive_int(s, "in_shape") for s in in_shape)
        super().__init__(d, d_out, (h, w))

    def forward(self, x, keep=True):
        x = _as_batch(x)
        if x.shape[:3] != (self.kh, self.kw, self.d_in):
            raise ValueError(f"{self!r} needs inputs of shape ({self.kh}, {self.kw}, "
                             f"{self.d_in}, N), got {x.shape}")
        return super().forward(x, keep)

    def __repr__(self):
        return f"FullyConnected(({self.kh}, {self.kw}, {self.d_in}), {self.d_out})"


class ReLU(Layer):
    """y = max(0, x), Eq. (58); backward Eq. (60).  No parameters."""

    def forward(self, x, keep=True):
        x = _as_batch(x)
        if keep:
            self.x = x
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
        self.size, self.stride = size, stride

    def forward(self, x, keep=True):
        x = _as_batch(x)
        y, idx = maxpool2d(x, self.size, self.stride, return_indices=True)
        if keep:
            self.x, self.idx = x, idx     # where each maximum came from: S(x) of Eq. (52)
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


class Sequential:
    """The chain of Eq. (5): x^1 -> [w^1] -> x^2 -> ... -> x^L -> [loss] -> z.

    layers: list of layer objects; loss: a loss layer (default :class:`SoftmaxLogLoss`).
    in_shape: (H, W, D) of one input image, used to print and check shapes.
    """

    def __init__(self, layers, loss=None, in_shape=None):
        if not isinstance(layers, (list, tuple)) or not all(isinstance(l, Layer) for l in layers):
            raise TypeError(f"layers must be a list of layer objects, got {layers!r}")
        if not (loss is None or isinstance(loss, (SoftmaxLogLoss, SquaredLoss))):
            raise TypeError(f"loss must be None, SoftmaxLogLoss() or SquaredLoss(), got {loss!r}")
        if not (in_shape is None or isinstance(in_shape, (tuple, list)) and len(in_shape) == 3):
            raise TypeError(f"in_shape must be None or a tuple (H, W, D), got {in_shape!r}")
        self.layers = list(layers)
        self.loss = SoftmaxLogLoss() if loss is None else loss
        self.in_shape = None if in_shape is None else tuple(positive_int(s, "in_shape")
                                                            for s in in_shape)

    def init(self, seed=0):
        """Deterministic initial parameters: one np.random.default_rng(seed) for all layers."""
        rng = np.random.default_rng(positive_int(seed, "seed", 0))
        for layer in self.layers:
            layer.init(rng)
        return self

    def forward(self, x, keep=True):
        """x^L for the mini-batch x^1 (H, W, D, N): the layers in order (Eq. 5, section 3.2).

        keep: each layer stores its input for :meth:`backward` (False for prediction only).
        """
        x = _as_batch(x)
        for layer in self.layers:
            x = layer.forward(x, keep)
        return x

    def activations(self, x):
        """[x^1, x^2, ..., x^L]: the input and every layer's output, for pictures."""
        xs = [_as_batch(x)]
        for layer in self.layers:
            xs.append(layer.forward(xs[-1], keep=False))
        return xs

    def loss_value(self, x, labels):
        """z: the forward pass continued through the loss layer (section 3.3)."""
        return self.loss.forward(self.forward(x), labels)

    def backward(self, dzdz=1.0):
        """Back-propagation (section 3.4): from the loss down to x^1, a loop in reverse.

        Each layer turns dz/dx^{l+1} into dz/dx^l (Eq. 11) and stores dz/dw^l (Eq. 10).
        Needs a preceding :meth:`loss_value`.  Returns dz/dx^1.
        """
        dzdx = self.loss.backward(dzdz)
        for layer in reversed(self.layers):
            dzdx = layer.backward(dzdx)
        return dzdx

    def parameters(self):
        """[(name, array)] of every parameter, named "<layer index>.<param>", e.g. "0.f"."""
        return [(f"{i}.{k}", v) for i, layer in enumerate(self.layers)
                for k, v in layer.params.items()]

    def gradients(self):
        """[(name, dz/dw)] in the order of :meth:`parameters` (after :meth:`backward`)."""
        return [(f"{i}.{k}", layer.grads[k]) for i, layer in enumerate(self.layers)
                for k in layer.params]

    def probabilities(self, x, batch_size=512):
        """Class probabilities (C, N) of the images x (H, W, D, N)."""
        x, batch_size = _as_batch(x), positive_int(batch_size, "batch_size")
        return np.concatenate([self.loss.probabilities(self.forward(x[..., s:s + batch_size],
                                                                    keep=False))
                               for s in range(0, x.shape[3], batch_size)], axis=1)

    def predict(self, x, batch_size=512):
        """The predicted class of each image: argmax_i x^L_i, Eq. (7).  Returns N ints."""
        return self.probabilities(x, batch_size).argmax(axis=0)

    def shapes(self):
        """[(layer, output shape (H, W, D))] for an input of ``in_shape``."""
        if self.in_shape is None:
            raise ValueError("shapes: the network was built without in_shape")
        out, shape = [], self.in_shape
        for layer in self.layers:
            shape = layer.output_shape(shape)
            out.append((layer, shape))
        return out

    def architecture(self):
        """A one-line description of the chain: what :meth:`load` compares with the file."""
        return f"in_shape={self.in_shape} | " + " | ".join(repr(l) for l in self.layers) + \
            f" | {type(self.loss).__name__}"

    def __repr__(self):
        return "Sequential(" + self.architecture() + ")"

    # ------------------------------------------------------------------ save / load
    def save(self, path):
        """Write every parameter and the architecture line to ``path`` with np.savez."""
        if not isinstance(path, (str, bytes, os.PathLike)):
            raise TypeError(f"path must be a file name, got {path!r}")
        np.savez(path, __architecture__=np.array(self.architecture()),
                 **{name: value for name, value in self.parameters()})

    def load(self, path):
        """Read parameters written by :meth:`save` into this network (in place); returns self.

        Raises ValueError naming the problem when the file is not a readable .npz
        (corrupted, truncated), was saved from another architecture, or holds missing,
        extra, wrongly shaped or non-finite arrays.  Nothing is changed on error.
        """
        if not isinstance(path, (str, bytes, os.PathLike)):
            raise TypeError(f"path must be a file name, got {path!r}")
        try:
            with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as data:
                stored = {name: data[name] for name in data.files}
        except FileNotFoundError:
            raise
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as err:
            raise ValueError(f"cannot read parameters from {path!r}: not a valid .npz file, "
                             f"corrupted or truncated ({type(err).__name__}: {err})") from err
        arch = stored.pop("__architecture__", None)
        if arch is None:
            raise ValueError(f"{path!r} holds no '__architecture__' entry: "
                             f"not written by Sequential.save")
        if str(arch) != self.architecture():
            raise ValueError(f"{path!r} was saved from another architecture:\n"
                             f"  file:    {arch}\n  network: {self.architecture()}")
        expected = dict(self.parameters())
        missing = sorted(set(expected) - set(stored))
        extra = sorted(set(stored) - set(expected))
        if missing or extra:
            raise ValueError(f"{path!r}: parameters missing {missing}, unexpected {extra}")
        for name, value in expected.items():
            if stored[name].shape != value.shape:
                raise ValueError(f"{path!r}: parameter {name} has shape {stored[name].shape}, "
                                 f"the network needs {value.shape}")
            if stored[name].dtype.kind != "f" or not np.all(np.isfinite(stored[name])):
                raise ValueError(f"{path!r}: parameter {name} is not finite floats "
                                 f"(dtype {stored[name].dtype})")
        for i, layer in enumerate(self.layers):
            for k in layer.params:
                layer.params[k] = stored[f"{i}.{k}"].astype(np.float64)
        return self


class SGD:
    """Stochastic gradient descent, Eq. (8)-(9): w^{t+1} = w^t - eta dz/dw^t.

    net: the :class:`Sequential` whose parameters it updates.  lr: eta.
    Options (off by default, as the note has neither): momentum mu keeps a velocity
    v <- mu v - eta g, w <- w + v; weight_decay lambda adds lambda w to g.
    """

    def __init__(self, net, lr=0.1, momentum=0.0, weight_decay=0.0):
        if not isinstance(net, Sequential):
            raise TypeError(f"net must be a Sequential network, got {net!r}")
        lr, weight_decay = positive_number(lr, "lr"), positive_number(weight_decay, "weight_decay",
                                                                      allow_zero=True)
        if positive_number(momentum, "momentum", allow_zero=True) >= 1:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}")
        self.net, self.lr, self.momentum, self.weight_decay = net, lr, momentum, weight_decay
        self.velocity = {}

    def step(self):
        """Update every parameter in place from the gradients of the last backward pass."""
        for i, layer in enumerate(self.net.layers):
            for k, w in layer.params.items():
                g = layer.grads[k]
                if self.weight_decay:
                    g = g + self.weight_decay * w
                if self.momentum:
                    v = self.velocity.get((i, k), 0.0)
                    v = self.momentum * v - self.lr * g
                    self.velocity[(i, k)] = v
                    layer.params[k] = w + v
                else:
                    layer.params[k] = w - self.lr * g               # Eq. (8)


def train_step(net, opt, x, labels):
    """One SGD step on the mini-batch (x (H, W, D, N), labels N ints): forward to z,
    backward, update.  Returns the loss z before the update (a float)."""
    if not isinstance(net, Sequential):
        raise TypeError(f"net must be a Sequential network, got {net!r}")
    if not isinstance(opt, SGD) or opt.net is not net:
        raise TypeError(f"opt must be an SGD made for this net, got {opt!r}")
    z = net.loss_value(x, labels)
    net.backward()
    opt.step()
    return z


def digits_cnn(seed=0):
    """The chapter 12 network for 8 x 8 digits (input (8, 8, 1, N), 10 classes), initialised
    from ``seed``:

        Conv2d(1, 16, 3, pad=1) -> ReLU -> MaxPool2d(2)        (8, 8, 16) -> (4, 4, 16)
        Conv2d(16, 32, 3, pad=1) -> ReLU -> MaxPool2d(2)       (4, 4, 32) -> (2, 2, 32)
        FullyConnected((2, 2, 32), 10) -> SoftmaxLogLoss       (1, 1, 10)

    Chapter 12 trains it with mini-batches of 16 images, SGD(net, lr=0.05, momentum=0.9,
    weight_decay=1e-3), the learning rate times 0.8 after each of 12 epochs.
    """
    layers = [Conv2d(1, 16, 3, pad=1), ReLU(), MaxPool2d(2),
              Conv2d(16, 32, 3, pad=1), ReLU(), MaxPool2d(2),
              FullyConnected((2, 2, 32), 10)]
    return Sequential(layers, SoftmaxLogLoss(), in_shape=(8, 8, 1)).init(seed)


def benchmark_step(batch_size=16, seed=0):
    """What ``python -m cnnlib.bench`` times: one training step of the chapter 12 network.

    Returns (net, step, batch_size): ``step()`` runs :func:`train_step` (forward, backward,
    SGD update with the chapter's settings) on one fixed batch of ``batch_size`` random
    (8, 8, 1) images, so images per second = batch_size / (time of one step).
    The chapter trains under ``threadpoolctl.threadpool_limits(1, user_api="blas")``: its
    matrices are small, and two OpenBLAS threads made this step several times slower on a
    2-core machine.
    """
    batch_size = positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(positive_int(seed, "seed", 0))
    net = digits_cnn(seed)
    opt = SGD(net, lr=0.05, momentum=0.9, weight_decay=1e-3)
    x = rng.random((8, 8, 1, batch_size))
    labels = rng.integers(0, 10, batch_size)
    return net, lambda: train_step(net, opt, x, labels), batch_size
