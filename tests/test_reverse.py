"""Reverse operators (note section 6): deconv2d, maxunpool2d, avgunpool2d are adjoints
(E21, E22)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnnlib as cl
import oracles
import sweeps

# (x shape, f shape, stride, pad)
CASES = [
    ((5, 7), (2, 3), 1, 0),
    ((5, 7, 3), (2, 3, 3, 4), 1, 0),
    ((6, 5, 2), (3, 2, 2, 3), (2, 2), (1, 0)),
    ((7, 6, 2, 2), (3, 3, 2, 2), (2, 3), 1),
    ((4, 5, 2), (2, 2, 2), (1, 2), (0, 1)),
]


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", CASES)
def test_deconv2d_is_the_adjoint_of_conv2d(x_shape, f_shape, stride, pad, rng):
    # <conv2d(x, f), y> == <x, deconv2d(y, f)>
    x, f = rng.standard_normal(x_shape), rng.standard_normal(f_shape)
    y = rng.standard_normal(cl.conv2d(x, f, stride=stride, pad=pad).shape)
    back = cl.deconv2d(y, f, stride=stride, pad=pad, out_size=x_shape[:2])
    assert back.size == x.size
    lhs = np.sum(cl.conv2d(x, f, stride=stride, pad=pad) * y)
    assert np.isclose(lhs, np.sum(x * back.reshape(x.shape)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", CASES)
def test_deconv2d_is_conv2d_backward_dzdx(x_shape, f_shape, stride, pad, rng):
    # Eq. (44): the transposed convolution is dz/dx of conv2d with dz/dy = y
    x, f = rng.standard_normal(x_shape), rng.standard_normal(f_shape)
    y = rng.standard_normal(cl.conv2d(x, f, stride=stride, pad=pad).shape)
    dzdx = cl.conv2d_backward(x, f, y, stride=stride, pad=pad)[0]
    back = cl.deconv2d(y, f, stride=stride, pad=pad, out_size=x_shape[:2])
    assert np.allclose(back.reshape(x.shape), dzdx, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, f_shape, stride, pad", CASES[:3] + CASES[4:])
def test_deconv2d_jacobian_is_the_transpose_of_conv2d_jacobian(x_shape, f_shape, stride, pad,
                                                              rng):
    # as linear maps: J(deconv2d) == J(conv2d)^T, both probed by finite differences
    f = rng.standard_normal(f_shape)
    x = rng.standard_normal(x_shape)
    y = cl.conv2d(x, f, stride=stride, pad=pad)
    J_conv = cl.numerical_jacobian(lambda x_: cl.conv2d(x_, f, stride=stride, pad=pad), x)
    J_deconv = cl.numerical_jacobian(
        lambda y_: cl.deconv2d(y_, f, stride=stride, pad=pad, out_size=x_shape[:2]),
        rng.standard_normal(y.shape))
    assert np.allclose(J_deconv, J_conv.T, atol=1e-7)


def test_deconv2d_backward_through_finite_differences(rng):
    f = rng.standard_normal((2, 3, 2, 3))
    y = rng.standard_normal((3, 3, 3))
    x_shape = (4, 5, 2)
    G = rng.standard_normal(x_shape)
    z = lambda y_: np.sum(cl.deconv2d(y_, f, stride=(1, 2), pad=(0, 1), out_size=(4, 5)) * G)
    # the gradient of <deconv2d(y), G> with respect to y is conv2d(G)
    assert np.allclose(cl.numerical_gradient(z, y),
                       cl.conv2d(G, f, stride=(1, 2), pad=(0, 1)), atol=1e-7)


def test_deconv2d_default_out_size_is_the_smallest(rng):
    f = rng.standard_normal((3, 2, 1, 2))
    y = rng.standard_normal((3, 4, 2))
    x = cl.deconv2d(y, f, stride=2, pad=1)
    assert x.shape == ((3 - 1) * 2 + 3 - 2, (4 - 1) * 2 + 2 - 2, 1)
    # every out_size that convolves back to y's shape is accepted
    for h, w in [(5, 6), (6, 6), (5, 7), (6, 7)]:
        assert cl.conv_output_shape((h, w), (3, 2), 2, 1) == (3, 4)
        assert cl.deconv2d(y, f, stride=2, pad=1, out_size=(h, w)).shape == (h, w, 1)


def test_deconv2d_shapes_and_dtypes(rng):
    f2 = rng.standard_normal((2, 3))
    assert cl.deconv2d(rng.standard_normal((4, 5)), f2).shape == (5, 7)
    y32 = rng.standard_normal((4, 5, 2, 3)).astype(np.float32)
    f32 = rng.standard_normal((2, 3, 3, 2)).astype(np.float32)
    x = cl.deconv2d(y32, f32)
    assert x.shape == (5, 7, 3, 3) and x.dtype == np.float32
    assert cl.deconv2d(np.ones((4, 5), dtype=np.int64), np.ones((2, 3), dtype=np.int64)).dtype \
        == np.float64
    # batched deconv = per-image deconv stacked
    y = rng.standard_normal((4, 5, 2, 3))
    f = rng.standard_normal((2, 3, 3, 2))
    assert np.allclose(cl.deconv2d(y, f, 2, 1), np.stack(
        [cl.deconv2d(y[..., n], f, 2, 1) for n in range(3)], axis=-1), rtol=1e-12)


def test_deconv2d_of_the_all_ones_kernel_scatter_adds(rng):
    # with f = ones, deconv2d of y spreads each y entry over its window (Eq. 45)
    y = rng.standard_normal((2, 3))
    x = cl.deconv2d(y, np.ones((2, 2)))
    expect = np.zeros((3, 4))
    for i_, j_ in np.ndindex(2, 3):
        expect[i_:i_ + 2, j_:j_ + 2] += y[i_, j_]
    assert np.allclose(x, expect, rtol=1e-14)


def test_maxunpool2d_is_maxpool2d_backward(pool_case, rng):
    x_shape, size, stride, pad = pool_case
    x = oracles.distinct(x_shape, rng)
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    G = rng.standard_normal(y.shape)
    un = cl.maxunpool2d(G, idx, x.shape)
    assert un.shape == x.shape
    assert np.allclose(un, cl.maxpool2d_backward(x, G, size, stride, pad), rtol=1e-14)
    S = cl.maxpool_indicator(x, size, stride, pad)
    assert np.allclose(cl.vec(un), S.T @ cl.vec(G), rtol=1e-14)
    # unpooling y itself: x's maxima back in place, zeros elsewhere (non-overlapping case)
    if stride is None:
        back = cl.maxunpool2d(y, idx, x.shape)
        assert np.array_equal(back[back != 0], x[back != 0])
        assert np.array_equal(cl.vec(back)[idx], y)
        assert np.count_nonzero(back) == y.size


def test_maxunpool2d_dtypes(rng):
    x = rng.standard_normal((4, 4)).astype(np.float32)
    y, idx = cl.maxpool2d(x, 2, return_indices=True)
    assert cl.maxunpool2d(y, idx, x.shape).dtype == np.float32
    assert cl.maxunpool2d(np.ones((2, 2), dtype=np.int64), idx, x.shape).dtype == np.float64
    assert cl.maxunpool2d(y, idx.astype(np.uint32), x.shape).dtype == np.float32


@pytest.mark.parametrize("y_shape, size", [((2, 3), 2), ((3, 2, 2), (2, 3)), ((2, 2, 3, 2), 3)])
def test_avgunpool2d_is_nearest_neighbour_upsampling(y_shape, size, rng):
    # E22: kh kw A^T y; avgpool2d(avgunpool2d(y)) == y for non-overlapping windows
    y = rng.standard_normal(y_shape)
    kh, kw = (size, size) if isinstance(size, int) else size
    x = cl.avgunpool2d(y, size)
    assert x.shape == (y_shape[0] * kh, y_shape[1] * kw) + y_shape[2:]
    assert np.allclose(x, np.repeat(np.repeat(y, kh, axis=0), kw, axis=1), rtol=1e-14)
    assert np.allclose(cl.avgpool2d(x, size), y, rtol=1e-14)


def test_avgunpool2d_is_not_an_inverse(rng):
    x = rng.standard_normal((4, 6))
    blocky = cl.avgunpool2d(cl.avgpool2d(x, 2), 2)
    assert blocky.shape == x.shape and not np.allclose(blocky, x)


@pytest.mark.parametrize("x_shape, size, stride, pad", [
    ((5, 6, 2), 3, 2, 1), ((4, 4), 2, None, 1), ((7, 5, 2, 2), (2, 3), (3, 1), (1, 0)),
    ((6, 6), 2, 3, 0)])
def test_avgunpool2d_matches_the_loop_oracle(x_shape, size, stride, pad, rng):
    # each pooled value copied into every real cell of its window, overlaps adding up (loops)
    G = rng.standard_normal(cl.avgpool2d(np.zeros(x_shape), size, stride, pad).shape)
    un = cl.avgunpool2d(G, size, stride, pad, x_shape=x_shape)
    expect = oracles.avgunpool(oracles.as4(G).shape, G, *oracles.pairs(size, stride, pad),
                               oracles.as4(np.zeros(x_shape)).shape)
    assert np.allclose(un, expect.reshape(x_shape), rtol=1e-14)


@pytest.mark.parametrize("size, stride", [(2, None), ((2, 3), None), (2, 3), ((3, 2), (4, 2))])
def test_avgpool_of_avgunpool_is_y_without_overlap_or_padding(size, stride, rng):
    # the docstring's condition: stride >= size on both sides and pad = 0
    y = rng.standard_normal((3, 4, 2))
    assert np.allclose(cl.avgpool2d(cl.avgunpool2d(y, size, stride), size, stride), y,
                       rtol=1e-14)


def test_avgpool_of_avgunpool_with_padding_keeps_the_real_share(rng):
    # size 2, pad 1: a corner window holds 1 real cell of 4 (y / 4), an edge window 2 (y / 2)
    y = rng.standard_normal((3, 3))
    back = cl.avgpool2d(cl.avgunpool2d(y, 2, pad=1), 2, pad=1)
    share = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 4
    assert np.allclose(back, share * y, rtol=1e-14)
    assert not np.allclose(back, y)
    # overlapping windows (stride 1 < size 2) add their neighbours: not y either
    assert not np.allclose(cl.avgpool2d(cl.avgunpool2d(y, 2, 1), 2, 1), y)


@pytest.mark.parametrize("dtype, out", [(np.float32, np.float32), (np.float64, np.float64),
                                        (np.int64, np.float64)])
def test_avgunpool2d_dtypes(dtype, out):
    y = np.arange(6).reshape(2, 3).astype(dtype)
    x = cl.avgunpool2d(y, 2)
    assert x.dtype == out
    assert np.array_equal(x, np.kron(np.arange(6).reshape(2, 3), np.ones((2, 2))))


# ------------------------------------------------- default sizes: the smallest valid input
# one side of a window, (y's side, kernel, stride, pad); the other side is (1, 1, 1, 0)
SIDES = [(out, k, s, p) for out in (1, 2, 3) for k in (1, 2, 3, 4) for s in (1, 2, 3, 4)
         for p in (0, 1, 2, 3)]


def _side_args(axis, out, k, s, p):
    """y's (H', W'), kernel, stride, pad with (out, k, s, p) on ``axis`` and 1, 1, 1, 0 else."""
    pick = lambda v, one: (v, one) if axis == 0 else (one, v)
    return pick(out, 1), pick(k, 1), pick(s, 1), pick(p, 0)


# reverse op: (the op with its default size, the forward op, its verb and window name)
REVERSE_OPS = {
    "deconv2d": (lambda y, w, s, p: cl.deconv2d(y, np.ones(w), s, p),
                 lambda x, w, s, p: cl.conv2d(x, np.ones(w), stride=s, pad=p),
                 "convolves to", "kernel"),
    "avgunpool2d": (cl.avgunpool2d, cl.avgpool2d, "pools to", "size"),
}


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("op", sorted(REVERSE_OPS))
def test_the_default_size_is_the_smallest_valid_input(op, axis):
    # deconv2d raised "out_size must be >= 1, got (0, 0)" in 576 of 2,688 such configurations;
    # avgunpool2d returned a (0, 0) array or blamed x_shape, which nobody passed
    reverse, forward, verb, name = REVERSE_OPS[op]
    for out, k, s, p in SIDES:
        if op == "avgunpool2d" and p >= k:             # pooling: pad < size
            continue
        y_hw, window, stride, pad = _side_args(axis, out, k, s, p)

        def forward_side(n):
            try:
                x = np.zeros((n, 1) if axis == 0 else (1, n))
                return forward(x, window, stride, pad).shape[axis]
            except ValueError:                         # the window does not fit
                return None
        # the smallest n >= 1 that maps to out, by trying every n up to out s + k (the
        # forward side grows with n: beyond that bound it exceeds out)
        n = next((n for n in range(1, out * s + k + 1) if forward_side(n) == out), None)
        y = np.ones(y_hw)
        if n is None:
            side = "rows" if axis == 0 else "columns"
            with pytest.raises(ValueError, match=rf"no input size {verb} y's {out} {side} with "
                                                 rf"{name} {k}, stride {s}, pad {p}"):
                reverse(y, window, stride, pad)
            continue
        x = reverse(y, window, stride, pad)
        assert x.shape[axis] == n and x.shape[1 - axis] == 1, (out, k, s, p)
        assert forward(np.zeros(x.shape), window, stride, pad).shape == y.shape


def test_deconv2d_default_of_the_issue():
    y = cl.conv2d(np.ones((1, 1)), np.ones((1, 1)), stride=3, pad=2)
    assert y.shape == (2, 2)
    x = cl.deconv2d(y, np.ones((1, 1)), stride=3, pad=2)        # was: out_size (0, 0)
    assert x.shape == (1, 1)
    assert np.array_equal(x, cl.conv2d_backward(np.ones((1, 1)), np.ones((1, 1)), y,
                                                stride=3, pad=2)[0])


def test_avgunpool2d_defaults_of_the_issue():
    # was a (0, 0) array: y lost
    x = cl.avgunpool2d(np.ones((1, 1)), 2, pad=1)
    assert x.shape == (1, 1) and x[0, 0] == 1.0
    # was "x_shape must hold non-negative ints, got (-1, -1)": an argument nobody passed
    with pytest.raises(ValueError, match=r"no input size pools to y's 1 rows with size 3, "
                                         r"stride 1, pad 2"):
        cl.avgunpool2d(np.ones((1, 1)), 3, stride=1, pad=2)


def test_avgunpool2d_names_x_shape_when_it_does_not_pool_to_y():
    # was "dzdy has shape (2, 2), but y = avgpool2d(x) has shape (3, 3)": no dzdy was passed
    with pytest.raises(ValueError, match=r"x_shape \(6, 6\) pools to \(3, 3\), not to y's "
                                         r"shape \(2, 2\)"):
        cl.avgunpool2d(np.ones((2, 2)), 2, x_shape=(6, 6))
    with pytest.raises(ValueError, match=r"x_shape \(4, 4\) pools to \(2, 2\), not to y's "
                                         r"shape \(2, 2, 3\)"):
        cl.avgunpool2d(np.ones((2, 2, 3)), 2, x_shape=(4, 4))


def test_defaults_too_large_for_an_array_name_the_arguments():
    # the smallest valid size has 2**63 entries: numpy said "array is too big"
    with pytest.raises(ValueError, match=r"smallest out_size for stride \(4611686018427387904, "
                                         r"1\).*more than an array can hold"):
        cl.deconv2d(np.ones((2, 2)), np.ones((1, 1)), stride=(2 ** 62, 1))
    with pytest.raises(ValueError, match=r"smallest x_shape for size \(2, 2\), stride "
                                         r"\(4611686018427387904, 2\).*more than an array can"):
        cl.avgunpool2d(np.ones((2, 2)), 2, stride=(2 ** 62, 2))


def test_reverse_ops_with_a_huge_stride_and_pad_stay_small(peak_mib):
    # y (3, 3) = conv2d of a 1 x 1 x with stride = pad = 10**5: the middle window holds x
    y = np.arange(9.0).reshape(3, 3)
    x, peak = peak_mib(lambda: cl.deconv2d(y, np.full((1, 1), 2.0), stride=10 ** 5,
                                            pad=10 ** 5))
    assert x.shape == (1, 1) and x[0, 0] == 2 * y[1, 1] and peak < 1
    x, peak = peak_mib(lambda: cl.deconv2d(y, np.ones((1, 1)), stride=2 ** 70, pad=2 ** 70,
                                            out_size=(1, 1)))
    assert x.shape == (1, 1) and x[0, 0] == y[1, 1] and peak < 1
    assert cl.conv2d(np.ones((1, 1)), np.ones((1, 1)), stride=2 ** 70, pad=2 ** 70).shape == \
        y.shape


def test_maxunpool2d_counts_a_huge_x_shape_exactly():
    # np.prod wrapped around to 0: "idx holds positions in [..], outside x_shape (..)
    # (0 entries)"; an x of 2**80 entries cannot exist, and the message says so
    y, idx = cl.maxpool2d(np.arange(16.0).reshape(4, 4), 2, return_indices=True)
    with pytest.raises(ValueError, match=r"x_shape \(1099511627776, 1099511627776\): "
                                         r"1208925819614629174706176 entries, more than an "
                                         r"array can hold"):
        cl.maxunpool2d(y, idx, (2 ** 40, 2 ** 40))


# ---------------------------------------------------------------- hypothesis: any small window
@given(sweeps.windows(), st.integers(1, 3), sweeps.SEEDS)
def test_deconv2d_is_the_adjoint_for_any_window(case, d_out, seed):
    shape, kernel, stride, pad = case
    rng, x, f = sweeps.layer(shape, kernel, d_out, seed)
    y = rng.standard_normal(cl.conv2d(x, f, None, stride, pad).shape)
    back = cl.deconv2d(y, f, stride, pad, out_size=shape[:2])
    assert back.size == x.size
    assert np.isclose(np.sum(cl.conv2d(x, f, None, stride, pad) * y),
                      np.sum(x * back.reshape(shape)), rtol=1e-10, atol=1e-10)


@given(sweeps.windows(pooling=True), st.booleans(), sweeps.SEEDS)
def test_maxunpool2d_is_maxpool2d_backward_for_any_window(case, ties, seed):
    shape, size, stride, pad = case
    x = sweeps.values(seed, shape, ties)
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    G = np.random.default_rng(seed + 1).standard_normal(y.shape)
    assert np.allclose(cl.maxunpool2d(G, idx, x.shape),
                       cl.maxpool2d_backward(x, G, size, stride, pad), atol=1e-12)


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3),
       st.integers(1, 3), sweeps.SEEDS)
def test_avgpool_of_avgunpool_is_identity(h_out, w_out, kh, kw, d, seed):
    y = np.random.default_rng(seed).standard_normal((h_out, w_out, d))
    x = cl.avgunpool2d(y, (kh, kw))
    assert x.shape == (h_out * kh, w_out * kw, d)
    assert np.allclose(cl.avgpool2d(x, (kh, kw)), y, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
F = sweeps.F
GOOD_CALLS = {
    "deconv2d": (np.ones((3, 3, 3)), F),
    "maxunpool2d": (np.ones((2, 2)), np.zeros((2, 2), dtype=int), (4, 4)),
    "avgunpool2d": (np.ones((2, 2)), 2),
}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)
test_a_bad_stride_or_pad_is_named = sweeps.stride_and_pad_test(GOOD_CALLS)
test_bad_size = sweeps.bad_kernel_test("size", {
    "avgunpool2d": lambda size: cl.avgunpool2d(np.ones((2, 2)), size)})
test_wrong_rank_of_y = sweeps.wrong_rank_test("y", {
    "deconv2d": lambda y: cl.deconv2d(y, np.ones((2, 2)))})
test_wrong_rank_of_f = sweeps.wrong_rank_test("f", {
    "deconv2d": lambda f: cl.deconv2d(np.ones((3, 3)), f)})
test_non_real_input_is_a_type_error = sweeps.non_real_test({
    "deconv2d": lambda y: cl.deconv2d(y, np.ones((2, 2)))})


def test_deconv2d_channels_of_y_must_be_the_filters():
    with pytest.raises(ValueError, match=r"y has 2 channels \(y shape \(3, 3, 2\)\).*f has 3 "
                                         r"filters \(f shape \(2, 3, 2, 3\)\)"):
        cl.deconv2d(np.ones((3, 3, 2)), F)


def test_deconv2d_out_size_inconsistent():
    y, f = np.ones((3, 3)), np.ones((3, 3))
    with pytest.raises(ValueError, match=r"out_size \(9, 9\) .*\(3, 3\).*stride \(2, 2\)"):
        cl.deconv2d(y, f, stride=2, out_size=(9, 9))
    with pytest.raises(ValueError, match=r"out_size \(7, 6\)"):
        cl.deconv2d(y, f, stride=2, out_size=(7, 6))


def test_deconv2d_out_size_too_small_names_out_size():
    with pytest.raises(ValueError, match=r"out_size"):
        cl.deconv2d(np.ones((3, 3)), np.ones((3, 3)), stride=2, out_size=(2, 2))


@pytest.mark.parametrize("out_size, error", [((0, 5), ValueError), ((5.0, 5), TypeError),
                                             ((5, 5, 1), ValueError)], ids=repr)
def test_deconv2d_bad_out_size(out_size, error):
    with pytest.raises(error, match=r"out_size"):
        cl.deconv2d(np.ones((3, 3)), np.ones((3, 3)), out_size=out_size)


def test_maxunpool2d_rejects_bad_indices():
    y = np.ones((2, 2))
    with pytest.raises(ValueError, match=r"idx holds positions in \[0, 16\].*x_shape \(4, 4\) "
                                         r"\(16 entries\)"):
        cl.maxunpool2d(y, np.array([[0, 1], [2, 16]]), (4, 4))
    with pytest.raises(ValueError, match=r"idx holds positions in \[-1, 2\].*x_shape \(4, 4\)"):
        cl.maxunpool2d(y, np.array([[0, 1], [2, -1]]), (4, 4))
    with pytest.raises(ValueError, match=r"idx has shape \(4,\), y has \(2, 2\)"):
        cl.maxunpool2d(y, np.arange(4), (4, 4))
    with pytest.raises(TypeError, match=r"idx must hold integer positions.*float64"):
        cl.maxunpool2d(y, np.ones((2, 2)), (4, 4))
