"""Each chapter as a Jupyter notebook to download, and a button for Colab.

MyST-NB turns every chapter into a notebook and executes it at build time.
For each chapter page this extension

- writes that executed notebook, outputs included, to
  ``_sources/<docname>.ipynb`` in the site, with one cell added at the top
  that installs the ``dlbook`` that the build ran it with
  (:func:`add_install_cell`), so that the notebook also runs on Colab or
  any fresh Jupyter: once per build, before any page is written, the
  extension builds the wheel of ``dlbook`` into the site
  (:func:`dlbook_site.wheel.publish_wheel`, ``_wheels/<hash>/``), and the
  cell installs that file from the site's address (``dlbook_site_url``),
  pinned by its sha256;
- lists it in the theme's download menu, beside the ``.md`` source;
- adds a "Colab" launch button that opens the published copy of that
  notebook. Colab opens notebooks from GitHub only, so the button points at
  the branch that the site is published from (``gh-pages``, see the
  ``dlbook_pages_branch`` setting) of the repository given by the theme's
  ``repository_url``.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.notebooks"]`` and
``dlbook_site_url``, the address that the site is served from (see
:func:`dlbook_site.wheel.site_url`); ``dlbook_package_root``, the folder of
the package's ``pyproject.toml``, defaults to the configuration's folder.
"""

from __future__ import annotations

import copy
import re
import string
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

from dlbook_site.wheel import publish_wheel

logger = logging.getLogger(__name__)

#: Marks the added first cell, so that it is never added twice.
INSTALL_CELL_TAG = "dlbook-install"

# pip does not reinstall a dlbook of the same version, wherever it came from,
# unless forced (its resolver, resolution/resolvelib/resolver.py): hence the
# check of the installed copy's direct_url.json and --force-reinstall.
_INSTALL_SOURCE = string.Template('''\
# Run on Colab or in a fresh Jupyter: install dlbook, the book's package, as
# this notebook was built with it (the wheel published with the site, which
# pip checks against its sha256), and what the chapters import. Where that
# very wheel is installed already, it does nothing.
import importlib.metadata
import json
import subprocess
import sys

URL = "$url"
SHA256 = "$sha256"
try:
    dist = importlib.metadata.distribution("dlbook")
    installed = json.loads(dist.read_text("direct_url.json") or "{}")
except importlib.metadata.PackageNotFoundError:
    installed = {}
if installed.get("archive_info", {}).get("hash") != f"sha256={SHA256}":
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    # This very wheel, in place of any other dlbook; then its dependencies.
    subprocess.check_call([*pip, "--force-reinstall", "--no-deps",
                           f"dlbook @ {URL}#sha256={SHA256}"])
    subprocess.check_call([*pip, f"dlbook[notebook] @ {URL}#sha256={SHA256}"])''')

_URL_LINE = re.compile(r'^URL = "(?P<url>[^"]+)"$', re.MULTILINE)
_SHA256_LINE = re.compile(r'^SHA256 = "(?P<sha256>[0-9a-f]{64})"$', re.MULTILINE)


def install_cell_source(wheel_url: str, sha256: str) -> str:
    """The code of the cell that installs the site's wheel of ``dlbook``.

    Parameters
    ----------
    wheel_url : str
        The wheel's http(s) address, with no fragment.
    sha256 : str
        The wheel's sha256, in hex: pip refuses a file with another.

    Examples
    --------
    >>> url = "https://me.github.io/dlbook/_wheels/ab/dlbook-0.1.0-py3-none-any.whl"
    >>> src = install_cell_source(url, 64 * "0")
    >>> [line for line in src.splitlines() if line.startswith(("URL", "SHA"))]
    ['URL = "https://me.github.io/dlbook/_wheels/ab/dlbook-0.1.0-py3-none-any.whl"', \
'SHA256 = "0000000000000000000000000000000000000000000000000000000000000000"']
    >>> compile(src, "install", "exec") is not None
    True
    >>> wheel_of_install_cell(src) == (url, 64 * "0")
    True
    """
    parts = urlsplit(wheel_url)
    if (parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment
            or not parts.path.endswith(".whl") or set(wheel_url) & set('"\\')):
        raise ValueError(
            f"the wheel's address must be an http(s):// URL of a .whl file with "
            f"no #fragment, got {wheel_url!r}; check dlbook_site_url (set "
            "DLBOOK_SITE_URL to the address the site is served from)."
        )
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(
            f"sha256 must be 64 lowercase hex digits, got {sha256!r}: pass "
            "dlbook_site.wheel.sha256_of(<the wheel>)."
        )
    return _INSTALL_SOURCE.substitute(url=wheel_url, sha256=sha256)


def wheel_of_install_cell(source: str) -> tuple[str, str] | None:
    """The wheel's address and sha256 that an install cell names, if any."""
    url, sha256 = _URL_LINE.search(source), _SHA256_LINE.search(source)
    if url is None or sha256 is None:
        return None
    return url["url"], sha256["sha256"]


def add_install_cell(
    notebook: nbformat.NotebookNode, wheel_url: str, sha256: str
) -> nbformat.NotebookNode:
    """Return a copy of ``notebook`` whose first cell installs ``dlbook``.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A version-4 notebook, such as the one MyST-NB executed.
    wheel_url : str
        The http(s) address of the wheel of ``dlbook`` that the site
        publishes (:func:`dlbook_site.wheel.publish_wheel`).
    sha256 : str
        That wheel's sha256, in hex.

    Examples
    --------
    >>> url = "https://me.github.io/dlbook/_wheels/ab/dlbook-0.1.0-py3-none-any.whl"
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    >>> out = add_install_cell(nb, url, 64 * "a")
    >>> [c.source.splitlines()[0][:20] for c in out.cells]
    ['# Run on Colab or in', '1']
    >>> len(add_install_cell(out, url, 64 * "b").cells)
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
        install_cell_source(wheel_url, sha256),
        metadata={"tags": [INSTALL_CELL_TAG]},
    )
    cell.pop("id", None)
    if result.nbformat_minor >= 5:
        cell["id"] = INSTALL_CELL_TAG
    result.cells = [cell, *cells]
    return result


def publish_site_wheel(app: Sphinx) -> None:
    """Build the wheel of ``dlbook`` into the site (``builder-inited``).

    Once per HTML build, before any page and so any notebook is written;
    the notebooks' install cell names it (:func:`publish_notebook`).
    """
    app.dlbook_wheel = None
    if app.builder.format != "html":
        return
    site = app.config.dlbook_site_url
    if not site or not site.endswith("/") or urlsplit(site).scheme not in (
            "http", "https"):
        raise ConfigError(
            f"dlbook_site_url must be the site's http(s) address, ending with "
            f"/, got {site!r}: set it in conf.py with "
            "dlbook_site.wheel.site_url(repository_url, "
            "os.environ.get('DLBOOK_SITE_URL'))."
        )
    root = Path(app.confdir, app.config.dlbook_package_root)
    wheel, address = publish_wheel(root, Path(app.outdir))
    app.dlbook_wheel = (site + address, wheel.sha256)
    logger.info("the notebooks install %s (sha256 %s)", address, wheel.sha256)


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
    wheel = getattr(app, "dlbook_wheel", None)
    if doctree is None or wheel is None or not hasattr(app.env, "mystnb_config"):
        return
    executed = _executed_notebook(app, pagename)
    if not executed.is_file():
        return
    notebook = _with_cached_outputs(app, nbformat.read(executed, as_version=4))
    notebook = add_install_cell(notebook, *wheel)
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
    # Every page's notebook names it: a new address writes every page again.
    app.add_config_value("dlbook_site_url", "", "html", str)
    app.add_config_value("dlbook_package_root", ".", "", str)
    app.connect("builder-inited", publish_site_wheel)
    app.connect("html-page-context", publish_notebook, priority=400)
    app.connect("html-page-context", add_colab_button, priority=600)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
