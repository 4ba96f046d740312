"""The course as one PDF (make pdf = tools/print_book.py), read back with pypdf.

A title page and the contents, then every chapter in the book's order (its title found in that
order in the text), every equation number (1)-(60) present as text (MathJax's output printed as
text, not pictures), the figures and the explorers' start frames as images (>= 36), the
solutions printed open, and at most 40 MB.
"""
import re
import sys
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import print_book  # noqa: E402

LIMIT_MB, MIN_IMAGES = 40, 36


def _flat(text):
    """Text as one line, ligatures (the PDF's "ﬁ") spelled out."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def pdf_pages(pdf):
    """Each page's text, as pypdf extracted it (tests/book/conftest.py: beside the tests)."""
    return [_flat(text) for text in pdf[2]["pages"]]


def test_pdf_holds_the_whole_course(site, pdf, pdf_pages, notes):
    path, took, read = pdf
    assert path.stat().st_size <= LIMIT_MB * 1e6, f"{path.stat().st_size / 1e6:.0f} MB"
    pages = pdf_pages
    text = " ".join(pages)
    assert "CNN for Dummies" in pages[0] and "Jianxin Wu" in pages[0]
    assert pages[1].startswith("Contents")

    titles = [t for _, t in print_book.chapters(site[0])]
    assert len(titles) == 14
    where, at = [], 2
    for title in titles:              # each chapter's title, in order, after the contents
        found = next((k for k in range(at, len(pages)) if title in pages[k]), None)
        assert found is not None, f"{title!r} not found after page {at}"
        where.append(found)
        at = found + 1
    assert read["outline"] == titles

    missing = [n for n in range(1, 61) if not re.search(rf"\({n}\)", text)]
    assert not missing, f"equation numbers not in the PDF's text: {missing}"
    images = sum(read["images"])
    assert images >= MIN_IMAGES, f"{images} images"
    notes.append(f"pdf: {len(pages)} pages, {images} images, "
                 f"{path.stat().st_size / 1e6:.1f} MB, printed in {took:.0f} s; chapters start "
                 f"on pages {[w + 1 for w in where]}")


def test_pdf_prints_the_solutions_open(site, pdf_pages):
    """The first words of each solution (where they are plain text) are in the PDF."""
    text = _flat(" ".join(pdf_pages))
    checked = 0
    for page in sorted(site[0].glob("[0-9][0-9]_*.html")):
        for body in re.findall(r"<details><summary>Solution</summary>\s*<p>(.*?)</p>",
                               page.read_text(encoding="utf-8"), re.S):
            plain = re.match(r"[A-Za-z][A-Za-z ,;']{15,}", body)
            if plain:
                words = " ".join(plain.group(0).split()[:4])
                assert words in text, f"{page.name}: the solution '{words} ...' is not printed"
                checked += 1
    assert checked >= 5, f"only {checked} solutions could be checked"
