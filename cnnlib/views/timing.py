"""timing: how long an explorer takes per move of each of its controls, as a kernel shows it.

    explorer_times(names)    {explorer: {control: [(wall ms, cpu ms) per move]}}
    print_explorer_times()   the table ``python -m cnnlib.bench --explorers`` prints

Every control of every explorer is moved, the others at their starting values: a slider
one step at a time from its low end up and back down, from its high end down and back
up (at most ``STEPS`` steps from each end), and end to end both ways; a menu or a row of
buttons through every option, forwards and backwards.  Each move is timed from the new
value to the figure rendered as PNG and the text printed, wall time (what the learner
waits) and the process's CPU time (``time.process_time``: what the move costs this
process, whatever the machine's load).  The explorers run in an IPython shell with
matplotlib's inline backend, as a JupyterLab kernel runs them: displaying a figure
renders its PNG exactly as in a notebook; what is displayed is thrown away.  A benchmark,
not a test: the numbers depend on the machine and on its load, which the header prints.
"""
import contextlib
import io
import os
import platform
import time

import numpy as np

__all__ = ["explorer_times", "print_explorer_times"]

STEPS = 8               # single steps walked from each end of a long slider


def _shell():
    """An IPython shell with the inline backend: display() renders a figure to PNG."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.backend_inline import configure_inline_support
    shell = InteractiveShell.instance()
    backend = "module://matplotlib_inline.backend_inline"
    matplotlib.use(backend)
    configure_inline_support(shell, backend)
    return shell


def _controls(widget):
    """[(label, control)] of every control inside ``widget`` with a value, nested boxes
    included, in display order; a row of toggle buttons without labels (chapter 12's
    drawing grid) is one control, "grid pixel"."""
    import ipywidgets as widgets
    found, todo, grid = [], [widget], []
    while todo:
        w = todo.pop(0)
        if isinstance(w, widgets.ToggleButton) and not w.description:
            grid.append(w)
        elif getattr(w, "description", "") and hasattr(w, "value") and not isinstance(
                w, widgets.Button):
            found.append((w.description, w))
        todo = list(getattr(w, "children", ())) + todo
    return found + ([("grid pixel", grid)] if grid else [])


def _values(control):
    """The values a control is moved through, in order (its start not included)."""
    import ipywidgets as widgets
    if isinstance(control, list):                     # the grid: pixels on, then off again
        return [(k, True) for k in (27, 28, 35, 36)] + [(k, False) for k in (27, 28, 35, 36)]
    if isinstance(control, widgets.IntSlider):
        return None                                   # a slider's range may follow others
    options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    start = options.index(control.value)
    order = options[start + 1:] + options[:start + 1]
    return order + order[::-1][1:]


def _slider_values(slider, steps=STEPS):
    """A slider's moves, from its current range: to the low end, single steps up (at most
    STEPS) and back down, end to end, single steps down from the high end and back up, end
    to end."""
    lo, hi = slider.min, slider.max
    up = list(range(lo + 1, min(hi, lo + steps) + 1))
    down = list(range(hi - 1, max(lo, hi - steps) - 1, -1))
    return [lo] + up + up[::-1][1:] + [lo, hi] + down + down[::-1][1:] + [hi, lo]


def _move(control, value):
    """Set ``control`` to ``value``: (wall ms, cpu ms) until its figure and text are out."""
    t0, c0 = time.perf_counter(), time.process_time()
    if isinstance(control, list):
        k, on = value
        control[k].value = on
    else:
        control.value = value
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3


def _explorers():
    """name: make the explorer, as the notebooks call it."""
    from ..data import load_digits
    from ..net import digits_cnn
    from .backward import backward_explorer
    from .conv import conv_explorer
    from .digit import digit_explorer
    from .im2col import im2col_explorer
    from .indicator import indicator_explorer
    from .pooling import pooling_explorer
    from .vec import vec_explorer
    _, _, x_test, y_test = load_digits()
    return {
        "vec": lambda: vec_explorer(np.arange(1, 13).reshape(3, 4), position=4, order="F"),
        "conv": lambda: conv_explorer(position=0, stride=2, pad=1),
        "im2col": lambda: im2col_explorer(kernel=2, position=3),
        "backward": backward_explorer,
        "indicator": indicator_explorer,
        "pooling": pooling_explorer,
        "digit": lambda: digit_explorer(digits_cnn(), x_test, y_test, index=5),
    }


def explorer_times(names=None, steps=STEPS):
    """{explorer: {control label: [(wall ms, cpu ms) of each move]}}: every control of
    every explorer (or of those ``names``) moved as the module's docstring says, the
    others at their starting values; a move that sets no new value is not made."""
    _shell()
    from IPython.display import display
    out = {}
    for name, make in _explorers().items():
        if names and name not in names:
            continue
        out[name] = {}
        with contextlib.redirect_stdout(io.StringIO()):
            widget = make()
            display(widget)
            for label, control in _controls(widget):
                start = None if isinstance(control, list) else control.value
                values = _values(control) or _slider_values(control, steps)
                times = out[name].setdefault(label, [])
                for value in values + ([] if start is None else [start]):
                    if isinstance(control, list) or value != control.value:
                        times.append(_move(control, value))
    return out


def machine():
    """The processor's name, its cores and the load average (1, 5, 15 min)."""
    name = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as cpuinfo:
            name = next(line.split(":", 1)[1].strip() for line in cpuinfo
                        if line.startswith("model name"))
    load = " ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"{name}, {os.cpu_count()} cores, load average {load}"


def print_explorer_times(names=None, steps=STEPS):
    """Print, per explorer and control, the moves and their median and worst milliseconds,
    wall and CPU; then the load again (it moves while the benchmark runs)."""
    import matplotlib
    print(f"explorers on {machine()}, matplotlib {matplotlib.__version__}")
    print("ms per move, from the control's new value to the PNG rendered and the text printed "
          "(IPython, inline backend); cpu = time.process_time of this process")
    times = explorer_times(names, steps)
    print(f"{'explorer':11}{'control':26}{'moves':>6}{'median':>8}{'worst':>7}"
          f"{'cpu med':>9}{'cpu worst':>10}")
    for name, controls in times.items():
        for label, moves in controls.items():
            wall, cpu = np.array(moves).reshape(-1, 2).T
            print(f"{name:11}{label[:25]:26}{len(moves):6d}{np.median(wall):8.0f}"
                  f"{wall.max():7.0f}{np.median(cpu):9.0f}{cpu.max():10.0f}")
    print(f"load average at the end: {machine().rsplit('load average ', 1)[1]}")
    return times
