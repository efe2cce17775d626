"""Each chapter as a Jupyter notebook to download, and a button for Colab.

MyST-NB turns every chapter into a notebook and executes it at build time.
For each chapter page this extension

- writes that executed notebook, outputs included, to
  ``_sources/<docname>.ipynb`` in the site, with one cell added at the top
  that installs ``dlbook`` when it is missing (:func:`add_install_cell`),
  so that the notebook also runs on Colab or any fresh Jupyter;
- lists it in the theme's download menu, beside the ``.md`` source;
- adds a "Colab" launch button that opens the published copy of that
  notebook. Colab opens notebooks from GitHub only, so the button points at
  the branch that the site is published from (``gh-pages``, see the
  ``dlbook_pages_branch`` setting) of the repository given by the theme's
  ``repository_url``.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.notebooks"]``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from sphinx.application import Sphinx

#: Marks the added first cell, so that it is never added twice.
INSTALL_CELL_TAG = "dlbook-install"

_INSTALL_SOURCE = '''\
# Run on Colab or in a fresh Jupyter: install dlbook, the book's package,
# with what its chapters import, when it is missing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("dlbook") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q",
                           "dlbook[notebook] @ git+{repository}@{branch}"])'''


def install_cell_source(repository_url: str, branch: str = "main") -> str:
    """The code of the cell that installs ``dlbook`` from its repository.

    Examples
    --------
    >>> src = install_cell_source("https://github.com/me/dlbook")
    >>> src.splitlines()[-1].strip()
    '"dlbook[notebook] @ git+https://github.com/me/dlbook@main"])'
    >>> compile(src, "install", "exec") is not None
    True
    """
    if not repository_url.startswith("https://"):
        raise ValueError(
            f"repository_url must be an https:// URL, got {repository_url!r}; "
            "set DLBOOK_REPOSITORY_URL to your repository's address."
        )
    return _INSTALL_SOURCE.format(
        repository=repository_url.rstrip("/"), branch=branch
    )


def add_install_cell(
    notebook: nbformat.NotebookNode, repository_url: str, branch: str = "main"
) -> nbformat.NotebookNode:
    """Return a copy of ``notebook`` whose first cell installs ``dlbook``.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A version-4 notebook, such as the one MyST-NB executed.
    repository_url : str
        The https address of the repository that ``pip`` installs from.
    branch : str, default="main"
        The branch to install.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    >>> out = add_install_cell(nb, "https://github.com/me/dlbook")
    >>> [c.source.splitlines()[0][:20] for c in out.cells]
    ['# Run on Colab or in', '1']
    >>> len(add_install_cell(out, "https://github.com/me/dlbook").cells)
    2
    >>> len(nb.cells)
    1
    """
    result = copy.deepcopy(notebook)
    cells = [
        c for c in result.cells
        if INSTALL_CELL_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    cell = nbformat.v4.new_code_cell(
        install_cell_source(repository_url, branch),
        metadata={"tags": [INSTALL_CELL_TAG]},
    )
    cell.pop("id", None)
    if result.nbformat_minor >= 5:
        cell["id"] = INSTALL_CELL_TAG
    result.cells = [cell, *cells]
    return result


def _repository(app: Sphinx) -> str | None:
    return app.config.html_theme_options.get("repository_url") or None


def _executed_notebook(app: Sphinx, pagename: str) -> Path:
    return Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"


def _with_cached_outputs(app: Sphinx, notebook):
    """The notebook with the outputs of its execution, from MyST-NB's cache.

    MyST-NB writes to its output folder the notebook it read: with outputs
    when it has just executed it, without them when its execution cache
    served the outputs. The cache holds them either way.
    """
    config = app.env.mystnb_config
    if config.execution_mode != "cache" or not config.execution_cache_path:
        return notebook
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(config.execution_cache_path).merge_match_into_notebook(
            notebook)
    except KeyError:  # not in the cache: keep what MyST-NB wrote
        return notebook
    return merged


def publish_notebook(app, pagename, templatename, context, doctree) -> None:
    """Write the chapter's notebook to ``_sources`` (``html-page-context``).

    Runs before the theme builds its buttons, so that the theme's download
    menu lists the notebook (it reads ``ipynb_source``).
    """
    executed = _executed_notebook(app, pagename)
    repository = _repository(app)
    if doctree is None or repository is None or not executed.is_file():
        return
    notebook = _with_cached_outputs(app, nbformat.read(executed, as_version=4))
    notebook = add_install_cell(notebook, repository)
    nbformat.validate(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def add_colab_button(app, pagename, templatename, context, doctree) -> None:
    """Add the "Colab" launch button (``html-page-context``, after the theme)."""
    # The theme splits repository_url into these for its own buttons; they
    # exist only for a GitHub repository, the one kind Colab can open.
    owner, repo = context.get("github_user"), context.get("github_repo")
    if not context.get("ipynb_source") or not (owner and repo):
        return
    url = (
        f"https://colab.research.google.com/github/{owner}/{repo}/blob/"
        f"{app.config.dlbook_pages_branch}/_sources/{pagename}.ipynb"
    )
    context["header_buttons"].insert(0, {
        "type": "group",
        "tooltip": "Launch interactive content",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [{
            "type": "link",
            "text": "Colab",
            "tooltip": "Open this chapter as a notebook on Colab",
            "icon": "_static/images/logo_colab.png",
            "url": url,
        }],
    })


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_pages_branch", "gh-pages", "html", str)
    app.connect("html-page-context", publish_notebook, priority=400)
    app.connect("html-page-context", add_colab_button, priority=600)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
