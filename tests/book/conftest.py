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


@pytest.fixture(scope="session")
def notes():
    return NOTES


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The built site: (directory, seconds the build took)."""
    out = tmp_path_factory.mktemp("site") / "book"
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py"), str(out)],
                       capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, cwd=ROOT)
    took = time.monotonic() - t0
    if p.returncode:
        pytest.fail(f"tools/build_book.py failed ({p.returncode}):\n{p.stdout[-6000:]}\n"
                    f"{p.stderr[-3000:]}")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    NOTES.append(f"build: {took:.1f} s, site {size / 1e6:.1f} MB")
    NOTES.extend("  " + line.strip() for line in p.stdout.splitlines() if " s" in line)
    return out, took, size


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
