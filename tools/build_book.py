"""Build the course website from the committed notebooks, without executing them.

    python tools/build_book.py              # -> build/book/   (what `make book` runs)
    python tools/build_book.py OUT_DIR      # anywhere else (the book test builds into a temp dir)

OUT_DIR receives
  * the pages: index.html (-> 00_index.html), one page per notebook with its saved figures and
    MathJax-rendered math, sidebar, previous/next, search; Sphinx + MyST-NB + sphinx-book-theme,
    configured in book/conf.py, any warning fails the build;
  * lite/: a JupyterLite site (jupyterlite-core + jupyterlite-pyodide-kernel) holding copies of
    the notebooks under notebooks/ and cnnlib as a pure-Python wheel that piplite installs.

Both are made from copies, which differ from the committed notebooks only here: the nbval
markers (`# NBVAL_IGNORE_OUTPUT` lines, test machinery) are dropped from the code shown; a page
has a note under each explorer cell (it saved no output) saying where its sliders move; and the
lite copies start with one extra cell, `%pip install "cnnlib[course]" ...`, that only JupyterLite
needs, and name its Pyodide kernel.  The committed notebooks are never written.
"""
import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
NBVAL_MARKER = re.compile(r"^#\s*NBVAL_[A-Z_]+[^\n]*\n?", re.MULTILINE)

# The first cell of every notebook in the in-browser site.  piplite finds cnnlib in the site's
# own index (lite/pypi/) and the rest in Pyodide's distribution or on PyPI, at run time.
LITE_INSTALL = (
    "# In the browser (JupyterLite) only: install the course's package and what it uses into\n"
    "# this tab's Python. Run it once per session; it needs internet (Pyodide's packages).\n"
    '%pip install -q "cnnlib[course]" tqdm threadpoolctl'
)

# On a page, under each cell that opens an explorer (which saves no output: see its static
# picture above it), a note where its sliders move.
EXPLORER_CALL = re.compile(r"^cl\.\w+_explorer\(", re.MULTILINE)
EXPLORER_NOTE = (
    "```{note}\n"
    "The explorer's sliders need a running Python: open this chapter with the launch button "
    "(the rocket at the top of the page) in Binder, or in JupyterLite right in your browser, "
    "and run the cells.\n"
    "```"
)
PYODIDE_KERNEL = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}


def is_explorer(cell):
    return (cell.cell_type == "code" and not cell.outputs
            and bool(EXPLORER_CALL.search(cell.source)))


def run(cmd, copies=None, **kw):
    """Run a command; on failure print its output (naming notebooks/, not `copies`) and stop."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if p.returncode:
        out = p.stdout.replace(str(copies), "notebooks") if copies else p.stdout
        sys.stdout.write(out)
        sys.exit(f"build_book: failed ({p.returncode}): {' '.join(map(str, cmd))}")
    return p.stdout


def copy_notebooks(dest, lite):
    """Copies of notebooks/*.ipynb without the nbval markers, with the explorer notes (pages)
    or the install cell and the Pyodide kernel (`lite`)."""
    dest.mkdir(parents=True)
    names = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = NBVAL_MARKER.sub("", cell.source)
        if not lite:  # a page cannot move sliders: say where they move
            nb.cells = [new for cell in nb.cells for new in
                        ([cell, nbformat.v4.new_markdown_cell(EXPLORER_NOTE)]
                         if is_explorer(cell) else [cell])]
        else:
            cell = nbformat.v4.new_code_cell(LITE_INSTALL)
            cell.metadata["tags"] = ["jupyterlite-install"]
            nb.cells.insert(0, cell)
            nb.metadata["kernelspec"] = PYODIDE_KERNEL
        nbformat.write(nb, dest / path.name)
        names.append(path.name)
    return names


def build_wheel(work):
    """cnnlib as a py3-none-any wheel, built from a clean copy of the package sources."""
    src = work / "cnnlib-src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "cnnlib", src / "cnnlib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    wheels = work / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(wheels), str(src)])
    (wheel,) = wheels.glob("cnnlib-*.whl")
    return wheel


def source_date_epoch():
    """The files' dates shown in JupyterLite: the last commit's, so a rebuild changes nothing."""
    try:
        when = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return []
    return ["--source-date-epoch", when] if when.isdigit() else []


def build(out):
    out = Path(out).resolve()
    work = out.parent / f".{out.name}.work"   # same file system: the site is moved, not copied
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        took, names = _build(out, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    for step, s in took.items():
        print(f"  {step:32s}{s:6.1f} s")
    print(f"built {len(names)} pages + lite/ in {out} ({size / 1e6:.1f} MB)")
    return out


def _build(out, work):
    took = {}

    t0 = time.monotonic()
    pages_src = work / "pages-src"
    names = copy_notebooks(pages_src, lite=False)
    site = work / "site"
    run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-n",
         "-c", str(BOOK), "-d", str(work / "doctrees"), str(pages_src), str(site)],
        copies=pages_src)
    took["pages (sphinx)"] = time.monotonic() - t0

    t0 = time.monotonic()
    wheel = build_wheel(work)
    took["cnnlib wheel"] = time.monotonic() - t0

    t0 = time.monotonic()
    copy_notebooks(work / "lite-contents" / "notebooks", lite=True)
    lite_dir = work / "lite"
    lite_dir.mkdir()
    run([sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", str(lite_dir),
         "--contents", str(work / "lite-contents"), "--output-dir", str(site / "lite"),
         "--piplite-wheels", str(wheel), "--apps", "lab", "--no-sourcemaps",
         "--no-unused-shared-packages", *source_date_epoch()],
        cwd=lite_dir)
    took["in-browser site (jupyterlite)"] = time.monotonic() - t0

    shutil.rmtree(out, ignore_errors=True)
    site.rename(out)
    return took, names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "book",
                        help="where the site goes (default: build/book)")
    build(parser.parse_args(argv).out)


if __name__ == "__main__":
    main()
