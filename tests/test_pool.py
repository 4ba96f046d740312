"""Pooling (note section 5): max Eq. (47)/(51), average Eq. (48), backward Eq. (55)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnnlib as cl
import oracles
import sweeps

# (x shape, size, stride, pad); stride None = size (the note's non-overlapping windows)
CASES = [
    ((4, 6), 2, None, 0),
    ((6, 9, 2), (2, 3), None, 0),
    ((5, 7), 3, 2, 1),                                   # overlapping, padded
    ((7, 5, 3), (3, 2), (2, 1), (1, 0)),
    ((5, 6, 2, 3), (2, 3), (1, 2), (1, 1)),
    ((4, 5, 1, 2), (2, 2), (3, 2), (0, 1)),              # stride > size: gaps
    ((3, 4, 2), (3, 4), None, 0),                        # one window covers everything
    ((5, 5, 2), 1, (2, 1), 0),
]


def _y_shape(x_shape, y4_shape):
    return y4_shape[:len(x_shape)]


@pytest.mark.parametrize("x_shape, size, stride, pad", CASES)
def test_maxpool2d_matches_eq47_loops(x_shape, size, stride, pad, rng):
    x = rng.standard_normal(x_shape)
    ey, eidx = oracles.maxpool(oracles.as4(x), *oracles.pairs(size, stride, pad))
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    assert y.shape == idx.shape == _y_shape(x_shape, ey.shape)
    assert np.array_equal(y.reshape(ey.shape), ey)
    assert np.array_equal(idx.reshape(eidx.shape), eidx)
    assert np.array_equal(cl.maxpool2d(x, size, stride, pad), y)
    assert np.array_equal(cl.vec(x)[idx], y)             # idx is a flat column-major index


@pytest.mark.parametrize("x_shape, size, stride, pad", CASES)
def test_maxpool2d_ties_go_to_the_first_maximum(x_shape, size, stride, pad, rng):
    # integers in {-1, 0, 1}: windows full of ties (and all-negative windows next to padding)
    x = rng.integers(-1, 2, size=x_shape)
    window = oracles.pairs(size, stride, pad)
    ey, eidx = oracles.maxpool(oracles.as4(x), *window)
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    assert y.dtype == np.float64
    assert np.array_equal(y.reshape(ey.shape), ey)
    assert np.array_equal(idx.reshape(eidx.shape), eidx)
    G = rng.standard_normal(y.shape)
    assert np.allclose(cl.maxpool2d_backward(x, G, size, stride, pad),
                       oracles.maxpool_backward(oracles.as4(x), G.reshape(ey.shape),
                                                *window).reshape(x_shape))


def test_maxpool2d_all_negative_windows_next_to_padding():
    # padding never wins, whatever the values in the window
    x = -np.arange(1.0, 13.0).reshape(3, 4) - 100
    y, idx = cl.maxpool2d(x, 2, stride=2, pad=1, return_indices=True)
    ey, eidx = oracles.maxpool(oracles.as4(x), (2, 2), (2, 2), (1, 1))
    assert np.array_equal(y, ey[:, :, 0, 0]) and np.array_equal(idx, eidx[:, :, 0, 0])
    assert np.all(y < -100)


def test_maxpool2d_minus_infinity_next_to_padding():
    # a window whose real entries are all -inf: its max is -inf at a REAL position of x
    x = np.full((3, 3), -np.inf)
    x[1, 1] = 0.0
    y, idx = cl.maxpool2d(x, 2, stride=2, pad=1, return_indices=True)
    ey, eidx = oracles.maxpool(oracles.as4(x), (2, 2), (2, 2), (1, 1))
    assert np.array_equal(y, ey[:, :, 0, 0])
    assert np.all((idx >= 0) & (idx < x.size))
    assert np.array_equal(idx, eidx[:, :, 0, 0])
    dzdx = cl.maxpool2d_backward(x, np.ones(y.shape), 2, stride=2, pad=1)
    assert dzdx.sum() == y.size


@pytest.mark.parametrize("x_shape, size, stride, pad", CASES)
def test_avgpool2d_matches_eq48_loops(x_shape, size, stride, pad, rng):
    x = rng.standard_normal(x_shape)
    ey = oracles.avgpool(oracles.as4(x), *oracles.pairs(size, stride, pad))
    y = cl.avgpool2d(x, size, stride, pad)
    assert y.shape == _y_shape(x_shape, ey.shape)
    assert np.allclose(y.reshape(ey.shape), ey, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("x_shape, size, stride, pad", CASES)
def test_pool_backward_matches_loop_oracles(x_shape, size, stride, pad, rng):
    x = oracles.distinct(x_shape, rng)
    y = cl.maxpool2d(x, size, stride, pad)
    G = rng.standard_normal(y.shape)
    window = oracles.pairs(size, stride, pad)
    y4 = oracles.avgpool(oracles.as4(x), *window).shape
    got = cl.maxpool2d_backward(x, G, size, stride, pad)
    assert got.shape == x_shape
    assert np.allclose(got, oracles.maxpool_backward(
        oracles.as4(x), G.reshape(y4), *window).reshape(x_shape), rtol=1e-14)
    got = cl.avgpool2d_backward(x_shape, G, size, stride, pad)
    assert got.shape == x_shape
    assert np.allclose(got, oracles.avgpool_backward(
        oracles.as4(x).shape, G.reshape(y4), *window).reshape(x_shape), rtol=1e-12, atol=1e-15)


GRAD_CASES = [
    ((4, 6), 2, None, 0),
    ((6, 7, 2), 3, 2, 0),                                # the STYLE example: overlapping
    ((5, 4, 2), (3, 2), (2, 1), (1, 1)),
    ((3, 4, 2, 2), 2, (1, 2), 1),
]


@pytest.mark.parametrize("x_shape, size, stride, pad", GRAD_CASES)
def test_pool_backward_matches_finite_differences(x_shape, size, stride, pad, rng):
    x = oracles.distinct(x_shape, rng)                   # no ties: max is differentiable
    G = rng.standard_normal(cl.maxpool2d(x, size, stride, pad).shape)
    z = lambda x_: np.sum(cl.maxpool2d(x_, size, stride, pad) * G)
    assert np.allclose(cl.maxpool2d_backward(x, G, size, stride, pad),
                       cl.numerical_gradient(z, x), atol=1e-7)
    z = lambda x_: np.sum(cl.avgpool2d(x_, size, stride, pad) * G)
    assert np.allclose(cl.avgpool2d_backward(x.shape, G, size, stride, pad),
                       cl.numerical_gradient(z, x), atol=1e-7)


@pytest.mark.parametrize("dtype, out", [(np.float32, np.float32), (np.float64, np.float64),
                                        (np.int64, np.float64), (np.uint8, np.float64)])
def test_pool_dtypes(dtype, out):
    x = (np.arange(48).reshape(4, 6, 2) * 7 % 11).astype(dtype)
    y, idx = cl.maxpool2d(x, 2, return_indices=True)
    assert y.dtype == out and np.issubdtype(idx.dtype, np.integer)
    assert cl.avgpool2d(x, 2).dtype == out
    G = np.ones(y.shape, dtype=dtype)
    assert cl.maxpool2d_backward(x, G, 2).dtype == out
    assert cl.avgpool2d_backward(x.shape, G, 2).dtype == out
    assert np.allclose(cl.avgpool2d(x, 2), oracles.avgpool(oracles.as4(x), (2, 2))[..., 0])


def test_float32_pool_values_are_exact(rng):
    x = rng.standard_normal((6, 4, 2, 2)).astype(np.float32)
    assert np.array_equal(cl.maxpool2d(x, (3, 2)), cl.maxpool2d(x.astype(np.float64), (3, 2)))
    assert np.allclose(cl.avgpool2d(x, (3, 2)), cl.avgpool2d(x.astype(np.float64), (3, 2)),
                       rtol=1e-6)


def test_batched_pooling_is_per_image_pooling_stacked(rng):
    x = rng.standard_normal((5, 6, 2, 3))
    for pool in (cl.maxpool2d, cl.avgpool2d):
        y = pool(x, (2, 3), (1, 2), 1)
        assert np.array_equal(y, np.stack([pool(x[..., n], (2, 3), (1, 2), 1)
                                           for n in range(3)], axis=-1))
    _, idx = cl.maxpool2d(x, 2, return_indices=True)
    for n in range(3):
        _, idx_n = cl.maxpool2d(x[..., n], 2, return_indices=True)
        assert np.array_equal(idx[..., n], idx_n + n * 60)   # flat index into the batch


@pytest.mark.parametrize("x_shape, size, stride, pad", CASES)
def test_pool_output_shape_formula(x_shape, size, stride, pad):
    k, s, p = oracles.pairs(size, stride, pad)
    s = k if s is None else s
    expect = tuple(oracles.out_side(x_shape[a], k[a], s[a], p[a]) for a in range(2))
    assert cl.pool_output_shape(x_shape, size, stride, pad) == expect
    assert cl.maxpool2d(np.zeros(x_shape), size, stride, pad).shape[:2] == expect


def test_pool_of_the_note_divides_the_size():
    # Eq. (46): H' = H / kh, W' = W / kw for non-overlapping windows
    x = np.arange(24.0).reshape(4, 6)
    assert cl.maxpool2d(x, (2, 3)).shape == (2, 2)
    assert np.array_equal(cl.maxpool2d(x, (2, 3)),
                          x.reshape(2, 2, 2, 3).max(axis=(1, 3)))
    assert np.array_equal(cl.avgpool2d(x, (2, 3)),
                          x.reshape(2, 2, 2, 3).mean(axis=(1, 3)))


def test_avgpool_padding_counts_as_zeros():
    y = cl.avgpool2d(np.ones((2, 2)), 2, stride=2, pad=1)
    assert np.array_equal(y, np.full((2, 2), 0.25))


def test_maxpool_argmax_satisfies_eq51(rng):
    # Eq. (51) corrected (E19): the chosen x is >= every x of its window
    x = rng.standard_normal((6, 4, 2))
    y, idx = cl.maxpool2d(x, (3, 2), return_indices=True)
    for i_, j_, d in np.ndindex(*y.shape):
        window = x[3 * i_:3 * i_ + 3, 2 * j_:2 * j_ + 2, d]
        il, jl, dl = np.unravel_index(idx[i_, j_, d], x.shape, order="F")
        assert dl == d and il // 3 == i_ and jl // 2 == j_      # Eq. (49)-(50)
        assert np.all(x[il, jl, dl] >= window)


def test_pooling_of_non_contiguous_input(rng):
    x = rng.standard_normal((10, 9, 3))[::-2, 1::2, ::2]
    for pool, oracle in ((cl.maxpool2d, lambda a: oracles.maxpool(a, (2, 2), (1, 2), (1, 0))[0]),
                         (cl.avgpool2d, lambda a: oracles.avgpool(a, (2, 2), (1, 2), (1, 0)))):
        assert np.allclose(pool(x, 2, (1, 2), (1, 0)), oracle(oracles.as4(x))[..., 0],
                           rtol=1e-12, atol=1e-15)
    y, idx = cl.maxpool2d(x, 2, return_indices=True)
    assert np.array_equal(cl.vec(x)[idx], y)


@pytest.mark.parametrize("x_shape, size, stride, pad", CASES)
def test_nan_is_the_window_maximum_everywhere(x_shape, size, stride, pad, rng):
    # one NaN rule (pool.py): a NaN is larger than every number and NaNs tie; forward, backward
    # and both indicators agree, and S vec(x) == vec(maxpool2d(x)) holds with NaNs
    x = rng.integers(-2, 3, size=x_shape).astype(float)
    x[rng.random(x_shape) < 0.2] = np.nan
    x.flat[0] = np.nan
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    window = oracles.pairs(size, stride, pad)
    ey, eidx = oracles.maxpool(oracles.as4(x), *window)
    assert np.array_equal(y.reshape(ey.shape), ey, equal_nan=True)
    assert np.array_equal(idx.reshape(eidx.shape), eidx)
    for ties in ("first", "all"):
        S = cl.maxpool_indicator(x, size, stride, pad, ties=ties)
        assert np.array_equal(S.toarray(), oracles.maxpool_indicator(
            oracles.as4(x), *window, ties=ties))
        assert np.all(np.asarray(S.sum(axis=1)).ravel() >= 1)          # no empty row
        nan_rows = np.isnan(cl.vec(y))
        assert np.array_equal(np.isnan(S @ cl.vec(x)), nan_rows)
        if ties == "first":
            assert np.array_equal(S @ cl.vec(x), cl.vec(y), equal_nan=True)
    G = rng.standard_normal(y.shape)
    assert np.allclose(cl.maxpool2d_backward(x, G, size, stride, pad),
                       oracles.maxpool_backward(oracles.as4(x), G.reshape(ey.shape),
                                                *window).reshape(x_shape))


def test_nan_window_of_the_note():
    # [[1, nan], [nan, 0]]: the first NaN in column-major order is x[1, 0] (vec position 1)
    x = np.array([[1.0, np.nan], [np.nan, 0.0]])
    y, idx = cl.maxpool2d(x, 2, return_indices=True)
    assert np.isnan(y[0, 0]) and idx[0, 0] == 1
    assert np.array_equal(cl.maxpool_indicator(x, 2).toarray(), [[0, 1, 0, 0]])
    assert np.array_equal(cl.maxpool_indicator(x, 2, ties="all").toarray(), [[0, 1, 1, 0]])
    assert np.array_equal(cl.maxpool2d_backward(x, np.array([[3.0]]), 2), [[0, 0], [3, 0]])


def test_a_large_window_is_reduced_without_copying_every_window(peak_mib, rng):
    # 200 x 200 image, 100 x 100 window, stride 1: 101^2 windows of 10^4 cells.  Copying them
    # all took 779 MiB (and seconds); reducing along H, then W, needs arrays the size of x.
    x = rng.standard_normal((200, 200))
    (y, idx), peak = peak_mib(lambda: cl.maxpool2d(x, 100, stride=1, return_indices=True))
    assert peak < 16
    windows = np.lib.stride_tricks.sliding_window_view(x, (100, 100))
    assert np.array_equal(y, windows.max(axis=(2, 3)))
    assert np.array_equal(cl.vec(x)[idx], y)
    il, jl = np.unravel_index(idx, x.shape, order="F")
    i_, j_ = np.indices(y.shape)
    assert np.all((il >= i_) & (il < i_ + 100) & (jl >= j_) & (jl < j_ + 100))
    y_avg, peak = peak_mib(lambda: cl.avgpool2d(x, 100, stride=1))
    assert peak < 16 and np.allclose(y_avg, windows.mean(axis=(2, 3)), rtol=1e-10, atol=1e-12)
    G = rng.standard_normal(y.shape)
    for backward in (lambda: cl.maxpool2d_backward(x, G, 100, stride=1),
                     lambda: cl.avgpool2d_backward(x.shape, G, 100, stride=1)):
        dzdx, peak = peak_mib(backward)
        assert dzdx.shape == x.shape and peak < 16


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pooling_with_a_huge_size_pad_or_stride(dtype, peak_mib, rng):
    # size 10**9, pad 10**9 - 1 over a 3 x 3 x: two windows per side, [0, 10**9) and
    # [10**9, 2 10**9) of the padded axis, whose real rows are 10**9 - 1 .. 10**9 + 1.
    # The padded x has 4 10**18 cells: it was allocated (MemoryError), now never stored.
    x = rng.standard_normal((3, 3, 2)).astype(dtype)
    big = 10 ** 9
    (y, idx), peak = peak_mib(lambda: cl.maxpool2d(x, big, pad=big - 1, return_indices=True))
    blocks = [[x[:1, :1], x[:1, 1:]], [x[1:, :1], x[1:, 1:]]]
    assert y.dtype == dtype and peak < 1
    assert np.array_equal(y, [[b.max(axis=(0, 1)) for b in row] for row in blocks])
    assert np.array_equal(cl.vec(x)[idx], y)
    y_avg, peak = peak_mib(lambda: cl.avgpool2d(x, big, pad=big - 1))
    assert y_avg.dtype == dtype and peak < 1
    assert np.allclose(y_avg, [[b.sum(axis=(0, 1)) / big ** 2 for b in row] for row in blocks])
    back, peak = peak_mib(lambda: cl.avgpool2d_backward(x.shape, np.ones((2, 2, 2)), big,
                                                         pad=big - 1))
    assert back.shape == x.shape and peak < 1 and np.allclose(back, 1 / big ** 2)
    # a stride beyond C long: one window per side (was OverflowError, naming nothing)
    for stride in (2 ** 60, 2 ** 70):
        y, idx = cl.maxpool2d(x, 2, stride=stride, return_indices=True)
        assert np.array_equal(y, x[:2, :2].max(axis=(0, 1))[None, None])
        assert np.allclose(cl.avgpool2d(x, 2, stride=stride)[0, 0], x[:2, :2].mean(axis=(0, 1)))
        assert cl.pool_output_shape(x.shape, 2, stride) == (1, 1)


def test_pooling_an_x_without_rows_is_refused_and_without_images_is_empty():
    # x with no rows, pad 1: every window is padding alone; maxpool2d returned -inf at
    # index -1, avgpool2d zeros, maxpool_indicator a scipy error
    for call in (lambda: cl.maxpool2d(np.ones((0, 2)), 2, pad=1, return_indices=True),
                 lambda: cl.avgpool2d(np.ones((2, 0)), 2, pad=1),
                 lambda: cl.maxpool2d_backward(np.ones((0, 2)), np.ones((1, 2)), 2, pad=1),
                 lambda: cl.avgpool2d_backward((0, 2), np.ones((1, 2)), 2, pad=1),
                 lambda: cl.pool_output_shape((0, 2), 2, pad=1),
                 lambda: cl.maxpool_indicator(np.ones((0, 2)), 2, pad=1)):
        with pytest.raises(ValueError, match=r"x shape \((0, 2|2, 0), 1, 1\) has no rows or no "
                                             r"columns: every window holds padding alone"):
            call()
    # no images or no channels: empty results of the right shape
    for x in (np.ones((4, 4, 2, 0)), np.ones((4, 4, 0))):
        y, idx = cl.maxpool2d(x, 2, return_indices=True)
        assert y.shape == idx.shape == (2, 2) + x.shape[2:]
        assert np.issubdtype(idx.dtype, np.integer)
        assert cl.avgpool2d(x, 2).shape == y.shape
        assert cl.maxpool2d_backward(x, y, 2).shape == x.shape


def test_numpy_integers_and_arrays_as_size_stride_pad(rng):
    x = rng.standard_normal((6, 5, 2))
    for size, stride, pad in [(np.int64(2), np.array([1, 2]), np.array(1)),
                              (np.array([3, 2]), np.uint8(2), (np.int32(1), 0))]:
        as_ints = tuple(np.asarray(v).tolist() for v in (size, stride, pad))
        for pool in (cl.maxpool2d, cl.avgpool2d):
            assert np.array_equal(pool(x, size, stride, pad), pool(x, *as_ints))


# ---------------------------------------------------------------- hypothesis: any small window
@given(sweeps.windows(pooling=True), st.booleans(), sweeps.SEEDS)
def test_maxpool_oracle_and_backward(case, ties, seed):
    shape, size, stride, pad = case
    x = sweeps.values(seed, shape, ties)
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    ey, eidx = oracles.maxpool(oracles.as4(x), size, stride, pad)
    assert np.array_equal(y.reshape(ey.shape), ey)
    assert np.array_equal(idx.reshape(eidx.shape), eidx)
    G = np.random.default_rng(seed + 1).standard_normal(y.shape)
    dzdx = cl.maxpool2d_backward(x, G, size, stride, pad)
    assert np.allclose(dzdx, oracles.maxpool_backward(oracles.as4(x), G.reshape(ey.shape),
                                                      size, stride, pad).reshape(shape))


@given(sweeps.windows(pooling=True), sweeps.SEEDS)
def test_avgpool_oracle_and_adjoint(case, seed):
    shape, size, stride, pad = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    y = cl.avgpool2d(x, size, stride, pad)
    ey = oracles.avgpool(oracles.as4(x), size, stride, pad)
    assert np.allclose(y.reshape(ey.shape), ey, atol=1e-12)
    G = rng.standard_normal(y.shape)
    back = cl.avgpool2d_backward(shape, G, size, stride, pad)
    assert np.isclose(np.sum(y * G), np.sum(x * back), rtol=1e-10, atol=1e-10)
    assert cl.pool_output_shape(shape, size, stride, pad) == y.shape[:2]


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
X = sweeps.X
GOOD_CALLS = {
    "maxpool2d": (X, 2), "maxpool2d_backward": (X, np.ones((2, 2, 2)), 2),
    "avgpool2d": (X, 2), "avgpool2d_backward": (X.shape, np.ones((2, 2, 2)), 2),
    "pool_output_shape": (X.shape, 2),
}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)
test_a_bad_stride_or_pad_is_named = sweeps.stride_and_pad_test(GOOD_CALLS)
test_bad_size = sweeps.bad_kernel_test("size", {
    "maxpool2d": lambda size: cl.maxpool2d(X, size),
    "avgpool2d": lambda size: cl.avgpool2d(X, size)})
test_window_larger_than_the_padded_input = sweeps.window_too_large_test({
    "maxpool2d": ("size", lambda: cl.maxpool2d(np.ones((3, 4)), 5)),
    "avgpool2d": ("size", lambda: cl.avgpool2d(np.ones((3, 4)), (4, 2))),
    "avgpool2d_backward": ("size", lambda: cl.avgpool2d_backward((3, 4), np.ones((1, 1)), 5))})
test_wrong_rank_of_x = sweeps.wrong_rank_test("x", {
    "maxpool2d": lambda x: cl.maxpool2d(x, 2), "avgpool2d": lambda x: cl.avgpool2d(x, 2),
    "maxpool2d_backward": lambda x: cl.maxpool2d_backward(x, np.ones((2, 2)), 2)})
test_wrong_rank_of_x_shape = sweeps.wrong_rank_test("x_shape", {
    "avgpool2d_backward": lambda x_shape: cl.avgpool2d_backward(x_shape, np.ones((1, 1)), 2),
    "pool_output_shape": lambda x_shape: cl.pool_output_shape(x_shape, 2)})
test_upstream_gradient_of_the_wrong_shape = sweeps.dzdy_shape_test({
    "maxpool": (lambda dzdy: cl.maxpool2d_backward(X, dzdy, 2), (2, 2, 2)),
    "maxpool-overlap": (lambda dzdy: cl.maxpool2d_backward(X, dzdy, 3, stride=1, pad=1),
                        (4, 5, 2)),
    "avgpool": (lambda dzdy: cl.avgpool2d_backward(X.shape, dzdy, 2), (2, 2, 2)),
    "avgpool-2d": (lambda dzdy: cl.avgpool2d_backward((4, 5), dzdy, (2, 3), stride=1), (3, 3))})
test_non_real_input_is_a_type_error = sweeps.non_real_test({
    "maxpool2d": lambda x: cl.maxpool2d(x, 2), "avgpool2d": lambda x: cl.avgpool2d(x, 2)})


def test_zero_dim_integer_arrays_act_as_ints():
    # np.array(2) is an integer as much as np.int64(2) is: the same result as the plain int
    assert np.array_equal(cl.maxpool2d(X, np.array(2)), cl.maxpool2d(X, 2))


def test_zero_dim_float_arrays_are_named():
    # a 0-d float array is not an int: the message must say which argument it is
    with pytest.raises(TypeError, match="size"):
        cl.maxpool2d(X, np.array(2.0))


@pytest.mark.parametrize("pool", [cl.maxpool2d, cl.avgpool2d])
@pytest.mark.parametrize("size, pad", [(2, 2), (2, 3), ((3, 2), (1, 2)), (1, 1)])
def test_pool_pad_must_be_smaller_than_size(pool, size, pad):
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        pool(np.ones((6, 6)), size, pad=pad)


def test_pool_backward_pad_must_be_smaller_than_size():
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        cl.maxpool2d_backward(np.ones((6, 6)), np.ones((4, 4)), 2, pad=2)
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        cl.avgpool2d_backward((6, 6), np.ones((4, 4)), 2, pad=2)
