"""Indicator matrices: H of Eq. (34)-(36) for im2col, S(x) of Eq. (52)-(55) for max pooling."""
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

import cnnlib as cl
import oracles
import sweeps

CONV_CASES = [
    ((3, 4), (2, 2), 1, 0),
    ((5, 7, 3), (2, 3), 1, 0),
    ((5, 4, 2), (3, 2), (2, 1), (1, 2)),
    ((4, 3, 2, 2), 2, 2, 1),
]


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CONV_CASES)
def test_conv_indicator_matches_eq34_definition(x_shape, kernel, stride, pad, rng):
    H = cl.conv_indicator(x_shape, kernel, stride, pad)
    assert sp.issparse(H)
    x4_shape = oracles.as4(np.zeros(x_shape)).shape
    expect = oracles.conv_indicator(x4_shape, *oracles.pairs(kernel, stride, pad))
    assert H.shape == expect.shape
    assert np.array_equal(H.toarray(), expect)
    # Eq. (35): vec(phi(x)) = H vec(x), both sides from the loops (H is made by running im2col,
    # so cl.im2col against cl's H would pass for any copy map): cl.im2col against the loop H
    x = rng.standard_normal(x_shape)
    assert np.allclose(expect @ oracles.vec(x), cl.vec(cl.im2col(x, kernel, stride, pad)),
                       rtol=1e-14)
    assert np.allclose(H @ cl.vec(x), oracles.vec(oracles.im2col(
        oracles.as4(x), *oracles.pairs(kernel, stride, pad))), rtol=1e-14)
    # every row holds at most one 1 (exactly one without padding): t(p, q) is a function
    row_sums = np.asarray(H.sum(axis=1)).ravel()
    assert set(row_sums) <= {0.0, 1.0}
    if oracles.pair(pad) == (0, 0):
        assert np.all(row_sums == 1)


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CONV_CASES)
def test_HT_H_is_the_diagonal_of_coverage_counts(x_shape, kernel, stride, pad):
    # Eq. (57) / erratum E21: H^T H = diag(counts), so H^T is not an inverse of H
    H = cl.conv_indicator(x_shape, kernel, stride, pad)
    x4_shape = oracles.as4(np.zeros(x_shape)).shape
    counts = oracles.coverage_counts(x4_shape, *oracles.pairs(kernel, stride, pad))
    assert np.array_equal((H.T @ H).toarray(), np.diag(oracles.vec(counts)))


def test_conv_indicator_is_the_jacobian_of_im2col(rng):
    # Eq. (36): d vec(phi) / d vec(x)^T = H, probed column by column (phi is linear).  The H
    # compared with is the loop-built one: cnnlib's H is itself made by running im2col.
    x_shape = (3, 4, 2)
    H = oracles.conv_indicator(x_shape + (1,), (2, 3), (1, 1), (1, 0))
    for u in range(24):
        e = oracles.unvec(np.eye(24)[u], x_shape)
        assert np.array_equal(cl.vec(cl.im2col(e, (2, 3), 1, (1, 0))), H[:, u])
    J = cl.numerical_jacobian(lambda x_: cl.im2col(x_, (2, 3), 1, (1, 0)),
                              rng.standard_normal(x_shape))
    assert np.allclose(J, H, atol=1e-9)
    assert np.array_equal(cl.conv_indicator(x_shape, (2, 3), 1, (1, 0)).toarray(), H)


def test_H_transpose_of_phi_gives_counts_times_x(rng):
    x = rng.standard_normal((3, 4))
    H = cl.conv_indicator(x.shape, 2)
    back = cl.unvec(H.T @ cl.vec(cl.im2col(x, 2)), x.shape)
    counts = np.array([[1, 2, 2, 1], [2, 4, 4, 2], [1, 2, 2, 1]])
    assert np.allclose(back, counts * x, rtol=1e-14)
    assert not np.allclose(back, x)


def test_maxpool_indicator_matches_eq52(pool_case, rng):
    x_shape, size, stride, pad = pool_case
    x = oracles.distinct(x_shape, rng)
    S = cl.maxpool_indicator(x, size, stride, pad)
    assert sp.issparse(S)
    expect = oracles.maxpool_indicator(oracles.as4(x), *oracles.pairs(size, stride, pad))
    assert np.array_equal(S.toarray(), expect)
    y = cl.maxpool2d(x, size, stride, pad)
    assert S.shape == (y.size, x.size)
    # Eq. (53): vec(y) = S vec(x); Eq. (55): dz/dvec(x) = S^T dz/dvec(y)
    assert np.array_equal(S @ cl.vec(x), cl.vec(y))
    G = rng.standard_normal(y.shape)
    assert np.allclose(S.T @ cl.vec(G), cl.vec(cl.maxpool2d_backward(x, G, size, stride, pad)),
                       rtol=1e-14)
    assert np.all(np.asarray(S.sum(axis=1)).ravel() == 1)


def test_maxpool_indicator_is_the_jacobian_of_maxpool(pool_case, rng):
    x_shape, size, stride, pad = pool_case
    # Eq. (54), away from ties
    x = oracles.distinct(x_shape, rng)
    J = cl.numerical_jacobian(lambda x_: cl.maxpool2d(x_, size, stride, pad), x)
    assert np.allclose(J, cl.maxpool_indicator(x, size, stride, pad).toarray(), atol=1e-7)


def test_maxpool_indicator_with_ties(pool_case, rng):
    x_shape, size, stride, pad = pool_case
    x = rng.integers(0, 2, size=x_shape).astype(float)
    x4 = oracles.as4(x)
    for ties in ("first", "all"):
        S = cl.maxpool_indicator(x, size, stride, pad, ties=ties)
        assert np.array_equal(S.toarray(), oracles.maxpool_indicator(
            x4, *oracles.pairs(size, stride, pad), ties=ties))
    S = cl.maxpool_indicator(x, size, stride, pad, ties="first")
    assert np.array_equal(S @ cl.vec(x), cl.vec(cl.maxpool2d(x, size, stride, pad)))


def test_ties_all_versus_first_on_the_note_window():
    # erratum E20: window [[1, 1], [0, 0]] has two maximisers
    x = np.array([[1.0, 1.0], [0.0, 0.0]])
    S_all = cl.maxpool_indicator(x, 2, ties="all").toarray()
    S_first = cl.maxpool_indicator(x, 2, ties="first").toarray()
    assert S_all.sum() == 2 and np.array_equal(S_all, [[1, 0, 1, 0]])     # vec: x00 x10 x01 x11
    assert S_first.sum() == 1 and np.array_equal(S_first, [[1, 0, 0, 0]])
    assert (S_all @ cl.vec(x))[0] == 2 != cl.maxpool2d(x, 2)[0, 0]        # literal Eq. 53 fails
    # forward, backward, indicator and unpooling agree on the tie choice
    y, idx = cl.maxpool2d(x, 2, return_indices=True)
    assert idx[0, 0] == 0
    dzdx = cl.maxpool2d_backward(x, np.array([[5.0]]), 2)
    assert np.array_equal(dzdx, [[5, 0], [0, 0]])
    assert np.array_equal(cl.maxunpool2d(np.array([[5.0]]), idx, x.shape), dzdx)
    assert np.array_equal(cl.unvec(S_first.T @ [5.0], x.shape), dzdx)


def test_all_zero_window_after_relu(rng):
    # a window of zeros (common after ReLU): every pooling path picks the same single entry
    x = np.zeros((4, 4, 2))
    x[2:, 2:, 1] = rng.standard_normal((2, 2)) ** 2 + 1
    y, idx = cl.maxpool2d(x, 2, return_indices=True)
    S = cl.maxpool_indicator(x, 2)
    assert np.all(np.asarray(S.sum(axis=1)).ravel() == 1)
    assert np.array_equal(S.toarray().argmax(axis=1), cl.vec(idx))
    assert np.sum(cl.maxpool_indicator(x, 2, ties="all")) == 4 * 7 + 1


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CONV_CASES)
def test_phi_index_is_the_index_map_of_eq34(x_shape, kernel, stride, pad, rng):
    # entry (p, q): the u of the 1 in row p + P q of the loop-built H, -1 for a row of padding
    x4_shape = oracles.as4(np.zeros(x_shape)).shape
    H = oracles.conv_indicator(x4_shape, *oracles.pairs(kernel, stride, pad))
    index = cl.phi_index(x_shape, kernel, stride, pad)
    x = rng.standard_normal(x_shape)
    phi = cl.im2col(x, kernel, stride, pad)
    assert index.dtype == np.int64 and index.shape == phi.shape
    assert np.array_equal(cl.vec(index), np.where(H.any(axis=1), H.argmax(axis=1), -1))
    # phi copies x where the index is u, zero padding where it is -1 (Eq. 18-19)
    assert np.array_equal(phi, np.where(index >= 0, cl.vec(x)[index], 0.0))


def test_phi_index_tells_padding_from_pixel_0():
    # pad 1, 2x2 windows on a 2x2 x: the first window's first three entries are padding,
    # its last is pixel u = 0; numbered from 0 with padding 0 the two would be the same
    index = cl.phi_index((2, 2), 2, pad=1)
    assert list(index[0]) == [-1, -1, -1, 0]
    assert np.count_nonzero(index == 0) == 4                     # 4 windows cover pixel 0
    assert np.count_nonzero(index == -1) == index.size - 4 * 4
    H = cl.conv_indicator((2, 2), 2, pad=1)
    assert H[0].nnz == 0 and H[3 * 9].toarray()[0, 0] == 1       # row r = p + 9 q, q = 3


def test_maxpool_indicator_of_a_large_window_stays_small(peak_mib, rng):
    # ties="all" compared copies of every window (of the values and of their positions):
    # 1.9 GB for a 200 x 200 x with a 100 x 100 window; here 120 x 120 with 60 x 60
    x = np.round(rng.standard_normal((120, 120)), 1)             # ties in many windows
    S, peak = peak_mib(lambda: cl.maxpool_indicator(x, 60, stride=1, ties="all"))
    assert peak < 16
    y = cl.maxpool2d(x, 60, stride=1)
    windows = np.lib.stride_tricks.sliding_window_view(x, (60, 60))
    assert np.array_equal(np.asarray(S.sum(axis=1)).ravel(),
                          cl.vec((windows == y[..., None, None]).sum(axis=(2, 3))))
    r, u = S.nonzero()                           # each 1: a cell of window r equal to its max
    assert np.array_equal(cl.vec(x)[u], cl.vec(y)[r])
    (i_, j_), (il, jl) = (np.unravel_index(r, y.shape, order="F"),
                          np.unravel_index(u, x.shape, order="F"))
    assert np.all((il >= i_) & (il < i_ + 60) & (jl >= j_) & (jl < j_ + 60))


def test_indicators_with_a_huge_stride_or_pad(peak_mib, rng):
    # conv_indicator goes through im2col (OverflowError for a stride beyond C long);
    # maxpool_indicator through maxpool2d
    H, peak = peak_mib(lambda: cl.conv_indicator((2, 3), 2, stride=10 ** 5, pad=10 ** 5))
    assert peak < 1
    assert np.array_equal(H.toarray(), oracles.conv_indicator((2, 3, 1, 1), (2, 2),
                                                              (10 ** 5,) * 2, (10 ** 5,) * 2))
    assert cl.conv_indicator((3, 3), 2, stride=2 ** 70).shape == (4, 9)
    x = rng.standard_normal((3, 3))
    for ties in ("first", "all"):
        S, peak = peak_mib(lambda: cl.maxpool_indicator(x, 10 ** 9, pad=10 ** 9 - 1, ties=ties))
        assert peak < 1 and S.shape == (4, 9)
        assert np.array_equal(S @ cl.vec(x), cl.vec(cl.maxpool2d(x, 10 ** 9, pad=10 ** 9 - 1)))


# ---------------------------------------------------------------- hypothesis: any small window
@given(sweeps.windows(), sweeps.SEEDS)
def test_conv_indicator_reproduces_im2col(case, seed):
    # H is built by running im2col, so H vec(x) == vec(im2col(x)) holds for any copy map:
    # both are compared with the loop-built H of Eq. (34) instead
    shape, kernel, stride, pad = case
    x = sweeps.values(seed, shape)
    H = cl.conv_indicator(shape, kernel, stride, pad)
    H_loops = oracles.conv_indicator(oracles.as4(x).shape, kernel, stride, pad)
    assert np.array_equal(H.toarray(), H_loops)
    assert np.allclose(H_loops @ oracles.vec(x), cl.vec(cl.im2col(x, kernel, stride, pad)),
                       rtol=1e-14)
    counts = oracles.coverage_counts(oracles.as4(x).shape, kernel, stride, pad)
    assert np.array_equal((H.T @ H).diagonal(), oracles.vec(counts))
    assert (H.T @ H).count_nonzero() == np.count_nonzero(counts)


@given(sweeps.windows(pooling=True), st.booleans(), sweeps.SEEDS)
def test_maxpool_indicator_oracle_and_backward(case, ties, seed):
    shape, size, stride, pad = case
    x = sweeps.values(seed, shape, ties)
    y = cl.maxpool2d(x, size, stride, pad)
    S = cl.maxpool_indicator(x, size, stride, pad)
    assert np.array_equal(S @ cl.vec(x), cl.vec(y))
    assert np.array_equal(S.toarray(),
                          oracles.maxpool_indicator(oracles.as4(x), size, stride, pad))
    S_all = cl.maxpool_indicator(x, size, stride, pad, ties="all").toarray()
    assert np.array_equal(S_all, oracles.maxpool_indicator(oracles.as4(x), size, stride, pad,
                                                           ties="all"))
    assert np.all(S_all.sum(axis=1) >= 1) and np.all(S_all >= S.toarray())
    G = np.random.default_rng(seed + 1).standard_normal(y.shape)
    dzdx = cl.maxpool2d_backward(x, G, size, stride, pad)
    assert np.allclose(S.T @ cl.vec(G), cl.vec(dzdx), atol=1e-12)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
X = sweeps.X
GOOD_CALLS = {"conv_indicator": (X.shape, 2), "phi_index": (X.shape, 2),
              "maxpool_indicator": (X, 2)}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)
test_a_bad_stride_or_pad_is_named = sweeps.stride_and_pad_test(GOOD_CALLS)
test_bad_kernel = sweeps.bad_kernel_test("kernel", {
    "conv_indicator": lambda kernel: cl.conv_indicator(X.shape, kernel),
    "phi_index": lambda kernel: cl.phi_index(X.shape, kernel)})
test_window_larger_than_the_padded_input = sweeps.window_too_large_test({
    "conv_indicator": ("kernel", lambda: cl.conv_indicator((3, 4), 5)),
    "phi_index": ("kernel", lambda: cl.phi_index((3, 4), 5)),
    "maxpool_indicator": ("size", lambda: cl.maxpool_indicator(np.ones((3, 4)), 5))})
test_wrong_rank_of_x = sweeps.wrong_rank_test("x", {
    "maxpool_indicator": lambda x: cl.maxpool_indicator(x, 2)})
test_wrong_rank_of_x_shape = sweeps.wrong_rank_test("x_shape", {
    "conv_indicator": lambda x_shape: cl.conv_indicator(x_shape, 2),
    "phi_index": lambda x_shape: cl.phi_index(x_shape, 2)})


@pytest.mark.parametrize("size, pad", [(2, 2), (2, 3), ((3, 2), (1, 2)), (1, 1)])
def test_pool_pad_must_be_smaller_than_size(size, pad):
    with pytest.raises(ValueError, match=r"pad .* smaller than the window size"):
        cl.maxpool_indicator(np.ones((6, 6)), size, pad=pad)


def test_maxpool_indicator_rejects_unknown_ties():
    with pytest.raises(ValueError, match=r"ties must be 'first' or 'all', got 'any'"):
        cl.maxpool_indicator(np.ones((2, 2)), 2, ties="any")
