"""cnnlib.views.timing through ``python -m cnnlib.bench --explorers``: it prints a row per
explorer asked for (speed is measured, never asserted).  A subprocess: the timing turns on
the inline backend and an IPython shell, which the other tests must not inherit."""
import subprocess
import sys


def test_bench_explorers_prints_a_row_per_explorer():
    run = subprocess.run([sys.executable, "-m", "cnnlib.bench", "--explorers", "conv", "vec"],
                         capture_output=True, text=True, timeout=300, check=True)
    rows = {line.split()[0]: line.split()[1:] for line in run.stdout.splitlines()[2:]}
    assert set(rows) == {"conv", "vec"}
    assert all(int(moves) == 9 and float(median) <= float(worst)
               for moves, median, worst in rows.values())
