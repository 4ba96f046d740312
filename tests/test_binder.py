"""binder/ installs from scratch the way mybinder.org (repo2docker) uses it.

    make test-binder            # = python -m pytest -m binder -p no:xdist tests/test_binder.py

What repo2docker's Python buildpack does, without Docker (see ../shared/recipes/binder_sim.sh):
  * binder/ is the config dir, so root-level requirements.txt/pyproject.toml are ignored;
  * the Python version is binder/runtime.txt's "python-X.Y";
  * the repository (the files a clone holds) is copied to a fresh home directory, and from
    THAT directory it runs `pip install --no-cache-dir -r binder/requirements.txt` into an
    environment that already holds its base Jupyter stack.
Here: a fresh virtual environment with repo2docker's base pins, the same command from a
copy of the repository's files, then `pip check`, cnnlib, the widgets and every notebook
import, and the JupyterLab widget extension.  Takes a minute or two (it downloads wheels).
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.binder

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
# repo2docker's conda lock for Python 3.11 (2026 HEAD): the base environment our
# requirements are installed on top of.
BASE_PKGS = ["pip==25.2", "jupyterlab==4.4.9", "notebook==7.4.7", "ipywidgets==8.1.7",
             "ipykernel==7.0.1"]
# Files that would make repo2docker pick another buildpack than the pip one we simulate.
OTHER_BUILDPACKS = ["environment.yml", "environment.yaml", "Pipfile", "Pipfile.lock",
                    "Project.toml", "Dockerfile", "install.R"]


def _run(cmd, cwd, env, timeout=900):
    """Run cmd; fail the test with its output when it fails; return its stdout."""
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    if r.returncode:
        pytest.fail(f"{' '.join(map(str, cmd))} (cwd={cwd}) exited {r.returncode}:\n"
                    f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r.stdout


def _python_for(version):
    """An interpreter of `version` ("3.11") that can create a venv."""
    for cand in (shutil.which(f"python{version}"), getattr(sys, "_base_executable", None),
                 sys.executable):
        if not cand:
            continue
        probe = "import sys, venv; print('%d.%d' % sys.version_info[:2])"
        out = subprocess.run([cand, "-c", probe], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip() == version:
            return cand
    pytest.fail(f"binder/runtime.txt asks for Python {version}; none found here")


def _pins(path):
    """{name: version} of the `name==version` lines of a requirements file."""
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)==([^\s;#]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_binder_config_is_what_repo2docker_reads():
    assert BINDER.is_dir() and not (ROOT / ".binder").exists(), "exactly one of binder/, .binder/"
    for name in OTHER_BUILDPACKS:
        assert not (BINDER / name).exists(), f"binder/{name} would select another buildpack"
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.11", runtime), f"binder/runtime.txt is {runtime!r}"
    lines = [line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    # pip resolves a nested -r against the including file (binder/): ../ is the repo root.
    assert "-r ../requirements.txt" in lines, lines


def test_binder_requirements_install_from_scratch(tmp_path):
    # 1. the files a clone holds, copied to a fresh "home" as repo2docker does
    repo = tmp_path / "home" / "jovyan"
    repo.mkdir(parents=True)
    files = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                 ROOT, os.environ).split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / name)
    assert (repo / "binder" / "requirements.txt").is_file(), "binder/ is not in the repository"

    # 2. a fresh environment of binder/runtime.txt's Python with repo2docker's base stack
    version = (repo / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    env_dir = tmp_path / "srv" / "conda" / "envs" / "notebook"
    _run([_python_for(version), "-m", "venv", env_dir], tmp_path, os.environ)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               VIRTUAL_ENV=str(env_dir), PIP_DISABLE_PIP_VERSION_CHECK="1",
               JUPYTER_CONFIG_DIR=str(tmp_path / "jconfig"),
               JUPYTER_DATA_DIR=str(tmp_path / "jdata"))
    py = str(env_dir / "bin" / "python")
    _run([py, "-m", "pip", "install", "-q", *BASE_PKGS], tmp_path, env)

    # 3. exactly repo2docker's command, from the repository copy
    _run([py, "-m", "pip", "install", "--no-cache-dir", "-r", "binder/requirements.txt"],
         repo, env)
    _run([py, "-m", "pip", "check"], repo, env)

    # 4. from a notebook's folder (a kernel's cwd): cnnlib is installed from the copy, the
    #    pinned versions are the ones the committed outputs were made with, every module a
    #    notebook imports and every explorer a notebook lists resolves.
    pins = {**_pins(ROOT / "requirements.txt"), **_pins(BINDER / "requirements.txt")}
    check = r'''
import ast, importlib, importlib.metadata as md, json, pathlib, sys
import cnnlib as cl, ipywidgets, jupyterlab, matplotlib
repo = pathlib.Path(sys.argv[1]).resolve()
assert pathlib.Path(cl.__file__).resolve().is_relative_to(repo), cl.__file__
pins = json.loads(sys.argv[2])
wrong = {n: (md.version(n), v) for n, v in pins.items() if md.version(n) != v}
assert not wrong, f"installed != pinned: {wrong}"
seen, explorers = set(), set()
for nb in sorted(repo.glob("notebooks/*.ipynb")):
    d = json.loads(nb.read_text())
    explorers.update(d.get("metadata", {}).get("cnn", {}).get("explorers", []))
    for cell in d["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        src = "\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                seen.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                seen.add(node.module.split(".")[0])
for name in sorted(seen):
    importlib.import_module(name)
for name in sorted(explorers):
    assert callable(getattr(cl, name)), name
print("jupyterlab", jupyterlab.__version__, "ipywidgets", ipywidgets.__version__,
      "imports", sorted(seen), "explorers", sorted(explorers))
'''
    kernel_cwd = repo / "notebooks" if (repo / "notebooks").is_dir() else tmp_path
    out = _run([py, "-c", check, str(repo), json.dumps(pins)], kernel_cwd, env)
    print(out)
    assert f"jupyterlab {pins['jupyterlab']}" in out and f"ipywidgets {pins['ipywidgets']}" in out

    # 5. the widgets' front end is a prebuilt JupyterLab extension, enabled
    r = subprocess.run([str(env_dir / "bin" / "jupyter"), "labextension", "list"], cwd=repo,
                       env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    ext = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout + r.stderr)   # the list goes to stderr, coloured
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v\S+ enabled OK", ext), ext
