"""damage: what a figure draws that a step may change, where each piece inks, and whether
two frames' pieces look alike (the repaint of :mod:`cnnlib.views.paint` draws from this).

    drawables(fig)                     the artists a step may change, in drawing order
    extent(artist, renderer)           the display pixels it may ink
    signature(artist, extent)          its kind, place and style: alike signatures ink alike
    changed_cells(image, old, new, e)  the display boxes of an image's cells that changed
    axis_look(axis)                    what an axis shows (kept as pixels while it does)
"""
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Text

__all__ = ["drawables", "extent", "signature", "changed_cells", "axis_look", "HALO_WIDTH"]

HALO_WIDTH = 4      # points: the stroke of a text's halo, the one path effect the views draw


def drawables(fig):
    """The artists of ``fig`` a step may change, in the order ``fig.draw`` draws them: per
    Axes its visible children but its background patch and its axes (ticks and labels),
    sorted by zorder as Axes.draw sorts them; the figure's own texts, lines and patches."""
    out = []
    children = [c for c in fig.get_children() if c is not fig.patch and c.get_visible()]
    for child in sorted(children, key=lambda c: c.get_zorder()):
        if not isinstance(child, Axes):
            out.append(child)
            continue
        ax = child
        fixed = {id(ax.patch)} | {id(ax.xaxis), id(ax.yaxis)}
        if not (ax.axison and ax.get_frame_on()):
            fixed |= {id(s) for s in ax.spines.values()}
        out.extend(sorted((a for a in ax.get_children() if id(a) not in fixed
                           and a.get_visible() and not isinstance(a, Axes)),
                          key=lambda a: a.get_zorder()))
    return out


def extent(a, renderer, inked=None):
    """(x0, y0, x1, y1): the display pixels ``a`` may ink, with its line width and 2 px;
    ``inked``: the glyphs' box of a text just drawn (no path effect), if known."""
    if inked is not None:
        return inked[0] - 2, inked[1] - 2, inked[2] + 2, inked[3] + 2
    if isinstance(a, Spine):          # (Spine's own extent adds the ticks, which stay)
        box = Patch.get_window_extent(a, renderer)
    elif isinstance(a, (Text, Patch, Line2D, AxesImage)):
        box = a.get_window_extent(renderer)
    elif a.get_clip_on() and a.get_clip_box() is not None:
        box = a.get_clip_box()            # (a collection's own extent is in data units)
    else:
        box = a.get_figure(root=True).bbox
    lw = np.max(getattr(a, "get_linewidth", lambda: 0)(), initial=0)
    if isinstance(a, Line2D) and a.get_marker() not in (None, "None", "", " "):
        lw += a.get_markeredgewidth()
    if isinstance(a, Text) and a.get_path_effects():
        lw += HALO_WIDTH
    pad = 2 + lw * renderer.dpi / 72
    return box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad


def signature(a, extent):
    """What ``a`` looks like (kind, place and style): two artists alike ink alike."""
    where = tuple(np.round(extent, 2))
    if isinstance(a, Text):
        prop = a.get_fontproperties()
        effects = repr([(type(pe).__name__, sorted(getattr(pe, "_gc", {}).items()),
                         getattr(pe, "_offset", None)) for pe in a.get_path_effects()])
        return ("text", where, a.get_text(), to_rgba(a.get_color()), a.get_alpha(),
                a.get_zorder(), a.get_rotation(), prop.get_size_in_points(),
                prop.get_weight(), prop.get_style(), tuple(prop.get_family()), effects)
    if isinstance(a, (Patch, Line2D)) and not isinstance(a, Spine):
        xy = (a.get_path().vertices if isinstance(a, Patch) else a.get_xydata())
        xy = np.round(a.get_transform().transform(xy), 2).tobytes()
        style = ((a.get_edgecolor(), a.get_facecolor(), a.get_fill(), a.get_hatch())
                 if isinstance(a, Patch) else
                 (to_rgba(a.get_color()), a.get_marker(), a.get_markersize(),
                  str(a.get_markerfacecolor()), str(a.get_markeredgecolor()),
                  a.get_markeredgewidth(), a.get_drawstyle()))
        return (type(a).__name__, where, xy, style, a.get_linewidth(), a.get_linestyle(),
                a.get_alpha(), a.get_zorder())
    return ("object", id(a))


def changed_cells(image, old, new, extent):
    """Display boxes of the cells of ``image`` whose colours differ between ``old`` and
    ``new`` (RGBA bytes of one shape); its ``extent`` when most of them changed."""
    changed = np.any(old != new, axis=-1)
    if not changed.any():
        return []
    if changed.mean() > 0.5 or image.origin not in ("upper", "lower"):
        return [extent]
    m, n = changed.shape
    left, right, bottom, top = image.get_extent()
    rows, cols = np.nonzero(changed)
    y_edge = (top + (bottom - top) * np.arange(m + 1) / m if image.origin == "upper"
              else bottom + (top - bottom) * np.arange(m + 1) / m)
    x_edge = left + (right - left) * np.arange(n + 1) / n
    corners = np.concatenate([np.stack([x_edge[cols], y_edge[rows]], 1),
                              np.stack([x_edge[cols + 1], y_edge[rows + 1]], 1)])
    display = image.get_transform().transform(corners).reshape(2, -1, 2)
    lo, hi = display.min(axis=0) - 2, display.max(axis=0) + 2
    return list(np.hstack([lo, hi]))


def axis_look(axis):
    """What an axis shows: its label, its tick labels and where, its ticks' style."""
    axis.stale = False
    ticks = [(t.get_text(), tuple(t.get_position()), t.get_visible())
             for t in axis.get_ticklabels() + axis.get_ticklabels(minor=True)]
    return (axis.get_visible(), axis.label.get_text(), axis.label.get_visible(),
            _tick_style(axis.get_major_ticks()), _tick_style(axis.get_minor_ticks()),
            tuple(axis.get_majorticklocs()), tuple(axis.get_minorticklocs()), tuple(ticks))


def _tick_style(ticks):
    """How the ticks of one kind look (what tick_params sets): sides, marks and labels."""
    return [(t.tick1line.get_visible(), t.tick2line.get_visible(), t.label1.get_visible(),
             t.label2.get_visible(), t.tick1line.get_markersize(),
             t.tick1line.get_markeredgewidth(), to_rgba(t.tick1line.get_color()),
             t.label1.get_fontsize(), to_rgba(t.label1.get_color()), t.get_pad())
            for t in ticks[:1]]
