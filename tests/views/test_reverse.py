"""cnnlib.views.reverse: images side by side."""
import numpy as np

import cnnlib as cl


def test_images_figure_one_panel_per_image():
    assert len(cl.images_figure([np.eye(4), np.ones((2, 2))], ["a", "b"]).axes) == 2
