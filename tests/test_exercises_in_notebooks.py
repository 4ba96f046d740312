"""The exercises of chapters 01-12 (each chapter's "Try this"), read from the notebooks.

An exercise starts with a bold label, "**2. Predict, then run.**", and runs to the next one.
Every chapter has at least four, among them one "Write it", one "Why" and one "Predict, then
run"; each has its solution folded in a ``<details><summary>Solution</summary>`` cell. A
"Write it" exercise (and chapter 12's "Your network") is a stub cell (``return None  # your
code``), a check cell (``cl.check`` or ``cl.check_network``), a folded hint and the solution as
a ```` ```python ```` block: the saved check shows "not yet", and the solution's code, run in
place of the stub in a fresh namespace, gets "right" from the same check cell.  The other
checks are one ``cl.check_answer`` call each, which leaves nothing behind in the learner's
namespace.
"""
import ast
import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import cnnlib as cl

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[01][0-9]_*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if "01" <= p.name[:2] <= "12"]
LABEL = re.compile(r"^\*\*(\d+)\. (Compute|Predict, then run|Why|Write it|Your network)\.\*\*",
                   re.M)
SOLUTION = re.compile(r"^<details><summary>Solution</summary>\n\n.*\n\n</details>$", re.S)
HINT = re.compile(r"^<details><summary>Hint</summary>\n\n.*\n\n</details>$", re.S)
PYTHON = re.compile(r"```python\n(.*?)```", re.S)
STUB = re.compile(r"^\s+return None  # your code", re.M)


def source(cell):
    return "".join(cell["source"])


def printed(cell):
    return "".join("".join(o.get("text", "")) for o in cell["outputs"]
                   if o["output_type"] == "stream")


def exercises(path):
    """[(number, kind, [cells])] of the chapter's Try this section, in order."""
    cells = json.loads(path.read_text())["cells"]
    start = next(i for i, c in enumerate(cells) if source(c).startswith("## Try this"))
    end = next(i for i, c in enumerate(cells) if i > start and source(c).startswith("## "))
    found = []
    for cell in cells[start:end]:
        label = LABEL.search(source(cell)) if cell["cell_type"] == "markdown" else None
        if label:
            found.append((int(label[1]), label[2], []))
        if found:
            found[-1][2].append(cell)
    return found


def parts(cells):
    """(stub cells, check cell, other code cells, hints, solutions) of one exercise."""
    code = [c for c in cells if c["cell_type"] == "code"]
    stubs = [c for c in code if STUB.search(source(c))]
    check = next((c for c in code if re.search(r"cl\.check(_answer|_network)?\(", source(c))),
                 None)
    marked = [source(c) for c in cells if c["cell_type"] == "markdown"]
    return (stubs, check, [c for c in code if c is not check and c not in stubs],
            [m for m in marked if HINT.match(m)], [m for m in marked if SOLUTION.match(m)])


def run(code, namespace):
    """What exec(code) prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<cell>", "exec"), namespace)
    return out.getvalue()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_four_exercises_with_the_three_kinds_numbered_in_order(path):
    found = exercises(path)
    kinds = [kind for _, kind, _ in found]
    assert len(found) >= 4, kinds
    assert {"Write it", "Why", "Predict, then run"} <= set(kinds), kinds
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_exercise_has_one_folded_solution_and_a_check_unless_it_asks_why(path):
    for number, kind, cells in exercises(path):
        stubs, check, others, hints, solutions = parts(cells)
        assert len(solutions) == 1, (number, kind)
        if kind == "Why":
            assert check is None and not stubs and not others, number
        else:
            assert check is not None, (number, kind)
            assert printed(check).startswith("not yet"), (number, printed(check))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_write_it_is_a_stub_a_check_a_hint_and_code_to_copy(path):
    for number, kind, cells in exercises(path):
        if kind not in ("Write it", "Your network"):
            continue
        stubs, check, _, hints, solutions = parts(cells)
        assert stubs and len(hints) == 1 and PYTHON.search(solutions[0]), number
        assert re.search(r"^(network = )?cl\.check(_network)?\(", source(check), re.M), number
        lines = printed(check).splitlines()
        assert lines and all(line.startswith("not yet: ") for line in lines), lines
        for stub in stubs:                                  # nothing but stubs and comments
            for node in ast.parse(source(stub)).body:
                assert isinstance(node, ast.FunctionDef), ast.unparse(node)
                assert [ast.unparse(s) for s in node.body] == ["return None"], node.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_the_solutions_are_right_in_place_of_the_stubs(path):
    """Each solution's code in a fresh namespace (numpy and cnnlib, plus the chapter's
    earlier solutions), then the exercise's own check cell: every line it prints is right."""
    namespace = {"np": np, "cl": cl}
    checked = 0
    for number, kind, cells in exercises(path):
        if kind not in ("Write it", "Your network"):
            continue
        stubs, check, _, _, solutions = parts(cells)
        quiet = run("\n\n".join(PYTHON.findall(solutions[0])), namespace)
        assert quiet == "", quiet
        lines = run(source(check), namespace).splitlines()
        assert lines and all(line.startswith("right: ") for line in lines), (number, lines)
        checked += 1
    assert checked >= 1
    if "mine" in namespace:                             # the capstone: it also trains
        train_like_cnnlib(namespace["mine"], namespace["BATCH"])


def train_like_cnnlib(mine, batch):
    """One epoch on 160 training digits: the learner's network ends where cnnlib's does."""
    x_train, y_train, x_test, y_test = cl.load_digits()
    digits = cl.Digits(x_train[..., :160], y_train[:160], x_test, y_test)
    with threadpool_limits(limits=1, user_api="blas"):
        ours = cl.digits_cnn(seed=0)
        accuracy = cl.train_digits(ours, digits, epochs=1)
        theirs = cl.digits_cnn_with(mine, seed=0, batch=batch)
        assert cl.train_digits(theirs, digits, epochs=1) == accuracy
    for (_, w), (_, w_ref) in zip(theirs.parameters(), ours.parameters()):
        assert np.allclose(w, w_ref, rtol=1e-9, atol=1e-12)


def test_the_capstone_trains_only_once_the_network_is_right():
    """Chapter 12's training cell: with the stubs it prints "not yet" at once, saved so."""
    path = next(p for p in CHAPTERS if p.name.startswith("12"))
    (_, _, cells), = [e for e in exercises(path) if e[1] == "Your network"]
    _, check, others, _, _ = parts(cells)
    train, = others
    assert "cl.train_digits" in source(train) and "if network.ok:" in source(train)
    assert printed(train) == ("not yet: this cell trains your network once the check above "
                              "says right\n")
    assert source(check).splitlines()[-1] == "network = cl.check_network(mine, batch=BATCH)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_answers_are_checked_in_one_call_that_leaves_nothing_behind(path):
    """A compute or predict check is one cl.check_answer(...) call: the expected value is
    computed inside it, no variable of the learner's is set."""
    for number, kind, cells in exercises(path):
        if kind not in ("Compute", "Predict, then run"):
            continue
        _, check, others, _, _ = parts(cells)
        tree = ast.parse(source(check))
        assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), number
        call = tree.body[0].value
        assert ast.unparse(call.func) == "cl.check_answer", number
        assert printed(check) == "not yet: replace the None above\n", (number, printed(check))
        reveal = {k.arg: ast.unparse(k.value) for k in call.keywords}.get("reveal")
        if kind == "Predict, then run":                 # the prediction comes first, None
            assert reveal == "True", number
            before = [c for c in others if cells.index(c) < cells.index(check)]
            assert any(line.startswith("my_prediction = None")
                       for c in before for line in source(c).splitlines()), number
            assert ast.unparse(call.args[0]) == "my_prediction", number


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_exercise_cells_are_short_and_print_no_bare_boolean(path):
    for number, _, cells in exercises(path):
        for cell in cells:
            if cell["cell_type"] == "code":
                assert len(source(cell).splitlines()) <= 15, (number, source(cell))
                for line in printed(cell).splitlines():
                    assert not re.search(r"\b(True|False)\s*$", line), (number, line)
