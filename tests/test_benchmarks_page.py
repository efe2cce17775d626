"""The built site's Benchmarks page renders ``benchmarks/report.json``.

Marked slow: it builds the book first (seconds with a warm execution cache).
"""

import json

import pytest

from benchmarks.report import GOALS, format_seconds
from dlbook_site.inputs import inputs_digest

from .test_book import NOTEBOOKS, ROOT, _Page, build_log, page  # noqa: F401

pytestmark = pytest.mark.slow


def _table(tables, header):
    for rows in tables:
        if rows and rows[0] and rows[0][0] == header:
            return rows
    raise AssertionError(f"no table whose first column is {header!r}")


def test_the_benchmarks_page_shows_the_report(build_log):  # noqa: F811
    report = json.loads((ROOT / "benchmarks" / "report.json").read_text())
    content = page("benchmarks")
    tables = _Page(content).tables
    goals = _table(tables, "Goal")
    assert [row[0].replace("\u2019", "'") for row in goals[1:]] == [
        name for name, _, _ in GOALS]
    builds = _table(tables, "Build")
    assert [row[0] for row in builds[1:]] == [
        b["scenario"] for b in report["builds"]]
    for row, build in zip(builds[1:], report["builds"], strict=True):
        assert row[1] == format_seconds(build["seconds"])
        assert row[2] == str(build["notebooks_executed"])
    models = _table(tables, "Model")
    assert [row[0] for row in models[1:]] == [m["name"] for m in report["models"]]
    # The page warns exactly when the book's inputs differ from those measured.
    stale = report["inputs_digest"] != inputs_digest(ROOT)
    assert ('class="admonition warning"' in content) == stale
    # MyST-NB's own table of this build's execution lists every chapter.
    executed = [row[0] for row in _table(tables, "Document")[1:]]
    assert executed == NOTEBOOKS
