"""Shared fixtures of the cnnlib unit tests.

hypothesis runs without its example database (nothing written into the repository)
and without deadlines (finite differences on a shared 2-core machine vary in time).
"""
import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("cnnlib", database=None, deadline=None, max_examples=40)
settings.load_profile("cnnlib")


@pytest.fixture
def rng():
    """One seeded generator per test: every run draws the same numbers."""
    return np.random.default_rng(20261124)
