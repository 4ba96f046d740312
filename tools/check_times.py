"""How long ``cl.check`` takes per call, for every function it checks (a benchmark: it prints).

    python tools/check_times.py

In a fresh process, for each name: the learner's loops of tests/exercises/learner.py checked once
(right; cnnlib's outputs on the cases are computed then and kept), a catalogued mistake
(wrong; the catalogue's outputs are computed on this first wrong call) and the loops again.
The issue asks for under a second per call.
"""
import contextlib
import io
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import cnnlib as cl  # noqa: E402
from exercises import learner  # noqa: E402
from cnnlib.exercises import checker  # noqa: E402


def seconds(name, fn):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        cl.check(name, fn)
    return time.perf_counter() - start


def main():
    print(f"{'name':27s} {'right, first':>12s} {'mistake':>8s} {'right, again':>12s}")
    for name in checker.REFERENCE:
        fn = getattr(learner, name)
        wrong = partial(fn, mistake=cl.catalogue(name)[0].key)
        times = [seconds(name, f) for f in (fn, wrong, fn)]
        print(f"{name:27s} " + " ".join(f"{t:{w}.3f}" for t, w in zip(times, (12, 8, 12))))


if __name__ == "__main__":
    main()
