"""cnnlib.views.timing through ``python -m cnnlib.bench --explorers``: it prints the machine
and a row per control of each explorer asked for, every control moved (speed is measured,
never asserted).  A subprocess: the timing turns on the inline backend and an IPython shell,
which the other tests must not inherit."""
import subprocess
import sys

import ipywidgets as widgets

from cnnlib.views import timing


def test_bench_explorers_prints_a_row_per_control():
    run = subprocess.run([sys.executable, "-m", "cnnlib.bench", "--explorers", "conv", "vec"],
                         capture_output=True, text=True, timeout=600, check=True)
    lines = run.stdout.splitlines()
    assert "load average" in lines[0] and "load average" in lines[-1]
    rows = {(line[:11].strip(), line[11:37].strip()): line[37:].split() for line in lines[3:-1]}
    assert set(rows) == {("vec", "position k in the vector"), ("vec", "order"),
                         ("conv", "output position p"), ("conv", "stride"),
                         ("conv", "padding"), ("conv", "input"), ("conv", "kernel")}
    for moves, median, worst, cpu_median, cpu_worst in rows.values():
        assert int(moves) >= 4 and float(median) <= float(worst)
        assert float(cpu_median) <= float(cpu_worst)


def test_a_slider_is_moved_step_by_step_and_end_to_end_both_ways():
    slider = widgets.IntSlider(value=3, min=0, max=20)
    values = timing._slider_values(slider, steps=3)
    assert values == [0, 1, 2, 3, 2, 1, 0, 20, 19, 18, 17, 18, 19, 20, 0]
    moves = list(zip([slider.value] + values, values))
    assert {(0, 1), (1, 0), (20, 19), (19, 20), (0, 20), (20, 0)} <= set(moves)


def test_a_menu_goes_through_every_option_both_ways():
    menu = widgets.Dropdown(options=["a", "b", "c"], value="b")
    assert timing._values(menu) == ["c", "a", "b", "a", "c"]      # then back to "b"
