"""Run the book's benchmarks and write ``benchmarks/report.json``.

Usage (``make benchmark`` runs the first form)::

    python -m benchmarks [--out FILE] [--skip-builds] [--skip-throughput]
                         [--keep DIR] [--log FILE]

The builds take about as long as two cold builds of the book, the
throughput measurements a few minutes. The report is what the site's
"Benchmarks" page shows; commit it with the change it measures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.build_times import ROOT, data_environment, run_build_benchmarks
from dlbook_site.benchmarks import evaluate_goals, sources_digest

REPORT = ROOT / "benchmarks" / "report.json"


def git_state() -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    return {"commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPORT,
                        help=f"where to write the report (default {REPORT})")
    parser.add_argument("--skip-builds", action="store_true",
                        help="keep the build figures of the existing report")
    parser.add_argument("--skip-throughput", action="store_true",
                        help="keep the throughput figures of the existing report")
    parser.add_argument("--keep", type=Path,
                        help="make the builds' copy of the project here and keep it")
    parser.add_argument("--log", type=Path,
                        help="write the builds' output here instead of to stderr")
    args = parser.parse_args(argv)

    previous = {}
    if (args.skip_builds or args.skip_throughput) and args.out.is_file():
        previous = json.loads(args.out.read_text(encoding="utf-8"))
    report = {
        "schema": 1,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"),
        **git_state(),
        "sources_digest": sources_digest(ROOT),
        "machine": None,  # after the builds, which need no TensorFlow here
    }
    if args.skip_builds:
        for key in ("builds", "chapters"):
            report[key] = previous.get(key, [])
    else:
        log = open(args.log, "w", encoding="utf-8") if args.log else None
        try:
            runs = run_build_benchmarks(keep=args.keep, log=log)
        finally:
            if log:
                log.close()
        report["builds"] = [run.to_dict() for run in runs]
        cold = runs[0]
        report["chapters"] = [
            {"doc": c.doc, "seconds": c.seconds, "peak_rss_bytes": c.peak_rss_bytes}
            for c in cold.chapters
        ]
    os.environ.update(data_environment())
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from benchmarks import throughput

    report["machine"] = throughput.machine()
    if args.skip_throughput:
        for key in ("matmul", "models", "vectorize", "throughput_seconds"):
            report[key] = previous.get(key)
    else:
        print("[benchmark] training throughput ...", file=sys.stderr, flush=True)
        measured = throughput.run(
            log=lambda line: print(f"[benchmark] {line}", file=sys.stderr,
                                   flush=True))
        for key in ("matmul", "models", "vectorize"):
            report[key] = measured[key]
        report["throughput_seconds"] = measured["seconds"]
    report["goals"] = evaluate_goals(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    for goal in report["goals"]:
        state = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
        print(f"  {goal['name']}: {goal['measured']} (goal {goal['target']}): {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
