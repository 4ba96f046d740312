"""cnnlib.data: the bundled digits in (H, W, D, N) layout, a seeded stratified split."""
import numpy as np
import pytest

import cnnlib as cl


def test_digits_layout_range_and_labels():
    d = cl.load_digits()
    assert d.x_train.shape[:3] == (8, 8, 1) and d.x_test.shape[:3] == (8, 8, 1)
    assert d.x_train.shape[3] + d.x_test.shape[3] == 1797
    assert d.x_train.shape[3] == d.y_train.size and d.x_test.shape[3] == d.y_test.size
    assert d.x_train.dtype == np.float64 and d.y_train.dtype.kind == "i"
    assert d.x_train.min() == 0 and d.x_train.max() == 1
    assert set(np.unique(d.y_test)) == set(range(10))


def test_digits_images_are_not_transposed():
    """Image n of the layout is sklearn's images[n] (rows stay rows), scaled by 1/16."""
    from sklearn.datasets import load_digits
    bunch = load_digits()
    train, test = cl.stratified_split(bunch.target, 0.2, 0)
    d = cl.load_digits(0.2, 0)
    for k in (0, 17, 300):
        assert np.array_equal(d.x_test[:, :, 0, k], bunch.images[test[k]] / 16)
        assert d.y_test[k] == bunch.target[test[k]]
    assert np.array_equal(d.x_train[:, :, 0, 5], bunch.images[train[5]] / 16)


def test_split_is_stratified_disjoint_and_complete():
    labels = np.repeat(np.arange(3), [10, 20, 31])
    train, test = cl.stratified_split(labels, 0.2, seed=1)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(labels.size))
    counts = np.bincount(labels[test], minlength=3)
    assert counts.tolist() == [2, 4, 6]                  # round(0.2 * n_c) per class


def test_split_is_seeded():
    labels = np.arange(100) % 10
    assert np.array_equal(cl.stratified_split(labels, 0.3, 4)[1],
                          cl.stratified_split(labels, 0.3, 4)[1])
    assert not np.array_equal(cl.stratified_split(labels, 0.3, 4)[1],
                              cl.stratified_split(labels, 0.3, 5)[1])


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        cl.stratified_split(np.arange(10), fraction)


@pytest.mark.parametrize("fraction, error", [(None, TypeError), ("0.2", TypeError),
                                             (np.array([0.2, 0.3]), TypeError),
                                             (np.nan, ValueError)])
def test_split_names_a_fraction_of_the_wrong_kind(fraction, error):
    with pytest.raises(error, match=r"test_fraction must be a"):
        cl.stratified_split(np.arange(10) % 2, fraction)


def test_split_takes_numpy_numbers():
    labels = np.arange(20) % 2
    expected = cl.stratified_split(labels, 0.3, 4)
    for got in (cl.stratified_split(labels, np.float32(0.3), np.int64(4)),
                cl.stratified_split(labels, np.array(0.3), np.array(4))):
        assert all(np.array_equal(a, b) for a, b in zip(got, expected))


@pytest.mark.parametrize("labels, error, message", [
    (np.array([0.0, np.nan, np.nan, 1.0]), TypeError, r"labels must be integers, got dtype float"),
    (None, TypeError, r"labels must be integers, got dtype object"),
    (np.zeros((2, 3), int), ValueError, r"labels must be a 1-D array .*got shape \(2, 3\)"),
])
def test_split_refuses_labels_it_would_split_silently_wrong(labels, error, message):
    # nan != nan: those samples went to no class, hence always to train; (2, 3) was flattened
    with pytest.raises(error, match=message):
        cl.stratified_split(labels)


@pytest.mark.parametrize("seed, error", [(None, TypeError), (-1, ValueError), (1.5, TypeError)])
def test_split_is_always_seeded(seed, error):
    with pytest.raises(error, match=r"seed must be"):
        cl.stratified_split(np.arange(10) % 2, seed=seed)


def test_split_of_no_labels_is_two_empty_parts():
    train, test = cl.stratified_split(np.zeros(0, int))
    assert train.size == test.size == 0 and train.dtype.kind == test.dtype.kind == "i"


# ------------------------------------------------------------------ the photo (chapters 04, 10)
def test_photo_is_the_grayscale_portrait_in_0_1():
    photo = cl.load_photo()
    assert photo.shape == (600, 512) and photo.dtype == np.float64
    assert 0 <= photo.min() < 0.05 and 0.95 < photo.max() <= 1


def test_photo_gray_is_the_luminance_pillow_computes():
    # an independent route: Pillow's "L" conversion (ITU-R 601-2 weights, rounded to 0..255)
    from matplotlib import cbook
    from PIL import Image
    with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as im:
        gray = np.asarray(im.convert("L"), dtype=float) / 255
    assert np.abs(cl.load_photo() - gray).max() <= 1 / 255


def test_photo_blocks_are_average_pooling():
    full = cl.load_photo()
    assert np.allclose(cl.load_photo(8), cl.avgpool2d(full, 8))
    assert cl.load_photo(8).shape == (75, 64)
    seven = cl.load_photo(7)                              # 600 = 7 * 85 + 5, 512 = 7 * 73 + 1
    assert seven.shape == (85, 73)
    assert np.isclose(seven[-1, -1], full[588:595, 504:511].mean())


@pytest.mark.parametrize("block, error, message", [
    (0, ValueError, r"block must be >= 1, got 0"), (1.5, TypeError, r"block must be an int"),
    ("2", TypeError, r"block must be an int"), (True, TypeError, r"block must be an int"),
    (513, ValueError, r"block must be at most the photo's side, got block=513 .*600 x 512"),
])
def test_photo_block_is_checked(block, error, message):
    with pytest.raises(error, match=message):
        cl.load_photo(block)
