"""cnnlib.views.digit: the digit explorer's step against the network's own scores (Eq. 7)."""
import numpy as np
import pytest

import cnnlib as cl

from .helpers import images_in


def test_digit_step_prediction_and_line(net, digits):
    x, _ = digits
    scores = net.forward(x, keep=False)[0, 0]                      # (10, N)
    lines = set()
    for k in range(2):
        step = cl.digit_step(net, x[..., k], label=3)
        predicted, probability = step["predicted"], step["probability"]
        e = np.exp(scores[:, k] - scores[:, k].max())
        assert predicted == np.argmax(scores[:, k])                 # Eq. (7)
        assert np.isclose(probability, e.max() / e.sum())
        assert step["text"] == cl.prediction_line(predicted, probability, 3)
        lines.add(step["text"])
    assert len(lines) > 1                                           # the text follows the digit
    assert cl.prediction_line(3, 0.971, 3) == "predicted 3 with probability 0.97 (label 3: right)"
    assert cl.prediction_line(5, 0.5) == "predicted 5 with probability 0.50"


def test_digit_step_accepts_a_drawing(net):
    drawing = np.zeros((8, 8))
    drawing[1:7, 3] = 1
    step = cl.digit_step(net, drawing)
    assert 0 <= step["predicted"] < 10 and 0.1 <= step["probability"] <= 1
    assert step["text"].startswith("predicted ") and "label" not in step["text"]


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


def test_draw_digit_draws_the_step(net, digits):
    x, y = digits
    step = cl.digit_step(net, x[..., 4], label=int(y[4]))
    assert step["maps"].shape == (8, 8, 16, 1) and step["maps"].min() >= 0   # after the ReLU
    fig = cl.draw_digit(step)
    assert images_in(fig) == 1 + 16
    assert fig.axes[-1].get_title() == f"predicted {step['predicted']} " \
                                       f"({step['probability']:.2f})"


@pytest.mark.parametrize("shape", [(64,), (16, 16), (8, 8, 2)])
def test_digit_step_image_is_8_by_8(net, shape):
    # (64,) was reshaped row by row into a digit, silently
    with pytest.raises(ValueError, match=r"image must be \(8, 8\) or \(8, 8, 1\), got shape"):
        cl.digit_step(net, np.zeros(shape))


@pytest.mark.parametrize("label, error", [(10, ValueError), (-1, ValueError),
                                          (3.0, TypeError)])
def test_digit_step_label_is_a_class(net, label, error):
    # label 10 of a 10-class network was reported as a wrong prediction
    with pytest.raises(error, match="label"):
        cl.digit_step(net, np.zeros((8, 8)), label)


def test_digit_step_numpy_label_is_an_int(net):
    step = cl.digit_step(net, np.zeros((8, 8, 1)), np.int64(3))
    assert step["label"] == 3 and type(step["label"]) is int
    assert step["text"] == cl.digit_step(net, np.zeros((8, 8)), 3)["text"]
