"""Sphinx configuration of the course website (`make book`; tools/build_book.py runs it).

The source directory is a copy of notebooks/ that tools/build_book.py makes
(`sphinx-build -c book COPY OUT`), so a page is named like its notebook
(04_convolution.ipynb -> 04_convolution.html) and the notebooks' links to one another
(`[...](05_im2col.ipynb)`) resolve to pages.  Nothing is executed: the pages show the outputs
committed with the notebooks.
"""
import shutil
import sys
from importlib.util import find_spec
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parents[1]

project = "CNN for Dummies — the companion"
author = "the CNN for Dummies companion course"
copyright = "the CNN for Dummies companion course (MIT licence); the note: Jianxin Wu"
html_title = "CNN for Dummies — the companion"
FOOTER = ("<p>The mathematics, its order and notation: <strong>Jianxin Wu</strong>, "
          "<em>CNN for Dummies</em> (Nanjing University). This site: the <em>CNN for "
          "Dummies</em> companion course, its notebooks and <code>cnnlib</code> (MIT licence); "
          "read the note alongside it.</p>")

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

# ---- where the course lives: [project.urls] Repository in pyproject.toml, read once ------------
# (tools/repository.py).  While it is unset the pages have no Binder and no repository button;
# the JupyterLite button, made from this site's own lite/, is always there.
sys.path.insert(0, str(ROOT / "tools"))
import repository  # noqa: E402

REPO = repository.repository()
LITE = "lite/lab/index.html"

html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": repository.repository_url(REPO) if REPO else "",
    "repository_branch": repository.BRANCH,
    "path_to_docs": "notebooks",
    "use_repository_button": REPO is not None,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    # Binder, and the JupyterLite site that `make book` builds beside the pages (lite/); the
    # theme makes launch buttons only for a repository: without one, _lite_button adds it
    "launch_buttons": {"binderhub_url": repository.BINDER_HUB, "notebook_interface": "jupyterlab",
                       "jupyterlite_url": LITE} if REPO else {},
    "navigation_with_keys": False,
    "navbar_persistent": [],       # the search field stays in the sidebar, not in a top bar
    "footer_content_items": ["extra-footer"],
    "extra_footer": FOOTER,
}
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "light"}
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False

# ---- math without a CDN: MathJax 3 from the sphinx-mathjax-offline package ------------------
# Only what tex-chtml.js loads is copied (about 3 MB of the package's 24 MB): the combined
# component, the TeX extensions it autoloads, the CHTML fonts, the menu and its a11y parts.
mathjax_path = "mathjax/tex-chtml.js"
_MATHJAX = (Path(find_spec("sphinx-mathjax-offline").submodule_search_locations[0])
            / "static" / "mathjax")
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


def _lite_button(app, pagename, templatename, context, doctree):
    """The JupyterLite launch button when the theme made none (it makes launch buttons only
    for a repository): the same dropdown, with JupyterLite alone."""
    buttons = context.get("header_buttons")
    if buttons is None or doctree is None or app.env.doc2path(pagename).suffix != ".ipynb":
        return
    if any(b.get("label") == "launch-buttons" for b in buttons):
        return
    buttons.insert(0, {
        "type": "group", "tooltip": "Launch interactive content", "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [{"type": "link", "text": "JupyterLite", "tooltip": "Launch via JupyterLite",
                     "icon": "_static/images/logo_jupyterlite.svg",
                     "url": f"{LITE}?path=notebooks/{pagename}.ipynb"}]})


def setup(app):
    app.add_post_transform(DisplayMathAsWritten)
    app.connect("html-page-context", _lite_button, priority=502)
    app.connect("build-finished", _copy_mathjax)
