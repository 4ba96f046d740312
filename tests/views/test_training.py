"""cnnlib.views.training: chapter 12's figures hold the run they were given."""
import numpy as np
import pytest

import cnnlib as cl

from .helpers import images_in


def test_confusion_matrix_by_loops():
    y_true = np.array([0, 1, 2, 2, 1, 0, 2])
    y_pred = np.array([0, 2, 2, 1, 1, 0, 2])
    expected = np.zeros((3, 3), dtype=int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    assert np.array_equal(cl.confusion_matrix(y_true, y_pred, 3), expected)
    fig = cl.confusion_figure(y_true, y_pred, 3)
    assert "5 of 7" in fig.axes[0].get_title()


def test_digits_and_misclassified_figures(digits):
    x, y = digits
    assert images_in(cl.digits_figure(x, y, n_cols=4, n_rows=2)) == 8
    y_pred = y.copy()
    y_pred[[2, 7, 9]] = 0
    probs = np.full((10, 12), 0.1)
    fig = cl.misclassified_figure(x, y, y_pred, probs)
    assert images_in(fig) == 3
    titles = [ax.get_title() for ax in fig.axes if ax.get_images()]
    assert titles == ["2 → 0 (0.10)", "7 → 0 (0.10)", "9 → 0 (0.10)"]


def test_filters_and_curves(net):
    assert images_in(cl.filters_figure(net.layers[0].params["f"])) == 16
    fig = cl.training_curves_figure({"loss": [1.0, 0.5, 0.2], "test accuracy": [0.5, 0.8, 0.9]})
    assert len(fig.axes[1].get_lines()) == 1
    assert np.allclose(fig.axes[0].get_lines()[0].get_ydata(), [1.0, 0.5, 0.2])


def test_feature_maps_one_row_per_layer(net, digits):
    x, _ = digits
    fig = cl.feature_maps_figure(net, x[..., 0], n_channels=8)
    # input + conv, relu, pool, conv, relu, pool with 8 channels each; the scores as bars
    assert images_in(fig) == 1 + 6 * 8
    bars = [ax for ax in fig.axes if ax.patches]
    assert len(bars) == 1 and len(bars[0].patches) == 10
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len(labels) == 8                    # one per row: x^1 to x^7, then the bars
    assert labels[-1].startswith("softmax($x^{8}$)") and "probabilities" in labels[-1]
    assert all(text.startswith(f"$x^{{{k}}}$") for k, text in enumerate(labels[:-1], start=1))


@pytest.mark.parametrize("y_true, y_pred, error, match", [
    ([-1], [0], ValueError, r"y_true must lie in \[0, 10\), got \[-1, -1\]"),   # was class 9
    ([0], [10], ValueError, r"y_pred must lie in \[0, 10\)"),                 # was IndexError
    ([1.5], [0], TypeError, r"y_true must be integers in \[0, 10\), got dtype float64"),
    ([0, 1], [0], ValueError, "one label per image, got 2 and 1"),            # was counted
])
def test_confusion_matrix_refuses_labels_outside_the_classes(y_true, y_pred, error, match):
    with pytest.raises(error, match=match):
        cl.confusion_matrix(y_true, y_pred)


def test_confusion_matrix_n_classes_is_a_positive_int():
    with pytest.raises(TypeError, match="n_classes"):
        cl.confusion_matrix([0], [0], 2.0)
    assert cl.confusion_matrix(np.array([1]), np.array([0]), np.int64(2)).tolist() == [[0, 0],
                                                                                       [1, 0]]


def test_feature_maps_relu_and_pooling_on_the_scale_of_their_convolution(net, digits):
    # a convolution row starts a red/blue scale centred on 0; the ReLU and pooling rows after
    # it use that same scale (ReLU keeping the positive part must look alike across rows),
    # with one colour bar per group of rows (before: ReLU rows in viridis, no colour bar)
    x, _ = digits
    fig = cl.feature_maps_figure(net, x[..., 0], n_channels=8)
    rows = [ax.get_images() for ax in fig.axes if ax.get_images()][1:]   # the input first
    norms = [(im[0].cmap.name, im[0].get_clim()) for im in rows]
    groups = [norms[0:24:8], norms[24:48:8]]            # conv, relu, pool; conv, relu, pool
    for group in groups:
        (cmap, (lo, hi)), = set(group)
        assert cmap == "RdBu_r" and lo == -hi > -np.inf
    assert groups[0][0] != groups[1][0]                 # each convolution its own scale
    bars = [ax for ax in fig.axes if hasattr(ax, "_colorbar")]
    assert len(bars) == 2


def test_digits_figure_labels_clear_of_the_row_above():
    # each digit is titled "label k", at least 5 px below the digit above it (chapter 12's
    # 3 rows of 10 at figsize (9, 3.2) left 1.6 px: the labels touched the row above)
    x, y = np.random.default_rng(0).random((8, 8, 1, 30)), np.arange(30) % 10
    fig = cl.digits_figure(x, y, title="the first 30")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes = np.array(fig.axes).reshape(3, 10)
    assert [ax.get_title() for ax in axes[0, :3]] == ["label 0", "label 1", "label 2"]
    gaps = [above.get_window_extent(renderer).y0 - below.title.get_window_extent(renderer).y1
            for above, below in zip(axes[:-1].ravel(), axes[1:].ravel())]
    assert min(gaps) >= 5 * fig.dpi / 100
