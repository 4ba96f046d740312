"""im2col = phi(x) (Eq. 14-19) and col2im, its adjoint (Eq. 45), against loop oracles."""
import numpy as np
import pytest
from hypothesis import given

import cnnlib as cl
import oracles
import sweeps

# (x shape, kernel, stride, pad): non-square everywhere, 2-D, 3-D and batched 4-D
CASES = [
    ((5, 7), (2, 3), (1, 1), (0, 0)),
    ((5, 7), 3, 2, 1),
    ((6, 5, 3), (3, 2), (2, 1), (1, 0)),
    ((4, 6, 2), (2, 2), (1, 3), (0, 2)),
    ((5, 4, 2, 3), (2, 3), (2, 2), (1, 1)),
    ((3, 4, 1, 2), (3, 1), (1, 2), (0, 1)),
    ((7, 3, 2), (1, 1), (3, 2), (0, 0)),
    ((4, 4, 2, 2), (4, 4), 1, 0),
]


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CASES)
def test_im2col_matches_loop_oracle(x_shape, kernel, stride, pad, rng):
    x = rng.standard_normal(x_shape)
    k, s, p = oracles.pairs(kernel, stride, pad)
    phi = cl.im2col(x, kernel, stride=stride, pad=pad)
    expect = oracles.im2col(oracles.as4(x), k, s, p)
    assert phi.shape == expect.shape
    assert np.array_equal(phi, expect)         # a copy: exact


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CASES)
def test_col2im_matches_loop_oracle(x_shape, kernel, stride, pad, rng):
    k, s, p = oracles.pairs(kernel, stride, pad)
    x4_shape = oracles.as4(np.zeros(x_shape)).shape
    rows = oracles.im2col(np.zeros(x4_shape), k, s, p).shape
    M = rng.standard_normal(rows)
    got = cl.col2im(M, x_shape, kernel, stride=stride, pad=pad)
    assert got.shape == x_shape
    assert np.allclose(got.reshape(x4_shape), oracles.col2im(M, x4_shape, k, s, p),
                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CASES)
def test_col2im_is_the_adjoint_of_im2col(x_shape, kernel, stride, pad, rng):
    # <phi(x), M> == <x, col2im(M)>
    x = rng.standard_normal(x_shape)
    phi = cl.im2col(x, kernel, stride=stride, pad=pad)
    M = rng.standard_normal(phi.shape)
    lhs = np.sum(phi * M)
    rhs = np.sum(x * cl.col2im(M, x_shape, kernel, stride=stride, pad=pad))
    assert np.isclose(lhs, rhs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CASES)
def test_col2im_of_im2col_is_counts_times_x(x_shape, kernel, stride, pad, rng):
    # erratum E21: col2im does not undo im2col, it multiplies by the coverage counts
    k, s, p = oracles.pairs(kernel, stride, pad)
    x = rng.standard_normal(x_shape)
    back = cl.col2im(cl.im2col(x, kernel, stride=stride, pad=pad), x_shape, kernel,
                     stride=stride, pad=pad)
    counts = oracles.coverage_counts(oracles.as4(x).shape, k, s, p)
    assert np.allclose(back.reshape(counts.shape), counts * oracles.as4(x), rtol=1e-12)


@pytest.mark.parametrize("x_shape, kernel, stride, pad", CASES)
def test_conv_output_shape_formula(x_shape, kernel, stride, pad):
    k, s, p = oracles.pairs(kernel, stride, pad)
    expect = tuple(oracles.out_side(x_shape[a], k[a], s[a], p[a]) for a in range(2))
    assert cl.conv_output_shape(x_shape, kernel, stride, pad) == expect
    n = x_shape[3] if len(x_shape) == 4 else 1
    d = x_shape[2] if len(x_shape) >= 3 else 1
    assert cl.im2col(np.zeros(x_shape), kernel, stride, pad).shape == \
        (expect[0] * expect[1] * n, k[0] * k[1] * d)


def test_im2col_rows_p_and_columns_q_follow_eq16_eq17(rng):
    # phi[p, q] == x[i' + i, j' + j, d] with p = i' + H' j', q = i + kh j + kh kw d (Eq. 16-19)
    x = rng.standard_normal((5, 7, 3))
    kh, kw = 2, 3
    phi = cl.im2col(x, (kh, kw))
    h_out, w_out = 4, 5
    assert phi.shape == (h_out * w_out, kh * kw * 3)
    for p in range(phi.shape[0]):
        i_, j_ = p % h_out, p // h_out                  # Eq. (16) inverted
        for q in range(phi.shape[1]):
            d, rest = q // (kh * kw), q % (kh * kw)      # Eq. (17) inverted
            i, j = rest % kh, rest // kh
            assert phi[p, q] == x[i_ + i, j_ + j, d]     # Eq. (18)-(19)


def test_im2col_batch_rows_follow_image_order(rng):
    # image n's H'W' rows follow those of image n-1
    x = rng.standard_normal((4, 5, 2, 3))
    phi = cl.im2col(x, (2, 3), stride=(1, 2), pad=1)
    per_image = [cl.im2col(x[..., n], (2, 3), stride=(1, 2), pad=1) for n in range(3)]
    assert np.array_equal(phi, np.vstack(per_image))


def test_im2col_of_2d_equals_im2col_of_one_channel(rng):
    x = rng.standard_normal((5, 6))
    assert np.array_equal(cl.im2col(x, 2, pad=1), cl.im2col(x[:, :, None], 2, pad=1))
    assert np.array_equal(cl.im2col(x, 2), cl.im2col(x[:, :, None, None], 2))


def test_im2col_pad_is_zero_padding(rng):
    x = rng.standard_normal((3, 4, 2))
    xp = np.zeros((5, 8, 2))
    xp[1:4, 2:6] = x
    assert np.array_equal(cl.im2col(x, (2, 3), stride=(2, 1), pad=(1, 2)),
                          cl.im2col(xp, (2, 3), stride=(2, 1)))


@pytest.mark.parametrize("dtype, out", [(np.float32, np.float32), (np.float64, np.float64),
                                        (np.int64, np.float64), (np.int32, np.float64),
                                        (np.uint8, np.float64), (np.bool_, np.float64)])
def test_im2col_col2im_dtypes(dtype, out):
    x = (np.arange(24).reshape(3, 4, 2) % 5).astype(dtype)
    phi = cl.im2col(x, 2, pad=1)
    assert phi.dtype == out
    assert np.array_equal(phi, oracles.im2col(oracles.as4(x), (2, 2), (1, 1), (1, 1)))
    back = cl.col2im(phi.astype(dtype) if dtype != np.bool_ else phi, x.shape, 2, pad=1)
    assert back.dtype == out


def test_im2col_of_float32_matches_float64(rng):
    x = rng.standard_normal((5, 6, 2, 2)).astype(np.float32)
    phi32 = cl.im2col(x, (3, 2), stride=2, pad=1)
    assert phi32.dtype == np.float32
    assert np.array_equal(phi32, cl.im2col(x.astype(np.float64), (3, 2), stride=2, pad=1))


@pytest.mark.parametrize("x_shape, kernel", [((4, 4), 1), ((4, 5, 3), 1), ((4, 5, 2), 2),
                                            ((4, 5, 1, 2), 1)])
def test_im2col_returns_a_fresh_writeable_array(x_shape, kernel, rng):
    # the docstring promises "a fresh array": writing into phi must work and leave x alone
    x = rng.standard_normal(x_shape)
    keep = x.copy()
    phi = cl.im2col(x, kernel)
    assert phi.flags.writeable
    phi[:] = 0
    assert np.array_equal(x, keep)
    assert np.array_equal(cl.im2col(x, kernel), oracles.im2col(oracles.as4(x), (kernel,) * 2))


def test_im2col_accepts_non_contiguous_input(rng):
    x = rng.standard_normal((8, 10, 3))[::2, ::-1, 1:]
    assert np.array_equal(cl.im2col(x, (2, 3), stride=(1, 2)),
                          oracles.im2col(oracles.as4(x), (2, 3), (1, 2), (0, 0)))


@pytest.mark.parametrize("stride, pad", [(10 ** 5, 10 ** 5), ((2 ** 60, 2 ** 70), (2, 2 ** 69)),
                                         (2 ** 70, 0)])
def test_im2col_col2im_with_a_huge_stride_or_pad_stay_small(stride, pad, peak_mib, rng):
    # memory follows x and phi: the zero padding (298 GiB for stride = pad = 10**5) and the
    # gaps between windows are not stored; strides beyond C long were an OverflowError
    x = rng.standard_normal((2, 3, 2))
    k, s, p = oracles.pairs(2, stride, pad)
    phi, peak = peak_mib(lambda: cl.im2col(x, 2, stride=stride, pad=pad))
    assert peak < 1
    assert np.array_equal(phi, oracles.im2col(oracles.as4(x), k, s, p))
    M = rng.standard_normal(phi.shape)
    back, peak = peak_mib(lambda: cl.col2im(M, x.shape, 2, stride=stride, pad=pad))
    assert peak < 1
    assert np.allclose(back, oracles.col2im(M, oracles.as4(x).shape, k, s, p)[..., 0])


def test_a_kernel_no_array_can_hold_is_named():
    # the padded x would have 2**80 cells: numpy said "array is too big", naming nothing
    with pytest.raises(ValueError, match=r"kernel \(1099511627776, 1099511627776\), stride "
                                         r"\(1, 1\), pad \(549755813888, 549755813888\): the "
                                         r"padded x .* more than an array can hold"):
        cl.im2col(np.ones((1, 1)), 2 ** 40, pad=2 ** 39)
    with pytest.raises(ValueError, match=r"x_shape \(1099511627776, 1099511627776\): .* more "
                                         r"than an array can hold"):
        cl.col2im(np.ones((1, 1)), (2 ** 40, 2 ** 40), 2 ** 40)


# ---------------------------------------------------------------- hypothesis: any small window
@given(sweeps.windows(), sweeps.SEEDS)
def test_im2col_shape_and_oracle(case, seed):
    shape, kernel, stride, pad = case
    x = sweeps.values(seed, shape)
    phi = cl.im2col(x, kernel, stride, pad)
    h_out, w_out = cl.conv_output_shape(shape, kernel, stride, pad)
    n = shape[3] if len(shape) == 4 else 1
    d = shape[2] if len(shape) >= 3 else 1
    assert (h_out, w_out) == tuple((shape[a] + 2 * pad[a] - kernel[a]) // stride[a] + 1
                                   for a in range(2))
    assert phi.shape == (h_out * w_out * n, kernel[0] * kernel[1] * d)
    assert np.array_equal(phi, oracles.im2col(oracles.as4(x), kernel, stride, pad))


@given(sweeps.windows(), sweeps.SEEDS)
def test_col2im_is_the_adjoint(case, seed):
    shape, kernel, stride, pad = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    phi = cl.im2col(x, kernel, stride, pad)
    M = rng.standard_normal(phi.shape)
    back = cl.col2im(M, shape, kernel, stride, pad)
    assert back.shape == shape
    assert np.isclose(np.sum(phi * M), np.sum(x * back), rtol=1e-10, atol=1e-10)
    assert np.allclose(back.reshape(oracles.as4(x).shape),
                       oracles.col2im(M, oracles.as4(x).shape, kernel, stride, pad), atol=1e-12)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
X = sweeps.X
GOOD_CALLS = {"im2col": (X, 2), "col2im": (np.ones((12, 8)), X.shape, 2),
              "conv_output_shape": (X.shape, 2)}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS)
test_a_bad_stride_or_pad_is_named = sweeps.stride_and_pad_test(GOOD_CALLS)
test_bad_kernel = sweeps.bad_kernel_test("kernel", {
    "im2col": lambda kernel: cl.im2col(X, kernel),
    "col2im": lambda kernel: cl.col2im(np.ones((12, 8)), X.shape, kernel)})
test_window_larger_than_the_padded_input = sweeps.window_too_large_test({
    "im2col": ("kernel", lambda: cl.im2col(np.ones((3, 4)), 5)),
    "im2col-kw": ("kernel", lambda: cl.im2col(np.ones((3, 4)), (2, 5))),
    "col2im": ("kernel", lambda: cl.col2im(np.ones((1, 25)), (3, 4), 5)),
    "conv_output_shape": ("kernel", lambda: cl.conv_output_shape((3, 4), 5))})
test_wrong_rank_of_x = sweeps.wrong_rank_test("x", {"im2col": lambda x: cl.im2col(x, 2)})
test_wrong_rank_of_x_shape = sweeps.wrong_rank_test("x_shape", {
    "col2im": lambda x_shape: cl.col2im(np.ones((1, 4)), x_shape, 2),
    "conv_output_shape": lambda x_shape: cl.conv_output_shape(x_shape, 2)})
test_non_real_input_is_a_type_error = sweeps.non_real_test({"im2col": lambda x: cl.im2col(x, 2)})


def test_zero_dim_integer_arrays_act_as_ints():
    # np.array(2) is an integer as much as np.int64(2) is: the same result as the plain int
    assert np.array_equal(cl.im2col(X, 2, stride=np.array(1)), cl.im2col(X, 2, stride=1))
    assert np.array_equal(cl.im2col(X, np.array(2)), cl.im2col(X, 2))


def test_zero_dim_float_arrays_are_named():
    # a 0-d float array is not an int: the message must say which argument it is
    with pytest.raises(TypeError, match="stride"):
        cl.im2col(X, 2, stride=np.array(1.5))
    with pytest.raises(TypeError, match="kernel"):
        cl.im2col(X, np.array(2.0))


def test_col2im_phi_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"phi has shape \(12, 9\).*x_shape \(4, 5, 2\).*"
                                         r"needs \(12, 8\)"):
        cl.col2im(np.ones((12, 9)), X.shape, 2)
    with pytest.raises(ValueError, match=r"phi has shape \(8, 12\)"):
        cl.col2im(np.ones((8, 12)), X.shape, 2)
