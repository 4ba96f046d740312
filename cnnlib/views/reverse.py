"""reverse (chapter 10): images side by side, before and after a reverse operator.

    images_figure(images, titles)   grayscale images with their titles and sizes
"""
import matplotlib.pyplot as plt

__all__ = ["images_figure"]


def images_figure(images, titles, figsize=(12, 3.4), cmap="gray"):
    """Grayscale images side by side, each with its own title and its size."""
    fig, axes = plt.subplots(1, len(images), figsize=figsize, squeeze=False)
    for ax, im, t in zip(axes[0], images, titles):
        ax.imshow(im, cmap=cmap, interpolation="nearest")
        ax.set_title(f"{t}\n{im.shape[0]}×{im.shape[1]}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig
