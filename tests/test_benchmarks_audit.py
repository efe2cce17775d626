"""benchmarks.audit: reading Lighthouse's results and the audit report."""

import json

import pytest

from benchmarks.audit import SCHEMA, audit_markdown, read_audit


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
            "bytes": 1024, "requests": 3}
    lines = audit_markdown({"lighthouse": "12.2.1", "preset": "mobile",
                            "measured_at": "2026-12-05T00:00:00+00:00", "cpus": 2,
                            "pages": {"ch01_intro": page}})
    scores, load = ([c.strip() for c in line.strip("|").split("|")]
                    for line in lines if line.startswith("| [ch01]"))
    assert scores == ["[ch01](ch01_intro.md)", "**0.50**", "1.00", "1.00",
                      "**0.90**"]
    assert load == ["[ch01](ch01_intro.md)", "6.6 s", "1.2 s", "1", "3"]
