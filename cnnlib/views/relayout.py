"""relayout: a drawn figure given new shapes in place, as if drawn anew (explorers' frames).

    reshape_matrix(ax, drawn, shape, fontsize)   a draw_matrix drawing made (m, n)
    reshape_heatmap(ax, drawn, shape)            a draw_heatmap drawing made (m, n)
    width_ratios(fig, ratios)                    the panels of a row given new widths
    default_subplots(fig)                        subplot margins back to matplotlib's own
    tight_layout(fig)                            fig.tight_layout(), once per layout seen

When a slider changes a panel's shape (a stride, a padding, a window size), an explorer's
frame redraws a figure it already has instead of building another: making a figure costs
its Axes, its ticks and every text object, which a shape change keeps.  The image takes
the new array and extent, the texts are moved (and as many added or removed as the shape
needs), the grid lines and the ticks follow; the data limits start again from the image, as
a new drawing's do.  tests/views/test_explore.py checks a relaid figure is the fresh
drawing of its step, pixel for pixel.
"""
import matplotlib as mpl
import numpy as np

__all__ = ["reshape_matrix", "reshape_heatmap", "width_ratios", "default_subplots",
           "tight_layout"]

_TIGHT = {}             # what tight_layout decided, per layout (see tight_layout)


def _texts(ax, old, count, fontsize):
    """``count`` centred texts of ``fontsize`` in ``ax``: ``old`` ones first (the surplus
    removed), new ones after."""
    for t in old[count:]:
        t.remove()
    texts = old[:count] + [ax.text(0, 0, "", ha="center", va="center", fontsize=fontsize,
                                   in_layout=False) for _ in range(count - len(old))]
    for t in texts:
        t.set_fontsize(fontsize)
    return texts


def _image(ax, image, data):
    """``image`` showing ``data`` over its cells, the axes' limits on them, as imshow sets."""
    m, n = data.shape[:2]
    ax.ignore_existing_data_limits = True             # the old extent is no data limit
    image.set_data(data)
    image.set_extent((-0.5, n - 0.5, m - 0.5, -0.5))


def reshape_matrix(ax, drawn, shape, fontsize):
    """Make the drawing of :func:`~cnnlib.views.draw.draw_matrix` on ``ax`` (its record
    ``drawn``) a blank (m, n) grid: texts at the cell centres, grid lines, ticks 0..n-1 and
    0..m-1 (their labels set again by the caller), as a new drawing of that shape."""
    m, n = shape
    flat = _texts(ax, [t for row in drawn["texts"] for t in row], m * n, fontsize)
    for k, t in enumerate(flat):
        t.set_position((k % n, k // n))
    _image(ax, drawn["image"], np.ones((m, n, 4)))
    rows, cols = drawn["grid"]
    rows.set_segments([[(-0.5, r - 0.5), (n - 0.5, r - 0.5)] for r in range(1, m)])
    cols.set_segments([[(c - 0.5, -0.5), (c - 0.5, m - 0.5)] for c in range(1, n)])
    tick_fs = max(5, min(9, fontsize))
    ax.set_xticks(np.arange(n), labels=np.arange(n), fontsize=tick_fs)
    ax.set_yticks(np.arange(m), labels=np.arange(m), fontsize=tick_fs)
    drawn.update(shape=shape, texts=[flat[i * n:(i + 1) * n] for i in range(m)],
                 labels=(None, None), fontsize=fontsize)


def reshape_heatmap(ax, drawn, shape):
    """Make the drawing of :func:`~cnnlib.views.draw.draw_heatmap` on ``ax`` (its record
    ``drawn``) an (m, n) one, its values to be set by the caller."""
    m, n = shape
    texts = _texts(ax, drawn["texts"], m * n if drawn["texts"] else 0, 8)
    for k, t in enumerate(texts):
        t.set_position((k % n, k // n))
    _image(ax, drawn["image"], np.zeros(shape))
    if drawn["ticks"]:
        ax.set_xticks(np.arange(n))
        ax.set_yticks(np.arange(m))
    drawn.update(shape=shape, texts=texts, values=None)


def width_ratios(fig, ratios):
    """Give the panels of ``fig`` (one row of a GridSpec) the widths ``ratios``; the axes
    take their new places."""
    grid = fig.axes[0].get_subplotspec().get_gridspec()
    if list(grid.get_width_ratios() or []) != list(ratios):
        grid.set_width_ratios(ratios)
        for ax in fig.axes:
            ax.set_subplotspec(ax.get_subplotspec())


def default_subplots(fig):
    """matplotlib's subplot margins, as a new figure has them (before its tight_layout)."""
    fig.subplots_adjust(**{k: mpl.rcParams[f"figure.subplot.{k}"]
                           for k in ("left", "right", "bottom", "top", "wspace", "hspace")})


def _layout_key(fig):
    """All that tight_layout reads of a figure at matplotlib's default margins: its size,
    the panels' widths, and per Axes its limits and every text it lays out (titles, labels,
    tick labels, texts in the layout), and the suptitle."""
    grid = fig.axes[0].get_subplotspec().get_gridspec()
    return (tuple(fig.get_size_inches()), fig.dpi, tuple(grid.get_width_ratios() or ()),
            fig.get_suptitle(), tuple(
                (ax.get_xlim(), ax.get_ylim(), ax.get_title("left"), ax.get_title(),
                 ax.get_title("right"), ax.title.get_fontsize(), ax.get_xlabel(),
                 ax.get_ylabel(),
                 tuple(t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()),
                 tuple((t.get_text(), t.get_position(), t.get_fontsize(), t.get_ha(),
                        t.get_va(), t.get_visible()) for t in ax.texts if t.get_in_layout()))
                for ax in fig.axes))


def tight_layout(fig):
    """``fig.tight_layout()`` on a figure at matplotlib's default margins (a new one, or
    one given :func:`default_subplots`); the margins it chose are remembered per layout
    (:func:`_layout_key`: everything tight_layout reads) and set at once the next time."""
    key = _layout_key(fig)
    if key in _TIGHT:
        fig.subplots_adjust(**_TIGHT[key])
        return
    fig.tight_layout()
    pars = fig.subplotpars
    if len(_TIGHT) > 1000:
        _TIGHT.clear()
    _TIGHT[key] = {k: getattr(pars, k) for k in ("left", "right", "bottom", "top", "wspace",
                                                 "hspace")}
