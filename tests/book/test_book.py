"""The course website, built from scratch and read in a real browser as a learner reads it.

    make test-book     # = python -m pytest -m book -p no:xdist tests/book

tools/build_book.py builds the site into a temp dir (any Sphinx warning fails it), within the
time and size the course promises.  Then, without a browser:
  * every internal link of every page resolves, to a file and, with a #fragment, to an element
    of that page (a crawl from index.html that must reach every chapter); no page loads a
    script, style sheet, image or font from another host;
  * every chapter page has a Binder button (the README's badge, pointed at that notebook) and
    a JupyterLite button that opens the same notebook in lite/;
  * the cnnlib wheel in lite/pypi/ is pure Python (py3-none-any), holds every module of the
    package, subpackages included, and needs nothing beyond numpy and scipy (its `course`
    extra: matplotlib, scikit-learn, ipywidgets);
  * the lite copies are the committed notebooks with one install cell in front.
In headless chromium, served from 127.0.0.1 (nothing else is reachable):
  * every page: each saved figure is on it and loaded (naturalWidth > 0); each math element was
    typeset by MathJax, with no MathJax error and no raw TeX ($$, \\frac, ...) left in the text;
    the sidebar lists every chapter and previous/next link the neighbours; a note under each
    explorer says where its sliders move; no request fails;
  * search finds "im2col";
  * JupyterLite opens from a chapter's launch link with no network, lists every chapter and
    shows the notebook.  Its Python (Pyodide) comes from a CDN at run time: unreachable here,
    so running a cell in the browser is NOT tested.
Screenshots of three chapter pages and of JupyterLite go to tests/book/screenshots/*.tmp.png
(git-ignored; docs/screenshots/ keeps the README's copy).
"""
import email.parser
import html.parser
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import nbformat
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOT_PAGES = ("04_convolution", "05_im2col", "12_training")
BUILD_LIMIT_S, SIZE_LIMIT_MB = 120, 100
# What the wheel may require: numpy and scipy, which Pyodide ships; the `course` extra adds
# matplotlib and scikit-learn (in Pyodide too) and ipywidgets (pure Python: piplite installs it
# from Pyodide's distribution or PyPI).
WHEEL_REQUIRES = {"numpy", "scipy"}
WHEEL_EXTRA_REQUIRES = {"matplotlib", "scikit-learn", "ipywidgets"}
PYODIDE_CDN = "https://cdn.jsdelivr.net/pyodide/"
NBVAL_MARKER = re.compile(r"^#\s*NBVAL_[A-Z_]+[^\n]*\n?", re.MULTILINE)
RAW_TEX = re.compile(r"\$\$|\$[^$\s][^$]*\$|\\(?:frac|mathbf|begin|end|tag|sum|partial|times|"
                     r"left|right|mathbb|operatorname|quad)\b")
expect.set_options(timeout=60_000)


# ----------------------------------------------------------------- the build, without a browser

def test_builds_within_limits(site):
    _, took, size = site
    assert took <= BUILD_LIMIT_S, f"the build took {took:.0f} s (limit {BUILD_LIMIT_S} s)"
    assert size <= SIZE_LIMIT_MB * 1e6, f"the site is {size / 1e6:.0f} MB (limit {SIZE_LIMIT_MB})"


class _Page(html.parser.HTMLParser):
    """The links, resources and element ids of one HTML page."""

    def __init__(self):
        super().__init__()
        self.links, self.resources, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("img", "script", "source", "iframe") and a.get("src"):
            self.resources.append(a["src"])
        elif tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.resources.append(a["href"])
        elif tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.links.append(re.sub(r"^\d+;\s*url=", "", a.get("content", ""), flags=re.I))


def _parse(path):
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_internal_links_resolve(site, notes):
    root = site[0]
    todo, seen, broken, external, remote_resources = ["index.html"], set(), [], set(), []
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        page = _parse(root / rel)
        base = f"http://site/{rel}"
        for kind, urls in (("link", page.links), ("resource", page.resources)):
            for url in urls:
                parts = urlsplit(urljoin(base, url))
                if parts.netloc != "site":
                    if parts.scheme in ("http", "https"):
                        (remote_resources.append((rel, url)) if kind == "resource"
                         else external.add(parts.netloc))
                    continue
                target = unquote(parts.path.lstrip("/")) or "index.html"
                if target.endswith("/"):
                    target += "index.html"
                if not (root / target).is_file():
                    broken.append(f"{rel}: {url} (no file {target})")
                    continue
                if target.startswith("lite/"):   # the JupyterLite app: its ?path= must exist
                    for path in parse_qs(parts.query).get("path", []):
                        if not (root / "lite" / "files" / path).is_file():
                            broken.append(f"{rel}: {url} (lite has no {path})")
                    continue
                if parts.fragment and target.endswith(".html"):
                    if parts.fragment not in _parse(root / target).ids:
                        broken.append(f"{rel}: {url} (no #{parts.fragment} in {target})")
                if kind == "link" and target.endswith(".html"):
                    todo.append(target)
    assert not broken, "links that lead nowhere:\n" + "\n".join(broken)
    assert not remote_resources, f"loaded from another host: {remote_resources}"
    missing = [n for n in NOTEBOOKS if f"{n}.html" not in seen]
    assert not missing, f"pages not reachable from index.html: {missing}"
    notes.append(f"links: {len(seen)} pages crawled, every internal link resolves; "
                 f"external link hosts: {sorted(external)}")


def _readme_binder():
    m = re.search(r"\((https://mybinder\.org/v2/gh/[^)\s]+?notebooks/)00_index\.ipynb\)",
                  (ROOT / "README.md").read_text(encoding="utf-8"))
    assert m, "README.md has no Binder badge for notebooks/00_index.ipynb"
    return m.group(1)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_launch_buttons(site, name):
    root = site[0]
    links = _parse(root / f"{name}.html").links
    binder = [u for u in links if u.startswith("https://mybinder.org/")]
    assert binder == [f"{_readme_binder()}{name}.ipynb"]
    lite = [u for u in links if u.startswith("lite/")]
    assert lite == [f"lite/lab/index.html?path=notebooks/{name}.ipynb"]
    assert (root / "lite" / "files" / "notebooks" / f"{name}.ipynb").is_file()


def test_wheel_is_pure_python(site, notes):
    pypi = site[0] / "lite" / "pypi"
    (wheel,) = pypi.glob("cnnlib-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    index = json.loads((pypi / "all.json").read_text())
    assert [f["filename"] for f in index["cnnlib"]["releases"][
        wheel.name.split("-")[1]]] == [wheel.name]
    lite_config = json.loads((site[0] / "lite" / "jupyter-lite.json").read_text())
    urls = lite_config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]["pipliteUrls"]
    assert any(u.startswith("./pypi/all.json") for u in urls), urls
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        wheel_meta = email.parser.Parser().parsestr(z.read(info).decode())
        meta = email.parser.Parser().parsestr(
            z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    assert wheel_meta["Root-Is-Purelib"] == "true"
    assert wheel_meta.get_all("Tag") == ["py3-none-any"]
    package = {n for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert all(n.endswith(".py") for n in package), sorted(package)
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "cnnlib").rglob("*.py")}
    assert package == modules, f"missing {modules - package}, extra {package - modules}"
    plain, extra = set(), set()
    for req in meta.get_all("Requires-Dist") or []:
        name = re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower().replace("_", "-")
        (extra if "extra ==" in req else plain).add(name)
    assert plain <= WHEEL_REQUIRES, plain
    assert extra <= WHEEL_EXTRA_REQUIRES, extra
    notes.append(f"wheel: {wheel.name}, {len(package)} modules, requires {sorted(plain)}, "
                 f"extra {sorted(extra)}")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_lite_copy_is_the_notebook_plus_an_install_cell(site, name):
    committed = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    copy = nbformat.read(site[0] / "lite" / "files" / "notebooks" / f"{name}.ipynb",
                         as_version=4)
    first = copy.cells[0]
    assert first.cell_type == "code" and re.search(r"^%pip install .*cnnlib", first.source, re.M)
    assert len(copy.cells) == len(committed.cells) + 1
    for ours, theirs in zip(copy.cells[1:], committed.cells):
        assert ours.cell_type == theirs.cell_type
        expected = (NBVAL_MARKER.sub("", theirs.source) if theirs.cell_type == "code"
                    else theirs.source)
        assert ours.source == expected
        assert ours.get("outputs") == theirs.get("outputs")


# ----------------------------------------------------------------- in the browser

@pytest.fixture
def page(browser, server):
    """A fresh page that records every request leaving the site and every failed one."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    pg = context.new_page()
    pg.outside, pg.failed = [], []
    pg.on("request", lambda r: r.url.startswith((server, "data:", "blob:"))
          or pg.outside.append(r.url))
    pg.on("requestfailed", lambda r: r.url.startswith(server)
          and not r.url.endswith("/favicon.ico") and pg.failed.append(f"{r.url} {r.failure}"))
    pg.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
          and pg.failed.append(f"{r.url} HTTP {r.status}"))
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


def _saved_figures(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


def _explorer_cells(name):
    """Cells that open one of the explorers the notebook's metadata lists."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    names = nb.metadata.get("cnn", {}).get("explorers", [])
    return sum(c.cell_type == "code" and any(f"cl.{e}(" in c.source for e in names)
               and not c.outputs for c in nb.cells)


def _math_in_markdown(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    return any("$" in c.source for c in nb.cells if c.cell_type == "markdown")


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

    # the sidebar lists every chapter; previous/next lead to the neighbours
    sidebar = page.locator("nav.bd-docs-nav a.reference").evaluate_all(
        "as => as.map(a => a.href.split('#')[0].split('/').pop())")
    assert sidebar == [f"{n}.html" for n in NOTEBOOKS]
    k = NOTEBOOKS.index(name)
    prev_next = page.locator(".prev-next-area a").evaluate_all(
        "as => as.map(a => [a.className, a.getAttribute('href')])")
    want = ([["left-prev", f"{NOTEBOOKS[k - 1]}.html"]] if k else []) + \
        ([["right-next", f"{NOTEBOOKS[k + 1]}.html"]] if k + 1 < len(NOTEBOOKS) else [])
    assert [[c.split()[0], h] for c, h in prev_next] == want

    # under each explorer (a saved notebook holds no live widget), where its sliders move
    notes_shown = page.locator("article .admonition.note", has_text="sliders").count()
    assert notes_shown == _explorer_cells(name)

    assert not page.failed, f"failed requests: {page.failed}"
    assert not page.outside, f"requests that left the site: {page.outside}"
    if name in SCREENSHOT_PAGES:  # the first figure, with the text around it
        page.locator("article img").first.evaluate("i => i.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(screenshots / f"{name}.tmp.png"))
    notes.append(f"{name}: {len(images)} figures, {report['math']} math elements typeset")


def test_search_finds_im2col(page):
    page.goto("search.html?q=im2col")
    results = page.locator("#search-results ul.search li a")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any(h.split("?")[0].split("#")[0] == "05_im2col.html" for h in hrefs), hrefs
    assert not page.failed, f"failed requests: {page.failed}"


def test_jupyterlite_opens_offline_and_lists_every_chapter(page, screenshots, notes):
    page.goto("04_convolution.html")
    launch = page.locator("a[href^='lite/']").get_attribute("href")
    page.goto(launch)
    listing = page.locator(".jp-DirListing-content .jp-DirListing-itemName")
    expect(listing.filter(has_text="12_training.ipynb")).to_have_count(1)
    names = sorted(listing.all_inner_texts())
    assert names == [f"{n}.ipynb" for n in NOTEBOOKS]
    # the chapter itself is open: its install cell, then its title
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(notebook.locator(".jp-Cell").first).to_contain_text("%pip install")
    expect(notebook.locator("h1").first).to_contain_text("The convolution")
    page.wait_for_timeout(2000)  # let the kernel try to start
    page.screenshot(path=str(screenshots / "lite--04_convolution.tmp.png"))
    assert not page.failed, f"failed requests: {page.failed}"
    others = [u for u in page.outside if not u.startswith(PYODIDE_CDN)]
    assert not others, f"requests that left the site, other than Pyodide's: {others}"
    notes.append("JupyterLite: opened offline from the launch link, lists "
                 f"{len(names)} notebooks; requests to Pyodide's CDN (unreachable here, "
                 f"so no cell was run in the browser): {len(page.outside)}")
