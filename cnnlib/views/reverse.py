"""reverse (chapters 04, 10): images side by side, before and after a reverse operator.

    images_figure(images, titles)   grayscale images with their titles, sizes and colour
                                    bars; some of them on one shared scale (chapters 04, 10)
"""
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["images_figure"]


def images_figure(images, titles, figsize=(12, 3.4), cmap="gray", shared=(), colorbar=True,
                  percentile=100):
    """Grayscale images side by side, each with its own title and its size.

    colorbar: a colour bar under each image, so its range is read, not guessed.
    shared: indices of the images drawn on one common scale (their joint min to max);
    the others are scaled each to its own range, from its min to its ``percentile``-th
    value (100: its max; e.g. 99 lets a few extreme pixels saturate, not wash out the rest).
    cmap: one colour map for all, or a list with one per image."""
    images = [np.asarray(im, dtype=float) for im in images]
    cmaps = [cmap] * len(images) if isinstance(cmap, str) else list(cmap)
    joint = ((min(images[k].min() for k in shared), max(images[k].max() for k in shared))
             if len(shared) else None)
    fig, axes = plt.subplots(1, len(images), figsize=figsize, squeeze=False)
    for k, (ax, im, t) in enumerate(zip(axes[0], images, titles)):
        lo, hi = joint if k in shared else (im.min(), np.percentile(im, percentile))
        shown = ax.imshow(im, cmap=cmaps[k], interpolation="nearest", vmin=lo, vmax=hi)
        if colorbar:
            fig.colorbar(shown, ax=ax, orientation="horizontal", fraction=0.05, pad=0.03)
        ax.set_title(f"{t}\n{im.shape[0]}×{im.shape[1]}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig
