"""conv2d and conv2d_backward parse the window geometry once, on both of their paths."""
import importlib

import numpy as np
import pytest

import cnnlib as cl

conv = importlib.import_module("cnnlib.conv")
_convfast = importlib.import_module("cnnlib._convfast")
im2col = importlib.import_module("cnnlib.im2col")     # cl.im2col is the function of that name
_window = importlib.import_module("cnnlib._window")


@pytest.fixture
def count_parses(monkeypatch):
    calls = []
    parse = _window.window_geometry

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return parse(*args, **kwargs)

    monkeypatch.setattr(im2col, "window_geometry", counted)
    monkeypatch.setattr(conv, "window_geometry", counted)
    return calls


@pytest.mark.parametrize("order", ["C", "F"])          # batch-inner path, plain Eq. (20) path
def test_each_pass_parses_the_window_once(order, count_parses):
    rng = np.random.default_rng(5)
    x = np.asarray(rng.standard_normal((6, 5, 2, 8)), order=order)
    f = rng.standard_normal((3, 2, 2, 4))
    assert _convfast.batch_inner(x, _window.window_geometry(x.shape, (3, 2), (2, 1), (1, 0))) == \
        (order == "C")
    count_parses.clear()
    y = cl.conv2d(x, f, stride=(2, 1), pad=(1, 0))
    assert len(count_parses) == 1
    cl.conv2d_backward(x, f, np.ones_like(y), stride=(2, 1), pad=(1, 0))
    assert len(count_parses) == 2
