"""cnnlib.loss_layers: the end of the chain, a Loss of its own (no Layer); labels and targets."""
import numpy as np
import pytest

import cnnlib as cl
from cnnlib.layers import Conv2d, FullyConnected, Layer, ReLU
from cnnlib.loss_layers import Loss, SoftmaxLogLoss, SquaredLoss
from cnnlib.net import SGD, Sequential, train_step
import sweeps


def test_loss_layers_are_losses_not_layers():
    for loss in (SoftmaxLogLoss(), SquaredLoss()):
        assert isinstance(loss, Loss) and not isinstance(loss, Layer)
        assert not hasattr(loss, "output_shape")      # a Layer's, with another forward
    assert (cl.Loss, cl.SoftmaxLogLoss, cl.SquaredLoss) == (Loss, SoftmaxLogLoss, SquaredLoss)


class MeanScoreLoss(Loss):
    """A loss of one's own: z = -mean of the label's score (no softmax)."""

    def compute(self, x, labels):
        self.labels = np.asarray(labels)
        return float(-np.mean(x[0, 0, self.labels, np.arange(x.shape[3])]))

    def gradient(self, x):
        g = np.zeros_like(x)
        g[0, 0, self.labels, np.arange(x.shape[3])] = -1 / x.shape[3]
        return g

    @staticmethod
    def probabilities(x):
        return x[0, 0]


def test_the_network_takes_any_loss():
    """Sequential relies on the Loss base, not on the two loss classes it ships with."""
    net = Sequential([ReLU(), FullyConnected((2, 2, 1), 3)], MeanScoreLoss(),
                     in_shape=(2, 2, 1)).init(0)
    x, labels = np.random.default_rng(1).random((2, 2, 1, 4)), np.array([0, 1, 2, 1])
    z = train_step(net, SGD(net, lr=0.1), x, labels)
    assert net.loss_value(x, labels) < z
    assert net.architecture().endswith("| MeanScoreLoss")
    dzdx = net.backward()
    assert np.allclose(dzdx, cl.numerical_gradient(lambda v: net.loss_value(v, labels), x),
                       atol=1e-8)


@pytest.mark.parametrize("loss", [SoftmaxLogLoss(), SquaredLoss()])
def test_labels_out_of_range_name_the_range(loss):
    x = np.zeros((1, 1, 3, 2))
    for labels in ([0, 3], [-1, 0]):
        with pytest.raises(ValueError, match=r"must lie in \[0, 3\), got \[-?\d, \d\]"):
            loss.forward(x, np.array(labels))
    with pytest.raises(ValueError, match=r"has 3 entries, x holds 2 samples"):
        loss.forward(x, np.array([0, 1, 2]))


def test_labels_of_the_wrong_kind_name_the_range():
    x = np.zeros((1, 1, 3, 2))
    with pytest.raises(TypeError, match=r"labels must be integers in \[0, 3\), got dtype float64"):
        SoftmaxLogLoss().forward(x, np.array([0.0, 1.0]))
    # float targets are t itself when shaped like x; else they name both forms and the range
    with pytest.raises(ValueError, match=r"target must be 2 integer labels in \[0, 3\) or an "
                                         r"array shaped like x \(1, 1, 3, 2\), got dtype float64 "
                                         r"and shape \(2,\)"):
        SquaredLoss().forward(x, np.array([0.0, 2.0]))
    with pytest.raises(TypeError, match=r"target must be integers in \[0, 3\), got None"):
        SquaredLoss().forward(x, None)


@pytest.mark.parametrize("loss", [SoftmaxLogLoss(), SquaredLoss()])
def test_a_batch_of_no_images_has_no_mean_loss(loss):
    with pytest.raises(ValueError, match=r"x holds no images \(scores shape \(1, 1, 3, 0\)\)"):
        loss.forward(np.zeros((1, 1, 3, 0)), np.zeros(0, int))


@pytest.mark.parametrize("loss", [SoftmaxLogLoss(), SquaredLoss()])
def test_backward_before_forward(loss):
    with pytest.raises(ValueError, match=r"backward called before forward"):
        loss.backward()


def test_a_refused_target_keeps_the_stored_scores():
    loss = SquaredLoss()
    x = np.arange(6.0).reshape(1, 1, 3, 2)
    loss.forward(x, np.array([0, 1]))
    expected = loss.backward()
    with pytest.raises(ValueError):
        loss.forward(2 * x, np.array([0, 7]))
    assert np.array_equal(loss.backward(), expected)


def test_float32_scores_give_the_float64_loss():
    x = np.full((1, 1, 2, 1), 1e30, np.float32)                      # squares beyond float32
    assert SquaredLoss().forward(x, np.array([0])) == pytest.approx(2e60, rel=1e-6)


# ---------------------------------------------------------------- bad arguments
WRONG_ARGUMENTS = [
    (lambda: SoftmaxLogLoss().forward(None, [0]), TypeError, "x"),
    (lambda: SquaredLoss().forward(None, [0]), TypeError, "x"),
    (lambda: SquaredLoss().forward(np.ones((1, 1, 3, 1)), None), TypeError, "target"),
]

test_a_wrong_argument_is_named = sweeps.wrong_argument_test(WRONG_ARGUMENTS)


def test_loss_layers_check_dzdz():
    net = Sequential([Conv2d(1, 2, 3), ReLU(), FullyConnected((2, 2, 2), 3)],
                     in_shape=(4, 4, 1)).init(0)
    net.loss_value(np.ones((4, 4, 1, 2)), [0, 1])
    for bad, error in ((None, TypeError), ("1", TypeError), (np.ones(2), TypeError),
                       (np.nan, ValueError), (np.inf, ValueError)):
        with pytest.raises(error, match=r"dzdz"):
            net.backward(bad)
    assert net.backward(np.float64(1.0)).shape == (4, 4, 1, 2)
