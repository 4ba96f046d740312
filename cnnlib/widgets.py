"""widgets: the ipywidgets explorers of chapters 01, 04 and 05.

    vec_explorer()       element <-> position in vec, column-major against row-major (ch. 01)
    conv_explorer()      the window sliding over the padded input, the output cell it fills (ch. 04)
    im2col_explorer()    output position p: its row of phi and the patch it came from (ch. 05)

Each explorer only wires sliders to a plain function of :mod:`cnnlib.plot`
(``draw_vec_step``, ``draw_conv_step``, ``draw_im2col_step``) and prints that step's
one-line summary (``vec_step``, ``conv_step``, ``im2col_step``), so what it shows is
tested without a browser.  Sliders redraw on release (``continuous_update=False``).
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from .im2col import conv_output_shape
from .plot import (conv_step, draw_conv_step, draw_im2col_step, draw_vec_step, im2col_step,
                   vec_step)

__all__ = ["vec_explorer", "conv_explorer", "im2col_explorer",
           "EXAMPLE_INPUTS", "EXAMPLE_KERNELS"]

#: inputs the explorers offer: the note's A of Eq. (13), seed 003's 4x4, a 5x6 of small ints
EXAMPLE_INPUTS = {
    "A, 3x4 (note, Eq. 13)": np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]]),
    "X, 4x4 (seed 003)": np.arange(1, 17).reshape(4, 4),
    "5x6 small integers": (np.arange(30).reshape(5, 6, order="F") * 7) % 10,
}
#: kernels the convolution explorer offers
EXAMPLE_KERNELS = {
    "ones 2x2 (note)": np.ones((2, 2)),
    "[[1, 2], [3, 4]] (asymmetric)": np.array([[1, 2], [3, 4]]),
    "vertical edge 3x3": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
    "ones 1x3": np.ones((1, 3)),
}


def _slider(description, value, low, high):
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False,
                             style={"description_width": "initial"})


def _show(fig, text):
    """Show ``fig`` and ``text`` in the explorer's Output, then free the figure."""
    display(fig)
    plt.close(fig)
    print(text)


def vec_explorer(a=None, position=0, order="F"):
    """Pick a position k of vec(a) and an order: see which entry of ``a`` lands there.

    a: a small 2-D array (default a 3x4 matrix of 1..12).  position, order: the starting
    state ("F" column-major, "C" row-major).  Returns the widget box.
    """
    a = np.asarray(np.arange(1, 13).reshape(3, 4) if a is None else a)
    position = _slider("position k in the vector", position, 0, a.size - 1)
    order = widgets.ToggleButtons(options=[("column-major (vec)", "F"), ("row-major", "C")],
                                  value=order, description="order")

    def redraw(position, order):
        _show(draw_vec_step(a, position, order), vec_step(a, position, order)["text"])

    out = widgets.interactive_output(redraw, {"position": position, "order": order})
    return widgets.VBox([position, order, out])


def conv_explorer(x=None, f=None, position=0, stride=1, pad=0):
    """Slide a kernel over a zero-padded input: window, kernel and the output cell it fills.

    x, f: a 2-D input and kernel; when given, the input/kernel menus are hidden.
    Sliders: output position p = i' + H' j' (Eq. 16), stride (1-3), padding (0-2);
    position, stride, pad give their starting values.  Returns the widget box.
    """
    inputs = EXAMPLE_INPUTS if x is None else {"x": np.asarray(x)}
    kernels = EXAMPLE_KERNELS if f is None else {"f": np.asarray(f)}
    position = _slider("output position p", position, 0, max(position, 5))
    stride = _slider("stride", stride, 1, 3)
    pad = _slider("padding", pad, 0, 2)
    x_menu = widgets.Dropdown(options=list(inputs), description="input")
    f_menu = widgets.Dropdown(options=list(kernels), description="kernel")

    def n_positions():
        xx, ff = inputs[x_menu.value], kernels[f_menu.value]
        try:
            h_out, w_out = conv_output_shape(xx.shape, ff.shape, stride.value, pad.value)
        except ValueError:                    # kernel larger than the padded input
            return 1
        return max(h_out * w_out, 1)

    def update_range(_=None):
        position.max = n_positions() - 1

    for w in (stride, pad, x_menu, f_menu):
        w.observe(update_range, names="value")
    update_range()

    def redraw(position, stride, pad, x_name, f_name):
        xx, ff = inputs[x_name], kernels[f_name]
        try:
            step = conv_step(xx, ff, stride, pad, position)
        except ValueError as err:
            print(f"no output: {err}")
            return
        _show(draw_conv_step(xx, ff, stride, pad, position), step["text"])

    out = widgets.interactive_output(redraw, {"position": position, "stride": stride,
                                              "pad": pad, "x_name": x_menu, "f_name": f_menu})
    menus = [m for m, d in ((x_menu, inputs), (f_menu, kernels)) if len(d) > 1]
    return widgets.VBox([position, widgets.HBox([stride, pad])] + menus + [out])


def im2col_explorer(x=None, kernel=2, position=0, stride=1):
    """Pick an output position p: its row of phi(x) and the patch of x it copies.

    x: a 2-D input (default: the note's A of Eq. 13).  kernel: kh or (kh, kw).
    Sliders: p (Eq. 16) and the stride (1-2); position, stride give their starting values.
    Returns the widget box.
    """
    x = EXAMPLE_INPUTS["A, 3x4 (note, Eq. 13)"] if x is None else np.asarray(x)
    position = _slider("output position p", position, 0, max(position, 5))
    stride = _slider("stride", stride, 1, 2)

    def update_range(_=None):
        h_out, w_out = conv_output_shape(x.shape, kernel, stride.value, 0)
        position.max = h_out * w_out - 1

    stride.observe(update_range, names="value")
    update_range()

    def redraw(position, stride):
        _show(draw_im2col_step(x, kernel, position, stride),
              im2col_step(x, kernel, position, stride)["text"])

    out = widgets.interactive_output(redraw, {"position": position, "stride": stride})
    return widgets.VBox([position, stride, out])
