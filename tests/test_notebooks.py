"""The committed notebooks are what `make notebooks` writes: executed, clean, complete.

nbval re-runs every cell and compares outputs, but it cannot see a notebook committed
without outputs (nothing to compare), so these checks guard the committed files.
"""
import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EQ_CELL = re.compile(r"#\s*Eq\.\s*\((\d+)\)(?:\s*[-–]\s*\((\d+)\))?")


def cells(path):
    return json.loads(path.read_text())["cells"]


def code(cell):
    return "".join(cell["source"])


# ---------------------------------------------------------------- reading a cell with ast
# A '# Eq. (N)' cell must be able to fail: it holds an assert statement or an assert_* call
# (np.testing.assert_allclose, ...), and none of them compares an expression with itself.
# No notebook prints a literal True/False as if it were computed.
COMPARISONS = {"allclose", "isclose", "array_equal", "array_equiv", "equal",
               "assert_allclose", "assert_array_equal", "assert_array_almost_equal",
               "assert_almost_equal", "assert_equal", "assert_array_less"}
BOOL_WORD = re.compile(r"\b(True|False)\b")


def parse(source):
    """The cell's ast; IPython lines (%magic, !shell) become `pass` so line numbers stay."""
    lines = ["pass" if line.lstrip().startswith(("%", "!")) else line
             for line in source.splitlines()]
    return ast.parse("\n".join(lines))


def _name(func):
    """The called name: `assert_allclose` for np.testing.assert_allclose, `print` for print."""
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _assignments(tree):
    """{name: [(line, dump of the assigned expression)]} for every `name = expr` of the cell."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            out.setdefault(node.targets[0].id, []).append((node.lineno, ast.dump(node.value)))
    return out


def _same(a, b, assigned, line):
    """a and b are one expression, or one is a name last assigned (before ``line``) the other."""
    if ast.dump(a) == ast.dump(b):
        return True
    for name, other in ((a, b), (b, a)):
        if isinstance(name, ast.Name):
            earlier = [dump for at, dump in assigned.get(name.id, []) if at < line]
            if earlier and earlier[-1] == ast.dump(other):
                return True
    return False


def _against_itself(expr, assigned, line):
    """The first comparison inside expr whose two sides are the same expression, else None."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Compare):
            sides = [node.left] + node.comparators
            if any(_same(a, b, assigned, line) for a, b in zip(sides, sides[1:])):
                return node
        if (isinstance(node, ast.Call) and _name(node.func) in COMPARISONS
                and len(node.args) >= 2 and _same(node.args[0], node.args[1], assigned, line)):
            return node
    return None


def equation_cell_problems(source):
    """Why a '# Eq.' cell could not fail: [] when it asserts something that can be false."""
    tree = parse(source)
    checks = ([n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
              + [n for n in ast.walk(tree)
                 if isinstance(n, ast.Call) and _name(n.func).startswith("assert")])
    if not checks:
        return ["asserts nothing (no assert statement, no assert_* call)"]
    problems, assigned = [], _assignments(tree)
    for node in checks:
        expr = node.test if isinstance(node, ast.Assert) else node
        same = _against_itself(expr, assigned, node.lineno)
        if same is not None:
            problems.append(f"line {node.lineno}: compares an expression with itself "
                            f"(or with the line that computed it): {ast.unparse(same)}")
        elif isinstance(node, ast.Assert) and isinstance(node.test, ast.Constant):
            problems.append(f"line {node.lineno}: asserts the constant {node.test.value!r}")
    return problems


def _literal_boolean(arg):
    """Whether a printed argument is a literal True/False: the constant itself, a string that
    says True/False, or an f-string with such a piece or a {True}/{False} field."""
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, bool) or (isinstance(arg.value, str)
                                               and bool(BOOL_WORD.search(arg.value)))
    if isinstance(arg, ast.JoinedStr):
        return any(_literal_boolean(v.value if isinstance(v, ast.FormattedValue) else v)
                   for v in arg.values)
    return False


def printed_literal_booleans(source):
    """The print(...) calls of a cell that print a literal True/False (or the word in a string)."""
    return [f"line {node.lineno}: {ast.unparse(node)}" for node in ast.walk(parse(source))
            if isinstance(node, ast.Call) and _name(node.func) == "print"
            and any(_literal_boolean(a)
                    for a in list(node.args) + [k.value for k in node.keywords])]


def equation_cells(path):
    """(cell index, first equation, last equation, source) of every '# Eq.' code cell."""
    for i, cell in enumerate(cells(path)):
        m = EQ_CELL.match(code(cell)) if cell["cell_type"] == "code" else None
        if m:
            yield i, int(m[1]), int(m[2] or m[1]), code(cell)


def asserted_equations():
    """{N: notebook} for every '# Eq. (N)' or '# Eq. (N)-(M)' cell that asserts (could fail)."""
    seen = {}
    for path in NOTEBOOKS:
        for _, first, last, source in equation_cells(path):
            if not equation_cell_problems(source):
                seen.update({n: path.name for n in range(first, last + 1)})
    return seen


# ---------------------------------------------------------------- figures' alt texts
# MyST-NB puts a cell's "mystnb": {"image": {"alt": ...}} on the <img> of its figure (see
# tests/book/test_figures.py for the page): it must say what the figure shows, so no file name,
# no bare "figure", and a few words at least.
FILE_NAME = re.compile(r"\.(png|jpe?g|svg|gif)\b|_images/|/", re.IGNORECASE)
NOT_A_DESCRIPTION = re.compile(r"^\s*(a |an |the )?(figure|image|picture|plot|graph)\b", re.I)


def alt_text_problems(cell):
    """What is wrong with the alt text of a code cell that draws a figure ([] if nothing)."""
    if not any(k.startswith("image/") for o in cell.get("outputs", [])
               for k in o.get("data", {})):
        return []
    alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
    if not isinstance(alt, str) or not alt.strip():
        return ["no alt text (metadata mystnb.image.alt)"]
    return [problem for problem, bad in [
        (f"alt looks like a file name: {alt[:60]!r}", FILE_NAME.search(alt)),
        (f"alt names the medium, not what it shows: {alt[:60]!r}", NOT_A_DESCRIPTION.match(alt)),
        (f"alt of {len(alt.split())} words says too little: {alt!r}", len(alt.split()) < 8),
    ] if bad]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_an_alt_text(path):
    bad = [f"{path.name} cell {i}: {p}" for i, cell in enumerate(cells(path))
           for p in alt_text_problems(cell)]
    assert not bad, "figures without a real alt text:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_and_clean(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "widget state with random ids: run `make notebooks`"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not code(cell).strip():
            continue
        where = f"{path.name} cell {i}"
        if "nbval-skip" not in cell["metadata"].get("tags", []):
            assert cell["execution_count"] is not None, f"{where} was never executed"
        assert "execution" not in cell["metadata"], f"{where} keeps timestamps"
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                assert "raises-exception" in cell["metadata"].get("tags", []), \
                    f"{where} shows an unexpected error: {out['ename']}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"
                        and "Warning" in "".join(out["text"])), f"{where} shows a warning"


def test_every_equation_is_asserted():
    seen = asserted_equations()
    assert sorted(seen) == list(range(1, 61)), \
        f"equations without an asserting '# Eq. (N)' cell: {sorted(set(range(1, 61)) - set(seen))}"


def test_execution_counts_run_in_order():
    # a clean top-to-bottom run numbers the cells 1, 2, 3, ...: a hand-run shows gaps
    for path in NOTEBOOKS:
        counts = [c["execution_count"] for c in cells(path)
                  if c["cell_type"] == "code" and c["execution_count"] is not None]
        assert counts == list(range(1, len(counts) + 1)), f"{path.name}: {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_equation_cell_can_fail(path):
    bad = [f"{path.name} cell {i} (# Eq. ({first}){f'-({last})' if last != first else ''}): {p}"
           for i, first, last, source in equation_cells(path)
           for p in equation_cell_problems(source)]
    assert not bad, "equation cells that cannot fail:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_literal_boolean_is_printed(path):
    bad = [f"{path.name} cell {i}: {p}" for i, cell in enumerate(cells(path))
           if cell["cell_type"] == "code" for p in printed_literal_booleans(code(cell))]
    assert not bad, "printed literal booleans (print the computed value):\n" + "\n".join(bad)


# the checks themselves: each flags what it must and passes an honest cell
@pytest.mark.parametrize("source", [
    "# Eq. (7)\nprint(np.allclose(a, b))",
    "# Eq. (7)\nok = np.allclose(a, b)\nok",
    "# Eq. (9)\nassert np.allclose(a, a)",
    "# Eq. (9)\nassert x == x",
    "# Eq. (9)\nassert x == y == y",
    "# Eq. (9)\nassert np.array_equal(cl.vec(v), cl.vec(v)), 'same'",
    "# Eq. (9)\nassert np.all(np.isclose(K.T @ v, K.T @ v, atol=1e-9))",
    "# Eq. (9)\nnp.testing.assert_allclose(cl.conv2d(x, f), cl.conv2d(x, f))",
    "# Eq. (9)\nassert True",
    "# Eq. (9)\nassert np.allclose(a, b)\nassert a is a",
    "# Eq. (9)\nw_next = w - eta * grad(w)\nassert np.allclose(w_next, w - eta * grad(w))",
    "# Eq. (9)\nz = loss(x)\nassert loss(x) == z",
])
def test_equation_check_flags_cells_that_cannot_fail(source):
    assert equation_cell_problems(source)


@pytest.mark.parametrize("source", [
    "# Eq. (12)\nassert np.allclose(cl.conv2d(x, f), loops(x, f), atol=1e-12)",
    "# Eq. (12)\nnp.testing.assert_allclose(cl.im2col(x, 2) @ F, Y)",
    "# Eq. (12)\n%matplotlib inline\nassert_close(dzdx, numeric)",
    "# Eq. (12)\nassert y[0, 0] == 1 * 0 + 2 * 1 + 3 * 4 + 4 * 5\nprint('y =', y)",
    "# Eq. (12)\nfor k in range(3):\n    assert abs(z[k] - w[k]) < 1e-8",
    "# Eq. (9)\nw_next = w - eta * grad(w)\nassert np.allclose(w_next, w - eta * numeric(w))",
    "# Eq. (9)\nassert np.allclose(w, v)\nw = v",
])
def test_equation_check_passes_cells_that_can_fail(source):
    assert equation_cell_problems(source) == []


@pytest.mark.parametrize("source, flagged", [
    ("print('same:', True)", True),
    ("print('unpooling gives the photo back: False')", True),
    ("print(f'equal: {False}')", True),
    ("print('x', end='False')", True),
    ("print('same:', np.array_equal(a.forward(x, keep=False), b))", False),
    ("print('equal:', np.allclose(a, b))", False),
    ("print(f'equal: {np.allclose(a, b)}')", False),
    ("print('Trueness is not a word here'); flag = True", False),
])
def test_literal_boolean_check(source, flagged):
    assert bool(printed_literal_booleans(source)) == flagged


def _figure_cell(alt=None):
    cell = {"cell_type": "code", "metadata": {}, "source": "plot()",
            "outputs": [{"output_type": "display_data", "data": {"image/png": "iVBOR"}}]}
    if alt is not None:
        cell["metadata"]["mystnb"] = {"image": {"alt": alt}}
    return cell


@pytest.mark.parametrize("alt, flagged", [
    (None, True), ("", True), ("_images/3f2a9c.png", True), ("figure", True),
    ("Figure 3: the loss against the step, falling fast then slowly", True),
    ("the loss", True), ("see ../figures/loss.svg for the loss falling over the steps", True),
    ("A line plot of the loss against the step: it falls fast, then slowly", False),
    ("Three grids: the input with its window shaded, the kernel, the output cell", False),
])
def test_alt_text_check(alt, flagged):
    assert bool(alt_text_problems(_figure_cell(alt))) == flagged
    assert alt_text_problems({"cell_type": "code", "metadata": {}, "outputs": []}) == []
