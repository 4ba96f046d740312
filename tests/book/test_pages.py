"""The website's pages in headless chromium, served from 127.0.0.1 (nothing else is reachable).

    make test-book     # with test_book.py (the build) and test_pdf.py (the printed course)

  * every page: each saved figure is on it and loaded; each math element typeset by MathJax,
    with no error and no raw TeX left in the text; the sidebar lists every chapter and ONE set
    of previous/next links leads to the neighbours (the notebook's own line is not repeated);
    no request fails (the favicon included) and none leaves the site;
  * at 1280 and 390 px, every display equation on every page starts where a reader can see it
    or scroll to it, and nothing of it is cut; at 1280 px at most 5 % of the code and output
    blocks scroll sideways; at 390 px the home page is no wider than the phone;
  * H3 is no bolder than H2; a closed "Solution" keeps space below it;
  * every explorer on every page moves with no kernel: each slider, moved, swaps in its frame
    (decoded, shown within one animation frame) and the text is ``<family>_step(...)["text"]``
    of the sliders' values, computed here by cnnlib;
  * search finds "im2col", and its excerpts hold neither the colour-mode menu nor raw TeX;
  * JupyterLite opens from a chapter's launch link with no network, lists every chapter and
    shows the notebook with its note and install cell.  Its Python (Pyodide) comes from a CDN
    at run time: unreachable here, so running a cell in the browser is NOT tested.
Screenshots (tests/book/screenshots/*.tmp.png, git-ignored) of chapter pages at 1280 and 390 px,
of an explorer moved, and of JupyterLite.
"""
import re
import sys
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import add_navigation  # noqa: E402
import explorer_frames  # noqa: E402

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOT_PAGES = ("00_index", "04_convolution", "09_pooling", "12_training")
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/"
RAW_TEX = re.compile(r"\$\$|\$[^$\s][^$]*\$|\\(?:frac|mathbf|begin|end|tag|sum|partial|times|"
                     r"left|right|mathbb|operatorname|quad)\b")
SCROLLING_LIMIT = 0.05
AT_1280 = {}    # page -> (equations, cut, blocks, scrolling), measured by test_chapter_page
expect.set_options(timeout=60_000)


def _context(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server)
    pg = context.new_page()
    pg.outside, pg.failed = [], []
    pg.on("request", lambda r: r.url.startswith((server, "data:", "blob:"))
          or pg.outside.append(r.url))
    pg.on("requestfailed", lambda r: r.url.startswith(server)
          and pg.failed.append(f"{r.url} {r.failure}"))
    pg.on("response", lambda r: r.status >= 400 and pg.failed.append(f"{r.url} HTTP {r.status}"))
    return context, pg


@pytest.fixture
def page(browser, server):
    context, pg = _context(browser, server, 1280)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def phone(browser, server):
    context, pg = _context(browser, server, 390)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def wide(browser, server):
    context, pg = _context(browser, server, 1280)
    yield pg
    context.close()


# Wait until MathJax has typeset the page; then report what a reader would see.
MATH_REPORT_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const math = [...document.querySelectorAll('article .math')];
  const article = document.querySelector('article').cloneNode(true);
  article.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .output')
         .forEach(e => e.remove());
  return {
    math: math.length,
    typeset: math.filter(e => e.querySelector('mjx-container')).length,
    errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent),
    text: article.innerText,
  };
}"""

IMAGES_JS = """async () => {
  const imgs = [...document.querySelectorAll('article img')];
  await Promise.all(imgs.map(i => i.decode().catch(() => null)));
  return imgs.map(i => ({src: i.getAttribute('src'), w: i.naturalWidth}));
}"""

# Every display equation: the glyphs MathJax drew must lie inside each clipping ancestor, or
# inside what a scrolling ancestor can scroll to; none may start left of the page.
EQUATIONS_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const bad = [];
  let n = 0;
  for (const box of document.querySelectorAll("article div.math")) {
    const glyphs = [...box.querySelectorAll("mjx-c")].map(g => g.getBoundingClientRect())
      .filter(r => r.width > 0);
    if (!glyphs.length) continue;
    n += 1;
    const left = Math.min(...glyphs.map(r => r.left));
    const right = Math.max(...glyphs.map(r => r.right));
    let problem = left + window.scrollX < -0.5 ? "starts left of the page" : null;
    for (let a = box.querySelector("mjx-container"); a && !problem && a !== document.body;
         a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX === "visible") continue;
      const r = a.getBoundingClientRect();
      const x0 = r.left + a.clientLeft, x1 = x0 + a.clientWidth;
      if (cs.overflowX === "auto" || cs.overflowX === "scroll") {
        const from = x0 - a.scrollLeft, to = from + a.scrollWidth;
        if (left < from - 0.5 || right > to + 0.5) problem = "beyond its scroller's reach";
      } else if (left < x0 - 0.5 || right > x1 + 0.5) {
        problem = `cut by ${a.tagName.toLowerCase()}.${a.className} (overflow ${cs.overflowX})`;
      }
    }
    if (problem) bad.push(problem + ": " + box.textContent.trim().slice(0, 60));
  }
  return {n, bad};
}"""

BLOCKS_JS = """() => {
  const blocks = [...document.querySelectorAll('article div.highlight pre, article .output pre')];
  return {blocks: blocks.length,
          scrolling: blocks.filter(b => b.scrollWidth > b.clientWidth + 1).length,
          width: document.documentElement.scrollWidth};
}"""


def _saved_figures(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


def _math_in_markdown(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return any("$" in c.source for c in nb.cells if c.cell_type == "markdown")


def _nav_line(name):
    """The notebook's own previous/next line (tools/add_navigation.py), as a page shows it."""
    chs = add_navigation.chapters()
    k = [p.stem for p, *_ in chs].index(name)
    line = add_navigation.nav_line(chs, k).split("\n", 1)[1]
    return re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", line)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_chapter_page(page, name, screenshots, notes):
    page.goto(f"{name}.html")
    expect(page.locator("article h1").first).to_be_visible()

    report = page.evaluate(MATH_REPORT_JS)
    if _math_in_markdown(name):
        assert report["math"] > 0, "the notebook has math, the page none"
    assert report["typeset"] == report["math"], f"{report['math'] - report['typeset']} " \
        "math elements not typeset by MathJax"
    assert not report["errors"], f"MathJax errors: {report['errors']}"
    raw = sorted(set(RAW_TEX.findall(report["text"])))
    assert not raw, f"raw TeX left in the text: {raw}"

    images = page.evaluate(IMAGES_JS)
    assert len(images) >= _saved_figures(name), (len(images), _saved_figures(name))
    broken = [i["src"] for i in images if not i["w"]]
    assert not broken, f"images that did not load: {broken}"

    # the sidebar lists every chapter; ONE set of previous/next links leads to the neighbours
    sidebar = page.locator("nav.bd-docs-nav a.reference").evaluate_all(
        "as => as.map(a => a.href.split('#')[0].split('/').pop())")
    assert sidebar == [f"{n}.html" for n in NOTEBOOKS]
    k = NOTEBOOKS.index(name)
    prev_next = page.locator(".prev-next-area a").evaluate_all(
        "as => as.map(a => [a.className, a.getAttribute('href')])")
    want = ([["left-prev", f"{NOTEBOOKS[k - 1]}.html"]] if k else []) + \
        ([["right-next", f"{NOTEBOOKS[k + 1]}.html"]] if k + 1 < len(NOTEBOOKS) else [])
    assert [[c.split()[0], h] for c, h in prev_next] == want
    article = page.locator("article").inner_text()
    assert _nav_line(name) not in article, "the notebook's own previous/next line is repeated"

    # a favicon, and the explorers are where the notebooks open them
    assert page.locator("link[rel='icon']").count() == 1
    explorers = page.locator("article div.cnn-explorer").count()
    assert explorers == sum(c[0].startswith(name + "-") for c in explorer_frames.explorer_cells())

    # at 1280 px: no display equation cut (390 px: test_equations_are_never_cut), the blocks
    equations, blocks = page.evaluate(EQUATIONS_JS), page.evaluate(BLOCKS_JS)
    AT_1280[name] = (equations["n"], equations["bad"], blocks["blocks"], blocks["scrolling"])
    assert not equations["bad"], "equations cut at 1280 px:\n" + "\n".join(equations["bad"])

    assert not page.failed, f"failed requests: {page.failed}"
    assert not page.outside, f"requests that left the site: {page.outside}"
    if name in SCREENSHOT_PAGES:
        page.screenshot(path=str(screenshots / f"{name}--1280.tmp.png"))
    notes.append(f"{name}: {len(images)} images, {report['math']} math elements typeset, "
                 f"{explorers} explorer(s)")


def _at_1280(pg, name):
    """What test_chapter_page measured at 1280 px, or measured now if it did not run."""
    if name not in AT_1280:
        pg.goto(f"{name}.html")
        e, b = pg.evaluate(EQUATIONS_JS), pg.evaluate(BLOCKS_JS)
        AT_1280[name] = (e["n"], e["bad"], b["blocks"], b["scrolling"])
    return AT_1280[name]


def test_equations_are_never_cut(wide, phone, bench, notes, screenshots):
    counts = {}
    for width in (1280, 390):
        bad, n = [], 0
        for name in NOTEBOOKS:
            if width == 1280:
                found, cut = _at_1280(wide, name)[:2]
            else:
                phone.goto(f"{name}.html")
                r = phone.evaluate(EQUATIONS_JS)
                found, cut = r["n"], r["bad"]
                if name in SCREENSHOT_PAGES:
                    phone.screenshot(path=str(screenshots / f"{name}--390.tmp.png"))
            n += found
            bad += [f"{name} at {width} px: {b}" for b in cut]
        counts[width] = (n, len(bad))
        assert n >= 60, f"only {n} display equations found at {width} px"
        assert not bad, "equations cut:\n" + "\n".join(bad)
    bench["clipped"] = f"{counts[1280][1]}/{counts[390][1]} of {counts[1280][0]}"
    notes.append(f"display equations checked: {counts[1280][0]} at 1280 px, {counts[390][0]} at "
                 "390 px; none cut")


def test_code_fits_at_1280_and_the_home_page_fits_a_phone(wide, phone, bench, notes):
    blocks = scrolling = 0
    worst = []
    for name in NOTEBOOKS:
        n, k = _at_1280(wide, name)[2:]
        blocks += n
        scrolling += k
        worst.append((k, name))
    share = scrolling / blocks
    bench["scrolling"] = f"{scrolling}/{blocks}"
    assert share <= SCROLLING_LIMIT, \
        f"{scrolling} of {blocks} code/output blocks scroll sideways at 1280 px: {sorted(worst)}"
    phone.goto("00_index.html")
    width = phone.evaluate(BLOCKS_JS)["width"]
    assert width <= 390, f"the home page is {width} px wide on a 390 px phone"
    notes.append(f"code/output blocks scrolling sideways at 1280 px: {scrolling} of {blocks}; "
                 f"home page at 390 px: {width} px wide")


def test_headings_and_solutions(page):
    page.goto("04_convolution.html")
    weights = page.evaluate("""() => ['h2', 'h3'].map(t => {
        const e = document.querySelector('article ' + t);
        return e ? Number(getComputedStyle(e).fontWeight) : null; })""")
    assert None not in weights and weights[1] <= weights[0], f"H2, H3 weights: {weights}"
    gaps = page.evaluate("""() => [...document.querySelectorAll('article details')]
        .filter(d => !d.open && d.nextElementSibling)
        .map(d => d.nextElementSibling.getBoundingClientRect().top
                  - d.getBoundingClientRect().bottom)""")
    assert gaps and min(gaps) >= 8, f"space below closed solutions (px): {gaps}"


def test_search_finds_im2col_with_clean_excerpts(page):
    for query in ("im2col", "Kronecker", "pooling"):
        page.goto(f"search.html?q={query}")
        excerpts = page.locator("#search-results ul.search li p.context")
        expect(excerpts.first).to_be_visible()
        # every result's excerpt fetched (else leaving the page aborts those requests)
        expect(page.locator("#search-results")).to_contain_text("Search finished")
        page.wait_for_function("""() => [...document.querySelectorAll(
            '#search-results ul.search li')].every(li => li.querySelector('p.context'))""")
        if query == "im2col":
            hrefs = page.locator("#search-results ul.search li a").evaluate_all(
                "as => as.map(a => a.getAttribute('href'))")
            assert any(h.split("?")[0].split("#")[0] == "05_im2col.html" for h in hrefs), hrefs
        texts = excerpts.all_inner_texts()
        for text in texts:
            assert not re.search(r"System Settings|Color mode|Light\s+Dark", text), text
            assert not RAW_TEX.findall(text) and "\\" not in text, f"raw TeX: {text}"
    assert not page.failed, f"failed requests: {page.failed}"


def test_jupyterlite_opens_offline_and_lists_every_chapter(page, screenshots, notes):
    page.goto("04_convolution.html")
    launch = page.locator("a[href^='lite/']").get_attribute("href")
    page.goto(launch)
    listing = page.locator(".jp-DirListing-content .jp-DirListing-itemName")
    expect(listing.filter(has_text="12_training.ipynb")).to_have_count(1)
    names = sorted(listing.all_inner_texts())
    assert names == [f"{n}.ipynb" for n in NOTEBOOKS]
    # the chapter itself is open: the note on what its kernel needs, the install cell, the title
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(notebook.locator(".jp-Cell").first).to_contain_text("offline")
    expect(notebook.locator(".jp-Cell").nth(1)).to_contain_text("%pip install")
    expect(notebook.locator("h1").first).to_contain_text("The convolution")
    page.wait_for_timeout(2000)  # let the kernel try to start
    page.screenshot(path=str(screenshots / "lite--04_convolution.tmp.png"))
    assert not page.failed, f"failed requests: {page.failed}"
    others = [u for u in page.outside if not u.startswith(PYODIDE_CDN)]
    assert not others, f"requests that left the site, other than Pyodide's: {others}"
    notes.append("JupyterLite: opened offline from the launch link, lists "
                 f"{len(names)} notebooks; requests to Pyodide's CDN (unreachable here, "
                 f"so no cell was run in the browser): {len(page.outside)}")


MOVE_JS = """async ([id, name, index]) => {
  const root = document.getElementById('explorer-' + id);
  const input = root.querySelector(`input[data-slider="${name}"]`);
  const before = root.querySelector('.cnn-frame-holder img').getAttribute('src');
  input.value = index < 0 ? input.max : index;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise(r => requestAnimationFrame(r));     // the next frame the reader sees
  const img = root.querySelector('.cnn-frame-holder img');
  return {before, src: img.getAttribute('src'), complete: img.complete, w: img.naturalWidth,
          point: root.dataset.point, text: root.querySelector('.cnn-text').textContent,
          alt: img.alt, max: Number(input.max), value: Number(input.value)};
}"""


def _values(grid, point):
    """The slider values of a page's point "v1,v2,..." (as the grid's sliders type them)."""
    out = {}
    for slider, text in zip(grid.sliders, point.split(",")):
        out[slider.name] = text if isinstance(slider.start, str) else int(text)
    return out


@pytest.mark.parametrize("cell", explorer_frames.explorer_cells(), ids=lambda c: c[0])
def test_explorer_moves_without_a_kernel(page, cell, screenshots, bench, notes):
    ident, path, index, family, call = cell
    grid, _, _ = explorer_frames.load_grid(path, index, family, call)
    page.goto(f"{path.stem}.html")
    root = page.locator(f"#explorer-{ident}")
    root.scroll_into_view_if_needed()
    expect(root).to_have_attribute("data-ready", "true")
    manifest = root.locator("script.cnn-manifest").evaluate("s => JSON.parse(s.textContent)")
    moves = changed = 0
    for slider in grid.sliders:
        start = page.locator(f"#explorer-{ident} input[data-slider='{slider.name}']")
        first = int(start.input_value())
        for target in (-1, 0, first):                     # its last value, its first, back
            r = page.evaluate(MOVE_JS, [ident, slider.name, target])
            moves += 1
            values = _values(grid, r["point"])
            step = grid.step(values)
            assert r["text"] == step["text"] == r["alt"], (slider.name, values)
            want = manifest["files"][manifest["frames"][r["point"]][0]]
            assert r["src"].endswith("/" + want) and r["complete"] and r["w"] > 0, \
                f"{slider.name} -> {values}: frame {r['src']} not shown within one animation frame"
            if r["src"] != r["before"]:
                changed += 1
        assert r["value"] == first
    assert changed >= len(grid.sliders), f"the frame changed on {changed} of {moves} moves"
    bench["explorers"] = bench.get("explorers", 0) + 1
    if family == "conv":
        page.evaluate(MOVE_JS, [ident, "position", 4])
        root.screenshot(path=str(screenshots / f"explorer--{ident}.tmp.png"))
    notes.append(f"explorer {ident}: {len(grid.sliders)} sliders moved {moves} times, the frame "
                 f"changed {changed} times, texts = cl.{family}_step(...)['text']")
