"""The whole course as one PDF: headless Chromium prints the built website (make pdf).

    python tools/print_book.py build/book build/course.pdf

Each chapter page of the site (built by tools/build_book.py) is opened from a local HTTP server
on 127.0.0.1, its math typeset by MathJax, its solutions opened, its figures and explorers'
start frames loaded, and printed (A4, the theme's print layout: no sidebars or buttons);
then a title page and a contents page (each chapter's first page) are printed, and pypdf puts
them together, in the book's order, with one bookmark per chapter.  Nothing leaves the machine:
Chromium runs with the tests' flags (no background networking, every host but 127.0.0.1
unresolvable).
"""
import argparse
import functools
import html
import http.server
import io
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
PDF = {"format": "A4", "print_background": True, "display_header_footer": True,
       "margin": {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
       "header_template": "<span></span>"}
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 14mm;display:flex;'
          'justify-content:space-between;color:#666"><span>{title}</span>'
          '<span>page <span class="pageNumber"></span> of this chapter</span></div>')
READY_JS = """async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
  await document.fonts.ready;
  return [...document.querySelectorAll('mjx-merror')].length;
}"""
TITLE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: sans-serif; margin: 0; }}
.title {{ height: 230mm; display: flex; flex-direction: column; justify-content: center;
         text-align: center; break-after: page; }}
h1 {{ font-size: 30pt; margin: 0 0 8mm; }} .by {{ font-size: 13pt; color: #333; }}
h2 {{ font-size: 18pt; }} ol {{ list-style: none; padding: 0; font-size: 12pt; }}
li {{ display: flex; gap: 4mm; padding: 2mm 0; border-bottom: 1px dotted #bbb; }}
li span.t {{ flex: 1; }}
</style></head><body><div class="title"><h1>CNN for Dummies — the companion</h1>
<p class="by">The course's notebooks, one chapter per section of the note</p>
<p class="by">The mathematics, its order and notation: Jianxin Wu, <em>CNN for Dummies</em>
(Nanjing University)</p><p class="by">Printed from the course website on {date}</p></div>
<h2>Contents</h2><ol>{rows}</ol></body></html>"""


def chapters(site):
    """[(file name, title)] of the site's chapter pages, in the book's order."""
    out = []
    for page in sorted(Path(site).glob("[0-9][0-9]_*.html")):
        m = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        title = html.unescape(m.group(1)).rsplit(" — CNN for Dummies", 1)[0].strip()
        out.append((page.name, title))
    return out


def _serve(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def print_book(site, out):
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter
    t0 = time.monotonic()
    site, out = Path(site).resolve(), Path(out).resolve()
    httpd = _serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    parts = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            for name, title in chapters(site):
                page.goto(base + name, wait_until="load")
                errors = page.evaluate(READY_JS)
                if errors:
                    sys.exit(f"print_book: {name} has {errors} MathJax errors")
                page.emulate_media(media="print")
                parts.append((title, page.pdf(**PDF, footer_template=FOOTER.format(
                    title=html.escape(title)))))
            first, rows = 3, []                     # title page, contents, then chapter 00
            for title, pdf in parts:
                rows.append(f'<li><span class="t">{html.escape(title)}</span>'
                            f'<span>{first}</span></li>')
                first += len(PdfReader(io.BytesIO(pdf)).pages)
            page.set_content(TITLE_PAGE.format(rows="".join(rows),
                                               date=time.strftime("%Y-%m-%d")))
            front = page.pdf(**{**PDF, "display_header_footer": False})
            browser.close()
    finally:
        httpd.shutdown()
    writer = PdfWriter()
    writer.append(io.BytesIO(front))
    if len(writer.pages) != 2:
        sys.exit(f"print_book: the title and contents took {len(writer.pages)} pages, not 2")
    for title, pdf in parts:
        start = len(writer.pages)
        writer.append(io.BytesIO(pdf))
        writer.add_outline_item(title=title, page_number=start)
    writer.add_metadata({"/Title": "CNN for Dummies — the companion",
                         "/Author": "Jianxin Wu (the note); the companion course"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        writer.write(f)
    print(f"printed {len(parts)} chapters, {len(writer.pages)} pages, into {out} "
          f"({out.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - t0:.0f} s")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=ROOT / "build" / "book")
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "build" / "course.pdf")
    opts = parser.parse_args(argv)
    print_book(opts.site, opts.out)


if __name__ == "__main__":
    main()
