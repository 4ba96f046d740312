"""Data sets that ship inside installed packages (no downloads), in the course's layout.

``load_digits`` reads scikit-learn's bundled handwritten digits: 1797 images of 8 x 8
pixels with values 0..16, ten classes (the test set of the UCI "optdigits" data).
``load_photo`` reads the portrait that matplotlib ships as sample data, in grayscale.
"""
from collections import namedtuple

import numpy as np

from ._checks import positive_int, positive_number

__all__ = ["load_digits", "stratified_split", "Digits", "load_photo"]

Digits = namedtuple("Digits", ["x_train", "y_train", "x_test", "y_test"])
Digits.__doc__ = """Train and test images (8, 8, 1, N), values in [0, 1]; int labels (N,)."""


def stratified_split(labels, test_fraction=0.2, seed=0):
    """Indices (train, test) that keep each class's share in both parts.

    labels: N ints, a 1-D array.  test_fraction: a number in (0, 1); class c sends
    round(test_fraction * n_c) of its n_c samples, drawn with np.random.default_rng(seed),
    to the test part.  seed: an int >= 0 (None is refused: the split is always seeded).
    Returns two sorted int arrays that together hold 0..N-1 once each (both empty for N = 0).
    """
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array of N labels, got shape {labels.shape}")
    if positive_number(test_fraction, "test_fraction") >= 1:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}")
    rng = np.random.default_rng(positive_int(seed, "seed", 0))
    test = [np.zeros(0, dtype=np.int64)]
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        test.append(rng.permutation(members)[:int(round(test_fraction * members.size))])
    test = np.sort(np.concatenate(test))
    train = np.setdiff1d(np.arange(labels.size), test)
    return train, test


def load_digits(test_fraction=0.2, seed=0):
    """scikit-learn's 8 x 8 digits, split into train and test, in (H, W, D, N) layout.

    test_fraction, seed: as in :func:`stratified_split` (seeded, stratified by class).
    Returns Digits(x_train, y_train, x_test, y_test): images (8, 8, 1, N) float64
    scaled from 0..16 to [0, 1], labels (N,) int64 in 0..9.
    """
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    x = (bunch.images / 16.0).transpose(1, 2, 0)[:, :, None, :]     # (N, 8, 8) -> (8, 8, 1, N)
    y = bunch.target.astype(np.int64)
    train, test = stratified_split(y, test_fraction, seed)
    return Digits(np.ascontiguousarray(x[..., train]), y[train],
                  np.ascontiguousarray(x[..., test]), y[test])


#: the ITU-R BT.601 luminance weights of red, green and blue (they sum to 1)
LUMINANCE = np.array([0.299, 0.587, 0.114])


def load_photo(block=1):
    """matplotlib's sample portrait of Grace Hopper, grayscale: an (H, W) float64 array in [0, 1].

    The photo is 600 x 512 RGB (installed with matplotlib, no download); gray is the
    luminance 0.299 R + 0.587 G + 0.114 B of its 0..255 values divided by 255.
    block: an int >= 1; each block x block tile is replaced by its mean, as average
    pooling with stride = window (Eq. 48) does, so block=8 gives 75 x 64.  Rows and
    columns past the last whole tile are dropped (600 // block, 512 // block).
    """
    from matplotlib import cbook, image

    block = positive_int(block, "block")
    rgb = image.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    gray = np.clip((rgb[..., :3] / 255.0) @ LUMINANCE, 0.0, 1.0)
    h, w = gray.shape[0] // block, gray.shape[1] // block
    if h == 0 or w == 0:
        raise ValueError(f"block must be at most the photo's side, got block={block} for a "
                         f"photo of {gray.shape[0]} x {gray.shape[1]}")
    tiles = gray[:h * block, :w * block].reshape(h, block, w, block)
    return tiles.mean(axis=(1, 3))
