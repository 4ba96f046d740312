"""paint: a figure rendered once, then repainted only where a step changed it.

    Painted(fig).png()    the figure as PNG bytes: the first call renders it all, each later
                          call (after ``draw_<family>(step, fig=fig)``) repaints only the
                          pixels whose artists changed, and crops to what is inked

The first render draws the parts no step changes (backgrounds, ticks, their labels) once
and keeps them as pixels; over them it draws every other artist ("the drawables": images,
texts, marks, spines, titles) in the order matplotlib draws them.  A repaint compares each
drawable with the last frame's (the same object and not stale, or a new object of the same
kind, style and place, is unchanged), takes as damage where the changed ones were and are
(for an image, only its cells whose colour changed), puts the kept pixels back there, draws
every drawable that reaches into the damage, and keeps the last frame's pixels everywhere
else.  So a step that moves one outline repaints a few cells, not the figure.

The canvas holds the figure with a margin all round (``matplotlib``'s own tight-bbox shift),
so what sticks out of the figure (a caption under an axes, a long title) is drawn, not cut;
the PNG is the inked part of the canvas with PAD inches around it, and grows if a later step
inks beyond it.  When a part thought fixed changes (tick labels, axis limits), the figure is
rendered again in full.
"""
from collections import Counter

import numpy as np
from matplotlib._tight_bbox import adjust_bbox
from matplotlib.colors import to_rgba
from matplotlib.image import AxesImage
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .canvas import FastCanvas, PngFrames, buffer_slices, ink_box
from .damage import axis_look, changed_cells, drawables, extent, signature

__all__ = ["Painted", "MARGIN", "PAD"]

MARGIN = 0.5     # inches of canvas on each side of the figure (doubled while ink reaches it)
PAD = 0.2        # inches around the ink in the PNG (the inline backend: 0.1 around the bbox)


class Painted:
    """``fig`` rendered to PNG, repainted only where the drawables changed (see module)."""

    def __init__(self, fig, margin=MARGIN):
        self.fig, self.margin, self.canvas, self.png_bytes = fig, margin, None, None
        self.renders = 0                        # full renders so far (the rest: repaints)

    def png(self):
        """The figure as PNG bytes, as it is now."""
        if self.canvas is None or self._fixed() != self.fixed:
            self._render()
        else:
            self._repaint()
        return self.png_bytes

    def release(self):
        """Give the figure back for another layout (undo its place on the canvas): the next
        :meth:`png` renders it all again."""
        if self.canvas is not None:
            self.restore()
            self.canvas = None

    def _fixed(self):
        """What the kept pixels show: each axes' place, limits, frame, and its axes' look."""
        looks = getattr(self, "looks", {})
        self.looks = {id(axis): axis_look(axis) if axis.stale or id(axis) not in looks
                      else looks[id(axis)] for ax in self.fig.axes
                      for axis in (ax.xaxis, ax.yaxis)}
        return [(tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(), ax.axison,
                 ax.get_frame_on(), to_rgba(ax.patch.get_facecolor()), ax.get_visible(),
                 [self.looks[id(axis)] for axis in (ax.xaxis, ax.yaxis)])
                for ax in self.fig.axes] + [to_rgba(self.fig.patch.get_facecolor())]

    def _render(self):
        """Draw it all: the fixed parts once (kept as pixels), then every drawable."""
        fig, self.renders = self.fig, self.renders + 1
        if self.canvas is None:
            for ax in fig.axes:
                ax.apply_aspect()               # laid out once: positions fixed from here
            fig.set_layout_engine("none")
            m = self.margin
            w, h = fig.get_size_inches()
            self.restore = adjust_bbox(fig, Bbox.from_extents(-m, -m, w + m, h + m), None)
            self.canvas, self.frames = FastCanvas(fig), PngFrames()
        items = drawables(fig)
        hidden = [a for a in items if isinstance(a, AxesImage)]
        for a in items:
            a.set_animated(True)
        for a in hidden:
            a.set_visible(False)
        self.canvas.draw()
        for a in hidden:
            a.set_visible(True)
        renderer = self.canvas.get_renderer()
        self.pixels = np.asarray(renderer.buffer_rgba())
        self.background = self.pixels.copy()
        renderer.inked = {}
        for a in items:
            a.draw(renderer)
            a.stale = False
        self.items = [self._item(a, renderer, renderer.inked.get(id(a))) for a in items]
        self.fixed = self._fixed()
        height, width = self.pixels.shape[:2]
        ink = ink_box(self.pixels)
        if self._overshoot() > 0 or (ink and (min(ink[0], ink[2]) == 0 or ink[1] == height
                                                 or ink[3] == width)):
            return self._widen(max(self._overshoot(), self.margin))
        self.crop = (0, height, 0, width) if ink is None else self._padded(ink)
        self.png_bytes = self.frames.encode(self._cropped())

    def _overshoot(self):
        """Inches by which the drawables reach beyond the canvas (0 if they do not)."""
        height, width = self.pixels.shape[:2]
        e = np.array([item[2] for item in self.items]).reshape(-1, 4)
        over = max(0, -e[:, 0].min(initial=0), -e[:, 1].min(initial=0),
                   e[:, 2].max(initial=0) - width, e[:, 3].max(initial=0) - height)
        return over / self.fig.dpi

    def _widen(self, inches):
        """Render again on a canvas with ``inches`` more margin all round."""
        self.restore()
        self.margin, self.canvas = self.margin + inches + PAD, None
        self._render()

    def _item(self, a, renderer, inked=None):
        """(artist, signature, extent, colours of an image's cells)."""
        box = extent(a, renderer, inked if isinstance(a, Text) and not
                     a.get_path_effects() else None)
        if isinstance(a, AxesImage):
            return a, ("image", id(a)), box, a.to_rgba(a.get_array(), bytes=True)
        return a, signature(a, box), box, None

    def _repaint(self):
        """Find the damage: where changed drawables were and are."""
        renderer = self.canvas.get_renderer()
        before = {id(item[0]): item for item in self.items}
        items, damage = [], []
        for a in drawables(self.fig):
            old = before.get(id(a))
            if old is not None and not a.stale:
                items.append(old)
                continue
            item = self._item(a, renderer)
            items.append(item)
            if old is None:
                continue                        # a new artist: see the signatures below
            if isinstance(a, AxesImage):
                if old[2] == item[2] and old[3].shape == item[3].shape:
                    damage.extend(changed_cells(a, old[3], item[3], item[2]))
                else:
                    damage += [old[2], item[2]]
            elif item[1][0] == "object":
                damage += [old[2], item[2]]
        diff = Counter(item[1] for item in self.items)
        diff.subtract(item[1] for item in items)
        for item in self.items:                 # what was and is no more
            if diff[item[1]] > 0:
                damage.append(item[2])
                diff[item[1]] -= 1
        for item in items:                      # what is and was not
            if diff[item[1]] < 0:
                damage.append(item[2])
                diff[item[1]] += 1
        self.items = items
        if self._overshoot() > 0:
            return self._widen(self._overshoot())
        if damage:
            self._paint(renderer, items, np.array(damage, dtype=float).reshape(-1, 4))
        for item in items:
            item[0].stale = False

    def _paint(self, renderer, items, damage):
        """Put the kept pixels back in the damage, draw what reaches into it, keep the last
        frame's pixels elsewhere."""
        extents = np.array([item[2] for item in items]).reshape(-1, 4)
        touched = ((extents[:, None, 0] < damage[None, :, 2])
                   & (extents[:, None, 2] > damage[None, :, 0])
                   & (extents[:, None, 1] < damage[None, :, 3])
                   & (extents[:, None, 3] > damage[None, :, 1])).any(axis=1)
        rows, cols = buffer_slices(np.vstack([damage, extents[touched]]), self.pixels.shape, True)
        last = self.pixels[rows, cols].copy()
        mask = np.zeros(self.pixels.shape[:2], dtype=bool)
        for r, c in buffer_slices(damage, self.pixels.shape):
            mask[r, c] = True
            self.pixels[r, c] = self.background[r, c]
        for item, draw in zip(items, touched):
            if draw:
                item[0].draw(renderer)
        np.copyto(self.pixels[rows, cols], last, where=~mask[rows, cols][..., None])
        self._grow(damage)
        self.png_bytes = self.frames.encode(self._cropped())

    def _grow(self, damage):
        """Widen the crop to any ink the damage left outside it."""
        r0, r1, c0, c1 = self.crop
        for r, c in buffer_slices(damage, self.pixels.shape):
            if not (r.start >= r0 and r.stop <= r1 and c.start >= c0 and c.stop <= c1):
                ink = ink_box(self.pixels[r, c])
                if ink is not None:
                    ink = self._padded((ink[0] + r.start, ink[1] + r.start,
                                        ink[2] + c.start, ink[3] + c.start))
                    r0, r1 = min(r0, ink[0]), max(r1, ink[1])
                    c0, c1 = min(c0, ink[2]), max(c1, ink[3])
        self.crop = (r0, r1, c0, c1)

    def _padded(self, box):
        """Rows and columns ``box`` with PAD inches more on each side, within the canvas."""
        pad, (height, width) = int(round(PAD * self.fig.dpi)), self.pixels.shape[:2]
        return (max(box[0] - pad, 0), min(box[1] + pad, height),
                max(box[2] - pad, 0), min(box[3] + pad, width))

    def _cropped(self):
        r0, r1, c0, c1 = self.crop
        return self.pixels[r0:r1, c0:c1]
