"""Naive oracles: every layer written straight from its equation with plain Python loops.

Nothing here calls cnnlib.  Each oracle works on the canonical 4-D layout (H, W, D, N)
(and filters (kh, kw, D_in, D_out)); the tests reshape to and from the 2-D / 3-D forms
themselves, so that the shape convention is checked separately from the arithmetic.
Indices are zero-based, vec is column-major (first index fastest), as in the note.
"""
import math

import numpy as np


def as4(x):
    """(H, W) -> (H, W, 1, 1), (H, W, D) -> (H, W, D, 1), by plain indexing; filters alike:
    (kh, kw) -> (kh, kw, 1, 1), (kh, kw, D_in) -> (kh, kw, D_in, 1)."""
    x = np.asarray(x, dtype=np.float64)
    while x.ndim < 4:
        x = x[..., None]
    return x


def pair(v):
    """A kernel, size, stride or pad as a test writes it (an int, a pair or None) -> an
    (h, w) tuple; None (pooling's stride = size) stays None."""
    return None if v is None else (v, v) if isinstance(v, int) else tuple(v)


def pairs(*values):
    """pair() of each value: pairs(kernel, stride, pad) -> three (h, w) tuples."""
    return tuple(pair(v) for v in values)


def out_side(n, k, s, p):
    """floor((n + 2 p - k) / s) + 1, written with math.floor on a real division."""
    return math.floor((n + 2 * p - k) / s) + 1


def flat_f(index, shape):
    """Column-major flat position of ``index`` in ``shape``: i0 + n0 (i1 + n1 (i2 + ...))."""
    u, scale = 0, 1
    for i, n in zip(index, shape):
        u += i * scale
        scale *= n
    return u


def vec(a):
    """vec(a) of Eq. (1): entry a[index] goes to flat_f(index, a.shape)."""
    a = np.asarray(a)
    v = np.zeros(a.size, dtype=np.float64)
    for index in np.ndindex(*a.shape):
        v[flat_f(index, a.shape)] = a[index]
    return v


def _x_at(x4, il, jl, d, n):
    """x[il, jl, d, n], or 0 for a position in the zero padding."""
    h, w = x4.shape[:2]
    if 0 <= il < h and 0 <= jl < w:
        return x4[il, jl, d, n]
    return 0.0


def conv(x4, f4, b=None, stride=(1, 1), pad=(0, 0)):
    """Eq. (12) corrected (E6), with stride s and zero padding:
    y[i', j', d, n] = sum_{i, j, dl} f[i, j, dl, d] x[s i' + i - pad, s j' + j - pad, dl, n]
                      + b[d].
    """
    h, w, d_in, n_img = x4.shape
    kh, kw, _, d_out = f4.shape
    (sh, sw), (ph, pw) = stride, pad
    h_out, w_out = out_side(h, kh, sh, ph), out_side(w, kw, sw, pw)
    y = np.zeros((h_out, w_out, d_out, n_img))
    for i_, j_, d, n in np.ndindex(h_out, w_out, d_out, n_img):
        total = 0.0 if b is None else float(b[d])
        for i in range(kh):
            for j in range(kw):
                for dl in range(d_in):
                    total += f4[i, j, dl, d] * _x_at(x4, sh * i_ + i - ph, sw * j_ + j - pw, dl, n)
        y[i_, j_, d, n] = total
    return y


def im2col(x4, kernel, stride=(1, 1), pad=(0, 0)):
    """phi(x) of Eq. (14)-(19): row p = i' + H' j' + H' W' n, column q = i + kh j + kh kw d,
    phi[p, q] = x[s i' + i - pad, s j' + j - pad, d, n] (zero in the padding)."""
    h, w, d_in, n_img = x4.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, pad
    h_out, w_out = out_side(h, kh, sh, ph), out_side(w, kw, sw, pw)
    phi = np.zeros((h_out * w_out * n_img, kh * kw * d_in))
    for i_, j_, n in np.ndindex(h_out, w_out, n_img):
        p = i_ + h_out * j_ + h_out * w_out * n
        for i, j, d in np.ndindex(kh, kw, d_in):
            q = i + kh * j + kh * kw * d
            phi[p, q] = _x_at(x4, sh * i_ + i - ph, sw * j_ + j - pw, d, n)
    return phi


def col2im(phi, x4_shape, kernel, stride=(1, 1), pad=(0, 0)):
    """Eq. (45): entry (il, jl, d, n) collects phi[p, q] over every (p, q) that copies it."""
    h, w, d_in, n_img = x4_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, pad
    h_out, w_out = out_side(h, kh, sh, ph), out_side(w, kw, sw, pw)
    x = np.zeros(x4_shape)
    for i_, j_, n in np.ndindex(h_out, w_out, n_img):
        p = i_ + h_out * j_ + h_out * w_out * n
        for i, j, d in np.ndindex(kh, kw, d_in):
            il, jl = sh * i_ + i - ph, sw * j_ + j - pw
            if 0 <= il < h and 0 <= jl < w:
                x[il, jl, d, n] += phi[p, i + kh * j + kh * kw * d]
    return x


def conv_indicator(x4_shape, kernel, stride=(1, 1), pad=(0, 0)):
    """Dense H of Eq. (34): H[p + P q, u] = 1 iff phi[p, q] copies x entry u (P = H' W' N)."""
    h, w, d_in, n_img = x4_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, pad
    h_out, w_out = out_side(h, kh, sh, ph), out_side(w, kw, sw, pw)
    P, Q = h_out * w_out * n_img, kh * kw * d_in
    H = np.zeros((P * Q, h * w * d_in * n_img))
    for i_, j_, n in np.ndindex(h_out, w_out, n_img):
        p = i_ + h_out * j_ + h_out * w_out * n
        for i, j, d in np.ndindex(kh, kw, d_in):
            il, jl = sh * i_ + i - ph, sw * j_ + j - pw
            if 0 <= il < h and 0 <= jl < w:
                H[p + P * (i + kh * j + kh * kw * d), flat_f((il, jl, d, n), x4_shape)] = 1
    return H


def _window(x4, i_, j_, d, n, size, stride, pad):
    """The real (non-padding) entries of one pooling window, in offset order o = i + kh j:
    a list of (value, flat column-major index into x)."""
    h, w = x4.shape[:2]
    (kh, kw), (sh, sw), (ph, pw) = size, stride, pad
    cells = []
    for j in range(kw):                 # o = i + kh j: i runs fastest
        for i in range(kh):
            il, jl = sh * i_ + i - ph, sw * j_ + j - pw
            if 0 <= il < h and 0 <= jl < w:
                cells.append((x4[il, jl, d, n], flat_f((il, jl, d, n), x4.shape)))
    return cells


def _larger(value, best):
    """value > best, with NaN larger than every number (as np.max) and NaNs equal."""
    if math.isnan(value):
        return not math.isnan(best)
    return not math.isnan(best) and value > best


def maxpool(x4, size, stride=None, pad=(0, 0)):
    """Eq. (47) / (51): y = the window's maximum; idx = the flat column-major index in x of
    the FIRST maximum in offset order o = i + kh j.  Padding never wins; a NaN is larger
    than every number (the window's first NaN is its maximum)."""
    stride = size if stride is None else stride
    h, w, d_in, n_img = x4.shape
    h_out, w_out = out_side(h, size[0], stride[0], pad[0]), out_side(w, size[1], stride[1], pad[1])
    y = np.zeros((h_out, w_out, d_in, n_img))
    idx = np.zeros((h_out, w_out, d_in, n_img), dtype=np.int64)
    for i_, j_, d, n in np.ndindex(*y.shape):
        best, where = None, None
        for value, u in _window(x4, i_, j_, d, n, size, stride, pad):
            if best is None or _larger(value, best):   # strict: the first maximum stays
                best, where = value, u
        y[i_, j_, d, n], idx[i_, j_, d, n] = best, where
    return y, idx


def maxpool_indicator(x4, size, stride=None, pad=(0, 0), ties="first"):
    """Dense S(x) of Eq. (52): row i' + H' j' + H' W' d + H' W' D n, a 1 at the window's
    first maximum (ties="first") or at every maximiser (ties="all", the literal Eq. 49-51)."""
    stride = size if stride is None else stride
    y, idx = maxpool(x4, size, stride, pad)
    S = np.zeros((y.size, x4.size))
    for index in np.ndindex(*y.shape):
        r = flat_f(index, y.shape)
        if ties == "first":
            S[r, idx[index]] = 1
        else:
            for value, u in _window(x4, *index, size, stride, pad):
                if value == y[index] or (math.isnan(value) and math.isnan(y[index])):
                    S[r, u] = 1
    return S


def maxpool_backward(x4, dzdy4, size, stride=None, pad=(0, 0)):
    """Eq. (55): every dz/dy entry added to its window's first maximum."""
    _, idx = maxpool(x4, size, stride, pad)
    dzdx = np.zeros(x4.size)
    for index in np.ndindex(*dzdy4.shape):
        dzdx[idx[index]] += dzdy4[index]
    return unvec(dzdx, x4.shape)


def avgpool(x4, size, stride=None, pad=(0, 0)):
    """Eq. (48): y = (1 / kh kw) * sum over the window; padding counts as zeros."""
    stride = size if stride is None else stride
    h, w, d_in, n_img = x4.shape
    h_out, w_out = out_side(h, size[0], stride[0], pad[0]), out_side(w, size[1], stride[1], pad[1])
    y = np.zeros((h_out, w_out, d_in, n_img))
    for i_, j_, d, n in np.ndindex(*y.shape):
        y[i_, j_, d, n] = sum(v for v, _ in _window(x4, i_, j_, d, n, size, stride, pad)) \
            / (size[0] * size[1])
    return y


def avgpool_backward(x4_shape, dzdy4, size, stride=None, pad=(0, 0)):
    """The transpose of Eq. (48): each dz/dy entry spread as dzdy / (kh kw) over its window."""
    stride = size if stride is None else stride
    dzdx = np.zeros(int(np.prod(x4_shape)))
    zeros = np.zeros(x4_shape)
    for i_, j_, d, n in np.ndindex(*dzdy4.shape):
        for _, u in _window(zeros, i_, j_, d, n, size, stride, pad):
            dzdx[u] += dzdy4[i_, j_, d, n] / (size[0] * size[1])
    return unvec(dzdx, x4_shape)


def avgunpool(y4_shape, y, size, stride=None, pad=(0, 0), x4_shape=None):
    """Average unpooling by loops: y[i', j', d, n] copied into every real cell of its window
    (i^l = s i' + i - pad), values of overlapping windows added (E22: kh kw A^T vec(y))."""
    stride = size if stride is None else stride
    y = np.asarray(y, dtype=np.float64).reshape(y4_shape)
    x = np.zeros(x4_shape)
    h, w = x4_shape[:2]
    for i_, j_, d, n in np.ndindex(*y4_shape):
        for i, j in np.ndindex(*size):
            il, jl = stride[0] * i_ + i - pad[0], stride[1] * j_ + j - pad[1]
            if 0 <= il < h and 0 <= jl < w:
                x[il, jl, d, n] += y[i_, j_, d, n]
    return x


def unvec(v, shape):
    """Inverse of :func:`vec`, by loops."""
    a = np.zeros(shape)
    for index in np.ndindex(*shape):
        a[index] = v[flat_f(index, shape)]
    return a


def relu(x):
    """Eq. (58): max{0, x} entry by entry."""
    x = np.asarray(x, dtype=np.float64)
    y = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        y[index] = x[index] if x[index] > 0 else 0.0
    return y


def relu_backward(x, dzdy):
    """Eq. (60): dz/dy where x > 0, else 0."""
    dzdx = np.zeros(np.shape(x))
    for index in np.ndindex(*np.shape(x)):
        dzdx[index] = dzdy[index] if x[index] > 0 else 0.0
    return dzdx


def squared_loss(x, t):
    """Eq. (6): z = sum (t - x)^2, no 1/2."""
    return sum((float(t[i]) - float(x[i])) ** 2 for i in np.ndindex(*np.shape(x)))


def softmax_log_loss(X, labels):
    """Mean over the N columns of X (C, N) of -log(exp(X[label, n]) / sum_c exp(X[c, n]))."""
    C, N = X.shape
    total = 0.0
    for n in range(N):
        m = max(X[c, n] for c in range(C))
        log_sum = m + math.log(sum(math.exp(X[c, n] - m) for c in range(C)))
        total += log_sum - X[labels[n], n]
    return total / N


def coverage_counts(shape, kernel, stride=(1, 1), pad=(0, 0)):
    """How many windows copy each entry of x (the diagonal of H^T H), by loops."""
    h, w, d_in, n_img = shape
    counts = np.zeros(shape)
    for i_, j_ in np.ndindex(out_side(h, kernel[0], stride[0], pad[0]),
                             out_side(w, kernel[1], stride[1], pad[1])):
        for i, j in np.ndindex(*kernel):
            il, jl = stride[0] * i_ + i - pad[0], stride[1] * j_ + j - pad[1]
            if 0 <= il < h and 0 <= jl < w:
                counts[il, jl] += 1
    return counts


def distinct(shape, rng, scale=0.1):
    """A tensor of all-different values (a permutation of 0..size-1, times ``scale``, shifted
    to straddle 0): no ties for max pooling, no zero for ReLU."""
    size = int(np.prod(shape))
    return (rng.permutation(size) - size // 2 + 0.5).reshape(shape) * scale


def conv_backward(x4, f4, dzdy4, stride=(1, 1), pad=(0, 0)):
    """Derivatives of z = sum(dzdy * y) for y of Eq. (12), by differentiating the sum term by term:
    every product f[i, j, dl, d] x[s i' + i - pad, s j' + j - pad, dl, n] sends dzdy[i', j', d, n]
    times x to dzdf and times f to dzdx (Eq. 33 and 45 without any matrix)."""
    h, w, d_in, n_img = x4.shape
    kh, kw, _, d_out = f4.shape
    (sh, sw), (ph, pw) = stride, pad
    dzdx, dzdf, dzdb = np.zeros(x4.shape), np.zeros(f4.shape), np.zeros(d_out)
    for i_, j_, d, n in np.ndindex(*dzdy4.shape):
        g = dzdy4[i_, j_, d, n]
        dzdb[d] += g
        for i, j, dl in np.ndindex(kh, kw, d_in):
            il, jl = sh * i_ + i - ph, sw * j_ + j - pw
            if 0 <= il < h and 0 <= jl < w:
                dzdf[i, j, dl, d] += g * x4[il, jl, dl, n]
                dzdx[il, jl, dl, n] += g * f4[i, j, dl, d]
    return dzdx, dzdf, dzdb
