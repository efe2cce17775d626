"""How much each headline figure moves from one seed to the next: ``make seeds``.

A build runs every chapter with the seed its code names (0). This module
executes each chapter's notebook, as the build reads it from ``book/`` (not
a copy of its code), once per seed, with ``DLBOOK_SEED`` set
(:data:`dlbook.reproducibility.SEED_VARIABLE`: it replaces the seed of every
``make_deterministic`` call), collects every figure the chapter records
with ``record_result``, and writes ``benchmarks/seeds.json``:

- per chapter: the seeds it ran, each run's seconds, the checks (hidden
  ``assert`` cells) that failed under a seed, and what its figures depend
  on: the digest of its code cells, and the ``dlbook`` modules its kernel
  imported with their sources' digests (as the build records them,
  :mod:`dlbook_site.dependencies`); beside them, the lock's digest. An
  edit to a module makes only the chapters that imported it stale;
- per figure: each seed's value, their mean, standard deviation, minimum
  and maximum, and the figure's floor (:func:`floor_of`);
- the machine and the versions it ran on.

The seed moves the weights' initialisation, the order of the training
batches and the dropout masks that no layer seeds itself; the data splits
that the chapters draw with a seed of their own (``random_state=0``,
``default_rng(0)``) stay fixed.

The run never touches the build: Keras' folder and IPython's are temporary,
and the notebooks are executed in memory. ``--chapters`` measures some
chapters again and keeps the others' figures.

Usage::

    python -m benchmarks.seeds [--seeds 5] [--chapters ch03_getting_started ...]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.builds import ROOT

SEEDS_FILE = ROOT / "benchmarks" / "seeds.json"
SCHEMA = 2

#: How many seeds ``make seeds`` runs by default: 0 to 4...
DEFAULT_SEEDS = 5
#: ...except for the slowest chapters, which run 0 to 2. Each of these takes
#: 3 to 4 minutes a seed on a quiet 2-core machine (up to 7 on a busy one),
#: against about 1.5 for the others; five seeds of every chapter would run
#: for 50 minutes on a quiet machine and 90 on a busy one, past the hour
#: that a measurement may take.
FEWER_SEEDS = {"ch04_fundamentals": 3, "ch05_convnets": 3}

#: A floor lies this many seed-to-seed standard deviations below the worst
#: seed (above it, for an error)...
FLOOR_MARGIN_SDS = 2.0
#: ...and at least this fraction of the worst seed's value below it: with
#: five seeds the standard deviation is itself uncertain, and another
#: machine's arithmetic moves a figure by about as much as a seed does.
FLOOR_MARGIN_MIN = 0.005
#: Floors are rounded outward to this many significant digits.
FLOOR_DIGITS = 3


def floor_of(values: list[float], higher_is_better: bool) -> float:
    """The floor a figure is held to, from its values over seeds.

    The worst seed, moved by ``FLOOR_MARGIN_SDS`` standard deviations (at
    least ``FLOOR_MARGIN_MIN`` of its value) away from the others, rounded
    outward to ``FLOOR_DIGITS`` significant digits.

    Examples
    --------
    >>> floor_of([0.880, 0.884, 0.886, 0.882, 0.881], higher_is_better=True)
    0.875
    >>> floor_of([2.6, 2.9, 2.7, 2.8, 2.75], higher_is_better=False)
    3.13
    """
    worst = min(values) if higher_is_better else max(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    margin = max(FLOOR_MARGIN_SDS * sd, FLOOR_MARGIN_MIN * abs(worst))
    bound = worst - margin if higher_is_better else worst + margin
    scale = 10 ** (FLOOR_DIGITS - 1 - math.floor(math.log10(abs(bound))))
    rounded = (math.floor if higher_is_better else math.ceil)(bound * scale)
    return round(rounded / scale, FLOOR_DIGITS + 3)


def spread(values: list[float]) -> dict:
    """Mean, standard deviation (n - 1), minimum and maximum of a figure.

    Examples
    --------
    >>> spread([1.0, 2.0, 3.0])
    {'mean': 2.0, 'sd': 1.0, 'min': 1.0, 'max': 3.0}
    """
    return {"mean": statistics.fmean(values),
            "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values), "max": max(values)}


def placement(reference: float, low: float, high: float) -> str:
    """Where a published figure lies against the measured range.

    Examples
    --------
    >>> placement(0.885, 0.879, 0.884), placement(2.55, 2.5, 2.9)
    ('above', 'inside')
    """
    if reference < low:
        return "below"
    return "above" if reference > high else "inside"


# --- The chapters, read as the build reads them --------------------------------

def chapter_notebook(path: Path):
    """A chapter's MyST Markdown as the notebook MyST-NB executes."""
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(Path(path).read_text(encoding="utf-8"))


def executed_chapters(book: Path) -> list[Path]:
    """The pages of ``book`` that are notebooks with code, by name."""
    chapters = []
    for path in sorted(Path(book).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---") and "{code-cell}" in text:
            chapters.append(path)
    return chapters


def code_digest(notebook) -> str:
    """A digest of a notebook's code cells, in order; prose does not count.

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "source": "Prose."},
    ...          {"cell_type": "code", "source": "x = 1"}]
    >>> a = code_digest({"cells": cells})
    >>> cells[0]["source"] = "Other prose."
    >>> a == code_digest({"cells": cells})
    True
    >>> cells[1]["source"] = "x = 2"
    >>> a == code_digest({"cells": cells})
    False
    """
    digest = hashlib.sha256()
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            digest.update(cell["source"].encode() + b"\0")
    return digest.hexdigest()[:16]


def lock_digest(root: Path = ROOT) -> str:
    """The digest of the lock alone (``make inputs-digest``)."""
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "inputs-digest",
         "INPUTSFLAGS=--lock-only"],
        cwd=root, capture_output=True, text=True, check=False)
    digest = done.stdout.strip()
    if done.returncode != 0 or len(digest) != 16:
        raise RuntimeError(f"`make inputs-digest` printed {digest!r}: "
                           f"{done.stderr.strip()}")
    return digest


# --- One chapter under one seed ------------------------------------------------

def run_chapter(path: Path, seed: int, scratch: Path) -> dict:
    """Execute a chapter under ``seed``; its figures, failed checks and time.

    Cells run to the end even after a failed check, so that one seed's
    failed ``assert`` costs no figure; a cell that fails is reported with
    its error.
    """
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from dlbook.reproducibility import SEED_VARIABLE
    from dlbook.results import notebook_results

    notebook = chapter_notebook(path)
    # A last cell, in this run only, prints the dlbook modules the kernel
    # imported, with their sources' digests.
    notebook.cells.append(nbformat.v4.new_code_cell(_MODULES_CELL))
    env = dict(os.environ)
    env.update({SEED_VARIABLE: str(seed), "KERAS_HOME": str(scratch / "keras"),
                "IPYTHONDIR": str(scratch / "ipython")})
    # nbclient shuts down only the kernels it starts itself: with ours, the
    # kernel of every seed stayed alive (1.7 GB each for chapter 1) until
    # the whole measurement ended.
    manager = KernelManager(kernel_name="python3")
    client = NotebookClient(
        notebook, km=manager, timeout=1200,
        allow_errors=True, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute(env=env)
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    seconds = time.perf_counter() - start
    failed = [
        {"seed": seed, "cell": index,
         "error": f"{out['ename']}: {out['evalue']}".strip()[:300]}
        for index, cell in enumerate(notebook.cells)
        for out in cell.get("outputs", []) if out.get("output_type") == "error"
    ]
    return {"results": notebook_results(notebook), "failed_checks": failed,
            "seconds": seconds, "modules": _printed_modules(notebook.cells[-1])}


_MODULES_CELL = """\
import json as _json
from dlbook_site.dependencies import imported_modules as _imported_modules
print(_json.dumps(_imported_modules()))"""


def _printed_modules(cell) -> dict[str, str] | None:
    """What the modules cell printed; None if it failed."""
    import json

    text = "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream")
    try:
        modules = json.loads(text)
    except ValueError:
        return None
    return modules if isinstance(modules, dict) else None


# --- The file -----------------------------------------------------------------

def figure_entry(chapter: str, runs: list) -> dict[str, dict]:
    """Each figure of one chapter's runs ``[(seed, run), ...]``, with its spread.

    A figure that some seed did not record is an error: its spread would
    compare unequal sets of runs.
    """
    figures: dict[str, dict] = {}
    for seed, run in runs:
        for result in run["results"]:
            entry = figures.setdefault(result.key, {
                "chapter": chapter, "description": result.description,
                "metric": result.metric,
                "higher_is_better": result.higher_is_better,
                "reference": result.reference, "source": result.source,
                "values": {}})
            entry["values"][str(seed)] = result.value
    for key, entry in figures.items():
        if len(entry["values"]) != len(runs):
            raise RuntimeError(f"{key} was recorded under seeds "
                               f"{sorted(entry['values'])} only, of "
                               f"{[seed for seed, _ in runs]}.")
        values = list(entry["values"].values())
        entry.update(spread(values))
        entry["floor"] = floor_of(values, entry["higher_is_better"])
    return figures


def read_seeds(path: Path = SEEDS_FILE) -> dict:
    """Read ``seeds.json``; a missing or malformed file is a ValueError."""
    from benchmarks.report import read_json_file

    return read_json_file(path, SCHEMA, "seed measurement", "seeds")


def _write(report: dict, path: Path) -> None:
    import json

    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def chapter_seeds(chapter: str, seeds: int = DEFAULT_SEEDS) -> list[int]:
    """The seeds a chapter runs: ``seeds`` of them, fewer if it is slow.

    Examples
    --------
    >>> chapter_seeds("ch02_building_blocks"), chapter_seeds("ch05_convnets")
    ([0, 1, 2, 3, 4], [0, 1, 2])
    >>> chapter_seeds("ch05_convnets", seeds=2)
    [0, 1]
    """
    return list(range(min(seeds, FEWER_SEEDS.get(chapter, seeds))))


def measure(chapters: list[Path], seeds: int, out: Path, log=print) -> dict:
    """Run every chapter under its seeds and write ``out`` after each chapter.

    The chapters not in ``chapters`` keep their entries from ``out``.
    """
    from benchmarks.__main__ import git_state
    from benchmarks.measure import machine

    try:
        report = read_seeds(out)
    except ValueError:
        report = {"chapters": {}, "results": {}}
    report.update({"schema": SCHEMA, "machine": machine(), **git_state(),
                   "lock_digest": lock_digest()})
    for path in chapters:
        name = path.stem
        runs = []
        with tempfile.TemporaryDirectory(prefix="dlbook-seeds-") as folder:
            for seed in chapter_seeds(name, seeds):
                run = run_chapter(path, seed, Path(folder))
                log(f"{name} seed {seed}: {run['seconds']:.0f} s, "
                    + ", ".join(f"{r.key} {r.value:.4f}" for r in run["results"])
                    + "".join(f"\n  failed check: {f['error']}"
                              for f in run["failed_checks"]))
                runs.append((seed, run))
        report["results"] = {k: v for k, v in report["results"].items()
                             if v["chapter"] != name}
        report["results"].update(figure_entry(name, runs))
        recorded = [run.get("modules") for _, run in runs]
        report["chapters"][name] = {
            "code_digest": code_digest(chapter_notebook(path)),
            # Every seed's imports; none if a seed's record is missing.
            "modules": None if None in recorded else dict(sorted(
                {k: v for m in recorded for k, v in m.items()}.items())),
            "seeds": [seed for seed, _ in runs],
            "seconds": [round(run["seconds"], 1) for _, run in runs],
            "failed_checks": [f for _, run in runs for f in run["failed_checks"]],
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="seconds"),
        }
        report["measured_at"] = report["chapters"][name]["measured_at"]
        _write(report, out)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.seeds",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=DEFAULT_SEEDS,
                        help=f"how many seeds, 0 to N - 1 (default {DEFAULT_SEEDS}; "
                        f"the slowest chapters fewer: {FEWER_SEEDS})")
    parser.add_argument("--chapters", nargs="*", default=None,
                        help="page names to measure (default: every chapter)")
    parser.add_argument("--out", type=Path, default=SEEDS_FILE)
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error("--seeds must be at least 2: one seed has no spread.")
    chapters = executed_chapters(ROOT / "book")
    if args.chapters:
        unknown = set(args.chapters) - {p.stem for p in chapters}
        if unknown:
            parser.error(f"no executed chapter named {sorted(unknown)}; the "
                         f"chapters are {[p.stem for p in chapters]}.")
        chapters = [p for p in chapters if p.stem in args.chapters]
    start = time.perf_counter()
    report = measure(chapters, args.seeds, args.out,
                     log=lambda line: print(line, flush=True))
    failed = [f for c in report["chapters"].values() for f in c["failed_checks"]]
    print(f"wrote {args.out} in {time.perf_counter() - start:.0f} s; "
          f"{len(report['results'])} figures, {len(failed)} failed checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
