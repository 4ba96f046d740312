"""Loss layers (note section 3.1): squared loss Eq. (6), softmax log-loss (mean over the batch)."""
import numpy as np
import pytest

import cnnlib as cl
import oracles
import sweeps


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_squared_loss_matches_eq6(shape, rng):
    x, t = rng.standard_normal(shape), rng.standard_normal(shape)
    z = cl.squared_loss(x, t)
    assert isinstance(z, float)
    assert np.isclose(z, oracles.squared_loss(x, t), rtol=1e-13)


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_squared_loss_backward(shape, rng):
    # no 1/2 in Eq. (6): dz/dx = 2 (x - t)
    x, t = rng.standard_normal(shape), rng.standard_normal(shape)
    dzdx = cl.squared_loss_backward(x, t)
    assert dzdx.shape == shape
    assert np.allclose(dzdx, cl.numerical_gradient(lambda x_: cl.squared_loss(x_, t), x),
                       atol=1e-7)
    assert np.allclose(dzdx, 2 * (x - t), rtol=1e-14)


def test_squared_loss_of_the_note_numbers():
    assert cl.squared_loss([1, 2, 3], [1, 0, 0]) == 13.0
    assert np.array_equal(cl.squared_loss_backward([1, 2, 3], [1, 0, 0]), [0, 4, 6])


def _X(x):
    x = np.asarray(x)
    return x[0, 0] if x.ndim == 4 else x.reshape(x.shape[0], -1)


@pytest.mark.parametrize("shape, labels", [((4,), [2]), ((4,), 3), ((5, 3), [0, 4, 2]),
                                           ((1, 1, 3, 4), [2, 0, 1, 1]), ((3, 1), [1])])
def test_softmax_log_loss_matches_loops(shape, labels, rng):
    x = rng.standard_normal(shape) * 3
    lab = np.atleast_1d(labels)
    z = cl.softmax_log_loss(x, np.asarray(labels))
    assert isinstance(z, float)
    assert np.isclose(z, oracles.softmax_log_loss(_X(x), lab), rtol=1e-13)


@pytest.mark.parametrize("shape, labels", [((4,), [2]), ((5, 3), [0, 4, 2]),
                                           ((1, 1, 3, 4), [2, 0, 1, 1])])
def test_softmax_log_loss_backward(shape, labels, rng):
    x = rng.standard_normal(shape)
    labels = np.asarray(labels)
    dzdx = cl.softmax_log_loss_backward(x, labels)
    assert dzdx.shape == x.shape
    assert np.allclose(dzdx, cl.numerical_gradient(lambda x_: cl.softmax_log_loss(x_, labels), x),
                       atol=1e-8)
    # a random upstream gradient on the scalar loss just scales it
    c = rng.standard_normal()
    assert np.allclose(c * dzdx, cl.numerical_gradient(
        lambda x_: c * cl.softmax_log_loss(x_, labels), x), atol=1e-8)


def test_softmax_log_loss_is_stable_for_large_scores():
    x = np.array([[1000.0, -1000.0], [0.0, 0.0], [-1000.0, 1000.0]])
    z = cl.softmax_log_loss(x, np.array([0, 2]))
    assert np.isfinite(z) and 0 <= z < 1e-12
    dzdx = cl.softmax_log_loss_backward(x, np.array([1, 1]))
    assert np.all(np.isfinite(dzdx))
    assert np.isclose(cl.softmax_log_loss(x, np.array([1, 1])), 1000.0, rtol=1e-12)


def test_softmax(rng):
    x = rng.standard_normal((4, 3))
    p = cl.softmax(x)
    assert np.allclose(p.sum(axis=0), 1)
    assert np.allclose(p, np.exp(x) / np.exp(x).sum(axis=0), rtol=1e-13)
    assert np.allclose(cl.softmax(x, axis=1).sum(axis=1), 1)
    assert np.allclose(cl.softmax(x + 500), p, rtol=1e-12)
    # Eq. (7): the prediction is the same argmax for scores and probabilities
    assert np.array_equal(p.argmax(axis=0), x.argmax(axis=0))


def test_softmax_log_loss_is_a_mean_over_the_batch(rng):
    x = rng.standard_normal((5, 4))
    labels = np.array([1, 0, 4, 2])
    per = [cl.softmax_log_loss(x[:, n], labels[n:n + 1]) for n in range(4)]
    assert np.isclose(cl.softmax_log_loss(x, labels), np.mean(per), rtol=1e-13)


def test_loss_dtypes():
    x32 = np.ones((3, 2), np.float32)
    assert cl.softmax(x32).dtype == np.float32
    assert cl.squared_loss_backward(np.ones(3, np.int64), np.zeros(3, np.int64)).dtype.kind == "f"
    assert cl.softmax_log_loss_backward(np.arange(6).reshape(3, 2), np.array([0, 1])).dtype \
        == np.float64


def test_softmax_log_loss_of_a_single_image_net_output(rng):
    # a conv net's output for ONE image (H, W, D) layout is (1, 1, C): the same loss as (C,)
    s = rng.standard_normal(4)
    z = cl.softmax_log_loss(s, np.array([2]))
    assert np.isclose(cl.softmax_log_loss(s.reshape(1, 1, 4), np.array([2])), z, rtol=1e-14)
    dzdx = cl.softmax_log_loss_backward(s.reshape(1, 1, 4), np.array([2]))
    assert dzdx.shape == (1, 1, 4)
    assert np.allclose(dzdx.ravel(), cl.softmax_log_loss_backward(s, np.array([2])), rtol=1e-14)


def test_float32_losses_stay_float32():
    x = np.array([[0.5, -1.0], [2.0, 0.0], [1.0, 1.5]], dtype=np.float32)
    assert cl.softmax_log_loss_backward(x, np.array([0, 2])).dtype == np.float32
    assert cl.squared_loss_backward(x, np.zeros_like(x)).dtype == np.float32


@pytest.mark.parametrize("shape", [(4,), (4, 3), (1, 1, 4), (1, 1, 4, 3)])
def test_softmax_uses_the_class_axis_of_softmax_log_loss(shape, rng):
    # one convention: classes on axis 0 of (C,) / (C, N), on axis 2 of the network's (1, 1, C, N)
    x = rng.standard_normal(shape)
    X = x.reshape(4, -1)              # (C, N): the axes before the classes have length 1
    N = X.shape[1]
    expect = np.zeros_like(X)
    for n in range(N):                                               # the definition, by loops
        total = sum(np.exp(X[c, n]) for c in range(4))
        for c in range(4):
            expect[c, n] = np.exp(X[c, n]) / total
    p = cl.softmax(x)
    assert p.shape == x.shape
    assert np.allclose(p.reshape(4, -1), expect, rtol=1e-13)
    labels = np.arange(N) % 4
    # the loss reads the same classes: -log p[label] averaged, and (p - onehot) / N
    assert np.isclose(cl.softmax_log_loss(x, labels),
                      -np.mean(np.log(p.reshape(4, -1)[labels, np.arange(N)])), rtol=1e-13)
    onehot = np.zeros((4, N))
    onehot[labels, np.arange(N)] = 1
    assert np.allclose(cl.softmax_log_loss_backward(x, labels).reshape(4, -1),
                       (p.reshape(4, -1) - onehot) / N, rtol=1e-13, atol=1e-16)


def test_softmax_explicit_axis_of_the_network_scores(rng):
    scores = rng.standard_normal((1, 1, 5, 3))
    assert np.array_equal(cl.softmax(scores, axis=2), cl.softmax(scores))
    assert np.array_equal(cl.softmax(scores, axis=-2), cl.softmax(scores))
    assert np.allclose(cl.softmax(scores[0, 0], axis=0), cl.softmax(scores)[0, 0], rtol=1e-15)
    with pytest.raises(ValueError, match=r"axis 0 of x has length 1"):    # it gave all ones
        cl.softmax(scores, axis=0)


# ---------------------------------------------------------------- labels, huge and float32 scores
def test_labels_of_no_entries_are_not_x_of_no_samples():
    for loss in (cl.softmax_log_loss, cl.softmax_log_loss_backward):
        with pytest.raises(ValueError, match=r"labels has 0 entries, x holds 2 samples"):
            loss(np.ones((3, 2)), np.zeros(0, int))
        with pytest.raises(ValueError, match=r"x holds no samples \(x shape \(3, 0\)\)"):
            loss(np.ones((3, 0)), np.zeros(0, int))
        with pytest.raises(TypeError, match=r"labels must be integers in \[0, 3\), got dtype"):
            loss(np.ones((3, 2)), np.array([0.0, 1.0]))


def test_squared_loss_of_float32_sums_in_float64():
    x = np.array([1e30, 0.0], np.float32)                  # 1e60 is beyond float32, not float64
    assert cl.squared_loss(x, np.zeros(2, np.float32)) == pytest.approx(1e60, rel=1e-6)


def test_losses_beyond_float64_are_inf_without_a_warning():
    assert cl.squared_loss(np.array([1e200, 0.0]), np.zeros(2)) == np.inf
    assert cl.softmax_log_loss(np.array([1e308, -1e308]), np.array([1])) == np.inf


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_of_scores_further_apart_than_the_dtype_holds(dtype):
    big = np.finfo(dtype).max
    x = np.array([[big, 0.0], [-big, 1.0]], dtype)             # column 0: big - (-big) = inf
    p = cl.softmax(x)
    assert np.array_equal(p[:, 0], [1, 0]) and p.dtype == dtype
    assert np.array_equal(cl.softmax_log_loss_backward(x, np.array([0, 0]))[:, 0], [0, 0])
    assert cl.softmax_log_loss(x[:, :1], np.array([1])) == pytest.approx(2 * float(big), rel=1e-6)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
GOOD_CALLS = {
    "squared_loss": (np.ones(3), np.ones(3)), "squared_loss_backward": (np.ones(3), np.ones(3)),
    "softmax": (np.ones(3),),
    "softmax_log_loss": (np.ones((3, 2)), np.array([0, 1])),
    "softmax_log_loss_backward": (np.ones((3, 2)), np.array([0, 1])),
}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)


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
