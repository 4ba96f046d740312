"""cnnlib.views.paint: the PNG of a frame holds everything its figure draws, whatever layout
an explorer's sliders reach; what a step did not change is not drawn again; what it changed
is drawn as a fresh drawing draws it (tests/views/test_explore.py compares whole frames)."""
import io
import itertools

import numpy as np
import pytest
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Affine2D
from PIL import Image

from cnnlib.views import conv, damage, draw, explore, paint, pooling, timing

from .test_explore import X2

LAYOUT = {"input", "kernel", "stride", "padding", "size", "pooling", "order", "show"}


def assert_crop_holds_every_artist(painted, fixed=None):
    """The PNG's crop (canvas rows and columns) holds the extent of everything drawn: each
    shown axis with its ticks and label, and every text, patch, line and image.
    ``fixed``: {id: boxes of the axes} of frames checked before (they do not change)."""
    fig, renderer = painted.fig, painted.canvas.get_renderer()
    r0, r1, c0, c1 = painted.crop
    height = renderer.height
    key = (id(painted), painted.renders)            # (a render lays the figure out anew)
    if fixed is None or key not in fixed:
        axes = [axis.get_tightbbox(renderer) for ax in fig.axes if ax.axison
                for axis in ax._axis_map.values() if axis.get_visible()]
        if fixed is not None:
            fixed[key] = axes
    else:
        axes = fixed[key]
    boxes = [box for box in axes if box is not None]
    boxes += [a.get_window_extent(renderer) for a in damage.drawables(fig)
              if isinstance(a, (Patch, Line2D, AxesImage))
              or (isinstance(a, Text) and a.get_text())]
    for box in boxes:
        inside = (c0 <= box.x0 + 1 and box.x1 - 1 <= c1
                  and r0 <= height - box.y1 + 1 and height - box.y0 - 1 <= r1)
        assert inside, (f"crop rows {r0}..{r1}, cols {c0}..{c1} of a {height}-row canvas "
                        f"cut {box} ({box.transformed(Affine2D().scale(1 / fig.dpi))} in)")
    png = np.asarray(Image.open(io.BytesIO(painted.png_bytes)))
    assert png.shape[:2] == (r1 - r0, c1 - c0)


def every_layout(name, monkeypatch, only=None):
    """Move explorer ``name`` (as the benchmark makes it) through every combination of its
    layout controls (menus, stride, padding, size) and, in each, every other slider to its
    ends; check every frame it shows.  ``only``: {control: value} held fixed."""
    shown, fixed = [], {}
    original = explore.Frame.show

    def spy(frame, key, draw_family, step):
        original(frame, key, draw_family, step)
        try:
            assert_crop_holds_every_artist(frame.layouts[frame.key], fixed)
            shown.append(key)
        except AssertionError as cut:          # (a widget callback's error is only logged)
            shown.append(cut)

    monkeypatch.setattr(explore.Frame, "show", spy)
    box = timing._explorers()[name]()
    controls = [(label, c) for label, c in timing._controls(box) if not isinstance(c, list)]
    layout = [(c, [only[label]] if only and label in only else
               list(range(c.min, c.max + 1)) if hasattr(c, "min") else
               [o[1] if isinstance(o, tuple) else o for o in c.options])
              for label, c in controls if label in LAYOUT]
    others = [c for label, c in controls if label not in LAYOUT]
    for values in itertools.product(*[v for _, v in layout]):
        for (c, _), v in zip(layout, values):
            c.value = v
        for c in others:
            c.value = c.max
            c.value = c.min
    return shown


@pytest.mark.parametrize("name,only", [
    ("vec", None), ("im2col", None), ("backward", None), ("indicator", None),
    ("pooling", None), ("digit", None)] + [
    ("conv", {"input": x}) for x in conv.EXAMPLE_INPUTS])
def test_the_png_holds_every_artist_of_every_layout_the_sliders_reach(name, only, monkeypatch,
                                                                      capsys):
    shown = every_layout(name, monkeypatch, only)
    assert len(shown) >= 3
    assert not [cut for cut in shown if isinstance(cut, AssertionError)], shown


def test_the_pooling_caption_under_x_is_in_the_png():
    """JupyterLab, pooling size 5 stride 2: the caption under x was cut at the PNG's
    bottom (the figure's own bbox ended above it)."""
    x = np.random.default_rng(0).permutation(48).reshape(6, 8).astype(float)
    frame = explore.Frame()
    frame.draw((5, 2), pooling.draw_pooling, pooling.pooling_step(x, 5, 2, "max", 0))
    frame.png()
    assert_crop_holds_every_artist(frame.layouts[(5, 2)])


def test_a_title_grown_in_place_grows_the_png():
    step = conv.conv_step(X2, np.ones((2, 2)), 2, 1, 0)
    painted = paint.Painted(conv.draw_conv(step))
    width = np.asarray(Image.open(io.BytesIO(painted.png()))).shape[1]
    painted.fig.axes[2].set_title("a title far longer than the figure is wide, " * 3)
    assert np.asarray(Image.open(io.BytesIO(painted.png()))).shape[1] > width
    assert_crop_holds_every_artist(painted)


def test_a_text_far_outside_the_figure_widens_the_canvas():
    step = conv.conv_step(X2, np.ones((2, 2)), 2, 1, 0)
    fig = conv.draw_conv(step)
    fig.axes[0].text(0.5, -2.5, "far below", transform=fig.axes[0].transAxes)
    painted = paint.Painted(fig)
    painted.png()
    assert painted.margin > paint.MARGIN
    assert_crop_holds_every_artist(painted)


def test_a_step_that_moves_the_window_redraws_a_few_cells(monkeypatch):
    """conv position 0 -> 1 (pad 1, stride 2): the window and the output cell move; the
    numbers that stay are not drawn again."""
    frame = explore.Frame()
    frame.draw("k", conv.draw_conv, conv.conv_step(X2, np.ones((2, 2)), 2, 1, 0))
    frame.png()
    texts = sum(len(ax.texts) for ax in frame.fig.axes)
    drawn = []
    monkeypatch.setattr(Text, "draw", lambda t, renderer: drawn.append(t.get_text()))
    frame.draw("k", conv.draw_conv, conv.conv_step(X2, np.ones((2, 2)), 2, 1, 1))
    frame.png()
    assert 0 < len(drawn) < texts / 2


def test_a_changed_tick_label_draws_the_figure_again():
    """Tick labels are kept as pixels: when a step changes them, the figure is drawn again
    in full (here: draw_matrix relabelled in place), as a fresh drawing."""
    a = np.arange(6).reshape(2, 3)
    old = paint.Painted(draw.draw_matrix(a, row_labels=["a", "b"], title="m"))
    old.png()
    draw.draw_matrix(a, ax=old.fig.axes[0], row_labels=["c", "d"], title="m")
    fresh = paint.Painted(draw.draw_matrix(a, row_labels=["c", "d"], title="m"))
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(old.png()))),
                          np.asarray(Image.open(io.BytesIO(fresh.png()))))


@pytest.mark.parametrize("params", [{"labelsize": 14}, {"length": 8}, {"colors": "red"},
                                    {"labelbottom": True, "labeltop": False}])
def test_a_changed_tick_style_draws_the_figure_again(params):
    """The ticks' style (what tick_params sets: sizes, colours, sides) is kept as pixels
    too: a step that changes it draws the figure again, as a fresh drawing."""
    a = np.arange(6).reshape(2, 3)
    old = paint.Painted(draw.draw_matrix(a, title="m"))
    old.png()
    old.fig.axes[0].tick_params(**params)
    fresh = draw.draw_matrix(a, title="m")
    fresh.axes[0].tick_params(**params)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(old.png()))),
                          np.asarray(Image.open(io.BytesIO(paint.Painted(fresh).png()))))
