"""The view tests draw off screen (Agg) and close every figure a test opened; chapter 12's
views share one small network and a batch of random digits."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import cnnlib as cl  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def net():
    """The chapter 12 network, untrained (seed 1)."""
    return cl.digits_cnn(seed=1)


@pytest.fixture(scope="module")
def digits():
    """12 random 8 x 8 "digits" (8, 8, 1, 12) and labels 0..9, 0, 1."""
    rng = np.random.default_rng(0)
    return rng.random((8, 8, 1, 12)), np.arange(12) % 10
