"""Each chapter re-executes when a dlbook module its kernel imported changes.

Unit tests on tiny made-up modules and a real jupyter-cache in a temporary
folder; ``tests/test_selective_execution.py`` checks the real book.
"""

import json
import types
from pathlib import Path, PurePath

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from dlbook_site import dependencies
from dlbook_site.dependencies import (
    RECORD_VARIABLE,
    changed_modules,
    imported_modules,
    read_record,
    record_path,
    source_digest,
    write_record,
)
from dlbook_site.execution import doc_of_uri, stale_chapters


@pytest.fixture
def project(tmp_path):
    package = tmp_path / "src" / "dlbook"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text('"""dlbook."""\n')
    (package / "convolution.py").write_text("STRIDE = 1\n")
    (package / "text.py").write_text("WORDS = 10\n")
    (package / "sub" / "__init__.py").write_text("")
    return tmp_path


def _modules(project, *names):
    """A stand-in for sys.modules holding the project's modules ``names``."""
    found = {}
    for name in names:
        path = dependencies.module_source(project, name)
        found[name] = types.SimpleNamespace(__file__=str(path))
    return found


def _edit(project, name, text="\n# edited\n"):
    path = dependencies.module_source(project, name)
    path.write_text(path.read_text() + text)


def test_only_the_package_and_its_submodules_are_recorded(project):
    modules = _modules(project, "dlbook", "dlbook.convolution", "dlbook.sub")
    modules["dlbookish"] = modules["dlbook"]  # same prefix, other package
    modules["dlbook_site.inputs"] = modules["dlbook"]
    modules["dlbook.namespace"] = types.SimpleNamespace(__file__=None)
    assert list(imported_modules(modules)) == [
        "dlbook", "dlbook.convolution", "dlbook.sub"]


def test_an_edit_is_seen_in_the_modules_recorded_only(project):
    record = imported_modules(_modules(project, "dlbook", "dlbook.convolution"))
    assert changed_modules(record, project) == []
    _edit(project, "dlbook.text")  # not imported: no change
    assert changed_modules(record, project) == []
    _edit(project, "dlbook.convolution")
    assert changed_modules(record, project) == ["dlbook.convolution"]


def test_a_removed_module_counts_as_changed(project):
    record = imported_modules(_modules(project, "dlbook.text"))
    (project / "src" / "dlbook" / "text.py").unlink()
    assert changed_modules(record, project) == ["dlbook.text"]


def test_a_package_module_is_found_as_its_init(project):
    record = imported_modules(_modules(project, "dlbook.sub"))
    _edit(project, "dlbook.sub")
    assert changed_modules(record, project) == ["dlbook.sub"]


def test_records_round_trip_and_others_count_as_missing(tmp_path):
    path = record_path(tmp_path / "deps", "ch01")
    write_record(path, {"dlbook": "00"})
    assert read_record(path) == {"dlbook": "00"}
    assert read_record(tmp_path / "deps" / "none.json") is None
    path.write_text("{not json")
    assert read_record(path) is None
    path.write_text(json.dumps({"version": 0, "modules": {}}))
    assert read_record(path) is None
    assert changed_modules(None, tmp_path) is None


class _Events:
    def __init__(self):
        self.callbacks = {}

    def register(self, event, callback):
        self.callbacks.setdefault(event, []).append(callback)


def test_the_kernel_hook_records_after_every_cell(tmp_path, monkeypatch):
    shell = types.SimpleNamespace(events=_Events())
    target = tmp_path / "deps" / "ch05.json"
    assert dependencies.install(shell, {RECORD_VARIABLE: str(target)})
    assert read_record(target) is not None  # even before the first cell
    hook, = shell.events.callbacks["post_run_cell"]
    module = tmp_path / "convolution.py"
    module.write_text("STRIDE = 1\n")
    monkeypatch.setitem(__import__("sys").modules, "dlbook.fake",
                        types.SimpleNamespace(__file__=str(module)))
    hook(None)
    assert read_record(target)["dlbook.fake"] == source_digest(module)


def test_without_the_variable_the_kernel_records_nothing():
    shell = types.SimpleNamespace(events=_Events())
    assert not dependencies.install(shell, {})
    assert shell.events.callbacks == {}


# --- The build's side: which cached executions go -------------------------------


def _notebook(code):
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    notebook.cells.append(nbformat.v4.new_code_cell(code))
    return notebook


def _cache_execution(cache, uri, code):
    return cache.cache_notebook_bundle(
        CacheBundleIn(_notebook(code), uri), check_validity=False, overwrite=True)


@pytest.fixture
def cached_book(project, tmp_path):
    """A cache with one execution of a.md (convolution) and two of b.md (text),
    written in another checkout, and a record of each chapter's imports."""
    cache = get_cache(tmp_path / "cache")
    _cache_execution(cache, "/elsewhere/book/a.md", "import dlbook.convolution")
    _cache_execution(cache, "/elsewhere/book/b.md", "import dlbook.text  # v1")
    _cache_execution(cache, "/elsewhere/book/b.md", "import dlbook.text  # v2")
    records = tmp_path / "cache" / "dependencies"
    write_record(record_path(records, "a"),
                 imported_modules(_modules(project, "dlbook", "dlbook.convolution")))
    write_record(record_path(records, "b"),
                 imported_modules(_modules(project, "dlbook", "dlbook.text")))
    sources = {PurePath("a.md"): "a", PurePath("b.md"): "b"}
    return cache, sources, records


def _uris(cache):
    return sorted(Path(record.uri).name for record in cache.list_cache_records())


def test_an_edit_forgets_only_the_chapters_that_imported_the_module(
        project, cached_book):
    cache, sources, records = cached_book
    assert _uris(cache) == ["a.md", "b.md", "b.md"]
    _edit(project, "dlbook.convolution")
    assert stale_chapters(cache, sources, records, project) == {
        "a": ["dlbook.convolution"]}
    # b keeps its newest execution only: the older ran with older modules.
    assert _uris(cache) == ["b.md"]
    assert stale_chapters(cache, sources, records, project) == {}


def test_an_edit_to_a_module_both_import_forgets_both(project, cached_book):
    cache, sources, records = cached_book
    _edit(project, "dlbook")
    assert set(stale_chapters(cache, sources, records, project)) == {"a", "b"}
    assert _uris(cache) == []


def test_a_chapter_without_a_record_executes_again(project, cached_book):
    cache, sources, records = cached_book
    record_path(records, "a").unlink()
    assert stale_chapters(cache, sources, records, project) == {"a": None}


def test_a_cache_record_is_matched_to_its_page_from_any_checkout():
    sources = {PurePath("ch05.md"): "ch05", PurePath("part/ch05.md"): "part/ch05"}
    assert doc_of_uri("/a/book/part/ch05.md", sources) == "part/ch05"
    assert doc_of_uri("/a/book/ch05.md", sources) == "ch05"
    assert doc_of_uri("/a/book/ch06.md", sources) is None


def test_the_records_are_printed_for_the_benchmarks(project, tmp_path):
    from dlbook_site.execution import cache_path, records_folder
    from dlbook_site.records import execution_records
    from dlbook_site.time_split import TimeSplit

    (project / "requirements.lock").write_text("keras==3.15.1\n")
    cache_root = tmp_path / "caches"
    records = records_folder(cache_path(cache_root, project))
    write_record(record_path(records, "ch05"),
                 imported_modules(_modules(project, "dlbook", "dlbook.convolution")))
    split = TimeSplit(tmp_path / "split" / "ch05.json")
    split.totals["training"] = 2.5
    split.write()
    printed = execution_records(cache_root, tmp_path / "split", project)
    assert printed["dependencies"] == {"ch05": ["dlbook", "dlbook.convolution"]}
    assert printed["time_split"]["ch05"]["training"] == 2.5
    assert execution_records(cache_root, None, project)["time_split"] == {}
    # A page without exercises has no exercise cost.
    (project / "book").mkdir(exist_ok=True)
    (project / "book" / "ch05.md").write_text("# A chapter\n", encoding="utf-8")
    assert execution_records(cache_root, tmp_path / "split",
                             project)["exercise_cost"] == {}
