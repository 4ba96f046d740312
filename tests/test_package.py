"""The package's house: the name table, who imports whom, module sizes, optional dependencies.

cnnlib serves every public name from the top level: the math at once, the rest
(network, data, views) from the explicit table ``cnnlib._SERVED`` on first use.  Inside the
package every import of our own is relative and no module reaches into another's private
names.  tests/ mirrors the package, and the sweeps of bad arguments cover the whole math.
"""
import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import cnnlib as cl

PACKAGE = Path(cl.__file__).parent
MATH = ("tensor", "gradcheck", "im2col", "indicator", "conv", "pool", "reverse", "relu", "loss")
# the argument checks, the window rules, the .npz file; conv2d's fast path (used by conv)
PRIVATE = ("_checks", "_window", "_npz", "_convfast")
NETWORK = ("layers", "loss_layers", "net")
OPTIONAL = ("matplotlib", "ipywidgets", "IPython", "sklearn")


def modules():
    """Every module of cnnlib as a dotted name relative to the package: "conv", "views.draw"."""
    return sorted(".".join(p.relative_to(PACKAGE).with_suffix("").parts)
                  for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def source(module):
    """The text of cnnlib's module ``module`` ("conv", "views.draw")."""
    return PACKAGE.joinpath(*module.split(".")).with_suffix(".py").read_text()


def our_imports(name):
    """The cnnlib modules that module ``name`` imports (relative imports resolved; a name
    that ``from . import`` takes from the package's namespace counts as "__init__")."""
    package = name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source(name))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            if node.module:
                found.add(".".join(base + node.module.split(".")))
            else:
                for a in node.names:
                    module = ".".join(base + [a.name])
                    found.add(module if module in modules() or
                              PACKAGE.joinpath(*base, a.name).is_dir() else "__init__")
    return found


@pytest.mark.parametrize("module", sorted(cl._SERVED))
def test_table_matches_each_modules_all(module):
    mod = importlib.import_module(f"cnnlib.{module}")
    assert tuple(mod.__all__) == cl._SERVED[module]
    for name in mod.__all__:
        assert getattr(cl, name) is getattr(mod, name), name


def test_every_figure_step_and_explorer_of_a_view_is_served():
    for module in (m for m in modules() if m.startswith("views.")):
        mod = importlib.import_module(f"cnnlib.{module}")
        shown = {n for n, v in vars(mod).items() if callable(v) and not n.startswith("_")
                 and getattr(v, "__module__", "") == mod.__name__
                 and (n.startswith("draw_") or n.endswith(("_figure", "_step", "_explorer",
                                                            "_summary")))}
        assert shown <= set(getattr(mod, "__all__", ())), (module, shown)


def test_no_name_is_served_twice_nor_hides_the_math():
    served = [n for names in cl._SERVED.values() for n in names]
    assert len(served) == len(set(served))
    math = {n for m in MATH for n in importlib.import_module(f"cnnlib.{m}").__all__}
    assert not math & set(served)
    assert all(getattr(cl, n) is not None for n in math)
    assert set(served) | math <= set(dir(cl))


def test_unknown_names_are_missing_not_errors():
    assert hasattr(cl, "no_such_name") is False
    with pytest.raises(AttributeError, match="no_such_name"):
        cl.no_such_name


def test_who_imports_whom():
    """The private modules (argument checks, window rules, .npz reading, conv2d's fast path)
    import only each other; the math imports only the math and those; the network the math
    and itself; data only the private modules; views anything; nothing outside views imports
    a view; bench (the speed table) the math, the network and benchconv (its profile and
    PyTorch column), which imports the math; the exercises (cl.check, its cases and catalogue
    of mistakes, the capstone) the math, the network, data and themselves."""
    for module in modules():
        imports = our_imports(module)
        top = {m.split(".")[0] for m in imports}
        if module in PRIVATE:
            assert top <= set(PRIVATE), (module, imports)
        elif module in MATH:
            assert top <= set(MATH + PRIVATE), (module, imports)
        elif module in NETWORK:
            assert top <= set(MATH + PRIVATE + NETWORK), (module, imports)
        elif module == "data":
            assert top <= set(PRIVATE), (module, imports)
        elif module in ("bench", "benchconv"):
            # bench --explorers times the explorers through the package's namespace, which
            # imports the view on first use
            allowed = MATH + PRIVATE + NETWORK + (("benchconv", "__init__")
                                                  if module == "bench" else ())
            assert top <= set(allowed), (module, imports)
        elif module.startswith("exercises."):
            assert top <= set(MATH + PRIVATE + NETWORK + ("data", "exercises")), (module, imports)
        if not module.startswith("views."):
            assert "views" not in top, (module, imports)


def test_no_module_imports_another_modules_privates():
    for module in modules():
        for node in ast.walk(ast.parse(source(module))):
            if isinstance(node, ast.ImportFrom) and node.level:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (module, node.module, private)


def absolute_imports(text):
    """(line, what) for each import of cnnlib by its absolute name in the module ``text``:
    ``import cnnlib``, ``import cnnlib.x``, ``from cnnlib.x import y``, or
    ``importlib.import_module("cnnlib.x")``.  Inside the package every import of our own is
    relative: who-imports-whom (above) reads only those, an absolute import passes unseen."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Call) and node.args and \
                isinstance(node.args[0], ast.Constant) and \
                ast.unparse(node.func) in ("importlib.import_module", "__import__"):
            names = [str(node.args[0].value)]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] == "cnnlib"]
    return sorted(found)


# the public API of collections.namedtuple: an underscore only keeps it apart from the fields
NAMEDTUPLE = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}


def private_reaches(text):
    """(line, what) for each private attribute ``a._x`` that the module ``text`` reads or
    writes across modules: ``module._x`` of a module it imported (``conv._batch_inner``), or
    ``obj._x`` where _x is none of the module's own names (``fig._suptitle``: matplotlib's).
    Its own are self._x and cls._x, and any _x it defines: in a class body, or as an attribute
    it assigns somewhere (``ax._cnn_matrix = ...`` on a matplotlib Axes of its own making)."""
    tree = ast.parse(text)
    imported, own = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ClassDef):
            own |= {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            own |= {t.id for n in node.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                    for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                    if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            own.add(node.attr)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            continue
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        if owner in imported or (owner not in ("self", "cls") and node.attr not in own
                                 and node.attr not in NAMEDTUPLE):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


GOOD_MODULE = """
from . import conv
from .conv import conv2d
from collections import namedtuple
Pair = namedtuple("Pair", "a b")
class Layer:
    _registry = {}
    def __init__(self):
        self._x = None
    def _helper(self, other):
        return other._x, other._helper, Layer._registry, cls_of(self)._registry
def mark(ax):
    ax._cnn_mark = True
    return ax._cnn_mark, Pair(1, 2)._replace(a=3), conv.conv2d, vars(conv).__doc__
"""
BAD_MODULE = """
import cnnlib
import cnnlib.conv as c
from cnnlib.pool import maxpool2d
from cnnlib import relu
import importlib
from . import conv, _window
net = importlib.import_module("cnnlib.net")
y = conv._batch_inner(1) + _window._reach
title = fig._suptitle
"""


def test_the_two_checks_on_a_small_module():
    assert absolute_imports(GOOD_MODULE) == [] and private_reaches(GOOD_MODULE) == []
    assert absolute_imports(BAD_MODULE) == [(2, "cnnlib"), (3, "cnnlib.conv"),
                                            (4, "cnnlib.pool"), (5, "cnnlib"),
                                            (8, "cnnlib.net")]
    assert private_reaches(BAD_MODULE) == [(9, "_window._reach"), (9, "conv._batch_inner"),
                                           (10, "fig._suptitle")]


@pytest.mark.parametrize("module", modules())
def test_no_absolute_import_of_cnnlib(module):
    assert absolute_imports(source(module)) == []


# reaches a module cannot do without yet, strict so that the mark goes as soon as it stops:
# the explorers' canvas draws each glyph from FT2Font's own layout and bitmaps, which no public
# matplotlib API gives (one glyph at a sub-pixel offset), and halves a frame's CPU time so
# (issue 22: backward 140-150 -> 70-85 ms per move, pooling 160-190 -> 80-100)
ELSEWHERE = {"views.canvas": "FT2Font._layout, _set_transform, _render_glyph: matplotlib's "
                             "glyph cache, no public route (see the comment)"}


@pytest.mark.parametrize("module", [
    pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=ELSEWHERE[m]))
    if m in ELSEWHERE else m for m in modules()])
def test_no_module_reaches_into_another_modules_privates(module):
    assert private_reaches(source(module)) == []


@pytest.mark.parametrize("module", modules())
def test_no_module_over_300_lines(module):
    assert len(source(module).splitlines()) <= 300


# ---------------------------------------------------------------- tests/ mirrors the package
TESTS = Path(__file__).parent
# the test files that check the repository as a whole, not one module
WHOLE = {"test_package", "test_notebooks", "test_index", "test_examples", "test_binder",
         "test_mutants", "test_student_edition", "test_exercises_in_notebooks",
         "test_errata"}


def test_each_test_file_is_named_after_the_module_it_tests():
    """tests/test_X.py tests cnnlib/X.py, tests/views/test_X.py cnnlib/views/X.py, and
    tests/exercises/test_X.py cnnlib/exercises/X.py."""
    for folder in ("", "views", "exercises"):
        for path in sorted(TESTS.joinpath(folder).glob("test_*.py")):
            if path.stem not in WHOLE:
                assert PACKAGE.joinpath(folder, path.name[5:]).is_file(), path.relative_to(TESTS)


@pytest.mark.parametrize("module", MATH)
def test_the_sweeps_cover_every_public_function_of_the_math(module):
    """Each math module's test file lists every public function of the module in GOOD_CALLS,
    over which it runs the sweeps of tests/sweeps.py: a wrong kind of argument, and for a
    function with a window a bad stride or pad."""
    tests = importlib.import_module(f"test_{module}")
    public = importlib.import_module(f"cnnlib.{module}").__all__
    assert set(tests.GOOD_CALLS) == set(public)
    assert callable(tests.test_a_wrong_kind_is_named)
    if any("stride" in inspect.signature(getattr(cl, name)).parameters for name in public):
        assert callable(tests.test_a_bad_stride_or_pad_is_named)


BLOCKER = """
import importlib.abc, sys
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked by the test)",
                                      name=name)
sys.meta_path.insert(0, Absent())
"""

WITHOUT_OPTIONAL = """
import numpy as np
import cnnlib as cl
assert not hasattr(cl, "no_such_name")
x = np.random.default_rng(0).random((8, 8, 1, 4))
y = cl.conv2d(x, np.ones((3, 3, 1, 2)), pad=1)
dzdx, dzdf, dzdb = cl.conv2d_backward(x, np.ones((3, 3, 1, 2)), np.ones_like(y), pad=1)
assert cl.maxpool2d(y, 2).shape == (4, 4, 2, 4) and cl.conv_indicator((4, 4), 2).shape == (36, 16)
net = cl.digits_cnn(seed=0)
opt = cl.SGD(net, lr=0.05)
z0 = cl.train_step(net, opt, x, np.arange(4))
assert np.isfinite(z0) and cl.Sequential is type(net) and cl.Conv2d is type(net.layers[0])
assert cl.check("maxpool2d", cl.maxpool2d).ok and cl.check_network({{"relu": cl.relu}}).ok
import cnnlib.bench
try:
    cl.conv_explorer
except ModuleNotFoundError as err:
    print("views need:", err.name)
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & {blocked!r})
print("loaded:", loaded)
"""


def test_math_and_network_run_without_matplotlib_ipywidgets_sklearn():
    code = BLOCKER.format(blocked=set(OPTIONAL)) + WITHOUT_OPTIONAL.format(blocked=set(OPTIONAL))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "loaded: []" in run.stdout
    assert "views need: matplotlib" in run.stdout or "views need: ipywidgets" in run.stdout
