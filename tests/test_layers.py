"""cnnlib.layers: each layer against loops or its own equation; forward keeps x once."""
import numpy as np
import pytest

from cnnlib.layers import Conv2d, FullyConnected, MaxPool2d, ReLU, SquaredLoss


def test_fully_connected_matches_loops():
    rng = np.random.default_rng(1)
    layer = FullyConnected((3, 2, 4), 5)
    layer.init(rng)
    layer.params["b"] = rng.standard_normal(5)
    x = rng.standard_normal((3, 2, 4, 7))
    y = layer.forward(x)
    f, b = layer.params["f"], layer.params["b"]
    expected = np.zeros((1, 1, 5, 7))
    for c, n in np.ndindex(5, 7):                  # y_c = sum_{i,j,d} f[i,j,d,c] x[i,j,d] + b_c
        s = b[c]
        for i, j, d in np.ndindex(3, 2, 4):
            s += f[i, j, d, c] * x[i, j, d, n]
        expected[0, 0, c, n] = s
    assert np.allclose(y, expected)


def test_fully_connected_rejects_other_input_sizes():
    with pytest.raises(ValueError, match=r"\(3, 2, 4, N\).*\(4, 2, 4, 1\)"):
        FullyConnected((3, 2, 4), 5).forward(np.zeros((4, 2, 4, 1)))


def test_backward_before_forward_is_an_error():
    with pytest.raises(ValueError, match="backward called before forward"):
        ReLU().backward(np.zeros((2, 2, 1, 1)))


def test_squared_loss_is_eq6_averaged_over_the_batch():
    x = np.arange(6.0).reshape(1, 1, 3, 2)
    t = np.zeros_like(x)
    t[0, 0, [2, 0], [0, 1]] = 1
    loss = SquaredLoss()
    expected = sum(np.sum((t[..., n] - x[..., n]) ** 2) for n in range(2)) / 2
    assert np.isclose(loss.forward(x, np.array([2, 0])), expected)
    assert np.isclose(loss.forward(x, t), expected)
    assert np.allclose(loss.backward(), (x - t))                  # 2 (x - t) / N with N = 2


def test_forward_without_keep_leaves_what_backward_needs():
    """keep=False (pictures, prediction) must not replace the stored x nor the max positions."""
    rng = np.random.default_rng(2)
    x1, x2 = rng.permutation(32).reshape(4, 4, 2, 1) * 1.0, rng.random((4, 4, 2, 1))
    for layer in (MaxPool2d(2), ReLU(), Conv2d(2, 3, 3, pad=1)):
        layer.init(rng)
        dzdy = rng.standard_normal(layer.forward(x1).shape)
        expected = layer.backward(dzdy)
        layer.forward(x2, keep=False)
        assert np.array_equal(layer.backward(dzdy), expected)
        assert layer.x is not None and np.array_equal(layer.x, x1)


def test_kernel_and_in_shape_are_parsed_like_the_functions():
    assert Conv2d(1, 2, (2, 3)).params["f"].shape == (2, 3, 1, 2)
    assert Conv2d(1, 2, np.int64(3)).params["f"].shape == (3, 3, 1, 2)
    with pytest.raises(ValueError, match="kernel"):
        Conv2d(1, 2, 0)
    with pytest.raises(ValueError, match=r"in_shape.*\(3, 2\)"):
        FullyConnected((3, 2), 5)
