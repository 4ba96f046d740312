"""The fixed cases on which ``cl.check`` runs a learner's function (see :mod:`.checker`).

Every case is drawn once from its own seeded generator, so a check prints the same numbers
on every run and machine.  The arrays hold small integers (stored as float64): the sums of a
convolution are then exact in any order of addition, max pooling meets ties as it does after
a ReLU, ReLU meets x = 0, and a difference names a number one can follow by hand.  Only the
softmax scores and the points of the finite differences (chapter 02) are fractions.

Each function's cases sweep what its chapter teaches: H != W, kh != kw, more than one
channel and filter, stride and padding in both directions and different per direction
(passed as an int when both are equal, as an (h, w) pair otherwise, and left out when they
are the default), mini-batches (H, W, D, N), and for pooling windows holding their maximum
twice or more.  A case records what it uses (``batch``, ``stride``, ``pad``) so that a
chapter that has not taught one of them yet can leave those cases out.  The write-it
exercises of chapters 02, 03, 06 and 10 (numerical_gradient, squared_loss_backward, kron,
im2col_inverse) have cases of their own at the end.
"""
from collections import namedtuple

import numpy as np

from ..im2col import conv_output_shape, im2col
from ..pool import pool_output_shape

__all__ = []

Case = namedtuple("Case", "args kwargs text batch")
Case.__doc__ = """One call ``fn(*args, **kwargs)``; ``text`` describes it ("x 5×4×2, kernel
3×2, stride (2, 1), pad (1, 0)"); ``batch``: whether it holds a mini-batch (H, W, D, N)."""

# (x shape, (kh, kw), stride, pad) of the convolution chapters: conv2d (with D_out filters and
# whether b is given), im2col, conv2d_backward and col2im all use these windows
CONV = [((4, 5, 1), (2, 2), 1, 0, 1, True),
        ((5, 4, 2), (3, 2), 1, 0, 3, True),
        ((4, 6, 3), (2, 3), 1, 0, 2, False),
        ((6, 5, 2), (3, 2), 2, 0, 2, True),
        ((7, 6, 1), (2, 3), (2, 1), 0, 2, True),
        ((4, 5, 2), (3, 3), 1, 1, 2, True),
        ((5, 4, 2), (3, 2), 1, (1, 0), 3, True),
        ((5, 4, 2), (3, 2), (2, 1), (1, 0), 3, True),
        ((6, 7, 1), (2, 3), (1, 2), (0, 2), 2, False),
        ((4, 5, 2, 3), (3, 2), 1, 0, 2, True),
        ((5, 4, 2, 2), (3, 2), (2, 1), (1, 0), 3, True),
        ((4, 4, 1, 2), (2, 2), 2, 1, 2, False)]

# (x shape, size, stride, pad, values) of pooling; values: "ties" small integers >= 0 (many
# ties), "mixed" integers of both signs, "negative" (padding must not win), or an array
TIES_4x6 = np.array([[1, 3, 2, 2, 0, 0],          # four 2 x 2 windows whose ties pick
                     [3, 0, 2, 0, 0, 0],          # different cells under the first/last,
                     [0, 5, 4, 1, 2, 7],          # column-/row-major rules, and two
                     [5, 5, 3, 6, 3, 1]], float)[:, :, None]  # without ties
POOL = [((4, 6, 1), 2, None, 0, TIES_4x6),
        ((4, 6, 2), (2, 3), None, 0, "ties"),
        ((6, 4, 3), (3, 2), None, 0, "mixed"),
        ((6, 7, 2), 3, 2, 0, "mixed"),
        ((5, 4, 2), (3, 2), (2, 1), 0, "ties"),
        ((5, 5, 1), 3, 1, 0, "ties"),
        ((4, 5, 2), 2, None, 1, "negative"),
        ((5, 4, 2), (3, 2), (2, 1), (1, 1), "mixed"),
        ((4, 6, 2, 2), 2, None, 0, "ties"),
        ((5, 6, 2, 2), 2, (1, 2), 1, "mixed")]


def cases(name):
    """The cases of the function ``name``, in the order ``check`` numbers them (from 1)."""
    return _BUILDERS[name](np.random.default_rng(_SEEDS[name]))


def shape_text(shape):
    return "×".join(str(s) for s in shape)


def _arg(value):
    """An (h, w) pair given as an int when both are equal."""
    return value[0] if isinstance(value, tuple) and value[0] == value[1] else value


def _window(kwargs, stride, pad, default_stride=1):
    """kwargs with stride and pad when they differ from the defaults, and their text."""
    text = ""
    if stride != default_stride:
        kwargs["stride"] = stride
        text += f", stride {stride}"
    if pad != 0:
        kwargs["pad"] = pad
        text += f", pad {pad}"
    return kwargs, text


def _ints(rng, shape, low=-3, high=3, zero=True):
    values = rng.integers(low, high + 1, size=shape).astype(float)
    if not zero:
        values[values == 0] = high
    return values


def _vec(rng):
    shapes = [(3, 4), (2, 5), (4, 3, 2), (3, 2, 2, 2)]
    return [Case((rng.permutation(int(np.prod(s))).reshape(s).astype(float),), {},
                 f"a {shape_text(s)}", len(s) == 4) for s in shapes]


def _conv(rng, name):
    out = []
    for x_shape, kernel, stride, pad, d_out, bias in CONV:
        kwargs, window = _window({}, stride, pad)
        x, d_in = _ints(rng, x_shape), x_shape[2]
        f_shape = kernel + (d_in, d_out)
        if name == "conv2d":
            f, b = _ints(rng, f_shape), _ints(rng, d_out, zero=False) if bias else None
            args, text = (x, f, b), f"x {shape_text(x_shape)}, f {shape_text(f_shape)}, " \
                                    f"{'b' if bias else 'b None'}"
        elif name == "im2col":
            args, text = (x, _arg(kernel)), f"x {shape_text(x_shape)}, kernel {shape_text(kernel)}"
        else:
            y_shape = conv_output_shape(x_shape, kernel, stride, pad) + (d_out,) + x_shape[3:]
            text = f"x {shape_text(x_shape)}, f {shape_text(f_shape)}"
            if name == "conv2d_backward":
                args = (x, _ints(rng, f_shape), _ints(rng, y_shape))
            else:                                                          # col2im
                h_out, w_out = y_shape[:2]
                n = x_shape[3] if len(x_shape) == 4 else 1
                phi_shape = (h_out * w_out * n, kernel[0] * kernel[1] * d_in)
                args = (_ints(rng, phi_shape), x_shape, _arg(kernel))
                text = f"phi {shape_text(phi_shape)}, x_shape {x_shape}, kernel " \
                       f"{shape_text(kernel)}"
        out.append(Case(args, kwargs, text + window, len(x_shape) == 4))
    return out


def _pool_x(rng, shape, values):
    if not isinstance(values, str):
        return values.copy()
    low, high = {"ties": (0, 2), "mixed": (-3, 3), "negative": (-4, -1)}[values]
    return _ints(rng, shape, low, high)


def _pool(rng, name):
    out = []
    for x_shape, size, stride, pad, values in POOL:
        x = _pool_x(rng, x_shape, values)
        kwargs, window = _window({}, stride, pad, None)
        text = f"x {shape_text(x_shape)}, size {shape_text(np.broadcast_to(size, 2))}"
        args = (x, size)
        if name == "maxpool2d_backward":
            y_shape = pool_output_shape(x_shape, size, stride, pad) + x_shape[2:]
            args = (x, _ints(rng, y_shape, 1, 4), size)
        out.append(Case(args, kwargs, text + window, len(x_shape) == 4))
    return out


def _relu(rng):
    shapes = [(4, 5, 2), (3, 4, 3), (2, 6, 4), (3, 4, 2, 2)]
    return [Case((_ints(rng, s, -2, 2), _ints(rng, s, zero=False)), {}, f"x {shape_text(s)}",
                 len(s) == 4) for s in shapes]


def _softmax(rng):
    out = []
    for c, n in ((4, None), (10, None), (4, 3), (10, 5)):
        shape = (1, 1, c) + (() if n is None else (n,))
        labels = rng.integers(0, c, size=n or 1)
        x = np.round(rng.standard_normal(shape) * 2, 1)
        out.append(Case((x, labels), {}, f"x {shape_text(shape)}, labels {labels.tolist()}",
                        n is not None))
    return out


# ------------------------------- the write-it exercises of chapters 02, 03, 06 and 10
def _cubes(x):
    return np.sum(x ** 3)


def _waves(x):
    return np.sum(np.sin(3 * x)) + np.sum(x) ** 2


def _log_sum_exp(x):
    return np.log(np.sum(np.exp(2 * x)))


#: (z, its text, x shape, eps or None for the default): smooth z whose one-sided difference
#: and a wrong step are seen at the step each case passes
GRADIENT = [(_cubes, "sum(x**3)", (3,), 0.1), (_waves, "sum(sin(3x)) + sum(x)**2", (2, 3), 0.01),
            (_log_sum_exp, "log(sum(exp(2x)))", (2, 2, 2), 0.001),
            (_cubes, "sum(x**3)", (2, 3), None)]


def _gradient(rng):
    out = []
    for fun, text, shape, eps in GRADIENT:
        x = np.round(rng.uniform(-2, 2, size=shape), 1)
        kwargs = {} if eps is None else {"eps": eps}
        out.append(Case((fun, x), kwargs, f"z = {text}, x {shape_text(shape)}"
                        + ("" if eps is None else f", eps {eps:g}"), False))
    return out


def _squared(rng):
    out = []
    for shape in [(1, 1, 3), (2, 3), (3, 2, 2), (1, 1, 4, 2)]:
        t = _ints(rng, shape, 0, 1)
        out.append(Case((_ints(rng, shape), t), {}, f"x {shape_text(shape)}, t "
                        f"{shape_text(shape)}", len(shape) == 4))
    return out


def _kron(rng):
    pairs = [((2, 3), (3, 2)), ((1, 4), (2, 1)), ((3, 1), (2, 2)), ((2, 2), (1, 3)),
             ((2, 3), (2, 3))]
    return [Case((_ints(rng, a), _ints(rng, b)), {}, f"A {shape_text(a)}, B {shape_text(b)}",
                 False) for a, b in pairs]


#: (x shape, kernel, stride, pad) whose windows cover every pixel, so that x comes back
INVERSE = [((4, 5, 1), (2, 2), 1, 0), ((5, 4, 2), (3, 2), 1, 0), ((7, 7, 1), (3, 3), 2, 0),
           ((5, 6, 2), (3, 2), 2, 0), ((4, 5, 2), (3, 3), 1, 1),
           ((5, 4, 2), (3, 2), (2, 1), (1, 0))]


def _inverse(rng):
    out = []
    for x_shape, kernel, stride, pad in INVERSE:
        kwargs, window = _window({}, stride, pad)
        phi = im2col(_ints(rng, x_shape), _arg(kernel), stride, pad)
        out.append(Case((phi, x_shape, _arg(kernel)), kwargs,
                        f"phi {shape_text(phi.shape)}, x_shape {x_shape}, kernel "
                        f"{shape_text(kernel)}{window}", False))
    return out


_BUILDERS = {"vec": _vec, "relu_backward": _relu, "softmax_log_loss_backward": _softmax,
             **{name: (lambda rng, name=name: _conv(rng, name))
                for name in ("conv2d", "im2col", "conv2d_backward", "col2im")},
             **{name: (lambda rng, name=name: _pool(rng, name))
                for name in ("maxpool2d", "maxpool2d_backward")}}
_SEEDS = {name: 1901 + i for i, name in enumerate(sorted(_BUILDERS))}
_BUILDERS.update({"numerical_gradient": _gradient, "squared_loss_backward": _squared,
                  "kron": _kron, "im2col_inverse": _inverse})
_SEEDS.update({"numerical_gradient": 1902, "squared_loss_backward": 1903, "kron": 1906,
               "im2col_inverse": 1910})                 # 19 and the chapter
