"""Run the book's benchmarks and write ``benchmarks/report.json``.

Usage (``make benchmark`` runs the first form, with ``BENCHMARKFLAGS``)::

    python -m benchmarks [--out FILE] [--skip-builds] [--skip-throughput]
                         [--models NAME ...] [--keep DIR] [--log FILE]
                         [--target-seconds S] [--no-vectorize] [--no-kfold]
                         [--no-hugepages]
    python -m benchmarks --list

The builds take about as long as two cold builds of the book, the
throughput measurements a few minutes. The report is what the site's
"Benchmarks" page shows; commit it with the change it measures. With
``--models``, only those models are measured, and the report keeps the
others' figures from the existing report.

Run it under make: the environment (the dataset mirror, Keras' folder,
``PYTHONPATH``) is the Makefile's, and this reads it as given.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from pathlib import Path

from benchmarks.builds import ROOT, run_build_benchmarks
from benchmarks.report import (
    SCHEMA,
    evaluate_goals,
    inputs_digest,
    read_report,
    report_markdown,
    write_report,
)
from benchmarks.work import book_training

REPORT = ROOT / "benchmarks" / "report.json"


def git_state() -> dict:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    return {"commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def _log(line: str) -> None:
    print(f"[benchmark] {line}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPORT,
                        help=f"where to write the report (default {REPORT})")
    parser.add_argument("--skip-builds", action="store_true",
                        help="keep the build figures of the existing report")
    parser.add_argument("--skip-throughput", action="store_true",
                        help="keep the throughput figures of the existing report")
    parser.add_argument("--models", nargs="+", metavar="NAME",
                        help="measure only these models (default: all); "
                             "see --list")
    parser.add_argument("--list", action="store_true",
                        help="list the models' names and exit")
    parser.add_argument("--no-vectorize", action="store_true",
                        help="keep the vectorize_sequences timing of the "
                             "existing report")
    parser.add_argument("--no-kfold", action="store_true",
                        help="keep the K-fold feeding timing of the previous "
                        "report instead of measuring it (benchmarks.feeding)")
    parser.add_argument("--no-hugepages", action="store_true",
                        help="keep the first-touch timing of the previous "
                        "report instead of measuring it (benchmarks.hugepages)")
    parser.add_argument("--target-seconds", type=float, default=1.0,
                        help="length of one timed epoch (default 1)")
    parser.add_argument("--keep", type=Path,
                        help="make the builds' copy of the project here and keep it")
    parser.add_argument("--log", type=Path,
                        help="write the builds' output here instead of to stderr")
    return parser


def _list_models() -> None:
    from benchmarks.registry import book_models

    for spec in book_models():
        print(f"{spec.name:28} chapter {spec.chapter}  {spec.kind:8} "
              f"batch {spec.batch_size}")


def _merge_models(previous: list | None, measured: list,
                  order: list[str] | None = None) -> list:
    """The new figures, in place of the old ones of the same models, in the
    registry's ``order`` when given (a model new to the report takes its
    place there, not the last one)."""
    fresh = {m["name"]: m for m in measured}
    kept = [fresh.pop(m["name"], m) for m in previous or []]
    merged = kept + list(fresh.values())
    if order is not None:
        rank = {name: i for i, name in enumerate(order)}
        merged.sort(key=lambda m: rank.get(m["name"], len(rank)))
    return merged


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.list:
        _list_models()
        return 0
    partial = (args.skip_builds or args.skip_throughput or args.models
               or args.no_vectorize or args.no_kfold or args.no_hugepages)
    previous = read_report(args.out) if partial and args.out.is_file() else {}
    report = {
        "schema": SCHEMA,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(
            timespec="seconds"),
        **git_state(),
        "inputs_digest": inputs_digest(ROOT),
        "machine": None,  # after the builds, which need no TensorFlow here
    }
    if args.skip_builds:
        for key in ("builds", "chapters", "trainings"):
            report[key] = previous.get(key, [])
    else:
        log = open(args.log, "w", encoding="utf-8") if args.log else None
        try:
            runs = run_build_benchmarks(keep=args.keep, log=log)
        finally:
            if log:
                log.close()
        report["builds"] = [run.to_dict() for run in runs]
        report["chapters"] = [c.to_dict() for c in runs[0].chapters]
        report["trainings"] = runs[0].trainings
    from benchmarks import measure

    report["machine"] = measure.machine()
    if args.skip_throughput:
        for key in ("matmul", "models", "vectorize", "throughput_seconds"):
            report[key] = previous.get(key)
    else:
        _log("training throughput ...")
        measured = measure.run(args.models, target_seconds=args.target_seconds,
                               vectorize=not args.no_vectorize, log=_log)
        report["matmul"] = measured["matmul"]
        from benchmarks.registry import book_models

        report["models"] = (_merge_models(previous.get("models"),
                                          measured["models"],
                                          [m.name for m in book_models()])
                            if args.models else measured["models"])
        report["vectorize"] = (previous.get("vectorize") if args.no_vectorize
                               else measured["vectorize"])
        report["throughput_seconds"] = measured["seconds"]
        for section in ("throughput", "vectorize"):  # as the page shows them
            print("\n".join(report_markdown(report, section)), end="\n\n",
                  file=sys.stderr)
    if args.no_kfold:
        report["kfold"] = previous.get("kfold")
    else:
        _log("K-fold feeding ...")
        from benchmarks.feeding import kfold_feeding

        report["kfold"] = kfold_feeding(log=_log)
    if args.no_hugepages:
        report["hugepages"] = previous.get("hugepages")
    else:
        _log("first touch of large arrays ...")
        from benchmarks.hugepages import huge_page_touch

        report["hugepages"] = huge_page_touch(log=_log)
    if report.get("trainings") and report.get("matmul") and report.get("models"):
        report["book_training"] = book_training(
            report["trainings"], report["models"],
            report["matmul"]["flops_per_second"], report["chapters"])
    report["goals"] = evaluate_goals(report)
    write_report(report, args.out)
    print(f"wrote {args.out}")
    for goal in report["goals"]:
        state = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
        print(f"  {goal['name']}: {goal['measured']} (goal {goal['target']}): {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
