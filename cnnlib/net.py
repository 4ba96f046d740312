"""A whole CNN (note sections 3 and 8): layers chained as Eq. (5), trained by SGD, Eq. (8)-(9).

A :class:`Sequential` network loops over its layers (:mod:`cnnlib.layers`) forward, then
backward in reverse (a plain loop, no recursion), and ends in a loss layer that maps the
last x^L and the labels to the scalar z.  :class:`SGD` applies w <- w - eta dz/dw to
every parameter.  A mini-batch is (H, W, D, N), as everywhere in the course.

One training step (what ``python -m cnnlib.bench`` times, at the chapter's batch size 16)::

    net = digits_cnn(seed=0)
    opt = SGD(net, lr=0.05, momentum=0.9, weight_decay=1e-3)
    z = train_step(net, opt, x, labels)   # x (8, 8, 1, 16), labels 16 ints; returns z

forward, backward and update for the 16 images; images per second = 16 / its time.

Parameters are saved with :meth:`Sequential.save` (``np.savez``) and read back with
:meth:`Sequential.load`, which checks the file against the network's architecture before
it reads any array (a file's headers are read first: no crafted file makes it allocate more
than the network's own parameters).
"""
import numpy as np

from .layers import Conv2d, FullyConnected, Layer, MaxPool2d, ReLU, as_batch, image_shape
from .loss_layers import Loss, SoftmaxLogLoss
from ._checks import finite, positive_int, positive_number
from ._npz import Archive, file_name

__all__ = ["Sequential", "SGD", "train_step", "digits_cnn"]


class Sequential:
    """The chain of Eq. (5): x^1 -> [w^1] -> x^2 -> ... -> x^L -> [loss] -> z.

    layers: list of layer objects (a loss layer is no layer: it goes to ``loss``);
    loss: a loss layer, a :class:`~cnnlib.loss_layers.Loss` (default SoftmaxLogLoss()).
    in_shape: (H, W, D) of one input image: :meth:`forward` checks x against it, and
    :meth:`shapes` prints the shape after every layer.
    """

    def __init__(self, layers, loss=None, in_shape=None):
        if not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be a list of layer objects, got {layers!r}")
        for i, layer in enumerate(layers):
            if isinstance(layer, Loss):
                raise TypeError(f"layers[{i}] is the loss layer {layer!r}: a loss ends the "
                                f"chain, pass it as Sequential(layers, loss={layer!r})")
            if isinstance(layer, type):
                raise TypeError(f"layers[{i}] is the class {layer.__name__}, not a layer object "
                                f"(write {layer.__name__}(...))")
            if not isinstance(layer, Layer):
                raise TypeError(f"layers must be a list of layer objects, layers[{i}] is "
                                f"{layer!r}")
        if not (loss is None or isinstance(loss, Loss)):
            raise TypeError(f"loss must be None or a loss layer (a Loss, such as "
                            f"SoftmaxLogLoss()), got {loss!r}")
        self.layers = list(layers)
        self.loss = SoftmaxLogLoss() if loss is None else loss
        self.in_shape = None if in_shape is None else image_shape(in_shape)

    def init(self, seed=0):
        """Deterministic initial parameters: one np.random.default_rng(seed) for all layers."""
        rng = np.random.default_rng(positive_int(seed, "seed", 0))
        for layer in self.layers:
            layer.init(rng)
        return self

    def forward(self, x, keep=True):
        """x^L for the mini-batch x^1 (H, W, D, N): the layers in order (Eq. 5, section 3.2).

        keep: each layer stores its input for :meth:`backward` (False for prediction only).
        x must match ``in_shape`` when the network has one (else a ValueError naming both).
        """
        x = self._batch(x)
        for layer in self.layers:
            x = layer.forward(x, keep)
        return x

    def _batch(self, x):
        x = as_batch(x)
        if self.in_shape is not None and x.shape[:3] != self.in_shape:
            raise ValueError(f"x has shape {x.shape}, the network's in_shape is {self.in_shape}:"
                             f" x must be one image {self.in_shape} or a mini-batch "
                             f"({', '.join(map(str, self.in_shape))}, N)")
        return x

    def activations(self, x):
        """[x^1, x^2, ..., x^L]: the input and every layer's output, for pictures."""
        xs = [self._batch(x)]
        for layer in self.layers:
            xs.append(layer.forward(xs[-1], keep=False))
        return xs

    def loss_value(self, x, labels):
        """z: the forward pass continued through the loss layer (section 3.3).

        x: N >= 1 finite images.  Scores x^L or a loss that are not finite for a finite x
        mean the network diverged: a ValueError says so (train again with a smaller lr).
        """
        x = finite(self._batch(x), "x")
        if x.shape[3] == 0:
            raise ValueError(f"x holds no images (shape {x.shape}): the loss is a mean over "
                             f"the images of a batch, at least one")
        scores = self.forward(x)
        bad = np.size(scores) - np.count_nonzero(np.isfinite(scores))
        z = np.nan if bad else self.loss.forward(scores, labels)
        if not np.isfinite(z):
            what = (f"its scores x^L (the last layer's output) hold {bad} non-finite values "
                    f"of {np.size(scores)}" if bad else
                    f"its loss z is {z}, its scores x^L up to {np.abs(scores).max():.3g}")
            params = [name for name, w in self.parameters() if not np.all(np.isfinite(w))]
            raise ValueError(f"the network diverged: {what} for a finite x (non-finite "
                             f"parameters: {params or 'none'}); start again with a smaller "
                             f"learning rate (SGD's lr)")
        return z

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
        missing = [f"{i}.{k}" for i, layer in enumerate(self.layers)
                   for k in layer.params if k not in layer.grads]
        if missing:
            raise ValueError(f"no gradients for {missing}: they need net.loss_value(x, labels) "
                             f"and net.backward() first (train_step does both and the update)")
        return [(f"{i}.{k}", layer.grads[k]) for i, layer in enumerate(self.layers)
                for k in layer.params]

    def probabilities(self, x, batch_size=512):
        """Class probabilities (C, N) of the images x (H, W, D, N); (C, 0) for no images."""
        x, batch_size = self._batch(x), positive_int(batch_size, "batch_size")
        return np.concatenate([self.loss.probabilities(self.forward(x[..., s:s + batch_size],
                                                                    keep=False))
                               for s in range(0, max(x.shape[3], 1), batch_size)], axis=1)

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

    # ------------------------------------------------------------------ save / load (_npz)
    def save(self, path):
        """Write every parameter and the architecture line to one .npz file (np.savez).

        path: a str or pathlib.Path; ".npz" is added when the name does not end in it, as
        :meth:`load` does, so ``save("m")`` and ``load("m")`` both mean m.npz.  A directory
        is refused (ValueError naming it).
        """
        np.savez(file_name(path), __architecture__=np.array(self.architecture()),
                 **{name: value for name, value in self.parameters()})

    def load(self, path):
        """Read parameters written by :meth:`save` into this network (in place); returns self.

        path: as for :meth:`save` (".npz" added when missing; no such file: FileNotFoundError).
        Before any array is read, the member names and each member's header (shape, dtype)
        are checked against this network, so a file never makes load allocate more than
        the network's parameters.  Raises ValueError naming the problem when the file is
        not a readable .npz (a plain .npy, corrupted, truncated, a member that is no .npy
        array), was saved from another architecture, or holds missing, extra, wrongly
        shaped, non-float (pickled objects too) or non-finite arrays.  Nothing is changed
        on error.
        """
        name, arch, expected = file_name(path), self.architecture(), dict(self.parameters())
        with Archive(name) as npz:
            if "__architecture__" not in npz.members:
                raise ValueError(f"{name!r} holds no '__architecture__' entry: "
                                 f"not written by Sequential.save")
            shape, dtype = npz.header("__architecture__")       # one line of text, read only
            longest = max(10**5, 2 * len(arch))                 # when it is not too long
            if shape != () or dtype.kind != "U" or dtype.itemsize > 4 * longest:
                raise ValueError(f"{name!r}: '__architecture__' is not a line of text "
                                 f"(shape {shape}, dtype {dtype})")
            stored_arch = str(npz.read("__architecture__"))
            if stored_arch != arch:
                raise ValueError(f"{name!r} was saved from another architecture:\n"
                                 f"  file:    {stored_arch}\n  network: {arch}")
            missing = sorted(set(expected) - set(npz.members))
            extra = sorted(set(npz.members) - set(expected) - {"__architecture__"})
            if missing or extra:
                raise ValueError(f"{name!r}: parameters missing {missing}, unexpected {extra}")
            for key, value in expected.items():
                shape, dtype = npz.header(key)
                if shape != value.shape:
                    raise ValueError(f"{name!r}: parameter {key} has shape {shape}, the "
                                     f"network needs {value.shape}")
                if dtype.kind != "f":
                    raise ValueError(f"{name!r}: parameter {key} has dtype {dtype}, the "
                                     f"network needs floats")
            stored = {key: npz.read(key) for key in expected}
        for key, value in stored.items():
            if not np.all(np.isfinite(value)):
                raise ValueError(f"{name!r}: parameter {key} is not finite floats "
                                 f"(dtype {value.dtype})")
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
        momentum = positive_number(momentum, "momentum", allow_zero=True)
        if momentum >= 1:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}")
        self.net, self.lr, self.momentum, self.weight_decay = net, lr, momentum, weight_decay
        self.velocity = {}

    def step(self):
        """Update every parameter in place from the gradients of the last backward pass."""
        grads = dict(self.net.gradients())            # a ValueError before any backward
        for i, layer in enumerate(self.net.layers):
            for k, w in layer.params.items():
                g = grads[f"{i}.{k}"]
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
