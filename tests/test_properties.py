"""Property tests: hypothesis draws shapes, kernels, strides and paddings, small ones."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnlib as cl
import oracles

FAST = settings(max_examples=40, deadline=None)


@st.composite
def windows(draw, pooling=False, max_side=6):
    """(x shape, kernel, stride, pad) with a valid window; x is 2-D, 3-D or 4-D."""
    ndim = draw(st.sampled_from([2, 3, 4]))
    h, w = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    shape = (h, w) + tuple(draw(st.integers(1, 3)) for _ in range(ndim - 2))
    pad = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    lo = [p + 1 if pooling else 1 for p in pad]          # pooling: pad < size
    kernel = (draw(st.integers(lo[0], max(lo[0], h + 2 * pad[0]))),
              draw(st.integers(lo[1], max(lo[1], w + 2 * pad[1]))))
    if kernel[0] > h + 2 * pad[0] or kernel[1] > w + 2 * pad[1]:
        pad = (0, 0)
        kernel = (draw(st.integers(1, h)), draw(st.integers(1, w)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return shape, kernel, stride, pad


def _values(seed, shape, ties=False):
    rng = np.random.default_rng(seed)
    return rng.integers(-2, 3, size=shape).astype(float) if ties else rng.standard_normal(shape)


@FAST
@given(windows(), st.integers(0, 2 ** 32 - 1))
def test_im2col_shape_and_oracle(case, seed):
    shape, kernel, stride, pad = case
    x = _values(seed, shape)
    phi = cl.im2col(x, kernel, stride, pad)
    h_out, w_out = cl.conv_output_shape(shape, kernel, stride, pad)
    n = shape[3] if len(shape) == 4 else 1
    d = shape[2] if len(shape) >= 3 else 1
    assert (h_out, w_out) == tuple((shape[a] + 2 * pad[a] - kernel[a]) // stride[a] + 1
                                   for a in range(2))
    assert phi.shape == (h_out * w_out * n, kernel[0] * kernel[1] * d)
    assert np.array_equal(phi, oracles.im2col(oracles.as4(x), kernel, stride, pad))


@FAST
@given(windows(), st.integers(0, 2 ** 32 - 1))
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


def _layer(shape, kernel, d_out, seed):
    """A seeded generator, an input x of ``shape`` and filters matching its channels."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    d_in = shape[2] if len(shape) >= 3 else 1
    return rng, x, rng.standard_normal(kernel + (d_in, d_out))


@FAST
@given(windows(), st.integers(1, 3), st.integers(0, 2 ** 32 - 1))
def test_conv2d_output_size_and_oracle(case, d_out, seed):
    shape, kernel, stride, pad = case
    rng, x, f = _layer(shape, kernel, d_out, seed)
    b = rng.standard_normal(d_out)
    y = cl.conv2d(x, f, b, stride, pad)
    h_out = (shape[0] + 2 * pad[0] - kernel[0]) // stride[0] + 1
    w_out = (shape[1] + 2 * pad[1] - kernel[1]) // stride[1] + 1
    assert y.shape[:2] == (h_out, w_out)
    expect = oracles.conv(oracles.as4(x), f, b, stride, pad)
    assert np.allclose(y.reshape(expect.shape), expect, rtol=1e-10, atol=1e-10)


@FAST
@given(windows(max_side=5), st.integers(1, 3), st.integers(0, 2 ** 32 - 1))
def test_conv2d_backward_oracle(case, d_out, seed):
    shape, kernel, stride, pad = case
    rng, x, f = _layer(shape, kernel, d_out, seed)
    G = rng.standard_normal(cl.conv2d(x, f, None, stride, pad).shape)
    dzdx, dzdf, dzdb = cl.conv2d_backward(x, f, G, stride, pad)
    y4 = oracles.conv(oracles.as4(x), f, None, stride, pad).shape
    ex, ef, eb = oracles.conv_backward(oracles.as4(x), f, G.reshape(y4), stride, pad)
    assert np.allclose(dzdx, ex.reshape(shape), atol=1e-10)
    assert np.allclose(dzdf, ef, atol=1e-10)
    assert np.allclose(dzdb, eb, atol=1e-10)


@FAST
@given(windows(), st.integers(1, 3), st.integers(0, 2 ** 32 - 1))
def test_deconv2d_is_the_adjoint(case, d_out, seed):
    shape, kernel, stride, pad = case
    rng, x, f = _layer(shape, kernel, d_out, seed)
    y = rng.standard_normal(cl.conv2d(x, f, None, stride, pad).shape)
    back = cl.deconv2d(y, f, stride, pad, out_size=shape[:2])
    assert back.size == x.size
    assert np.isclose(np.sum(cl.conv2d(x, f, None, stride, pad) * y),
                      np.sum(x * back.reshape(shape)), rtol=1e-10, atol=1e-10)


@FAST
@given(windows(), st.integers(0, 2 ** 32 - 1))
def test_conv_indicator_reproduces_im2col(case, seed):
    # H is built by running im2col, so H vec(x) == vec(im2col(x)) holds for any copy map:
    # both are compared with the loop-built H of Eq. (34) instead
    shape, kernel, stride, pad = case
    x = _values(seed, shape)
    H = cl.conv_indicator(shape, kernel, stride, pad)
    H_loops = oracles.conv_indicator(oracles.as4(x).shape, kernel, stride, pad)
    assert np.array_equal(H.toarray(), H_loops)
    assert np.allclose(H_loops @ oracles.vec(x), cl.vec(cl.im2col(x, kernel, stride, pad)),
                       rtol=1e-14)
    counts = oracles.coverage_counts(oracles.as4(x).shape, kernel, stride, pad)
    assert np.array_equal((H.T @ H).diagonal(), oracles.vec(counts))
    assert (H.T @ H).count_nonzero() == np.count_nonzero(counts)


@FAST
@given(windows(pooling=True), st.booleans(), st.integers(0, 2 ** 32 - 1))
def test_maxpool_oracle_indicator_and_unpool(case, ties, seed):
    shape, size, stride, pad = case
    x = _values(seed, shape, ties)
    y, idx = cl.maxpool2d(x, size, stride, pad, return_indices=True)
    ey, eidx = oracles.maxpool(oracles.as4(x), size, stride, pad)
    assert np.array_equal(y.reshape(ey.shape), ey)
    assert np.array_equal(idx.reshape(eidx.shape), eidx)
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
    assert np.allclose(cl.maxunpool2d(G, idx, x.shape), dzdx, atol=1e-12)
    assert np.allclose(dzdx, oracles.maxpool_backward(oracles.as4(x), G.reshape(ey.shape),
                                                      size, stride, pad).reshape(shape))


@FAST
@given(windows(pooling=True), st.integers(0, 2 ** 32 - 1))
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


@FAST
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3),
       st.integers(1, 3), st.integers(0, 2 ** 32 - 1))
def test_avgpool_of_avgunpool_is_identity(h_out, w_out, kh, kw, d, seed):
    y = np.random.default_rng(seed).standard_normal((h_out, w_out, d))
    x = cl.avgunpool2d(y, (kh, kw))
    assert x.shape == (h_out * kh, w_out * kw, d)
    assert np.allclose(cl.avgpool2d(x, (kh, kw)), y, rtol=1e-12, atol=1e-15)


@FAST
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(0, 2 ** 32 - 1))
def test_vec_unvec_round_trip(shape, seed):
    shape = tuple(shape)
    a = np.random.default_rng(seed).standard_normal(shape)
    assert np.array_equal(cl.vec(a), oracles.vec(a))
    assert np.array_equal(cl.unvec(cl.vec(a), shape), a)
