"""timing: how long an explorer takes per slider move, as a kernel would show it.

    explorer_times(moves)    {explorer: [ms per move]}, each move timed from the slider's new
                             value to the figure rendered as PNG and the text printed
    print_explorer_times()   the table ``python -m cnnlib.bench --explorers`` prints

The explorers run in an IPython shell with matplotlib's inline backend, so displaying a
figure renders its PNG exactly as in a notebook (the time counts it); what is displayed is
thrown away.  A benchmark, not a test: the numbers depend on the machine.
"""
import contextlib
import io
import time

import numpy as np

__all__ = ["explorer_times", "print_explorer_times"]


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
    """{description: control} of every control inside ``widget``, nested boxes included."""
    found, todo = {}, [widget]
    while todo:
        w = todo.pop()
        if getattr(w, "description", "") and hasattr(w, "value"):
            found[w.description] = w
        todo.extend(getattr(w, "children", ()))
    return found


def _explorers():
    """name: (make the explorer, [(slider description, value), ...] one move each)."""
    from ..data import load_digits
    from ..net import digits_cnn
    from .backward import backward_explorer
    from .conv import conv_explorer
    from .digit import digit_explorer
    from .im2col import im2col_explorer
    from .indicator import indicator_explorer
    from .pooling import pooling_explorer
    from .vec import vec_explorer
    x_test = load_digits()[2]

    def sweep(name, values):
        return [(name, v) for v in values]

    return {
        "vec": (vec_explorer, sweep("position k in the vector", [1, 2, 3, 4, 5, 6, 7, 8, 0])),
        "conv": (lambda: conv_explorer(np.arange(1, 17).reshape(4, 4), np.ones((2, 2)),
                                       stride=2, pad=1),
                 sweep("output position p", [1, 2, 3, 4, 5, 6, 7, 8, 0])),
        "im2col": (lambda: im2col_explorer(np.arange(1, 17).reshape(4, 4)),
                   sweep("output position p", [1, 2, 3, 4, 5, 6, 7, 8, 0])),
        "backward": (backward_explorer, sweep("j'", [0, 1, 3, 4]) + sweep("i'", [0, 2, 3])
                     + sweep("d", [1, 2, 3])),
        "indicator": (indicator_explorer, sweep("il", [0, 1, 3, 4]) + sweep("jl", [0, 2, 5])
                      + sweep("row r", [0, 50, 200])),
        "pooling": (pooling_explorer, sweep("output k", [1, 2, 3, 4, 5, 6, 7, 8, 0])),
        "digit": (lambda: digit_explorer(digits_cnn(), x_test),
                  sweep("digit", [1, 2, 3, 4, 5, 6, 7, 8, 0])),
    }


def explorer_times(names=None):
    """{explorer name: [milliseconds of each move]}: each move sets one slider's value and
    lasts until the explorer's figure is rendered (PNG, inline backend) and its text out."""
    _shell()
    from IPython.display import display
    out = {}
    for name, (make, moves) in _explorers().items():
        if names and name not in names:
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            widget = make()
            display(widget)
            controls = _controls(widget)
            times = []
            for description, value in moves:
                t0 = time.perf_counter()
                controls[description].value = value
                times.append((time.perf_counter() - t0) * 1e3)
        out[name] = times
    return out


def print_explorer_times(names=None):
    """Print median and worst milliseconds per slider move of every explorer."""
    times = explorer_times(names)
    print("explorers: ms per slider move, from the new value to the PNG rendered and the "
          "text printed (inline backend)")
    print(f"{'explorer':12}{'moves':>6}{'median':>9}{'worst':>9}")
    for name, t in times.items():
        print(f"{name:12}{len(t):6d}{np.median(t):9.0f}{max(t):9.0f}")
    return times
