"""What the view tests read off a figure or a widget: texts, outlines, pixels, sliders."""
import numpy as np
from matplotlib.patches import Rectangle


def cell_texts(ax):
    """{(i, j): text} of the numbers written at integer cell centres of ``ax``."""
    out = {}
    for t in ax.texts:
        x, y = t.get_position()
        if float(x).is_integer() and float(y).is_integer():
            out[(int(y), int(x))] = t.get_text()
    return out


def outlined_cells(ax):
    """(i, j) of every cell outlined by a highlight rectangle."""
    return {(int(round(r.get_y() + 0.5)), int(round(r.get_x() + 0.5)))
            for r in ax.patches if isinstance(r, Rectangle) and not r.get_fill()}


def smallest_font_px(fig, width_px=700):
    """The smallest text of ``fig`` (titles, tick labels, numbers in cells, colour bars), in
    pixels of font size, when the figure is shown ``width_px`` pixels wide."""
    fig.canvas.draw()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and
                                    hasattr(a, "get_text"))
             if t.get_text().strip() and t.get_visible()]
    return min(t.get_fontsize() for t in texts) / 72 * width_px / fig.get_figwidth()


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def images_in(fig):
    return sum(len(ax.get_images()) for ax in fig.axes)


def first_slider(box):
    return box.children[0]


def explorer_follows_its_slider(explorer, slider, value, capsys):
    """Move the slider labelled ``slider`` of an ``ipywidgets.interactive`` explorer to
    ``value``: it must redraw on release only and print a line that changes."""
    w = explorer()
    first = capsys.readouterr().out
    controls = {c.description: c for c in w.children if hasattr(c, "description")}
    assert all(getattr(c, "continuous_update", False) is False
               for c in controls.values() if hasattr(c, "continuous_update"))
    controls[slider].value = value
    second = capsys.readouterr().out
    assert first.strip() and second.strip() and first != second
