"""The frames of every explorer, rendered when the website is built (kernel-free explorers).

    python tools/explorer_frames.py OUT_DIR      # tools/build_book.py runs it beside Sphinx

For each notebook cell that opens an explorer (``cl.<family>_explorer(...)``, saved without
output), this computes the explorer's arguments (literal ones as written; others by running the
cells above it that they need, headless, in a scratch folder: tools/notebook_slice.py), builds
the explorer's own widget to read its sliders, and renders every point of its grid
(tools/explorer_grids.py) with ``cl.<family>_step`` and ``cl.draw_<family>`` through the
explorers' ``Frame``: the same PNG the notebook's explorer shows at those values, stored
losslessly as WebP.  Before it keeps a grid it
moves the real explorer's sliders to the start and to the last point and checks that the
explorer printed the same text and showed the same pixels.

OUT_DIR/<notebook>-<cell>/ receives the frames and manifest.json (sliders, frame of each point,
texts), which build_book.py turns into the page's explorer (book/_static/course.js moves it).
Frames are cached in build/.cache/explorers/ (EXPLORER_CACHE), keyed by everything they depend
on: cnnlib's sources, these tools, the notebook's cells above the explorer and the versions of
numpy, matplotlib and Pillow.
"""
import argparse
import ast
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CACHE = Path(os.environ.get("EXPLORER_CACHE", ROOT / "build" / ".cache" / "explorers"))
CALL = re.compile(r"^cl\.(\w+)_explorer\(", re.MULTILINE)
sys.path.insert(0, str(ROOT / "tools"))
from notebook_slice import explorer_arguments  # noqa: E402

WEBP = {"format": "webp", "lossless": True, "quality": 20, "method": 1}


def read_cells(path):
    """A notebook's cells as dicts, each source one string (plain json: importing nbformat
    costs seconds, for its schema validation)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return cells


def explorer_cells():
    """[(id, notebook path, cell index, family, call source)] of every explorer cell."""
    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for i, cell in enumerate(read_cells(path)):
            m = CALL.search(cell["source"]) if cell["cell_type"] == "code" else None
            if m and not cell.get("outputs"):
                call = next(node for node in ast.walk(ast.parse(cell["source"]))
                            if isinstance(node, ast.Call) and ast.unparse(node.func)
                            == f"cl.{m.group(1)}_explorer")
                out.append((f"{path.stem}-{i}", path, i, m.group(1), ast.unparse(call)))
    return out


def cache_key(path, index):
    import matplotlib
    import numpy
    import PIL
    h = hashlib.sha256()
    for src in sorted((ROOT / "cnnlib").rglob("*.py")) + [Path(__file__),
                                                         Path(__file__).with_name(
                                                             "explorer_grids.py")]:
        h.update(src.read_bytes())
    for cell in read_cells(path)[:index + 1]:
        h.update(cell["source"].encode() if cell["cell_type"] == "code" else b"")
    h.update(Path(__file__).with_name("notebook_slice.py").read_bytes())
    h.update(f"{numpy.__version__} {matplotlib.__version__} {PIL.__version__} "
             f"{sys.version}".encode())
    return h.hexdigest()[:20]


def _controls(widget):
    """description -> control of an explorer's widget tree (and the interactive itself)."""
    import ipywidgets as widgets
    found, todo = {}, [widget]
    while todo:
        w = todo.pop(0)
        if isinstance(w, widgets.interactive):
            found["__interactive__"] = w
        if isinstance(w, (widgets.IntSlider, widgets.ToggleButtons, widgets.Dropdown)) \
                and w.description:
            found.setdefault(w.description, w)
        todo.extend(getattr(w, "children", ()))
    return found


class _Shown:
    """What an explorer showed: its last PNG and printed line (display and print captured)."""

    def __init__(self):
        self.png, self.out = None, io.StringIO()

    def display(self, obj, *args, **kwargs):
        if getattr(obj, "format", None) == "png":
            self.png = obj.data

    def text(self):
        lines = self.out.getvalue().strip().splitlines()
        return lines[-1] if lines else None


def _pixels(png):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def load_grid(path, index, family, call):
    """(grid, controls, shown) of an explorer cell: its arguments, the real explorer built
    with them (what it showed first is in ``shown``) and the grid made from its sliders."""
    import inspect
    import matplotlib
    matplotlib.use("Agg")
    import cnnlib as cl
    from cnnlib.views import explore
    sys.path.insert(0, str(ROOT / "tools"))
    from explorer_grids import grid as make_grid

    args, kwargs = explorer_arguments(path, index, call, read_cells(path), NOTEBOOKS)
    explorer = getattr(cl, f"{family}_explorer")
    shown = _Shown()
    explore.display = shown.display                  # this process draws no notebook
    with contextlib.redirect_stdout(shown.out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        widget = explorer(*args, **kwargs)
    controls = _controls(widget)
    bound = inspect.signature(explorer).bind(*args, **kwargs)
    bound.apply_defaults()
    return make_grid(family, bound, controls), controls, shown


def render(ident, path, index, family, call, out):
    """Render one explorer's frames into ``out`` (a fresh folder); return its manifest."""
    import numpy as np
    from cnnlib.views import explore
    from PIL import Image

    t0 = time.monotonic()
    grid, controls, shown = load_grid(path, index, family, call)
    checks = [(grid.start(), shown.png, shown.text())]
    last = grid.points()[-1]
    with contextlib.redirect_stdout(shown.out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in sorted(grid.sliders, key=lambda s: s.dynamic):
            controls[s.label].value = last[s.name]
    checks.append((last, shown.png, shown.text()))

    frame = explore.Frame()
    files, texts, frames, seen = [], [], {}, {}
    points = sorted(grid.points(), key=lambda p: repr(grid.key(grid.step(p))))
    for point in points:
        step = grid.step(point)
        frame.draw(grid.key(step), grid.draw, step)
        png = frame.png()
        for want, their_png, their_text in checks:
            if want == point and (their_text != step["text"]
                                  or not np.array_equal(_pixels(their_png), _pixels(png))):
                raise RuntimeError(f"{ident}: the page's frame at {point} differs from what "
                                   f"cl.{family}_explorer shows ({their_text!r})")
        buffer = io.BytesIO()
        Image.open(io.BytesIO(png)).save(buffer, **WEBP)
        data = buffer.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in seen:
            seen[digest] = len(files)
            files.append(f"{len(files):03d}.webp")
            (out / files[-1]).write_bytes(data)
        texts.append(step["text"])
        frames[",".join(str(point[s.name]) for s in grid.sliders)] = [seen[digest],
                                                                      len(texts) - 1]
    sizes = {f: Image.open(out / f).size for f in files}
    manifest = {
        "id": ident, "family": family, "notebook": path.name, "cell": index, "call": call,
        "sliders": [{"name": s.name, "label": s.label, "values": s.values, "start": s.start,
                     "labels": s.labels, "dynamic": s.dynamic} for s in grid.sliders],
        "fixed": grid.fixed, "subset": grid.subset, "files": files,
        "sizes": [sizes[f] for f in files], "texts": texts, "frames": frames,
        "bytes": sum((out / f).stat().st_size for f in files),
        "seconds": round(time.monotonic() - t0, 1)}
    (out / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def _one(ident, dest):
    """The frames of explorer ``ident`` into ``dest``/<ident>/, from the cache or rendered."""
    (_, path, index, family, call), = [c for c in explorer_cells() if c[0] == ident]
    cached = CACHE / f"{ident}-{cache_key(path, index)}"
    if not (cached / "manifest.json").is_file():
        work = Path(tempfile.mkdtemp(prefix=f".{ident}-", dir=CACHE))
        try:
            render(ident, path, index, family, call, work)
            shutil.rmtree(cached, ignore_errors=True)
            work.rename(cached)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for old in CACHE.glob(f"{ident}-*"):           # earlier versions of this explorer
            if old != cached:
                shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(cached, Path(dest) / ident)


def build(dest, workers=2):
    """Every explorer's frames and manifest into ``dest``/<id>/, one process per explorer,
    ``workers`` at a time (a new one as soon as any finishes); returns the manifests."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    todo = [c[0] for c in sorted(explorer_cells(), key=lambda c: c[3] != "digit")]
    running, failed = [], []
    while todo or running:
        while todo and len(running) < workers:
            ident, log = todo.pop(0), tempfile.TemporaryFile("w+")
            running.append((ident, log, subprocess.Popen(
                [sys.executable, __file__, "--one", ident, str(dest)],
                stdout=log, stderr=subprocess.STDOUT, text=True)))
        done = [r for r in running if r[2].poll() is not None]
        if not done:
            time.sleep(0.1)
        for ident, log, proc in done:
            running.remove((ident, log, proc))
            if proc.returncode:
                log.seek(0)
                failed.append(f"{ident}:\n{log.read()}")
            log.close()
    if failed:
        raise SystemExit("explorer_frames: failed\n" + "\n".join(failed))
    return [json.loads(p.read_text()) for p in sorted(dest.glob("*/manifest.json"))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one", metavar="ID", help="only this explorer (what build runs)")
    opts = parser.parse_args(argv)
    if opts.one:
        return _one(opts.one, opts.out)
    for m in build(opts.out, opts.workers):
        print(f"  {m['id']:34s}{len(m['texts']):5d} frames {m['bytes'] / 1e6:5.2f} MB "
              f"(rendered in {m['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
