"""The package's house: the name table, who imports whom, module sizes, optional dependencies.

cnnlib serves every public name from the top level: the math at once, the rest
(network, data, views) from the explicit table ``cnnlib._SERVED`` on first use.
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
    and itself; views anything; nothing outside views imports a view; bench (the speed table)
    the math, the network and benchconv (its profile and PyTorch column), which imports the
    math; the exercises (cl.check, its cases and catalogue of mistakes, the capstone) the
    math, the network, data and themselves."""
    for module in modules():
        imports = our_imports(module)
        top = {m.split(".")[0] for m in imports}
        if module in PRIVATE:
            assert top <= set(PRIVATE), (module, imports)
        elif module in MATH:
            assert top <= set(MATH + PRIVATE), (module, imports)
        elif module in NETWORK:
            assert top <= set(MATH + PRIVATE + NETWORK), (module, imports)
        elif module in ("data", "bench", "benchconv"):
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


@pytest.mark.parametrize("module", modules())
def test_no_module_over_300_lines(module):
    assert len(source(module).splitlines()) <= 300


# ---------------------------------------------------------------- tests/ mirrors the package
TESTS = Path(__file__).parent
# the test files that check the repository as a whole, not one module
WHOLE = {"test_package", "test_notebooks", "test_index", "test_examples", "test_binder",
         "test_mutants", "test_student_edition", "test_exercises_in_notebooks"}


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
