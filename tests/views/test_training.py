"""cnnlib.views.training: chapter 12's figures and the digit explorer wired to them."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import cnnlib as cl


@pytest.fixture(scope="module")
def net():
    return cl.digits_cnn(seed=1)


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(0)
    return rng.random((8, 8, 1, 12)), np.arange(12) % 10


def images_in(fig):
    return sum(len(ax.get_images()) for ax in fig.axes)


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


def test_explorer_view_prediction_and_line(net, digits):
    x, _ = digits
    scores = net.forward(x, keep=False)[0, 0]                      # (10, N)
    lines = set()
    for k in range(2):
        fig, predicted, probability = cl.digit_explorer_view(net, x[..., k], label=3)
        plt.close(fig)
        e = np.exp(scores[:, k] - scores[:, k].max())
        assert predicted == np.argmax(scores[:, k])                 # Eq. (7)
        assert np.isclose(probability, e.max() / e.sum())
        assert images_in(fig) == 1 + 16
        lines.add(cl.prediction_line(predicted, probability, 3))
    assert len(lines) > 1                                           # the text follows the digit
    assert cl.prediction_line(3, 0.971, 3) == "predicted 3 with probability 0.97 (label 3: right)"
    assert cl.prediction_line(5, 0.5) == "predicted 5 with probability 0.50"


def test_explorer_view_accepts_a_drawing(net):
    drawing = np.zeros((8, 8))
    drawing[1:7, 3] = 1
    fig, predicted, probability = cl.digit_explorer_view(net, drawing)
    assert 0 <= predicted < 10 and 0.1 <= probability <= 1


def test_digit_explorer_widgets_respond(net, digits):
    x, y = digits
    box = cl.digit_explorer(net, x, y, index=2)
    controls, out = box.children
    slider, source, row = controls.children
    grid, buttons = row.children
    slider.value = 5
    grid.children[10].value = True                        # drawing a pixel switches nothing
    assert source.value == "test digit"
    buttons.children[0].click()                           # copy the digit onto the grid
    assert source.value == "my drawing"
    assert [b.value for b in grid.children] == list((x[:, :, 0, 5] > 0.5).reshape(-1))
    buttons.children[1].click()                           # clear
    assert not any(b.value for b in grid.children)
