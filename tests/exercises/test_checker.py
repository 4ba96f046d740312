"""cl.check (exercises.checker): what it prints and returns for right, unfinished and wrong work.

The learner's functions are the loops of learner.py beside this file (nothing there calls cnnlib).
"""
import itertools
import re
import subprocess
import sys
import textwrap
from functools import partial

import numpy as np
import pytest

import cnnlib as cl
from . import learner
from cnnlib.exercises import checker
from cnnlib.exercises.cases import cases

NAMES = sorted(checker.REFERENCE)
LEVELS = list(itertools.product([True, False], repeat=3))          # batch, stride, pad


def one_line(capsys):
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n"), out
    return out[:-1]


@pytest.mark.parametrize("name", NAMES)
def test_cnnlib_itself_is_right_at_every_level(name, capsys):
    for batch, stride, pad in LEVELS:
        result = cl.check(name, checker.REFERENCE[name], batch=batch, stride=stride,
                          pad=pad)
        line = one_line(capsys)
        assert (result.ok, result.mistake, result.line) == (True, None, line)
        count = sum((batch or not c.batch) and (stride or "stride" not in c.kwargs)
                    and (pad or "pad" not in c.kwargs) for c in cases(name))
        assert re.fullmatch(rf"right: {count} cases agree \(largest difference [0-9e.+-]+\)",
                            line), line


@pytest.mark.parametrize("name", NAMES)
def test_the_learners_loops_are_right(name, capsys):
    result = cl.check(name, getattr(learner, name))
    assert result.ok and result.mistake is None
    assert one_line(capsys).startswith("right: ")


def test_integer_cases_agree_exactly(capsys):
    """The cases hold small integers: a right convolution agrees to the last bit."""
    cl.check("conv2d", learner.conv2d)
    assert one_line(capsys) == "right: 12 cases agree (largest difference 0)"


@pytest.mark.parametrize("name", NAMES)
def test_a_stub_is_not_yet(name, capsys):
    def my_function(*args, **kwargs):
        return None  # your code

    result = cl.check(name, my_function)
    assert (result.ok, result.mistake) == (False, None)
    assert one_line(capsys) == "not yet: my_function returns None; write its body"


def test_not_implemented_is_not_yet(capsys):
    def my_vec(a):
        raise NotImplementedError

    assert not cl.check("vec", my_vec).ok
    assert one_line(capsys) == "not yet: my_vec raises NotImplementedError; write its body"

    def my_conv2d(x, f, b=None, stride=1, pad=0):
        if pad:
            raise NotImplementedError("padding comes later")
        return learner.conv2d(x, f, b, stride)

    assert not cl.check("conv2d", my_conv2d).ok
    assert one_line(capsys) == ("not yet: my_conv2d raises NotImplementedError: padding comes "
                                "later for case 6 (x 4×5×2, f 3×3×2×2, b, pad 1)")


def _noisy(fn, rng):
    """fn with 1e-3 relative noise added to every array it returns."""
    def noisy(*args, **kwargs):
        out = fn(*args, **kwargs)
        parts = out if isinstance(out, tuple) else (out,)
        parts = tuple(p * (1 + 1e-3 * rng.standard_normal(np.shape(p))) for p in parts)
        return parts if isinstance(out, tuple) else parts[0]
    return noisy


@pytest.mark.parametrize("name", NAMES)
def test_small_noise_is_not_quite_and_no_mistake(name, rng, capsys):
    result = cl.check(name, _noisy(getattr(learner, name), rng))
    assert (result.ok, result.mistake) == (False, None)
    line = one_line(capsys)
    assert re.fullmatch(r"not quite: case \d+ \(.+\) differs( in dz\w+)? at \[[\d, ]+\]: "
                        r"yours \S+, expected \S+", line), line


def test_the_first_difference_is_named_by_case_index_and_values(capsys):
    def my_conv2d(x, f, b=None, stride=1, pad=0):
        y = learner.conv2d(x, f, b, stride, pad)
        if np.shape(x) == (5, 4, 2) and stride == (2, 1):
            y[1, 0, 2] += 0.5                         # column-major first: [1, 0, 2]
            y[0, 1, 2] += 0.5
        return y

    assert not cl.check("conv2d", my_conv2d).ok
    x, f, b = cases("conv2d")[7].args
    want = learner.conv2d(x, f, b, (2, 1), (1, 0))[1, 0, 2]
    assert one_line(capsys) == (f"not quite: case 8 (x 5×4×2, f 3×2×2×3, b, stride (2, 1), "
                                f"pad (1, 0)) differs at [1, 0, 2]: yours {want + 0.5:g}, "
                                f"expected {want:g}")


def test_an_exception_is_reported_with_its_last_line_and_the_case(capsys):
    def my_im2col(x, kernel, stride=1, pad=0):
        if np.ndim(x) == 4:
            return x[:, :, :, :, 0]
        return learner.im2col(x, kernel, stride, pad)

    result = cl.check("im2col", my_im2col)
    assert (result.ok, result.mistake) == (False, None)
    assert one_line(capsys) == ("not quite: case 10 (x 4×5×2×3, kernel 3×2) raises "
                                "IndexError: too many indices for array: array is "
                                "4-dimensional, but 5 were indexed")


def test_a_difference_stays_the_news_when_a_later_case_raises(capsys):
    def my_conv2d(x, f, b=None, stride=1, pad=0):
        if pad:
            raise ValueError("pad comes later")
        return learner.conv2d(x, f, b, stride, mistake="kernel flipped")

    assert cl.check("conv2d", my_conv2d).mistake is None     # it does not do every case
    assert one_line(capsys).startswith("not quite: case 1 (x 4×5×1, f 2×2×1×1, b) differs at "
                                       "[0, 0, 0]: yours ")
    assert cl.check("conv2d", my_conv2d, pad=False).mistake == "kernel flipped"


def test_a_wrong_shape_names_both_shapes(capsys):
    def my_relu_backward(x, dzdy):
        return learner.relu_backward(x, dzdy)[..., None]

    assert not cl.check("relu_backward", my_relu_backward).ok
    assert one_line(capsys) == ("not quite: case 1 (x 4×5×2): yours has shape (4, 5, 2, 1), "
                                "expected (4, 5, 2)")

    def my_backward(x, f, dzdy, stride=1, pad=0):
        dzdx, dzdf, dzdb = learner.conv2d_backward(x, f, dzdy, stride, pad)
        return dzdx, dzdf, dzdb[:, None]

    assert not cl.check("conv2d_backward", my_backward).ok
    assert one_line(capsys).endswith(": yours in dzdb has shape (1, 1), expected (1,)")


@pytest.mark.parametrize("out, said", [
    ((1, 2), "returns tuple, expected a tuple (dzdx, dzdf, dzdb)"),
    (np.zeros(3), "returns ndarray, expected a tuple (dzdx, dzdf, dzdb)"),
    ((np.zeros(3), "dzdf", None), "returns dzdf str, not an array of numbers"),
    ((np.zeros(3), [np.zeros(2), np.zeros(3)], None),
     "returns dzdf list, not an array of numbers"),
])
def test_what_is_not_the_right_kind_of_answer(out, said, capsys):
    assert not cl.check("conv2d_backward", lambda *args, **kwargs: out).ok
    assert one_line(capsys) == f"not quite: case 1 (x 4×5×1, f 2×2×1×1): your function {said}"


def test_none_for_some_cases_only(capsys):
    def my_vec(a):
        return None if np.ndim(a) == 4 else learner.vec(a)

    assert not cl.check("vec", my_vec).ok
    assert one_line(capsys) == "not quite: case 4 (a 3×2×2×2): my_vec returns None"
    assert cl.check("vec", my_vec, batch=False).ok


def test_levels_leave_out_what_is_not_taught(capsys):
    """A function without stride and pad arguments, for single images, is right at that
    level; the cases left out are never called."""
    def my_conv2d(x, f, b=None):
        assert np.ndim(x) == 3
        return learner.conv2d(x, f, b)

    result = cl.check("conv2d", my_conv2d, batch=False, stride=False, pad=False)
    assert result.ok and one_line(capsys) == "right: 3 cases agree (largest difference 0)"
    assert not cl.check("conv2d", my_conv2d).ok
    assert "raises" in one_line(capsys)


def test_parts_compare_only_the_arrays_asked_for(capsys):
    """Chapter 07 writes dz/dF and dz/db before chapter 08 writes dz/dx."""
    def my_backward(x, f, dzdy, stride=1, pad=0, mistake=None):
        _, dzdf, dzdb = learner.conv2d_backward(x, f, dzdy, stride, pad, mistake)
        return None, dzdf, dzdb

    assert cl.check("conv2d_backward", my_backward, parts=("dzdf", "dzdb")).ok
    assert not cl.check("conv2d_backward", my_backward).ok
    capsys.readouterr()
    flipped = partial(my_backward, mistake="dz/dF flipped")
    assert cl.check("conv2d_backward", flipped, parts=["dzdf", "dzdb"]).mistake == \
        "dz/dF flipped"
    assert one_line(capsys).startswith("not quite: case 1 (x 4×5×1, f 2×2×1×1) differs in dzdf")
    assert cl.check("conv2d_backward", flipped, parts="dzdb").ok


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "conv3d"}, ValueError, "name must be one of vec, conv2d"),
    ({"fn": "my_vec"}, TypeError, "fn must be a function"),
    ({"parts": ("dzdx",)}, ValueError, "parts is for conv2d_backward"),
    ({"name": "conv2d_backward", "parts": ("dzdw",)}, ValueError, "parts must name some of"),
    ({"name": "conv2d_backward", "parts": ()}, ValueError, "parts must name some of"),
])
def test_bad_arguments(kwargs, error, match):
    args = {"name": "vec", "fn": cl.vec, **kwargs}
    with pytest.raises(error, match=match):
        cl.check(args.pop("name"), args.pop("fn"), **args)


def test_the_learners_arguments_are_fresh_copies(capsys):
    """A function that changes its input in place does not spoil the next check."""
    def my_relu_backward(x, dzdy):
        dzdy[x <= 0] = 0
        return dzdy

    assert cl.check("relu_backward", my_relu_backward).ok
    assert cl.check("relu_backward", cl.relu_backward).ok


def test_the_result_shows_one_line_as_a_cells_last_expression():
    """In a Jupyter kernel the printed line is all a cell ending in cl.check(...) shows: the
    Check object adds no Out[] of its own (a cell ending in its .ok shows that)."""
    code = textwrap.dedent("""
        import nbformat
        from nbclient import NotebookClient
        cells = ["import cnnlib as cl", 'cl.check("vec", cl.vec)', 'cl.check("vec", cl.vec).ok']
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
        for cell in nb.cells[1:]:
            print([(o.output_type, o.get("text", o.get("data"))) for o in cell.outputs])
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    line = "right: 4 cases agree (largest difference 0)\\n"
    assert run.stdout.splitlines() == [
        f"[('stream', '{line}')]",
        f"[('stream', '{line}'), ('execute_result', {{'text/plain': 'True'}})]"]
    assert repr(cl.check("vec", cl.vec)) == "Check('vec', ok=True, mistake=None)"
