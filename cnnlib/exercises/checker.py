"""``cl.check(name, fn)``: run a learner's version of a cnnlib function on fixed cases, compare.

    cl.check("conv2d", my_conv2d)                    # every case: stride, padding, batches
    cl.check("conv2d", my_conv2d, batch=False)       # single images (H, W, D) only
    cl.check("im2col", my_im2col, batch=False)       # chapter 05: stride and pad, no batch
    cl.check("conv2d_backward", my_backward, parts=("dzdf", "dzdb"))   # chapter 07

``fn`` takes the arguments of cnnlib's function ``name`` and returns what it returns.  The
cases (:mod:`cnnlib.cases`) are fixed and seeded; ``batch``, ``stride`` and ``pad`` set
to False leave out the cases that use mini-batches (H, W, D, N), a stride or padding, for a
chapter that has not taught them yet (and so ``fn`` need not accept those arguments).
``parts`` chooses which of several returned arrays are compared (conv2d_backward returns
dzdx, dzdf, dzdb; a part left out may be returned as None).

It prints one line and returns a :class:`Check`:
  "not yet: my_conv2d returns None; write its body"   (or raises NotImplementedError)
  "right: 12 cases agree (largest difference 0)"
  "not quite: case 1 (x 4×5×1, f 2×2×1×1, b) differs at [0, 0, 0]: yours 2, expected 5; this
   looks like kernel flipped: Eq. 12 is a cross-correlation: ... (chapter 04)"
  "not quite: case 4 (x 6×5×2, f 3×2×2×2, b, stride 2): yours has shape (4, 4, 2), expected
   (2, 2, 2); ..."   "not quite: case 10 (...) raises IndexError: ..."
The first case that differs is shown, at its first differing entry in column-major order.
A mistake is named when ``fn``'s outputs equal those of a catalogued mistake
(:mod:`cnnlib.exercises.mistakes`) on every case run; the learner's source is never read.
"""
import traceback
from functools import lru_cache

import numpy as np

from .cases import cases
from ..conv import conv2d, conv2d_backward
from ..gradcheck import numerical_gradient
from ..im2col import col2im, im2col
from ..loss import softmax_log_loss_backward, squared_loss_backward
from .mistakes import catalogue
from ..pool import maxpool2d, maxpool2d_backward
from .reference import im2col_inverse
from ..relu import relu_backward
from ..tensor import vec

__all__ = ["check", "Check"]

REFERENCE = {"vec": vec, "conv2d": conv2d, "im2col": im2col,
             "conv2d_backward": conv2d_backward, "col2im": col2im, "maxpool2d": maxpool2d,
             "maxpool2d_backward": maxpool2d_backward, "relu_backward": relu_backward,
             "softmax_log_loss_backward": softmax_log_loss_backward,
             # the write-it exercises of chapters 02, 03, 06 and 10
             "numerical_gradient": numerical_gradient,
             "squared_loss_backward": squared_loss_backward, "kron": np.kron,
             "im2col_inverse": im2col_inverse}
PARTS = {"conv2d_backward": ("dzdx", "dzdf", "dzdb")}      # names that return several arrays
RTOL, ATOL = 1e-6, 1e-9                                    # what counts as equal


class Check:
    """What :func:`check` found.  ok: True when every case agrees.  mistake: None or the key
    of the catalogued mistake that ``fn`` makes.  line: the line printed.  name: the checked
    function, "answer" for :func:`cnnlib.exercises.answers.check_answer`, or "network" for
    :func:`cnnlib.exercises.capstone.check_network`, whose ``function`` names the learner's
    function at fault.  As a notebook cell's last expression it shows
    nothing more than the printed line."""

    def __init__(self, name, ok, mistake, line, function=None):
        self.name, self.ok, self.mistake, self.line = name, ok, mistake, line
        self.function = function

    def __repr__(self):
        return f"Check({self.name!r}, ok={self.ok}, mistake={self.mistake!r})"

    def _ipython_display_(self):
        """IPython shows this instead of the repr: nothing, the line is printed already."""


def check(name, fn, *, batch=True, stride=True, pad=True, parts=None):
    """Run ``fn`` on the fixed cases of cnnlib's ``name``, compare, print one line.

    name: "vec", "im2col", "conv2d", "conv2d_backward", "col2im", "maxpool2d",
    "maxpool2d_backward", "relu_backward", "softmax_log_loss_backward", and for chapters
    02, 03, 06 and 10 "numerical_gradient", "squared_loss_backward", "kron" (np.kron) and
    "im2col_inverse" (x back from im2col's phi, :mod:`.reference`).
    fn: the learner's function, called as cnnlib's ``name`` is (stride and pad as keywords,
    left out where the case uses the default).
    batch, stride, pad: False leaves out the cases with mini-batches, a stride, padding.
    parts: for conv2d_backward, the returned arrays to compare, a tuple of "dzdx", "dzdf",
    "dzdb" (default all).
    Returns a :class:`Check` (ok, mistake, line).
    """
    result = verdict(name, fn, batch=batch, stride=stride, pad=pad, parts=parts)
    print(result.line)
    return result


def verdict(name, fn, *, batch=True, stride=True, pad=True, parts=None):
    """:func:`check` without printing: the :class:`Check` alone."""
    if name not in REFERENCE:
        raise ValueError(f"name must be one of {', '.join(REFERENCE)}; got {name!r}")
    if not callable(fn):
        raise TypeError(f"fn must be a function, got {fn!r}")
    selected = _parts(name, parts)
    use = {"batch": batch, "stride": stride, "pad": pad}
    numbers = [k for k, case in enumerate(cases(name))
               if (use["batch"] or not case.batch) and all(use[f] or f not in case.kwargs
                                                           for f in ("stride", "pad"))]
    if not numbers:
        raise ValueError(f"no case of {name} is left with batch={batch}, stride={stride}, "
                         f"pad={pad}")
    return Check(name, *_verdict(name, fn, numbers, selected))


def _parts(name, parts):
    """The indices of the returned arrays to compare."""
    names = PARTS.get(name, (None,))
    if parts is None:
        return tuple(range(len(names)))
    if name not in PARTS:
        raise ValueError(f"parts is for {', '.join(PARTS)}; {name} returns one array")
    parts = (parts,) if isinstance(parts, str) else tuple(parts)
    if not parts or any(p not in names for p in parts):
        raise ValueError(f"parts must name some of {names}, got {parts!r}")
    return tuple(names.index(p) for p in parts)


@lru_cache(maxsize=None)
def _expected(name):
    """cnnlib's outputs on every case of ``name`` (computed once)."""
    return tuple(_run(REFERENCE[name], case) for case in cases(name))


@lru_cache(maxsize=None)
def _mistaken(name):
    """[(Mistake, [outputs of a variant on every case] for each variant)] (computed once)."""
    return tuple((m, tuple(_outputs_or_none(v, name) for v in m.variants))
                 for m in catalogue(name))


def _outputs_or_none(fn, name):
    """fn's outputs on every case of ``name``, or None if it raises on one (then it is never
    recognised; tests/test_mistakes.py checks that no variant raises)."""
    try:
        return tuple(_run(fn, case) for case in cases(name))
    except Exception:
        return None


def _run(fn, case):
    """fn on fresh copies of the case's arrays (fn may change its arguments in place)."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    return fn(*args, **case.kwargs)


def _verdict(name, fn, numbers, selected):
    """(ok, mistake key or None, line) for fn on the cases ``numbers`` (indices into cases)."""
    who = getattr(fn, "__name__", "") or "your function"
    who = "your function" if who == "<lambda>" else who
    all_cases, expected = cases(name), _expected(name)
    found, outputs, largest = None, [], 0.0
    for k, number in enumerate(numbers, start=1):
        case = all_cases[number]
        where = f"case {k} ({case.text})"
        try:
            out = _run(fn, case)
        except Exception as err:                          # the learner's code may raise anything
            if found:                         # an earlier case differs: that is the news
                outputs = None
                break
            if isinstance(err, NotImplementedError):
                return False, None, f"not yet: {who} raises {_last_line(err)}" + (
                    "; write its body" if k == 1 else f" for {where}")
            return False, None, f"not quite: {where} raises {_last_line(err)}"
        if out is None:
            if k == 1:
                return False, None, f"not yet: {who} returns None; write its body"
            found = found or f"{where}: {who} returns None"
            outputs = None
            continue
        yours, problem = _arrays(out, name, selected)
        if problem:
            found, outputs = found or f"{where}: {who} {problem}", None
            continue
        if outputs is not None:
            outputs.append(yours)
        wrong, diff = _compare(yours, _pick(expected[number], name, selected), name, selected)
        largest = max(largest, diff)
        found = found or (wrong and f"{where}{wrong}")
    if not found:
        return True, None, f"right: {len(numbers)} cases agree (largest difference " \
                           f"{largest:.1g})"
    mistake = outputs and _recognise(name, outputs, numbers, selected)
    if not mistake:
        return False, None, f"not quite: {found}"
    return False, mistake.key, (f"not quite: {found}; this looks like {mistake.key}: "
                                f"{mistake.hint} (chapter {mistake.chapter:02d})")


def _last_line(err):
    return traceback.format_exception_only(type(err), err)[-1].strip()


def _pick(out, name, selected):
    """The selected arrays of an output (cnnlib's or a mistake's), as a tuple."""
    out = out if name in PARTS else (out,)
    return tuple(np.asarray(out[i]) for i in selected)


def _arrays(out, name, selected):
    """The learner's output as the tuple of selected arrays, or (None, what is wrong)."""
    if name in PARTS:
        names = PARTS[name]
        if not isinstance(out, (tuple, list)) or len(out) != len(names):
            return None, f"returns {type(out).__name__}, expected a tuple ({', '.join(names)})"
    else:
        names, out = (None,), (out,)
    arrays = []
    for i in selected:
        label = f"{names[i]} " if names[i] else ""
        if out[i] is None:
            return None, f"returns None for {names[i]}"
        try:
            a = None if isinstance(out[i], (str, bytes)) else np.asarray(out[i])
        except ValueError:                           # e.g. a list of arrays of unequal shapes
            a = None
        if a is None or a.dtype.kind not in "biuf":
            return None, f"returns {label}{type(out[i]).__name__}, not an array of numbers"
        arrays.append(a)
    return tuple(arrays), None


def _compare(yours, expected, name, selected):
    """('' if equal else the text of the first difference, largest absolute difference)."""
    largest = 0.0
    for i, (a, e) in enumerate(zip(yours, expected)):
        part = f" in {PARTS[name][selected[i]]}" if name in PARTS else ""
        if a.shape != e.shape:
            return f": yours{part} has shape {a.shape}, expected {e.shape}", np.inf
        close = np.isclose(a, e, rtol=RTOL, atol=ATOL)
        if not close.all():
            at = np.unravel_index(int(np.argmax(~close.ravel(order="F"))), a.shape, order="F")
            index = ", ".join(str(int(v)) for v in at)
            return (f" differs{part} at [{index}]: yours {_number(a[at])}, expected "
                    f"{_number(e[at])}", np.inf)
        if a.size:
            largest = max(largest, float(np.max(np.abs(a - e))))
    return "", largest


def _number(v):
    return f"{float(v):.6g}"


def _recognise(name, outputs, numbers, selected):
    """The first catalogued mistake one of whose variants gives ``outputs`` on every case."""
    for mistake, variants in _mistaken(name):
        for made in variants:
            if made is not None and all(
                    not _compare(yours, _pick(made[number], name, selected), name, selected)[0]
                    for yours, number in zip(outputs, numbers)):
                return mistake
    return None
