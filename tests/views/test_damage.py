"""cnnlib.views.damage: the pieces of a figure a step may change, in the order matplotlib
draws them; where each inks; alike pieces have alike signatures, others do not."""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlib.views import conv, damage, draw

from .test_explore import X2


def test_drawables_are_what_the_figure_draws_but_its_fixed_parts_in_its_order(monkeypatch):
    fig = conv.draw_conv(conv.conv_step(X2, np.ones((2, 2)), 2, 1, 0))
    fig.suptitle("s")
    FigureCanvasAgg(fig)
    order = []
    for kind in {type(a) for a in damage.drawables(fig)}:
        original = kind.draw
        monkeypatch.setattr(kind, "draw", lambda self, r, original=original: (
            order.append(self), original(self, r))[1])
    fig.canvas.draw()
    items = damage.drawables(fig)
    ids = {id(a) for a in items}
    assert [a for a in order if id(a) in ids] == items                # in drawing order
    fixed = [ax.patch for ax in fig.axes] + [t for ax in fig.axes
                                             for t in ax.get_xticklabels()]
    assert not {id(a) for a in fixed} & ids                           # kept as pixels
    assert {id(fig.axes[0].title), id(fig.texts[0]), id(fig.axes[0].images[0])} <= ids


def test_extent_holds_the_line_width_and_the_text():
    fig = Figure(dpi=100)
    ax = fig.add_subplot()
    renderer = FigureCanvasAgg(fig).get_renderer()
    thin, thick = (ax.add_patch(Rectangle((0.2, 0.2), 0.1, 0.1, lw=lw)) for lw in (1, 10))
    a, b = damage.extent(thin, renderer), damage.extent(thick, renderer)
    assert b[0] < a[0] - 10 and b[2] > a[2] + 10
    text = ax.text(0.5, 0.5, "wide text")
    box = text.get_window_extent(renderer)
    x0, y0, x1, y1 = damage.extent(text, renderer)
    assert x0 <= box.x0 and y0 <= box.y0 and x1 >= box.x1 and y1 >= box.y1


def test_alike_marks_have_one_signature_others_not():
    fig = Figure()
    ax = fig.add_subplot()
    renderer = FigureCanvasAgg(fig).get_renderer()
    first, same, other, moved = (ax.add_patch(Rectangle(xy, 1, 1, edgecolor=c, fill=False))
                                 for xy, c in [((0, 0), "red"), ((0, 0), "red"),
                                               ((0, 0), "blue"), ((1, 0), "red")])

    def sig(a):
        return damage.signature(a, damage.extent(a, renderer))
    assert sig(first) == sig(same)
    assert sig(first) != sig(other) and sig(first) != sig(moved)
    t, u = ax.text(0, 0, "3"), ax.text(0, 0, "4")
    assert sig(t) != sig(u)
    u.set_text("3")
    assert sig(t) == sig(u)


def test_changed_cells_are_the_cells_whose_colour_changed():
    fig = draw.draw_matrix(np.zeros((4, 5)))
    image = fig.axes[0].images[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.canvas.draw()
    old = image.to_rgba(image.get_array(), bytes=True)
    new = old.copy()
    new[2, 3] = 0
    whole = damage.extent(image, renderer)
    (box,) = np.reshape(damage.changed_cells(image, old, new, whole), (-1, 4))
    corner = image.get_transform().transform([(2.5, 1.5), (3.5, 2.5)])  # cell (2, 3)
    assert np.allclose(box, [corner[:, 0].min() - 2, corner[:, 1].min() - 2,
                             corner[:, 0].max() + 2, corner[:, 1].max() + 2])
    assert damage.changed_cells(image, old, old, whole) == []
    assert damage.changed_cells(image, old, old * 0, whole) == [whole]
