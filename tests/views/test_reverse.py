"""cnnlib.views.reverse: images side by side, each with a colour bar, some on one scale."""
import numpy as np

import cnnlib as cl


def image_axes(fig):
    return [ax for ax in fig.axes if ax.get_images()]


def test_images_figure_one_panel_per_image_each_with_its_colour_bar():
    fig = cl.images_figure([np.eye(4), np.ones((2, 2))], ["a", "b"])
    assert len(image_axes(fig)) == 2
    assert sum(ax.get_label() == "<colorbar>" for ax in fig.axes) == 2
    bare = cl.images_figure([np.eye(4), np.ones((2, 2))], ["a", "b"], colorbar=False)
    assert len(bare.axes) == 2


def test_images_figure_shared_scale_is_the_joint_range_of_the_shared_images():
    x = np.linspace(0, 1, 12).reshape(3, 4)
    counts = np.arange(1, 13).reshape(3, 4) * 4.0
    fig = cl.images_figure([x, x * counts, counts], ["x", "counts x", "counts"], shared=(1, 2))
    climits = [ax.get_images()[0].get_clim() for ax in image_axes(fig)]
    assert climits[1] == climits[2] == (0.0, 48.0)
    assert climits[0] == (0.0, 1.0)                 # not shared: its own range


def test_images_figure_percentile_clips_the_top_of_an_own_scale_only():
    x = np.arange(100.0).reshape(10, 10)
    fig = cl.images_figure([x, x], ["own", "shared"], shared=(1,), percentile=90)
    own, shared = (ax.get_images()[0].get_clim() for ax in image_axes(fig))
    assert own == (0.0, np.percentile(x, 90)) and shared == (0.0, 99.0)
    full = cl.images_figure([x], ["all"])
    assert image_axes(full)[0].get_images()[0].get_clim() == (0.0, 99.0)


def test_images_figure_takes_one_colour_map_per_image():
    fig = cl.images_figure([np.eye(3), np.eye(3)], ["a", "b"], cmap=["gray", "gray_r"])
    assert [ax.get_images()[0].get_cmap().name for ax in image_axes(fig)] == ["gray", "gray_r"]
