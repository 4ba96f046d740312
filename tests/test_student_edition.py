"""tools/student_edition.py (make student): the notebooks without their folded solutions."""
import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import student_edition  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition, written by the command line as `make student` runs it."""
    out = tmp_path_factory.mktemp("student")
    before = digest(NOTEBOOKS)
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert digest(NOTEBOOKS) == before                  # notebooks/ is only read
    return out, run.stdout


def test_every_notebook_is_copied_valid_and_without_a_solution(edition):
    out, said = edition
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    cut = 0
    for path in NOTEBOOKS:
        copy = nbformat.read(out / path.name, as_version=4)
        nbformat.validate(copy)
        assert not any("<summary>Solution" in c.source for c in copy.cells), path.name
        cut += sum(c.source.count("<summary>Solution</summary>")
                   for c in nbformat.read(path, as_version=4).cells)
    assert cut >= 12 * 4                                # four exercises a chapter at least
    assert said.strip().endswith(f"{cut} solutions left out")


def test_every_other_cell_is_unchanged_outputs_and_hints_included(edition):
    out, _ = edition
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        kept = [c for c in original.cells
                if not c.source.startswith("<details><summary>Solution</summary>")]
        copy = nbformat.read(out / path.name, as_version=4)
        assert copy.cells == kept, path.name
        assert copy.metadata == original.metadata


def test_a_solution_inside_a_longer_cell_is_cut_out_and_the_rest_kept():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("**1. Why.** Why?\n\n<details><summary>Solution</summary>"
                                      "\n\nBecause.\n\n</details>\n\nMore text."),
        nbformat.v4.new_markdown_cell("<details><summary>Hint</summary>\n\nLook.\n\n</details>"),
        nbformat.v4.new_markdown_cell("<details>\n<summary>Solution</summary>\n\n```python\n"
                                      "x = 1\n```\n</details>\n"),
        nbformat.v4.new_code_cell("print('<details><summary>Solution</summary></details>')")])
    copy, cut = student_edition.without_solutions(nb)
    assert cut == 2
    assert [c.source for c in copy.cells] == [
        "**1. Why.** Why?\n\nMore text.",
        "<details><summary>Hint</summary>\n\nLook.\n\n</details>",
        "print('<details><summary>Solution</summary></details>')"]
    assert len(nb.cells) == 4                           # the original is not changed


def test_it_refuses_to_write_over_the_notebooks():
    with pytest.raises(ValueError, match="folder of the notebooks"):
        student_edition.write_edition(ROOT / "notebooks")
