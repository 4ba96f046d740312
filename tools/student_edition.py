"""Write the student edition: the course's notebooks without their folded solutions.

    python tools/student_edition.py                  # into build/student/
    python tools/student_edition.py OUT              # into OUT/

Every notebook of notebooks/ is copied to OUT without the solutions of its exercises: each
``<details><summary>Solution</summary> ... </details>`` block is cut out, and a markdown cell
left empty by that (the usual case: a solution is a cell of its own) is left out.  Every other
cell is copied as it is, outputs included, so the check cells show "not yet"; the folded hints
stay.  notebooks/ is only read.  An instructor hands OUT/ out (with cnnlib installed, as
``make setup`` does) and keeps the solutions.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = re.compile(r"<details>\s*<summary>\s*Solution\s*</summary>.*?</details>[ \t]*\n?",
                      re.S | re.I)


def without_solutions(nb):
    """A copy of the notebook ``nb`` without its folded solutions, and how many were cut."""
    nb = nbformat.from_dict(nb)
    cells, cut = [], 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text, n = SOLUTION.subn("", cell.source)
            cut += n
            if n and not text.strip():
                continue
            if n:
                cell.source = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
        cells.append(cell)
    nb.cells = cells
    return nb, cut


def write_edition(out, notebooks=None):
    """Write the student copies of ``notebooks`` (default: notebooks/*.ipynb) into ``out``;
    return {name: solutions cut}.  Each copy is validated before it is written."""
    out = Path(out)
    paths = sorted(notebooks or (ROOT / "notebooks").glob("*.ipynb"))
    if out.resolve() in {p.parent.resolve() for p in paths}:
        raise ValueError(f"out {out} is the folder of the notebooks: it would overwrite them")
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in paths:
        nb, counts[path.name] = without_solutions(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        nbformat.write(nb, out / path.name)
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "student",
                        help="where to write the copies (default build/student)")
    out = parser.parse_args(argv).out
    counts = write_edition(out)
    print(f"wrote {len(counts)} notebooks to {out}, {sum(counts.values())} solutions left out")


if __name__ == "__main__":
    sys.exit(main())
