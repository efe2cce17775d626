"""benchmarks.hugepages, and the Makefile's NumPy setting that it measures."""

import subprocess
from pathlib import Path

import pytest

from benchmarks.hugepages import POLICY, first_touch, huge_page_touch

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not POLICY.is_file(),
                    reason="this kernel has no transparent huge pages")
@pytest.mark.parametrize("huge_pages", [True, False])
def test_the_setting_reaches_the_fresh_process(huge_pages):
    # NumPy marks an array's memory for huge pages (the mapping's "hg" flag)
    # exactly when the fresh process was told to.
    touched = first_touch(huge_pages, megabytes=8, arrays=1)
    assert touched["seconds"] > 0
    assert touched["advised"] is huge_pages


def test_each_setting_runs_every_round_and_the_best_is_kept(monkeypatch):
    times = iter([3.0, 1.0, 2.0, 0.5])  # huge, ordinary, huge, ordinary
    calls = []

    def fake(huge_pages, megabytes, arrays):
        calls.append(huge_pages)
        return {"seconds": next(times), "advised": huge_pages}

    monkeypatch.setattr("benchmarks.hugepages.first_touch", fake)
    result = huge_page_touch(megabytes=1, arrays=1, rounds=2, pause=0)
    assert calls == [True, False, True, False]
    assert result["seconds"] == {"huge pages": 2.0, "ordinary pages": 0.5}
    assert result["ratio"] == 4.0
    assert result["advised"] == {"huge pages": True, "ordinary pages": False}


def test_what_make_runs_keeps_ordinary_pages():
    # The value every recipe of the Makefile sees, read through a rule given
    # on standard input beside the project's Makefile.
    rule = "show:\n\t@printf '%s' \"$$NUMPY_MADVISE_HUGEPAGE\"\n"
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-",
         "show"], cwd=ROOT, input=rule, capture_output=True, text=True,
        check=True, env={"PATH": "/usr/bin:/bin"})
    assert done.stdout == "0"
