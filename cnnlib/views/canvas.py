"""canvas: matplotlib's Agg canvas, its text drawn from caches (the explorers' frames).

    FastCanvas(fig)     an Agg canvas whose renderer draws the very pixels Agg draws, text
                        included, but lays out each string, measures it and renders each glyph
                        once per session instead of once per draw
    PngFrames().encode(pixels)  a frame as PNG bytes, the bands of rows unchanged since the
                        last frame not compressed again; encode_png(pixels) one frame
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
import math
import struct
import zlib

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.textpath import TextToPath

try:        # the glyph-level calls the cached text path needs, as Agg itself makes them
    from matplotlib.ft2font import FT2Font, RenderMode
    _FAST_TEXT = all(hasattr(FT2Font, n) for n in ("_layout", "_set_transform", "_render_glyph"))
except ImportError:          # an older matplotlib (JupyterLite's): Agg's own text, same pixels
    _FAST_TEXT = False

__all__ = ["FastCanvas", "PngFrames", "encode_png", "ink_box", "buffer_slices"]

_LAYOUTS, _GLYPHS, _METRICS, _HEIGHTS, _PATHS = {}, {}, {}, {}, {}
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


class _TextPaths(TextToPath):
    """The outlines of a string (text drawn with a path effect, a halo), once per session."""

    def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):
        if ismath or features or language:        # (an older matplotlib takes neither keyword)
            extra = {k: v for k, v in (("features", features), ("language", language)) if v}
            return super().get_text_path(prop, s, ismath, **extra)
        key = (s, _font_key(prop))
        hit = _PATHS.get(key)
        if hit is None:
            hit = _remember(_PATHS, key, super().get_text_path(prop, s))
        return hit


class _Renderer(RendererAgg):
    """RendererAgg with session-wide caches of text layouts, metrics, glyph bitmaps and
    outlines (a path effect draws a text as its outline: PathEffectRenderer asks the
    renderer it wraps for ``_text2path``).  ``inked``: where each one-line Text drawn put
    its glyphs (display pixels, y up): a cheaper extent than Text.get_window_extent's."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._text2path = _TextPaths()
        self.inked = {}          # id(Text): the display box its glyphs cover, as last drawn

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
            font = self._prepare_font(prop)
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
        if not _FAST_TEXT or ismath or angle != 0 or (mtext is not None and (
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
        ink = [np.inf, np.inf, -np.inf, -np.inf]
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
            left, top = left + (gx >> 6), top + (gy >> 6)
            self._renderer.draw_text_image(buffer, left, int(height) - top + buffer.shape[0],
                                           0, gc)
            ink = [min(ink[0], left), min(ink[1], top - buffer.shape[0]),
                   max(ink[2], left + buffer.shape[1]), max(ink[3], top)]
        if mtext is not None:
            self.inked[id(mtext)] = ink


class FastCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with :class:`_Renderer` (the same pixels, text from caches)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


class PngFrames:
    """PNG bytes of successive frames of one figure (RGBA pixels, opaque): a frame's rows
    are compressed in bands of BAND rows, each a deflate block of its own, and a band whose
    pixels did not change since the last frame keeps its compressed bytes.

    A step that changes a few cells compresses a few bands: zlib's fastest level over rows
    left unfiltered is as small as PIL's PNG here and takes 2/3 of its time for a whole
    frame (backward's 1083 x 681 pixels: 11 ms against 16), and 1 ms for an unchanged one."""

    BAND = 16

    def __init__(self):
        self.last, self.bands = None, []

    def encode(self, pixels):
        """PNG bytes (RGB, 8 bits) of ``pixels`` (rows, columns, 4); alpha is dropped."""
        h, w = pixels.shape[:2]
        if self.last is None or self.last.shape != pixels.shape:
            self.last, self.bands = pixels.copy(), [None] * -(-h // self.BAND)
            changed = np.ones(h, dtype=bool)
        else:
            changed = np.any(pixels.view(np.uint32)[..., 0] != self.last.view(np.uint32)[..., 0],
                             axis=1)
        adler = 1
        for k, band in enumerate(self.bands):
            rows = slice(k * self.BAND, min((k + 1) * self.BAND, h))
            if band is None or changed[rows].any():
                raw = np.zeros((rows.stop - rows.start, 1 + 3 * w), dtype=np.uint8)
                raw[:, 1:].reshape(-1, w, 3)[...] = pixels[rows, :, :3]    # filter 0: none
                deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
                band = self.bands[k] = (deflate.compress(raw) + deflate.flush(zlib.Z_FULL_FLUSH),
                                        zlib.adler32(raw), raw.size)
                self.last[rows] = pixels[rows]
            adler = _adler32_combine(adler, band[1], band[2])
        data = b"".join([b"\x78\x01"] + [band[0] for band in self.bands]
                        + [b"\x03\x00", struct.pack(">I", adler)])  # (the last, empty block)
        header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)       # 8-bit RGB
        return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
                + _chunk(b"IEND", b""))


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _adler32_combine(first, second, length):
    """The Adler-32 of two byte strings one after the other from theirs (zlib's
    adler32_combine; ``length``: of the second)."""
    base = 65521
    rem = length % base
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % base
    sum1 = (sum1 + (second & 0xFFFF) + base - 1) % base
    sum2 = (sum2 + (first >> 16) + (second >> 16) + base - rem) % base
    return sum1 | (sum2 << 16)


def encode_png(pixels):
    """RGBA pixels (rows, columns, 4), opaque, as PNG bytes (see :class:`PngFrames`)."""
    return PngFrames().encode(pixels)


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
