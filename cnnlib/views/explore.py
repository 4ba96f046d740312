"""explore: what every explorer shares, its sliders and the one way it shows a frame.

An explorer computes its step once per slider move and shows it through a :class:`Frame`:
``frame.show(key, draw_conv, step)``.  The frame draws the figure once for each
layout (``key``: what changes the panels' shapes) and afterwards redraws it in place
(``draw(step, fig=...)`` only changes colours, texts and marks), renders it to PNG within
the bounding box found the first time (the inline backend would look for it on every
frame) and prints the step's one-line text.  Sliders redraw on release
(``continuous_update=False``), so a drag draws one frame, never a backlog.
"""
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

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
    """One explorer's figure: drawn once per layout, then redrawn in place for each step."""

    def __init__(self):
        self.fig, self.key, self.bbox = None, None, None

    def draw(self, key, draw, step):
        """``draw(step)`` on a new figure when ``key`` changed, else ``draw(step, fig=...)``
        on the figure of the last step.  Returns the Figure (not shown)."""
        if self.fig is not None and key != self.key:
            plt.close(self.fig)
            self.fig, self.bbox = None, None
        if self.fig is None:
            self.fig = draw(step)
            plt.close(self.fig)             # kept here, never shown by the inline backend
        else:
            draw(step, fig=self.fig)
        self.key = key
        return self.fig

    def png(self):
        """The figure as PNG bytes, cropped as the inline backend crops (bbox 'tight', with
        a little more room for titles that grow), the crop found once per layout.

        The parts of the figure no step changes (axes' backgrounds, ticks and their labels,
        axis labels) are drawn once and kept as pixels.  Each frame redraws, over those
        pixels, only the panels whose images, texts, lines or marks the step changed."""
        fig = self.fig
        if not isinstance(fig.canvas, FigureCanvasAgg):   # closed figures keep a bare canvas
            FigureCanvasAgg(fig)
        canvas = fig.canvas
        if self.bbox is None:
            fig.draw_without_rendering()
            self.bbox = fig.get_tightbbox(canvas.get_renderer()).padded(0.2)
            fig.set_layout_engine(None)     # laid out once: no layout pass before each PNG
            for _, artists in _changing(fig):
                for artist in artists:
                    artist.set_animated(True)
            canvas.draw()
            self.background = canvas.copy_from_bbox(fig.bbox)
            self.drawn = {}
        renderer = canvas.get_renderer()
        groups = _changing(fig)
        changed = {key for key, artists in groups
                   if self.drawn.get(key, (None,))[0] != [id(a) for a in artists]
                   or any(a.stale for a in artists)}
        extents = {key: _extent(artists, renderer) if key in changed else self.drawn[key][1]
                   for key, artists in groups}
        regions = {key: Bbox.union([box, self.drawn[key][1]]) if key in self.drawn else box
                   for key, box in extents.items()}   # where it is now, and where it was
        grown = True
        while grown:                        # a panel whose pixels are restored is redrawn
            grown = False
            for key in set(extents) - changed:
                if any(regions[key].overlaps(regions[c]) for c in changed):
                    changed.add(key)
                    grown = True
        height = canvas.get_width_height()[1]
        for key in changed:
            r = regions[key]
            canvas.restore_region(self.background, bbox=(
                int(np.floor(r.x0)), int(height - np.ceil(r.y1)), int(np.ceil(r.x1)),
                int(height - np.floor(r.y0))), xy=(0, 0))
        for key, artists in groups:
            if key in changed:
                for artist in artists:
                    fig.draw_artist(artist)
                    artist.stale = False        # (an empty text is not drawn, nor cleared)
            self.drawn[key] = ([id(a) for a in artists], extents[key])
        return _png(canvas, fig, self.bbox)

    def show(self, key, draw, step):
        """Draw ``step`` (see :meth:`draw`), show the PNG, then print ``step["text"]``."""
        self.draw(key, draw, step)
        display(Image(data=self.png(), format="png"))
        print(step["text"])


def _changing(fig):
    """The artists of ``fig`` a step may change, in drawing order, in groups: per Axes (in
    order) its images, lines, patches, collections, texts, spines and titles; then the
    figure's texts.  Everything else (Axes backgrounds, axes with their ticks and labels)
    stays.  Returns [(group key, [artists])]."""
    out = []
    for k, ax in enumerate(fig.axes):
        inner = [a for a in ax.get_children()
                 if a is not ax.patch and a not in (ax.xaxis, ax.yaxis)
                 and a not in ax.spines.values() and a.get_visible()
                 and not isinstance(a, type(ax))]
        inner.sort(key=lambda a: a.get_zorder())
        out.append((k, inner + [sp for sp in ax.spines.values()
                                if sp.get_visible() and ax.axison]))
    texts = [t for t in fig.texts if t.get_visible()] + (
        [fig._suptitle] if fig._suptitle is not None else [])
    return out + [("figure", texts)]


def _extent(artists, renderer):
    """The pixels ``artists`` cover (with 2 pixels to spare), an empty box if none."""
    boxes = [a.get_window_extent(renderer) for a in artists
             if not (hasattr(a, "get_text") and not a.get_text())]
    boxes = [b for b in boxes if np.all(np.isfinite(b.extents)) and b.width >= 0]
    if not boxes:
        return Bbox([[0, 0], [0, 0]])
    return Bbox.union(boxes).expanded(1, 1).padded(2)


def _png(canvas, fig, bbox):
    """The canvas's pixels inside ``bbox`` (inches, clipped to the figure) as PNG bytes."""
    from PIL import Image as PILImage
    height = canvas.get_width_height()[1]
    x0, y0, x1, y1 = (np.array(bbox.extents) * fig.dpi).round().astype(int)
    x0, y0 = max(x0, 0), max(y0, 0)
    rgba = np.asarray(canvas.buffer_rgba())
    crop = rgba[max(height - y1, 0):height - y0, x0:x1]
    buffer = io.BytesIO()
    PILImage.fromarray(crop).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()
