"""tools/mutants.py (make mutants) patches cnnlib's source by small distinctive texts: each
must still occur exactly once, or the mutation run would silently test an unchanged cnnlib."""
import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "mutants.py"
spec = importlib.util.spec_from_file_location("mutants", TOOL)
mutants = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutants)


def test_every_mutant_still_applies():
    # a refactor that moved or reworded a patched line fails here, naming the mutant to update
    mutants.check_all()
    assert len(mutants.MUTANTS) >= 12


def test_a_patch_that_does_not_apply_is_an_error(tmp_path):
    pkg = tmp_path / "cnnlib"
    pkg.mkdir()
    (pkg / "a.py").write_text("y = 2 * x\nz = 2 * x\n")
    with pytest.raises(mutants.PatchError, match=r"'3 \* x' occurs 0 times"):
        mutants.apply(pkg, [("3 * x", "x")], "absent")
    with pytest.raises(mutants.PatchError, match=r"'2 \* x' occurs 2 times"):
        mutants.apply(pkg, [("2 * x", "x")], "ambiguous")
    mutants.apply(pkg, [("y = 2 * x", "y = 2 * x\nw = y")], "insert")
    assert (pkg / "a.py").read_text() == "y = 2 * x\nw = y\nz = 2 * x\n"
