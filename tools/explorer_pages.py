"""The explorers on the website's pages: where the frames go and what the page holds.

tools/build_book.py gives each explorer cell of a page copy ``slot(id)`` as its output; after
Sphinx, install_explorers() copies the frames that tools/explorer_frames.py rendered into
_explorers/ and puts in each slot the explorer: its start frame and text (what a reader without
JavaScript, and the PDF, see), the manifest book/_static/course.js moves it with, and a note
on where the frames come from.
"""
import html
import json
import re
import shutil
import sys


def slot(ident):
    """What a page's explorer cell shows until the frames are in (replaced after Sphinx)."""
    return f'<div class="cnn-explorer-slot" data-explorer="{ident}"></div>'


def explorer_html(m):
    """A page's explorer: its start frame and text, the manifest for course.js, a note."""
    base = f"_explorers/{m['id']}/"
    start = ",".join(str(s["start"]) for s in m["sliders"])
    file_index, text_index = m["frames"][start]
    (w, h), text = m["sizes"][file_index], html.escape(m["texts"][text_index])
    subset = f" Here: {html.escape(m['subset'])}." if m["subset"] else ""
    data = json.dumps({k: m[k] for k in ("sliders", "files", "sizes", "texts", "frames")}).replace(
        "</", "<\\/")
    return (
        f'<div class="cnn-explorer" id="explorer-{m["id"]}" data-base="{base}" '
        f'data-family="{m["family"]}">'
        f'<p class="cnn-explorer-title">The explorer, on this page: move the sliders</p>'
        f'<div class="cnn-controls"></div>'
        f'<div class="cnn-frame-holder"><img class="cnn-frame" '
        f'src="{base}{m["files"][file_index]}" width="{w}" height="{h}" alt="{text}"></div>'
        f'<pre class="cnn-text">{text}</pre>'
        f'<p class="cnn-note">{len(m["texts"])} frames, drawn when this site was built by the '
        f'notebook\'s own <code>cl.{m["family"]}_step</code> and <code>cl.draw_{m["family"]}'
        f'</code>: what the notebook\'s explorer shows at those values.{subset} In Binder or '
        f'JupyterLite (the rocket button) the notebook\'s explorer moves freely.</p>'
        f'<script type="application/json" class="cnn-manifest">{data}</script></div>')


def install_explorers(site, frames_dir):
    """Frames into site/_explorers/, each page's slots replaced by its explorer."""
    manifests = {p.parent.name: json.loads(p.read_text())
                 for p in sorted(frames_dir.glob("*/manifest.json"))}
    shutil.copytree(frames_dir, site / "_explorers",
                    ignore=shutil.ignore_patterns("manifest.json"))
    for page in site.glob("[0-9][0-9]_*.html"):
        text = page.read_text(encoding="utf-8")
        for ident in re.findall(r'data-explorer="([^"]+)"', text):
            text = text.replace(slot(ident), explorer_html(manifests.pop(ident)))
        page.write_text(text, encoding="utf-8")
    if manifests:
        sys.exit(f"build_book: explorers with no place on a page: {sorted(manifests)}")
