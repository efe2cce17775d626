"""The built site's Benchmarks page shows ``benchmarks/report.json``.

Moved here unchanged from ``test_book.py``, with the helpers it needs.
Marked slow: it builds the book first (seconds with a warm execution cache).
"""

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
NOTEBOOKS = sorted(
    p.stem for p in (ROOT / "book").glob("*.md")
    if "file_format: mystnb" in p.read_text(encoding="utf-8")[:200]
)

pytestmark = pytest.mark.slow


def _run_make_html(*overrides):
    result = subprocess.run(
        ["make", "--no-print-directory", "html", *overrides], cwd=ROOT,
        capture_output=True, text=True,
    )
    return result.returncode, result.stdout + result.stderr


def _make_html():
    returncode, log = _run_make_html()
    assert returncode == 0, f"make html failed:\n{log[-6000:]}"
    return log


@pytest.fixture(scope="module")
def build_log():
    return _make_html()


def page(name):
    return (HTML / f"{name}.html").read_text(encoding="utf-8")


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def flat(content):
    return re.sub(r"\s+", " ", text_of(content))


def _tables_of(content):
    """Each HTML table of a page as a list of rows, each a list of cell texts."""
    tables = []
    for table in re.findall(r"<table.*?</table>", content, re.S):
        rows = []
        for row in re.findall(r"<tr.*?</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([flat(c).strip() for c in cells])
        tables.append(rows)
    return tables


def _table_starting(content, header):
    for rows in _tables_of(content):
        if rows and rows[0] and rows[0][0] == header:
            return rows
    raise AssertionError(f"no table whose first column is {header!r}")


def test_build_report_shows_the_benchmark_report(build_log):
    from dlbook_site.benchmarks import GOALS, format_seconds, sources_digest

    report = json.loads((ROOT / "benchmarks" / "report.json").read_text())
    content = page("benchmarks")
    body = flat(content)
    goals = _table_starting(content, "Goal")
    assert [row[0].replace("\u2019", "'") for row in goals[1:]] == [
        name for name, _, _ in GOALS]
    builds = _table_starting(content, "Build")
    assert [row[0] for row in builds[1:]] == [
        b["scenario"] for b in report["builds"]]
    for row, build in zip(builds[1:], report["builds"], strict=True):
        assert row[1] == format_seconds(build["seconds"])
        assert row[2] == str(build["notebooks_executed"])
    models = _table_starting(content, "Model")
    assert [row[0] for row in models[1:]] == [m["name"] for m in report["models"]]
    assert f"on commit {report['commit'][:7]}" in body
    # The page warns exactly when the sources differ from those measured.
    stale = report["sources_digest"] != sources_digest(ROOT)
    assert ("The book's sources have changed" in body) == stale
    # MyST-NB's own table of this build's execution lists every chapter.
    executed = [row[0] for row in _table_starting(content, "Document")[1:]]
    assert executed == NOTEBOOKS
