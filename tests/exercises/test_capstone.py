"""The capstone of chapter 12 (exercises.capstone): the digits network of the learner's functions.

The learner's functions are those of learner.py beside this file (nothing there calls cnnlib):
its loops over the output positions and windows for the network, its plain loops for the
small layers.
"""
from functools import partial

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import cnnlib as cl
from . import learner

CNNLIB = {name: getattr(cl, name) for name in
          ("conv2d", "conv2d_backward", "maxpool2d", "maxpool2d_backward", "relu",
           "relu_backward", "softmax_log_loss_backward")}
MINE = {"conv2d": learner.conv2d_by_positions,
        "conv2d_backward": learner.conv2d_backward_by_positions,
        "maxpool2d": learner.maxpool2d_by_windows,
        "maxpool2d_backward": learner.maxpool2d_backward_by_windows,
        "relu": learner.relu, "relu_backward": learner.relu_backward_vectorized,
        "softmax_log_loss_backward": learner.softmax_log_loss_backward}


def one_line(capsys):
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n"), out
    return out[:-1]


@pytest.mark.parametrize("functions, batch", [(CNNLIB, True), (CNNLIB, False), (MINE, True),
                                              (MINE, False), ({}, True)],
                         ids=["cnnlib", "cnnlib-one-image", "learner", "learner-one-image",
                              "none"])
def test_right_functions_pass(functions, batch, capsys):
    result = cl.check_network(functions, batch=batch)
    assert (result.ok, result.mistake, result.function) == (True, None, None)
    assert one_line(capsys).startswith("right: every layer and one training step of the "
                                       "digits network agree with cnnlib's (loss 2.5582, 6 "
                                       "parameter arrays, largest difference ")


def halve_dzdb(out):
    return out[0], out[1], out[2] / 2


@pytest.mark.parametrize("function, fn, key", [
    ("relu_backward", partial(learner.relu_backward, mistake="gradient passed at 0"),
     "gradient passed at 0"),
    ("maxpool2d_backward", partial(learner.maxpool2d_backward, mistake="last tied maximum"),
     "last tied maximum"),
    ("softmax_log_loss_backward",
     partial(learner.softmax_log_loss_backward, mistake="no batch mean"), "no batch mean"),
    ("conv2d_backward",                              # every f flipped: dz/dF and dz/db
     lambda x, f, dzdy, pad=0: learner.conv2d_backward_by_positions(x, f[::-1, ::-1], dzdy,
                                                                    pad=pad),
     "dz/dx kernel not flipped"),                    # do not use f, so only dz/dx differs
    ("conv2d_backward",
     lambda x, f, dzdy, pad=0: halve_dzdb(learner.conv2d_backward_by_positions(x, f, dzdy,
                                                                               pad=pad)), None),
    ("maxpool2d", lambda x, size: learner.maxpool2d_by_windows(x, size) + 1e-3, None),
])
def test_a_broken_function_is_named(function, fn, key, capsys):
    """The first layer that differs on cnnlib's own inputs names the function, and the
    mistake when the catalogue knows it."""
    result = cl.check_network({**MINE, function: fn})
    assert (result.ok, result.function, result.mistake) == (False, function, key)
    line = one_line(capsys)
    assert line.startswith("not quite: ") and f"your {function} differs" in line
    assert (f"; this looks like {key}: " in line) == (key is not None)


def test_one_image_at_a_time_names_the_mistake_at_that_level(capsys):
    def single(x, f, dzdy, pad=0):                 # dz/db: the mean over the positions
        dzdx, dzdf, dzdb = learner.conv2d_backward_by_positions(x, f, dzdy, pad=pad)
        return dzdx, dzdf, dzdb / (dzdy.shape[0] * dzdy.shape[1])

    result = cl.check_network({"conv2d_backward": single}, batch=False)
    assert (result.function, result.mistake) == ("conv2d_backward", "dz/db not summed")


def test_none_and_exceptions_name_the_layer(capsys):
    result = cl.check_network({"relu": lambda x: None})
    assert (result.ok, result.function) == (False, "relu")
    assert one_line(capsys) == "not yet: layer 2 ReLU(): your relu returns None"

    def my_conv2d(x, f, b=None, stride=1, pad=0):
        return x[8]

    assert cl.check_network({"conv2d": my_conv2d}).function == "conv2d"
    assert one_line(capsys) == ("not quite: layer 1 Conv2d(1, 16, kernel=(3, 3), pad=1): your "
                                "conv2d raises IndexError: index 8 is out of bounds for axis 0 "
                                "with size 8")


def test_a_function_that_changes_its_arguments_is_caught_by_the_step(capsys):
    """Every layer agrees when compared alone; the whole step shows the damage."""
    def my_conv2d_backward(x, f, dzdy, stride=1, pad=0):
        out = learner.conv2d_backward_by_positions(x, f, dzdy, stride, pad)
        f *= 0.5                                     # the layer's own filters, halved
        return out

    result = cl.check_network({"conv2d_backward": my_conv2d_backward})
    assert (result.ok, result.function) == (False, None)
    assert one_line(capsys).startswith("not quite: every layer agrees on cnnlib's inputs, but "
                                       "after one training step the loss or parameters ['0.f'")


def test_the_network_is_digits_cnn():
    mine, ref = cl.digits_cnn_with(MINE, seed=3), cl.digits_cnn(seed=3)
    assert mine.architecture() == ref.architecture()
    for (name, w), (name_ref, w_ref) in zip(mine.parameters(), ref.parameters()):
        assert name == name_ref and np.array_equal(w, w_ref)
    x = np.random.default_rng(0).random((8, 8, 1, 5))
    assert np.allclose(mine.forward(x), ref.forward(x), rtol=1e-12, atol=1e-12)


def test_save_and_load_between_the_two(tmp_path):
    ref = cl.digits_cnn(seed=1)
    ref.save(tmp_path / "net.npz")
    mine = cl.digits_cnn_with(MINE, seed=2).load(tmp_path / "net.npz")
    assert all(np.array_equal(w, w_ref) for (_, w), (_, w_ref) in
               zip(mine.parameters(), ref.parameters()))


@pytest.mark.parametrize("functions, error, match", [
    ([cl.conv2d], TypeError, "functions must be a dict"),
    ({"conv3d": cl.conv2d}, ValueError, r"unknown names \['conv3d'\]"),
    ({"relu": "my_relu"}, TypeError, r"functions\['relu'\] must be a function"),
])
def test_bad_functions(functions, error, match):
    with pytest.raises(error, match=match):
        cl.digits_cnn_with(functions)
    with pytest.raises(error, match=match):
        cl.check_network(functions)


def chapter_12_recipe(net, digits, epochs, seed=0):
    """The training loop of chapter 12 (its train_digits cell), written out."""
    x_train, y_train, x_test, y_test = digits
    opt = cl.SGD(net, lr=0.05, momentum=0.9, weight_decay=1e-3)
    order_rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = order_rng.permutation(y_train.size)
        for batch in np.array_split(order, np.arange(16, order.size, 16)):
            cl.train_step(net, opt, x_train[..., batch], y_train[batch])
        opt.lr *= 0.8
    return np.mean(net.predict(x_test) == y_test)


def test_train_digits_is_chapter_12s_recipe_and_the_learners_net_learns_the_same():
    """Two epochs on the first 480 training digits (the chapter trains 12 on all 1438)."""
    x_train, y_train, x_test, y_test = cl.load_digits()
    digits = cl.Digits(x_train[..., :480], y_train[:480], x_test, y_test)
    with threadpool_limits(limits=1, user_api="blas"):
        by_hand, ref = chapter_12_recipe(cl.digits_cnn(0), digits, 2), cl.digits_cnn(0)
        accuracy = cl.train_digits(ref, digits, epochs=2)
        mine = cl.digits_cnn_with(MINE, 0)
        mine_accuracy = cl.train_digits(mine, digits, epochs=2)
    assert accuracy == by_hand == mine_accuracy and accuracy > 0.5
    for (_, w), (_, w_ref) in zip(mine.parameters(), ref.parameters()):
        assert np.allclose(w, w_ref, rtol=1e-9, atol=1e-12)
