"""canvas: matplotlib's Agg canvas, its text drawn from caches (the explorers' frames).

    FastCanvas(fig)     an Agg canvas whose renderer draws the very pixels Agg draws, text
                        included, but lays out each string, measures it and renders each glyph
                        once per session instead of once per draw
    encode_png(pixels)  RGBA pixels as PNG bytes
    ink_box(pixels)     the rows and columns of the pixels that are not white
    buffer_slices(boxes, shape)  the buffer's rows and columns under display boxes

Where a frame's time went (cProfile of the explorers' moves, matplotlib 3.11): most of it
in text, and most of that in work repeated for the same string at every draw: the shaping
of the string into glyphs (``FT2Font._layout``), the font's height metrics read from its
tables at each ``Text._get_layout``, the size of each string measured again by each new
figure's renderer, and every glyph rasterised again.  These caches keep them for the whole
session; the glyphs a frame draws are the same bitmaps at the same pixels, so the frame is
the same picture to the pixel (tests/views/test_canvas.py compares with plain Agg).
Rotated text, mathtext and text with font features or a language take Agg's own path.
"""
import io
import math

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import RenderMode

__all__ = ["FastCanvas", "encode_png", "ink_box", "buffer_slices"]

_LAYOUTS, _GLYPHS, _METRICS, _HEIGHTS = {}, {}, {}, {}
_LIMIT = 50_000                    # entries per cache; a cache this full starts again
_COS, _SIN = math.cos(math.radians(0)), math.sin(math.radians(0))
_UPRIGHT = (0x10000 * np.array([[_COS, -_SIN], [_SIN, _COS]])).round().astype(int)


def _remember(cache, key, value):
    if len(cache) >= _LIMIT:
        cache.clear()
    cache[key] = value
    return value


def _font_key(prop):
    """What picks a font and its size: FontProperties is mutable, its state is the key."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
            mpl.rcParams["text.hinting"], mpl.rcParams["text.hinting_factor"])


class _Renderer(RendererAgg):
    """RendererAgg with session-wide caches of text layouts, metrics and glyph bitmaps."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_key(prop), self.dpi)
        hit = _METRICS.get(key)
        if hit is None:
            hit = _remember(_METRICS, key,
                            super().get_text_width_height_descent(s, prop, ismath))
        return hit

    def _get_font_height_metrics(self, prop):
        """The font's ascent, descent and line gap at its size (what Text._get_layout reads
        from the font's tables when the renderer does not say), once per font and size."""
        key = (_font_key(prop), self.dpi)
        hit = _HEIGHTS.get(key)
        if hit is None:
            font = get_font(fontManager._find_fonts_by_props(prop))
            hit = (None, None, None)
            for table_name, gap, ascent, descent in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                fontsize = prop.get_size_in_points()
                units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
                scale = 1 / units_per_em * fontsize * self.dpi / 72
                hit = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                break
            _remember(_HEIGHTS, key, hit)
        return hit

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle != 0 or (mtext is not None and (
                mtext.get_fontfeatures() or mtext.get_language())):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        flags = get_hinting_flag()
        key = (s, _font_key(prop), self.dpi)
        glyphs = _LAYOUTS.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)
            glyphs = _remember(_LAYOUTS, key, [
                (item.ft_object, item.glyph_index, item.x, item.y)
                for item in font._layout(s, flags=flags)])
        size, antialiased, height = prop.get_size_in_points(), gc.get_antialiased(), self.height
        for font, index, dx, dy in glyphs:
            # where Agg puts the glyph, in 1/64 pixel, as Agg computes it (cos 0 = 1, sin 0 =
            # 0); the bitmap depends on the fraction only, the whole pixels move it
            gx = round(0x40 * (x + dx * _COS - dy * _SIN))
            gy = round(0x40 * (height - y + dx * _SIN + dy * _COS))
            gkey = (font.fname, font.face_index, size, self.dpi, index, gx & 63, gy & 63,
                    antialiased, flags)
            hit = _GLYPHS.get(gkey)
            if hit is None:
                font.set_size(size, self.dpi)
                font._set_transform(_UPRIGHT, [gx & 63, gy & 63])
                bitmap = font._render_glyph(
                    index, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
                buffer = np.array(bitmap.buffer, dtype=np.uint8)
                if not antialiased:
                    buffer *= 0xff
                hit = _remember(_GLYPHS, gkey, (buffer, bitmap.left, bitmap.top))
            buffer, left, top = hit
            self._renderer.draw_text_image(
                buffer, left + (gx >> 6), int(height) - (top + (gy >> 6)) + buffer.shape[0],
                0, gc)


class FastCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with :class:`_Renderer` (the same pixels, text from caches)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def encode_png(pixels):
    """RGBA pixels (rows, columns, 4) as PNG bytes: zlib's fastest level, which is as small
    as its default here (flat colours) at half the time."""
    from PIL import Image
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def ink_box(pixels):
    """(first row, last row + 1, first column, last column + 1) of the RGBA pixels that are
    not white, None if all are."""
    ink = pixels.view(np.uint32)[..., 0] != 0xFFFFFFFF
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return (rows[0], rows[-1] + 1, cols[0], cols[-1] + 1) if len(rows) else None


def buffer_slices(boxes, shape, union=False):
    """(rows, columns) slices of the buffer (row 0 on top) of each display box (y up), or
    of the box that holds them all."""
    height, width = shape[:2]
    r0 = np.clip(np.floor(height - boxes[:, 3]), 0, height).astype(int)
    r1 = np.clip(np.ceil(height - boxes[:, 1]), 0, height).astype(int)
    c0 = np.clip(np.floor(boxes[:, 0]), 0, width).astype(int)
    c1 = np.clip(np.ceil(boxes[:, 2]), 0, width).astype(int)
    if union:
        return slice(r0.min(), r1.max()), slice(c0.min(), c1.max())
    return [(slice(*r), slice(*c)) for r, c in zip(zip(r0, r1), zip(c0, c1))]
