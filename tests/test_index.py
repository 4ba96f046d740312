"""The course's map is complete and its links work.

00_index.ipynb and README.md list every notebooks/NN_*.ipynb that exists; every relative
link in them, and in each chapter's navigation cell, points to an existing file; and
tools/add_navigation.py has nothing left to rewrite.
"""
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
INDEX = NOTEBOOKS / "00_index.ipynb"
README = ROOT / "README.md"
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|href=\"([^\"]+)\"")


def chapters():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def markdown(path):
    """The markdown text of a notebook (all markdown cells) or of a .md file."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text()


def navigation(path, marker="<!--NAVIGATION-->"):
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells
            if c.cell_type == "markdown" and marker in c.source]


def relative_links(text):
    """Link targets that are neither URLs nor in-page anchors, without their #fragment."""
    targets = [a or b for a, b in LINK.findall(text)]
    return [t.split("#")[0] for t in targets
            if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I)     # a URL scheme
            and not t.startswith("#") and t.split("#")[0]]


def test_the_link_finder():
    text = ('[a](01_x.ipynb) [b](https://mybinder.org/v2/gh/x) [c](#eq) [d](../README.md#top) '
            '<a href="notebooks/02_y.ipynb">e</a> [f](mailto:x@y.z)')
    assert relative_links(text) == ["01_x.ipynb", "../README.md", "notebooks/02_y.ipynb"]


def test_index_lists_every_chapter():
    text = markdown(INDEX)
    missing = [p.name for p in chapters() if p != INDEX and f"]({p.name})" not in text]
    assert not missing, f"00_index.ipynb does not link to {missing}"


def test_index_has_the_chapter_table_cell():
    nb = nbformat.read(INDEX, as_version=4)
    assert any(c.cell_type == "markdown" and c.source.startswith("<!--CHAPTERS-->")
               for c in nb.cells)


def test_readme_lists_every_chapter():
    text = README.read_text()
    missing = [p.name for p in chapters() if p != INDEX and f"notebooks/{p.name}" not in text]
    assert not missing, f"README.md does not link to {missing}"
    assert "notebooks/00_index.ipynb" in text


@pytest.mark.parametrize("path", [INDEX, README], ids=lambda p: p.name)
def test_relative_links_resolve(path):
    links = relative_links(markdown(path))
    assert links, f"no relative links found in {path.name}"
    broken = [t for t in links if not (path.parent / t).exists()]
    assert not broken, f"{path.name}: links to missing files {broken}"


@pytest.mark.parametrize("path", [p for p in chapters() if p.name != INDEX.name],
                         ids=lambda p: p.name)
def test_navigation_cell_links_resolve(path):
    cells = navigation(path)
    assert len(cells) == 1, f"{path.name} has {len(cells)} navigation cells"
    assert nbformat.read(path, as_version=4).cells[-1].source == cells[0], "not the last cell"
    links = relative_links(cells[0])
    assert "00_index.ipynb" in links
    broken = [t for t in links if not (path.parent / t).exists()]
    assert not broken, f"{path.name}: navigation links to missing files {broken}"


@pytest.mark.parametrize("path", [p for p in chapters() if p.name != INDEX.name],
                         ids=lambda p: p.name)
def test_navigation_at_the_top_links_like_the_bottom(path):
    top = navigation(path, "<!--NAVIGATION:TOP-->")
    assert len(top) == 1, f"{path.name} has {len(top)} top navigation cells"
    assert nbformat.read(path, as_version=4).cells[0].source == top[0], "not the first cell"
    assert relative_links(top[0]) == relative_links(navigation(path)[0])


def test_add_navigation_puts_a_line_on_top_once(tmp_path):
    """The tool inserts the top cell into a chapter that has none, moves a misplaced one back
    to the top, and a second run changes nothing."""
    sys.path.insert(0, str(ROOT / "tools"))
    import add_navigation as tool
    chs = [(tmp_path / f"0{k}_x.ipynb", f"0{k}", f"Ch {k}", {}) for k in range(3)]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · Ch 1")])
    line = tool.nav_line(chs, 1, tool.TOP)
    tool.set_top(nb, line)
    assert [c.source for c in nb.cells] == [line, "# 01 · Ch 1"]
    nb.cells.reverse()
    tool.set_top(nb, line)
    assert [c.source for c in nb.cells] == [line, "# 01 · Ch 1"]
    assert line.splitlines()[1] == "[← 00 Ch 0](00_x.ipynb) · [02 Ch 2 →](02_x.ipynb)"


def test_add_navigation_has_nothing_to_update():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "add_navigation.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, f"run tools/add_navigation.py:\n{result.stdout}{result.stderr}"


def test_readme_and_index_count_the_slips_as_the_appendix_does():
    """README and 00 say how many of the appendix's slips a chapter shows failing (its rows
    whose "shown in" names a chapter) and how many leave nothing to compute (a "—" there):
    they promised "every slip" shown failing, which 9 of the 30 cannot be."""
    appendix = next(c.source for c in nbformat.read(NOTEBOOKS / "13_errata.ipynb",
                                                    as_version=4).cells
                    if c.cell_type == "markdown" and c.source.startswith("| id"))
    rows = re.findall(r"^\| (E\d+) \|.*\| ([^|]*) \|$", appendix, re.M)
    shown = sum(not where.strip().startswith("—") for _, where in rows)
    assert len(rows) == 30 and 0 < shown < 30
    for path in (README, INDEX):
        text = " ".join(markdown(path).split())
        assert f"{len(rows)} slips" in text and f"{shown} of them" in text, path.name
        assert f"the other {len(rows) - shown} " in text, path.name


def test_no_notebook_holds_a_placeholder_for_the_repository():
    # the location is written once, in pyproject.toml (tools/repository.py): a notebook that
    # spells out OWNER/REPO shows it in JupyterLab, in the lite copies and on the pages
    hits = [p.name for p in sorted(NOTEBOOKS.glob("*.ipynb"))
            if re.search(r"OWNER/REPO|<owner>/<name>", p.read_text(encoding="utf-8"))]
    assert not hits, f"notebooks naming a placeholder for the repository: {hits}"
