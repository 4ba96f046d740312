"""The slider grid of each explorer family, for the website's kernel-free explorers.

tools/explorer_frames.py renders one frame per point of a grid with the family's own
``cl.<family>_step(...)`` and ``cl.draw_<family>(step, fig=None)`` (through the explorers'
``Frame``, so a frame is the PNG the notebook's explorer shows at those values); the website
test moves the page's sliders and compares the text with ``grid.step(values)["text"]``.

A grid is built from the explorer call's own arguments and the sliders of the explorer's own
widget (``controls``: description -> widget), so labels, ranges and starting values are the
notebook's.  Where the full grid is too large for the page, a documented subset:

    vec        position x order: all 24
    conv       stride x padding x every output position; the input and kernel menus stay at
               their starting choice (the note's A and the 2x2 ones)
    im2col     stride x every output position: all
    backward   every i' and d, j' in steps of 2 (through its start): 48 of 80
    indicator  il, jl in steps of 2 and 3, every dl, row r in steps of 150: 54 of 37 800
    pooling    max/avg x size 2-3 x stride 2-3 (no overlap, overlap, gaps) x every output k of y
               (the notebook's k runs to 47 and wraps around y)
    digit      the first 40 test digits; the drawing grid needs Python
"""
import inspect
from dataclasses import dataclass, field

import numpy as np

import cnnlib as cl
from cnnlib.views.conv import EXAMPLE_INPUTS, EXAMPLE_KERNELS


@dataclass
class Slider:
    name: str                 # the step's argument
    label: str                # the notebook widget's description
    values: list              # the values the page offers, in order
    start: object             # the explorer's starting value
    labels: list = None       # what a toggle's values are called
    dynamic: bool = False     # values depend on the other sliders (output positions)


@dataclass
class Grid:
    family: str
    sliders: list
    step: object              # values (dict) -> the family's step
    key: object               # step -> layout key (what changes the panels' shapes)
    subset: str = ""          # how the page's grid differs from the notebook's, "" if it doesn't
    fixed: dict = field(default_factory=dict)   # controls that do not move on the page

    @property
    def draw(self):
        return getattr(cl, f"draw_{self.family}")

    def points(self):
        """Every point of the grid: dicts of slider values, dynamic sliders last."""
        static = [s for s in self.sliders if not s.dynamic]
        dynamic = [s for s in self.sliders if s.dynamic]
        points = [{}]
        for s in static:
            points = [dict(p, **{s.name: v}) for p in points for v in s.values]
        for s in dynamic:
            points = [dict(p, **{s.name: v}) for p in points for v in self.dynamic_values(s, p)]
        return points

    def dynamic_values(self, slider, point):
        """0 .. n - 1 for an output position among n (the step says n)."""
        probe = self.step({**{s.name: s.start for s in self.sliders}, **point, slider.name: 0})
        n = probe["n_positions"] if "n_positions" in probe else probe["y"].size
        return list(range(n))

    def start(self):
        return {s.name: s.start for s in self.sliders}


def _int(control, name, values=None):
    """A Slider from an IntSlider: the notebook's range, or ``values`` (a subset of it)."""
    full = list(range(control.min, control.max + 1))
    values = full if values is None else [v for v in values if v in full]
    if control.value not in values:
        raise ValueError(f"{control.description!r}: start {control.value} not in {values}")
    return Slider(name, control.description, values, control.value)


def _toggle(control, name):
    return Slider(name, control.description, list(control._options_values), control.value,
                  labels=list(control._options_labels))


def _steps(control, step):
    """The values of an IntSlider's range, ``step`` apart, through its starting value."""
    return [v for v in range(control.min, control.max + 1) if (v - control.value) % step == 0]


def _dynamic(control, name):
    return Slider(name, control.description, [], control.value, dynamic=True)


def grid(family, call, controls):
    """The Grid of ``cl.<family>_explorer(*call.args, **call.kwargs)`` (``call``: a bound
    inspect.BoundArguments with defaults) whose widget has ``controls``."""
    a = call.arguments
    c = controls
    if family == "vec":
        arr = np.asarray(np.arange(1, 13).reshape(3, 4) if a["a"] is None else a["a"])
        return Grid(family, [_int(c["position k in the vector"], "position"),
                             _toggle(c["order"], "order")],
                    lambda v: cl.vec_step(arr, v["position"], v["order"]), lambda s: s["order"])
    if family == "conv":
        inputs = EXAMPLE_INPUTS if a["x"] is None else {"x": np.asarray(a["x"])}
        kernels = EXAMPLE_KERNELS if a["f"] is None else {"f": np.asarray(a["f"])}
        x_name = c["input"].value if "input" in c else next(iter(inputs))
        f_name = c["kernel"].value if "kernel" in c else next(iter(kernels))
        return Grid(family, [_dynamic(c["output position p"], "position"),
                             _int(c["stride"], "stride"), _int(c["padding"], "pad")],
                    lambda v: cl.conv_step(inputs[x_name], kernels[f_name], v["stride"], v["pad"],
                                           v["position"]),
                    lambda s: (s["stride"], s["pad"]),
                    subset="" if len(inputs) * len(kernels) == 1 else
                    f"input {x_name!r} and kernel {f_name!r} (the notebook's menus offer more)",
                    fixed={"input": x_name, "kernel": f_name})
    if family == "im2col":
        x = EXAMPLE_INPUTS["A, 3x4 (note, Eq. 13)"] if a["x"] is None else np.asarray(a["x"])
        return Grid(family, [_dynamic(c["output position p"], "position"),
                             _int(c["stride"], "stride")],
                    lambda v: cl.im2col_step(x, a["kernel"], v["position"], v["stride"]),
                    lambda s: s["n_positions"])
    if family == "backward":
        x, f = _closure(c, "x", "f")
        return Grid(family, [_int(c["i'"], "i_out"), _int(c["j'"], "j_out", _steps(c["j'"], 2)),
                             _int(c["d"], "d_out")],
                    lambda v: cl.backward_step(x, f, v["i_out"], v["j_out"], v["d_out"]),
                    lambda s: None, subset="j' in steps of 2")
    if family == "indicator":
        x_shape, kernel = tuple(a["x_shape"]), tuple(a["kernel"])
        return Grid(family, [_int(c["il"], "il", _steps(c["il"], 2)),
                             _int(c["jl"], "jl", _steps(c["jl"], 3)), _int(c["dl"], "dl"),
                             _int(c["row r"], "row", _steps(c["row r"], 150))],
                    lambda v: cl.indicator_step(x_shape, kernel, v["il"], v["jl"], v["dl"],
                                                v["row"]),
                    lambda s: None,
                    subset="il in steps of 2, jl in steps of 3, the row r in steps of 150")
    if family == "pooling":
        (x,) = _closure(c, "x")
        return Grid(family, [_toggle(c["pooling"], "mode"), _int(c["size"], "size", [2, 3]),
                             _int(c["stride"], "stride", [2, 3]), _dynamic(c["output k"], "k")],
                    lambda v: cl.pooling_step(x, v["size"], v["stride"], v["mode"], v["k"]),
                    lambda s: (s["mode"], s["size"], s["stride"]),
                    subset="window size and stride 2 or 3, k over y's own outputs")
    if family == "digit":
        net, x, labels = a["net"], np.asarray(a["x"], dtype=float), a["labels"]
        digit = _int(c["digit"], "index", range(40))
        return Grid(family, [digit],
                    lambda v: cl.digit_step(net, x[:, :, 0, v["index"]], None if labels is None
                                            else int(labels[v["index"]])),
                    lambda s: None, fixed={"show": "test digit"},
                    subset="the first 40 test digits; drawing a digit needs Python")
    raise ValueError(f"no grid for the explorer family {family!r}")


def _closure(controls, *names):
    """Values the explorer's draw function closes over (its default data), by name: the
    arrays the notebook's explorer itself uses, not a copy of how it makes them."""
    fn = controls["__interactive__"].f
    free = inspect.getclosurevars(fn).nonlocals
    return [free[n] for n in names]
