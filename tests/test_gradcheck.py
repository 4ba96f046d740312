"""Finite differences (note section 2.2, Eq. 2-4): the referee of every backward pass."""
import numpy as np
import pytest

import cnnlib as cl


def test_numerical_gradient_of_a_known_function(rng):
    # Eq. (2): z = sum(sin(y)) + y^T M y has gradient cos(y) + (M + M^T) y, shaped like y
    M = rng.standard_normal((4, 4))
    y = rng.standard_normal(4)
    g = cl.numerical_gradient(lambda v: np.sum(np.sin(v)) + v @ M @ v, y)
    assert g.shape == y.shape
    assert np.allclose(g, np.cos(y) + (M + M.T) @ y, atol=1e-8)


def test_numerical_gradient_keeps_the_shape_of_a_tensor(rng):
    x = rng.standard_normal((3, 2, 4))
    W = rng.standard_normal((3, 2, 4))
    g = cl.numerical_gradient(lambda a: np.sum(W * a ** 2), x)
    assert g.shape == x.shape
    assert np.allclose(g, 2 * W * x, atol=1e-8)


def test_numerical_gradient_leaves_x_untouched(rng):
    x = rng.standard_normal((2, 3))
    keep = x.copy()
    cl.numerical_gradient(lambda a: float(np.sum(a ** 3)), x)
    assert np.array_equal(x, keep)


def test_numerical_gradient_of_float32_and_int_input():
    g = cl.numerical_gradient(lambda a: float(np.sum(a ** 2)), np.array([1, 2, 3]))
    assert g.dtype == np.float64 and np.allclose(g, [2, 4, 6], atol=1e-6)
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
    g = cl.numerical_gradient(lambda v: np.sum(np.tanh(A @ v) ** 2), x)
    assert np.allclose(g, (2 * y) @ J, atol=1e-7)


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
