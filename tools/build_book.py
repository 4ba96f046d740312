"""Build the course website from the committed notebooks, without executing them.

    python tools/build_book.py                  # -> build/book/ (what `make book` runs)
    python tools/build_book.py OUT_DIR          # anywhere else (tests/book builds in a temp dir)
    python tools/build_book.py --pyodide DIR    # self-host Pyodide (make book PYODIDE=DIR)

OUT_DIR receives
  * the pages: index.html (-> 00_index.html), one page per notebook with its saved figures and
    MathJax-rendered math, sidebar, previous/next, search; Sphinx + MyST-NB + sphinx-book-theme,
    configured in book/conf.py, any warning fails the build;
  * _explorers/: each explorer's frames (tools/explorer_frames.py, rendered beside Sphinx), which
    the page's sliders swap in the browser (book/_static/course.js), no kernel needed;
  * _sources/NN_x.ipynb: the committed notebooks themselves (the pages' download button);
  * lite/: a JupyterLite site (jupyterlite-core + jupyterlite-pyodide-kernel) holding copies of
    the notebooks under notebooks/, and in lite/pypi/ cnnlib as a pure-Python wheel with the
    wheels of book/lite-wheels.txt, so that Pyodide's distribution is all it fetches (from its
    CDN, or from lite/static/pyodide/ when built with --pyodide).

The pages and lite/ are made from copies, which differ from the committed notebooks only here:
the nbval markers (`# NBVAL_IGNORE_OUTPUT` lines, test machinery) are dropped from the code
shown; on a page, an explorer cell shows the explorer (frames) as its output, and the notebook's
own navigation lines (top and end) are left out (the theme's links are the page's); the lite
copies start with a note on what the kernel needs and one extra cell, `%pip install
"cnnlib[course]" ...`, that only JupyterLite needs, and name its Pyodide kernel.  The committed
notebooks are never written.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
LITE_WHEELS = ROOT / "build" / "lite-wheels"
NBVAL_MARKER = re.compile(r"^#\s*NBVAL_[A-Z_]+[^\n]*\n?", re.MULTILINE)
sys.path.insert(0, str(ROOT / "tools"))
from add_navigation import NAV, TOP  # noqa: E402
from explorer_pages import install_explorers, slot  # noqa: E402

# The first cells of every notebook in the in-browser site.
LITE_INSTALL = (
    "# In the browser (JupyterLite) only: install the course's package and what it uses into\n"
    "# this tab's Python. Run it once per session.\n"
    '%pip install -q "cnnlib[course]" tqdm threadpoolctl'
)
LITE_NOTE = (
    "**Running this chapter in your browser (JupyterLite).** Python here is Pyodide, which runs "
    "in this tab. Its first start downloads Pyodide with numpy, scipy, matplotlib and "
    "scikit-learn (tens of MB) from {where}; the course's own package and widgets come with "
    "this site. If the kernel's status (top right) stays *Unknown* or *Connecting* and a cell "
    "stays at `[*]`, that download failed: this computer is offline, or {host} is blocked. "
    "The chapter still reads as it is, with its saved outputs and figures; to run it, connect "
    "and reload, or use the course on your own machine (`make lab`, see the README)."
)
PYODIDE_KERNEL = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
PYODIDE_FILES = ("pyodide.mjs", "pyodide-lock.json", "pyodide.asm.wasm", "python_stdlib.zip")


def run(cmd, copies=None, **kw):
    """Run a command; on failure print its output (naming notebooks/, not `copies`) and stop."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if p.returncode:
        out = p.stdout.replace(str(copies), "notebooks") if copies else p.stdout
        sys.stdout.write(out)
        sys.exit(f"build_book: failed ({p.returncode}): {' '.join(map(str, cmd))}")
    return p.stdout


def page_copy(nb, stem):
    """The web page's copy of a notebook (see the module's docstring)."""
    from explorer_frames import CALL
    cells = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith((NAV, TOP)):
            continue
        if cell.cell_type == "code" and not cell.outputs and CALL.search(cell.source):
            cell.outputs = [nbformat.v4.new_output(
                "display_data", data={"text/html": slot(f"{stem}-{i}")})]
        cells.append(cell)
    nb.cells = cells
    return nb


def copy_notebooks(dest, lite, pyodide_here=False):
    """Copies of notebooks/*.ipynb without the nbval markers: pages (page_copy), or with the
    note, the install cell and the Pyodide kernel (`lite`)."""
    dest.mkdir(parents=True)
    names = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = NBVAL_MARKER.sub("", cell.source)
        if not lite:
            nb = page_copy(nb, path.stem)
        else:
            note = nbformat.v4.new_markdown_cell(LITE_NOTE.format(
                where="this site" if pyodide_here else "Pyodide's CDN (cdn.jsdelivr.net)",
                host="this site" if pyodide_here else "cdn.jsdelivr.net"))
            note.metadata["tags"] = ["jupyterlite-note"]
            cell = nbformat.v4.new_code_cell(LITE_INSTALL)
            cell.metadata["tags"] = ["jupyterlite-install"]
            nb.cells[:0] = [note, cell]
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


def lite_wheels(folder=LITE_WHEELS):
    """The wheels of book/lite-wheels.txt that `make book-setup` downloaded into ``folder``."""
    pins = [line.split("==") for line in (BOOK / "lite-wheels.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    found, missing = [], []
    for name, version in pins:
        hits = sorted(Path(folder).glob(f"{name.replace('-', '_')}-{version}-py3-none-any.whl"))
        (found.append(hits[0]) if hits else missing.append(f"{name}=={version}"))
    if missing:
        sys.exit(f"build_book: no wheel in {folder} for {', '.join(missing)}: run "
                 "`make book-setup` (it downloads them once with pip)")
    return found


def stage_pyodide(given, work):
    """A full Pyodide distribution (a folder holding pyodide.mjs, pyodide-lock.json, ... or
    such a folder in ``given``/pyodide/) laid out as `jupyter lite build --pyodide` reads it:
    a folder named pyodide that holds pyodide/.  Returns that folder.  Missing files, and
    packages the lock lists without their file, are a SystemExit naming them."""
    given = Path(given).resolve()
    dist = given / "pyodide" if (given / "pyodide" / "pyodide-lock.json").is_file() else given
    missing = [f for f in PYODIDE_FILES if not (dist / f).is_file()]
    if not missing:
        lock = json.loads((dist / "pyodide-lock.json").read_text())
        missing = [p["file_name"] for p in lock.get("packages", {}).values()
                   if not (dist / p["file_name"]).is_file()]
    if missing:
        sys.exit(f"build_book: {given} is not a full Pyodide distribution: no "
                 f"{', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}")
    staged = work / "pyodide"
    staged.mkdir(parents=True)
    (staged / "pyodide").symlink_to(dist, target_is_directory=True)
    return staged


def source_date_epoch():
    """The files' dates shown in JupyterLite: the last commit's, so a rebuild changes nothing."""
    try:
        when = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return []
    return ["--source-date-epoch", when] if when.isdigit() else []


def build(out, pyodide=None):
    out = Path(out).resolve()
    work = out.parent / f".{out.name}.work"   # same file system: the site is moved, not copied
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        took, names = _build(out, work, pyodide)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    frames = sum(p.stat().st_size for p in (out / "_explorers").rglob("*") if p.is_file())
    for step, s in took.items():
        print(f"  {step:36s}{s:6.1f} s")
    print(f"built {len(names)} pages + lite/ in {out} ({size / 1e6:.1f} MB, of which "
          f"explorer frames {frames / 1e6:.1f} MB)")
    return out


def _build(out, work, pyodide):
    took, t_all = {}, time.monotonic()
    wheels = lite_wheels()
    staged = stage_pyodide(pyodide, work) if pyodide else None
    frames_dir = work / "explorers"
    frames = subprocess.Popen([sys.executable, str(ROOT / "tools" / "explorer_frames.py"),
                               str(frames_dir)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        return _pages_and_lite(out, work, staged, wheels, frames, frames_dir, took, t_all)
    finally:
        if frames.poll() is None:                   # the build stopped early: stop it too
            os.killpg(frames.pid, signal.SIGTERM)
            frames.wait()


def _pages_and_lite(out, work, staged, wheels, frames, frames_dir, took, t_all):
    # the in-browser site is built beside Sphinx (each is one process), then moved into place
    t_lite = time.monotonic()
    wheel = build_wheel(work)
    copy_notebooks(work / "lite-contents" / "notebooks", lite=True, pyodide_here=bool(staged))
    lite_dir = work / "lite"
    lite_dir.mkdir()
    (lite_dir / "jupyter-lite.json").write_text(json.dumps({"jupyter-config-data": {
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "disablePyPIFallback": True}}}}))     # everything piplite needs is in lite/pypi/
    lite_cmd = [sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", str(lite_dir),
                "--contents", str(work / "lite-contents"), "--output-dir", str(work / "lite-out"),
                *[a for w in [wheel, *wheels] for a in ("--piplite-wheels", str(w))],
                *(["--pyodide", str(staged)] if staged else []),
                "--apps", "lab", "--no-sourcemaps", "--no-unused-shared-packages",
                *source_date_epoch()]
    with open(work / "lite.log", "w+") as lite_log:
        lite = subprocess.Popen(lite_cmd, stdout=lite_log, stderr=subprocess.STDOUT, text=True,
                                cwd=lite_dir)
        try:
            t0 = time.monotonic()
            pages_src = work / "pages-src"
            names = copy_notebooks(pages_src, lite=False)
            site = work / "site"
            run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-n",
                 "-c", str(BOOK), "-d", str(work / "doctrees"), str(pages_src), str(site)],
                copies=pages_src)
            took["pages (sphinx)"] = time.monotonic() - t0
            lite.wait()
        finally:
            if lite.poll() is None:                 # Sphinx failed: stop the lite build too
                lite.kill()
                lite.wait()
        if lite.returncode:
            lite_log.seek(0)
            sys.stdout.write(lite_log.read())
            sys.exit(f"build_book: failed ({lite.returncode}): {' '.join(map(str, lite_cmd))}")
    (work / "lite-out").rename(site / "lite")
    took["in-browser site (beside sphinx)"] = time.monotonic() - t_lite

    t0 = time.monotonic()
    log, _ = frames.communicate()
    if frames.returncode:
        sys.stdout.write(log)
        sys.exit(f"build_book: tools/explorer_frames.py failed ({frames.returncode})")
    took["explorer frames (waited)"] = time.monotonic() - t0
    install_explorers(site, frames_dir)
    for path in NOTEBOOKS.glob("*.ipynb"):           # the download button: the course's own
        shutil.copy2(path, site / "_sources" / path.name)
    took["all"] = time.monotonic() - t_all
    print(log, end="")

    shutil.rmtree(out, ignore_errors=True)
    site.rename(out)
    return took, names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "book",
                        help="where the site goes (default: build/book)")
    parser.add_argument("--pyodide", type=Path, default=None,
                        help="a full Pyodide distribution to serve from lite/static/pyodide/")
    opts = parser.parse_args(argv)
    build(opts.out, opts.pyodide)


if __name__ == "__main__":
    main()
