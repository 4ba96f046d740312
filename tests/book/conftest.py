"""Fixtures of the website test (make test-book).

The site is built once per run by tools/build_book.py into a temporary directory (never into
build/), served read-only by a small HTTP server on a free 127.0.0.1 port, and opened in the
headless chromium of the explorers' browser test: its `browser` fixture and settings are
imported from tests/browser/conftest.py, not copied.  The server is a thread of this process
and stops with it.
"""
import functools
import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("BOOK_SCREENSHOTS", ROOT / "tests" / "book" / "screenshots"))
BUILD_TIMEOUT_S = 600

_spec = importlib.util.spec_from_file_location("browser_conftest",
                                               ROOT / "tests" / "browser" / "conftest.py")
_browser_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_browser_conftest)
browser = _browser_conftest.browser          # the same headless chromium, same flags
CHROMIUM_ARGS = _browser_conftest.CHROMIUM_ARGS

NOTES = []  # what the run measured; printed at the end
BENCH = {}  # the benchmark line's numbers
T_START = time.monotonic()


@pytest.fixture(scope="session")
def notes():
    return NOTES


@pytest.fixture(scope="session")
def site(request, tmp_path_factory):
    """The built site: (directory, seconds the build took, bytes).  BOOK_SITE=DIR reads a site
    built before (e.g. build/book) instead of building one: for quick runs while editing.
    When the run has PDF tests, the printing starts as soon as the site is there and runs
    beside the other tests (the `pdf` fixture waits for it)."""
    if os.environ.get("BOOK_SITE"):
        out = Path(os.environ["BOOK_SITE"]).resolve()
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        NOTES.append(f"site: {out}, built before this run (BOOK_SITE)")
        BENCH.update(site_mb=size / 1e6, frames_mb=sum(
            f.stat().st_size for f in (out / "_explorers").rglob("*") if f.is_file()) / 1e6)
        _start_printing(request, out, tmp_path_factory)
        return out, 0.0, size
    out = tmp_path_factory.mktemp("site") / "book"
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py"), str(out)],
                       capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, cwd=ROOT)
    took = time.monotonic() - t0
    if p.returncode:
        pytest.fail(f"tools/build_book.py failed ({p.returncode}):\n{p.stdout[-6000:]}\n"
                    f"{p.stderr[-3000:]}")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    frames = sum(f.stat().st_size for f in (out / "_explorers").rglob("*") if f.is_file())
    BENCH.update(build_s=took, site_mb=size / 1e6, frames_mb=frames / 1e6)
    NOTES.append(f"build: {took:.1f} s, site {size / 1e6:.1f} MB")
    NOTES.extend("  " + line.strip() for line in p.stdout.splitlines() if line.strip())
    _start_printing(request, out, tmp_path_factory)
    return out, took, size


PRINTING = {}   # the printing and reading of the PDF, in a thread beside the other tests
# pypdf's reading of the printed course (about 20 s for 200 pages), in its own process
READ_PDF = """import json, sys
from pypdf import PdfReader
reader = PdfReader(sys.argv[1])
json.dump({"pages": [p.extract_text() for p in reader.pages],
           "images": [len(p.images) for p in reader.pages],
           "outline": [item.title for item in reader.outline]},
          open(sys.argv[1] + ".json", "w", encoding="utf-8"))
"""


def _print_and_read(site_dir, out):
    """tools/print_book.py, then pypdf's reading of its PDF: each a process of its own."""
    t0 = time.monotonic()
    for name, cmd in (("print", [sys.executable, str(ROOT / "tools" / "print_book.py"),
                                 str(site_dir), str(out)]),
                      ("read", [sys.executable, "-c", READ_PDF, str(out)])):
        PRINTING["proc"] = proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                                   stderr=subprocess.PIPE, text=True)
        stdout, stderr = proc.communicate(timeout=BUILD_TIMEOUT_S)
        PRINTING[name] = (proc.returncode, stdout, stderr, time.monotonic() - t0)
        if proc.returncode:
            return


def _start_printing(request, site_dir, tmp_path_factory):
    """Print the site into a PDF and read it back, in the background, if a test of the run
    needs it (the `pdf` fixture waits for both)."""
    if not any("pdf" in getattr(item, "fixturenames", ()) for item in request.session.items):
        return
    out = tmp_path_factory.mktemp("pdf") / "course.pdf"
    thread = threading.Thread(target=_print_and_read, args=(site_dir, out), daemon=True)
    PRINTING.update(thread=thread, out=out)
    thread.start()
    request.session.config.add_cleanup(
        lambda: PRINTING["proc"].poll() is None and PRINTING["proc"].kill())


@pytest.fixture(scope="session")
def pdf(site):
    """The course printed from the built site by tools/print_book.py and read by pypdf:
    (path, seconds the printing took beside the other tests, what pypdf read: {"pages": the
    text of each page, "images": the count of each page, "outline": the bookmarks' titles})."""
    PRINTING["thread"].join(2 * BUILD_TIMEOUT_S)
    out = PRINTING["out"]
    for step in ("print", "read"):
        if step not in PRINTING:
            pytest.fail(f"the PDF's {step} step did not finish")
        code, stdout, stderr, _ = PRINTING[step]
        if code:
            pytest.fail(f"{step} failed ({code}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    took = PRINTING["print"][3]
    BENCH.update(pdf_s=took, pdf_mb=out.stat().st_size / 1e6)
    NOTES.append(PRINTING["print"][1].strip() + " (beside the other tests)")
    read = json.loads(Path(str(out) + ".json").read_text(encoding="utf-8"))
    return out, took, read


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript",
                      ".json": "application/json", ".wasm": "application/wasm",
                      ".svg": "image/svg+xml", ".woff": "font/woff", ".woff2": "font/woff2"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """Base URL (with a trailing slash) of the site on 127.0.0.1."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site[0])))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    _browser_conftest.report_notes(terminalreporter, "book notes", NOTES)
    if BENCH:       # a benchmark: printed, never asserted on
        b = {"build_s": 0, "site_mb": 0, "frames_mb": 0, "pdf_s": 0, "pdf_mb": 0, **BENCH}
        terminalreporter.write_line(
            f"benchmark: make book {b['build_s']:.0f} s (target <= 120), site "
            f"{b['site_mb']:.1f} MB (<= 60) with explorer frames {b['frames_mb']:.1f} MB, pdf "
            f"{b['pdf_mb']:.1f} MB (<= 40) printed in {b['pdf_s']:.0f} s beside the tests, "
            f"test-book "
            f"{time.monotonic() - T_START:.0f} s (<= 180); clipped equations 1280/390 px "
            f"{b.get('clipped', '-')}; blocks scrolling at 1280 px {b.get('scrolling', '-')}; "
            f"explorers moved {b.get('explorers', '-')}; alt texts {b.get('alts', '-')}")


@pytest.fixture(scope="session")
def bench():
    return BENCH
