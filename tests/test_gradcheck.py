"""Finite differences (note section 2.2, Eq. 2-4): the referee of every backward pass."""
import numpy as np
import pytest

import cnnlib as cl
import sweeps


def test_numerical_gradient_of_a_known_function(rng):
    # Eq. (2): z = sum(sin(y)) + y^T M y has gradient cos(y) + (M + M^T) y, shaped like y
    M = rng.standard_normal((4, 4))
    y = rng.standard_normal(4)
    grad = cl.numerical_gradient(lambda v: np.sum(np.sin(v)) + v @ M @ v, y)
    assert grad.shape == y.shape
    assert np.allclose(grad, np.cos(y) + (M + M.T) @ y, atol=1e-8)


def test_numerical_gradient_keeps_the_shape_of_a_tensor(rng):
    x = rng.standard_normal((3, 2, 4))
    W = rng.standard_normal((3, 2, 4))
    grad = cl.numerical_gradient(lambda a: np.sum(W * a ** 2), x)
    assert grad.shape == x.shape
    assert np.allclose(grad, 2 * W * x, atol=1e-8)


def test_numerical_gradient_leaves_x_untouched(rng):
    x = rng.standard_normal((2, 3))
    keep = x.copy()
    cl.numerical_gradient(lambda a: float(np.sum(a ** 3)), x)
    assert np.array_equal(x, keep)


def test_numerical_gradient_of_float32_and_int_input():
    grad = cl.numerical_gradient(lambda a: float(np.sum(a ** 2)), np.array([1, 2, 3]))
    assert grad.dtype == np.float64 and np.allclose(grad, [2, 4, 6], atol=1e-6)
    g32 = cl.numerical_gradient(lambda a: float(np.sum(a ** 2)), np.ones(3, np.float32))
    assert np.allclose(g32, 2, atol=1e-6)


def test_numerical_jacobian_of_a_linear_map_is_its_matrix(rng):
    # Eq. (3): d y / d x^T is H x W for y in R^H, x in R^W (H != W)
    A = rng.standard_normal((3, 5))
    J = cl.numerical_jacobian(lambda v: A @ v, rng.standard_normal(5))
    assert J.shape == (3, 5)
    assert np.allclose(J, A, atol=1e-8)


def test_numerical_jacobian_uses_column_major_vec(rng):
    # y = x^T (a transpose): J[i, k] = d vec(y)_i / d vec(x)_k with column-major vec
    x = rng.standard_normal((2, 3))
    J = cl.numerical_jacobian(lambda a: a.T, x)
    P = np.zeros((6, 6))
    for i, j in np.ndindex(2, 3):
        P[j + 3 * i, i + 2 * j] = 1          # vec(x^T)[j + 3 i] = x[i, j] = vec(x)[i + 2 j]
    assert np.allclose(J, P, atol=1e-8)


def test_chain_rule_eq4(rng):
    # Eq. (4): dz/dx^T = dz/dy^T dy/dx^T, y = tanh(A x), z = ||y||^2
    A = rng.standard_normal((3, 4))
    x = rng.standard_normal(4)
    y = np.tanh(A @ x)
    J = cl.numerical_jacobian(lambda v: np.tanh(A @ v), x)
    assert np.allclose(J, np.diag(1 - y ** 2) @ A, atol=1e-8)
    grad = cl.numerical_gradient(lambda v: np.sum(np.tanh(A @ v) ** 2), x)
    assert np.allclose(grad, (2 * y) @ J, atol=1e-7)


def test_relative_error():
    assert cl.relative_error(np.ones(3), np.ones(3)) == 0.0
    assert cl.relative_error([1.0, 2.0], [1.0, 2.2]) == pytest.approx(0.2 / 2.2)
    assert cl.relative_error(np.zeros(2), np.zeros(2)) == 0.0


def test_gradcheck_errors():
    with pytest.raises(ValueError, match=r"scalar.*\(2,\)"):
        cl.numerical_gradient(lambda a: a, np.ones(2))
    with pytest.raises(ValueError, match=r"empty.*\(0,\)"):
        cl.numerical_gradient(lambda a: 0.0, np.ones(0))
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        cl.relative_error(np.ones(2), np.ones(3))


def test_backprop_through_a_small_network_eq10_eq11():
    # Eq. (10)-(11): chaining every layer's backward gives the finite-difference gradient of
    # z = softmax_log_loss(pool(relu(conv(x, f) + b))) with respect to x, f and b
    rng = np.random.default_rng(11)
    x = rng.standard_normal((6, 5, 2, 2))
    f = rng.standard_normal((3, 2, 2, 3))
    b = np.array([0.3, -0.2, 0.1])
    labels = np.array([2, 0])

    def forward(x_, f_, b_):
        y1 = cl.conv2d(x_, f_, b_, stride=1, pad=1)         # (6, 6, 3, 2)
        y2 = cl.relu(y1)
        y3 = cl.maxpool2d(y2, (6, 6))                       # (1, 1, 3, 2)
        return y1, y2, y3, cl.softmax_log_loss(y3, labels)

    y1, y2, y3, _ = forward(x, f, b)
    assert np.min(np.abs(y1)) > 1e-4                        # away from ReLU's kink
    dzdy3 = cl.softmax_log_loss_backward(y3, labels)
    dzdy2 = cl.maxpool2d_backward(y2, dzdy3, (6, 6))
    dzdy1 = cl.relu_backward(y1, dzdy2)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, dzdy1, stride=1, pad=1)
    assert np.allclose(dzdx, cl.numerical_gradient(lambda a: forward(a, f, b)[3], x), atol=1e-7)
    assert np.allclose(dzdf, cl.numerical_gradient(lambda a: forward(x, a, b)[3], f), atol=1e-7)
    assert np.allclose(dzdb, cl.numerical_gradient(lambda a: forward(x, f, a)[3], b), atol=1e-7)


# ---------------------------------------------------------------- fun and the probed x
@pytest.mark.parametrize("fun, x, expected", [
    (lambda z: z, np.array([3.0]), [1.0]),                          # x itself
    (lambda z: z[:1], np.array([3.0, 4.0]), [1.0, 0.0]),            # a view of x
    (lambda z: cl.vec(z)[:1], np.array([[3.0], [4.0]]), [[1.0], [0.0]]),
    (lambda z: z.reshape(-1)[1:], np.array([[3.0, 4.0]]), [[0.0, 1.0]]),
])
def test_numerical_gradient_of_a_fun_that_returns_a_view_of_x(fun, x, expected):
    # each value is read before x is changed again (the view would follow x back to x)
    assert np.allclose(cl.numerical_gradient(fun, x), expected, atol=1e-8)


@pytest.mark.parametrize("fun", [lambda z: z, lambda z: z.T, lambda z: cl.vec(z),
                                 lambda z: z[::-1], lambda z: np.asarray(z)])
def test_numerical_jacobian_of_a_fun_that_returns_a_view_of_x(fun, rng):
    # a view of x is a permutation of x: J is that permutation matrix, whatever fun keeps
    x = rng.standard_normal((3, 2))
    J = cl.numerical_jacobian(fun, x)
    assert np.allclose(J @ cl.vec(x), cl.vec(fun(x)), atol=1e-8)
    assert np.allclose(np.sort(J, axis=1)[:, -1], 1, atol=1e-8)       # one 1 in each row


@pytest.mark.parametrize("gradient", [cl.numerical_gradient, cl.numerical_jacobian])
def test_finite_differences_refuse_a_fun_that_writes_into_x(gradient):
    def doubles_its_argument(a):
        a *= 2                                      # would spoil every later probe
        return a.sum() if gradient is cl.numerical_gradient else a

    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"fun must not write into its argument x"):
        gradient(doubles_its_argument, x)
    assert np.array_equal(x, [1.0, 2.0])


def test_numerical_jacobian_refuses_outputs_of_changing_shape():
    # y (2,) at x + eps e_0, (1,) at x - eps e_0: the difference would broadcast silently
    with pytest.raises(ValueError, match=r"one shape: \(2,\) first, then \(2,\) and \(1,\)"):
        cl.numerical_jacobian(lambda a: a[:1 + int(a[0] > 1)], np.array([1.0, 2.0]))


@pytest.mark.parametrize("gradient", [cl.numerical_gradient, cl.numerical_jacobian])
@pytest.mark.parametrize("value, error, message", [
    (None, TypeError, r"fun\(x\) must be an array of numbers, got None"),
    ("z", TypeError, r"fun\(x\) must be an array of numbers, got dtype <U1"),
    (1j, TypeError, r"fun must return real values, got dtype complex128"),
])
def test_finite_differences_name_what_fun_returned(gradient, value, error, message):
    with pytest.raises(error, match=message):
        gradient(lambda a: value, np.ones(2))


@pytest.mark.parametrize("gradient", [cl.numerical_gradient, cl.numerical_jacobian])
def test_a_step_lost_in_rounding_is_refused(gradient):
    # 2**66 + 1e-6 == 2**66: both probes saw the same x, and the derivative came out 0
    x = np.array([1.0, 2.0 ** 66])
    fun = (lambda a: 3 * a.sum()) if gradient is cl.numerical_gradient else (lambda a: 3 * a)
    with pytest.raises(ValueError, match=r"eps=1e-06 is lost in rounding at x entry 1 = "
                                         r"7\.378697629483821e\+19 .*spacing there is 1.64e\+04"):
        gradient(fun, x)
    assert gradient(fun, x, eps=2.0 ** 17).ravel()[-1] == 3          # a step that is exact


@pytest.mark.parametrize("gradient", [cl.numerical_gradient, cl.numerical_jacobian])
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_finite_differences_refuse_a_fun_that_computes_in_low_precision(gradient, dtype):
    # z = sum(x^2) in float32 at x = 1: the central difference is off by several percent
    with pytest.raises(TypeError, match=rf"fun must compute in float64, it returned "
                                        rf"{np.dtype(dtype).name}"):
        gradient(lambda a: (a.astype(dtype) ** 2).sum() if gradient is cl.numerical_gradient
                 else a.astype(dtype) ** 2, np.ones(2))


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
GOOD_CALLS = {
    "numerical_gradient": (lambda a: float(np.sum(a)), np.ones(3)),
    "numerical_jacobian": (lambda a: a, np.ones(3)),
    "relative_error": (np.ones(3), np.ones(3)),
}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)


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
