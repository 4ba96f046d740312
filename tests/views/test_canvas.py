"""cnnlib.views.canvas: FastCanvas draws the very pixels matplotlib's Agg canvas draws (its
caches keep work, never change a picture), and encode_png keeps every pixel."""
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke
from PIL import Image

from cnnlib.views import canvas

from .test_explore import steps

ROOT = Path(__file__).resolve().parents[2]


def texts_figure():
    """Text as the course draws it and as it does not: sizes, weights, alignments, several
    lines, rotation, mathtext, a halo, fallback glyphs, empty strings, at fractional places."""
    fig = Figure(figsize=(5, 3), dpi=100)
    ax = fig.add_subplot()
    ax.set_title("title  ⋆ ⊗ φ — ≤", fontsize=10)
    for k, size in enumerate([5, 7.5, 8.5, 9, 11, 16]):
        ax.text(0.07 + 0.13 * k + 0.013 * k, 0.8 - 0.011 * k, f"{k - 2.5:.2f}", fontsize=size,
                ha=["left", "center", "right"][k % 3], va=["top", "center", "bottom"][k % 3],
                weight="bold" if k % 2 else "normal")
    ax.text(0.1, 0.4, "two\nlines q=3", fontsize=9)
    ax.text(0.5, 0.4, "rotated 30", rotation=30, fontsize=9)
    ax.text(0.7, 0.2, r"$\partial z / \partial x$", fontsize=10)
    ax.text(0.3, 0.15, "halo 12", fontsize=11,
            path_effects=[withStroke(linewidth=4, foreground="orange")])
    ax.text(0.2, 0.6, "", fontsize=9)
    ax.set_xlabel("u (pixel)")
    fig.suptitle("red: pixel x[2,3,1] (u = 37)   |   orange: row r = 100", fontsize=11)
    return fig


def drawn(fig, canvas_class):
    canvas_class(fig)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("name", ["texts", "vec", "conv", "im2col", "backward", "indicator",
                                  "pooling", "digit"])
def test_fast_canvas_draws_the_pixels_agg_draws(name, net, digits):
    if name == "texts":
        make = texts_figure
    else:
        draw, (step, *_) = steps(net, digits)[name]
        make = lambda: draw(step)        # noqa: E731
    agg = drawn(make(), FigureCanvasAgg)
    fig = make()
    first = drawn(fig, canvas.FastCanvas)
    fig.canvas.draw()                    # again, from the caches
    again = np.asarray(fig.canvas.buffer_rgba())
    assert first.shape == agg.shape
    assert np.array_equal(first, agg) and np.array_equal(again, agg)


def test_fast_canvas_draws_aggs_way_with_a_matplotlib_without_its_glyph_calls():
    """The cached text path uses FT2Font's private glyph calls, which an older matplotlib
    (JupyterLite's) lacks: there the canvas must import and draw Agg's way, same pixels."""
    script = (
        "import numpy as np; from matplotlib.backends.backend_agg import FigureCanvasAgg\n"
        "import matplotlib.ft2font as f; vars(f).pop('RenderMode', 0)  # as before 3.10\n"
        "from matplotlib.figure import Figure; from cnnlib.views import canvas\n"
        "assert canvas._FAST_TEXT is False\n"
        "def drawn(make):\n"
        "    fig = Figure(figsize=(3, 2)); fig.suptitle('u = 37  ⊗ φ', fontsize=11)\n"
        "    fig.add_subplot().text(0.31, 0.5, '-0.25 two\\nlines', fontsize=8.5)\n"
        "    make(fig); fig.canvas.draw(); return np.asarray(fig.canvas.buffer_rgba())\n"
        "assert np.array_equal(drawn(canvas.FastCanvas), drawn(FigureCanvasAgg))\n"
        "assert not canvas._LAYOUTS and not canvas._GLYPHS\n"
        "print('drawn')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"}, timeout=120)
    assert done.stdout.strip() == "drawn", done.stderr[-2000:]


def test_fast_canvas_follows_a_new_size():
    fig = texts_figure()
    small = drawn(fig, canvas.FastCanvas)
    fig.set_size_inches(6, 3)
    fig.canvas.draw()
    assert np.asarray(fig.canvas.buffer_rgba()).shape == (300, 600, 4) != small.shape


def test_encode_png_keeps_every_pixel():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    png = canvas.encode_png(rgba[1:6, 1:4])                  # a crop: not contiguous
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")),
                          rgba[1:6, 1:4])


def test_png_frames_keep_every_pixel_of_each_frame_and_recompress_changed_bands_only():
    rng = np.random.default_rng(1)
    frames, rgba = canvas.PngFrames(), np.full((70, 9, 4), 255, dtype=np.uint8)
    for row in [None, 3, 40, 69, None]:
        if row is not None:
            rgba[row, 2, :3] = rng.integers(0, 256, 3)
        before = list(frames.bands)
        png = frames.encode(rgba)
        assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")), rgba)
        if before:
            assert [a is not b for a, b in zip(before, frames.bands)] == [
                k == (row if row is not None else -1) // frames.BAND for k in range(len(before))]
    assert frames.encode(rgba[:60]) != png                    # another size: all anew
