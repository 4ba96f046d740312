"""The explorers in JupyterLab, in a real browser, as a learner uses them.

    make test-browser     # = python -m pytest -m browser -p no:xdist tests/browser

For 00_index and every notebook whose metadata lists explorers ("cnn": {"explorers": [...]}):
open it in JupyterLab (headless chromium), Run All, and check that
  * every code cell ran, and no cell shows an error or stderr, except cells that raise on
    purpose (`# NBVAL_RAISES_EXCEPTION`) and a progress bar's stderr in a cell whose output
    nbval ignores (`# NBVAL_IGNORE_OUTPUT`);
  * every widget rendered: no "Error displaying widget", none stuck on "Loading widget";
  * each listed explorer is called by a cell, and moving each of its sliders like a user
    (drag, released) changes both its figure (img src) and what it prints.
A screenshot of each explorer, after its first slider moved, goes to
tests/browser/screenshots/<notebook>--<explorer>.tmp.png (git-ignored; docs/ keeps the
README's copy).
"""
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(os.environ.get("BROWSER_NOTEBOOKS", ROOT / "notebooks")).resolve()

expect.set_options(timeout=30_000)  # a cold kernel on a busy 2-core box is slow
RUN_ALL_TIMEOUT_MS = 240_000
REDRAW_TIMEOUT_MS = 60_000
BAD_STDERR = re.compile(r"Traceback|Warning|Error|Exception")

KERNEL_IDLE_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

# Run All, as the menu does it; the command's promise settles when every cell has run.
RUN_ALL_JS = """async (ms) => {
  const run = window.jupyterapp.commands.execute('notebook:run-all-cells');
  const late = new Promise(r => setTimeout(() => r('timed out after ' + ms + ' ms'), ms));
  return await Promise.race([run.then(() => 'done', e => 'done: ' + e), late]);
}"""

# ... and then the kernel is idle and no cell is queued or running.
RUN_ALL_DONE_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  return w.content.widgets.every(c => c.model.type !== 'code' ||
      (c.model.executionState || 'idle') !== 'running');
}"""

# Per code cell: its index, whether it ran, and its error/stderr outputs.
CELL_REPORT_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map((c, i) => {
  if (c.model.type !== 'code') return null;
  const outs = [];
  for (let j = 0; j < c.model.outputs.length; j++) {
    const o = c.model.outputs.get(j).toJSON();
    if (o.output_type === 'error') outs.push(o.ename + ': ' + o.evalue);
    if (o.output_type === 'stream' && o.name === 'stderr') outs.push('stderr: ' + o.text);
  }
  return {index: i, count: c.model.executionCount, problems: outs};
})"""

# What an explorer shows: the text it printed and the figures it drew.
SHOWN_JS = """(cell) => ({
  text: Array.from(cell.querySelectorAll('.widget-output')).map(o => o.innerText).join('\\n'),
  srcs: Array.from(cell.querySelectorAll('.widget-output img')).map(i => i.src),
})"""

REDRAWN_JS = """([cell, before]) => {
  const text = Array.from(cell.querySelectorAll('.widget-output'))
    .map(o => o.innerText).join('\\n');
  const srcs = Array.from(cell.querySelectorAll('.widget-output img')).map(i => i.src);
  return srcs.length > 0 && text.trim() !== '' && srcs.join() !== before.srcs.join()
      && text !== before.text;
}"""


def _meta(path):
    return json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("cnn", {})


def targets():
    """00_index and every notebook that lists explorers, in reading order."""
    return [p for p in sorted(NOTEBOOKS.glob("*.ipynb"))
            if p.name.startswith("00_") or _meta(p).get("explorers")]


def _marked(source, marker):
    return any(line.strip().lstrip("#").strip() == marker for line in source.splitlines())


def explorer_cells(path):
    """From the notebook file: {explorer name: index of the cell that runs it}, the cells
    that raise on purpose, and the cells whose output nbval ignores."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found, raising, ignored = {}, set(), set()
    for i, c in enumerate(cells):
        if c["cell_type"] != "code":
            continue
        src = "".join(c["source"])
        if _marked(src, "NBVAL_RAISES_EXCEPTION") or \
                "raises-exception" in c.get("metadata", {}).get("tags", []):
            raising.add(i)
        if _marked(src, "NBVAL_IGNORE_OUTPUT"):
            ignored.add(i)
        code = [line.split("#", 1)[0] for line in src.splitlines()]   # comments dropped
        for name in _meta(path).get("explorers", []):
            calls = re.compile(rf"(?<!def )\b{re.escape(name)}\s*\(")
            if any(calls.search(line) for line in code):
                found.setdefault(name, []).append(i)
    # the explorer's own cell: the one marked NBVAL_IGNORE_OUTPUT (its widget output varies)
    found = {name: next((i for i in idx if _marked("".join(cells[i]["source"]),
                                                   "NBVAL_IGNORE_OUTPUT")), idx[0])
             for name, idx in found.items()}
    return found, raising, ignored


def tag_raising_cells(path):
    """Give cells marked `# NBVAL_RAISES_EXCEPTION` the `raises-exception` tag (in the COPY):
    JupyterLab honours only the tag, and without it Run All stops at the first such cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    untagged = []
    for i, c in enumerate(nb["cells"]):
        tags = c.get("metadata", {}).get("tags", [])
        if c["cell_type"] == "code" and _marked("".join(c["source"]), "NBVAL_RAISES_EXCEPTION") \
                and "raises-exception" not in tags:
            c.setdefault("metadata", {})["tags"] = tags + ["raises-exception"]
            untagged.append(i)
    if untagged:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return untagged


def move_slider(page, slider):
    """Drag the slider's handle like a user (release = one change, as continuous_update=False
    needs); return the (before, after) readouts."""
    readout = slider.locator(".widget-readout")
    before = readout.inner_text()
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    lo, hi, now = (float(handle.get_attribute(a))
                   for a in ("aria-valuemin", "aria-valuemax", "aria-valuenow"))
    track = slider.locator(".noUi-base").bounding_box()
    h = handle.bounding_box()
    # go to the far quarter of the track from where the handle is
    frac = 0.8 if hi == lo or (now - lo) / (hi - lo) < 0.5 else 0.2
    y = h["y"] + h["height"] / 2
    page.mouse.move(h["x"] + h["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * frac, y, steps=8)
    page.mouse.up()
    try:
        expect(readout).not_to_have_text(before, timeout=5_000)
    except AssertionError:  # fall back to the keyboard (works in JupyterLab)
        handle.focus()
        handle.press("ArrowRight" if frac > 0.5 else "ArrowLeft")
        expect(readout).not_to_have_text(before)
    return before, readout.inner_text()


@pytest.fixture(autouse=True)
def _only_when_asked(request):
    """`make test` collects tests/ too: run only when selected with -m browser."""
    if "browser" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("real-browser test: run it with `make test-browser`")


@pytest.mark.parametrize("notebook", targets(), ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(notebook, jupyter_server, browser, screenshots, notes):
    server = jupyter_server
    copy = server.root / "notebooks" / notebook.name
    untagged = tag_raising_cells(copy)
    explorers, raising, ignored = explorer_cells(copy)
    listed = _meta(copy).get("explorers", [])
    missing = [e for e in listed if e not in explorers]
    assert not missing, f"{notebook.name} lists explorers no cell calls: {missing}"

    (screenshots / f"FAILED--{notebook.stem}.tmp.png").unlink(missing_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    foreign = []
    context.on("request", lambda r: r.url.startswith(("http:", "https:", "ws:", "wss:"))
               and not r.url.startswith(server.base) and foreign.append(r.url))
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server.base}/lab/tree/notebooks/{notebook.name}?reset&token={server.token}")
        # the kernel starts by itself when the notebook names an installed kernelspec
        state = page.wait_for_function(f"() => document.querySelector('.jp-Dialog') ? "
                                       f"document.querySelector('.jp-Dialog').innerText : "
                                       f"({KERNEL_IDLE_JS})()", timeout=120_000).json_value()
        assert state is True, f"{notebook.name}: a dialog instead of a kernel: {state!r}"
        page.wait_for_timeout(1000)
        stale = page.locator(".jp-Notebook").get_by_text("Error displaying widget").count()
        if stale:  # saved widget outputs have no live model until the cells run
            notes.append(f"{notebook.name}: before Run All, {stale} saved widget output(s) read "
                         "'Error displaying widget' (no live model until the cell runs)")
        ran = page.evaluate(RUN_ALL_JS, RUN_ALL_TIMEOUT_MS)
        assert ran.startswith("done"), f"{notebook.name}: Run All {ran}"
        page.wait_for_function(RUN_ALL_DONE_JS, timeout=60_000, polling=250)

        # every code cell ran; errors only where they are meant to be
        report = [c for c in page.evaluate(CELL_REPORT_JS) if c]
        not_run = [c["index"] for c in report if c["count"] is None]
        # stderr is allowed in cells whose output nbval ignores (e.g. a progress bar) unless
        # it looks like a warning or a traceback
        problems = {c["index"]: [p for p in c["problems"] if not (
                        c["index"] in raising or (c["index"] in ignored and p.startswith("stderr")
                                                  and not BAD_STDERR.search(p)))]
                    for c in report}
        problems = {i: p for i, p in problems.items() if p}
        assert not problems and not not_run, (
            f"{notebook.name}: error output in cells {problems}; "
            f"Run All did not reach cells {not_run}")

        # every widget rendered
        lab_notebook = page.locator(".jp-Notebook")
        expect(lab_notebook.get_by_text("Error displaying widget")).to_have_count(0)
        expect(lab_notebook.get_by_text("Loading widget")).to_have_count(0)

        cells = page.locator(".jp-Notebook .jp-Cell")
        for name, index in explorers.items():
            cell = cells.nth(index)
            cell.scroll_into_view_if_needed()
            sliders = cell.locator(".widget-slider")
            expect(sliders.first).to_be_visible()
            expect(cell.locator(".widget-output img").first).to_be_visible()
            handle = cell.element_handle()
            for k in range(sliders.count()):
                before = page.evaluate(SHOWN_JS, handle)
                was, now = move_slider(page, sliders.nth(k))
                try:  # every slider must redraw the figure AND the printed values
                    page.wait_for_function(REDRAWN_JS, arg=[handle, before],
                                           timeout=REDRAW_TIMEOUT_MS, polling=200)
                except Exception:
                    after = page.evaluate(SHOWN_JS, handle)
                    label = sliders.nth(k).locator(".widget-label").inner_text()
                    pytest.fail(f"{notebook.name}: {name}, slider {label!r} moved {was} -> "
                                f"{now}: figure changed: {after['srcs'] != before['srcs']}, "
                                f"printed text changed: {after['text'] != before['text']}\n"
                                f"text now: {after['text'][:500]!r}")
                page.wait_for_function(KERNEL_IDLE_JS)
                page.wait_for_timeout(300)
                after = page.evaluate(SHOWN_JS, handle)
                assert after["srcs"] and all(s.startswith("data:image/png;base64,")
                                             for s in after["srcs"]), f"{name}: no figure"
                if k == 0:
                    cell.locator(".jp-Cell-outputWrapper").screenshot(
                        path=str(screenshots / f"{notebook.stem}--{name}.tmp.png"))
            # no traceback inside the explorer's own output
            expect(cell.locator(".widget-output [data-mime-type="
                                "'application/vnd.jupyter.stderr']")).to_have_count(0)
        assert not foreign, f"requests beyond the local server: {foreign[:5]}"
    except BaseException:
        page.screenshot(path=str(screenshots / f"FAILED--{notebook.stem}.tmp.png"), full_page=True)
        raise
    finally:
        context.close()
        server.shutdown_kernels()
    if untagged:
        notes.append(f"{notebook.name}: cells {untagged} raise on purpose without the "
                     "'raises-exception' tag: a learner's Run All in JupyterLab stops there")
