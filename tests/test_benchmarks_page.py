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


def _columns(tables, *names):
    for rows in tables:
        if rows and tuple(rows[0][:len(names)]) == names:
            return rows
    raise AssertionError(f"no table whose columns start {names!r}")


def test_the_page_shows_each_chapters_dependencies_and_time_split(
        build_log):  # noqa: F811
    report = json.loads((ROOT / "benchmarks" / "report.json").read_text())
    tables = _Page(page("benchmarks")).tables
    recorded = [c for c in report["chapters"] if c.get("dependencies")]
    assert recorded, "the report has no dependency record: run make benchmark"
    rows = _columns(tables, "Chapter", "dlbook modules its kernel imported")
    assert [row[0] for row in rows[1:]] == [c["doc"] for c in recorded]
    for row, chapter in zip(rows[1:], recorded, strict=True):
        shown = {name.strip() for name in row[1].split(",") if name.strip()}
        assert shown == {m.removeprefix("dlbook.") for m in chapter["dependencies"]
                         if m != "dlbook"}
    split = next(rows for rows in tables if rows and rows[-1][0] == "book")
    assert [row[0] for row in split[1:-1]] == [
        c["doc"].split("_")[0] for c in report["chapters"] if c.get("time_split")]
    work = report["book_training"]
    ratio = _columns(tables, "Chapter", "Trainings")
    assert [row[0] for row in ratio[1:]] == list(work["per_chapter"])
    assert f"Ratio: {work['ratio']:.1%}" in page("benchmarks")


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


def test_the_page_shows_the_audit_of_every_page_of_the_book(build_log):  # noqa: F811
    from benchmarks.audit import AUDIT, book_pages, page_label, read_audit

    audit = read_audit(AUDIT)
    assert list(audit["pages"]) == book_pages(ROOT / "book"), (
        "benchmarks/audit.json does not cover the book's pages: run make audit")
    rows = _columns(_Page(page("benchmarks")).tables, "Page", "Performance")
    assert [row[0] for row in rows[1:]] == [page_label(p) for p in audit["pages"]]
