"""A learner's versions of the functions ``cl.check`` checks, written afresh with loops.

Nothing here calls cnnlib (nor its catalogue of mistakes).  Each function takes the arguments
of cnnlib's function of the same name (x as (H, W, D) or (H, W, D, N); kernel, stride, pad
as an int or an (h, w) pair) and, with ``mistake=None``, computes it from the note's
equations.  ``mistake`` names one way of getting it wrong; it is written where a learner's
loop would make it, not derived from cnnlib's catalogue, so that tests/test_mistakes.py
checks the catalogue against an independent account of each mistake.  Some mistakes come
in two forms (``mistake="... #2"``): the same error made by loops in another order.
"""
import math

import numpy as np


def pair(value):
    return (value, value) if np.ndim(value) == 0 else tuple(value)


def as4(x):
    x = np.asarray(x, dtype=float)
    return x.reshape(x.shape + (1,) * (4 - x.ndim))


def side(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def padded(x4, ph, pw, fill=0.0):
    h, w, d, n = x4.shape
    xp = np.full((h + 2 * ph, w + 2 * pw, d, n), fill)
    xp[ph:ph + h, pw:pw + w] = x4
    return xp


def vec(a, mistake=None):
    """Eq. (1): a[i0, i1, ...] goes to position i0 + n0 (i1 + n1 (...))."""
    a = np.asarray(a, dtype=float)
    if mistake == "row-major":                       # the last index runs fastest
        return np.array([a[index] for index in np.ndindex(*a.shape)])
    axes = list(range(a.ndim))
    if mistake == "transposed":                      # j fastest, then i, then the rest
        axes[0], axes[1] = 1, 0
    out = []
    for rev in np.ndindex(*[a.shape[k] for k in reversed(axes)]):
        index = [0] * a.ndim
        for k, v in zip(reversed(axes), rev):
            index[k] = v
        out.append(a[tuple(index)])
    return np.array(out)[:, None] if mistake == "column vector" else np.array(out)


def conv2d(x, f, b=None, stride=1, pad=0, mistake=None):
    """Eq. (12) with stride and zero padding, one output entry at a time."""
    x4, ndim = as4(x), np.ndim(x)
    kh, kw, d_in, d_out = f.shape
    (sh, sw), (ph, pw) = pair(stride), pair(pad)
    if mistake == "stride ignored":
        sh = sw = 1
    if mistake == "padding ignored":
        ph = pw = 0
    xp = padded(x4, ph, pw)
    h_out, w_out = side(x4.shape[0], kh, sh, ph), side(x4.shape[1], kw, sw, pw)
    y = np.zeros((h_out, w_out, d_out, x4.shape[3]))
    for i_, j_, d, n in np.ndindex(*y.shape):
        total = 0.0 if (b is None or mistake == "bias ignored") else b[d]
        for i, j, dl in np.ndindex(kh, kw, d_in):
            fi, fj = (kh - 1 - i, kw - 1 - j) if mistake == "kernel flipped" else (i, j)
            total += f[fi, fj, dl, d] * xp[sh * i_ + i, sw * j_ + j, dl, n]
        y[i_, j_, d, n] = total
    return y if ndim == 4 else y[..., 0]


def im2col(x, kernel, stride=1, pad=0, mistake=None):
    """Eq. (14)-(19): phi[p, q] = x_padded[s i' + i, s j' + j, d, n]."""
    x4 = as4(x)
    h, w, d_in, n_img = x4.shape
    (kh, kw), (sh, sw), (ph, pw) = pair(kernel), pair(stride), pair(pad)
    if mistake == "stride ignored":
        sh = sw = 1
    if mistake == "padding ignored":
        ph = pw = 0
    xp = padded(x4, ph, pw)
    h_out, w_out = side(h, kh, sh, ph), side(w, kw, sw, pw)
    phi = np.zeros((h_out * w_out * n_img, kh * kw * d_in))
    for i_, j_, n in np.ndindex(h_out, w_out, n_img):
        p = (j_ + w_out * i_ if mistake == "rows out of order" else i_ + h_out * j_) \
            + h_out * w_out * n
        for i, j, d in np.ndindex(kh, kw, d_in):
            q = d + d_in * j + d_in * kw * i if mistake == "columns out of order" else \
                i + kh * j + kh * kw * d
            phi[p, q] = xp[sh * i_ + i, sw * j_ + j, d, n]
    return phi


def _scatter(contribution, x4_shape, kernel, stride, pad, mistake):
    """Eq. (45): x_padded[s i' + i, s j' + j, d, n] += contribution(i', j', n)[i, j, d].

    "overwrites": '=' visiting the output positions (their last window wins); "... #2":
    '=' visiting the kernel offsets (the last offset wins); "padded": keep the padding."""
    h, w, d_in, n_img = x4_shape
    (kh, kw), (sh, sw), (ph, pw) = pair(kernel), pair(stride), pair(pad)
    h_out, w_out = side(h, kh, sh, ph), side(w, kw, sw, pw)
    xp = np.zeros((h + 2 * ph, w + 2 * pw, d_in, n_img))
    if mistake == "overwrites #2":
        for i, j in np.ndindex(kh, kw):
            for i_, j_, n in np.ndindex(h_out, w_out, n_img):
                xp[sh * i_ + i, sw * j_ + j, :, n] = contribution(i_, j_, n)[i, j]
    else:
        for n, i_, j_ in np.ndindex(n_img, h_out, w_out):
            block = contribution(i_, j_, n)
            for i, j, d in np.ndindex(kh, kw, d_in):
                if mistake == "overwrites":
                    xp[sh * i_ + i, sw * j_ + j, d, n] = block[i, j, d]
                else:
                    xp[sh * i_ + i, sw * j_ + j, d, n] += block[i, j, d]
    return xp if mistake == "padded" else xp[ph:ph + h, pw:pw + w]


def col2im(phi, x_shape, kernel, stride=1, pad=0, mistake=None):
    """Eq. (45): every phi[p, q] added back to the x entry it copies."""
    x4_shape = tuple(x_shape) + (1,) * (4 - len(x_shape))
    h, w, d_in, _ = x4_shape
    (kh, kw), (sh, sw), (ph, pw) = pair(kernel), pair(stride), pair(pad)
    h_out, w_out = side(h, kh, sh, ph), side(w, kw, sw, pw)

    def block(i_, j_, n):
        p = (j_ + w_out * i_ if mistake == "rows out of order" else i_ + h_out * j_) \
            + h_out * w_out * n
        return np.array([[[phi[p, i + kh * j + kh * kw * d] for d in range(d_in)]
                          for j in range(kw)] for i in range(kh)])

    scatter = {"overwrites overlaps": "overwrites", "overwrites overlaps #2": "overwrites #2",
               "padding kept": "padded"}.get(mistake)
    x = _scatter(block, x4_shape, kernel, stride, pad, scatter)
    return x.reshape(x.shape[:2] + tuple(x_shape[2:])) if mistake == "padding kept" else \
        x.reshape(x_shape)


def conv2d_backward(x, f, dzdy, stride=1, pad=0, mistake=None):
    """Eq. (33) (dz/dF), the bias's sum, and Eq. (44)-(45) (dz/dx), with loops."""
    x4, dzdy4 = as4(x), as4(dzdy)
    kh, kw, d_in, d_out = f.shape
    (sh, sw), (ph, pw) = pair(stride), pair(pad)
    xp = padded(x4, ph, pw)
    h_out, w_out, _, n_img = dzdy4.shape
    dzdf = np.zeros(f.shape)
    for i, j, dl, d in np.ndindex(*f.shape):
        total = sum(xp[sh * i_ + i, sw * j_ + j, dl, n] * dzdy4[i_, j_, d, n]
                    for i_, j_, n in np.ndindex(h_out, w_out, n_img))
        if mistake == "dz/dF flipped":
            dzdf[kh - 1 - i, kw - 1 - j, dl, d] = total
        else:
            dzdf[i, j, dl, d] = total
    if mistake == "dz/db not summed":
        dzdb = np.array([dzdy4[:, :, d, :].mean() for d in range(d_out)])
    elif mistake == "dz/db per image" and np.ndim(x) == 4:
        dzdb = np.array([[dzdy4[:, :, d, n].sum() for n in range(n_img)] for d in range(d_out)])
    else:
        dzdb = np.array([dzdy4[:, :, d, :].sum() for d in range(d_out)])

    def block(i_, j_, n):
        g = np.zeros((kh, kw, d_in))
        for i, j, dl, d in np.ndindex(*f.shape):
            fi, fj = (kh - 1 - i, kw - 1 - j) if mistake == "dz/dx kernel not flipped" else (i, j)
            g[i, j, dl] += f[fi, fj, dl, d] * dzdy4[i_, j_, d, n]
        return g

    scatter = {"dz/dx overwrites overlaps": "overwrites", "dz/dx of the padded x": "padded",
               "dz/dx overwrites overlaps #2": "overwrites #2"}.get(mistake)
    dzdx = _scatter(block, x4.shape, f.shape[:2], stride, pad, scatter)
    return dzdx.reshape(dzdx.shape[:2] + np.shape(x)[2:]), dzdf, dzdb


def _windows(x4, size, stride, pad, visit="rows"):
    """(i', j', [(i^l, j^l) of the window's real cells in column-major offset order])."""
    (kh, kw), (ph, pw) = pair(size), pair(pad)
    sh, sw = pair(size if stride is None else stride)
    h, w = x4.shape[:2]
    h_out, w_out = side(h, kh, sh, ph), side(w, kw, sw, pw)
    order = np.ndindex(h_out, w_out) if visit == "rows" else \
        ((i_, j_) for j_, i_ in np.ndindex(w_out, h_out))
    for i_, j_ in order:
        cells = [(sh * i_ + i - ph, sw * j_ + j - pw) for j in range(kw) for i in range(kh)]
        yield i_, j_, [(il, jl) for il, jl in cells if 0 <= il < h and 0 <= jl < w], \
            len(cells)


def maxpool2d(x, size, stride=None, pad=0, mistake=None):
    """Eq. (47): the maximum of each window; padding never wins."""
    x4, shape = as4(x), np.shape(x)
    if mistake == "stride ignored":
        stride = None
    if mistake == "padding ignored":
        pad = 0
    ys = {}
    for i_, j_, cells, count in _windows(x4, size, stride, pad):
        values = [x4[il, jl] for il, jl in cells]
        if mistake == "padding counts as 0" and len(cells) < count:
            values.append(np.zeros(x4.shape[2:]))
        ys[i_, j_] = np.max(values, axis=0)
    h_out, w_out = max(k[0] for k in ys) + 1, max(k[1] for k in ys) + 1
    y = np.array([[ys[i_, j_] for j_ in range(w_out)] for i_ in range(h_out)])
    return y.reshape((h_out, w_out) + shape[2:])


def maxpool2d_backward(x, dzdy, size, stride=None, pad=0, mistake=None):
    """Eq. (55): each dz/dy entry to its window's first maximum (column-major), added."""
    x4, dzdy4 = as4(x), as4(dzdy)
    dzdx = np.zeros(x4.shape)
    visit = "columns" if mistake == "overwrites overlaps #2" else "rows"
    for i_, j_, cells, count in _windows(x4, size, stride, pad, visit):
        if mistake in ("tie broken row by row", "last tied maximum #2"):
            cells = sorted(cells)                   # row by row: (i^l, j^l) with j^l fastest
        for d, n in np.ndindex(*x4.shape[2:]):
            g = dzdy4[i_, j_, d, n]
            values = [x4[il, jl, d, n] for il, jl in cells]
            top = max(values)
            if mistake == "spread like average pooling":
                for il, jl in cells:
                    dzdx[il, jl, d, n] += g / count
                continue
            if mistake == "gradient to every tied maximum":
                for (il, jl), v in zip(cells, values):
                    dzdx[il, jl, d, n] += g if v == top else 0.0
                continue
            best = None
            for k, v in enumerate(values):
                if best is None or v > values[best] or \
                        (mistake and mistake.startswith("last") and v == values[best]):
                    best = k
            il, jl = cells[best]
            if mistake and mistake.startswith("overwrites"):
                dzdx[il, jl, d, n] = g
            else:
                dzdx[il, jl, d, n] += g
    return dzdx.reshape(np.shape(x))


def relu_backward(x, dzdy, mistake=None):
    """Eq. (60): dz/dy where x > 0, else 0."""
    x, dzdy = np.asarray(x, dtype=float), np.asarray(dzdy, dtype=float)
    dzdx = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        through = x[index] >= 0 if mistake == "gradient passed at 0" else x[index] > 0
        if mistake == "no mask":
            through = True
        g = 1.0 if mistake == "mask without dz/dy" else dzdy[index]
        dzdx[index] = g if through else 0.0
    return dzdx


def softmax_log_loss_backward(x, labels, mistake=None):
    """dz/dx = (p - t) / N for (1, 1, C) or (1, 1, C, N) scores."""
    x4 = as4(x)
    C, N = x4.shape[2:]
    dzdx = np.zeros(x4.shape)
    for n in range(N):
        if mistake == "softmax over the batch" and np.ndim(x) == 4:
            cols = [x4[0, 0, c, :] for c in range(C)]
            p = [math.exp(col[n] - max(col)) / sum(math.exp(v - max(col)) for v in col)
                 for col in cols]
        else:
            top = max(x4[0, 0, :, n])
            e = [math.exp(x4[0, 0, c, n] - top) for c in range(C)]
            p = [v / sum(e) for v in e]
        for c in range(C):
            t = 0.0 if mistake == "one-hot not subtracted" else float(c == labels[n])
            g = t - p[c] if mistake == "sign flipped" else p[c] - t
            dzdx[0, 0, c, n] = g if mistake == "no batch mean" else g / N
    return dzdx.reshape(np.shape(x))


# ------------------------------------------- the capstone: loops over positions, numpy inside
def conv2d_by_positions(x, f, b=None, stride=1, pad=0):
    """Eq. (12), one loop over the output positions (i', j'), all channels, filters and
    images of a mini-batch at once: fast enough to train chapter 12's network."""
    x4, ndim = as4(x), np.ndim(x)
    kh, kw, d_in, d_out = f.shape
    (sh, sw), (ph, pw) = pair(stride), pair(pad)
    xp = padded(x4, ph, pw)
    h_out, w_out = side(x4.shape[0], kh, sh, ph), side(x4.shape[1], kw, sw, pw)
    y = np.zeros((h_out, w_out, d_out, x4.shape[3]))
    for i_, j_ in np.ndindex(h_out, w_out):
        window = xp[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw]          # (kh, kw, D_in, N)
        y[i_, j_] = np.tensordot(f, window, axes=([0, 1, 2], [0, 1, 2]))  # (D_out, N)
    if b is not None:
        y += np.reshape(b, (1, 1, -1, 1))
    return y if ndim == 4 else y[..., 0]


def conv2d_backward_by_positions(x, f, dzdy, stride=1, pad=0):
    """Eq. (33) and (44)-(45), one loop over the output positions."""
    x4, dzdy4 = as4(x), as4(dzdy)
    kh, kw = f.shape[:2]
    (sh, sw), (ph, pw) = pair(stride), pair(pad)
    xp = padded(x4, ph, pw)
    dzdxp, dzdf = np.zeros(xp.shape), np.zeros(f.shape)
    for i_, j_ in np.ndindex(*dzdy4.shape[:2]):
        rows, cols = slice(sh * i_, sh * i_ + kh), slice(sw * j_, sw * j_ + kw)
        g = dzdy4[i_, j_]                                                  # (D_out, N)
        dzdf += np.tensordot(xp[rows, cols], g, axes=([3], [1]))
        dzdxp[rows, cols] += np.tensordot(f, g, axes=([3], [0]))
    dzdx = dzdxp[ph:ph + x4.shape[0], pw:pw + x4.shape[1]]
    return dzdx.reshape(np.shape(x)), dzdf, dzdy4.sum(axis=(0, 1, 3))


def maxpool2d_by_windows(x, size, stride=None, pad=0):
    """Eq. (47), one loop over the windows."""
    x4 = as4(x)
    (kh, kw), (ph, pw) = pair(size), pair(pad)
    sh, sw = pair(size if stride is None else stride)
    xp = padded(x4, ph, pw, -np.inf)
    h_out, w_out = side(x4.shape[0], kh, sh, ph), side(x4.shape[1], kw, sw, pw)
    y = np.zeros((h_out, w_out) + x4.shape[2:])
    for i_, j_ in np.ndindex(h_out, w_out):
        y[i_, j_] = xp[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw].max(axis=(0, 1))
    return y.reshape((h_out, w_out) + np.shape(x)[2:])


def maxpool2d_backward_by_windows(x, dzdy, size, stride=None, pad=0):
    """Eq. (55), one loop over the windows; the first maximum in column-major order."""
    x4, dzdy4 = as4(x), as4(dzdy)
    (kh, kw), (ph, pw) = pair(size), pair(pad)
    sh, sw = pair(size if stride is None else stride)
    xp = padded(x4, ph, pw, -np.inf)
    dzdxp = np.zeros(xp.shape)
    for i_, j_ in np.ndindex(*dzdy4.shape[:2]):
        window = xp[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw]
        flat = window.transpose(1, 0, 2, 3).reshape(kh * kw, -1)           # o = i + kh j
        first = flat.argmax(axis=0)
        cells = np.zeros(flat.shape)
        cells[first, np.arange(flat.shape[1])] = dzdy4[i_, j_].reshape(-1)
        dzdxp[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw] += \
            cells.reshape((kw, kh) + window.shape[2:]).transpose(1, 0, 2, 3)
    return dzdxp[ph:ph + x4.shape[0], pw:pw + x4.shape[1]].reshape(np.shape(x))


def relu(x):
    return np.where(np.asarray(x) > 0, x, 0.0)


def relu_backward_vectorized(x, dzdy):
    return np.where(np.asarray(x) > 0, dzdy, 0.0)


# the write-it exercises of chapters 02, 03, 06 and 10, written in learner_more.py
from .learner_more import (im2col_inverse, kron, numerical_gradient,  # noqa: E402,F401
                           squared_loss_backward)
