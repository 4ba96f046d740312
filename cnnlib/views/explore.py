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

    ``draw(key, draw_family, step)`` draws ``step`` on the figure of layout ``key`` (the
    same figure redrawn in place when the key is among the last ``keep`` seen; else a new
    figure, or, with ``reuse`` and ``keep`` figures made, the figure of the layout seen
    longest ago given the new shapes in place, which costs far less than a new one: see
    :mod:`~cnnlib.views.relayout`);
    ``png()`` renders it (see :mod:`cnnlib.views.paint`: only what changed is repainted)."""

    def __init__(self, reuse=False, keep=8):
        self.layouts = OrderedDict()          # key: Painted, the last used last
        self.fig, self.key, self.reuse, self.keep = None, None, reuse, keep

    def draw(self, key, draw, step):
        """``draw(step, fig=...)`` on the figure of layout ``key`` (see the class); a new
        figure ``draw(step)`` when there is none to redraw.  Returns the Figure."""
        painted = self.layouts.pop(key, None)
        if painted is None and len(self.layouts) >= self.keep:
            oldest = self.layouts.popitem(last=False)[1]
            if self.reuse:
                oldest.release()
                painted = oldest
        if painted is None:
            fig = draw(step)
            plt.close(fig)                    # kept here, never shown by the inline backend
            painted = Painted(fig)
        else:
            draw(step, fig=painted.fig)
        self.layouts[key] = painted
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
