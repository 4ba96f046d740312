"""chain (chapters 02-03): finite differences, the chain of layers, the loss under SGD.

    draw_difference_errors(eps, ...)   forward against central differences, log-log
    draw_chain(names, shapes, ...)     the chain of Eq. (5) as boxes and arrows
    draw_loss_curve(losses)            z after each SGD step (Eq. 8-9)
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

__all__ = ["draw_difference_errors", "draw_chain", "draw_loss_curve"]


def draw_difference_errors(eps, forward_error, central_error, used=None, figsize=(6.5, 4.4)):
    """Error of forward and central differences against the step eps, log-log.

    eps, forward_error, central_error: 1-D arrays of the same length.  Dashed reference
    lines of slope 1 (∝ ε) and 2 (∝ ε²), a decade below each curve's value at the largest
    step, show the order of each difference where truncation dominates (from the curve's
    smallest error to the largest step).  used: a step to mark (the one a chapter uses),
    or None.  Returns the Figure.
    """
    eps, forward_error, central_error = (np.asarray(a, dtype=float)
                                         for a in (eps, forward_error, central_error))
    if not eps.shape == forward_error.shape == central_error.shape or eps.ndim != 1:
        raise ValueError(f"draw_difference_errors: eps, forward_error and central_error must be "
                         f"1-D of one length, got shapes {eps.shape}, {forward_error.shape}, "
                         f"{central_error.shape}")
    fig, ax = plt.subplots(figsize=figsize)
    forward = ax.loglog(eps, forward_error, "o-", label="forward: (z(x+ε) − z(x)) / ε")[0]
    central = ax.loglog(eps, central_error, "s-", label="central: (z(x+ε) − z(x−ε)) / 2ε")[0]
    top = np.argmax(eps)
    for errors, power, line in ((forward_error, 1, forward), (central_error, 2, central)):
        span = eps[eps >= eps[np.argmin(errors)]]           # the truncation side of the curve
        ax.loglog(span, errors[top] / 10 * (span / eps[top]) ** power, "--", lw=1.5,
                  color=line.get_color(), label=f"slope {power}: ∝ ε" +
                  ("²" if power == 2 else ""))
    if used is not None:
        ax.axvline(used, color="#555555", lw=1, ls=":",
                   label=f"ε = {used:.0e}, the step the chapter uses")
    ax.set_xlabel("step ε")
    ax.set_ylabel("|numerical − exact|")
    ax.set_title("Finite differences: error against the step")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    fig.subplots_adjust(bottom=0.3)
    return fig


def draw_chain(names, shapes, params=None, figsize=(10, 2.4), title=None):
    """The chain of Eq. (5): x^1 -> [w^1] -> x^2 -> ... -> z, boxes and arrows with shapes.

    names: one name per layer box (e.g. "conv", "ReLU").  shapes: the shapes of
    x^1 ... x^L and of z, len(names) + 1 entries.  params: per layer, a short
    description of w^l ('' or None when the layer has none).  Returns the Figure.
    """
    if len(shapes) != len(names) + 1:
        raise ValueError(f"draw_chain: {len(names)} layers need {len(names) + 1} shapes, "
                         f"got {len(shapes)}")
    params = params or [None] * len(names)
    fig, ax = plt.subplots(figsize=figsize)
    n = len(names)
    xs = np.arange(2 * n + 1)
    for k in range(2 * n + 1):
        if k % 2 == 0:                        # a tensor x^l (or z at the end)
            l = k // 2
            label = "z" if l == n else f"$x^{{{l + 1}}}$"
            ax.text(xs[k], 0.25, label, ha="center", va="center", fontsize=13)
            ax.text(xs[k], -0.35, str(tuple(shapes[l])) if l < n else "scalar",
                    ha="center", va="center", fontsize=8, color="#444444")
        else:                                 # a layer box
            l = k // 2
            ax.add_patch(Rectangle((xs[k] - 0.38, -0.05), 0.76, 0.6, facecolor="#dbe8f5",
                                   edgecolor="#3a6ea5", lw=1.2))
            ax.text(xs[k], 0.25, names[l], ha="center", va="center", fontsize=9)
            w = params[l] or "no $w$"
            ax.text(xs[k], -0.35, w, ha="center", va="center", fontsize=8,
                    color="#3a6ea5" if params[l] else "#999999")
        if k < 2 * n:
            start = xs[k] + (0.22 if k % 2 == 0 else 0.38)
            stop = xs[k + 1] - (0.38 if k % 2 == 0 else 0.22)
            ax.add_patch(FancyArrowPatch((start, 0.25), (stop, 0.25), arrowstyle="-|>",
                                         mutation_scale=12, color="#333333"))
    ax.set_xlim(-0.6, 2 * n + 0.6)
    ax.set_ylim(-0.7, 0.8)
    ax.axis("off")
    ax.set_title(title or "The chain of layers, Eq. (5)", fontsize=11)
    return fig


def draw_loss_curve(losses, figsize=(5, 3.2), title="SGD on the toy problem", log=True):
    """The loss z after each SGD step (Eq. 8-9).  losses: 1-D sequence.  Returns the Figure."""
    losses = np.asarray(losses, dtype=float)
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot(np.arange(losses.size), losses, "-", color="#3a6ea5", lw=1.8)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("SGD step t")
    ax.set_ylabel("loss z")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
