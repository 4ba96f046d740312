"""exercises.reference: im2col_inverse, what cl.check compares chapter 10's exercise with."""
import numpy as np
import pytest

import cnnlib as cl
from cnnlib.exercises.reference import im2col_inverse


@pytest.mark.parametrize("x_shape, kernel, stride, pad", [
    ((5, 7, 3), (2, 3), 1, 0), ((7, 7), 3, 2, 0), ((5, 4, 2), (3, 2), (2, 1), (1, 0)),
    ((4, 5, 2), 3, 1, 1)])
def test_x_comes_back_from_phi(x_shape, kernel, stride, pad, rng):
    x = rng.standard_normal(x_shape)
    phi = cl.im2col(x, kernel, stride, pad)
    assert np.allclose(im2col_inverse(phi, x_shape, kernel, stride, pad), x, atol=1e-12)


def test_it_is_the_left_inverse_of_h(rng):
    """(H^T H)^-1 H^T, built from the indicator matrix, also for a phi that is no im2col."""
    H = cl.conv_indicator((5, 4, 2), (3, 2)).toarray()
    phi = rng.standard_normal(cl.im2col(np.zeros((5, 4, 2)), (3, 2)).shape)
    left = np.linalg.solve(H.T @ H, H.T @ cl.vec(phi))
    assert np.allclose(cl.vec(im2col_inverse(phi, (5, 4, 2), (3, 2))), left)


def test_a_pixel_in_no_window_is_refused():
    phi = cl.im2col(np.ones((6, 8)), 2, stride=3)
    with pytest.raises(ValueError, match=r"x_shape \(6, 8\) lies in no window of kernel 2, "
                                         r"stride 3"):
        im2col_inverse(phi, (6, 8), 2, stride=3)
