"""Run only the notebook cells an explorer's arguments need (tools/explorer_frames.py).

An explorer cell such as ``cl.digit_explorer(net, x_test, y_test, index=k)`` needs the values
the cells above it made.  Rather than running the whole notebook (chapter 12 would train six
networks for a table the explorer never reads), this runs a backward slice: the cells that bind
or may change a name the call reads, then the names those cells read, and so on (see _effects).
Literal arguments (``cl.conv_explorer(position=0, stride=2, pad=1)``) need no cell at all.
"""
import ast
import contextlib
import io
import os
import shutil
import tempfile
import warnings
from pathlib import Path


def _effects(source, modules):
    """(names a cell binds or may change, names it reads) at its top level.

    Binds: assignments, imports, defs.  May change: a store into ``name.attr`` or
    ``name[...]``, ``name += ...``, a method call ``name.f(...)``, ``name`` passed to a call;
    calls inside a def's body run only when the def is called (its call is what counts), and
    calls on modules (``np.mean``) change nothing the explorer reads."""
    tree = ast.parse(_python(source))
    changed, read = set(), set()

    def root(node):
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit(node, top):
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                   ast.Lambda, ast.ClassDef))
            if isinstance(child, ast.Name):
                (changed if isinstance(child.ctx, (ast.Store, ast.Del)) else read).add(child.id)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                changed.add(child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                changed.update((a.asname or a.name).split(".")[0] for a in child.names)
            elif isinstance(child, (ast.Attribute, ast.Subscript)) and isinstance(
                    child.ctx, (ast.Store, ast.Del)) or isinstance(child, ast.AugAssign):
                changed.add(root(child.target if isinstance(child, ast.AugAssign) else child))
            elif isinstance(child, ast.Call) and top:
                if isinstance(child.func, ast.Attribute) and root(child.func) not in modules:
                    changed.add(root(child.func))
                changed.update(root(a) for a in [*child.args, *(k.value for k in child.keywords)])
            visit(child, inner)

    visit(tree, True)
    return changed - {None}, read


def needed_cells(sources, call):
    """Indices of the cells (sources: the code cells before the explorer's, by index) that
    the explorer call needs: a backward slice from the names it reads (see _effects)."""
    modules = set()
    for src in sources.values():
        for node in ast.walk(ast.parse(_python(src))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules.update((a.asname or a.name).split(".")[0] for a in node.names)
    needed = {n.id for n in ast.walk(ast.parse(call)) if isinstance(n, ast.Name)}
    keep = []
    for k in sorted(sources, reverse=True):
        changed, read = _effects(sources[k], modules)
        if changed & needed:
            keep.append(k)
            needed |= read
    return sorted(keep)


def _python(source):
    from IPython.core.inputtransformer2 import TransformerManager
    return TransformerManager().transform_cell(source)


def explorer_arguments(path, index, call, cells, folder):
    """(args, kwargs) of the explorer call: literals as written, else evaluated after running,
    in a headless IPython shell, the notebook's code cells above it that it needs."""
    node = ast.parse(call, mode="eval").body
    try:
        return ([ast.literal_eval(a) for a in node.args],
                {k.arg: ast.literal_eval(k.value) for k in node.keywords})
    except ValueError:
        pass
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell
    tags = [c.get("metadata", {}).get("tags", []) for c in cells]
    sources = {k: c["source"] for k, c in enumerate(cells[:index])
               if c["cell_type"] == "code" and "nbval-skip" not in tags[k]}
    shell = InteractiveShell.instance()
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        for other in Path(folder).glob("*.ipynb"):  # a notebook may read itself or a sibling
            shutil.copy2(other, scratch)
        os.chdir(scratch)
        try:
            for k in needed_cells(sources, call):
                with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = shell.run_cell(sources[k], silent=True)
                plt.close("all")
                if not result.success and "raises-exception" not in tags[k]:
                    raise RuntimeError(f"{path.name}: cell {k} failed: "
                                       f"{result.error_in_exec or result.error_before_exec!r}")
            pack = ast.unparse(ast.Call(ast.Name("_explorer_args"), node.args, node.keywords))
            shell.user_ns["_explorer_args"] = lambda *a, **k: (a, k)
            return shell.ev(pack)
        finally:
            os.chdir(here)
