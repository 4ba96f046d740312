"""Shared fixtures of the cnnlib unit tests.

hypothesis runs without its example database (nothing written into the repository)
and without deadlines (finite differences on a shared 2-core machine vary in time).
"""
import tracemalloc

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("cnnlib", database=None, deadline=None, max_examples=40)
settings.load_profile("cnnlib")


@pytest.fixture
def rng():
    """One seeded generator per test: every run draws the same numbers."""
    return np.random.default_rng(20261124)


#: pooling layers the math tests sweep: (x_shape, size, stride, pad) with 2-, 3- and 4-D x,
#: stride None (= size, the note's case), overlap, non-square windows, strides and padding
POOL_CASES = [
    ((4, 6), 2, None, 0),
    ((6, 7, 2), 3, 2, 0),
    ((5, 4, 2), (3, 2), (2, 1), (1, 1)),
    ((3, 4, 2, 2), 2, (1, 2), 1),
    ((5, 6, 2, 2), 2, (1, 2), 1),
]


@pytest.fixture(params=POOL_CASES, ids=lambda case: "-".join(map(str, case)).replace(" ", ""))
def pool_case(request):
    """One of POOL_CASES: (x_shape, size, stride, pad)."""
    return request.param


@pytest.fixture
def peak_mib():
    """peak_mib(fn) -> (fn(), the peak memory in MiB that numpy and Python allocated while fn
    ran, by tracemalloc): for the tests that memory follows x and y, not the padding."""
    def run(fn):
        tracemalloc.start()
        try:
            return fn(), tracemalloc.get_traced_memory()[1] / 2 ** 20
        finally:
            tracemalloc.stop()
    return run
