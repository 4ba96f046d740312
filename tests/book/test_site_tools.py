"""The website's tools on their own, without building the site (these run in `make test`).

  * tools/repository.py: the one place the repository's location is written, [project.urls]
    Repository; README's Binder badge and clone line follow it, and README is up to date;
  * tools/build_book.py's Pyodide staging (make book PYODIDE=DIR): a full distribution, given
    as its folder or a folder holding pyodide/, is laid out as `jupyter lite build --pyodide`
    reads it (a folder named pyodide holding pyodide/); anything missing is named;
  * book/lite-wheels.txt pins the versions of the course's own environment;
  * tools/notebook_slice.py runs only the cells an explorer's arguments need.
"""
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import explorer_frames  # noqa: E402
import notebook_slice  # noqa: E402
import repository  # noqa: E402


def _pyproject(tmp_path, line=""):
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\n\n[project.urls]\n{line}\n')
    return path


def test_repository_is_read_from_project_urls(tmp_path):
    assert repository.repository(_pyproject(tmp_path)) is None
    repo = repository.repository(_pyproject(
        tmp_path, 'Repository = "https://github.com/someone/cnn-course"'))
    assert repo == ("someone", "cnn-course")
    assert repository.binder_url(repo, "notebooks/04_convolution.ipynb") == (
        "https://mybinder.org/v2/gh/someone/cnn-course/HEAD?urlpath=lab/tree/"
        "notebooks/04_convolution.ipynb")
    with pytest.raises(ValueError, match="Repository"):
        repository.repository(_pyproject(tmp_path, 'Repository = "https://gitlab.com/a/b"'))


def test_readme_follows_the_location(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n<!--BINDER-->\nold\n<!--/BINDER-->\ntext\n"
                      "<!--CLONE-->\nold\n<!--/CLONE-->\n")
    unset = _pyproject(tmp_path)
    assert repository.update_readme(False, readme, unset)
    text = readme.read_text()
    assert "mybinder" not in text and "OWNER" not in text and "pyproject.toml" in text
    assert not repository.update_readme(True, readme, unset)        # idempotent
    (tmp_path / "set").mkdir()
    given = _pyproject(tmp_path / "set", 'Repository = "https://github.com/someone/cnn-course"')
    assert repository.update_readme(True, readme, given)             # --check: stale, unchanged
    assert readme.read_text() == text
    repository.update_readme(False, readme, given)
    text = readme.read_text()
    assert "(https://mybinder.org/v2/gh/someone/cnn-course/HEAD?urlpath=lab/tree/notebooks/" \
           "00_index.ipynb)" in text
    assert "git clone https://github.com/someone/cnn-course.git" in text


def test_readme_is_up_to_date():
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "repository.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, f"run tools/repository.py:\n{p.stdout}{p.stderr}"
    assert "OWNER/REPO" not in (ROOT / "README.md").read_text(encoding="utf-8")


def _distribution(folder, missing=()):
    folder.mkdir(parents=True)
    files = ["pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "numpy-2.0-cp313.whl"]
    for name in files:
        if name not in missing:
            (folder / name).write_bytes(b"x")
    (folder / "pyodide-lock.json").write_text(json.dumps({"packages": {
        "numpy": {"file_name": "numpy-2.0-cp313.whl"}}}))


@pytest.mark.parametrize("nested", [False, True], ids=["folder", "folder/pyodide"])
def test_pyodide_is_staged_as_jupyterlite_reads_it(tmp_path, nested):
    import build_book
    given = tmp_path / "given"
    _distribution(given / "pyodide" if nested else given)
    staged = build_book.stage_pyodide(given, tmp_path / "work")
    assert staged.name == "pyodide"
    for name in ("pyodide.mjs", "pyodide-lock.json", "numpy-2.0-cp313.whl"):
        assert (staged / "pyodide" / name).is_file()


@pytest.mark.parametrize("missing", ["pyodide.mjs", "numpy-2.0-cp313.whl"])
def test_an_incomplete_pyodide_is_refused_by_name(tmp_path, missing):
    import build_book
    _distribution(tmp_path / "given", missing=[missing])
    with pytest.raises(SystemExit, match=missing.replace(".", r"\.")):
        build_book.stage_pyodide(tmp_path / "given", tmp_path / "work")


def test_lite_wheels_are_the_course_versions():
    pins = [line.split("==") for line in (ROOT / "book" / "lite-wheels.txt").read_text()
            .splitlines() if line.strip() and not line.startswith("#")]
    assert {n for n, _ in pins} == {"comm", "ipywidgets", "jupyterlab_widgets"}
    for name, version in pins:
        assert importlib.metadata.version(name) == version, name


def test_only_the_cells_the_explorer_needs_run():
    cells = {0: "import numpy as np\nimport cnnlib as cl\nrng = np.random.default_rng(0)",
             1: "a = rng.standard_normal((3, 4))",
             2: "b = np.ones(3)\nprint(b.sum())",                  # not needed
             3: "def slow():\n    return a.sum() + b.sum()\n\nslow_value = slow()",
             4: "rng.shuffle(a)",                                  # changes a: needed
             5: "first = a[0]",                                    # reads a, changes nothing
             6: "a[0, 0] = 1.0",                                   # changes a: needed
             7: "%time c = 3"}                                     # magic: parsed, not needed
    assert notebook_slice.needed_cells(cells, "cl.vec_explorer(a, position=2)") == [0, 1, 4, 6]
    assert notebook_slice.needed_cells(cells, "cl.vec_explorer(slow_value)") == [0, 1, 2, 3]


def test_every_explorer_cell_is_found():
    found = {(c[1].stem, c[3]) for c in explorer_frames.explorer_cells()}
    import nbformat
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for name in nbformat.read(path, as_version=4).metadata.get("cnn", {}).get("explorers", []):
            assert (path.stem, name.removesuffix("_explorer")) in found, (path.name, name)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.stem)
def test_a_page_leaves_out_the_notebooks_own_navigation(path):
    # the theme's previous/next links are the page's: the chapter's navigation line, at its top
    # and at its end (tools/add_navigation.py), is left out; every other cell stays
    import nbformat
    import build_book
    nb = nbformat.read(path, as_version=4)
    navigation = [c.cell_type == "markdown" and c.source.startswith("<!--NAVIGATION")
                  for c in nb.cells]
    others = [c.get("id") for c, nav in zip(nb.cells, navigation) if not nav]
    page = build_book.page_copy(nb, path.stem)
    left = [c.source.splitlines()[0] for c in page.cells
            if c.cell_type == "markdown" and c.source.startswith("<!--NAVIGATION")]
    assert left == [], f"{path.name}: navigation cells left on the page: {left}"
    assert [c.get("id") for c in page.cells] == others
