"""Sphinx configuration of the course website (`make book`; tools/build_book.py runs it).

The source directory is a copy of notebooks/ that tools/build_book.py makes
(`sphinx-build -c book COPY OUT`), so a page is named like its notebook
(04_convolution.ipynb -> 04_convolution.html) and the notebooks' links to one another
(`[...](05_im2col.ipynb)`) resolve to pages.  Nothing is executed: the pages show the outputs
committed with the notebooks.
"""
import re
import shutil
from importlib.util import find_spec
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parents[1]

project = "CNN for Dummies — the companion"
author = "the course's authors"
copyright = "the course's authors (MIT licence); the note: Jianxin Wu"
html_title = "CNN for Dummies — the companion"

extensions = ["myst_nb", "sphinx_external_toc"]
external_toc_path = str(ROOT / "book" / "_toc.yml")
external_toc_exclude_missing = False
root_doc = "00_index"
exclude_patterns = ["**/.ipynb_checkpoints", "**/__pycache__"]

# MyST: the notebooks write math as $...$ and $$...$$ (Jupyter's markdown)
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "off"          # the committed outputs, as strict nbval checks them
nb_merge_streams = True

# ---- where the course lives: the README's Binder badge is the one place to change it --------
BINDER = re.search(r"https://mybinder\.org/v2/gh/([^/\s)]+)/([^/\s)]+)/([^?\s)]+)\?urlpath=lab/tree/",
                   (ROOT / "README.md").read_text(encoding="utf-8"))
if BINDER is None:
    raise RuntimeError("README.md has no Binder badge "
                       "(https://mybinder.org/v2/gh/OWNER/REPO/BRANCH?urlpath=lab/tree/...)")
OWNER, REPO, BRANCH = BINDER.groups()

html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": f"https://github.com/{OWNER}/{REPO}",
    "repository_branch": BRANCH,
    "path_to_docs": "notebooks",
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "notebook_interface": "jupyterlab",
        # the JupyterLite site that `make book` builds beside the pages (build/book/lite/)
        "jupyterlite_url": "lite/lab/index.html",
    },
    "navigation_with_keys": False,
    "navbar_persistent": [],       # the search field stays in the sidebar, not in a top bar
}
html_context = {"default_mode": "light"}
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False

# ---- math without a CDN: MathJax 3 from the sphinx-mathjax-offline package ------------------
# Only what tex-chtml.js loads is copied (about 3 MB of the package's 24 MB): the combined
# component, the TeX extensions it autoloads, the CHTML fonts, the menu and its a11y parts.
mathjax_path = "mathjax/tex-chtml.js"
_MATHJAX = Path(find_spec("sphinx-mathjax-offline").submodule_search_locations[0]) / "static" / "mathjax"
_MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml", "ui", "a11y"]


def _copy_mathjax(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / "mathjax"
    for part in _MATHJAX_PARTS:
        src = _MATHJAX / part
        if src.is_dir():
            shutil.copytree(src, dest / part, dirs_exist_ok=True)
        else:
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / part)


class DisplayMathAsWritten(SphinxPostTransform):
    r"""Show each $$...$$ block as Jupyter does: the author's TeX in one \[...\], untouched.

    Sphinx would wrap a block that contains a line break (\\, as in a pmatrix) in
    \begin{split}...\end{split}, where the notebooks' \tag{N} is a MathJax error.
    """
    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs):
        for node in self.document.findall(nodes.math_block):
            if node.get("nowrap") or node.get("number"):
                continue   # amsmath environments and labelled equations: Sphinx's own way
            node["nowrap"] = True
            node[:] = [nodes.Text(r"\[" + node.astext() + r"\]")]


def setup(app):
    app.add_post_transform(DisplayMathAsWritten)
    app.connect("build-finished", _copy_mathjax)
