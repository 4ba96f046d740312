"""Mistakes in the chapters 09-12 for the catalogue of :mod:`cnnlib.exercises.mistakes`.

maxpool2d and maxpool2d_backward (chapter 09, Eq. 47 and 55, the tie rule of erratum E20),
relu_backward (11, Eq. 60) and softmax_log_loss_backward (12).  Each function below is one
variant of a mistake: it takes the arguments of cnnlib's function and returns the mistaken
output.
"""
import numpy as np

from .._window import pool_args
from ..loss import softmax, softmax_log_loss_backward
from .mistakes import mistake, sign_flipped
from ..pool import avgpool2d_backward, maxpool2d

__all__ = []


# ------------------------------------------------------------ maxpool2d, chapter 09 (Eq. 47)
def _pad4(x, ph, pw, fill):
    """x as (H, W, D, N) with ph rows and pw columns of ``fill`` on each side."""
    x4 = np.reshape(x, np.shape(x) + (1,) * (4 - np.ndim(x)))
    return np.pad(x4, ((ph, ph), (pw, pw), (0, 0), (0, 0)), constant_values=fill)


@mistake("maxpool2d", "stride ignored", 9, "with stride s the window of output (i', j') starts "
         "at (s i', s j'); only stride=None means stride = size")
def _maxpool_stride_size(x, size, stride=None, pad=0):
    return maxpool2d(x, size, None, pad)


@mistake("maxpool2d", "padding counts as 0", 9, "padding never wins a max: pad with -inf, not "
         "with zeros (a window of negative numbers must keep its largest one)")
def _maxpool_zero_padding(x, size, stride=None, pad=0):
    _, _, (ph, pw) = pool_args(size, stride, pad)
    return maxpool2d(_pad4(x, ph, pw, 0.0), size, stride).reshape(
        maxpool2d(x, size, stride, pad).shape)


@mistake("maxpool2d", "padding ignored", 9, "the windows slide over x padded on every side: "
         "pad rows at the top and bottom, pad columns left and right")
def _maxpool_no_pad(x, size, stride=None, pad=0):
    return maxpool2d(x, size, stride, 0)


# ---------------------------------------------------- maxpool2d_backward, chapter 09 (Eq. 55)
def _route(x, dzdy, size, stride, pad, receivers, assign=False, rows_first=True):
    """dz/dx of max pooling, each window's dz/dy sent to the cells ``receivers(win)`` marks.

    win: a window (kh, kw, D, N) of x padded with -inf; receivers returns a bool mask of it.
    assign: '=' instead of '+=' where windows overlap, visiting the windows with j' fastest
    (rows_first) or i' fastest."""
    (kh, kw), (sh, sw), (ph, pw) = pool_args(size, stride, pad)
    xp = _pad4(x, ph, pw, -np.inf)
    h_out, w_out = dzdy.shape[:2]
    g = np.reshape(dzdy, (h_out, w_out) + xp.shape[2:])
    dzdxp = np.zeros(xp.shape)
    order = [(i_, j_) for i_ in range(h_out) for j_ in range(w_out)]
    for i_, j_ in (order if rows_first else sorted(order, key=lambda p: p[::-1])):
        rows, cols = slice(sh * i_, sh * i_ + kh), slice(sw * j_, sw * j_ + kw)
        mask = receivers(xp[rows, cols])
        if assign:
            dzdxp[rows, cols][mask] = np.broadcast_to(g[i_, j_], mask.shape)[mask]
        else:
            dzdxp[rows, cols] += mask * g[i_, j_]
    return dzdxp[ph:ph + np.shape(x)[0], pw:pw + np.shape(x)[1]].reshape(np.shape(x))


def one_maximum(order="F", last=False):
    """receivers for :func:`_route`: one maximum per window, the first (or ``last``) in
    column-major ("F", the rule of cnnlib) or row-major ("C") order over the window."""
    def receivers(win):
        kh, kw = win.shape[:2]
        flat = win.reshape((kh * kw,) + win.shape[2:], order=order)
        o = (kh * kw - 1 - flat[::-1].argmax(axis=0)) if last else flat.argmax(axis=0)
        mask = np.arange(kh * kw).reshape((-1,) + (1,) * (flat.ndim - 1)) == o
        return mask.reshape(win.shape, order=order)
    return receivers


@mistake("maxpool2d_backward", "gradient to every tied maximum", 9, "where a window holds its "
         "maximum twice, only the first (column-major) gets dz/dy (erratum E20)")
def _maxback_all_ties(x, dzdy, size, stride=None, pad=0):
    return _route(x, dzdy, size, stride, pad, lambda win: win == win.max(axis=(0, 1)))


@mistake("maxpool2d_backward", "spread like average pooling", 9, "max pooling sends each "
         "dz/dy to its window's maximum alone, not 1/(kh kw) of it to every cell")
def _maxback_average(x, dzdy, size, stride=None, pad=0):
    return avgpool2d_backward(np.shape(x), dzdy, size, stride, pad)


for _order in ("F", "C"):
    mistake("maxpool2d_backward", "last tied maximum", 9, "ties go to the FIRST maximum in "
            "column-major order (offset i + kh j): compare with >, not >=")(
        lambda x, dzdy, size, stride=None, pad=0, _order=_order:
        _route(x, dzdy, size, stride, pad, one_maximum(_order, last=True)))


@mistake("maxpool2d_backward", "tie broken row by row", 9, "ties go to the first maximum in "
         "COLUMN-major order (offset i + kh j), as vec reads; argmax of a window "
         "flattened row by row picks the first in row-major order")
def _maxback_row_major(x, dzdy, size, stride=None, pad=0):
    return _route(x, dzdy, size, stride, pad, one_maximum("C"))


for _rows_first in (True, False):
    mistake("maxpool2d_backward", "overwrites overlaps", 9, "where overlapping windows share "
            "their maximum, its gradients add up: use +=, not =")(
        lambda x, dzdy, size, stride=None, pad=0, _rows_first=_rows_first:
        _route(x, dzdy, size, stride, pad, one_maximum(), True, _rows_first))


# --------------------------------------------------------- relu_backward, chapter 11 (Eq. 60)
@mistake("relu_backward", "gradient passed at 0", 11, "dz/dx = dz/dy only where x > 0; at "
         "x = 0 cnnlib (as MatConvNet) uses the derivative 0 (Eq. 59-60)")
def _relu_at_zero(x, dzdy):
    return np.where(np.asarray(x) >= 0, dzdy, 0.0)


@mistake("relu_backward", "mask without dz/dy", 11, "dz/dx = dz/dy times the mask [x > 0] "
         "(Eq. 60), not the mask alone")
def _relu_mask_only(x, dzdy):
    return (np.asarray(x) > 0).astype(float)


@mistake("relu_backward", "no mask", 11, "dz/dx is 0 where x <= 0: ReLU passes dz/dy only "
         "where it let x through (Eq. 60)")
def _relu_no_mask(x, dzdy):
    return np.array(dzdy, dtype=float)


# ---------------------------------------------------- softmax_log_loss_backward, chapter 12
def _batch_size(labels):
    return np.size(labels)


@mistake("softmax_log_loss_backward", "no batch mean", 12, "z is the MEAN over the N images, "
         "so dz/dx = (p - t) / N")
def _softmax_sum(x, labels):
    return softmax_log_loss_backward(x, labels) * _batch_size(labels)


@mistake("softmax_log_loss_backward", "one-hot not subtracted", 12, "dz/dx = (p - t) / N: "
         "subtract 1 at each image's label")
def _softmax_no_onehot(x, labels):
    return softmax(x) / _batch_size(labels)


sign_flipped("softmax_log_loss_backward", 12, "dz/dx = (p - t) / N: the probabilities minus "
             "the one-hot labels, not t - p", softmax_log_loss_backward)


@mistake("softmax_log_loss_backward", "softmax over the batch", 12, "the softmax runs over "
         "the classes (axis 2 of (1, 1, C, N) scores): each image's p sums to 1")
def _softmax_wrong_axis(x, labels):
    p = softmax(x, axis=-1)
    t = np.zeros_like(p)
    t.reshape(-1, _batch_size(labels))[np.asarray(labels).ravel(),
                                       np.arange(_batch_size(labels))] = 1
    return (p - t) / _batch_size(labels)
