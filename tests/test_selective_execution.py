"""Only what changed re-executes: the four guarantees, on the real book.

The builds run ``make html`` in a copy of the project that starts with the
real build's execution cache (made by ``make html`` here, cold or warm),
so edits never touch the working tree. Which chapter imports which module
is read from the chapters' own dependency records, never typed here:

- a prose edit and an edit to the site's build code execute nothing;
- an edit to a module that one chapter imports (``dlbook/convolution.py``)
  executes that chapter alone;
- an edit to a module that every chapter imports executes them all.

The last guarantee is checked without running the whole book to its end,
which would cost a cold build: that build lets each cell run for one
second, so every chapter that executes fails at its first cell, and the
log says which chapters started. That a re-executed chapter runs to the
end, and its outputs are served afterwards, the chapter 5 test shows.

Marked slow: chapter 5 executes once (minutes on 2 cores).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.builds import copy_project, parse_log_line
from dlbook_site.dependencies import module_source
from dlbook_site.inputs import notebooks

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / "jupyter_cache"

pytestmark = pytest.mark.slow


def _run_make(project, *args):
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), *args,
         f"VENV={ROOT / '.venv'}"], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def _make(project, *args):
    returncode, log = _run_make(project, *args)
    assert returncode == 0, log[-6000:]
    return log


def _executed(log):
    events = filter(None, map(parse_log_line, log.splitlines()))
    return sorted({doc for event, doc, _ in events if event == "executing"})


def _append(project, relative, text):
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    _make(ROOT, "html")  # the real build: its cache seeds the copy's
    copy = copy_project(ROOT, tmp_path_factory.mktemp("selective") / "project")
    shutil.copytree(CACHE, copy / "_build" / "jupyter_cache")
    # Another folder: Sphinx reads every page again, the cache serves them.
    assert _executed(_make(copy, "html")) == []
    return copy


@pytest.fixture(scope="module")
def imports(project):
    """Chapter -> the dlbook modules its kernel imported, as recorded."""
    records = json.loads(_make(project, "-s", "execution-records"))
    found = records["dependencies"]
    assert sorted(found) == [p.stem for p in notebooks(ROOT)]
    return found


def _importers(imports, module):
    return sorted(doc for doc, modules in imports.items() if module in modules)


def test_prose_and_site_code_edits_execute_nothing(project):
    _append(project, "book/ch01_introduction.md", "\nOne more sentence.\n")
    _append(project, "src/dlbook_site/results.py", "\n# an edit to the site\n")
    assert _executed(_make(project, "html")) == []


def test_an_edit_to_one_chapters_module_executes_that_chapter_alone(
        project, imports):
    importers = _importers(imports, "dlbook.convolution")
    assert len(importers) == 1, importers  # chapter 5's, by its record
    _append(project, "src/dlbook/convolution.py", "\n# an edit\n")
    assert _executed(_make(project, "html")) == importers


def test_an_edit_to_a_module_every_chapter_imports_executes_them_all(
        project, imports):
    shared = set.intersection(*map(set, imports.values())) - {"dlbook"}
    assert shared, imports
    module = sorted(shared)[0]
    source = module_source(project, module)
    source.write_text(source.read_text(encoding="utf-8") + "\n# an edit\n",
                      encoding="utf-8")
    returncode, log = _run_make(
        project, "html", "SPHINXEXTRA=-D nb_execution_timeout=1 "
        "-D nb_execution_raise_on_error=0")
    assert returncode != 0, log[-3000:]  # every chapter stopped at a cell
    assert _executed(log) == sorted(imports), log[-3000:]
    assert log.count("Executing notebook failed: CellTimeoutError") == len(imports)
