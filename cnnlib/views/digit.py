"""digit (chapter 12): what the trained network sees in one digit, a test digit or a drawing.

    digit_step(net, image, label)    one frame: the first layer's maps after its ReLU,
                                     the class probabilities, the prediction and its text
    draw_digit(step)                 the image, those maps and the probabilities as bars
    prediction_line(...)             the explorer's printed line
    digit_explorer(net, x)           slider or an 8 x 8 grid to draw on; one step per change
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .._checks import positive_int
from .draw import MARK, step_of
from .explore import Frame, slider
from .training import draw_digit_image, layer_name

__all__ = ["digit_step", "draw_digit", "prediction_line", "digit_explorer"]


def digit_step(net, image, label=None):
    """What the trained ``net`` does with one digit: the numbers the explorer shows.

    net: a trained :class:`cnnlib.Sequential` whose first layers are conv, ReLU.
    image: (8, 8) or (8, 8, 1), values in [0, 1] (another shape: a ValueError, never a
    reshape).  label: the true class if known, an int 0 <= label < the number of classes.
    Returns a dict: ``family`` ("digit"), ``image`` (8, 8, 1, 1), ``label``, ``maps``
    (the first layer's output after its ReLU), ``p`` (the class probabilities),
    ``predicted`` (argmax, Eq. 7), ``probability`` and the one-line ``text`` of
    :func:`prediction_line`.
    """
    image = np.asarray(image, dtype=float)
    if image.shape not in ((8, 8), (8, 8, 1), (8, 8, 1, 1)):
        raise ValueError(f"digit_step: image must be (8, 8) or (8, 8, 1), got shape "
                         f"{image.shape}")
    xs = net.activations(image.reshape(8, 8, 1))
    p = net.loss.probabilities(xs[-1])[:, 0]
    if label is not None:
        label = positive_int(label, "label", 0)
        if label >= p.size:
            raise ValueError(f"digit_step: label {label} is not one of the network's "
                             f"{p.size} classes 0..{p.size - 1}")
    predicted = int(np.argmax(p))                                          # Eq. (7)
    maps = next(x for layer, x in zip(net.layers, xs[1:]) if layer_name(layer) == "ReLU")
    return {"family": "digit", "image": xs[0], "label": label, "maps": maps, "p": p,
            "predicted": predicted, "probability": float(p[predicted]),
            "text": prediction_line(predicted, float(p[predicted]), label)}


def draw_digit(step, figsize=(10, 2.9), fig=None):
    """The explorer's picture of a :func:`digit_step`: the image, up to 16 feature maps of
    the first layer after its ReLU, and the class probabilities as bars.  fig: this figure
    drawn for another digit, redrawn in place (an explorer's frame)."""
    step = step_of(step, "digit")
    maps, p, predicted, label = step["maps"], step["p"], step["predicted"], step["label"]
    n_maps = min(16, maps.shape[2])
    title = "input" + ("" if label is None else f", label {label}")
    colors = [MARK if c == predicted else "tab:blue" for c in range(p.size)]
    vmax = max(maps[:, :, :n_maps].max(), 1e-12)
    if fig is not None:
        ax_in, *ax_maps, ax_p = fig.axes
        ax_in.get_images()[0].set_data(np.asarray(step["image"]).reshape(8, 8))
        ax_in.set_title(title, fontsize=9)
        for k, ax in enumerate(ax_maps):
            ax.get_images()[0].set_data(maps[:, :, k, 0])
            ax.get_images()[0].set_clim(0, vmax)
        for bar, v, c in zip(ax_p.patches, p, colors):
            bar.set_width(v)
            bar.set_facecolor(c)
        ax_p.set_title(f"predicted {predicted} ({p[predicted]:.2f})", fontsize=9)
        return fig
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, 11, width_ratios=[2.2] + [1] * 8 + [0.5, 2.6], left=0.01,
                            right=0.98, top=0.84, bottom=0.16, wspace=0.12, hspace=0.12)
    draw_digit_image(fig.add_subplot(grid[:, 0]), step["image"], title)
    for k in range(n_maps):
        ax = fig.add_subplot(grid[k // 8, 1 + k % 8])
        ax.imshow(maps[:, :, k, 0], cmap="viridis", vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.text(0.53, 0.9, "layer 1 after ReLU: its feature maps", ha="center", fontsize=9)
    ax = fig.add_subplot(grid[:, 10])
    ax.barh(np.arange(p.size), p, color=colors)
    ax.set_yticks(range(p.size))
    ax.tick_params(labelsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_title(f"predicted {predicted} ({p[predicted]:.2f})", fontsize=9)
    ax.set_xlabel("probability", fontsize=8)
    return fig


def prediction_line(predicted, probability, label=None):
    """The explorer's printed line, e.g. "predicted 3 with probability 0.97 (label 3: right)"."""
    line = f"predicted {predicted} with probability {probability:.2f}"
    if label is not None:
        line += f" (label {label}: {'right' if label == predicted else 'wrong'})"
    return line


def digit_explorer(net, x, labels=None, index=0):
    """Pick a digit of x (8, 8, 1, N) with a slider, or draw one on an 8 x 8 grid, and see
    the first layer's feature maps and the class probabilities of the trained ``net``.

    labels: the N true classes (optional).  index: the digit shown first.
    Returns the widget box it displays.
    """
    x = np.asarray(x, dtype=float)
    digit = slider("digit", index, 0, x.shape[-1] - 1)
    source = widgets.ToggleButtons(options=["test digit", "my drawing"], value="test digit",
                                   description="show")
    pixels = [widgets.ToggleButton(value=False, layout=widgets.Layout(width="26px",
                                                                      height="26px"))
              for _ in range(64)]
    grid = widgets.GridBox(pixels, layout=widgets.Layout(
        grid_template_columns="repeat(8, 28px)", grid_gap="1px"))
    copy = widgets.Button(description="copy digit to grid")
    clear = widgets.Button(description="clear grid")
    out = widgets.Output()
    frame = Frame()

    def redraw(*_):
        if source.value == "test digit":
            image = x[:, :, 0, digit.value]
            label = None if labels is None else int(labels[digit.value])
        else:       # the grid as an (8, 8) image: toggled pixels are ink (1), the rest paper
            image, label = np.array([b.value for b in pixels], dtype=float).reshape(8, 8), None
        step = digit_step(net, image, label)
        with out:
            out.clear_output(wait=True)
            frame.show(None, draw_digit, step)

    def set_grid(image):
        for b, v in zip(pixels, np.asarray(image).reshape(-1)):
            b.unobserve(redraw, "value")
            b.value = bool(v > 0.5)
            b.observe(redraw, "value")
        source.value = "my drawing"
        redraw()

    copy.on_click(lambda _: set_grid(x[:, :, 0, digit.value]))
    clear.on_click(lambda _: set_grid(np.zeros((8, 8))))
    for w in [digit, source] + pixels:
        w.observe(redraw, "value")
    redraw()
    controls = widgets.VBox([digit, source,
                             widgets.HBox([grid, widgets.VBox([copy, clear])])])
    return widgets.VBox([controls, out])
