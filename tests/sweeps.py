"""What the tests of several modules share: the sweeps of bad arguments, hypothesis's windows.

A sweep is one rule checked over many functions: a wrong kind of argument is named, a bad
stride or pad is named, an x of the wrong rank is refused.  The rule (the bad values and the
check) lives here; each module's test file runs it over its OWN functions, so that
tests/test_pool.py holds every test of pool.  Each ``*_test`` function below returns the
parametrized test of its rule for the calls a module's file gives it, and the file keeps it
under a test name:

    GOOD_CALLS = {"maxpool2d": (X, 2), ...}       # every public function, a good call each
    test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)
    test_wrong_rank_of_x = sweeps.wrong_rank_test("x", {"maxpool2d": lambda x: ...})

tests/test_package.py checks that each math module's GOOD_CALLS names every public function
of that module.  Bad input raises a ValueError or TypeError whose message names the argument
(and the shapes): never a bare IndexError, never a silently wrong shape.
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


def wrong_kind_test(good_calls, keeps_nan=()):
    """The test, for a module's test file, that each call of ``good_calls`` works, and that
    with any one argument replaced by a wrong kind it raises a TypeError or ValueError whose
    message names that argument; one case per call, argument and wrong kind (ids such as
    "conv2d-f-None").  A nan is a number: the functions named in ``keeps_nan`` keep it (nan
    in, nan out), as numpy does."""
    cases = []
    for name, args in sorted(good_calls.items()):
        params = list(inspect.signature(getattr(cl, name)).parameters)
        cases += [pytest.param(name, i, params[i], bad, id=f"{name}-{params[i]}-{bad!r:.8}")
                  for i in range(len(args)) for bad in WRONG_KINDS]

    @pytest.mark.parametrize("name, i, param, bad", cases)
    def test_a_wrong_kind_is_named(name, i, param, bad):
        fn, args = getattr(cl, name), list(good_calls[name])
        fn(*args)
        args[i] = bad
        if name in keeps_nan and isinstance(bad, float):
            assert np.isnan(fn(*args)).all()
            return
        with pytest.raises((TypeError, ValueError), match=r"\b" + param + r"\b"):
            fn(*args)
    return test_a_wrong_kind_is_named


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


def stride_and_pad_test(good_calls):
    """The test, for a module's test file, that each call of ``good_calls`` that takes a stride
    and a pad, given a bad stride or a bad pad, raises the error whose message names it.
    stride=None is good where it is the default: pooling's stride None means the size."""
    cases = []
    for name in sorted(good_calls):
        parameters = inspect.signature(getattr(cl, name)).parameters
        if "stride" in parameters:
            cases += [pytest.param(name, arg, value, error, text, id=f"{name}-{arg}-{value!r}")
                      for arg, bads in (("stride", BAD_STRIDES), ("pad", BAD_PADS))
                      for value, error, text in bads
                      if not (value is None and parameters[arg].default is None)]

    @pytest.mark.parametrize("name, arg, value, error, text", cases)
    def test_a_bad_stride_or_pad_is_named(name, arg, value, error, text):
        with pytest.raises(error, match=arg + ".*" + text):
            getattr(cl, name)(*good_calls[name], **{arg: value})
    return test_a_bad_stride_or_pad_is_named


def bad_kernel_test(name, calls):
    """The test that each of ``calls`` (id -> a call of one kernel, or pooling size), given
    each of BAD_KERNELS, raises that error naming the argument ``name``."""
    @pytest.mark.parametrize("value, error", BAD_KERNELS, ids=repr)
    @pytest.mark.parametrize("call", list(calls.values()), ids=list(calls))
    def test_bad_kernel(call, value, error):
        with pytest.raises(error, match=name):
            call(value)
    return test_bad_kernel


def window_too_large_test(calls):
    """The test that each of ``calls`` (id -> (the window's name, a call with a window larger
    than the padded x, for an x of shape (3, 4))) raises a ValueError naming the window, the
    side it exceeds with the formula, and x's shape."""
    @pytest.mark.parametrize("name, call", list(calls.values()), ids=list(calls))
    def test_window_larger_than_the_padded_input(name, call):
        with pytest.raises(ValueError, match=name + r" \d+ exceeds [HW] \+ 2\*pad = \d+ "
                                                    r"\(x shape \(3, 4"):
            call()
    return test_window_larger_than_the_padded_input


# ---------------------------------------------------------------- shapes and dtypes
WRONG_RANKS = [(4,), (4, 4, 1, 1, 1)]  # an x (or x_shape, f) with one axis, or with five
# what each argument may be: x and y arrays, x_shape their shape, f the filters
RANKS = {"x": r"\(H, W\), \(H, W, D\) or \(H, W, D, N\), got shape ",
         "y": r"\(H, W\), \(H, W, D\) or \(H, W, D, N\), got shape ",
         "x_shape": r"\(H, W\), \(H, W, D\) or \(H, W, D, N\), got ",
         "f": r"\(kh, kw\), \(kh, kw, D_in\) or \(kh, kw, D_in, D_out\), got shape "}
NON_REAL = [pytest.param(np.ones((3, 3)) * 1j, id="complex"),
            pytest.param(np.full((3, 3), "a"), id="str"),
            pytest.param(np.empty((3, 3), dtype=object), id="object")]


def wrong_rank_test(name, calls):
    """The test that each of ``calls`` (id -> a call of the argument ``name``: "x", "y", "f"
    arrays or an "x_shape"), given one with one axis or with five, raises a ValueError naming
    the argument, the ranks it may have and what it got."""
    @pytest.mark.parametrize("shape", WRONG_RANKS)
    @pytest.mark.parametrize("call", list(calls.values()), ids=list(calls))
    def test_wrong_rank(call, shape):
        with pytest.raises(ValueError, match=rf"\b{name} must be {RANKS[name]}" +
                                             shape_re(shape)):
            call(shape if name == "x_shape" else np.ones(shape))
    test_wrong_rank.__name__ = f"test_wrong_rank_of_{name}"
    return test_wrong_rank


def non_real_test(calls):
    """The test that each of ``calls`` (id -> a call of one array), given a complex, a string
    or an object array, raises a TypeError: it must be a real numeric array."""
    @pytest.mark.parametrize("bad", NON_REAL)
    @pytest.mark.parametrize("call", list(calls.values()), ids=list(calls))
    def test_non_real_input_is_a_type_error(call, bad):
        with pytest.raises(TypeError, match=r"must be a real numeric array, got dtype"):
            call(bad)
    return test_non_real_input_is_a_type_error


def shape_re(shape):
    """A regex matching the printed tuple ``shape``."""
    return re.escape(str(tuple(shape)))


def neighbours(shape):
    """Shapes one step away from ``shape``: one side off by one, one axis more or fewer."""
    out = [shape[:-1], shape + (1,)]
    for a in range(len(shape)):
        out.append(shape[:a] + (shape[a] + 1,) + shape[a + 1:])
    return out


def dzdy_shape_test(calls):
    """The test that each of ``calls`` (id -> (a backward call of dz/dy, the shape of y)),
    given a dz/dy of each shape next to y's, raises a ValueError naming both shapes."""
    @pytest.mark.parametrize("call, y_shape", list(calls.values()), ids=list(calls))
    def test_upstream_gradient_of_the_wrong_shape(call, y_shape):
        for bad in neighbours(y_shape):
            with pytest.raises(ValueError, match=r"dzdy has shape " + shape_re(bad) + ".*" +
                                                 shape_re(y_shape)):
                call(np.ones(bad))
    return test_upstream_gradient_of_the_wrong_shape


# ---------------------------------------------------------------- the network's arguments
def wrong_argument_test(rows):
    """The test that each call of ``rows`` ((call, error, name): a constructor or method with
    one wrong argument) raises that error naming the argument; ids "<row number>-<name>"."""
    @pytest.mark.parametrize("call, error, name", [pytest.param(*row, id=f"{i}-{row[2]}")
                                                   for i, row in enumerate(rows)])
    def test_a_wrong_argument_is_named(call, error, name):
        with pytest.raises(error, match=r"\b" + name):
            call()
    return test_a_wrong_argument_is_named


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
