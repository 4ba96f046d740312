"""The figures' alt texts and captions, from the notebooks' cell metadata (MyST-NB 1.4 reads
``"mystnb": {"image": {"alt": ...}, "figure": {"caption": ..., "name": ...}}``).

  * a small notebook built with book/conf.py: the alt and caption of its metadata reach the
    page, and a figure saved at twice its pixels ("retina", with width metadata) keeps its size;
  * on the course's pages, every figure's alt is the text its cell's metadata gives, never a
    file name, and its caption is on the page (tests/test_notebooks.py checks the metadata
    itself without building the site).
"""
import base64
import html.parser
import io
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
FILE_NAME = (".png", ".jpg", ".svg", "_images/", "/")


def _png(width, height):
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


class _Images(html.parser.HTMLParser):
    """The <img>s of each notebook cell of a page, and the captions."""

    def __init__(self):
        super().__init__()
        self.cells, self.captions, self._caption, self._link = [], [], None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._link = self._link or (tag == "a" and "headerlink" in (a.get("class") or ""))
        if tag == "div" and "cell" in (a.get("class") or "").split():
            self.cells.append([])
        elif tag == "img" and self.cells:
            self.cells[-1].append(a)
        elif tag == "figcaption":
            self._caption = ""

    def handle_data(self, data):
        if self._caption is not None and not self._link:
            self._caption += data

    def handle_endtag(self, tag):
        self._link = self._link and tag != "a"
        if tag == "figcaption":
            self.captions.append(" ".join(self._caption.split()))
            self._caption = None


def _parse(path):
    p = _Images()
    p.feed(Path(path).read_text(encoding="utf-8"))
    return p


def test_cell_metadata_reaches_the_page(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    cell = nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": _png(200, 100), "text/plain": "<Figure>"},
        metadata={"image/png": {"width": 100, "height": 50}})])
    cell.metadata["mystnb"] = {"image": {"alt": "a white square, the test's figure"},
                               "figure": {"caption": "The caption of the figure.",
                                          "name": "fig-square"}}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 00 · Index"), cell])
    nbformat.write(nb, src / "00_index.ipynb")
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c",
                        str(ROOT / "book"), str(src), str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    page = _parse(out / "00_index.html")
    (img,) = [i for cell in page.cells for i in cell]
    assert img["alt"] == "a white square, the test's figure"
    assert img.get("width") == "100"                       # the retina PNG at its 1x size
    assert page.captions == ["The caption of the figure."]


def _alts(name):
    """[(alt the metadata gives or None, caption or None)] per figure of the notebook."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("mystnb", {})
        for o in cell.outputs:
            if "image/png" in o.get("data", {}):
                out.append((meta.get("image", {}).get("alt"),
                            meta.get("figure", {}).get("caption")))
    return out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_figure_has_its_alt_text(site, name, bench):
    page = _parse(site[0] / f"{name}.html")
    shown = [i for cell in page.cells for i in cell
             if "cnn-frame" not in (i.get("class") or "")]
    wanted = _alts(name)
    assert len(shown) == len(wanted), (len(shown), len(wanted))
    bad = [i.get("alt") for i in shown if not i.get("alt")
           or any(f in i["alt"] for f in FILE_NAME) or len(i["alt"].split()) < 3]
    bench["alts_ok"] = bench.get("alts_ok", 0) + len(shown) - len(bad)
    bench["alts_all"] = bench.get("alts_all", 0) + len(shown)
    bench["alts"] = f"{bench['alts_ok']}/{bench['alts_all']} real"
    assert not bad, f"{len(bad)} of {len(shown)} figures have no real alt text: {bad[:3]}"
    assert [i["alt"] for i in shown] == [a for a, _ in wanted]
    captions = [c for _, c in wanted if c]
    assert all(c in page.captions for c in captions), (captions, page.captions)
