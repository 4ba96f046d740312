"""Fixtures for the real-browser tests: one private JupyterLab server, one headless chromium.

The server runs on a free 127.0.0.1 port with a random token, a private config/data/runtime
dir, and serves COPIES of the notebooks from a temporary root (the UI autosaves; committed
files must never change).  It is stopped by its own process id at the end, whatever happens.
Chromium is Debian's (`apt-get install chromium`), driven by Playwright; it is told to
resolve no host name and to use no proxy, so nothing beyond 127.0.0.1 is reached.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Notebooks under test: the course's, or another folder (used to try the machinery out).
NOTEBOOKS = Path(os.environ.get("BROWSER_NOTEBOOKS", ROOT / "notebooks")).resolve()
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS",
                                  ROOT / "tests" / "browser" / "screenshots")).resolve()
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SERVER_START_S = 90
# Direct connections only: an http_proxy in the environment must not see our requests.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_notebooks(dest):
    """Copy the notebook folder (no checkpoints, no hidden files) to dest."""
    shutil.copytree(NOTEBOOKS, dest, ignore=shutil.ignore_patterns(".*", "__pycache__"))


class Server:
    """A running private JupyterLab: base URL, token, root dir, REST helper."""

    def __init__(self, base, token, root, log):
        self.base, self.token, self.root, self.log = base, token, root, log

    def api(self, method, path):
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with _LOCAL.open(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Close every session (and so its kernel) the UI opened."""
        for s in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{s['id']}")


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jupyter")
    root = tmp / "root"
    root.mkdir()
    _copy_notebooks(root / "notebooks")
    config = tmp / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(tmp / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    env.pop("JUPYTERLAB_WORKSPACES_DIR", None)
    env.pop("JUPYTERLAB_SETTINGS_DIR", None)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           f"--LabApp.user_settings_dir={tmp / 'settings'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    log_path = tmp / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=root)
    server = Server(f"http://127.0.0.1:{port}", token, root, log_path)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:  # until the REST API answers
            try:
                server.api("GET", "/api/status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not start:\n" + log_path.read_text()[-3000:])
                time.sleep(0.2)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # our own pid: the server shuts its kernels down
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"no chromium at {CHROMIUM}: `apt-get install -y chromium` "
                    "(or set CHROMIUM=/path/to/chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


NOTES = []  # things a learner would notice that do not fail the test; printed at the end


@pytest.fixture(scope="session")
def notes():
    return NOTES


def report_notes(terminalreporter, title, notes):
    """Print the notes a run collected under their own heading (also the website test's)."""
    if notes:
        terminalreporter.section(title)
        for line in notes:
            terminalreporter.write_line(line)


def pytest_terminal_summary(terminalreporter):
    report_notes(terminalreporter, "browser notes", NOTES)
