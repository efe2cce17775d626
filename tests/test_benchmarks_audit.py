"""benchmarks.audit: reading Lighthouse's results and the audit report."""

import json
import shutil

import pytest

from benchmarks.audit import SCHEMA, audit_markdown, median_run, read_audit


def test_a_missing_or_malformed_audit_names_the_fix(tmp_path):
    path = tmp_path / "audit.json"
    with pytest.raises(ValueError, match="run `make audit`"):
        read_audit(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON.*make audit"):
        read_audit(path)
    path.write_text(json.dumps({"schema": SCHEMA + 1}))
    with pytest.raises(ValueError, match=f"not a schema-{SCHEMA} page audit"):
        read_audit(path)


def test_scores_under_target_and_slow_paints_are_marked():
    page = {"scores": {"performance": 0.5, "accessibility": 1.0,
                       "best-practices": 1.0, "seo": 0.9},
            "first_paint_seconds": 6.6, "largest_paint_seconds": 1.2,
            "blocking_ms": 40, "layout_shift": 0.25, "bytes": 1024,
            "requests": 3}
    lines = audit_markdown({"lighthouse": "12.2.1", "preset": "mobile",
                            "runs_per_page": 3,
                            "measured_at": "2026-12-05T00:00:00+00:00", "cpus": 2,
                            "pages": {"ch01_intro": page}})
    scores, load = ([c.strip() for c in line.strip("|").split("|")]
                    for line in lines if line.startswith("| [ch01]"))
    assert scores == ["[ch01](ch01_intro.md)", "**0.50**", "1.00", "1.00",
                      "**0.90**"]
    assert load == ["[ch01](ch01_intro.md)", "6.6 s", "1.2 s", "40 ms", "0.250",
                    "1", "3"]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_median_run_is_the_one_lighthouses_function_returns(tmp_path,
                                                                 monkeypatch):
    # A stand-in for the package's median-run.js, laid out as npm installs
    # Lighthouse: it picks the run with the middle first paint.
    library = tmp_path / "node_modules" / "lighthouse" / "core" / "lib"
    library.mkdir(parents=True)
    (library / "median-run.js").write_text(
        "export function computeMedianRun(runs) {"
        " const fcp = (r) => r.audits['first-contentful-paint'].numericValue;"
        " return runs.slice().sort((a, b) => fcp(a) - fcp(b))[1]; }")
    command = tmp_path / "node_modules" / ".bin" / "lighthouse"
    command.parent.mkdir()
    results = []
    for run, paint in enumerate([900.0, 2100.0, 1500.0]):
        results.append(tmp_path / f"run-{run}.json")
        results[-1].write_text(json.dumps(
            {"audits": {"first-contentful-paint": {"numericValue": paint}}}))
    assert median_run(command, results) == results[2]
    # The command as a path relative to the working folder, as typed.
    monkeypatch.chdir(tmp_path)
    assert median_run(command.relative_to(tmp_path), results) == results[2]


def test_a_report_from_before_the_blocking_time_was_kept_still_renders():
    page = {"scores": dict.fromkeys(("performance", "accessibility",
                                     "best-practices", "seo"), 1.0),
            "first_paint_seconds": 1.0, "largest_paint_seconds": 2.0,
            "bytes": 1024, "requests": 3}
    lines = audit_markdown({"lighthouse": "12.2.1", "preset": "mobile",
                            "measured_at": "2026-12-05T00:00:00+00:00", "cpus": 2,
                            "pages": {"index": page}})
    assert "median" not in lines[0]
    assert lines[-1].split(" | ")[3:5] == ["–", "–"]
