"""explore: what every explorer shares, its sliders and the one way it shows a frame.

An explorer computes its step once per slider move and shows it through a :class:`Frame`:
``frame.show(key, draw_conv, step)``.  The frame draws a figure once for each layout
(``key``: what changes the panels' shapes), keeps the figures of the last layouts seen,
and afterwards redraws the figure of the step's layout in place (``draw(step, fig=...)``
only changes colours, texts and marks); it renders only the pixels the step changed
(:mod:`cnnlib.views.paint`), shows the PNG and prints the step's one-line text.  Sliders
redraw on release (``continuous_update=False``), so a drag draws one frame, never a
backlog.
"""
from collections import OrderedDict

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Image, display

from .paint import Painted

__all__ = ["slider", "show", "Frame"]


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


class Frame:
    """One explorer's figures: one per layout, each drawn once and then repainted in place.

    ``draw(key, draw_family, step)`` draws ``step`` on the figure of layout ``key`` (a new
    figure the first time the key is seen, the same figure redrawn in place afterwards; the
    last KEEP layouts are kept, so moving a stride back and forth draws each figure once);
    ``png()`` renders it (see :mod:`cnnlib.views.paint`: only what changed is repainted)."""

    KEEP = 8

    def __init__(self):
        self.layouts = OrderedDict()          # key: Painted, the last used last
        self.fig, self.key = None, None

    def draw(self, key, draw, step):
        """``draw(step)`` on a new figure when layout ``key`` is new, else
        ``draw(step, fig=...)`` on the figure of that layout.  Returns the Figure."""
        painted = self.layouts.pop(key, None)
        if painted is None:
            fig = draw(step)
            plt.close(fig)                    # kept here, never shown by the inline backend
            painted = Painted(fig)
        else:
            draw(step, fig=painted.fig)
        self.layouts[key] = painted
        while len(self.layouts) > self.KEEP:
            self.layouts.popitem(last=False)
        self.fig, self.key = painted.fig, key
        return painted.fig

    def png(self):
        """The figure of the last step as PNG bytes: its inked part, with a margin."""
        return self.layouts[self.key].png()

    def show(self, key, draw, step):
        """Draw ``step`` (see :meth:`draw`), show the PNG, then print ``step["text"]``."""
        self.draw(key, draw, step)
        display(Image(data=self.png(), format="png"))
        print(step["text"])
