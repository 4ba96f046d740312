"""The worked examples of the note and seeds 002/003 (equations.md section 2), exactly."""
import numpy as np
from scipy.signal import convolve2d, correlate2d

import cnnlib as cl

A = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])       # Eq. (13), 3 x 4
C = np.array([[1, 4, 2, 5], [4, 7, 5, 8], [2, 5, 3, 6],
              [5, 8, 6, 9], [3, 6, 1, 1], [6, 9, 1, 1]])         # phi(A), Eq. (14)
B = np.array([[1, 4, 2, 5, 3, 6], [4, 7, 5, 8, 6, 9],
              [2, 5, 3, 6, 1, 1], [5, 8, 6, 9, 1, 1]])           # Matlab's im2col(A, [2 2])
K2 = np.array([[1, 2], [3, 4]])


def test_vec_eq1():
    assert np.array_equal(cl.vec(K2), [1, 3, 2, 4])
    assert np.array_equal(cl.unvec([1, 3, 2, 4], (2, 2)), K2)


def test_phi_of_A_is_C_and_B_is_its_transpose():
    phi = cl.im2col(A, 2)
    assert phi.shape == (6, 4)
    assert np.array_equal(phi, C)
    assert np.array_equal(phi.T, B)


def test_phi_rows_are_output_positions_in_column_major_order():
    # E9: row p <-> (i', j') = (0,0), (1,0), (0,1), (1,1), (0,2), (1,2)
    phi = cl.im2col(A, 2)
    for p, (i_, j_) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1), (0, 2), (1, 2)]):
        assert np.array_equal(phi[p], cl.vec(A[i_:i_ + 2, j_:j_ + 2]))


def test_eq13_and_eq15_all_ones_kernel():
    K = np.ones((2, 2))
    assert np.array_equal(C @ cl.vec(K), [12, 24, 16, 28, 11, 17])              # Eq. (15)
    assert np.array_equal(cl.unvec(C @ cl.vec(K), (2, 3)), [[12, 16, 11], [24, 28, 17]])
    assert np.array_equal((C @ cl.vec(K)).reshape(2, 3), [[12, 24, 16], [28, 11, 17]])  # C order
    y = cl.conv2d(A, K)
    assert y.shape == (2, 3) and np.array_equal(y, [[12, 16, 11], [24, 28, 17]])  # Eq. (13)


def test_K2_cross_correlation_versus_true_convolution():
    # E8: the layer is cross-correlation; the flipped kernel gives the true convolution
    assert np.array_equal(C @ cl.vec(K2), [37, 67, 47, 77, 27, 39])
    y = cl.conv2d(A, K2)
    assert np.array_equal(y, [[37, 47, 27], [67, 77, 39]])
    assert np.array_equal(y, correlate2d(A, K2, "valid"))
    assert np.array_equal(convolve2d(A, K2, "valid"), [[23, 33, 28], [53, 63, 46]])
    assert np.array_equal(cl.conv2d(A, K2[::-1, ::-1]), convolve2d(A, K2, "valid"))


def test_coverage_counts_and_the_24_by_12_indicator():
    H = cl.conv_indicator(A.shape, 2)
    assert H.shape == (24, 12)
    counts = np.asarray(H.sum(axis=0)).ravel()
    assert np.array_equal(cl.unvec(counts, (3, 4)), [[1, 2, 2, 1], [2, 4, 4, 2], [1, 2, 2, 1]])
    assert np.array_equal(H @ cl.vec(A), cl.vec(C))
    assert np.array_equal(cl.col2im(C, A.shape, 2),
                          np.array([[1, 2, 2, 1], [2, 4, 4, 2], [1, 2, 2, 1]]) * A)


def test_seed003_stride_1_and_stride_2():
    X = np.arange(1, 17).reshape(4, 4)
    assert np.array_equal(cl.conv2d(X, K2), [[44, 54, 64], [84, 94, 104], [124, 134, 144]])
    assert np.array_equal(cl.conv2d(X, K2, stride=2), [[44, 64], [124, 144]])
    assert np.array_equal(cl.conv2d(X, K2[::-1, ::-1]),
                          [[26, 36, 46], [66, 76, 86], [106, 116, 126]])
    assert cl.conv_output_shape((4, 4), 2, 1) == (3, 3)
    assert cl.conv_output_shape((4, 4), 2, 2) == (2, 2)


def test_seed003_max_pooling():
    assert cl.maxpool2d(np.array([[3, 1], [4, 2]]), 2)[0, 0] == 4
    X = np.arange(1, 17).reshape(4, 4)
    assert np.array_equal(cl.maxpool2d(X, 2), [[6, 8], [14, 16]])
    assert np.array_equal(cl.maxpool2d(X, 2, stride=2), [[6, 8], [14, 16]])


def test_seed002_one_dimensional_correlation_versus_convolution():
    # x = [1..5], w = [1, 0, -1]: correlate [-2, -2, -2], convolve [2, 2, 2]
    x = np.array([[1, 2, 3, 4, 5]])
    w = np.array([[1, 0, -1]])
    assert np.array_equal(cl.conv2d(x, w), [[-2, -2, -2]])
    assert np.array_equal(cl.conv2d(x, w[:, ::-1]), [[2, 2, 2]])
