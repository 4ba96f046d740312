"""relu (chapter 11): ReLU, its derivative, and the two one-sided slopes at 0.

    relu_figure()   y = max(0, x) and dy/dx = 1[x > 0] (Eq. 58-59), with the one-sided and
                    the central differences at 0
"""
import matplotlib.pyplot as plt
import numpy as np

from .draw import MARK

CENTRAL = "tab:purple"      # the central difference, which straddles the kink

__all__ = ["relu_figure"]


def relu_figure(eps=0.5, figsize=(10, 3.4)):
    """ReLU and its derivative; at 0 the one-sided difference quotients (0 and 1) disagree,
    and the central one, a chord over the kink, reports their mean ½ (a purple diamond)."""
    t = np.linspace(-2, 2, 401)
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    axes[0].plot(t, np.maximum(t, 0), color="tab:blue", lw=2)
    axes[0].plot([-eps, 0], [0, 0], color="tab:green", lw=4, alpha=0.6,
                 label="left difference: slope 0")
    axes[0].plot([0, eps], [0, eps], color=MARK, lw=4, alpha=0.6,
                 label="right difference: slope 1")
    axes[0].plot([-eps, eps], [0, eps], color=CENTRAL, ls="--", lw=2,
                 label="central difference: slope ½")
    axes[0].set_title("y = max(0, x)  (Eq. 58)")
    axes[0].legend(loc="upper left", fontsize=9)
    axes[1].plot(t[t < 0], 0 * t[t < 0], color="tab:blue", lw=2)
    axes[1].plot(t[t > 0], 1 + 0 * t[t > 0], color="tab:blue", lw=2)
    axes[1].plot([0], [0], "o", color="tab:blue", ms=8)
    axes[1].plot([0], [1], "o", mfc="white", mec="tab:blue", ms=8)
    axes[1].plot([0], [0.5], "D", color=CENTRAL, ms=8)
    for y, text, color in ((0, "cnnlib's choice at 0: 0", "tab:blue"),
                           (0.5, "central difference at 0: ½", CENTRAL)):
        axes[1].annotate(text, (0, y), xytext=(12, 6), textcoords="offset points",
                         color=color, fontsize=10)
    axes[1].set_title("dy/dx = 1[x > 0]  (Eq. 59), undefined at 0")
    axes[1].set_ylim(-0.3, 1.3)
    for ax in axes:
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_xlabel("x")
    fig.tight_layout()
    return fig
