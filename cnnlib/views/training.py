"""training (chapter 12): the digits, the training curves, what the trained network sees.

    digits_figure, training_curves_figure, filters_figure, feature_maps_figure,
    confusion_matrix, confusion_figure, misclassified_figure     the chapter's figures
    digit_step(net, image, label)    one frame: the first layer's maps after its ReLU,
                                     the class probabilities, the prediction and its text
    draw_digit_step(step)            the image, those maps and the probabilities as bars
    digit_explorer_view(...)         (figure, predicted class, probability) of one digit
    prediction_line(...)             the explorer's printed line
    digit_explorer(net, x)           slider or an 8 x 8 grid to draw on; one step per change

Images use the course layout: one digit (8, 8, 1) or (8, 8), a batch (8, 8, 1, N).
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .draw import MARK
from .explore import show, slider

__all__ = ["digits_figure", "training_curves_figure", "filters_figure", "feature_maps_figure",
           "confusion_matrix", "confusion_figure", "misclassified_figure", "digit_step",
           "draw_digit_step", "digit_explorer_view", "prediction_line", "digit_explorer"]

DIGIT_CMAP = "gray_r"          # ink dark on white paper, as the digits were written


def _digit(ax, image, title=None, color="black"):
    ax.imshow(np.asarray(image).reshape(8, 8), cmap=DIGIT_CMAP, vmin=0, vmax=1,
              interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9, color=color)


def digits_figure(x, labels, n_cols=10, n_rows=3, title=None, figsize=(9, 3.2)):
    """The first n_rows * n_cols digits of x (8, 8, 1, N), each titled with its label."""
    fig, axes = plt.subplots(n_rows, n_cols, figsize=figsize, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k < x.shape[-1]:
            _digit(ax, x[..., k], str(labels[k]))
        else:
            ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def training_curves_figure(history, figsize=(10, 3.4)):
    """Loss and accuracy per epoch.

    history: dict of equal-length lists, "loss" (mean training loss of the epoch) and
    any of "train accuracy", "test accuracy".
    """
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=figsize)
    ax_loss.plot(epochs, history["loss"], "o-", color="tab:red")
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="epoch", ylabel="mean training loss z (log scale)",
                title="loss falls as SGD runs (Eq. 8)")
    for key, style in (("train accuracy", "s-"), ("test accuracy", "o-")):
        if key in history:
            ax_acc.plot(epochs, history[key], style, label=key)
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy per epoch")
    ax_acc.legend(loc="lower right")
    ax_acc.grid(alpha=0.3)
    for ax in (ax_loss, ax_acc):
        ax.set_xticks(epochs[::max(1, len(epochs) // 10)])
    fig.tight_layout()
    return fig


def filters_figure(f, n_cols=8, figsize=(9, 2.6)):
    """The filters f (kh, kw, 1, D) of a first layer as small images, red +, blue -.

    One shared colour scale, centred on 0, so that the filters can be compared.
    """
    f = np.asarray(f)
    d = f.shape[3]
    n_rows = -(-d // n_cols)
    vmax = np.abs(f).max()
    fig, axes = plt.subplots(n_rows, n_cols, figsize=figsize, squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if k < d:
            im = ax.imshow(f[:, :, 0, k], cmap="RdBu_r", vmin=-vmax, vmax=vmax,
                           interpolation="nearest")
            ax.set_title(f"filter {k}", fontsize=8)
        else:
            ax.axis("off")
    fig.colorbar(im, ax=axes.ravel().tolist(), shrink=0.8)
    return fig


def _layer_name(layer):
    return type(layer).__name__


def feature_maps_figure(net, image, n_channels=8, figsize=(10, 9)):
    """One digit (8, 8, 1) through every layer of ``net``: a row per layer output x^l.

    The first ``n_channels`` channels of each (H, W, D) output are drawn on one colour
    scale per row (red/blue around 0 where the row has negative values); the last row
    shows the class probabilities softmax(x^L).
    """
    xs = net.activations(np.asarray(image).reshape(8, 8, 1))
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(len(xs), n_channels + 1, width_ratios=[2.0] + [1] * n_channels,
                            left=0.02, right=0.98, top=0.96, bottom=0.04, hspace=0.3, wspace=0.1)
    _digit(fig.add_subplot(grid[0, 1]), xs[0])
    for row, x in enumerate(xs):
        label = fig.add_subplot(grid[row, 0])
        label.axis("off")
        h, w, d = x.shape[:3]
        name = "the input" if row == 0 else _layer_name(net.layers[row - 1])
        label.text(0.0, 0.5, f"$x^{{{row + 1}}}$: {name}\n({h}, {w}, {d})", fontsize=9,
                   va="center", transform=label.transAxes)
        if row == 0:
            continue
        if (h, w) == (1, 1):                                   # the scores: one bar chart
            ax = fig.add_subplot(grid[row, 1:])
            p = net.loss.probabilities(x)[:, 0]
            ax.bar(np.arange(d), p, color=[MARK if c == np.argmax(p) else "tab:blue"
                                           for c in range(d)])
            ax.set_xticks(np.arange(d))
            ax.set_ylim(0, 1)
            ax.set_title("softmax of the scores: the class probabilities", fontsize=8)
            continue
        vmax = max(np.abs(x[:, :, :n_channels, 0]).max(), 1e-12)
        cmap, vmin = ("RdBu_r", -vmax) if x.min() < 0 else ("viridis", 0)
        for k in range(min(d, n_channels)):
            ax = fig.add_subplot(grid[row, 1 + k])
            ax.imshow(x[:, :, k, 0], cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 1:
                ax.set_title(f"channel {k}", fontsize=8)
    return fig


def confusion_matrix(y_true, y_pred, n_classes=10):
    """M[i, j] = number of images of class i predicted as class j (ints, n_classes square)."""
    M = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(M, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return M


def confusion_figure(y_true, y_pred, n_classes=10, figsize=(5, 4.4)):
    """The confusion matrix drawn with its counts: the diagonal is what the network got right."""
    M = confusion_matrix(y_true, y_pred, n_classes)
    fig, ax = plt.subplots(figsize=figsize)
    ax.imshow(np.log1p(M), cmap="Blues")
    for (i, j), v in np.ndenumerate(M):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                    color="white" if i == j else (MARK if v else "black"))
    ax.set_xticks(range(n_classes))
    ax.set_yticks(range(n_classes))
    ax.set(xlabel="predicted class", ylabel="true class",
           title=f"{np.trace(M)} of {M.sum()} test digits on the diagonal")
    fig.tight_layout()
    return fig


def misclassified_figure(x, y_true, y_pred, probs=None, n_cols=8, figsize=(9, 2.4)):
    """Every image with y_pred != y_true, titled "true → predicted" (and its probability).

    x (8, 8, 1, N); y_true, y_pred N ints; probs (C, N) class probabilities or None.
    """
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))
    n_rows = max(1, -(-wrong.size // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(figsize[0], figsize[1] * n_rows / 2 + 0.6),
                             squeeze=False)
    for ax, k in zip(axes.flat, wrong):
        title = f"{y_true[k]} → {y_pred[k]}"
        if probs is not None:
            title += f" ({probs[y_pred[k], k]:.2f})"
        _digit(ax, x[..., k], title, color=MARK)
    for ax in list(axes.flat)[wrong.size:]:
        ax.axis("off")
    fig.suptitle(f"{wrong.size} misclassified digits: true → predicted (probability)")
    fig.tight_layout()
    return fig


def digit_step(net, image, label=None):
    """What the trained ``net`` does with one digit: the numbers the explorer shows.

    net: a trained :class:`cnnlib.Sequential` whose first layers are conv, ReLU.
    image: (8, 8) or (8, 8, 1), values in [0, 1].  label: the true class if known.
    Returns a dict: ``image`` (8, 8, 1, 1), ``label``, ``maps`` (the first layer's output
    after its ReLU), ``p`` (the class probabilities), ``predicted`` (argmax, Eq. 7),
    ``probability`` and the one-line ``text`` of :func:`prediction_line`.
    """
    xs = net.activations(np.asarray(image, dtype=float).reshape(8, 8, 1))
    p = net.loss.probabilities(xs[-1])[:, 0]
    predicted = int(np.argmax(p))                                          # Eq. (7)
    maps = next(x for layer, x in zip(net.layers, xs[1:]) if _layer_name(layer) == "ReLU")
    return {"image": xs[0], "label": label, "maps": maps, "p": p, "predicted": predicted,
            "probability": float(p[predicted]),
            "text": prediction_line(predicted, float(p[predicted]), label)}


def draw_digit_step(step, figsize=(10, 2.9)):
    """The explorer's picture of a :func:`digit_step`: the image, up to 16 feature maps of
    the first layer after its ReLU, and the class probabilities as bars."""
    maps, p, predicted, label = step["maps"], step["p"], step["predicted"], step["label"]
    n_maps = min(16, maps.shape[2])
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, 11, width_ratios=[2.2] + [1] * 8 + [0.5, 2.6], left=0.01,
                            right=0.98, top=0.84, bottom=0.16, wspace=0.12, hspace=0.12)
    _digit(fig.add_subplot(grid[:, 0]), step["image"], "input" + ("" if label is None
                                                                  else f", label {label}"))
    vmax = max(maps[:, :, :n_maps].max(), 1e-12)
    for k in range(n_maps):
        ax = fig.add_subplot(grid[k // 8, 1 + k % 8])
        ax.imshow(maps[:, :, k, 0], cmap="viridis", vmin=0, vmax=vmax, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.text(0.53, 0.9, "layer 1 after ReLU: its feature maps", ha="center", fontsize=9)
    ax = fig.add_subplot(grid[:, 10])
    ax.barh(np.arange(p.size), p, color=[MARK if c == predicted else "tab:blue"
                                         for c in range(p.size)])
    ax.set_yticks(range(p.size))
    ax.tick_params(labelsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_title(f"predicted {predicted} ({p[predicted]:.2f})", fontsize=9)
    ax.set_xlabel("probability", fontsize=8)
    return fig


def digit_explorer_view(net, image, label=None, figsize=(10, 2.9)):
    """What the explorer draws for one digit (:func:`digit_step`, :func:`draw_digit_step`).

    Returns (fig, predicted class, its probability).
    """
    step = digit_step(net, image, label)
    return draw_digit_step(step, figsize), step["predicted"], step["probability"]


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

    def redraw(*_):
        if source.value == "test digit":
            image = x[:, :, 0, digit.value]
            label = None if labels is None else int(labels[digit.value])
        else:       # the grid as an (8, 8) image: toggled pixels are ink (1), the rest paper
            image, label = np.array([b.value for b in pixels], dtype=float).reshape(8, 8), None
        step = digit_step(net, image, label)
        with out:
            out.clear_output(wait=True)
            show(draw_digit_step(step), step["text"])

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
