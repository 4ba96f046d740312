"""widgets_backward: the explorers of chapters 07-09.

Each explorer wires ipywidgets sliders to a pure drawing function of ``plot_backward``
and prints that function's one-line summary, so moving a slider changes both the
figure and the text.  Each returns the ``ipywidgets.interactive`` it displays.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .im2col import conv_output_shape
from .plot_backward import (backward_figure, backward_summary, indicator_figure,
                            indicator_summary, pooling_figure, pooling_summary)

__all__ = ["backward_explorer", "indicator_explorer", "pooling_explorer"]


def _slider(description, value, lo, hi):
    return widgets.IntSlider(value=value, min=lo, max=hi, description=description,
                             continuous_update=False)


def backward_explorer(x=None, f=None):
    """Pick one entry dz/dy[i', j', d] and see the entries of dz/dx and dz/dF it reaches.

    x: (Hl, Wl, Dl), f: (kh, kw, Dl, D); default: seeded random 5×7×3 and 2×3×3×4.
    """
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 7, 3)) if x is None else np.asarray(x, dtype=float)
    f = rng.standard_normal((2, 3, 3, 4)) if f is None else np.asarray(f, dtype=float)
    h_out, w_out = conv_output_shape(x.shape, f.shape[:2])

    def draw(i_out, j_out, d_out):
        backward_figure(x, f, i_out, j_out, d_out)
        plt.show()
        print(backward_summary(x, f, i_out, j_out, d_out))

    w = widgets.interactive(draw, i_out=_slider("i'", 1, 0, h_out - 1),
                            j_out=_slider("j'", 2, 0, w_out - 1),
                            d_out=_slider("d", 0, 0, f.shape[3] - 1))
    return w


def indicator_explorer(x_shape=(5, 7, 3), kernel=(2, 3)):
    """Select an input pixel (il, jl, dl) and see every (p, q) of phi it feeds (red); select a
    row r of H and see the entry of phi it is and the pixel it copies (orange), Eq. (34)."""
    x_shape, kernel = tuple(x_shape), tuple(kernel)
    h_out, w_out = conv_output_shape(x_shape, kernel)
    n_rows = h_out * w_out * kernel[0] * kernel[1] * x_shape[2]

    def draw(il, jl, dl, row):
        indicator_figure(x_shape, kernel, il, jl, dl, row)
        plt.show()
        print(indicator_summary(x_shape, kernel, il, jl, dl, row))

    w = widgets.interactive(
        draw, il=_slider("il", 2, 0, x_shape[0] - 1), jl=_slider("jl", 3, 0, x_shape[1] - 1),
        dl=_slider("dl", 1, 0, x_shape[2] - 1), row=_slider("row r", 100, 0, n_rows - 1))
    return w


def pooling_explorer(x=None):
    """Window size, stride and max/average pooling on a 2-D x: where does the gradient go?

    x: 2-D array; default a seeded permutation of 0..47 as 6×8 (no ties).  The slider k
    picks one output (column-major) whose window and gradient are drawn in red.
    """
    x = (np.random.default_rng(0).permutation(48).reshape(6, 8).astype(float)
         if x is None else np.asarray(x, dtype=float))

    def draw(mode, size, stride, k):
        pooling_figure(x, size, stride, mode, k)
        plt.show()
        print(pooling_summary(x, size, stride, mode, k))

    w = widgets.interactive(
        draw, mode=widgets.ToggleButtons(options=["max", "avg"], value="max",
                                         description="pooling"),
        size=_slider("size", 2, 1, min(x.shape)), stride=_slider("stride", 2, 1, 4),
        k=_slider("output k", 0, 0, 47))
    return w
