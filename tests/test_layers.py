"""cnnlib.layers: each layer against loops or its own equation; forward keeps x once."""
import numpy as np
import pytest

from cnnlib.layers import Conv2d, FullyConnected, MaxPool2d, ReLU
from cnnlib.loss_layers import SquaredLoss
import sweeps


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


# ---------------------------------------------------------------- hyper-parameters, one form
@pytest.mark.parametrize("given, canonical", [
    (dict(kernel=3, stride=np.array([1, 2])), "Conv2d(1, 2, kernel=(3, 3), stride=(1, 2))"),
    (dict(kernel=np.int64(3), stride=np.int64(2), pad=np.int64(1)),
     "Conv2d(1, 2, kernel=(3, 3), stride=2, pad=1)"),
    (dict(kernel=(3, 2), stride=(2, 2), pad=(1, 1)),
     "Conv2d(1, 2, kernel=(3, 2), stride=2, pad=1)"),
    (dict(kernel=[3, 3], stride=np.array(1), pad=np.array([0, 1])),
     "Conv2d(1, 2, kernel=(3, 3), pad=(0, 1))"),
])
def test_conv_hyper_parameters_are_kept_as_pairs_of_ints(given, canonical):
    layer = Conv2d(1, 2, **given)
    assert repr(layer) == canonical
    assert all(type(v) is int for v in layer.stride + layer.pad + (layer.kh, layer.kw))
    assert len(layer.stride) == len(layer.pad) == 2


def test_one_convolution_in_any_form_has_one_repr():
    forms = [Conv2d(np.int64(1), 2, 3, pad=1), Conv2d(1, np.int64(2), (3, 3), pad=(1, 1)),
             Conv2d(1, 2, np.array([3, 3]), stride=(1, 1), pad=np.array([1, 1]))]
    assert {repr(layer) for layer in forms} == {"Conv2d(1, 2, kernel=(3, 3), pad=1)"}


@pytest.mark.parametrize("size, stride, canonical", [
    (2, None, "MaxPool2d(2)"), ((2, 2), None, "MaxPool2d(2)"), (2, 2, "MaxPool2d(2)"),
    (np.int64(2), np.array([2, 2]), "MaxPool2d(2)"),
    (np.array([2, 3]), None, "MaxPool2d((2, 3))"), (3, np.int64(1), "MaxPool2d(3, stride=1)"),
    ((2, 3), (1, 2), "MaxPool2d((2, 3), stride=(1, 2))"),
])
def test_pooling_hyper_parameters_are_kept_as_pairs_of_ints(size, stride, canonical):
    layer = MaxPool2d(size, stride)
    assert repr(layer) == canonical
    assert all(type(v) is int for v in layer.size + layer.stride)


def test_array_hyper_parameters_train_like_ints():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 7, 1, 2))
    a, b = Conv2d(1, 2, 3, stride=np.array([1, 2]), pad=np.int64(1)), Conv2d(1, 2, 3, (1, 2), 1)
    a.init(np.random.default_rng(0)), b.init(np.random.default_rng(0))
    assert np.array_equal(a.forward(x), b.forward(x))
    pool = MaxPool2d(np.array([2, 2]), np.int64(1))
    assert np.array_equal(pool.forward(x), MaxPool2d(2, 1).forward(x))


# ---------------------------------------------------------------- output shapes, no arrays
@pytest.mark.parametrize("layer, in_shape", [
    (Conv2d(2, 3, (3, 2), stride=(2, 1), pad=(1, 0)), (7, 6, 2)),
    (Conv2d(2, 4, 1), (5, 3, 2)), (MaxPool2d(2), (6, 5, 3)),
    (MaxPool2d((3, 2), (1, 2)), (6, 5, 3)),
    (ReLU(), (4, 3, 2)), (FullyConnected((4, 3, 2), 5), (4, 3, 2)),
])
def test_output_shape_is_the_shape_forward_gives(layer, in_shape):
    layer.init(np.random.default_rng(0))
    assert layer.output_shape(in_shape) == layer.forward(np.zeros(in_shape + (1,))).shape[:3]


def test_output_shape_of_a_large_image_makes_no_array(peak_mib):
    """(H, W, D) -> (H', W', D') is arithmetic: no forward pass over an image of zeros."""
    conv, pool = Conv2d(3, 8, 3, pad=1), MaxPool2d(2)
    shape, peak = peak_mib(lambda: pool.output_shape(conv.output_shape((600, 600, 3))))
    assert shape == (300, 300, 8)
    assert peak < 1e6 / 2**20        # a forward pass: 600 * 600 * 3 * 8 bytes of x alone


def test_output_shape_names_a_wrong_input():
    with pytest.raises(ValueError, match=r"Conv2d\(2, 3, kernel=\(3, 3\)\) needs 2 input "
                                         r"channels, got in_shape \(5, 5, 1\)"):
        Conv2d(2, 3, 3).output_shape((5, 5, 1))
    with pytest.raises(ValueError, match=r"\(3, 2, 4, N\), got \(3, 2, 5\)"):
        FullyConnected((3, 2, 4), 5).output_shape((3, 2, 5))
    with pytest.raises(ValueError, match=r"kernel 3 exceeds H"):
        Conv2d(1, 3, 3).output_shape((2, 5, 1))
    with pytest.raises(ValueError, match=r"in_shape must be \(H, W, D\)"):
        ReLU().output_shape((2, 5))


def test_in_shape_may_be_an_array():
    assert repr(FullyConnected(np.array([3, 2, 4]), np.int64(5))) == "FullyConnected((3, 2, 4), 5)"


# ---------------------------------------------------------------- bad arguments
WRONG_ARGUMENTS = [
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
    (lambda: ReLU().forward(None), TypeError, "x"),
    (lambda: ReLU().backward(np.ones(2)), ValueError, "backward called before forward"),
]

test_a_wrong_argument_is_named = sweeps.wrong_argument_test(WRONG_ARGUMENTS)
