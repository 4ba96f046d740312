"""ReLU (note section 7): forward Eq. (58), backward Eq. (59)-(60)."""
import numpy as np
import pytest

import cnnlib as cl
import oracles
import sweeps


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (3, 2, 2, 3)])
def test_relu_matches_eq58_loops(shape, rng):
    x = rng.standard_normal(shape)
    y = cl.relu(x)
    assert y.shape == x.shape
    assert np.array_equal(y, oracles.relu(x))


@pytest.mark.parametrize("shape", [(7,), (4, 5), (3, 4, 2), (3, 2, 2, 3)])
def test_relu_backward_matches_eq60_loops(shape, rng):
    x, G = rng.standard_normal(shape), rng.standard_normal(shape)
    assert np.array_equal(cl.relu_backward(x, G), oracles.relu_backward(x, G))


@pytest.mark.parametrize("shape", [(4, 5), (3, 2, 2), (2, 3, 2, 2)])
def test_relu_backward_matches_finite_differences(shape, rng):
    x = oracles.distinct(shape, rng)        # |x| >= 0.05: far from the kink at 0
    G = rng.standard_normal(shape)
    z = lambda x_: np.sum(cl.relu(x_) * G)
    assert np.allclose(cl.relu_backward(x, G), cl.numerical_gradient(z, x), atol=1e-8)


def test_relu_at_the_kink_uses_zero():
    # Eq. (59) is undefined at 0; cnnlib sends no gradient there, as MatConvNet
    x = np.array([-1.0, 0.0, -0.0, 2.0])
    assert np.array_equal(cl.relu(x), [0, 0, 0, 2])
    assert np.array_equal(cl.relu_backward(x, np.ones(4)), [0, 0, 0, 1])


@pytest.mark.parametrize("dtype, out", [(np.float32, np.float32), (np.float64, np.float64),
                                        (np.int64, np.float64), (np.int8, np.float64)])
def test_relu_dtypes(dtype, out):
    x = np.array([[-3, 2], [0, 5]]).astype(dtype)
    y = cl.relu(x)
    assert y.dtype == out and np.array_equal(y, [[0, 2], [0, 5]])
    dzdx = cl.relu_backward(x, np.ones((2, 2), dtype=dtype))
    assert dzdx.dtype == out and np.array_equal(dzdx, [[0, 1], [0, 1]])


def test_relu_does_not_modify_x(rng):
    x = rng.standard_normal((3, 4))
    keep = x.copy()
    cl.relu(x)
    cl.relu_backward(x, np.ones_like(x))
    assert np.array_equal(x, keep)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
GOOD_CALLS = {"relu": (sweeps.X,), "relu_backward": (sweeps.X, sweeps.X)}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS, keeps_nan={"relu"})
test_upstream_gradient_of_the_wrong_shape = sweeps.dzdy_shape_test({
    "relu": (lambda dzdy: cl.relu_backward(sweeps.X, dzdy), (4, 5, 2))})
test_non_real_input_is_a_type_error = sweeps.non_real_test({"relu": cl.relu})
