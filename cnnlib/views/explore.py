"""explore: what every explorer shares, its sliders and the one way it shows a frame.

An explorer computes its step once per slider move, draws the figure from that step
and prints the step's one-line text: ``show(draw_conv_step(step), step["text"])``.
Sliders redraw on release (``continuous_update=False``), so a drag draws one frame.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display


def slider(description, value, low, high):
    """An integer slider labelled ``description`` (the label the browser test drives)."""
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False,
                             style={"description_width": "initial"})


def show(fig, text):
    """Show ``fig`` and then ``text`` in the explorer's output, and free the figure."""
    display(fig)
    plt.close(fig)
    print(text)
