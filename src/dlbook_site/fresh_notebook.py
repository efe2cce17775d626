"""Run a chapter's notebook as a reader who downloads it would: a new environment.

:mod:`dlbook_site.copied_code` runs what a reader copies from a page. This
module runs what a reader downloads. Given a served site and a chapter, it

1. reads the chapter's page and follows the notebook link of its download
   menu (:func:`notebook_url`), as a reader's click would;
2. creates a new virtual environment that holds nothing but a Jupyter
   kernel (:func:`create_environment`): no lock file, no copy of the
   project. The notebook's first cell then installs the wheel of ``dlbook``
   that the site publishes, and pip resolves its dependencies from the
   package registry, as on Colab or in a reader's own project. Packages
   given as ``requirements`` (``make test-oldest``'s oldest supported
   versions) are installed first, so that pip keeps them where they
   satisfy the wheel's ranges;
3. executes the notebook top to bottom with ``nbclient`` in that
   environment's kernel (:func:`execute`), with the kernel's environment
   cleaned of the build's (:func:`kernel_environment`): the dataset mirror
   setting passes through, read-only as always;
4. compares the results the run recorded with those the page's notebook
   recorded (:func:`compare_results`), within :data:`RELATIVE_TOLERANCE`.

A whole chapter runs, so it is slow. ``tests/test_fresh_notebook.py`` runs
chapter 2 in ``make test`` and every chapter in ``make notebook-check``.

Usage: ``python -m dlbook_site.fresh_notebook URL [chapter ...]`` with the
address of a served site.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from nbformat import NotebookNode

from dlbook.results import MIME_TYPE, notebook_results  # noqa: F401 (doctests)

#: The class of the theme's download menu on a page.
DOWNLOAD_MENU = "dropdown-download-buttons"

#: The kernel's name in the new environment.
KERNEL_NAME = "dlbook-fresh"

#: How far a result of the new environment may lie from the page's, as a
#: fraction of the page's value. The new environment resolves its own
#: TensorFlow and Keras, whose kernels may round differently from the
#: build's; a different recipe or data would move a result further.
RELATIVE_TOLERANCE = 0.02

#: Settings of the build that must not reach a reader's kernel: the
#: project's source on the path would hide the installed wheel, and the
#: build's IPython folder would run its start-up hooks.
BUILD_ONLY_SETTINGS = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "IPYTHONDIR",
                       "KERAS_HOME", "KERAS_BACKEND", "JUPYTER_PATH")


class _DownloadLinks(HTMLParser):
    """Collects the ``href`` of every link inside the download menu."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self._depth = 0  # open elements inside the menu; 0: outside

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._depth:
            self._depth += 1
            if tag == "a" and attributes.get("href"):
                self.hrefs.append(attributes["href"])
        elif DOWNLOAD_MENU in (attributes.get("class") or "").split():
            self._depth = 1

    def handle_startendtag(self, tag, attrs):
        if self._depth and tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1


def notebook_url(html: str, page_url: str) -> str:
    """The address of the chapter's notebook in a page's download menu.

    Examples
    --------
    >>> page = ('<ul class="dropdown-download-buttons">'
    ...         '<li><a href="_sources/ch02.md">.md</a></li>'
    ...         '<li><a href="_sources/ch02.ipynb">.ipynb</a></li>'
    ...         '<li><a href="_sources/ch02-exercises.ipynb">x</a></li></ul>')
    >>> notebook_url(page, "http://127.0.0.1:8000/ch02.html")
    'http://127.0.0.1:8000/_sources/ch02.ipynb'
    >>> notebook_url("<p>no menu</p>", "http://127.0.0.1:8000/index.html")
    Traceback (most recent call last):
    ...
    ValueError: http://127.0.0.1:8000/index.html offers no chapter notebook ...
    """
    parser = _DownloadLinks()
    parser.feed(html)
    parser.close()
    notebooks = [h for h in parser.hrefs
                 if h.endswith(".ipynb") and not h.endswith("-exercises.ipynb")]
    if len(notebooks) != 1:
        raise ValueError(
            f"{page_url} offers no chapter notebook in its download menu "
            f"(links: {parser.hrefs}); give a chapter page of a built site.")
    return urljoin(page_url, notebooks[0])


def download(url: str) -> bytes:
    """The bytes served at ``url``."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def create_environment(folder: Path, *, requirements: Iterable[str] = (),
                       python: str = sys.executable) -> Path:
    """A new virtual environment holding a Jupyter kernel and nothing else.

    Parameters
    ----------
    folder : Path
        Where to create it; it must not exist yet.
    requirements : iterable of str
        Requirement specifiers that pip installs before the notebook runs
        (for example the oldest supported versions).
    python : str
        The interpreter that creates it.

    Returns
    -------
    Path
        The folder of kernel specifications to give :func:`execute`.
    """
    folder = Path(folder)
    if folder.exists():
        raise FileExistsError(f"{folder} exists; give a new folder for the "
                              "environment, so that nothing in it is replaced.")
    subprocess.run([python, "-m", "venv", str(folder)], check=True)
    venv_python = str(folder / "bin" / "python")
    subprocess.run([venv_python, "-m", "pip", "install", "-q", "ipykernel",
                    *requirements], check=True)
    subprocess.run([venv_python, "-m", "ipykernel", "install", "--prefix",
                    str(folder), "--name", KERNEL_NAME], check=True,
                   capture_output=True)
    return folder / "share" / "jupyter" / "kernels"


def kernel_environment(environ: Mapping[str, str], keras_home: Path) -> dict:
    """The kernel's environment: the reader's, without the build's settings.

    Keras gets a folder of its own, so that nothing is written outside the
    run's folder; the dataset mirror setting (``DLBOOK_DATA_DIR``) passes.

    Examples
    --------
    >>> env = kernel_environment({"PATH": "/bin", "PYTHONPATH": "src",
    ...                           "DLBOOK_DATA_DIR": "/data"}, Path("/tmp/k"))
    >>> sorted(env.items())
    [('DLBOOK_DATA_DIR', '/data'), ('KERAS_HOME', '/tmp/k'), ('PATH', '/bin')]
    """
    env = {k: v for k, v in environ.items() if k not in BUILD_ONLY_SETTINGS}
    env["KERAS_HOME"] = str(keras_home)
    return env


def execute(notebook: NotebookNode, kernels: Path, *, cwd: Path, env: Mapping[str, str],
            timeout: float = 3600) -> NotebookNode:
    """Execute a copy of a notebook top to bottom in the environment's kernel.

    Raises ``nbclient.exceptions.CellExecutionError`` (with the cell and
    its traceback) at the first cell that fails.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    node = copy.deepcopy(notebook)
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    client = NotebookClient(node, km=manager, timeout=timeout,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute(env=dict(env))
    return node


def recorded_results(notebook: Mapping) -> dict[str, float]:
    """Each result a notebook's outputs hold (``record_result``), by key.

    Examples
    --------
    >>> record = {"key": "k", "value": 0.9, "description": "d", "metric": "m"}
    >>> cell = {"cell_type": "code", "outputs": [{"output_type": "display_data",
    ...         "data": {"prefix/" + MIME_TYPE: record}}]}
    >>> recorded_results({"cells": [cell]})
    {'k': 0.9}
    """
    return {result.key: result.value for result in notebook_results(notebook)}


def compare_results(page: Mapping[str, float], fresh: Mapping[str, float],
                    tolerance: float = RELATIVE_TOLERANCE) -> list[str]:
    """What differs between the page's results and a new run's; [] if none.

    Examples
    --------
    >>> compare_results({"a": 0.88, "b": 2.5}, {"a": 0.881, "b": 2.9})
    ["b: 2.9 against the page's 2.5, more than 2% apart"]
    >>> compare_results({"a": 0.88}, {})
    ['a: recorded on the page, not by the run']
    """
    problems = []
    for key, value in page.items():
        if key not in fresh:
            problems.append(f"{key}: recorded on the page, not by the run")
        elif abs(fresh[key] - value) > tolerance * abs(value):
            problems.append(f"{key}: {fresh[key]:.4g} against the page's "
                            f"{value:.4g}, more than {tolerance:.0%} apart")
    problems += [f"{key}: recorded by the run, not on the page"
                 for key in fresh if key not in page]
    return problems


def download_notebook(site_url: str, chapter: str) -> NotebookNode:
    """A chapter's notebook, through the download menu of its page.

    ``site_url`` is the served site's address, ending in ``/``; ``chapter``
    the page's name, such as ``"ch02_building_blocks"``.
    """
    page_url = urljoin(site_url, f"{chapter}.html")
    url = notebook_url(download(page_url).decode("utf-8"), page_url)
    return nbformat.reads(download(url).decode("utf-8"), as_version=4)


def run_notebook(notebook: NotebookNode, kernels: Path, folder: Path, *,
                 environ: Mapping[str, str] = os.environ,
                 timeout: float = 3600) -> NotebookNode:
    """Execute a notebook in an environment's kernel, in ``folder/work``.

    Keras' folder is ``folder/keras``; the kernel's environment is made
    from ``environ`` by :func:`kernel_environment`.
    """
    work = Path(folder) / "work"
    work.mkdir()
    return execute(notebook, kernels, cwd=work, timeout=timeout,
                   env=kernel_environment(environ, Path(folder) / "keras"))


def run_chapter(site_url: str, chapter: str, folder: Path
                ) -> tuple[NotebookNode, NotebookNode]:
    """Download a chapter's notebook and run it in a new environment.

    Everything (the environment, Keras' files, the run's folder) goes in
    ``folder``, which must be empty. Returns the notebook as downloaded,
    with the page's outputs, and as the new environment executed it.
    """
    notebook = download_notebook(site_url, chapter)
    kernels = create_environment(Path(folder) / "venv")
    return notebook, run_notebook(notebook, kernels, folder)


def main(argv=None) -> int:
    """Run each chapter given (default: every one) against a served site."""
    from dlbook_site.inputs import BOOK, notebooks

    parser = argparse.ArgumentParser(prog="python -m dlbook_site.fresh_notebook",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("site", help="the served site's address")
    parser.add_argument("chapters", nargs="*",
                        help="page names (default: every chapter's)")
    args = parser.parse_args(argv)
    book = Path.cwd() / BOOK
    chapters = args.chapters or [p.relative_to(book).with_suffix("").as_posix()
                                 for p in notebooks(Path.cwd())]
    status = 0
    for chapter in chapters:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            notebook, executed = run_chapter(args.site, chapter, Path(folder))
        page, fresh = recorded_results(notebook), recorded_results(executed)
        problems = compare_results(page, fresh)
        seconds = time.perf_counter() - start
        print(f"{chapter}: {len(fresh)} results, "
              f"{'as on the page' if not problems else 'DIFFERENT'}, "
              f"in {seconds:.0f} s", flush=True)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        status = status or bool(problems)
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main())
