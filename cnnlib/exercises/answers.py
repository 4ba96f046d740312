"""``cl.check_answer(mine, expected)``: the check of a "compute" or "predict, then run" exercise.

    my_k = None                                  # the learner's cell
    cl.check_answer(my_k, list(cl.vec(a)).index(a[2, 1]), hint="k = i + H j")

The expected value is computed in the call itself, so a check cell leaves nothing behind in
the learner's namespace.  Values are compared, not types: the list [4, 6] equals the tuple
(4, 6), the int 5 the float 5.0, numbers agree up to ``rtol`` and ``atol`` as in np.allclose,
strings up to case and surrounding spaces.  It prints one line:
  "not yet: replace the None above"      mine is None (or a tuple or list holding a None)
  "right"                                they agree
  "not quite: <hint>"                    they do not
With ``reveal=True`` (a "predict, then run" exercise) an answer, right or wrong, also shows
what the run computed: "right: the run gives (4, 6)", "not quite: <hint>; the run gives
(4, 6), you predicted (6, 4)".  Before an answer the line reveals nothing.
Returns a :class:`.checker.Check` named "answer" (``.ok``; ``.mistake`` is None).
"""
import numpy as np

from .checker import Check

__all__ = ["check_answer"]


def check_answer(mine, expected, hint=None, *, reveal=False, rtol=1e-6, atol=1e-9):
    """Compare the learner's answer ``mine`` with ``expected``; print one line, return a Check.

    hint: what "not quite" says (a string); reveal: show the expected value once answered;
    rtol, atol: the tolerance for numbers (np.allclose's)."""
    if hint is not None and not isinstance(hint, str):
        raise TypeError(f"hint must be a string, got {hint!r}")
    if _unanswered(mine):
        return _said(False, "not yet: replace the None above")
    ok = _agree(mine, expected, rtol, atol)
    shown = f"the run gives {_show(expected)}"
    if ok:
        return _said(True, "right" + (f": {shown}" if reveal else ""))
    parts = [hint] if hint else []
    if reveal:
        parts.append(f"{shown}, you predicted {_show(mine)}")
    return _said(False, "not quite" + (": " + "; ".join(parts) if parts else ""))


def _said(ok, line):
    print(line)
    return Check("answer", ok, None, line)


def _unanswered(mine):
    return mine is None or (isinstance(mine, (tuple, list))
                            and any(_unanswered(m) for m in mine))


def _agree(mine, expected, rtol, atol):
    if isinstance(expected, str):
        return isinstance(mine, str) and mine.strip().lower() == expected.strip().lower()
    if isinstance(mine, str):
        return False
    try:
        a, e = np.asarray(mine, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):           # not numbers, or a ragged list
        return False
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=rtol, atol=atol))


def _show(value):
    """A value as a learner would write it: (4, 6), [1, 3, 2, 4], 0.5, 'row'."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (tuple, list)):
        items = ", ".join(_show(v) for v in value)
        return f"({items}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) \
            else f"[{items}]"
    a = np.asarray(value)
    if a.ndim:
        return _show(a.tolist())
    v = a.item()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return f"{v:.6g}" if isinstance(v, float) else str(v)
