"""cnnlib.net: the whole network's gradient, SGD (Eq. 8-9), save/load."""
import numpy as np
import pytest

import cnnlib as cl
from cnnlib.layers import Conv2d, FullyConnected, MaxPool2d, ReLU, SoftmaxLogLoss, SquaredLoss
from cnnlib.net import SGD, Sequential, digits_cnn, train_step


def small_net(loss=None, seed=0):
    """conv -> ReLU -> max-pool -> fully connected, on (6, 5, 2, N) inputs."""
    layers = [Conv2d(2, 3, 3, pad=1), ReLU(), MaxPool2d(2), FullyConnected((3, 2, 3), 4)]
    return Sequential(layers, loss, in_shape=(6, 5, 2)).init(seed)


def test_shapes_of_the_chapter_network():
    net = digits_cnn(0)
    shapes = [s for _, s in net.shapes()]
    assert shapes == [(8, 8, 16), (8, 8, 16), (4, 4, 16), (4, 4, 32), (4, 4, 32),
                      (2, 2, 32), (1, 1, 10)]
    x = np.random.default_rng(0).random((8, 8, 1, 5))
    assert net.forward(x).shape == (1, 1, 10, 5)
    assert net.predict(x).shape == (5,)


def test_seeded_initialisation_is_deterministic():
    a, b, c = digits_cnn(3), digits_cnn(3), digits_cnn(4)
    for (na, va), (_, vb), (_, vc) in zip(a.parameters(), b.parameters(), c.parameters()):
        assert np.array_equal(va, vb)
        if na.endswith(".f"):
            assert not np.array_equal(va, vc)

@pytest.mark.parametrize("loss", [SoftmaxLogLoss(), SquaredLoss()])
def test_whole_network_gradient_matches_finite_differences(loss):
    """Eq. (10)-(11) chained over every layer == central differences of z (float64)."""
    rng = np.random.default_rng(2)
    net = small_net(loss)
    for layer in net.layers:
        if "b" in layer.params:
            layer.params["b"] = 0.1 * rng.standard_normal(layer.params["b"].shape)
    x = rng.standard_normal((6, 5, 2, 3))
    labels = np.array([0, 3, 1])
    net.loss_value(x, labels)
    dzdx = net.backward()
    grads = dict(net.gradients())
    assert np.allclose(dzdx, cl.numerical_gradient(lambda x_: net.loss_value(x_, labels), x),
                       atol=1e-7)
    for name, w in net.parameters():
        def z(w_, w=w):
            old = w.copy()
            w[...] = w_
            value = net.loss_value(x, labels)
            w[...] = old
            return value
        numeric = cl.numerical_gradient(z, w)
        assert grads[name].shape == w.shape
        assert np.allclose(grads[name], numeric, atol=1e-7), name


def test_sgd_is_eq8_without_options():
    net = small_net()
    x = np.random.default_rng(3).standard_normal((6, 5, 2, 4))
    labels = np.array([0, 1, 2, 3])
    before = {k: v.copy() for k, v in net.parameters()}
    z = train_step(net, SGD(net, lr=0.5), x, labels)
    assert isinstance(z, float)
    grads = dict(net.gradients())
    for name, w in net.parameters():
        assert np.allclose(w, before[name] - 0.5 * grads[name])  # w <- w - eta dz/dw


def test_sgd_momentum_and_weight_decay():
    w0 = np.array([[1.0, -2.0]])
    layer = ReLU()
    layer.params = {"w": w0.copy()}
    net = Sequential([layer])
    opt = SGD(net, lr=0.1, momentum=0.9, weight_decay=0.01)
    w, v = w0.copy(), np.zeros_like(w0)
    for g in (np.array([[0.5, 1.0]]), np.array([[-1.0, 2.0]])):
        layer.grads = {"w": g}
        opt.step()
        v = 0.9 * v - 0.1 * (g + 0.01 * w)
        w = w + v
        assert np.allclose(layer.params["w"], w)


def test_sgd_lowers_the_loss_on_a_batch():
    net = small_net()
    x = np.random.default_rng(4).standard_normal((6, 5, 2, 8))
    labels = np.arange(8) % 4
    opt = SGD(net, lr=0.1)
    zs = [train_step(net, opt, x, labels) for _ in range(20)]
    assert zs[-1] < zs[0]


def test_save_load_round_trip(tmp_path):
    net = digits_cnn(5)
    x = np.random.default_rng(5).random((8, 8, 1, 6))
    path = tmp_path / "w.npz"
    net.save(path)
    other = digits_cnn(6).load(path)
    assert np.array_equal(other.forward(x, keep=False), net.forward(x, keep=False))
    assert np.array_equal(other.predict(x), net.predict(x))


def test_load_truncated_and_corrupted_files(tmp_path):
    path = tmp_path / "w.npz"
    digits_cnn(0).save(path)
    raw = path.read_bytes()
    truncated = tmp_path / "t.npz"
    truncated.write_bytes(raw[:len(raw) // 2])
    with pytest.raises(ValueError, match="not a valid .npz"):
        digits_cnn(0).load(truncated)
    garbage = tmp_path / "g.npz"
    garbage.write_bytes(b"this is not a zip file" * 10)
    with pytest.raises(ValueError, match="not a valid .npz"):
        digits_cnn(0).load(garbage)


def test_load_other_architecture(tmp_path):
    path = tmp_path / "w.npz"
    small_net().save(path)
    with pytest.raises(ValueError, match="another architecture"):
        digits_cnn(0).load(path)


def test_load_wrong_shape_missing_and_nonfinite(tmp_path):
    net = digits_cnn(0)
    params = dict(net.parameters())
    arch = np.array(net.architecture())
    bad = dict(params, **{"0.f": np.zeros((3, 3, 1, 8))})
    np.savez(tmp_path / "shape.npz", __architecture__=arch, **bad)
    with pytest.raises(ValueError, match=r"0\.f has shape \(3, 3, 1, 8\).*\(3, 3, 1, 16\)"):
        net.load(tmp_path / "shape.npz")
    missing = {k: v for k, v in params.items() if k != "3.b"}
    np.savez(tmp_path / "missing.npz", __architecture__=arch, **missing)
    with pytest.raises(ValueError, match=r"missing \['3\.b'\]"):
        net.load(tmp_path / "missing.npz")
    nan = dict(params, **{"6.b": np.full(10, np.nan)})
    np.savez(tmp_path / "nan.npz", __architecture__=arch, **nan)
    with pytest.raises(ValueError, match=r"6\.b is not finite"):
        net.load(tmp_path / "nan.npz")
    np.savez(tmp_path / "noarch.npz", **params)
    with pytest.raises(ValueError, match="no '__architecture__'"):
        net.load(tmp_path / "noarch.npz")
    after = dict(net.parameters())
    assert all(np.array_equal(after[k], params[k]) for k in params)    # unchanged on error


def test_public_names_in_top_level_namespace():
    for name in ("digits_cnn", "Sequential", "SGD", "train_step", "Conv2d", "FullyConnected"):
        assert getattr(cl, name) is not None


def test_deep_chain_is_a_loop_not_recursion():
    """2000 layers forward and backward: no RecursionError (a loop over layers, Eq. 5)."""
    net = Sequential([ReLU() for _ in range(2000)] + [FullyConnected((2, 2, 1), 3)],
                     in_shape=(2, 2, 1)).init(0)
    x = np.random.default_rng(6).random((2, 2, 1, 4))
    net.loss_value(x, np.array([0, 1, 2, 0]))
    assert net.backward().shape == x.shape
