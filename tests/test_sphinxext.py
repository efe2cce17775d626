"""Tests of the site's Sphinx extensions on files made here."""

import importlib.util
import json
import subprocess
import sys

import nbformat
import pytest

from dlbook.results import GLUE_PREFIX, MIME_TYPE, make_result
from dlbook_site.notebooks import (
    INSTALL_CELL_TAG,
    add_install_cell,
    install_cell_source,
)
from dlbook_site.results import read_glued_results, results_markdown

REPO = "https://github.com/someone/dlbook"


def _glue_file(tmp_path, records, extra=None):
    glue = {GLUE_PREFIX + r["key"]: {"data": {MIME_TYPE: r, "text/plain": "x"}}
            for r in records}
    glue.update(extra or {})
    path = tmp_path / "ch.glue.json"
    path.write_text(json.dumps(glue))
    return path


def test_only_recorded_results_are_read_back(tmp_path):
    records = [make_result(k, v, description="d", metric="m").to_dict()
               for k, v in (("a", 0.1), ("b", 0.2))]
    path = _glue_file(tmp_path, records, {"a_number": {"data": {"text/plain": "1"}}})
    assert [(r.key, r.value) for r in read_glued_results(path)] == [
        ("a", 0.1), ("b", 0.2)]


def test_a_result_glued_by_hand_is_refused_with_advice(tmp_path):
    path = tmp_path / "ch.glue.json"
    path.write_text(json.dumps({GLUE_PREFIX + "a": {"data": {"text/plain": "0.9"}}}))
    with pytest.raises(ValueError, match="record_result"):
        read_glued_results(path)


def test_results_table_numbers_sources_in_order_of_first_use():
    a = make_result("a", 0.88, description="IMDB", metric="acc", floor=0.86,
                    reference=0.885, source="chollet2017")
    b = make_result("b", 0.91, description="FMNIST", metric="acc",
                    reference=0.916, source="zalando-benchmark")
    c = make_result("c", 2.8, description="Boston", metric="MAE", floor=3.0,
                    higher_is_better=False, reference=2.55, source="chollet2017")
    lines = results_markdown([("x", a), ("y", b), ("x", c)], {"x": "X", "y": "Y"})
    rows = [line.strip("| ").split(" | ") for line in lines[2:5]]
    assert rows[0] == ["[X](x.md)", "IMDB", "acc", "0.8800", "≥ 0.86", "0.885 [1]"]
    assert rows[1][-2:] == ["", "0.916 [2]"]
    assert rows[2][-2:] == ["≤ 3", "2.55 [1]"]
    assert lines[-2].startswith("1. François Chollet")
    assert lines[-1].startswith("2. Zalando Research")


def test_the_install_cell_comes_first_once_and_leaves_the_input_alone():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    once = add_install_cell(nb, REPO)
    twice = add_install_cell(once, REPO)
    for out in (once, twice):
        nbformat.validate(out)
        assert [c.source for c in out.cells][1:] == ["x = 1"]
        assert INSTALL_CELL_TAG in out.cells[0].metadata["tags"]
        assert f"git+{REPO}@main" in out.cells[0].source
    assert len(nb.cells) == 1


def _run_install_cell(monkeypatch):
    """Run the install cell's code; the pip commands it would have run."""
    calls = []
    monkeypatch.setattr(subprocess, "check_call",
                        lambda command, **kwargs: calls.append(command))
    exec(install_cell_source(REPO), {})
    return calls


def test_the_install_cell_does_nothing_where_dlbook_is_installed(monkeypatch):
    assert importlib.util.find_spec("dlbook") is not None
    assert _run_install_cell(monkeypatch) == []


def test_the_install_cell_installs_dlbook_where_it_is_missing(monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec",
        lambda name, *args: None if name == "dlbook" else find_spec(name, *args))
    assert _run_install_cell(monkeypatch) == [
        [sys.executable, "-m", "pip", "install", "-q",
         f"dlbook[notebook] @ git+{REPO}@main"]]


def test_the_install_cell_needs_an_https_repository():
    with pytest.raises(ValueError, match="DLBOOK_REPOSITORY_URL"):
        install_cell_source("git@github.com:someone/dlbook.git")


def test_each_chapter_is_named_once_on_its_first_row():
    a, b = (make_result(k, 0.5, description=k, metric="m") for k in "ab")
    lines = results_markdown([("x", a), ("x", b)], {"x": "X"})
    assert lines[2].startswith("| [X](x.md) | a |")
    assert lines[3].startswith("|  | b |")
