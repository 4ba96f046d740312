"""Bad input raises ValueError or TypeError whose message names the argument and the shapes.

Never a bare IndexError, never a silently wrong shape (DESIGN.md, conventions).
"""
import numpy as np
import pytest

import cnnlib as cl
import cnnlib.bench

X = np.ones((4, 5, 2))
F = np.ones((2, 3, 2, 3))


# ---------------------------------------------------------------- wrong rank
@pytest.mark.parametrize("call", [
    lambda a: cl.im2col(a, 2),
    lambda a: cl.conv2d(a, np.ones((2, 2))),
    lambda a: cl.conv2d_backward(a, np.ones((2, 2)), np.ones((3, 3))),
    lambda a: cl.maxpool2d(a, 2),
    lambda a: cl.avgpool2d(a, 2),
    lambda a: cl.maxpool2d_backward(a, np.ones((2, 2)), 2),
    lambda a: cl.maxpool_indicator(a, 2),
    lambda a: cl.deconv2d(a, np.ones((2, 2))),
], ids=["im2col", "conv2d", "conv2d_backward", "maxpool2d", "avgpool2d", "maxpool2d_backward",
        "maxpool_indicator", "deconv2d"])
@pytest.mark.parametrize("shape", [(4,), (4, 4, 1, 1, 1)])
def test_wrong_rank_of_x(call, shape):
    with pytest.raises(ValueError, match=r"(x|y) must be \(H, W\).*got shape " + _re(shape)):
        call(np.ones(shape))


@pytest.mark.parametrize("call", [
    lambda s: cl.col2im(np.ones((1, 4)), s, 2),
    lambda s: cl.avgpool2d_backward(s, np.ones((1, 1)), 2),
    lambda s: cl.conv_indicator(s, 2),
    lambda s: cl.conv_output_shape(s, 2),
    lambda s: cl.pool_output_shape(s, 2),
], ids=["col2im", "avgpool2d_backward", "conv_indicator", "conv_output_shape",
        "pool_output_shape"])
@pytest.mark.parametrize("shape", [(4,), (4, 4, 1, 1, 1)])
def test_wrong_rank_of_x_shape(call, shape):
    with pytest.raises(ValueError, match=r"\(H, W\).*" + _re(shape)):
        call(shape)


@pytest.mark.parametrize("f_shape", [(2,), (2, 2, 2, 1, 1)])
def test_wrong_rank_of_f(f_shape):
    for call in (lambda: cl.conv2d(X, np.ones(f_shape)),
                 lambda: cl.conv2d_backward(X, np.ones(f_shape), np.ones((3, 4, 1))),
                 lambda: cl.deconv2d(np.ones((3, 3)), np.ones(f_shape))):
        with pytest.raises(ValueError, match=r"f must be .*got shape " + _re(f_shape)):
            call()


# ---------------------------------------------------------------- windows
@pytest.mark.parametrize("call, name", [
    (lambda: cl.im2col(np.ones((3, 4)), 5), "kernel"),
    (lambda: cl.im2col(np.ones((3, 4)), (2, 5)), "kernel"),
    (lambda: cl.conv2d(np.ones((3, 4)), np.ones((4, 2))), "kernel"),
    (lambda: cl.conv2d(np.ones((3, 4)), np.ones((6, 2)), pad=1), "kernel"),
    (lambda: cl.col2im(np.ones((1, 25)), (3, 4), 5), "kernel"),
    (lambda: cl.conv_indicator((3, 4), 5), "kernel"),
    (lambda: cl.conv_output_shape((3, 4), 5), "kernel"),
    (lambda: cl.maxpool2d(np.ones((3, 4)), 5), "size"),
    (lambda: cl.avgpool2d(np.ones((3, 4)), (4, 2)), "size"),
    (lambda: cl.maxpool_indicator(np.ones((3, 4)), 5), "size"),
    (lambda: cl.avgpool2d_backward((3, 4), np.ones((1, 1)), 5), "size"),
])
def test_window_larger_than_the_padded_input(call, name):
    with pytest.raises(ValueError, match=name + r" \d+ exceeds [HW] \+ 2\*pad = \d+ "
                                          r"\(x shape \(3, 4"):
        call()


BAD_INTS = [(0, ValueError, r">= 1"), (-1, ValueError, r">= 1"), (1.5, TypeError, "int"),
            (2.0, TypeError, "int"), (True, TypeError, "int"), ("2", TypeError, "int"),
            (None, TypeError, "int"), ((1, 2, 3), ValueError, "pair"),
            ((0, 1), ValueError, ">= 1"),
            ((1, 1.5), TypeError, "int")]
POOLING = {"maxpool2d", "avgpool2d", "maxpool2d_backward", "avgpool2d_backward",
           "maxpool_indicator", "pool_output_shape", "avgunpool2d"}

WINDOW_CALLS = {
    "im2col": lambda kw: cl.im2col(X, 2, **kw),
    "col2im": lambda kw: cl.col2im(np.ones((12, 8)), X.shape, 2, **kw),
    "conv_indicator": lambda kw: cl.conv_indicator(X.shape, 2, **kw),
    "conv_output_shape": lambda kw: cl.conv_output_shape(X.shape, 2, **kw),
    "conv2d": lambda kw: cl.conv2d(X, F, **kw),
    "conv2d_backward": lambda kw: cl.conv2d_backward(X, F, np.ones((3, 3, 3)), **kw),
    "deconv2d": lambda kw: cl.deconv2d(np.ones((3, 3, 3)), F, **kw),
    "maxpool2d": lambda kw: cl.maxpool2d(X, 2, **kw),
    "avgpool2d": lambda kw: cl.avgpool2d(X, 2, **kw),
    "maxpool2d_backward": lambda kw: cl.maxpool2d_backward(X, np.ones((2, 2, 2)), 2, **kw),
    "avgpool2d_backward": lambda kw: cl.avgpool2d_backward(X.shape, np.ones((2, 2, 2)), 2, **kw),
    "maxpool_indicator": lambda kw: cl.maxpool_indicator(X, 2, **kw),
    "pool_output_shape": lambda kw: cl.pool_output_shape(X.shape, 2, **kw),
    "avgunpool2d": lambda kw: cl.avgunpool2d(np.ones((2, 2)), 2, **kw),
}


@pytest.mark.parametrize("layer, value, error, text", [
    (layer,) + bad for layer in sorted(WINDOW_CALLS) for bad in BAD_INTS
    if not (bad[0] is None and layer in POOLING)])       # pooling: stride None means = size
def test_bad_stride(layer, value, error, text):
    with pytest.raises(error, match=r"stride.*" + text):
        WINDOW_CALLS[layer]({"stride": value})


@pytest.mark.parametrize("value, error, text", [(-1, ValueError, ">= 0"),
                                                ((0, -2), ValueError, ">= 0"),
                                                (0.5, TypeError, "int"), (False, TypeError, "int"),
                                                ((1, 1, 1), ValueError, "pair")], ids=repr)
@pytest.mark.parametrize("layer", sorted(WINDOW_CALLS))
def test_bad_pad(layer, value, error, text):
    with pytest.raises(error, match=r"pad.*" + text):
        WINDOW_CALLS[layer]({"pad": value})


@pytest.mark.parametrize("value, error", [(0, ValueError), (-2, ValueError), (2.5, TypeError),
                                          (True, TypeError), ((2, 2, 2), ValueError)], ids=repr)
def test_bad_kernel_and_size(value, error):
    for call, name in [(lambda: cl.im2col(X, value), "kernel"),
                       (lambda: cl.conv_indicator(X.shape, value), "kernel"),
                       (lambda: cl.col2im(np.ones((12, 8)), X.shape, value), "kernel"),
                       (lambda: cl.maxpool2d(X, value), "size"),
                       (lambda: cl.avgpool2d(X, value), "size"),
                       (lambda: cl.avgunpool2d(np.ones((2, 2)), value), "size")]:
        with pytest.raises(error, match=name):
            call()


def test_zero_dim_integer_arrays_act_as_ints():
    # np.array(2) is an integer as much as np.int64(2) is: the same result as the plain int
    assert np.array_equal(cl.im2col(X, 2, stride=np.array(1)), cl.im2col(X, 2, stride=1))
    assert np.array_equal(cl.conv2d(X, F, pad=np.array(1)), cl.conv2d(X, F, pad=1))
    assert np.array_equal(cl.im2col(X, np.array(2)), cl.im2col(X, 2))
    assert np.array_equal(cl.maxpool2d(X, np.array(2)), cl.maxpool2d(X, 2))


def test_zero_dim_float_arrays_are_named():
    # a 0-d float array is not an int: the message must say which argument it is
    for call, name in [(lambda: cl.im2col(X, 2, stride=np.array(1.5)), "stride"),
                       (lambda: cl.conv2d(X, F, pad=np.array(1.0)), "pad"),
                       (lambda: cl.im2col(X, np.array(2.0)), "kernel"),
                       (lambda: cl.maxpool2d(X, np.array(2.0)), "size")]:
        with pytest.raises(TypeError, match=name):
            call()


@pytest.mark.parametrize("pool", [cl.maxpool2d, cl.avgpool2d, cl.maxpool_indicator])
@pytest.mark.parametrize("size, pad", [(2, 2), (2, 3), ((3, 2), (1, 2)), (1, 1)])
def test_pool_pad_must_be_smaller_than_size(pool, size, pad):
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        pool(np.ones((6, 6)), size, pad=pad)


def test_pool_backward_pad_must_be_smaller_than_size():
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        cl.maxpool2d_backward(np.ones((6, 6)), np.ones((4, 4)), 2, pad=2)
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        cl.avgpool2d_backward((6, 6), np.ones((4, 4)), 2, pad=2)


# ---------------------------------------------------------------- channels and bias
def test_mismatched_channels():
    with pytest.raises(ValueError,
                       match=r"f has 3 input channels \(f shape \(2, 3, 3, 3\)\), x has 2"):
        cl.conv2d(X, np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"f has 1 input channels.*x has 2"):
        cl.conv2d(X, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"f has 2 input channels.*x has 1"):
        cl.conv2d(np.ones((4, 5)), F)
    with pytest.raises(ValueError, match=r"f has 3 input channels.*x has 2"):
        cl.conv2d_backward(X, np.ones((2, 3, 3, 3)), np.ones((3, 3, 3)))
    with pytest.raises(ValueError, match=r"y has 2 channels \(y shape \(3, 3, 2\)\).*f has 3 "
                                         r"filters \(f shape \(2, 3, 2, 3\)\)"):
        cl.deconv2d(np.ones((3, 3, 2)), F)


@pytest.mark.parametrize("b", [np.ones(2), np.ones(4), np.ones((3, 2)), 1.0])
def test_bias_of_the_wrong_size(b):
    with pytest.raises(ValueError, match=r"b has \d+ entries \(shape .*\), f has 3 filters"):
        cl.conv2d(X, F, b)


def test_bias_must_be_real():
    with pytest.raises(TypeError, match=r"b must be a real numeric array.*complex"):
        cl.conv2d(X, F, np.ones(3) * 1j)


# ---------------------------------------------------------------- upstream gradients
@pytest.mark.parametrize("call, y_shape", [
    (lambda dzdy: cl.conv2d_backward(X, F, dzdy), (3, 3, 3)),
    (lambda dzdy: cl.conv2d_backward(X, F, dzdy, stride=2, pad=1), (3, 3, 3)),
    (lambda dzdy: cl.conv2d_backward(np.ones((4, 5)), np.ones((2, 3)), dzdy), (3, 3)),
    (lambda dzdy: cl.conv2d_backward(np.ones((4, 5, 2, 2)), F, dzdy), (3, 3, 3, 2)),
    (lambda dzdy: cl.maxpool2d_backward(X, dzdy, 2), (2, 2, 2)),
    (lambda dzdy: cl.maxpool2d_backward(X, dzdy, 3, stride=1, pad=1), (4, 5, 2)),
    (lambda dzdy: cl.avgpool2d_backward(X.shape, dzdy, 2), (2, 2, 2)),
    (lambda dzdy: cl.avgpool2d_backward((4, 5), dzdy, (2, 3), stride=1), (3, 3)),
    (lambda dzdy: cl.relu_backward(X, dzdy), (4, 5, 2)),
], ids=["conv", "conv-strided", "conv-2d", "conv-batch", "maxpool", "maxpool-overlap",
        "avgpool", "avgpool-2d", "relu"])
def test_upstream_gradient_of_the_wrong_shape(call, y_shape):
    for bad in _neighbours(y_shape):
        with pytest.raises(ValueError, match=r"dzdy has shape " + _re(bad) + ".*" + _re(y_shape)):
            call(np.ones(bad))


def test_col2im_phi_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"phi has shape \(12, 9\).*x_shape \(4, 5, 2\).*"
                                         r"needs \(12, 8\)"):
        cl.col2im(np.ones((12, 9)), X.shape, 2)
    with pytest.raises(ValueError, match=r"phi has shape \(8, 12\)"):
        cl.col2im(np.ones((8, 12)), X.shape, 2)


# ---------------------------------------------------------------- vec, losses, reverse
@pytest.mark.parametrize("v, shape", [(np.arange(5), (2, 3)), (np.arange(7), 6),
                                      (np.ones((2, 3)), (7,))])
def test_unvec_of_the_wrong_size(v, shape):
    with pytest.raises(ValueError, match=r"v has \d+ entries \(shape .*\), shape .* needs \d+"):
        cl.unvec(v, shape)


def test_losses_reject_bad_input():
    with pytest.raises(ValueError, match=r"t has shape \(3,\), x has \(4,\)"):
        cl.squared_loss(np.ones(4), np.ones(3))
    with pytest.raises(ValueError, match=r"t has shape \(4, 1\), x has \(4,\)"):
        cl.squared_loss_backward(np.ones(4), np.ones((4, 1)))
    for loss in (cl.softmax_log_loss, cl.softmax_log_loss_backward):
        with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\), got \[0, 3\]"):
            loss(np.ones((3, 2)), np.array([0, 3]))
        with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\), got \[-1, 1\]"):
            loss(np.ones((3, 2)), np.array([1, -1]))
        with pytest.raises(ValueError, match=r"labels has 3 entries.*2 samples.*\(3, 2\)"):
            loss(np.ones((3, 2)), np.array([0, 1, 2]))
        with pytest.raises(TypeError, match=r"labels must be integers.*float"):
            loss(np.ones((3, 2)), np.array([0.0, 1.0]))
        with pytest.raises(ValueError, match=r"x must be .*class scores, got shape \(3, 2, 2\)"):
            loss(np.ones((3, 2, 2)), np.array([0, 1]))


def test_deconv2d_out_size_inconsistent():
    y, f = np.ones((3, 3)), np.ones((3, 3))
    with pytest.raises(ValueError, match=r"out_size \(9, 9\) .*\(3, 3\).*stride \(2, 2\)"):
        cl.deconv2d(y, f, stride=2, out_size=(9, 9))
    with pytest.raises(ValueError, match=r"out_size \(7, 6\)"):
        cl.deconv2d(y, f, stride=2, out_size=(7, 6))


def test_deconv2d_out_size_too_small_names_out_size():
    with pytest.raises(ValueError, match=r"out_size"):
        cl.deconv2d(np.ones((3, 3)), np.ones((3, 3)), stride=2, out_size=(2, 2))


@pytest.mark.parametrize("out_size, error", [((0, 5), ValueError), ((5.0, 5), TypeError),
                                             ((5, 5, 1), ValueError)], ids=repr)
def test_deconv2d_bad_out_size(out_size, error):
    with pytest.raises(error, match=r"out_size"):
        cl.deconv2d(np.ones((3, 3)), np.ones((3, 3)), out_size=out_size)


def test_maxunpool2d_rejects_bad_indices():
    y = np.ones((2, 2))
    with pytest.raises(ValueError, match=r"idx holds positions in \[0, 16\].*x_shape \(4, 4\) "
                                         r"\(16 entries\)"):
        cl.maxunpool2d(y, np.array([[0, 1], [2, 16]]), (4, 4))
    with pytest.raises(ValueError, match=r"idx holds positions in \[-1, 2\].*x_shape \(4, 4\)"):
        cl.maxunpool2d(y, np.array([[0, 1], [2, -1]]), (4, 4))
    with pytest.raises(ValueError, match=r"idx has shape \(4,\), y has \(2, 2\)"):
        cl.maxunpool2d(y, np.arange(4), (4, 4))
    with pytest.raises(TypeError, match=r"idx must hold integer positions.*float64"):
        cl.maxunpool2d(y, np.ones((2, 2)), (4, 4))


def test_maxpool_indicator_rejects_unknown_ties():
    with pytest.raises(ValueError, match=r"ties must be 'first' or 'all', got 'any'"):
        cl.maxpool_indicator(np.ones((2, 2)), 2, ties="any")


@pytest.mark.parametrize("call", [
    lambda a: cl.im2col(a, 2), lambda a: cl.conv2d(a, np.ones((2, 2))),
    lambda a: cl.maxpool2d(a, 2), lambda a: cl.avgpool2d(a, 2), lambda a: cl.relu(a),
    lambda a: cl.deconv2d(a, np.ones((2, 2))),
    lambda a: cl.conv2d(np.ones((3, 3)), a[:2, :2]),
], ids=["im2col", "conv2d-x", "maxpool2d", "avgpool2d", "relu", "deconv2d", "conv2d-f"])
@pytest.mark.parametrize("bad", [np.ones((3, 3)) * 1j, np.full((3, 3), "a"),
                                 np.empty((3, 3), dtype=object)], ids=["complex", "str", "object"])
def test_non_real_input_is_a_type_error(call, bad):
    with pytest.raises(TypeError, match=r"must be a real numeric array, got dtype"):
        call(bad)


# ---------------------------------------------------------------- helpers
def _re(shape):
    """A regex matching the printed tuple ``shape``."""
    import re
    return re.escape(str(tuple(shape)))


def _neighbours(shape):
    """Shapes one step away from ``shape``: one side off by one, one axis more or fewer."""
    out = [shape[:-1], shape + (1,)]
    for a in range(len(shape)):
        out.append(shape[:a] + (shape[a] + 1,) + shape[a + 1:])
    return out


# ---------------------------------------------------------------- the sweep (issue 11, §5)
# Every public function of the math, called with a good argument list, then with one argument
# replaced by a wrong kind: the error is a TypeError or ValueError whose message names it.
GOOD_CALLS = {
    "vec": (X,), "unvec": (np.ones(6), (2, 3)),
    "numerical_gradient": (lambda a: float(np.sum(a)), np.ones(3)),
    "numerical_jacobian": (lambda a: a, np.ones(3)),
    "relative_error": (np.ones(3), np.ones(3)),
    "im2col": (X, 2), "col2im": (np.ones((12, 8)), X.shape, 2),
    "conv_output_shape": (X.shape, 2), "conv_indicator": (X.shape, 2), "phi_index": (X.shape, 2),
    "maxpool_indicator": (X, 2),
    "conv2d": (X, F), "conv2d_backward": (X, F, np.ones((3, 3, 3))),
    "maxpool2d": (X, 2), "maxpool2d_backward": (X, np.ones((2, 2, 2)), 2),
    "avgpool2d": (X, 2), "avgpool2d_backward": (X.shape, np.ones((2, 2, 2)), 2),
    "pool_output_shape": (X.shape, 2),
    "relu": (X,), "relu_backward": (X, X),
    "deconv2d": (np.ones((3, 3, 3)), F),
    "maxunpool2d": (np.ones((2, 2)), np.zeros((2, 2), dtype=int), (4, 4)),
    "avgunpool2d": (np.ones((2, 2)), 2),
    "squared_loss": (np.ones(3), np.ones(3)), "squared_loss_backward": (np.ones(3), np.ones(3)),
    "softmax": (np.ones(3),),
    "softmax_log_loss": (np.ones((3, 2)), np.array([0, 1])),
    "softmax_log_loss_backward": (np.ones((3, 2)), np.array([0, 1])),
}
MATH_MODULES = ("tensor", "gradcheck", "im2col", "indicator", "conv", "pool", "relu", "reverse",
                "loss")


def test_the_sweep_covers_every_public_function_of_the_math():
    import importlib
    public = {n for m in MATH_MODULES for n in importlib.import_module(f"cnnlib.{m}").__all__}
    assert public == set(GOOD_CALLS)


def _sweep_cases():
    import inspect
    for name, args in sorted(GOOD_CALLS.items()):
        params = list(inspect.signature(getattr(cl, name)).parameters)
        for i in range(len(args)):
            for bad in (None, "abc", np.nan, np.zeros((2, 2), dtype=object)):
                yield pytest.param(name, i, params[i], bad, id=f"{name}-{params[i]}-{bad!r:.8}")


@pytest.mark.parametrize("name, i, param, bad", list(_sweep_cases()))
def test_a_wrong_kind_is_named(name, i, param, bad):
    fn, args = getattr(cl, name), list(GOOD_CALLS[name])
    fn(*args)                                              # the good call works
    args[i] = bad
    if (name, param) in {("vec", "a"), ("relu", "x")} and isinstance(bad, float):
        # a nan is a number: vec and relu keep it (nan in, nan out), as numpy does
        assert np.isnan(fn(*args)).all()
        return
    with pytest.raises((TypeError, ValueError), match=r"\b" + param + r"\b"):
        fn(*args)


def test_vec_and_unvec_name_their_arguments():
    with pytest.raises(TypeError, match=r"a must be an array of numbers, got None"):
        cl.vec(None)
    with pytest.raises(TypeError, match=r"v must be an array of numbers, got None"):
        cl.unvec(None, 3)
    for shape in ("x", None, 2.0, (2, "3"), (2, 1.5), True):
        with pytest.raises(TypeError, match=r"shape must be an int or a tuple of ints"):
            cl.unvec(np.ones(6), shape)
    with pytest.raises(ValueError, match=r"shape must hold ints >= 0, got \(-2, -3\)"):
        cl.unvec(np.ones(6), (-2, -3))


@pytest.mark.parametrize("gradient", [cl.numerical_gradient, cl.numerical_jacobian])
def test_finite_differences_check_fun_eps_and_x(gradient):
    fun = lambda a: float(np.sum(a ** 2))                          # noqa: E731
    with pytest.raises(TypeError, match=r"fun must be a function of x, got float 3\.0"):
        gradient(3.0, np.ones(2))
    with pytest.raises(TypeError, match=r"fun must be a function"):
        gradient(None, np.ones(2))
    for eps in (0, 0.0, -1e-6, np.inf, -np.inf, np.nan):
        with pytest.raises(ValueError, match=r"eps must be a finite number > 0"):
            gradient(fun, np.ones(2), eps=eps)
    for eps in (None, "1e-6", True, 1e-6j, np.ones(2)):
        with pytest.raises(TypeError, match=r"eps must be a real number"):
            gradient(fun, np.ones(2), eps=eps)
    for x in ([1.0, np.nan], [np.inf, 1.0]):
        with pytest.raises(ValueError, match=r"x holds non-finite values"):
            gradient(fun, x)
    with pytest.raises(TypeError, match=r"x must be real"):
        gradient(fun, np.ones(2) * 1j)
    with pytest.raises(ValueError, match=r"non-finite"):
        gradient(lambda a: np.full(a.shape, np.inf) if gradient is cl.numerical_jacobian
                 else np.inf, np.ones(2))                           # inf: no derivative
    # a 0-d array step and a numpy float step are numbers like any other
    linear = (lambda a: 1.0 * a) if gradient is cl.numerical_jacobian else (lambda a: a.sum())
    assert np.allclose(gradient(linear, np.ones(2), eps=np.array(1e-3)).ravel()[0], 1)
    assert np.allclose(gradient(linear, np.ones(2), eps=np.float32(1e-3)).ravel()[0], 1)


def test_relative_error_refuses_non_finite_and_complex():
    with pytest.raises(ValueError, match=r"a holds non-finite values"):
        cl.relative_error([np.nan, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"b holds non-finite values"):
        cl.relative_error([1.0, 1.0], [1.0, np.inf])
    with pytest.raises(TypeError, match=r"a and b must be real"):
        cl.relative_error([1j], [1.0])


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_losses_refuse_non_finite_scores(bad):
    # a nan or inf score gives a nan loss (and a RuntimeWarning, an error here): say which argument
    x = np.array([[0.5, bad], [1.0, 2.0], [0.0, -1.0]])
    for loss in (cl.softmax_log_loss, cl.softmax_log_loss_backward):
        with pytest.raises(ValueError, match=r"x holds non-finite values \(inf or nan\): 1 of 6"):
            loss(x, np.array([0, 1]))
        with pytest.raises(ValueError, match=r"x holds non-finite"):
            loss(x.reshape(1, 1, 3, 2), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"x holds non-finite"):
        cl.softmax(x)
    for loss in (cl.squared_loss, cl.squared_loss_backward):
        with pytest.raises(ValueError, match=r"x holds non-finite"):
            loss(x, np.zeros_like(x))
        with pytest.raises(ValueError, match=r"t holds non-finite"):
            loss(np.zeros_like(x), x)


def test_softmax_refuses_an_axis_that_cannot_hold_classes():
    scores = np.arange(6.0).reshape(1, 1, 3, 2)                   # the network's (1, 1, C, N)
    for axis in (0, 1, -4):
        with pytest.raises(ValueError, match=rf"axis {axis} of x has length 1 .*\(1, 1, 3, 2\).*"
                                             r"classes on axis 2"):
            cl.softmax(scores, axis=axis)
    for x in (np.ones((1, 4)), np.ones(1), np.ones((1, 1, 1, 3))):  # one class: always 1
        with pytest.raises(ValueError, match=r"has length 1"):
            cl.softmax(x)
        with pytest.raises(ValueError, match=r"has length 1"):
            cl.softmax_log_loss(x, np.zeros(x.size, dtype=int))
    with pytest.raises(ValueError, match=r"x must be \(C,\), \(C, N\), \(1, 1, C\) or "
                                         r"\(1, 1, C, N\) class scores, got shape \(2, 3, 4\)"):
        cl.softmax(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"axis 4 is out of range for x of shape \(1, 1, 3, 2\)"):
        cl.softmax(scores, axis=4)
    for axis in (1.0, "2", True):
        with pytest.raises(TypeError, match=r"axis must be None or an int"):
            cl.softmax(scores, axis=axis)


# ---------------------------------------------------------------- the network's names
# the top-level names, wherever the package keeps them
SGD, Conv2d, FullyConnected = cl.SGD, cl.Conv2d, cl.FullyConnected
MaxPool2d, ReLU = cl.MaxPool2d, cl.ReLU
Sequential, SoftmaxLogLoss, SquaredLoss = cl.Sequential, cl.SoftmaxLogLoss, cl.SquaredLoss
digits_cnn, train_step = cl.digits_cnn, cl.train_step
benchmark_step = cnnlib.bench.benchmark_step        # the benchmark's, not served by cl


def _net():
    return Sequential([Conv2d(1, 2, 3), ReLU(), FullyConnected((2, 2, 2), 3)],
                      in_shape=(4, 4, 1)).init(0)


NET_CALLS = [
    (lambda: Conv2d(None, 2, 3), TypeError, "d_in"), (lambda: Conv2d(0, 2, 3), ValueError, "d_in"),
    (lambda: Conv2d(1.5, 2, 3), TypeError, "d_in"),
    (lambda: Conv2d(1, "2", 3), TypeError, "d_out"),
    (lambda: Conv2d(1, -1, 3), ValueError, "d_out"),
    (lambda: Conv2d(1, 2, None), TypeError, "kernel"),
    (lambda: Conv2d(1, 2, 0), ValueError, "kernel"),
    (lambda: Conv2d(1, 2, 3, stride=0), ValueError, "stride"),
    (lambda: Conv2d(1, 2, 3, pad=-1), ValueError, "pad"),
    (lambda: Conv2d(1, 2, 3, pad=None), TypeError, "pad"),
    (lambda: FullyConnected(None, 3), TypeError, "in_shape"),
    (lambda: FullyConnected((2, 2), 3), ValueError, "in_shape"),
    (lambda: FullyConnected((2, 0, 1), 3), ValueError, "in_shape"),
    (lambda: FullyConnected((2, 2, 1), None), TypeError, "d_out"),
    (lambda: MaxPool2d(None), TypeError, "size"), (lambda: MaxPool2d(0), ValueError, "size"),
    (lambda: MaxPool2d(2, stride=0), ValueError, "stride"),
    (lambda: MaxPool2d(2, stride=1.5), TypeError, "stride"),
    (lambda: Sequential(None), TypeError, "layers"),
    (lambda: Sequential([None]), TypeError, "layers"),
    (lambda: Sequential([ReLU()], loss="l2"), TypeError, "loss"),
    (lambda: Sequential([ReLU()], in_shape=(4, 4)), ValueError, "in_shape"),
    (lambda: Sequential([ReLU()], in_shape=(4, -4, 1)), ValueError, "in_shape"),
    (lambda: _net().init(None), TypeError, "seed"), (lambda: _net().init(-1), ValueError, "seed"),
    (lambda: _net().forward(None), TypeError, "x"),
    (lambda: _net().forward("abc"), TypeError, "x"),
    (lambda: _net().forward(np.ones((4, 4))), ValueError, "x"),
    (lambda: _net().loss_value(np.ones((4, 4, 1, 2)), None), TypeError, "labels"),
    (lambda: _net().loss_value(np.full((4, 4, 1, 2), np.nan), [0, 1]), ValueError, "x"),
    (lambda: _net().predict(np.ones((4, 4, 1, 2)), batch_size=0), ValueError, "batch_size"),
    (lambda: _net().probabilities(np.ones((4, 4, 1, 2)), batch_size=None), TypeError,
     "batch_size"),
    (lambda: _net().save(None), TypeError, "path"), (lambda: _net().load(3), TypeError, "path"),
    (lambda: SoftmaxLogLoss().forward(None, [0]), TypeError, "x"),
    (lambda: SquaredLoss().forward(None, [0]), TypeError, "x"),
    (lambda: SquaredLoss().forward(np.ones((1, 1, 3, 1)), None), TypeError, "target"),
    (lambda: ReLU().forward(None), TypeError, "x"),
    (lambda: ReLU().backward(np.ones(2)), ValueError, "backward called before forward"),
    (lambda: SGD(None), TypeError, "net"), (lambda: SGD(_net(), lr=0), ValueError, "lr"),
    (lambda: SGD(_net(), lr=-0.1), ValueError, "lr"),
    (lambda: SGD(_net(), lr=np.nan), ValueError, "lr"),
    (lambda: SGD(_net(), lr=None), TypeError, "lr"),
    (lambda: SGD(_net(), lr="0.1"), TypeError, "lr"),
    (lambda: SGD(_net(), momentum=1.0), ValueError, "momentum"),
    (lambda: SGD(_net(), momentum=-0.5), ValueError, "momentum"),
    (lambda: SGD(_net(), weight_decay=np.inf), ValueError, "weight_decay"),
    (lambda: SGD(_net(), weight_decay=-1e-3), ValueError, "weight_decay"),
    (lambda: train_step(None, None, np.ones((4, 4, 1, 2)), [0, 1]), TypeError, "net"),
    (lambda: train_step(_net(), None, np.ones((4, 4, 1, 2)), [0, 1]), TypeError, "opt"),
    (lambda: train_step(_net(), SGD(_net()), np.ones((4, 4, 1, 2)), [0, 1]), TypeError, "opt"),
    (lambda: digits_cnn(None), TypeError, "seed"), (lambda: digits_cnn(1.5), TypeError, "seed"),
    (lambda: benchmark_step(0), ValueError, "batch_size"),
    (lambda: benchmark_step(None), TypeError, "batch_size"),
    (lambda: benchmark_step(16, seed="0"), TypeError, "seed"),
]


@pytest.mark.parametrize("call, error, name", NET_CALLS, ids=[f"{i}-{c[2]}" for i, c in
                                                               enumerate(NET_CALLS)])
def test_the_network_names_a_wrong_argument(call, error, name):
    with pytest.raises(error, match=r"\b" + name):
        call()


def test_loss_layers_check_dzdz():
    net = _net()
    net.loss_value(np.ones((4, 4, 1, 2)), [0, 1])
    for bad, error in ((None, TypeError), ("1", TypeError), (np.ones(2), TypeError),
                       (np.nan, ValueError), (np.inf, ValueError)):
        with pytest.raises(error, match=r"dzdz"):
            net.backward(bad)
    assert net.backward(np.float64(1.0)).shape == (4, 4, 1, 2)
