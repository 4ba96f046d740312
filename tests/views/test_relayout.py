"""cnnlib.views.relayout: a figure given other shapes in place is the fresh drawing of its
step, pixel for pixel, and keeps no artist of its old shape."""
import io

import numpy as np
import pytest
from PIL import Image

from cnnlib.views import conv, draw, explore, im2col, pooling
from cnnlib.views.conv import EXAMPLE_INPUTS, EXAMPLE_KERNELS

X = np.random.default_rng(0).permutation(48).reshape(6, 8).astype(float)
A = EXAMPLE_INPUTS["A, 3x4 (note, Eq. 13)"]


def conv_steps():
    for s, p, x, f, position in [
            (2, 1, "X, 4x4 (seed 003)", "ones 2x2 (note)", 0),
            (1, 2, "5x6 small integers", "vertical edge 3x3", 5),
            (3, 0, "A, 3x4 (note, Eq. 13)", "ones 1x3", 0),
            (1, 0, "5x6 small integers", "[[1, 2], [3, 4]] (asymmetric)", 7),
            (2, 1, "X, 4x4 (seed 003)", "ones 2x2 (note)", 2)]:
        yield (s, p, x, f), conv.conv_step(EXAMPLE_INPUTS[x], EXAMPLE_KERNELS[f], s, p, position)


def pooling_steps():
    for size, stride, mode, k in [(2, 2, "max", 0), (5, 2, "max", 1), (1, 1, "avg", 7),
                                  (6, 4, "max", 0), (3, 1, "avg", 20), (2, 2, "max", 5)]:
        yield (size, stride), pooling.pooling_step(X, size, stride, mode, k)


def im2col_steps():
    for stride, position in [(1, 3), (2, 1), (1, 5), (2, 0)]:
        yield stride, im2col.im2col_step(A, 2, position, stride)


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def artists(fig):
    return sorted(type(a).__name__ for ax in fig.axes for a in ax.get_children())


@pytest.mark.parametrize("family,draw_family,steps", [
    ("conv", conv.draw_conv, conv_steps), ("pooling", pooling.draw_pooling, pooling_steps),
    ("im2col", im2col.draw_im2col, im2col_steps)])
def test_a_frame_moved_through_layouts_shows_the_fresh_drawing_of_each_step(
        family, draw_family, steps):
    moved = explore.Frame(reuse=True, keep=1)
    figures = set()
    for key, step in steps():
        moved.draw(key, draw_family, step)
        fresh = explore.Frame()
        fresh.draw(key, draw_family, step)
        assert np.array_equal(pixels(moved.png()), pixels(fresh.png())), (family, key)
        assert artists(moved.fig) == artists(fresh.fig), (family, key)
        figures.add(id(moved.fig))
    assert len(figures) == 1                           # one figure, relaid each time


def test_a_frame_keeps_the_figures_of_the_last_layouts_and_relays_the_oldest():
    frame = explore.Frame(reuse=True, keep=2)
    (k1, s1), (k2, s2), (k3, s3), (_, s4), _ = list(conv_steps())
    one = frame.draw(k1, conv.draw_conv, s1)
    two = frame.draw(k2, conv.draw_conv, s2)
    assert frame.draw(k1, conv.draw_conv, s4) is one       # seen: redrawn in place
    assert frame.draw(k3, conv.draw_conv, s3) is two       # new: the oldest relaid
    assert list(frame.layouts) == [k1, k3]


def test_a_matrix_drawing_reshaped_is_a_fresh_one_of_the_new_shape():
    fig = draw.draw_matrix(np.arange(12).reshape(3, 4), title="t")
    ax = fig.axes[0]
    draw.draw_matrix(np.arange(10).reshape(5, 2) * 1.5, ax=ax, title="t",
                     row_labels=list("abcde"))
    fresh = draw.draw_matrix(np.arange(10).reshape(5, 2) * 1.5, title="t",
                             row_labels=list("abcde")).axes[0]
    assert [t.get_text() for t in ax.texts] == [t.get_text() for t in fresh.texts]
    assert [t.get_position() for t in ax.texts] == [t.get_position() for t in fresh.texts]
    assert [t.get_fontsize() for t in ax.texts] == [t.get_fontsize() for t in fresh.texts]
    assert ax.get_xlim() == fresh.get_xlim() and ax.get_ylim() == fresh.get_ylim()
    assert [t.get_text() for t in ax.get_yticklabels()] == list("abcde")
    assert ([len(c.get_segments()) for c in ax.collections]
            == [len(c.get_segments()) for c in fresh.collections] == [4, 1])


def test_a_layout_seen_before_takes_its_remembered_margins_and_is_the_fresh_drawing(
        monkeypatch):
    """The second time through the same layouts, tight_layout is not run again (its margins
    are remembered per layout), and each frame is still the fresh drawing of its step."""
    moved = explore.Frame(reuse=True, keep=1)
    for key, step in pooling_steps():
        moved.draw(key, pooling.draw_pooling, step)
    runs = []
    monkeypatch.setattr(type(moved.fig), "tight_layout",
                        lambda fig, *a, **k: runs.append(fig) or None, raising=True)
    for key, step in pooling_steps():
        moved.draw(key, pooling.draw_pooling, step)
        monkeypatch.undo()
        fresh = explore.Frame()
        fresh.draw(key, pooling.draw_pooling, step)
        assert np.array_equal(pixels(moved.png()), pixels(fresh.png())), key
        monkeypatch.setattr(type(moved.fig), "tight_layout",
                            lambda fig, *a, **k: runs.append(fig) or None, raising=True)
    assert [fig for fig in runs if fig is moved.fig] == []
