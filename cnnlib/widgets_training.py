"""widgets_training: the explorer of chapter 12.

``digit_explorer`` wires a slider (which test digit) and an 8 x 8 grid of toggle buttons
(draw your own digit) to :func:`cnnlib.plot_training.digit_explorer_view`, and prints
the prediction line of :func:`cnnlib.plot_training.prediction_line`; both change as
the slider moves or a pixel is toggled.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .plot_training import digit_explorer_view, prediction_line

__all__ = ["digit_explorer"]


def digit_explorer(net, x, labels=None, index=0):
    """Pick a digit of x (8, 8, 1, N) with a slider, or draw one on an 8 x 8 grid, and see
    the first layer's feature maps and the class probabilities of the trained ``net``.

    labels: the N true classes (optional).  index: the digit shown first.
    Returns the widget box it displays.
    """
    x = np.asarray(x, dtype=float)
    slider = widgets.IntSlider(value=index, min=0, max=x.shape[-1] - 1, description="digit",
                               continuous_update=False)
    source = widgets.ToggleButtons(options=["test digit", "my drawing"], value="test digit",
                                   description="show")
    pixels = [widgets.ToggleButton(value=False, layout=widgets.Layout(width="26px",
                                                                      height="26px"))
              for _ in range(64)]
    grid = widgets.GridBox(pixels, layout=widgets.Layout(
        grid_template_columns="repeat(8, 28px)", grid_gap="1px"))
    copy = widgets.Button(description="copy digit to grid")
    clear = widgets.Button(description="clear grid")
    out = widgets.Output()

    def drawing():
        """The grid as an (8, 8) image: toggled pixels are ink (1), the rest paper (0)."""
        return np.array([b.value for b in pixels], dtype=float).reshape(8, 8)

    def redraw(*_):
        if source.value == "test digit":
            image = x[:, :, 0, slider.value]
            label = None if labels is None else int(labels[slider.value])
        else:
            image, label = drawing(), None
        with out:
            out.clear_output(wait=True)
            _, predicted, probability = digit_explorer_view(net, image, label)
            plt.show()
            print(prediction_line(predicted, probability, label))

    def set_grid(image):
        for b, v in zip(pixels, np.asarray(image).reshape(-1)):
            b.unobserve(redraw, "value")
            b.value = bool(v > 0.5)
            b.observe(redraw, "value")
        source.value = "my drawing"
        redraw()

    copy.on_click(lambda _: set_grid(x[:, :, 0, slider.value]))
    clear.on_click(lambda _: set_grid(np.zeros((8, 8))))
    for w in [slider, source] + pixels:
        w.observe(redraw, "value")
    redraw()
    controls = widgets.VBox([slider, source,
                             widgets.HBox([grid, widgets.VBox([copy, clear])])])
    return widgets.VBox([controls, out])
