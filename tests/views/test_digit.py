"""cnnlib.views.digit: the digit explorer's step against the network's own scores (Eq. 7)."""
import matplotlib.pyplot as plt
import numpy as np

import cnnlib as cl

from .helpers import images_in


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


def test_digit_step_is_what_the_view_draws(net, digits):
    x, y = digits
    step = cl.digit_step(net, x[..., 4], label=int(y[4]))
    fig, predicted, probability = cl.digit_explorer_view(net, x[..., 4], label=int(y[4]))
    assert (predicted, probability) == (step["predicted"], step["probability"])
    assert step["text"] == cl.prediction_line(predicted, probability, int(y[4]))
    assert step["maps"].shape == (8, 8, 16, 1) and step["maps"].min() >= 0   # after the ReLU
    assert images_in(cl.draw_digit_step(step)) == images_in(fig) == 1 + 16
