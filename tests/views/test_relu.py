"""cnnlib.views.relu: ReLU and its derivative."""
import cnnlib as cl


def test_relu_figure_two_panels():
    assert len(cl.relu_figure().axes) == 2
