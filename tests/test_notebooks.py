"""The committed notebooks are what `make notebooks` writes: executed, clean, complete.

nbval re-runs every cell and compares outputs, but it cannot see a notebook committed
without outputs (nothing to compare), so these checks guard the committed files.
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EQ_CELL = re.compile(r"#\s*Eq\.\s*\((\d+)\)(?:\s*[-–]\s*\((\d+)\))?")


def cells(path):
    return json.loads(path.read_text())["cells"]


def code(cell):
    return "".join(cell["source"])


def asserted_equations():
    """{N: notebook} for every '# Eq. (N)' or '# Eq. (N)-(M)' cell that asserts."""
    seen = {}
    for path in NOTEBOOKS:
        for cell in cells(path):
            m = EQ_CELL.match(code(cell)) if cell["cell_type"] == "code" else None
            if m and "assert" in code(cell):
                first, last = int(m[1]), int(m[2] or m[1])
                seen.update({n: path.name for n in range(first, last + 1)})
    return seen


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_and_clean(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "widget state with random ids: run `make notebooks`"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not code(cell).strip():
            continue
        where = f"{path.name} cell {i}"
        if "NBVAL_SKIP" not in code(cell):
            assert cell["execution_count"] is not None, f"{where} was never executed"
        assert "execution" not in cell["metadata"], f"{where} keeps timestamps"
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                assert "raises-exception" in cell["metadata"].get("tags", []), \
                    f"{where} shows an unexpected error: {out['ename']}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"
                        and "Warning" in "".join(out["text"])), f"{where} shows a warning"


def test_every_equation_is_asserted():
    seen = asserted_equations()
    assert sorted(seen) == list(range(1, 61)), \
        f"equations without an asserting '# Eq. (N)' cell: {sorted(set(range(1, 61)) - set(seen))}"


def test_execution_counts_run_in_order():
    # a clean top-to-bottom run numbers the cells 1, 2, 3, ...: a hand-run shows gaps
    for path in NOTEBOOKS:
        counts = [c["execution_count"] for c in cells(path)
                  if c["cell_type"] == "code" and c["execution_count"] is not None]
        assert counts == list(range(1, len(counts) + 1)), f"{path.name}: {counts}"
