"""A reader's notebook: downloaded from the served site, run in a new environment.

Each test serves the site built for localhost (the ``site`` fixture),
downloads a chapter's notebook through the download menu of its page and
executes it with ``nbclient`` in a new virtual environment that starts with
a Jupyter kernel alone (no lock): the notebook's first cell installs the
site's wheel of ``dlbook``, whose dependencies pip resolves from the
registry (``dlbook_site.fresh_notebook``). The run's results must be the
page's within ``RELATIVE_TOLERANCE``.

- ``make test`` runs chapter 2;
- ``make notebook-check`` runs every chapter (the weekly workflow too);
- ``make test-oldest`` installs the oldest versions that ``pyproject.toml``
  declares, runs the package's unit tests with them, then chapter 2.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from dlbook_site.fresh_notebook import (
    RELATIVE_TOLERANCE,
    compare_results,
    create_environment,
    download_notebook,
    kernel_environment,
    recorded_results,
    run_chapter,
    run_notebook,
)
from dlbook_site.inputs import BOOK, notebooks
from dlbook_site.notebooks import wheel_of_install_cell
from dlbook_site.oldest_versions import lower_bounds, package_tests
from tests.conftest import ROOT

CHAPTERS = [p.relative_to(ROOT / BOOK).with_suffix("").as_posix()
            for p in notebooks(ROOT)]
#: The chapter that ``make test`` runs: it trains in about a minute.
IN_MAKE_TEST = "ch02_building_blocks"

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("chapter", [
    c if c == IN_MAKE_TEST else pytest.param(c, marks=pytest.mark.notebooks)
    for c in CHAPTERS])
def test_a_downloaded_notebook_runs_in_a_new_environment(site, chapter, tmp_path):
    notebook, executed = run_chapter(site, chapter, tmp_path)
    page, fresh = recorded_results(notebook), recorded_results(executed)
    print(_side_by_side(page, fresh))
    assert page, f"the page's notebook of {chapter} records no result"
    # The kernel's dlbook was the site's wheel, installed into the new
    # environment by the notebook's first cell, not the project's source.
    first = notebook.cells[0].source
    _, sha256 = wheel_of_install_cell(first)
    venv = tmp_path / "venv"
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import dlbook, importlib.metadata as m; print(dlbook.__file__); "
         "print(m.distribution('dlbook').read_text('direct_url.json'))"],
        capture_output=True, text=True, check=True,
        env=kernel_environment(os.environ, tmp_path / "keras"),
    ).stdout.splitlines()
    assert installed[0].startswith(str(venv)), installed
    assert json.loads(installed[1])["archive_info"]["hash"] == f"sha256={sha256}"
    assert not compare_results(page, fresh), (
        f"{chapter} run afresh differs from its page by more than "
        f"{RELATIVE_TOLERANCE:.0%}: {compare_results(page, fresh)}")


@pytest.mark.oldest
def test_the_oldest_supported_versions_pass_the_unit_tests_and_a_chapter(
        site, tmp_path):
    oldest = lower_bounds(ROOT / "pyproject.toml")
    kernels = create_environment(tmp_path / "venv",
                                 requirements=[*oldest, "pytest"])
    python = str(tmp_path / "venv" / "bin" / "python")
    # The package's unit tests and doctests, of the source (on the path, as
    # for make test, also for the interpreters that some tests start), with
    # pytest's settings from pyproject.toml.
    unit = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
         "--doctest-modules", "src/dlbook",
         *[str(p.relative_to(ROOT)) for p in package_tests(ROOT / "tests")]],
        cwd=ROOT, capture_output=True, text=True,
        env={**kernel_environment(os.environ, tmp_path / "keras-unit"),
             "PYTHONPATH": str(ROOT / "src")})
    assert unit.returncode == 0, unit.stdout[-6000:]
    notebook = download_notebook(site, IN_MAKE_TEST)
    executed = run_notebook(notebook, kernels, tmp_path)
    # The notebook's install cell kept the oldest versions: they satisfy
    # the wheel's ranges.
    installed = subprocess.run([python, "-m", "pip", "freeze"], check=True,
                               capture_output=True, text=True).stdout.lower()
    pinned = [r.lower() for r in oldest if "==" in r]
    assert all(r in installed.splitlines() for r in pinned), (pinned, installed)
    page, fresh = recorded_results(notebook), recorded_results(executed)
    print(_side_by_side(page, fresh))
    problems = compare_results(page, fresh)
    assert not problems, problems


def _side_by_side(page: dict, fresh: dict) -> str:
    """Each result, the page's and the run's (make's targets print it: -rP)."""
    return "\n".join(f"{key}: page {value:.4f}, run {fresh.get(key, float('nan')):.4f}"
                     for key, value in page.items())
