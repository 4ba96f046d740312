"""vec / unvec (note section 2.1, Eq. 1): column-major, as Matlab's A(:)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnnlib as cl
import oracles
import sweeps


def test_vec_of_the_note_example():
    # Eq. (1): the column is (1, 3, 2, 4), not the row-major (1, 2, 3, 4) (erratum E2)
    A = np.array([[1, 2], [3, 4]])
    assert np.array_equal(cl.vec(A), [1, 3, 2, 4])
    assert not np.array_equal(cl.vec(A), A.reshape(-1))


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4), (3, 2, 4, 2), (1, 5, 1)])
def test_vec_matches_loop_oracle(shape, rng):
    a = rng.standard_normal(shape)
    v = cl.vec(a)
    assert v.ndim == 1 and v.shape == (a.size,)
    assert np.array_equal(v, oracles.vec(a))


def test_vec_of_a_tensor_is_vec_of_its_slices(rng):
    x = rng.standard_normal((3, 4, 5))
    assert np.array_equal(cl.vec(x), np.concatenate([cl.vec(x[:, :, d]) for d in range(5)]))


def test_vec_keeps_dtype():
    assert cl.vec(np.ones((2, 3), dtype=np.float32)).dtype == np.float32
    assert cl.vec(np.ones((2, 3), dtype=np.int64)).dtype == np.int64


@pytest.mark.parametrize("shape", [(6,), (2, 3), (3, 2), (2, 3, 4), (2, 1, 3, 2)])
def test_unvec_inverts_vec(shape, rng):
    a = rng.standard_normal(shape)
    assert np.array_equal(cl.unvec(cl.vec(a), shape), a)
    v = rng.standard_normal(a.size)
    assert np.array_equal(cl.vec(cl.unvec(v, shape)), v)
    assert np.array_equal(cl.unvec(v, shape), oracles.unvec(v, shape))


def test_unvec_accepts_an_int_shape_and_a_list():
    assert np.array_equal(cl.unvec(np.arange(4), 4), np.arange(4))
    assert np.array_equal(cl.unvec([1, 3, 2, 4], [2, 2]), [[1, 2], [3, 4]])


def test_unvec_fills_column_major():
    assert np.array_equal(cl.unvec(np.arange(6), (2, 3)), [[0, 2, 4], [1, 3, 5]])


def test_unvec_accepts_numpy_integers_and_integer_arrays_as_shape():
    # np.array([2, 3]) (e.g. a shape computed with numpy) was a TypeError
    v = np.arange(6)
    assert np.array_equal(cl.unvec(v, np.array([2, 3])), cl.unvec(v, (2, 3)))
    assert np.array_equal(cl.unvec(v, np.array(6)), v)
    assert np.array_equal(cl.unvec(v, (np.int64(3), np.uint8(2))), cl.unvec(v, (3, 2)))
    with pytest.raises(TypeError, match="shape must be an int or a tuple of ints"):
        cl.unvec(v, np.array([2.0, 3.0]))


def test_unvec_counts_the_entries_of_a_huge_shape_exactly():
    # np.prod wrapped around: "shape (4294967296, 4294967296) needs 0"
    with pytest.raises(ValueError, match=r"needs 18446744073709551616"):
        cl.unvec(np.ones(4), (2 ** 32, 2 ** 32))


@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), sweeps.SEEDS)
def test_vec_unvec_round_trip(shape, seed):
    shape = tuple(shape)
    a = np.random.default_rng(seed).standard_normal(shape)
    assert np.array_equal(cl.vec(a), oracles.vec(a))
    assert np.array_equal(cl.unvec(cl.vec(a), shape), a)


# ---------------------------------------------------------------- bad arguments (tests/sweeps.py)
GOOD_CALLS = {"vec": (sweeps.X,), "unvec": (np.ones(6), (2, 3))}

test_a_wrong_kind_is_named = sweeps.wrong_kind_test(GOOD_CALLS, keeps_nan={"vec"})


@pytest.mark.parametrize("v, shape", [(np.arange(5), (2, 3)), (np.arange(7), 6),
                                      (np.ones((2, 3)), (7,))])
def test_unvec_of_the_wrong_size(v, shape):
    with pytest.raises(ValueError, match=r"v has \d+ entries \(shape .*\), shape .* needs \d+"):
        cl.unvec(v, shape)


def test_vec_and_unvec_name_their_arguments():
    with pytest.raises(TypeError, match=r"a must be an array of numbers, got None"):
        cl.vec(None)
    with pytest.raises(TypeError, match=r"v must be an array of numbers, got None"):
        cl.unvec(None, 3)
    for shape in ("x", None, 2.0, (2, "3"), (2, 1.5), True):
        with pytest.raises(TypeError, match=r"shape must be an int or a tuple of ints"):
            cl.unvec(np.ones(6), shape)
    with pytest.raises(ValueError, match=r"shape must hold ints >= 0, got \(-2, -3\)"):
        cl.unvec(np.ones(6), (-2, -3))
