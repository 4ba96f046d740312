"""Mutation testing: would the tests notice a plausible mistake in cnnlib?

    python tools/mutants.py            # every mutant (several minutes; `make mutants`)
    python tools/mutants.py --check    # only check that every patch still applies (seconds)
    python tools/mutants.py 3 7        # only mutants 3 and 7 (numbers as in the table)

Each mutant below is one mistake a learner (or a maintainer) could make, written as small
textual patches of cnnlib's source: (distinctive text, replacement).  Each text must occur
exactly once in the whole package, wherever its file now lives; if a refactor moved or
changed it, the tool stops with an error naming the mutant instead of silently testing an
unchanged cnnlib.

The repository's files (git ls-files, as they are on disk) are copied once to a temporary
directory; for every mutant a copy of that snapshot is patched; then, with PYTHONPATH pointing at
the copy (the Jupyter kernels inherit it, so they import the mutated cnnlib too):
  1. the unit tests, `pytest tests -x -n 2` (tests/test_notebooks.py, which reads the
     notebook files and never imports cnnlib, is left out);
  2. every notebook in LAX nbval (`--nbval-lax`): outputs are not compared, so only the
     notebooks' own assertions and errors can kill the mutant.
A control run first: the unmutated copy (notebooks that fail there are not counted as
killing anything) and a copy whose `import cnnlib` raises, which must fail both ways (so
the kernels really import the copy).  The table at the end: mutant | killed by the unit
tests | killed by which notebooks.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (name, [(text, replacement), ...]); a replacement's new lines get the matched line's indent
MUTANTS = [
    ("conv2d flips the kernel (a true convolution)",
     [("ndim, x4, f4 = _prepare(x, f)", "ndim, x4, f4 = _prepare(x, f)\nf4 = f4[::-1, ::-1]")]),
    ("vec is row-major",
     [('return a.reshape(-1, order="F")', 'return a.reshape(-1, order="C")')]),
    ("im2col rows out of order (row-major p = j' + W' i')",
     [("shape=(d, kw, kh, n, w_out, h_out)", "shape=(d, kw, kh, n, h_out, w_out)"),
      ("strides=(s2, s1, s0, s3, sw * s1, sh * s0)",
       "strides=(s2, s1, s0, s3, sh * s0, sw * s1)")]),
    ("im2col columns out of order (row-major q = j + kw i)",
     [("shape=(d, kw, kh, n, w_out, h_out)", "shape=(d, kh, kw, n, w_out, h_out)"),
      ("strides=(s2, s1, s0, s3, sw * s1, sh * s0)",
       "strides=(s2, s0, s1, s3, sw * s1, sh * s0)")]),
    ("col2im overwrites instead of adding",
     [("sw] += \\", "sw] = \\"), ("] += blocks[i, j]", "] = blocks[i, j]")]),
    ("ReLU gradient passed at 0",
     [("dzdy * (x > 0)", "dzdy * (x >= 0)")]),
    ("average pooling sums instead of averaging",
     [("return from_4d(y / (kh * kw), np.ndim(x))", "return from_4d(y, np.ndim(x))")]),
    ("average-pool backward forgets 1 / (kh kw)",
     [("x4_shape[2:]) / (kh * kw)", "x4_shape[2:])")]),
    ("max-pool backward spread like average pooling",
     [("np.bincount(idx.ravel(), weights=dzdy.ravel(), minlength=x.size)",
       'avgpool2d_backward(x.shape, dzdy, size, stride, pad).reshape(-1, order="F")')]),
    ("max pooling ties go to the last maximum",
     [("better = ~(cur <= old) & (old == old)", "better = ~(cur < old) & (old == old)")]),
    ("max unpooling overwrites where windows share a maximum",
     [("x = np.bincount(idx.ravel(), weights=y.ravel(), minlength=size)",
       "x = np.zeros(size)\nx[idx.ravel()] = y.ravel()")]),
    ("dz/dF flipped",
     [("return phi.T @ dzdY", "return phi[:, ::-1].T @ dzdY"),
      ("phiT1 = phi_n(x4, geometry, ones_row=True)",
       "phiT1 = phi_n(x4, geometry, ones_row=True)\n"
       "phiT1[:-1] = phiT1[-2::-1].copy()")]),
    ("conv bias gradient averaged instead of summed",
     [("dzdY.sum(axis=0)", "dzdY.mean(axis=0)"),
      ("phiT[-1] = 1", "phiT[-1] = 1 / phiT.shape[1]")]),        # phi's column of ones
    ("softmax log-loss gradient forgets the batch mean",
     [("(dzdX / labels.size).reshape(x.shape)", "dzdX.reshape(x.shape)")]),
    ("squared-loss gradient without the 2 (as if z had a 1/2)",
     [("return 2 * (x - t)", "return (x - t)")]),
    ("conv indicator H with row-major vec of phi",
     [("u = vec(phi_index(x_shape, kernel, stride, pad))",
       "u = phi_index(x_shape, kernel, stride, pad).reshape(-1)")]),
    ("central differences divided by eps, not 2 eps",
     [("float(np.squeeze(z_minus))) / (2 * eps)", "float(np.squeeze(z_minus))) / eps"),
      ("(y_plus - y_minus) / (2 * eps)", "(y_plus - y_minus) / eps")]),
    # mistakes that show only in a configuration a chapter teaches (issue 20, section 5):
    # strides that differ in the two directions, a mini-batch of several images
    ("windows step down by the horizontal stride (im2col, conv; only when sh != sw)",
     [("_axis(x_shape[0], kh, sh, ph, h_out)", "_axis(x_shape[0], kh, sw, ph, h_out)")]),
    ("pooling windows step across by the vertical stride (only when sh != sw)",
     [("taps(x4_shape[a], kernel[a], stride[a], pad[a], out[a]) for a in (0, 1)",
       "taps(x4_shape[a], kernel[a], stride[0], pad[a], out[a]) for a in (0, 1)")]),
    ("max-pool indices forget the image (a batch's maxima all in image 0)",
     [("return y, il + h * (jl + w * (dl + d * nl))", "return y, il + h * (jl + w * dl)")]),
    ("SGD climbs the gradient (sign flipped)",
     [("layer.params[k] = w - self.lr * g", "layer.params[k] = w + self.lr * g"),
      ("v = self.momentum * v - self.lr * g", "v = self.momentum * v + self.lr * g")]),
]

CANARY = [('"""cnnlib:', "raise ImportError('mutants: the canary copy of cnnlib was imported')\n"
           '"""cnnlib:')]


class PatchError(RuntimeError):
    pass


def apply(package, patches, name):
    """Apply ``patches`` to the .py files under ``package`` in place; each text exactly once."""
    files = sorted(package.rglob("*.py"))
    for text, new in patches:
        hits = [(f, line_no) for f in files
                for line_no, line in enumerate(f.read_text().splitlines()) if text in line]
        if len(hits) != 1:
            where = ", ".join(f"{f.relative_to(package.parent)}:{n + 1}" for f, n in hits)
            raise PatchError(f"mutant {name!r}: {text!r} occurs {len(hits)} times in "
                             f"{package.name}/ ({where or 'nowhere'}): update its patch")
        f, line_no = hits[0]
        lines = f.read_text().splitlines(keepends=True)
        line = lines[line_no]
        indent = line[:len(line) - len(line.lstrip())]
        lines[line_no] = line.replace(text, new.replace("\n", "\n" + indent), 1)
        f.write_text("".join(lines))
        compile(f.read_text(), str(f), "exec")           # a patch must leave valid Python


def copy_repo(dest):
    """The repository's files as they are now (tracked and new, not ignored) copied to dest."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, names.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def run(cmd, cwd, timeout):
    env = dict(os.environ, PYTHONPATH=str(cwd), PYTHONDONTWRITEBYTECODE="1",
               MPLBACKEND="Agg")
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                           timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as err:
        return -1, f"timed out after {timeout} s\n{err.stdout or ''}"


PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=",
          "-m", "not browser and not binder and not book", "-q", "-rf", "-n", "2"]


def unit_tests(copy):
    """(killed, first failing test or '')."""
    rc, out = run(PYTEST + ["--maxfail=1", "tests", "--ignore=tests/test_notebooks.py",
                            "--ignore=tests/browser", "--ignore=tests/book"], copy, timeout=900)
    if rc == 0:
        return False, ""
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.M)
    return True, failed[0] if failed else out.strip().splitlines()[-1]


def notebooks(copy, only=None):
    """The set of notebook names with a failing cell (lax nbval: assertions and errors only)."""
    paths = [f"notebooks/{n}" for n in only] if only else ["notebooks"]
    rc, out = run(PYTEST + ["--dist", "loadfile", "--nbval-lax", "--nbval-current-env",
                            "--nbval-cell-timeout", "300"] + paths, copy, timeout=1800)
    failed = set(re.findall(r"^(?:FAILED|ERROR) notebooks/(\d\d)_\w+\.ipynb", out, re.M))
    if rc not in (0, 1) or (rc == 1 and not failed):
        raise RuntimeError(f"the notebook run did not finish normally (exit {rc}):\n{out[-3000:]}")
    return failed


def check_all():
    """Apply every mutant's patches to a scratch copy of cnnlib: all must apply."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, patches in [("canary", CANARY)] + MUTANTS:
            pkg = Path(tmp) / "cnnlib"
            shutil.rmtree(pkg, ignore_errors=True)
            shutil.copytree(ROOT / "cnnlib", pkg, ignore=shutil.ignore_patterns("__pycache__"))
            apply(pkg, patches, name)
            changed = subprocess.run(["diff", "-r", "-q", str(ROOT / "cnnlib"), str(pkg),
                                      "-x", "__pycache__"], capture_output=True, text=True)
            if not changed.stdout:
                raise PatchError(f"mutant {name!r} changed nothing")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("numbers", nargs="*", type=int, help="only these mutants (1-based)")
    parser.add_argument("--check", action="store_true", help="only check that the patches apply")
    args = parser.parse_args(argv)
    check_all()
    if args.check:
        print(f"all {len(MUTANTS)} mutants apply (each text once in cnnlib/)")
        return 0
    chosen = args.numbers or list(range(1, len(MUTANTS) + 1))
    start = time.time()
    with tempfile.TemporaryDirectory(prefix="cnnlib-mutants-") as tmp:
        snapshot = Path(tmp) / "snapshot"
        copy_repo(snapshot)

        def fresh(patches, name):       # from the snapshot: edits made meanwhile do not leak in
            copy = Path(tmp) / "copy"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(snapshot, copy)
            apply(copy / "cnnlib", patches, name)
            return copy

        print("control: the unmutated copy ...", flush=True)
        base = fresh([], "none")
        unit_killed, first = unit_tests(base)
        if unit_killed:
            raise SystemExit(f"the unit tests fail WITHOUT a mutant ({first}): fix them first")
        baseline = notebooks(base)
        print(f"  unit tests pass; notebooks failing without a mutant: "
              f"{', '.join(sorted(baseline)) or 'none'} (not counted below)", flush=True)
        print("control: a copy whose `import cnnlib` raises ...", flush=True)
        canary = fresh(CANARY, "canary")
        ok_unit = unit_tests(canary)[0]
        first_nb = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                          if p.name[:2] not in baseline)[1:2]
        if not first_nb:
            raise SystemExit("every notebook fails without a mutant: nothing to measure")
        ok_nb = bool(notebooks(canary, only=first_nb))
        if not (ok_unit and ok_nb):
            raise SystemExit("the canary copy was not imported by the "
                             + ("unit tests" if not ok_unit else f"kernel of {first_nb}")
                             + ": PYTHONPATH does not reach cnnlib, the table would be empty")
        print(f"  imported by the unit tests and by the kernel of {first_nb[0]}", flush=True)

        rows = []
        for k in chosen:
            name, patches = MUTANTS[k - 1]
            t0 = time.time()
            print(f"[{k}/{len(MUTANTS)}] {name}: unit tests ...", end="", flush=True)
            copy = fresh(patches, name)
            unit_killed, first = unit_tests(copy)
            print(" killed" if unit_killed else " SURVIVED", end="; notebooks ...", flush=True)
            killers = sorted(notebooks(copy) - baseline)
            print(f" {', '.join(killers) or 'SURVIVED'} ({time.time() - t0:.0f} s)", flush=True)
            rows.append((k, name, unit_killed, first, killers))

    print()
    print("| # | mutant | killed by unit tests | killed by notebooks |")
    print("|---|---|---|---|")
    for k, name, unit_killed, first, killers in rows:
        unit, by_notebooks = "yes" if unit_killed else "no", ", ".join(killers) or "none"
        print(f"| {k} | {name} | {unit} | {by_notebooks} |")
    both = sum(1 for r in rows if r[2] and r[4])
    print(f"\n{len(rows)} mutants: {sum(r[2] for r in rows)} killed by the unit tests, "
          f"{sum(bool(r[4]) for r in rows)} by at least one notebook, {both} both ways "
          f"({(time.time() - start) / 60:.1f} min)")
    return 0 if both == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
