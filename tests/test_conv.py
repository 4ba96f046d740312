"""The convolution layer (note section 4): forward Eq. (12)/(20), backward Eq. (33), (44)."""
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnnlib as cl
import oracles
import sweeps

conv = importlib.import_module("cnnlib.conv")         # cl.conv2d is a function of conv
im2col = importlib.import_module("cnnlib.im2col")     # cl.im2col is the function of that name
_convfast = importlib.import_module("cnnlib._convfast")
_window = importlib.import_module("cnnlib._window")

# (x shape, f shape, stride, pad): non-square, D_in != D_out, 2-D / 3-D / batched
CASES = [
    ((5, 7), (2, 3), 1, 0),
    ((5, 7), (3, 2), (2, 1), (1, 2)),
    ((5, 7, 3), (2, 3, 3, 4), 1, 0),
    ((6, 5, 2), (3, 2, 2, 3), (2, 2), (1, 0)),
    ((4, 6, 2, 3), (2, 3, 2, 2), (1, 2), 1),
    ((5, 4, 3, 2), (3, 3, 3, 1), 2, (2, 1)),
    ((4, 5, 2), (2, 2, 2), (1, 3), (0, 1)),           # one filter given as (kh, kw, D_in)
    ((3, 3, 1, 2), (3, 3, 1, 2), 1, 0),                # kernel as large as the image
    ((2, 2, 5, 3), (2, 2, 5, 2), 1, 0),                # batch innermost, D_in > N
    ((3, 4, 5, 2), (3, 3, 5, 2), 2, 1),                # the same with stride and padding
]


def _expected_y_shape(x_shape, f_shape, y4_shape):
    """The layout convention: 3-D x -> 3-D y, 4-D -> 4-D, 2-D x with one filter -> 2-D y."""
    h_out, w_out, d_out, n = y4_shape
    if len(x_shape) == 4:
        return y4_shape
    if len(x_shape) == 2 and d_out == 1:
        return (h_out, w_out)
    return (h_out, w_out, d_out)


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", CASES)
def test_conv2d_matches_eq12_loops(x_shape, f_shape, stride, pad, rng):
    x, f = rng.standard_normal(x_shape), rng.standard_normal(f_shape)
    b = rng.standard_normal(oracles.as4(f).shape[3])
    expect = oracles.conv(oracles.as4(x), oracles.as4(f), b, *oracles.pairs(stride, pad))
    y = cl.conv2d(x, f, b, stride=stride, pad=pad)
    assert y.shape == _expected_y_shape(x_shape, f_shape, expect.shape)
    assert y.dtype == np.float64
    assert np.allclose(y.reshape(expect.shape), expect, rtol=1e-12, atol=1e-12)
    y0 = cl.conv2d(x, f, stride=stride, pad=pad)               # no bias
    assert np.allclose(y - y0, np.broadcast_to(
        b.reshape((1, 1, -1) + (1,) * (len(expect.shape) - 3)), expect.shape).reshape(y.shape))


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", CASES)
def test_conv2d_float32_in_float32_out(x_shape, f_shape, stride, pad, rng):
    x = rng.standard_normal(x_shape).astype(np.float32)
    f = rng.standard_normal(f_shape).astype(np.float32)
    b = rng.standard_normal(oracles.as4(f).shape[3]).astype(np.float32)
    y = cl.conv2d(x, f, b, stride=stride, pad=pad)
    assert y.dtype == np.float32
    expect = oracles.conv(oracles.as4(x), oracles.as4(f), b, *oracles.pairs(stride, pad))
    assert np.allclose(y.reshape(expect.shape), expect, rtol=1e-5, atol=1e-5)
    G = rng.standard_normal(y.shape).astype(np.float32)
    grads32 = cl.conv2d_backward(x, f, G, stride, pad)
    assert tuple(g.dtype for g in grads32) == (np.float32,) * 3
    # the values: float64 on the same (float32-representable) numbers, at float32 tolerance
    grads64 = cl.conv2d_backward(x.astype(np.float64), f.astype(np.float64),
                                 G.astype(np.float64), stride, pad)
    for g32, g64 in zip(grads32, grads64):
        assert g32.shape == g64.shape
        assert np.allclose(g32, g64, rtol=1e-5, atol=1e-5 * np.abs(g64).max())


def test_conv2d_integer_input_computes_in_float64():
    x = np.arange(20).reshape(4, 5)
    f = np.array([[1, -1], [2, 0]])
    y = cl.conv2d(x, f)
    assert y.dtype == np.float64
    assert np.array_equal(y, oracles.conv(oracles.as4(x), oracles.as4(f))[:, :, 0, 0])
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, np.ones((3, 4), dtype=np.int64))
    assert (dzdx.dtype, dzdf.dtype, dzdb.dtype) == (np.float64,) * 3


def test_conv2d_is_cross_correlation_not_convolution():
    # erratum E8: no kernel flip
    x = np.arange(12.0).reshape(3, 4)
    f = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = cl.conv2d(x, f)
    assert y[0, 0] == 1 * 0 + 2 * 1 + 3 * 4 + 4 * 5


def test_2d_x_with_one_filter_gives_2d_y(rng):
    x = rng.standard_normal((5, 6))
    assert cl.conv2d(x, rng.standard_normal((2, 3))).shape == (4, 4)
    assert cl.conv2d(x, rng.standard_normal((2, 3, 1, 1))).shape == (4, 4)
    assert cl.conv2d(x, rng.standard_normal((2, 3, 1, 4))).shape == (4, 4, 4)
    assert cl.conv2d(x[:, :, None], rng.standard_normal((2, 3))).shape == (4, 4, 1)


def test_batched_result_is_per_image_results_stacked(rng):
    x = rng.standard_normal((5, 6, 2, 3))
    f = rng.standard_normal((3, 2, 2, 4))
    b = rng.standard_normal(4)
    y = cl.conv2d(x, f, b, stride=(2, 1), pad=1)
    assert y.shape == (3, 7, 4, 3)
    stacked = np.stack([cl.conv2d(x[..., n], f, b, stride=(2, 1), pad=1) for n in range(3)],
                       axis=-1)
    assert np.allclose(y, stacked, rtol=1e-12, atol=1e-14)
    G = rng.standard_normal(y.shape)
    grads = cl.conv2d_backward(x, f, G, stride=(2, 1), pad=1)
    per = [cl.conv2d_backward(x[..., n], f, G[..., n], stride=(2, 1), pad=1) for n in range(3)]
    assert np.allclose(grads[0], np.stack([grad[0] for grad in per], axis=-1), atol=1e-12)
    assert np.allclose(grads[1], sum(grad[1] for grad in per), atol=1e-12)
    assert np.allclose(grads[2], sum(grad[2] for grad in per), atol=1e-12)


def test_conv2d_equals_phi_times_F(rng):
    # Eq. (20): vec(y) = vec(phi(x) F), F = f reshaped column-major
    x = rng.standard_normal((5, 7, 3))
    f = rng.standard_normal((2, 3, 3, 4))
    phi = cl.im2col(x, (2, 3))
    F = f.reshape(18, 4, order="F")
    assert np.allclose(cl.vec(cl.conv2d(x, f)), cl.vec(phi @ F), rtol=1e-12)


def test_bias_is_added_to_every_position_of_its_channel(rng):
    # erratum E7: y[i', j', d] += b[d]
    x = np.zeros((4, 5, 2))
    b = np.array([1.5, -2.0, 3.0])
    y = cl.conv2d(x, np.ones((2, 2, 2, 3)), b, pad=1)
    assert np.array_equal(y, np.broadcast_to(b, (5, 6, 3)))


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", CASES)
def test_conv2d_backward_matches_loop_oracle(x_shape, f_shape, stride, pad, rng):
    x, f = rng.standard_normal(x_shape), rng.standard_normal(f_shape)
    y = cl.conv2d(x, f, stride=stride, pad=pad)
    G = rng.standard_normal(y.shape)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, G, stride=stride, pad=pad)
    y4 = oracles.conv(oracles.as4(x), oracles.as4(f), None, *oracles.pairs(stride, pad))
    ex, ef, eb = oracles.conv_backward(oracles.as4(x), oracles.as4(f), G.reshape(y4.shape),
                                       *oracles.pairs(stride, pad))
    assert dzdx.shape == x.shape and dzdf.shape == f.shape and dzdb.shape == (ef.shape[3],)
    assert np.allclose(dzdx, ex.reshape(x.shape), rtol=1e-12, atol=1e-12)
    assert np.allclose(dzdf, ef.reshape(f.shape), rtol=1e-12, atol=1e-12)
    assert np.allclose(dzdb, eb, rtol=1e-12, atol=1e-12)


# finite differences: small shapes only
GRAD_CASES = [
    ((4, 5), (2, 3), 1, 0),
    ((4, 5, 2), (3, 2, 2, 3), (2, 1), (1, 2)),
    ((3, 4, 2, 2), (2, 2, 2, 2), 2, 1),
    ((5, 3, 1), (2, 2, 1), (1, 2), (0, 1)),
]


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", GRAD_CASES)
def test_conv2d_backward_matches_finite_differences(x_shape, f_shape, stride, pad, rng):
    x, f = rng.standard_normal(x_shape), rng.standard_normal(f_shape)
    b = rng.standard_normal(oracles.as4(f).shape[3])
    G = rng.standard_normal(cl.conv2d(x, f, b, stride=stride, pad=pad).shape)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, G, stride=stride, pad=pad)
    z_x = lambda x_: np.sum(cl.conv2d(x_, f, b, stride=stride, pad=pad) * G)
    z_f = lambda f_: np.sum(cl.conv2d(x, f_, b, stride=stride, pad=pad) * G)
    z_b = lambda b_: np.sum(cl.conv2d(x, f, b_, stride=stride, pad=pad) * G)
    assert np.allclose(dzdx, cl.numerical_gradient(z_x, x), atol=1e-7)
    assert np.allclose(dzdf, cl.numerical_gradient(z_f, f), atol=1e-7)
    assert np.allclose(dzdb, cl.numerical_gradient(z_b, b), atol=1e-7)


def test_conv2d_backward_eq33_and_eq44_matrix_forms(rng):
    # dz/dF = phi^T dz/dY (Eq. 33); dz/dvec(x) = H^T vec(dz/dY F^T) (Eq. 44)
    x = rng.standard_normal((5, 7, 3))
    f = rng.standard_normal((2, 3, 3, 4))
    G = rng.standard_normal((4, 5, 4))
    dzdx, dzdf, _ = cl.conv2d_backward(x, f, G)
    phi = cl.im2col(x, (2, 3))
    dzdY = G.reshape(20, 4, order="F")
    F = f.reshape(18, 4, order="F")
    assert np.allclose(dzdf.reshape(18, 4, order="F"), phi.T @ dzdY, rtol=1e-12)
    H = oracles.conv_indicator(oracles.as4(x).shape, (2, 3))
    assert np.allclose(cl.vec(dzdx), H.T @ cl.vec(dzdY @ F.T), rtol=1e-12)


def test_conv2d_backward_is_a_full_true_convolution(rng):
    # seed 002: dz/dx = sum over d of the FULL true convolution of dz/dy with the filter
    from scipy.signal import convolve2d
    x = rng.standard_normal((5, 6, 2))
    f = rng.standard_normal((2, 3, 2, 3))
    G = rng.standard_normal((4, 4, 3))
    dzdx, _, _ = cl.conv2d_backward(x, f, G)
    for dl in range(2):
        full = sum(convolve2d(G[:, :, d], f[:, :, dl, d], "full") for d in range(3))
        assert np.allclose(dzdx[:, :, dl], full, rtol=1e-12, atol=1e-12)


def test_conv2d_backward_keeps_f_layouts(rng):
    # dzdf has the shape f was given in: (kh, kw), (kh, kw, D_in) or 4-D
    x = rng.standard_normal((4, 5))
    for f_shape in [(2, 3), (2, 3, 1), (2, 3, 1, 1)]:
        f = rng.standard_normal(f_shape)
        G = rng.standard_normal(cl.conv2d(x, f).shape)
        _, dzdf, dzdb = cl.conv2d_backward(x, f, G)
        assert dzdf.shape == f_shape and dzdb.shape == (1,)
        assert np.allclose(dzdf.reshape(2, 3), oracles.conv_backward(
            oracles.as4(x), oracles.as4(f), oracles.as4(G))[1][:, :, 0, 0], rtol=1e-12)


def test_conv2d_does_not_modify_its_inputs(rng):
    x, f, b = rng.standard_normal((4, 5, 2)), rng.standard_normal((2, 2, 2, 3)), np.ones(3)
    keep = x.copy(), f.copy(), b.copy()
    y = cl.conv2d(x, f, b, pad=1)
    cl.conv2d_backward(x, f, np.ones_like(y), pad=1)
    for a, k in zip((x, f, b), keep):
        assert np.array_equal(a, k)


def test_a_batch_of_one_keeps_its_batch_axis(rng):
    x = rng.standard_normal((4, 5, 2, 1))
    f = rng.standard_normal((2, 2, 2, 3))
    y = cl.conv2d(x, f)
    assert y.shape == (3, 4, 3, 1)
    assert np.allclose(y[..., 0], cl.conv2d(x[..., 0], f), rtol=1e-14)
    assert cl.conv2d(x[..., 0][:, :, :1], f[:, :, :1, :1]).shape == (3, 4, 1)   # 3-D stays 3-D


def test_an_empty_batch_gives_an_empty_result():
    # N = 0 images: every layer returns an empty batch of the right shape, conv2d included
    x, f = np.ones((4, 5, 2, 0)), np.ones((2, 2, 2, 3))
    assert cl.im2col(x, 2).shape == (0, 8)
    assert cl.maxpool2d(x, 2).shape == (2, 2, 2, 0)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, np.ones((3, 4, 3, 0)))
    assert dzdx.shape == x.shape and not dzdf.any() and not dzdb.any()
    assert cl.conv2d(x, f).shape == (3, 4, 3, 0)


def test_conv2d_of_non_contiguous_and_list_inputs(rng):
    big = rng.standard_normal((9, 12, 4, 2))
    x = big[::2, ::-2, 1:3, :]                        # strided, reversed, sliced
    f = np.asfortranarray(rng.standard_normal((3, 2, 2, 2)))[:, ::-1]
    expect = oracles.conv(oracles.as4(x), f, None, (2, 1), (1, 1))
    assert np.allclose(cl.conv2d(x, f, stride=(2, 1), pad=1), expect, rtol=1e-12, atol=1e-12)
    assert np.array_equal(cl.conv2d([[1, 2, 3], [4, 5, 6]], [[1, 1]]), [[3, 5], [9, 11]])


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("n, stride, pad", [(1, 1, 0), (7, 1, 1), (7, 2, 1), (12, (2, 1), (0, 2))])
def test_every_memory_layout_gives_the_oracle(layout, n, stride, pad, rng):
    # conv2d copies phi with the batch axis fastest or the row axis fastest, whichever
    # suits x's memory layout and shape; the numbers must not depend on that choice
    x = rng.standard_normal((6, 5, 3, n))
    x = {"C": x, "F": np.asfortranarray(x),
         "strided": np.swapaxes(np.swapaxes(x, 0, 3).copy(), 0, 3)}[layout]
    f, b = rng.standard_normal((3, 2, 3, 4)), rng.standard_normal(4)
    st, pd = oracles.pairs(stride, pad)
    y = cl.conv2d(x, f, b, stride=stride, pad=pad)
    assert np.allclose(y, oracles.conv(x, f, b, st, pd))
    dzdy = rng.standard_normal(y.shape)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, dzdy, stride=stride, pad=pad)
    want_x, want_f, want_b = oracles.conv_backward(x, f, dzdy, st, pd)
    assert np.allclose(dzdx, want_x) and np.allclose(dzdf, want_f) and np.allclose(dzdb, want_b)


@pytest.mark.parametrize("layout", ["C", "F"])
@pytest.mark.parametrize("stride, pad", [((4, 5), (3, 4)), ((7, 3), (9, 6)), (6, (0, 5))])
def test_strides_that_leave_gaps_and_pads_larger_than_the_kernel(layout, stride, pad, rng):
    # stride > kernel: conv2d stores only the windows' cells, not the gaps nor the padding
    x = rng.standard_normal((6, 5, 2, 8))
    x = np.asfortranarray(x) if layout == "F" else x
    f, b = rng.standard_normal((3, 2, 2, 3)), rng.standard_normal(3)
    st, pd = oracles.pairs(stride, pad)
    y = cl.conv2d(x, f, b, stride=stride, pad=pad)
    assert np.allclose(y, oracles.conv(x, f, b, st, pd), rtol=1e-12, atol=1e-12)
    dzdy = rng.standard_normal(y.shape)
    got = cl.conv2d_backward(x, f, dzdy, stride=stride, pad=pad)
    for a, want in zip(got, oracles.conv_backward(x, f, dzdy, st, pd)):
        assert np.allclose(a, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n", [1, 8])                 # the plain path and the batch-inner path
def test_a_huge_stride_and_pad_cost_no_memory(n, peak_mib, rng):
    # stride = pad = 10**5 over a 1 x 1 x: windows at 0, 10**5, 2 10**5 of a padded axis
    # of 2 10**5 + 1; the middle one holds x.  The padded x (298 GiB) was allocated.
    x, f = rng.standard_normal((1, 1, 1, n)), np.full((1, 1, 1, 2), 3.0)
    y, peak = peak_mib(lambda: cl.conv2d(x, f, stride=10 ** 5, pad=10 ** 5))
    assert y.shape == (3, 3, 2, n) and peak < 1
    want = np.zeros(y.shape)
    want[1, 1] = 3 * x[0, 0]
    assert np.array_equal(y, want)
    dzdy = rng.standard_normal(y.shape)
    (dzdx, dzdf, dzdb), peak = peak_mib(lambda: cl.conv2d_backward(x, f, dzdy, stride=10 ** 5,
                                                                   pad=10 ** 5))
    assert peak < 1 and np.allclose(dzdx[0, 0], 3 * dzdy[1, 1].sum(axis=0))
    assert np.allclose(dzdf.ravel(), (x[0, 0] * dzdy[1, 1]).sum(axis=-1))
    assert np.allclose(dzdb, dzdy.sum(axis=(0, 1, 3)))
    # a stride beyond C long: one window (was OverflowError, naming nothing)
    for stride in (2 ** 60, 2 ** 70):
        assert np.array_equal(cl.conv2d(x, f, stride=stride), 3 * x.repeat(2, axis=2))
        assert cl.conv2d_backward(x, f, np.ones((1, 1, 2, n)), stride=stride)[0].shape == x.shape


def test_a_pad_that_no_array_can_hold_is_named():
    # (2**63 + 1)^2 windows: OverflowError or "array is too big" before
    with pytest.raises(ValueError, match=r"pad \(4611686018427387904, 4611686018427387904\) "
                                         r"with stride \(1, 1\) gives .* windows, more than an "
                                         r"array can hold"):
        cl.conv2d(np.ones((1, 1)), np.ones((1, 1)), pad=2 ** 62)
    # conv2d_backward compared dz/dy's shape with y's by allocating y: no array needed now
    with pytest.raises(ValueError, match=r"dzdy has shape \(3, 3\), but y = conv2d\(x, f\) has "
                                         r"shape \(2000001, 2000001\)"):
        cl.conv2d_backward(np.ones((1, 1)), np.ones((1, 1)), np.ones((3, 3)), pad=10 ** 6)


# ---------------------------------------------------------------- one parse of the window
@pytest.fixture
def count_parses(monkeypatch):
    """The windows that im2col and conv parse with window_geometry, one entry per parse."""
    calls = []
    parse = _window.window_geometry

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return parse(*args, **kwargs)

    monkeypatch.setattr(im2col, "window_geometry", counted)
    monkeypatch.setattr(conv, "window_geometry", counted)
    return calls


@pytest.mark.parametrize("order", ["C", "F"])          # batch-inner path, plain Eq. (20) path
def test_each_pass_parses_the_window_once(order, count_parses):
    rng = np.random.default_rng(5)
    x = np.asarray(rng.standard_normal((6, 5, 2, 8)), order=order)
    f = rng.standard_normal((3, 2, 2, 4))
    assert _convfast.batch_inner(x, _window.window_geometry(x.shape, (3, 2), (2, 1), (1, 0))) == \
        (order == "C")
    count_parses.clear()
    y = cl.conv2d(x, f, stride=(2, 1), pad=(1, 0))
    assert len(count_parses) == 1
    cl.conv2d_backward(x, f, np.ones_like(y), stride=(2, 1), pad=(1, 0))
    assert len(count_parses) == 2


# ---------------------------------------------------------------- hypothesis: any small window
@given(sweeps.windows(), st.integers(1, 3), sweeps.SEEDS)
def test_conv2d_output_size_and_oracle(case, d_out, seed):
    shape, kernel, stride, pad = case
    rng, x, f = sweeps.layer(shape, kernel, d_out, seed)
    b = rng.standard_normal(d_out)
    y = cl.conv2d(x, f, b, stride, pad)
    h_out = (shape[0] + 2 * pad[0] - kernel[0]) // stride[0] + 1
    w_out = (shape[1] + 2 * pad[1] - kernel[1]) // stride[1] + 1
    assert y.shape[:2] == (h_out, w_out)
    expect = oracles.conv(oracles.as4(x), f, b, stride, pad)
    assert np.allclose(y.reshape(expect.shape), expect, rtol=1e-10, atol=1e-10)


@given(sweeps.windows(max_side=5), st.integers(1, 3), sweeps.SEEDS)
def test_conv2d_backward_oracle(case, d_out, seed):
    shape, kernel, stride, pad = case
    rng, x, f = sweeps.layer(shape, kernel, d_out, seed)
    G = rng.standard_normal(cl.conv2d(x, f, None, stride, pad).shape)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, G, stride, pad)
    y4 = oracles.conv(oracles.as4(x), f, None, stride, pad).shape
    ex, ef, eb = oracles.conv_backward(oracles.as4(x), f, G.reshape(y4), stride, pad)
    assert np.allclose(dzdx, ex.reshape(shape), atol=1e-10)
    assert np.allclose(dzdf, ef, atol=1e-10)
    assert np.allclose(dzdb, eb, atol=1e-10)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
X, F = sweeps.X, sweeps.F
GOOD_CALLS = {"conv2d": (X, F), "conv2d_backward": (X, F, np.ones((3, 3, 3)))}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)
test_a_bad_stride_or_pad_is_named = sweeps.stride_and_pad_test(GOOD_CALLS)
test_window_larger_than_the_padded_input = sweeps.window_too_large_test({
    "conv2d": ("kernel", lambda: cl.conv2d(np.ones((3, 4)), np.ones((4, 2)))),
    "conv2d-pad": ("kernel", lambda: cl.conv2d(np.ones((3, 4)), np.ones((6, 2)), pad=1))})
test_wrong_rank_of_x = sweeps.wrong_rank_test("x", {
    "conv2d": lambda x: cl.conv2d(x, np.ones((2, 2))),
    "conv2d_backward": lambda x: cl.conv2d_backward(x, np.ones((2, 2)), np.ones((3, 3)))})
test_wrong_rank_of_f = sweeps.wrong_rank_test("f", {
    "conv2d": lambda f: cl.conv2d(X, f),
    "conv2d_backward": lambda f: cl.conv2d_backward(X, f, np.ones((3, 4, 1)))})
test_upstream_gradient_of_the_wrong_shape = sweeps.dzdy_shape_test({
    "conv": (lambda dzdy: cl.conv2d_backward(X, F, dzdy), (3, 3, 3)),
    "conv-strided": (lambda dzdy: cl.conv2d_backward(X, F, dzdy, stride=2, pad=1), (3, 3, 3)),
    "conv-2d": (lambda dzdy: cl.conv2d_backward(np.ones((4, 5)), np.ones((2, 3)), dzdy), (3, 3)),
    "conv-batch": (lambda dzdy: cl.conv2d_backward(np.ones((4, 5, 2, 2)), F, dzdy),
                   (3, 3, 3, 2))})
test_non_real_input_is_a_type_error = sweeps.non_real_test({
    "conv2d-x": lambda x: cl.conv2d(x, np.ones((2, 2))),
    "conv2d-f": lambda f: cl.conv2d(np.ones((3, 3)), f[:2, :2])})


def test_zero_dim_integer_arrays_act_as_ints():
    # np.array(1) is an integer as much as np.int64(1) is: the same result as the plain int
    assert np.array_equal(cl.conv2d(X, F, pad=np.array(1)), cl.conv2d(X, F, pad=1))


def test_zero_dim_float_arrays_are_named():
    # a 0-d float array is not an int: the message must say which argument it is
    with pytest.raises(TypeError, match="pad"):
        cl.conv2d(X, F, pad=np.array(1.0))


def test_mismatched_channels():
    with pytest.raises(ValueError,
                       match=r"f has 3 input channels \(f shape \(2, 3, 3, 3\)\), x has 2"):
        cl.conv2d(X, np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"f has 1 input channels.*x has 2"):
        cl.conv2d(X, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"f has 2 input channels.*x has 1"):
        cl.conv2d(np.ones((4, 5)), F)
    with pytest.raises(ValueError, match=r"f has 3 input channels.*x has 2"):
        cl.conv2d_backward(X, np.ones((2, 3, 3, 3)), np.ones((3, 3, 3)))


@pytest.mark.parametrize("b", [np.ones(2), np.ones(4), np.ones((3, 2)), 1.0])
def test_bias_of_the_wrong_size(b):
    with pytest.raises(ValueError, match=r"b has \d+ entries \(shape .*\), f has 3 filters"):
        cl.conv2d(X, F, b)


def test_bias_must_be_real():
    with pytest.raises(TypeError, match=r"b must be a real numeric array.*complex"):
        cl.conv2d(X, F, np.ones(3) * 1j)
