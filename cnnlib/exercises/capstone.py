"""The capstone of chapter 12: the digits network made of the learner's own functions.

    mine = {"conv2d": my_conv2d, "conv2d_backward": my_conv2d_backward,
            "maxpool2d": my_maxpool2d, "maxpool2d_backward": my_maxpool2d_backward,
            "relu": my_relu, "relu_backward": my_relu_backward}
    cl.check_network(mine)                 # each layer and one training step against cnnlib's
    net = cl.digits_cnn_with(mine, seed=0)  # cl.digits_cnn(0), computed by your functions
    accuracy = cl.train_digits(net)        # chapter 12's recipe: 12 epochs of SGD; right
                                           # functions reach cnnlib's accuracy, 0.9833

The network is :func:`cnnlib.net.digits_cnn`'s (the same layers, the same initial parameters
for a seed), but its layers call the functions given (the others stay cnnlib's): a convolution
and the fully connected layer call conv2d and conv2d_backward, ReLU relu and relu_backward,
max pooling maxpool2d and maxpool2d_backward, the loss softmax_log_loss_backward.  Each is
called as cnnlib's is, on a whole mini-batch (H, W, D, N); with ``batch=False`` the layers
call it one image (H, W, D) at a time and stack (or, for dz/dF and dz/db, add) the results.
"""
import traceback

import numpy as np

from .. import layers, loss_layers
from .checker import REFERENCE, Check, verdict
from ..conv import conv2d, conv2d_backward
from ..loss import softmax_log_loss_backward
from ..net import SGD, Sequential, digits_cnn, train_step
from ..pool import maxpool2d, maxpool2d_backward
from ..relu import relu, relu_backward

__all__ = ["digits_cnn_with", "check_network", "train_digits"]

#: the functions the network calls, by name: cnnlib's, unless the learner gives theirs
FUNCTIONS = {"conv2d": conv2d, "conv2d_backward": conv2d_backward, "maxpool2d": maxpool2d,
             "maxpool2d_backward": maxpool2d_backward, "relu": relu,
             "relu_backward": relu_backward,
             "softmax_log_loss_backward": softmax_log_loss_backward}


class _Failed(Exception):
    """A learner's function raised or returned None inside the network."""

    def __init__(self, function, layer, err):
        what = "returns None" if err is None else \
            "raises " + traceback.format_exception_only(type(err), err)[-1].strip()
        super().__init__(f"{'not yet' if err is None else 'not quite'}: {layer.where}: "
                         f"your {function} {what}")
        self.function = function


# The layers of cnnlib.layers, of the same names (so that a network of them has the same
# architecture line, and saves and loads as digits_cnn does), calling the functions in fns.
class _Calls:
    fns, where = FUNCTIONS, ""

    def call(self, name, *args, **kwargs):
        try:
            out = self.fns[name](*args, **kwargs)
        except Exception as err:                      # the learner's code may raise anything
            raise _Failed(name, self, err) from err
        if out is None:
            raise _Failed(name, self, None)
        return out

    def window(self):
        """stride and pad as keywords, left out at their defaults, an int when h == w."""
        return {k: _short(v) for k, v, default in (("stride", self.stride, (1, 1)),
                                                   ("pad", self.pad, (0, 0))) if v != default}


class _ConvCalls(_Calls):
    def compute(self, x, keep):
        return self.call("conv2d", x, self.params["f"], self.params["b"], **self.window())

    def backward(self, dzdy):
        dzdx, dzdf, dzdb = self.call("conv2d_backward", self._stored_input(), self.params["f"],
                                     dzdy, **self.window())
        self.grads = {"f": dzdf, "b": dzdb}
        return dzdx


class Conv2d(_ConvCalls, layers.Conv2d):
    pass


class FullyConnected(_ConvCalls, layers.FullyConnected):
    pass


class ReLU(_Calls, layers.ReLU):
    def compute(self, x, keep):
        return self.call("relu", x)

    def backward(self, dzdy):
        return self.call("relu_backward", self._stored_input(), dzdy)


class MaxPool2d(_Calls, layers.MaxPool2d):
    def window(self):
        """stride as a keyword, left out where it is the window (the default)."""
        return {} if self.stride == self.size else {"stride": _short(self.stride)}

    def compute(self, x, keep):
        return self.call("maxpool2d", x, _short(self.size), **self.window())

    def backward(self, dzdy):
        return self.call("maxpool2d_backward", self._stored_input(), dzdy, _short(self.size),
                         **self.window())


class SoftmaxLogLoss(_Calls, loss_layers.SoftmaxLogLoss):
    def gradient(self, x):
        return self.call("softmax_log_loss_backward", x, self.labels)


def _short(pair):
    """An (h, w) pair as the learner's functions take it: an int when h == w."""
    return pair[0] if pair[0] == pair[1] else pair


def _one_image_at_a_time(name, fn):
    """fn, written for one image (H, W, D), applied to a mini-batch (H, W, D, N)."""
    def each(x, *arrays):
        return [(x[..., n],) + tuple(a[..., n] for a in arrays) for n in range(x.shape[-1])]

    def stacked(outs):
        return None if any(o is None for o in outs) else np.stack(outs, axis=-1)

    if name == "conv2d_backward":
        def batched(x, f, dzdy, **kw):
            outs = [fn(x_n, f, dzdy_n, **kw) for x_n, dzdy_n in each(x, dzdy)]
            if any(o is None for o in outs):
                return None
            return stacked([o[0] for o in outs]), sum(o[1] for o in outs), sum(o[2] for o in outs)
    elif name == "softmax_log_loss_backward":
        def batched(x, labels):
            outs = [fn(x[..., n], labels[n:n + 1]) for n in range(x.shape[-1])]
            return None if any(o is None for o in outs) else stacked(outs) / x.shape[-1]
    elif name in ("relu_backward", "maxpool2d_backward"):
        def batched(x, dzdy, *args, **kw):
            return stacked([fn(x_n, dzdy_n, *args, **kw) for x_n, dzdy_n in each(x, dzdy)])
    else:
        def batched(x, *args, **kw):
            return stacked([fn(x_n, *args, **kw) for (x_n,) in each(x)])
    return batched


def _functions(functions, batch):
    """cnnlib's functions with the learner's put in their place."""
    if not isinstance(functions, dict):
        raise TypeError(f"functions must be a dict name -> function, got {functions!r}")
    unknown = sorted(set(functions) - set(FUNCTIONS))
    if unknown:
        raise ValueError(f"functions has unknown names {unknown}; known: {', '.join(FUNCTIONS)}")
    for name, fn in functions.items():
        if not callable(fn):
            raise TypeError(f"functions[{name!r}] must be a function, got {fn!r}")
    return {**FUNCTIONS, **{name: fn if batch else _one_image_at_a_time(name, fn)
                            for name, fn in functions.items()}}


def digits_cnn_with(functions, seed=0, batch=True):
    """:func:`cnnlib.net.digits_cnn` (same layers, same initial parameters for ``seed``) whose
    layers call ``functions``: a dict name -> function with any of the names of ``FUNCTIONS``
    (the others stay cnnlib's).  batch=False: the functions take one image (H, W, D)."""
    fns = _functions(functions, batch)
    chain = [Conv2d(1, 16, 3, pad=1), ReLU(), MaxPool2d(2), Conv2d(16, 32, 3, pad=1), ReLU(),
             MaxPool2d(2), FullyConnected((2, 2, 32), 10)]
    loss_layer = SoftmaxLogLoss()
    for l, layer in enumerate(chain):
        layer.fns, layer.where = fns, f"layer {l + 1} {layer!r}"
    loss_layer.fns, loss_layer.where = fns, "the loss layer"
    return Sequential(chain, loss_layer, in_shape=(8, 8, 1)).init(seed)


def _batch(seed=12):
    """A fixed mini-batch of 16 digit-like 8 x 8 images (about half the pixels 0) and labels."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 17, size=(8, 8, 1, 16)) / 16
    return np.where(rng.random(x.shape) < 0.5, 0.0, x), np.arange(16) % 10


def check_network(functions, seed=0, batch=True):
    """The network of :func:`digits_cnn_with` ``(functions, seed, batch)`` against cnnlib's
    :func:`cnnlib.net.digits_cnn` ``(seed)``, on a fixed batch of 16 images.

    First every layer runs forward on cnnlib's own input, and backward on cnnlib's own
    gradient, and its output (and dz/dF, dz/db) is compared; then one whole training step
    (forward, loss, backward, chapter 12's SGD update: lr 0.05, momentum 0.9, weight decay
    1e-3) is compared: the loss and every parameter after it.  A function that differs is
    also checked like :func:`.checker.check` (batch as given, no stride) to name its
    mistake.  Prints one line; returns a :class:`.checker.Check` whose ``function``
    names the learner's function at fault (or None)."""
    _functions(functions, batch)
    ok, function, line = _compare(functions, seed, batch)
    mistake = None
    if function in functions and function in REFERENCE and line.startswith("not quite"):
        found = verdict(function, functions[function], batch=batch, stride=False)
        if found.mistake:
            mistake = found.mistake
            line += found.line[found.line.index("; this looks like"):]
    print(line)
    return Check("network", ok, mistake, line, function)


def _compare(functions, seed, batch):
    """(ok, the function at fault or None, line)."""
    x, labels = _batch()
    try:
        found = _first_difference(digits_cnn(seed), digits_cnn_with(functions, seed, batch),
                                  x, labels)
        if found:
            return (False,) + found
        ref, mine = digits_cnn(seed), digits_cnn_with(functions, seed, batch)
        z_ref = train_step(ref, SGD(ref, lr=0.05, momentum=0.9, weight_decay=1e-3), x, labels)
        z = train_step(mine, SGD(mine, lr=0.05, momentum=0.9, weight_decay=1e-3), x, labels)
    except _Failed as err:
        return False, err.function, str(err)
    pairs = [(name, w, w_ref) for (name, w), (_, w_ref) in zip(mine.parameters(),
                                                                ref.parameters())]
    differ = [name for name, w, w_ref in pairs if _differs(w, w_ref)]
    if differ or _differs(z, z_ref):
        return False, None, (f"not quite: every layer agrees on cnnlib's inputs, but after one "
                             f"training step the loss or parameters {differ} differ: does a "
                             f"function change its arguments in place?")
    largest = max(float(np.max(np.abs(w - w_ref))) for _, w, w_ref in pairs)
    return True, None, (f"right: every layer and one training step of the digits network "
                        f"agree with cnnlib's (loss {z_ref:.4f}, {len(pairs)} parameter "
                        f"arrays, largest difference {largest:.1g})")


_FORWARD = {layers.Conv2d: "conv2d", layers.FullyConnected: "conv2d", layers.ReLU: "relu",
            layers.MaxPool2d: "maxpool2d"}


def _first_difference(ref, mine, x, labels):
    """None, or (function, line) for the first layer that differs from cnnlib's on cnnlib's
    own inputs: forward through the layers, the loss's gradient, backward through them."""
    xs = ref.activations(x)
    for l, layer in enumerate(mine.layers):
        found = _differs(layer.forward(xs[l].copy()), xs[l + 1])
        if found:
            fn = _FORWARD[type(ref.layers[l])]
            return fn, f"not quite: {layer.where}: your {fn}{found}"
    ref.loss.forward(xs[-1], labels), mine.loss.forward(xs[-1].copy(), labels.copy())
    dzdy = ref.loss.backward()
    found = _differs(mine.loss.backward(), dzdy)
    if found:
        return "softmax_log_loss_backward", f"not quite: your softmax_log_loss_backward{found}"
    for l in reversed(range(len(mine.layers))):
        layer, ref_layer = mine.layers[l], ref.layers[l]
        ref_layer.forward(xs[l])
        dzdx = ref_layer.backward(dzdy)
        found = _differs(layer.backward(dzdy.copy()), dzdx)
        for k in layer.params:
            found = found or _differs(layer.grads[k], ref_layer.grads[k], f" in dzd{k}")
        if found:
            fn = _FORWARD[type(ref_layer)] + "_backward"
            return fn, f"not quite: {layer.where}: your {fn}{found}"
        dzdy = dzdx
    return None


def _differs(yours, expected, part=""):
    """'' when equal, else the text of the first difference (column-major), as check prints."""
    yours, expected = np.asarray(yours), np.asarray(expected)
    if yours.shape != expected.shape:
        return f"{part}: yours has shape {yours.shape}, expected {expected.shape}"
    close = np.isclose(yours, expected, 1e-6, 1e-9)
    if close.all():
        return ""
    at = np.unravel_index(int(np.argmax(~close.ravel(order="F"))), yours.shape, order="F")
    return (f" differs{part} at [{', '.join(str(int(v)) for v in at)}]: yours "
            f"{float(yours[at]):.6g}, expected {float(expected[at]):.6g}")


def train_digits(net, digits=None, epochs=12, batch_size=16, seed=0):
    """Train ``net`` (fresh from :func:`cnnlib.net.digits_cnn` or :func:`digits_cnn_with`) by
    chapter 12's recipe and return its test accuracy (a float).

    SGD(lr=0.05, momentum=0.9, weight_decay=1e-3), mini-batches of ``batch_size`` in an order
    shuffled by np.random.default_rng(seed) every epoch, the learning rate times 0.8 after
    each epoch.  digits: a :class:`cnnlib.data.Digits` (default ``load_digits()``).
    Run it as chapter 12 runs its loop, under threadpoolctl's ``threadpool_limits(limits=1,
    user_api="blas")``: many BLAS threads on these small products can be ten times slower."""
    from ..data import load_digits

    x_train, y_train, x_test, y_test = load_digits() if digits is None else digits
    opt = SGD(net, lr=0.05, momentum=0.9, weight_decay=1e-3)
    order_rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = order_rng.permutation(y_train.size)
        for batch in np.array_split(order, np.arange(batch_size, order.size, batch_size)):
            train_step(net, opt, x_train[..., batch], y_train[batch])
        opt.lr *= 0.8
    return float(np.mean(net.predict(x_test) == y_test))
