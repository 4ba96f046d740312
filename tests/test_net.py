"""cnnlib.net: the whole network's gradient, SGD (Eq. 8-9), save/load."""
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

import cnnlib as cl
from cnnlib.layers import Conv2d, FullyConnected, MaxPool2d, ReLU
from cnnlib.loss_layers import SoftmaxLogLoss, SquaredLoss
from cnnlib.net import SGD, Sequential, digits_cnn, train_step
import sweeps


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


# ---------------------------------------------------------------- one file name for save/load
@pytest.mark.parametrize("kind", [str, Path])
@pytest.mark.parametrize("name", ["w", "w.npz", "w.v2"])
def test_save_and_load_mean_the_same_file(tmp_path, kind, name):
    """".npz" is added when the name lacks it, by save (as np.savez) and by load alike."""
    net, x = digits_cnn(5), np.random.default_rng(5).random((8, 8, 1, 3))
    net.save(kind(tmp_path / name))
    written = name if name.endswith(".npz") else name + ".npz"
    assert sorted(p.name for p in tmp_path.iterdir()) == [written]
    other = digits_cnn(6).load(kind(tmp_path / name))
    assert np.array_equal(other.forward(x, keep=False), net.forward(x, keep=False))
    assert digits_cnn(6).load(kind(tmp_path / written)).architecture() == net.architecture()


@pytest.mark.parametrize("kind", [str, Path])
def test_save_and_load_refuse_a_directory(tmp_path, kind):
    net, folder = digits_cnn(0), tmp_path / "runs"
    folder.mkdir()
    (tmp_path / "dir.npz").mkdir()
    for target in (folder, tmp_path / "dir", tmp_path / "dir.npz"):
        for call in (net.save, net.load):
            with pytest.raises(ValueError, match=rf"path '{re.escape(str(target))}[^']*' is a "
                                                 r"directory: give a file name"):
                call(kind(target))
    with pytest.raises(ValueError, match=r"is a directory"):
        net.save(str(folder) + "/")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.npz", "runs"]   # nothing written


def test_load_of_a_missing_file_names_the_file_it_looked_for(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"add '\.npz'.*w\.npz"):
        digits_cnn(0).load(tmp_path / "w")


# ---------------------------------------------------------------- load checks, then reads
def _npy(value=None, header=None):
    """The bytes of a .npy member: an array (pickled if it holds objects), or a bare header."""
    buf = io.BytesIO()
    if header is not None:
        np.lib.format.write_array_header_1_0(buf, header)
    else:
        np.lib.format.write_array(buf, np.asarray(value), allow_pickle=True)
    return buf.getvalue()


def _crafted(path, net, **changes):
    """net's own file, with members replaced (bytes), added, or removed (None)."""
    members = {f"{k}.npy": _npy(v) for k, v in net.parameters()}
    members["__architecture__.npy"] = _npy(np.array(net.architecture()))
    members.update(changes)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            if data is not None:
                zf.writestr(name, data)
    return path


REFUSED = {
    "a plain .npy file": (None, r"not a valid \.npz file but a single \.npy array"),
    "a raw member": ({"0.f.npy": b"raw bytes, no .npy header"}, r"not a valid \.npz file"),
    "a member that is no .npy": ({"notes.txt": b"hello"}, r"members must be \.npy arrays"),
    "a header of 10**12 floats": ({"0.f.npy": _npy(header={"descr": "<f8", "fortran_order": False,
                                                           "shape": (10**12,)})},
                                  r"parameter 0\.f has shape \(1000000000000,\), the network "
                                  r"needs \(3, 3, 1, 16\)"),
    "pickled objects": ({"0.f.npy": _npy(np.full((3, 3, 1, 16), None))},
                        r"parameter 0\.f has dtype object, the network needs floats"),
    "ints": ({"0.b.npy": _npy(np.zeros(16, np.int64))},
             r"parameter 0\.b has dtype int64, the network needs floats"),
    "complex numbers": ({"0.b.npy": _npy(np.zeros(16, complex))},
                        r"parameter 0\.b has dtype complex128"),
    "an architecture of 10**8 characters": (
        {"__architecture__.npy": _npy(header={"descr": "<U100000000", "fortran_order": False,
                                              "shape": ()})},
        r"'__architecture__' is not a line of text \(shape \(\), dtype <U100000000\)"),
    "a pickled architecture": ({"__architecture__.npy": _npy(np.array([{"a": 1}]))},
                               r"'__architecture__' is not a line of text"),
    "truncated data": ({"0.b.npy": _npy(np.zeros(16))[:-8]}, r"not a valid \.npz file, "
                                                               r"corrupted or truncated"),
    "no architecture": ({"__architecture__.npy": None}, r"no '__architecture__' entry"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_load_refuses_a_crafted_file_and_changes_nothing(tmp_path, case):
    changes, message = REFUSED[case]
    net = digits_cnn(0)
    path = tmp_path / "w.npz"
    if changes is None:
        path.write_bytes(_npy(np.zeros(3)))
    else:
        _crafted(path, digits_cnn(1), **changes)
    before = {k: v.copy() for k, v in net.parameters()}
    with pytest.raises(ValueError, match=message):
        net.load(path)
    assert all(np.array_equal(v, before[k]) for k, v in net.parameters())


def refused_peak_mib(peak_mib, call, message):
    """The peak memory in MiB (by the peak_mib fixture) of call(), which must raise a
    ValueError matching ``message``."""
    def refused():
        with pytest.raises(ValueError, match=message):
            call()
    return peak_mib(refused)[1]


def test_load_checks_the_names_before_it_reads_a_member(tmp_path, peak_mib):
    """An extra compressed member of 64 MB of zeros (64 kB on disk) is refused unread."""
    net, path = digits_cnn(0), tmp_path / "w.npz"
    net.save(path)
    n = 8 * 2**20                                                   # float64: 64 MB
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("bomb.npy", "w", force_zip64=True) as fh:
            fh.write(_npy(header={"descr": "<f8", "fortran_order": False, "shape": (n,)}))
            zeros = bytes(2**22)
            for _ in range(8 * n // len(zeros)):
                fh.write(zeros)
    assert path.stat().st_size < 8 * n / 100
    peak = refused_peak_mib(peak_mib, lambda: net.load(path), r"unexpected \['bomb'\]")
    assert peak < 8 * n / 16 / 2**20, f"load allocated {peak:.1f} MiB"


def test_load_reads_no_header_longer_than_numpy_allows(tmp_path, peak_mib):
    """A .npy 2.0 header may declare 4 GB; numpy reads it before it checks its 10 kB limit."""
    net, path = digits_cnn(0), tmp_path / "w.npz"
    n = 64 * 2**20
    _crafted(path, net, **{"0.f.npy": None})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("0.f.npy", "w", force_zip64=True) as fh:
            fh.write(np.lib.format.magic(2, 0) + n.to_bytes(4, "little"))
            spaces = b" " * 2**22
            for _ in range(n // len(spaces)):
                fh.write(spaces)
    peak = refused_peak_mib(peak_mib, lambda: net.load(path),
                            r"'0\.f' declares a \.npy header of 67108864 bytes")
    assert peak < n / 16 / 2**20, f"load allocated {peak:.1f} MiB"


def test_a_net_loads_what_the_same_net_saved_in_another_spelling(tmp_path):
    """pad=1 and pad=(1, 1), MaxPool2d(2) and MaxPool2d((2, 2), stride=2): one architecture."""
    def build(pad, size, stride):
        return Sequential([Conv2d(1, 2, 3, pad=pad), ReLU(), MaxPool2d(size, stride),
                           FullyConnected((2, 2, 2), 3)], in_shape=(4, 4, 1)).init(0)

    build(1, 2, None).save(tmp_path / "a")
    build((1, 1), (2, 2), 2).load(tmp_path / "a")
    build(np.int64(1), np.array([2, 2]), np.int64(2)).load(tmp_path / "a")
    net = Sequential([Conv2d(1, 2, 3, stride=np.array([1, 2]))], in_shape=(4, 5, 1))
    assert "stride=(1, 2)" in net.architecture()
    net.save(tmp_path / "b")
    Sequential([Conv2d(1, 2, 3, stride=(1, 2))], in_shape=(4, 5, 1)).load(tmp_path / "b")


# ---------------------------------------------------------------- x, labels and the scores
def test_x_must_match_in_shape():
    net = digits_cnn(0)
    opt = SGD(net, lr=0.05)
    for shape in ((7, 8, 1, 2), (8, 8, 2, 2), (8, 8, 3, 1)):
        with pytest.raises(ValueError, match=rf"x has shape {re.escape(str(shape))}, the "
                                             r"network's in_shape is \(8, 8, 1\)"):
            train_step(net, opt, np.ones(shape), np.zeros(shape[3], int))
    with pytest.raises(ValueError, match=r"in_shape is \(8, 8, 1\)"):
        net.predict(np.ones((6, 6, 1, 2)))
    assert net.predict(np.ones((8, 8, 1))).shape == (1,)                 # one image


def test_a_diverged_network_is_named_not_the_callers_x():
    net = Sequential([FullyConnected((2, 2, 1), 3)], SquaredLoss(), in_shape=(2, 2, 1)).init(0)
    opt = SGD(net, lr=10.0)                              # far too large: the scores explode
    x, labels = np.ones((2, 2, 1, 2)), np.array([0, 1])
    with pytest.raises(ValueError, match=r"the network diverged: its loss z is inf, its scores "
                                         r"x\^L up to .* for a finite x .*smaller learning rate"):
        for _ in range(1000):
            train_step(net, opt, x, labels)
    net.layers[0].params["f"][0, 0, 0, 2] = np.inf                      # scores inf and nan
    with pytest.raises(ValueError, match=r"diverged: its scores x\^L .* hold 2 non-finite "
                                         r"values of 6 .*non-finite parameters: \['0\.f'\]"):
        train_step(net, opt, x, labels)
    with pytest.raises(ValueError, match=r"x holds non-finite values"):
        digits_cnn(0).loss_value(np.full((8, 8, 1, 2), np.nan), [0, 1])   # the caller's x


def test_a_loss_or_a_class_in_layers_is_refused():
    with pytest.raises(TypeError, match=r"layers\[1\] is the loss layer SoftmaxLogLoss\(\): "
                                        r"a loss ends the chain, pass it as .*loss="):
        Sequential([ReLU(), SoftmaxLogLoss()])
    with pytest.raises(TypeError, match=r"layers\[0\] is the class ReLU, not a layer object"):
        Sequential([ReLU, ReLU()])


def test_no_images():
    net = digits_cnn(0)
    with pytest.raises(ValueError, match=r"x holds no images \(shape \(8, 8, 1, 0\)\)"):
        train_step(net, SGD(net), np.ones((8, 8, 1, 0)), np.zeros(0, int))
    assert net.probabilities(np.ones((8, 8, 1, 0))).shape == (10, 0)
    assert net.predict(np.ones((8, 8, 1, 0))).shape == (0,)


def test_gradients_before_backward_name_what_is_missing():
    net = small_net()
    for call in (SGD(net).step, net.gradients):
        with pytest.raises(ValueError, match=r"no gradients for \['0\.f', '0\.b', '3\.f', "
                                             r"'3\.b'\]: they need .*net\.backward\(\) first"):
            call()


def test_numpy_numbers_as_options():
    net = small_net()
    opt = SGD(net, lr=np.float32(0.5), momentum=np.array(0.5), weight_decay=np.float64(0))
    assert (type(opt.lr), type(opt.momentum), type(opt.weight_decay)) == (float, float, float)
    x = np.random.default_rng(3).standard_normal((6, 5, 2, 4)).astype(np.float32)
    assert isinstance(train_step(net, opt, x, np.arange(4, dtype=np.uint8)), float)
    assert net.predict(x, batch_size=np.int64(3)).shape == (4,)


# ---------------------------------------------------------------- bad arguments
def tiny_net():
    """conv -> ReLU -> fully connected, on (4, 4, 1, N) inputs."""
    return Sequential([Conv2d(1, 2, 3), ReLU(), FullyConnected((2, 2, 2), 3)],
                      in_shape=(4, 4, 1)).init(0)


WRONG_ARGUMENTS = [
    (lambda: Sequential(None), TypeError, "layers"),
    (lambda: Sequential([None]), TypeError, "layers"),
    (lambda: Sequential([ReLU()], loss="l2"), TypeError, "loss"),
    (lambda: Sequential([ReLU()], in_shape=(4, 4)), ValueError, "in_shape"),
    (lambda: Sequential([ReLU()], in_shape=(4, -4, 1)), ValueError, "in_shape"),
    (lambda: tiny_net().init(None), TypeError, "seed"),
    (lambda: tiny_net().init(-1), ValueError, "seed"),
    (lambda: tiny_net().forward(None), TypeError, "x"),
    (lambda: tiny_net().forward("abc"), TypeError, "x"),
    (lambda: tiny_net().forward(np.ones((4, 4))), ValueError, "x"),
    (lambda: tiny_net().loss_value(np.ones((4, 4, 1, 2)), None), TypeError, "labels"),
    (lambda: tiny_net().loss_value(np.full((4, 4, 1, 2), np.nan), [0, 1]), ValueError, "x"),
    (lambda: tiny_net().predict(np.ones((4, 4, 1, 2)), batch_size=0), ValueError, "batch_size"),
    (lambda: tiny_net().probabilities(np.ones((4, 4, 1, 2)), batch_size=None), TypeError,
     "batch_size"),
    (lambda: tiny_net().save(None), TypeError, "path"),
    (lambda: tiny_net().load(3), TypeError, "path"),
    (lambda: SGD(None), TypeError, "net"), (lambda: SGD(tiny_net(), lr=0), ValueError, "lr"),
    (lambda: SGD(tiny_net(), lr=-0.1), ValueError, "lr"),
    (lambda: SGD(tiny_net(), lr=np.nan), ValueError, "lr"),
    (lambda: SGD(tiny_net(), lr=None), TypeError, "lr"),
    (lambda: SGD(tiny_net(), lr="0.1"), TypeError, "lr"),
    (lambda: SGD(tiny_net(), momentum=1.0), ValueError, "momentum"),
    (lambda: SGD(tiny_net(), momentum=-0.5), ValueError, "momentum"),
    (lambda: SGD(tiny_net(), weight_decay=np.inf), ValueError, "weight_decay"),
    (lambda: SGD(tiny_net(), weight_decay=-1e-3), ValueError, "weight_decay"),
    (lambda: train_step(None, None, np.ones((4, 4, 1, 2)), [0, 1]), TypeError, "net"),
    (lambda: train_step(tiny_net(), None, np.ones((4, 4, 1, 2)), [0, 1]), TypeError, "opt"),
    (lambda: train_step(tiny_net(), SGD(tiny_net()), np.ones((4, 4, 1, 2)), [0, 1]), TypeError,
     "opt"),
    (lambda: digits_cnn(None), TypeError, "seed"), (lambda: digits_cnn(1.5), TypeError, "seed"),
]

test_a_wrong_argument_is_named = sweeps.wrong_argument_test(WRONG_ARGUMENTS)
