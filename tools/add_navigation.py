"""Write the course's links from the notebooks themselves; idempotent.

    python tools/add_navigation.py          # rewrite what is out of date
    python tools/add_navigation.py --check  # exit 1 if anything is out of date
    python tools/add_navigation.py notebooks/05_im2col.ipynb   # only these notebooks
                                            # (and README.md), with or without --check

Each chapter notebook carries its place in the note in its metadata:
    "cnn": {"section": "4.3-4.4", "equations": "14-20",
            "summary": "one line", "explorers": ["im2col_explorer"]}
and its title in its first "# " heading.  From these this script writes
  * the last cell of every chapter, marked <!--NAVIGATION-->: previous, index, next;
  * the same line in the first cell of every chapter, marked <!--NAVIGATION:TOP-->, so a
    reader can move on without scrolling (00_index, the contents itself, has none);
  * the chapter table in 00_index.ipynb, in the cell marked <!--CHAPTERS-->;
  * the chapter table in README.md, between <!--CHAPTERS--> and <!--/CHAPTERS-->.
Only markdown cells are touched, so outputs stay valid and nbval is unaffected.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAV, TOP, TABLE = "<!--NAVIGATION-->", "<!--NAVIGATION:TOP-->", "<!--CHAPTERS-->"


def chapters():
    """[(path, number, title, meta)] for notebooks/NN_*.ipynb in reading order."""
    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        heading = next((line for c in nb.cells if c.cell_type == "markdown"
                        for line in c.source.splitlines() if line.startswith("# ")),
                       "# " + path.stem)
        title = re.sub(r"^#\s*(\d+\s*[·:.-]\s*)?", "", heading).strip()
        out.append((path, path.name[:2], title, nb.metadata.get("cnn", {})))
    return out


def nav_line(chs, k, marker=NAV):
    """The line "← previous · Index · next →" of chapter k, under ``marker``."""
    parts = []
    if k > 0:
        p, n, t, _ = chs[k - 1]
        parts.append(f"[← {n} {t}]({p.name})")
    if k > 1:                             # chapter 01's previous page is the index itself
        parts.append("[Index](00_index.ipynb)")
    if k + 1 < len(chs):
        p, n, t, _ = chs[k + 1]
        parts.append(f"[{n} {t} →]({p.name})")
    return f"{marker}\n" + " · ".join(parts)


def marked_cells(nb, marker):
    return [c for c in nb.cells if c.cell_type == "markdown" and marker in c.source]


def set_top(nb, nav):
    """The first cell of ``nb`` is the top navigation cell, holding ``nav``."""
    cells = marked_cells(nb, TOP)
    cell = cells[0] if cells else nbformat.v4.new_markdown_cell(nav, id="nav-top")
    cell.source = nav
    nb.cells = [cell] + [c for c in nb.cells if c is not cell]


def table(chs, prefix):
    rows = ["| chapter | note | equations | what you will see | explorers |",
            "|---|---|---|---|---|"]
    for p, n, t, meta in chs:
        if n == "00":
            continue
        explorers = ", ".join(f"`{e}`" for e in meta.get("explorers", [])) or "—"
        rows.append(f"| [{n} {t}]({prefix}{p.name}) | §{meta.get('section', '—')} | "
                    f"{meta.get('equations', '—')} | {meta.get('summary', '')} | {explorers} |")
    return "\n".join(rows)


def update(check, only=None):
    """Rewrite (or with ``check`` only list) what is out of date: every notebook, or those of
    ``only`` (paths), and README.md.  Returns the paths that were (or are) out of date."""
    chs, stale = chapters(), []
    only = None if only is None else {Path(p).resolve() for p in only}
    for k, (path, n, _, _) in enumerate(chs):
        if only is not None and path.resolve() not in only:
            continue
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        nav = nav_line(chs, k)
        cells = marked_cells(nb, NAV)
        if cells:
            cells[0].source = nav
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(nav))
        if n != "00":
            set_top(nb, nav_line(chs, k, TOP))
        for c in nb.cells:
            if n == "00" and c.cell_type == "markdown" and c.source.startswith(TABLE):
                c.source = f"{TABLE}\n{table(chs, '')}"
        if nbformat.writes(nb) != before:
            stale.append(path)
            if not check:
                nbformat.write(nb, path)
    readme = ROOT / "README.md"
    if readme.exists():
        text = readme.read_text()
        new = re.sub(r"<!--CHAPTERS-->.*?<!--/CHAPTERS-->",
                     lambda m: f"{TABLE}\n{table(chs, 'notebooks/')}\n<!--/CHAPTERS-->",
                     text, flags=re.S)
        if new != text:
            stale.append(readme)
            if not check:
                readme.write_text(new)
    return stale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list what is out of date and exit 1 if anything is")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="only these notebooks (default: every notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)
    unknown = [p for p in args.notebooks if not p.resolve().is_relative_to(NOTEBOOKS)
               or not p.exists()]
    if unknown:
        parser.error(f"not a notebook of {NOTEBOOKS.relative_to(ROOT)}/: "
                     f"{', '.join(map(str, unknown))}")
    check = args.check
    stale = update(check, args.notebooks or None)
    for p in stale:
        print(("out of date: " if check else "updated: ") + str(p.relative_to(ROOT)))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
