"""What the tests of several modules share: the sweeps of bad arguments, hypothesis's windows.

A sweep is one rule checked over many functions: a wrong kind of argument is named, a bad
stride or pad is named, an x of the wrong rank is refused.  The rule (the bad values and the
check) lives here; each module's test file runs it over its OWN functions, so that
tests/test_pool.py holds every test of pool.  A math module's test file lists its public
functions in ``GOOD_CALLS`` (name -> a good argument list, built from X and F below); the sweeps
replace one argument at a time.  tests/test_package.py checks that each math module's
GOOD_CALLS names every public function of that module.
"""
import inspect
import re

import numpy as np
import pytest
from hypothesis import strategies as st

import cnnlib as cl

X = np.ones((4, 5, 2))                  # a good x: (H, W, D), H != W
F = np.ones((2, 3, 2, 3))               # good filters for X: (kh, kw, D_in, D_out)


# ---------------------------------------------------------------- a wrong kind of argument
WRONG_KINDS = (None, "abc", np.nan, np.zeros((2, 2), dtype=object))


def wrong_kinds(good_calls):
    """pytest parameters (name, i, bad): every argument i of every call in ``good_calls``
    replaced by every wrong kind; ids such as "conv2d-f-None"."""
    cases = []
    for name, args in sorted(good_calls.items()):
        params = list(inspect.signature(getattr(cl, name)).parameters)
        cases += [pytest.param(name, i, bad, id=f"{name}-{params[i]}-{bad!r:.8}")
                  for i in range(len(args)) for bad in WRONG_KINDS]
    return cases


def refuses_a_wrong_kind(good_calls, name, i, bad, keeps_nan=()):
    """cl.<name> works with good_calls[name]; with argument i replaced by ``bad`` it raises a
    TypeError or ValueError whose message names that argument.  A nan is a number: the
    functions named in ``keeps_nan`` keep it (nan in, nan out), as numpy does."""
    fn, args = getattr(cl, name), list(good_calls[name])
    param = list(inspect.signature(fn).parameters)[i]
    fn(*args)
    args[i] = bad
    if name in keeps_nan and isinstance(bad, float):
        assert np.isnan(fn(*args)).all()
        return
    with pytest.raises((TypeError, ValueError), match=r"\b" + param + r"\b"):
        fn(*args)


# ---------------------------------------------------------------- windows: stride, pad, kernel
BAD_STRIDES = [(0, ValueError, r">= 1"), (-1, ValueError, r">= 1"), (1.5, TypeError, "int"),
               (2.0, TypeError, "int"), (True, TypeError, "int"), ("2", TypeError, "int"),
               (None, TypeError, "int"), ((1, 2, 3), ValueError, "pair"),
               ((0, 1), ValueError, ">= 1"), ((1, 1.5), TypeError, "int")]
BAD_PADS = [(-1, ValueError, ">= 0"), ((0, -2), ValueError, ">= 0"), (0.5, TypeError, "int"),
            (False, TypeError, "int"), ((1, 1, 1), ValueError, "pair")]
# a bad kernel (or pooling size): (value, error)
BAD_KERNELS = [(0, ValueError), (-2, ValueError), (2.5, TypeError), (True, TypeError),
               ((2, 2, 2), ValueError)]
# the message of a window larger than the padded x, after the argument's name, for x (3, 4)
EXCEEDS = r" \d+ exceeds [HW] \+ 2\*pad = \d+ \(x shape \(3, 4"


def bad_strides_and_pads(good_calls):
    """pytest parameters (name, arg, value, error, text): every call in ``good_calls`` that
    takes a stride and a pad, with each bad stride and each bad pad.  stride=None is good
    where it is the default: pooling's stride None means the window size."""
    cases = []
    for name in sorted(good_calls):
        parameters = inspect.signature(getattr(cl, name)).parameters
        if "stride" in parameters:
            cases += [pytest.param(name, arg, value, error, text, id=f"{name}-{arg}-{value!r}")
                      for arg, bads in (("stride", BAD_STRIDES), ("pad", BAD_PADS))
                      for value, error, text in bads
                      if not (value is None and parameters[arg].default is None)]
    return cases


# ---------------------------------------------------------------- shapes and dtypes
WRONG_RANKS = [(4,), (4, 4, 1, 1, 1)]  # an x (or x_shape, f) with one axis, or with five
NON_REAL = [pytest.param(np.ones((3, 3)) * 1j, id="complex"),
            pytest.param(np.full((3, 3), "a"), id="str"),
            pytest.param(np.empty((3, 3), dtype=object), id="object")]


def shape_re(shape):
    """A regex matching the printed tuple ``shape``."""
    return re.escape(str(tuple(shape)))


def neighbours(shape):
    """Shapes one step away from ``shape``: one side off by one, one axis more or fewer."""
    out = [shape[:-1], shape + (1,)]
    for a in range(len(shape)):
        out.append(shape[:a] + (shape[a] + 1,) + shape[a + 1:])
    return out


def refuses_a_dzdy_of_another_shape(call, y_shape):
    """call(dzdy) with dzdy of each shape next to y's: a ValueError naming both shapes."""
    for bad in neighbours(y_shape):
        with pytest.raises(ValueError, match=r"dzdy has shape " + shape_re(bad) + ".*" +
                                             shape_re(y_shape)):
            call(np.ones(bad))


def numbered(rows):
    """(call, error, name) rows as pytest parameters with ids "<row number>-<name>"."""
    return [pytest.param(*row, id=f"{i}-{row[2]}") for i, row in enumerate(rows)]


# ---------------------------------------------------------------- hypothesis: small windows
SEEDS = st.integers(0, 2 ** 32 - 1)


@st.composite
def windows(draw, pooling=False, max_side=6):
    """(x shape, kernel, stride, pad) with a valid window; x is 2-D, 3-D or 4-D."""
    ndim = draw(st.sampled_from([2, 3, 4]))
    h, w = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    shape = (h, w) + tuple(draw(st.integers(1, 3)) for _ in range(ndim - 2))
    pad = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    lo = [p + 1 if pooling else 1 for p in pad]          # pooling: pad < size
    kernel = (draw(st.integers(lo[0], max(lo[0], h + 2 * pad[0]))),
              draw(st.integers(lo[1], max(lo[1], w + 2 * pad[1]))))
    if kernel[0] > h + 2 * pad[0] or kernel[1] > w + 2 * pad[1]:
        pad = (0, 0)
        kernel = (draw(st.integers(1, h)), draw(st.integers(1, w)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return shape, kernel, stride, pad


def values(seed, shape, ties=False):
    """Seeded x of ``shape``: normal numbers, or integers in [-2, 2] (ties) when ``ties``."""
    rng = np.random.default_rng(seed)
    return rng.integers(-2, 3, size=shape).astype(float) if ties else rng.standard_normal(shape)


def layer(shape, kernel, d_out, seed):
    """A seeded generator, an input x of ``shape`` and filters matching its channels."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    d_in = shape[2] if len(shape) >= 3 else 1
    return rng, x, rng.standard_normal(kernel + (d_in, d_out))
