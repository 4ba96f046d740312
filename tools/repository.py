"""Where the course lives, written once: ``[project.urls] Repository`` in pyproject.toml.

    python tools/repository.py           # write README's Binder badge and clone line from it
    python tools/repository.py --check   # exit 1 if README is out of date

While the key is unset (the repository has no public location yet) README shows no badge
and the website (book/conf.py reads the same key) shows no Binder or repository button; its
JupyterLite button stays.  To publish, add one line under ``[project.urls]``:

    Repository = "https://github.com/<owner>/<name>"

then run this script and ``make book``.  README's two blocks it writes lie between
``<!--BINDER-->`` ... ``<!--/BINDER-->`` and ``<!--CLONE-->`` ... ``<!--/CLONE-->``.
"""
import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?")
BINDER_HUB = "https://mybinder.org"
BRANCH = "HEAD"     # Binder opens the default branch
START = "notebooks/00_index.ipynb"


def repository(pyproject=ROOT / "pyproject.toml"):
    """``(owner, name)`` of the course's GitHub repository, or None while it is unset.

    A value that is not ``https://github.com/<owner>/<name>`` is a ValueError (Binder's
    ``/v2/gh/`` links and the site's repository button need exactly that)."""
    urls = tomllib.loads(Path(pyproject).read_text(encoding="utf-8")).get(
        "project", {}).get("urls", {})
    url = urls.get("Repository")
    if url is None:
        return None
    m = GITHUB.fullmatch(url.strip()) if isinstance(url, str) else None
    if m is None:
        raise ValueError(f"pyproject.toml: [project.urls] Repository = {url!r} is not "
                         "https://github.com/<owner>/<name>")
    return m.group(1), m.group(2)


def repository_url(repo):
    return f"https://github.com/{repo[0]}/{repo[1]}"


def binder_url(repo, path=START):
    """The Binder link that opens ``path`` (relative to the repository) in JupyterLab."""
    return f"{BINDER_HUB}/v2/gh/{repo[0]}/{repo[1]}/{BRANCH}?urlpath=lab/tree/{path}"


def readme_blocks(repo):
    """{marker: text} of README's blocks for ``repo`` (None: the location is unset)."""
    if repo is None:
        badge = ("*Run it online:* a Binder badge goes here once the repository's public "
                 "location is set\n(one line in `pyproject.toml`, see [The website]"
                 "(#the-website)); until then use JupyterLite\n(`make book`) or your machine.")
        clone = ("Get the course's folder (a clone of its repository, or its unpacked archive) "
                 "and open a\nterminal in it.")
    else:
        badge = (f"[![Binder]({BINDER_HUB}/badge_logo.svg)]({binder_url(repo)})\n"
                 "  ← opens the course in JupyterLab in your browser, nothing to install "
                 "(the first start can take\n  several minutes while Binder builds the "
                 "environment; later starts are faster).")
        clone = (f"```\ngit clone {repository_url(repo)}.git cnn-for-dummies\n"
                 "cd cnn-for-dummies\n```")
    return {"BINDER": badge, "CLONE": clone}


def update_readme(check, readme=ROOT / "README.md", pyproject=ROOT / "pyproject.toml"):
    """Rewrite README's blocks from pyproject.toml; True when README was (or is, with
    ``check``) out of date."""
    text = Path(readme).read_text(encoding="utf-8")
    new = text
    for marker, block in readme_blocks(repository(pyproject)).items():
        pattern = re.compile(rf"<!--{marker}-->\n.*?<!--/{marker}-->\n", re.S)
        if not pattern.search(new):
            raise ValueError(f"{readme}: no <!--{marker}--> ... <!--/{marker}--> block")
        new = pattern.sub(lambda _: f"<!--{marker}-->\n{block}\n<!--/{marker}-->\n", new)
    if new != text and not check:
        Path(readme).write_text(new, encoding="utf-8")
    return new != text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    check = parser.parse_args(argv).check
    stale = update_readme(check)
    if stale:
        print(("out of date: " if check else "updated: ") + "README.md")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
