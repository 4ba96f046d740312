"""The course website, built from scratch and read in a real browser as a learner reads it.

    make test-book     # = python -m pytest -m book -p no:xdist tests/book

tools/build_book.py builds the site into a temp dir (any Sphinx warning fails it), within the
size the course promises (its time is printed in the benchmark line, never asserted).  Then,
without a browser (this file; test_pages.py reads the pages in a browser, test_pdf.py the PDF):
  * every internal link of every page resolves, to a file and, with a #fragment, to an element
    of that page (a crawl from index.html that must reach every chapter); no page loads a
    script, style sheet, image or font from another host;
  * every chapter page has a JupyterLite button that opens the same notebook in lite/, and a
    Binder and a repository button exactly when [project.urls] Repository is set; no page
    (nor README) contains the placeholder OWNER/REPO; the footer credits the note's author;
  * a page's download button gives the committed notebook, byte for byte;
  * the cnnlib wheel in lite/pypi/ is pure Python (py3-none-any), holds every module of the
    package, subpackages included, and needs nothing beyond numpy and scipy (its `course`
    extra: matplotlib, scikit-learn, ipywidgets);
  * the lite copies are the committed notebooks with a note on the kernel's needs and one
    install cell in front; lite/pypi/ holds the wheels of book/lite-wheels.txt (the versions of
    the course's environment) and piplite's PyPI fallback is off.
In headless chromium: see test_pages.py.
"""
import email.parser
import functools
import html.parser
import importlib.metadata
import json
import re
import sys
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import repository  # noqa: E402

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
SIZE_LIMIT_MB = 60
# What the wheel may require: numpy and scipy, which Pyodide ships; the `course` extra adds
# matplotlib and scikit-learn (in Pyodide too) and ipywidgets (bundled in lite/pypi/).
WHEEL_REQUIRES = {"numpy", "scipy"}
WHEEL_EXTRA_REQUIRES = {"matplotlib", "scikit-learn", "ipywidgets"}
NBVAL_MARKER = re.compile(r"^#\s*NBVAL_[A-Z_]+[^\n]*\n?", re.MULTILINE)
# Pyodide's distribution has these (its recipes: numpy, scipy, matplotlib, scikit-learn, Pillow,
# tqdm, threadpoolctl, ipython with what it needs); comm, ipywidgets and jupyterlab_widgets it
# has not, hence book/lite-wheels.txt.  The pyodide kernel brings ipykernel and widgetsnbextension.
PYODIDE_SHIPS = {"numpy", "scipy", "matplotlib", "scikit-learn", "pillow", "tqdm", "threadpoolctl",
                 "ipython", "traitlets", "jedi", "pygments", "decorator", "matplotlib-inline",
                 "prompt-toolkit", "stack-data", "executing", "asttokens", "pure-eval", "wcwidth",
                 "six", "packaging", "joblib"}


# ----------------------------------------------------------------- the build, without a browser

def test_site_within_size(site):
    _, _, size = site
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


@functools.lru_cache(maxsize=None)
def _parse(path):
    """A page parsed once (the crawl checks #fragments into the same pages many times)."""
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


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_launch_buttons(site, name):
    root = site[0]
    links = _parse(root / f"{name}.html").links
    lite = [u for u in links if u.startswith("lite/")]
    assert lite == [f"lite/lab/index.html?path=notebooks/{name}.ipynb"]
    assert (root / "lite" / "files" / "notebooks" / f"{name}.ipynb").is_file()
    repo = repository.repository()
    binder = [u for u in links if u.startswith("https://mybinder.org/")]
    github = [u for u in links if u.startswith("https://github.com/")]
    if repo is None:      # unset: no Binder and no repository button, nothing that leads nowhere
        assert binder == [] and github == [], (binder, github)
    else:
        assert binder == [repository.binder_url(repo, f"notebooks/{name}.ipynb")]
        assert repository.repository_url(repo) in github


def test_no_placeholder_anywhere(site):
    hits = [p.relative_to(site[0]).as_posix() for p in site[0].rglob("*.html")
            if "OWNER/REPO" in p.read_text(encoding="utf-8", errors="replace")]
    assert not hits, f"pages with the placeholder OWNER/REPO: {hits}"
    assert "OWNER/REPO" not in (ROOT / "README.md").read_text(encoding="utf-8")


def test_footer_credits_the_note(site):
    for name in NOTEBOOKS:
        text = (site[0] / f"{name}.html").read_text(encoding="utf-8")
        footer = text[text.index('class="bd-footer-content"'):]
        assert "Jianxin Wu" in footer and "CNN for Dummies" in footer, name
        assert "course's authors" not in text and "course&#39;s authors" not in text, name


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_download_is_the_committed_notebook(site, name):
    page = _parse(site[0] / f"{name}.html")
    assert f"_sources/{name}.ipynb" in page.links
    assert (site[0] / "_sources" / f"{name}.ipynb").read_bytes() == \
        (ROOT / "notebooks" / f"{name}.ipynb").read_bytes()


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
def test_lite_copy_is_the_notebook_plus_a_note_and_an_install_cell(site, name):
    committed = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    copy = nbformat.read(site[0] / "lite" / "files" / "notebooks" / f"{name}.ipynb",
                         as_version=4)
    note, install = copy.cells[:2]
    assert note.cell_type == "markdown" and "offline" in note.source and "Unknown" in note.source
    assert install.cell_type == "code"
    assert re.search(r"^%pip install .*cnnlib", install.source, re.M)
    assert len(copy.cells) == len(committed.cells) + 2
    for ours, theirs in zip(copy.cells[2:], committed.cells):
        assert ours.cell_type == theirs.cell_type
        expected = (NBVAL_MARKER.sub("", theirs.source) if theirs.cell_type == "code"
                    else theirs.source)
        assert ours.source == expected
        assert ours.get("outputs") == theirs.get("outputs")


def _pins():
    return {name.lower().replace("_", "-"): version for name, version in
            (line.split("==") for line in (ROOT / "book" / "lite-wheels.txt").read_text()
             .splitlines() if line.strip() and not line.startswith("#"))}


def test_lite_bundles_what_pyodide_lacks(site, notes):
    """Everything the install cell and the kernel's start ask piplite for is in lite/pypi/ (or
    Pyodide's distribution, or the kernel's own wheels); nothing can fall back to PyPI."""
    index = json.loads((site[0] / "lite" / "pypi" / "all.json").read_text())
    bundled = {name.lower().replace("_", "-"): set(info["releases"])
               for name, info in index.items()}
    for name, version in _pins().items():
        assert version in bundled.get(name, ()), (name, version, bundled.get(name))
        assert importlib.metadata.version(name) == version, \
            f"book/lite-wheels.txt pins {name}=={version}, the course's environment has " \
            f"{importlib.metadata.version(name)}"
    kernel_own = {p.name.split("-")[0].lower().replace("_", "-") for p in (
        site[0] / "lite" / "extensions").rglob("*.whl")}
    wanted = {"comm", "ipykernel", "pyodide-kernel", "jedi", "ipython"}   # the kernel's start
    wanted |= {"cnnlib", "tqdm", "threadpoolctl"}                         # the install cell
    for wheel in (site[0] / "lite" / "pypi").glob("*.whl"):
        with zipfile.ZipFile(wheel) as z:
            meta = email.parser.Parser().parsestr(z.read(next(
                n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode())
        for req in meta.get_all("Requires-Dist") or []:
            if "extra ==" in req and "course" not in req:
                continue
            wanted.add(re.match(r"[A-Za-z0-9_.-]+", req).group(0).lower().replace("_", "-"))
    missing = sorted(wanted - set(bundled) - kernel_own - PYODIDE_SHIPS)
    assert not missing, f"piplite would look on PyPI for {missing}"
    config = json.loads((site[0] / "lite" / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel.get("disablePyPIFallback") is True, kernel
    notes.append(f"lite/pypi: {sorted(bundled)}; from Pyodide: "
                 f"{sorted(wanted & PYODIDE_SHIPS)}; the kernel's own: {sorted(kernel_own)}")


