"""Mistakes in the convolution chapters (01-08) for the catalogue of :mod:`.mistakes`.

vec (chapter 01), conv2d (04), im2col (05), conv2d_backward (07 dz/dF and dz/db, 08 dz/dx)
and col2im (08).  Each function below is one variant of a mistake: it takes the arguments of
cnnlib's function and returns the mistaken output, built from cnnlib's own functions with the
one thing changed.
"""
import numpy as np

from .._window import pair, window_args
from ..conv import conv2d, conv2d_backward
from ..im2col import col2im, conv_output_shape, im2col
from .mistakes import mistake

__all__ = []


# ------------------------------------------------------------------ vec, chapter 01 (Eq. 1)
@mistake("vec", "row-major", 1, "vec reads column by column: the first index runs fastest "
         "(numpy's order='F'), not row by row")
def _vec_row_major(a):
    return np.ravel(a, order="C")


@mistake("vec", "transposed", 1, "each slice was read row by row (vec of its transpose): the "
         "row index i runs fastest, then the column j, then the channel d")
def _vec_transposed(a):
    return np.swapaxes(a, 0, 1).ravel(order="F")


@mistake("vec", "column vector", 1, "cnnlib's vec returns a 1-D array of a.size entries, "
         "not an (n, 1) column")
def _vec_column(a):
    return np.ravel(a, order="F")[:, None]


# --------------------------------------------------------------- conv2d, chapter 04 (Eq. 12)
@mistake("conv2d", "kernel flipped", 4, "Eq. 12 is a cross-correlation: f[i, j] multiplies "
         "x[s i' + i, s j' + j], the kernel is not rotated by 180 degrees")
def _conv2d_flipped(x, f, b=None, stride=1, pad=0):
    return conv2d(x, np.flip(f, (0, 1)), b, stride, pad)


@mistake("conv2d", "bias ignored", 4, "add b[d] to every output position of channel d")
def _conv2d_no_bias(x, f, b=None, stride=1, pad=0):
    return conv2d(x, f, None, stride, pad)


@mistake("conv2d", "stride ignored", 4, "with stride s the window of output (i', j') starts "
         "at (s i', s j'), and H' = (H + 2 pad - kh) // s + 1")
def _conv2d_stride_1(x, f, b=None, stride=1, pad=0):
    return conv2d(x, f, b, 1, pad)


@mistake("conv2d", "padding ignored", 4, "pad x with zeros on every side first: pad rows at "
         "the top and bottom, pad columns left and right")
def _conv2d_no_pad(x, f, b=None, stride=1, pad=0):
    return conv2d(x, f, b, stride, 0)


# --------------------------------------------------------------- im2col, chapter 05 (Eq. 14-19)
def _swap_positions(phi, first, second, n):
    """phi's rows, numbered first-index-fastest over (first, second), renumbered the other way."""
    return (phi.reshape(first, second, n, -1, order="F").transpose(1, 0, 2, 3)
            .reshape(first * second * n, -1, order="F"))


def _n_images(shape):
    return shape[3] if len(shape) == 4 else 1


@mistake("im2col", "rows out of order", 5, "row p of phi is output position (i', j') with "
         "p = i' + H' j' (Eq. 16): i' runs fastest, not j'")
def _im2col_rows(x, kernel, stride=1, pad=0):
    h_out, w_out = conv_output_shape(np.shape(x), kernel, stride, pad)
    return _swap_positions(im2col(x, kernel, stride, pad), h_out, w_out, _n_images(np.shape(x)))


@mistake("im2col", "columns out of order", 5, "column q of phi is (i, j, d) with "
         "q = i + kh j + kh kw d (Eq. 17): each window is read column-major, like vec")
def _im2col_columns(x, kernel, stride=1, pad=0):
    (kh, kw), phi = pair(kernel, "kernel"), im2col(x, kernel, stride, pad)
    d = phi.shape[1] // (kh * kw)
    return phi.reshape(-1, kh, kw, d, order="F").transpose(0, 3, 2, 1).reshape(phi.shape,
                                                                               order="F")


@mistake("im2col", "padding ignored", 5, "the windows are read from x padded with zeros: "
         "pad rows at the top and bottom, pad columns left and right")
def _im2col_no_pad(x, kernel, stride=1, pad=0):
    return im2col(x, kernel, stride, 0)


@mistake("im2col", "stride ignored", 5, "with stride s row (i', j') reads the window starting "
         "at (s i', s j'), and H' = (H + 2 pad - kh) // s + 1")
def _im2col_stride_1(x, kernel, stride=1, pad=0):
    return im2col(x, kernel, 1, pad)


# ------------------------------------------ conv2d_backward, chapters 07 and 08 (Eq. 33, 44)
def _dzdphi(f, dzdy):
    """dz/dY F^T (Eq. 44 before the scatter-add), rows in phi's order."""
    kh, kw, d_in, d_out = f.shape
    dzdy4 = dzdy.reshape(dzdy.shape[:3] + (-1,))
    dzdY = dzdy4.transpose(0, 1, 3, 2).reshape(-1, d_out, order="F")
    return dzdY @ f.reshape(kh * kw * d_in, d_out, order="F").T


@mistake("conv2d_backward", "dz/dF flipped", 7, "dz/dF = phi(x)^T dz/dY (Eq. 33) pairs f[i, j] "
         "with x[s i' + i, s j' + j]: no 180-degree rotation")
def _conv_back_flipped(x, f, dzdy, stride=1, pad=0):
    dzdx, dzdf, dzdb = conv2d_backward(x, f, dzdy, stride, pad)
    return dzdx, np.flip(dzdf, (0, 1)), dzdb


@mistake("conv2d_backward", "dz/db not summed", 7, "b[d] is added at every position of every "
         "image, so dz/db[d] is the SUM of dz/dy over channel d, not the mean")
def _conv_back_db_mean(x, f, dzdy, stride=1, pad=0):
    dzdx, dzdf, _ = conv2d_backward(x, f, dzdy, stride, pad)
    return dzdx, dzdf, np.moveaxis(dzdy, 2, 0).reshape(dzdy.shape[2], -1).mean(axis=1)


@mistake("conv2d_backward", "dz/db per image", 7, "dz/db has D entries: add dz/dy over the "
         "positions AND the images of the batch")
def _conv_back_db_per_image(x, f, dzdy, stride=1, pad=0):
    dzdx, dzdf, _ = conv2d_backward(x, f, dzdy, stride, pad)
    return dzdx, dzdf, dzdy.sum(axis=(0, 1))


def _col2im_assigned(phi, x_shape, kernel, stride, pad, last="window"):
    """col2im with '=' instead of '+=': where windows overlap one of them is kept, the one
    assigned last: the window with the largest (i', j') (loops over the output positions,
    last="window") or the largest kernel offset (i, j) (loops over the offsets, "offset")."""
    (kh, kw), (sh, sw), (ph, pw) = window_args(kernel, stride, pad)
    h_out, w_out = conv_output_shape(x_shape, kernel, stride, pad)
    x4_shape = tuple(x_shape) + (1,) * (4 - len(x_shape))
    h, w, d, n = x4_shape
    blocks = phi.reshape(h_out, w_out, n, kh, kw, d, order="F")
    xp = np.zeros((h + 2 * ph, w + 2 * pw, d, n))
    if last == "window":
        for i_ in range(h_out):
            for j_ in range(w_out):
                xp[sh * i_:sh * i_ + kh, sw * j_:sw * j_ + kw] = \
                    blocks[i_, j_].transpose(1, 2, 3, 0)
    else:
        for i in range(kh):
            for j in range(kw):
                xp[i:i + sh * h_out:sh, j:j + sw * w_out:sw] = \
                    blocks[:, :, :, i, j, :].transpose(0, 1, 3, 2)
    return xp[ph:ph + h, pw:pw + w].reshape(x_shape)


_OVERLAP_HINT = "where windows overlap, their contributions add up (Eq. 45): use +=, not ="


def _conv_back_assigned(last):
    def variant(x, f, dzdy, stride=1, pad=0):
        _, dzdf, dzdb = conv2d_backward(x, f, dzdy, stride, pad)
        dzdx = _col2im_assigned(_dzdphi(f, dzdy), np.shape(x), f.shape[:2], stride, pad, last)
        return dzdx, dzdf, dzdb
    return variant


for _last in ("window", "offset"):
    mistake("conv2d_backward", "dz/dx overwrites overlaps", 8, _OVERLAP_HINT)(
        _conv_back_assigned(_last))


@mistake("conv2d_backward", "dz/dx of the padded x", 8, "dz/dx has the shape of x: drop "
         "the rows and columns of the padding after the scatter-add")
def _conv_back_padded(x, f, dzdy, stride=1, pad=0):
    _, dzdf, dzdb = conv2d_backward(x, f, dzdy, stride, pad)
    (ph, pw), shape = pair(pad, "pad", 0), np.shape(x)
    padded = (shape[0] + 2 * ph, shape[1] + 2 * pw) + shape[2:]
    return col2im(_dzdphi(f, dzdy), padded, f.shape[:2], stride, 0), dzdf, dzdb


@mistake("conv2d_backward", "dz/dx kernel not flipped", 8, "written as a full convolution of "
         "dz/dy, dz/dx needs the kernel rotated by 180 degrees (the scatter-add of Eq. 45 "
         "needs no rotation)")
def _conv_back_dx_unflipped(x, f, dzdy, stride=1, pad=0):
    _, dzdf, dzdb = conv2d_backward(x, f, dzdy, stride, pad)
    return conv2d_backward(x, np.flip(f, (0, 1)), dzdy, stride, pad)[0], dzdf, dzdb


# ------------------------------------------------------------ col2im, chapter 08 (Eq. 45)
for _last in ("window", "offset"):
    mistake("col2im", "overwrites overlaps", 8, _OVERLAP_HINT)(
        lambda phi, x_shape, kernel, stride=1, pad=0, _last=_last:
        _col2im_assigned(phi, x_shape, kernel, stride, pad, _last))


@mistake("col2im", "rows out of order", 8, "row p of phi belongs to output position (i', j') "
         "with p = i' + H' j' (Eq. 16): i' runs fastest, not j'")
def _col2im_rows(phi, x_shape, kernel, stride=1, pad=0):
    h_out, w_out = conv_output_shape(x_shape, kernel, stride, pad)
    return col2im(_swap_positions(phi, w_out, h_out, _n_images(x_shape)), x_shape, kernel,
                  stride, pad)


@mistake("col2im", "padding kept", 8, "the result has x_shape: drop the rows and columns of "
         "the padding after the scatter-add")
def _col2im_padded(phi, x_shape, kernel, stride=1, pad=0):
    (ph, pw) = pair(pad, "pad", 0)
    padded = (x_shape[0] + 2 * ph, x_shape[1] + 2 * pw) + tuple(x_shape[2:])
    return col2im(phi, padded, kernel, stride, 0)
