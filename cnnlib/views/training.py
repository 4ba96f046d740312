"""training (chapter 12): a training run in pictures, from the digits to the mistakes.

    draw_digit_image(ax, image)          one digit, ink dark on white paper
    digits_figure(x, labels)             the first digits, each titled with its label
    training_curves_figure(history)      loss and accuracy per epoch
    filters_figure(f)                    the first layer's filters as small images
    feature_maps_figure(net, image)      one digit through every layer, a row per x^l
    confusion_matrix, confusion_figure   true against predicted class
    misclassified_figure(...)            every digit the network got wrong

Images use the course layout: one digit (8, 8, 1) or (8, 8), a batch (8, 8, 1, N).
The digit explorer, which shows what the trained network sees, is in :mod:`.digit`.
"""
import matplotlib.pyplot as plt
import numpy as np

from .._checks import class_labels, positive_int
from .draw import MARK

__all__ = ["draw_digit_image", "digits_figure", "training_curves_figure", "filters_figure",
           "feature_maps_figure", "confusion_matrix", "confusion_figure", "misclassified_figure"]

DIGIT_CMAP = "gray_r"          # ink dark on white paper, as the digits were written


def draw_digit_image(ax, image, title=None, color="black"):
    """One 8 x 8 digit into ``ax``, ink dark on white, no ticks."""
    ax.imshow(np.asarray(image).reshape(8, 8), cmap=DIGIT_CMAP, vmin=0, vmax=1,
              interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9, color=color)


def digits_figure(x, labels, n_cols=10, n_rows=3, title=None, figsize=None):
    """The first n_rows * n_cols digits of x (8, 8, 1, N), each titled "label k" above it.

    figsize: default 9 wide and 1.25 per row, so a row's labels never touch the digits above.
    """
    figsize = (9, 1.25 * n_rows + 0.6) if figsize is None else figsize
    fig, axes = plt.subplots(n_rows, n_cols, figsize=figsize, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k < x.shape[-1]:
            draw_digit_image(ax, x[..., k], f"label {labels[k]}")
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


def layer_name(layer):
    return type(layer).__name__


def feature_maps_figure(net, image, n_channels=8, figsize=(10, 9)):
    """One digit (8, 8, 1) through every layer of ``net``: a row per layer output x^l.

    The first ``n_channels`` channels of each (H, W, D) output, red/blue around 0.  A layer
    with parameters (a convolution) starts a colour scale, ±max|x| of its drawn channels,
    and the parameter-free layers after it (ReLU, pooling), which only zero or pick its
    values, are drawn on that same scale: one colour bar per group of rows, so what ReLU
    keeps looks the same in both rows.  The last row shows the class probabilities
    softmax(x^L).
    """
    xs = net.activations(np.asarray(image).reshape(8, 8, 1))
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(len(xs), n_channels + 2,
                            width_ratios=[2.0] + [1] * n_channels + [0.15],
                            left=0.02, right=0.95, top=0.96, bottom=0.04, hspace=0.3, wspace=0.1)
    draw_digit_image(fig.add_subplot(grid[0, 1]), xs[0])
    groups = []                        # each colour scale: its first and last row, vmax, an image
    for row, x in enumerate(xs):
        label = fig.add_subplot(grid[row, 0])
        label.axis("off")
        h, w, d = x.shape[:3]
        name = "the input" if row == 0 else layer_name(net.layers[row - 1])
        text = f"$x^{{{row + 1}}}$: {name}\n({h}, {w}, {d})"
        if (h, w) == (1, 1):                     # the bars show softmax(x^L), not x^L itself
            text = f"softmax($x^{{{row + 1}}}$):\nprobabilities of\nthe {d} classes"
        label.text(0.0, 0.5, text, fontsize=9, va="center", transform=label.transAxes)
        if row == 0:
            continue
        if (h, w) == (1, 1):                                   # the scores: one bar chart
            ax = fig.add_subplot(grid[row, 1:-1])
            p = net.loss.probabilities(x)[:, 0]
            ax.bar(np.arange(d), p, color=[MARK if c == np.argmax(p) else "tab:blue"
                                           for c in range(d)])
            ax.set_xticks(np.arange(d))
            ax.set_ylim(0, 1)
            ax.set_title("softmax of the scores: the class probabilities", fontsize=8)
            continue
        if net.layers[row - 1].params or not groups:           # a new scale starts here
            groups.append({"first": row, "vmax": max(np.abs(x[:, :, :n_channels, 0]).max(),
                                                     1e-12)})
        group = groups[-1]
        group["last"] = row
        for k in range(min(d, n_channels)):
            ax = fig.add_subplot(grid[row, 1 + k])
            group["image"] = ax.imshow(x[:, :, k, 0], cmap="RdBu_r", vmin=-group["vmax"],
                                       vmax=group["vmax"], interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 1:
                ax.set_title(f"channel {k}", fontsize=8)
    for group in groups:                         # one colour bar beside each group of rows
        cax = fig.add_subplot(grid[group["first"]:group["last"] + 1, -1])
        fig.colorbar(group["image"], cax=cax).ax.tick_params(labelsize=8)
    return fig


def confusion_matrix(y_true, y_pred, n_classes=10):
    """M[i, j] = number of images of class i predicted as class j (ints, n_classes square).

    y_true, y_pred: N integer labels each, every one in [0, n_classes): anything else
    (a negative label, one >= n_classes, a non-integer, lengths that differ) is an error
    naming the argument, never a count in another cell.
    """
    n_classes = positive_int(n_classes, "n_classes")
    y_true, y_pred = (class_labels(y, n_classes, name) for y, name in ((y_true, "y_true"),
                                                                   (y_pred, "y_pred")))
    if y_true.size != y_pred.size:
        raise ValueError(f"y_true and y_pred must hold one label per image, got "
                         f"{y_true.size} and {y_pred.size}")
    M = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(M, (y_true, y_pred), 1)
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
        draw_digit_image(ax, x[..., k], title, color=MARK)
    for ax in list(axes.flat)[wrong.size:]:
        ax.axis("off")
    fig.suptitle(f"{wrong.size} misclassified digits: true → predicted (probability)")
    fig.tight_layout()
    return fig
