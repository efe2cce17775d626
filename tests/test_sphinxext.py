"""Tests of the site's Sphinx extensions on files made here."""

import importlib.metadata
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
    wheel_of_install_cell,
)
from dlbook_site.results import read_glued_results, results_markdown

WHEEL = "https://someone.github.io/dlbook/_wheels/0123/dlbook-0.1.0-py3-none-any.whl"
SHA256 = "ab" * 32


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


def _entry(values, higher_is_better=True):
    from benchmarks.seeds import floor_of, spread

    return {"values": dict(enumerate(values)), **spread(values),
            "floor": floor_of(values, higher_is_better),
            "higher_is_better": higher_is_better}


def test_results_table_numbers_sources_in_order_of_first_use():
    a = make_result("a", 0.88, description="IMDB", metric="acc",
                    reference=0.885, source="chollet2017")
    b = make_result("b", 0.91, description="FMNIST", metric="acc",
                    reference=0.916, source="zalando-benchmark")
    c = make_result("c", 2.8, description="Boston", metric="MAE",
                    higher_is_better=False, reference=2.55, source="chollet2017")
    seeds = {"results": {"a": _entry([0.88, 0.87, 0.89]),
                         "c": _entry([2.8, 2.4, 2.6], higher_is_better=False)}}
    lines = results_markdown([("x", a), ("y", b), ("x", c)], {"x": "X", "y": "Y"},
                             seeds)
    rows = [[cell.strip() for cell in line.strip()[1:-1].split("|")]
            for line in lines[2:5]]
    assert rows[0] == ["[X](x.md)", "IMDB (acc)", "0.8800", "0.8800 ± 0.0100",
                       "0.8700–0.8900 (3)", "≥ 0.85", "0.885 [1] (inside)"]
    assert rows[1][-5:] == ["0.9100", "", "", "", "0.916 [2]"]  # not measured
    assert rows[2][-2:] == ["≤ 3.2", "2.55 [1] (inside)"]
    assert lines[-2].startswith("1. François Chollet")
    assert lines[-1].startswith("2. Zalando Research")


def test_the_install_cell_comes_first_once_and_leaves_the_input_alone():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    once = add_install_cell(nb, WHEEL, SHA256)
    twice = add_install_cell(once, WHEEL, "cd" * 32)
    for out in (once, twice):
        nbformat.validate(out)
        assert [c.source for c in out.cells][1:] == ["x = 1"]
        assert INSTALL_CELL_TAG in out.cells[0].metadata["tags"]
    assert wheel_of_install_cell(once.cells[0].source) == (WHEEL, SHA256)
    assert wheel_of_install_cell(twice.cells[0].source) == (WHEEL, "cd" * 32)
    assert len(nb.cells) == 1


def test_the_install_cell_names_the_wheel_and_its_hash_and_compiles():
    source = install_cell_source(WHEEL, SHA256)
    compile(source, "install", "exec")
    assert f'URL = "{WHEEL}"' in source and f'SHA256 = "{SHA256}"' in source
    assert "git+" not in source


class _Installed:
    """What importlib.metadata finds of a dlbook installed from a direct URL."""

    def __init__(self, direct_url):
        self.direct_url = direct_url

    def read_text(self, name):
        return json.dumps(self.direct_url) if name == "direct_url.json" else None


def _run_install_cell(monkeypatch, installed="as-is"):
    """Run the install cell's code; the pip commands it would have run.

    ``installed``: the direct_url.json of the dlbook that is installed, None
    for none, or "as-is" for the test environment's own (editable) dlbook.
    """
    calls = []
    monkeypatch.setattr(subprocess, "check_call",
                        lambda command, **kwargs: calls.append(command))
    if installed != "as-is":
        def distribution(name):
            if installed is None:
                raise importlib.metadata.PackageNotFoundError(name)
            return _Installed(installed)
        monkeypatch.setattr(importlib.metadata, "distribution", distribution)
    exec(install_cell_source(WHEEL, SHA256), {})
    return calls


PIP = [sys.executable, "-m", "pip", "install", "-q"]
# This wheel in place of any dlbook (pip keeps one of the same version
# otherwise), then what it needs; both checked against the hash.
INSTALLS = [
    [*PIP, "--force-reinstall", "--no-deps", f"dlbook @ {WHEEL}#sha256={SHA256}"],
    [*PIP, f"dlbook[notebook] @ {WHEEL}#sha256={SHA256}"],
]


def test_the_install_cell_does_nothing_where_its_wheel_is_installed(monkeypatch):
    pip_wrote = {"url": WHEEL, "archive_info": {
        "hash": f"sha256={SHA256}", "hashes": {"sha256": SHA256}}}
    assert _run_install_cell(monkeypatch, pip_wrote) == []


def test_the_install_cell_installs_its_wheel_where_dlbook_is_missing(monkeypatch):
    assert _run_install_cell(monkeypatch, None) == INSTALLS


@pytest.mark.parametrize("installed", [
    "as-is",  # this environment's editable dlbook, of the same version
    {"url": WHEEL, "archive_info": {"hash": "sha256=" + "cd" * 32}},
    {"url": "file:///elsewhere", "dir_info": {}},
], ids=["editable", "another-wheel", "a-folder"])
def test_the_install_cell_replaces_any_other_dlbook(monkeypatch, installed):
    assert importlib.util.find_spec("dlbook") is not None
    assert _run_install_cell(monkeypatch, installed) == INSTALLS


@pytest.mark.parametrize(("url", "sha256", "match"), [
    ("git+https://github.com/someone/dlbook@main", SHA256, "DLBOOK_SITE_URL"),
    (WHEEL + "#sha256=" + SHA256, SHA256, "no #fragment"),
    ("https://someone.github.io/dlbook/", SHA256, r"\.whl"),
    (WHEEL, "AB" * 32, "64 lowercase hex"),
    (WHEEL, "ab" * 31, "64 lowercase hex"),
])
def test_the_install_cell_refuses_a_bad_wheel_address_or_hash(url, sha256, match):
    with pytest.raises(ValueError, match=match):
        install_cell_source(url, sha256)


def test_each_chapter_is_named_once_on_its_first_row():
    a, b = (make_result(k, 0.5, description=k, metric="m") for k in "ab")
    lines = results_markdown([("x", a), ("x", b)], {"x": "X"}, {"results": {}})
    assert lines[2].startswith("| [X](x.md) | a (m) |")
    assert lines[3].startswith("|  | b (m) |")
