"""The benchmark report: its schema, its goals, and its sections as Markdown.

``python -m benchmarks`` writes ``benchmarks/report.json`` with
:func:`write_report`; the site's "Benchmarks" page (the ``benchmarks``
directive of ``dlbook_site.benchmarks``) reads it with :func:`read_report`
and renders it with :func:`report_markdown`. This module is the report's
one definition: the site imports it, it imports nothing of the site.

Schema 2 (the fields, all plain JSON)
-------------------------------------
``schema`` (2), ``measured_at`` (ISO 8601, UTC), ``commit``, ``dirty``,
``inputs_digest`` (what ``make inputs-digest`` printed when the report was
measured, or null), ``machine`` (CPU, memory, versions), ``builds`` and
``chapters`` (:mod:`benchmarks.builds`), ``matmul``, ``models``,
``vectorize`` and ``throughput_seconds`` (:mod:`benchmarks.measure`), and
``goals`` (:func:`evaluate_goals`). Optional, and shown when present:
``kfold`` (:func:`benchmarks.feeding.kfold_feeding`), ``hugepages``
(:func:`benchmarks.hugepages.huge_page_touch`), each
chapter's ``dependencies`` (the ``dlbook`` modules its kernel imported) and
``time_split`` (seconds by kind of work), each build's ``edited`` file,
``trainings`` (each recorded training's chapter, steps and batch size) and
``book_training`` (:func:`benchmarks.work.book_training`). Schema 1 had
``sources_digest`` and described models' settings by Python ``repr``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

#: The layout of the report that this module reads and writes.
SCHEMA = 2

GiB = 2**30

#: The goals of the build on the 2-core machine: (name, target, limit).
GOALS = (
    ("cold build", "at most 9 min, the exercises apart", 9 * 60),
    ("exercises", "at most 60 s (questions, coded, predict)", 60),
    ("go-further solutions", "at most 4 min", 4 * 60),
    ("warm rebuild", "at most 30 s", 30),
    ("prose edit", "executes nothing", 0),
    ("package edit", "executes only the chapters that import the module", None),
    ("peak memory", "at most 4 GiB", 4 * GiB),
    ("dense models' throughput", "at least 30% of the matmul bound", 0.30),
)

#: The fields every report has.
REQUIRED = ("schema", "measured_at", "commit", "machine")


def inputs_digest(root: Path) -> str:
    """The digest of the book's inputs, as ``make inputs-digest`` prints it.

    Raises
    ------
    RuntimeError
        If the target fails or prints no digest.
    """
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "inputs-digest"],
        cwd=root, capture_output=True, text=True,
    )
    digest = done.stdout.strip()
    if done.returncode != 0 or not digest or any(
            c not in "0123456789abcdef" for c in digest):
        raise RuntimeError(
            f"`make inputs-digest` in {root} printed {digest!r} (exit status "
            f"{done.returncode}): {done.stderr.strip()}")
    return digest


def format_seconds(seconds: float) -> str:
    """A duration as a reader says it.

    Examples
    --------
    >>> format_seconds(813.4), format_seconds(1.64), format_seconds(42)
    ('13 min 33 s', '1.6 s', '42 s')
    >>> format_seconds(0.146)
    '146 ms'
    """
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds >= 60:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest} s"
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def format_bytes(size: float) -> str:
    """A memory size in GiB, or MiB below one GiB.

    Examples
    --------
    >>> format_bytes(7_288_908 * 1024), format_bytes(300 * 2**20)
    ('6.95 GiB', '300 MiB')
    """
    if size >= GiB:
        return f"{size / GiB:.2f} GiB"
    return f"{size / 2**20:.0f} MiB"


def module_name(path: str) -> str:
    """The module that a file of ``src/`` holds.

    Examples
    --------
    >>> module_name("src/dlbook/convolution.py"), module_name("src/dlbook/__init__.py")
    ('dlbook.convolution', 'dlbook')
    """
    parts = list(Path(path).with_suffix("").parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _build(report: dict, scenario: str) -> dict | None:
    return next((b for b in report.get("builds", [])
                 if b["scenario"] == scenario), None)


def evaluate_goals(report: dict) -> list[dict]:
    """Each goal with its measured figure and whether it is met.

    Returns
    -------
    list of dict
        ``name``, ``target``, ``measured`` (text) and ``met`` (True, False,
        or None when the report does not hold the figure).

    Examples
    --------
    >>> report = {"builds": [
    ...     {"scenario": "cold", "seconds": 500.0, "notebooks_executed": 5,
    ...      "peak_rss_bytes": 3 * GiB},
    ...     {"scenario": "prose-edit", "seconds": 2.0, "notebooks_executed": 1,
    ...      "peak_rss_bytes": GiB}]}
    >>> [(g["name"], g["met"]) for g in evaluate_goals(report)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('cold build', True), ('exercises', None), ('go-further solutions', None),
     ('warm rebuild', None), ('prose edit', False), ('package edit', None),
     ('peak memory', True), ("dense models' throughput", None)]
    """
    limits = {name: limit for name, _, limit in GOALS}
    measured: dict[str, tuple[str, bool] | None] = dict.fromkeys(limits)
    for name, scenario in (("cold build", "cold"), ("warm rebuild", "warm")):
        build = _build(report, scenario)
        if build:
            measured[name] = (format_seconds(build["seconds"]),
                              build["seconds"] <= limits[name])
    parts = _exercise_cost_totals(report)
    cold = _build(report, "cold")
    if parts:
        for name, part in (("exercises", "exercises"),
                           ("go-further solutions", "go_further")):
            measured[name] = (format_seconds(parts[part]),
                              parts[part] <= limits[name])
        if cold:
            lessons = cold["seconds"] - parts["exercises"] - parts["go_further"]
            measured["cold build"] = (
                f"{format_seconds(lessons)} without the exercises "
                f"({format_seconds(cold['seconds'])} in all)",
                lessons <= limits["cold build"])
    prose = _build(report, "prose-edit")
    if prose:
        count = prose["notebooks_executed"]
        measured["prose edit"] = (
            f"{count} notebook{'s' if count != 1 else ''} executed", count == 0)
    package = _build(report, "package-edit")
    if package and package.get("edited"):
        module = module_name(package["edited"])
        importers = sorted(c["doc"] for c in report.get("chapters", [])
                           if module in c.get("dependencies", []))
        executed = sorted(package.get("executed", []))
        measured["package edit"] = (
            f"{module}: {len(executed)} of {len(report.get('chapters', []))} "
            f"chapters executed ({', '.join(executed) or 'none'})",
            executed == importers)
    if report.get("builds"):
        peak = max(b["peak_rss_bytes"] for b in report["builds"])
        measured["peak memory"] = (format_bytes(peak),
                                   peak <= limits["peak memory"])
    dense = [m for m in report.get("models") or [] if m.get("kind") == "dense"]
    if dense:
        worst = min(dense, key=lambda m: m["fraction_of_matmul_bound"])
        met = sum(m["fraction_of_matmul_bound"] >= limits["dense models' "
                                                          "throughput"]
                  for m in dense)
        measured["dense models' throughput"] = (
            f"{met} of {len(dense)} dense models; lowest "
            f"{worst['fraction_of_matmul_bound']:.1%} ({worst['name']})",
            met == len(dense))
    return [
        {"name": name, "target": target,
         "measured": measured[name][0] if measured[name] else "not measured",
         "met": measured[name][1] if measured[name] else None}
        for name, target, _ in GOALS
    ]


def report_markdown(report: dict, section: str,
                    current_digest: str | None = None) -> list[str]:
    """One section of the report, as MyST Markdown lines.

    Parameters
    ----------
    report : dict
        As :func:`read_report` returns it.
    section : str
        One of ``provenance``, ``goals``, ``builds``, ``chapters``,
        ``dependencies``, ``time-split``, ``book-training``, ``throughput``,
        ``vectorize``.
    current_digest : str, optional
        The digest of the book's inputs being built
        (``make inputs-digest``); the provenance section warns when the
        report was measured on other inputs.

    Examples
    --------
    >>> report = {"measured_at": "2026-11-25T17:00:00+00:00",
    ...           "commit": "abc1234def", "dirty": False,
    ...           "inputs_digest": "0123",
    ...           "machine": {"cpus": 2, "cpu_model": "CPU",
    ...                       "memory_bytes": 8 * GiB,
    ...                       "tensorflow": "2.21.0", "keras": "3.15.0"}}
    >>> lines = report_markdown(report, "provenance", current_digest="4567")
    >>> lines[0]
    'Measured on 2026-11-25 at 17:00 UTC, on commit `abc1234`, ...'
    >>> lines[2]
    ':::{warning}'
    >>> report_markdown(report, "builds")
    ['No build was measured.']
    """
    if section not in _SECTIONS:
        raise ValueError(f"unknown report section {section!r}; use one of "
                         f"{', '.join(_SECTIONS)}.")
    return _SECTIONS[section](report, current_digest)


def _provenance_lines(report, current_digest):
    m = report["machine"]
    when = report["measured_at"]
    lines = [
        f"Measured on {when[:10]} at {when[11:16]} UTC, on commit "
        f"`{report['commit'][:7]}`"
        + (" with uncommitted changes" if report.get("dirty") else "")
        + f", by a machine with {m['cpus']} CPU cores ({m['cpu_model']}) and "
        f"{format_bytes(m['memory_bytes'])} of memory, running TensorFlow "
        f"{m['tensorflow']} and Keras {m['keras']}.",
    ]
    if current_digest and report.get("inputs_digest") != current_digest:
        lines += [
            "", ":::{warning}",
            "The book's sources have changed since these figures were "
            "measured. Run `make benchmark` to measure them again.",
            ":::",
        ]
    return lines


def _goals_lines(report, current_digest):
    lines = ["| Goal | Target | Measured | Met |", "|:--|:--|:--|:-:|"]
    for g in evaluate_goals(report):
        met = {True: "yes", False: "**no**", None: "–"}[g["met"]]
        lines.append(f"| {g['name']} | {g['target']} | {g['measured']} | {met} |")
    return lines


def _builds_lines(report, current_digest):
    if not report.get("builds"):
        return ["No build was measured."]
    lines = ["| Build | Wall time | Notebooks executed | Peak memory "
             "| Largest process |", "|:--|--:|--:|--:|--:|"]
    for b in report["builds"]:
        lines.append(
            f"| {b['scenario']} | {format_seconds(b['seconds'])} | "
            f"{b['notebooks_executed']} | {format_bytes(b['peak_rss_bytes'])} | "
            f"{format_bytes(b['peak_process_rss_bytes'])} |")
    return lines


def _chapters_lines(report, current_digest):
    if not report.get("chapters"):
        return ["No chapter execution was measured."]
    lines = ["| Chapter | Execution time | Kernel peak memory |", "|:--|--:|--:|"]
    for c in report["chapters"]:
        seconds = format_seconds(c["seconds"]) if c["seconds"] else "–"
        lines.append(f"| [{c['doc']}]({c['doc']}.md) | {seconds} | "
                     f"{format_bytes(c['peak_rss_bytes'])} |")
    return lines


def _dependencies_lines(report, current_digest):
    chapters = [c for c in report.get("chapters", []) if c.get("dependencies")]
    if not chapters:
        return ["No dependency record was measured."]
    lines = ["| Chapter | `dlbook` modules its kernel imported |", "|:--|:--|"]
    for c in chapters:
        names = ", ".join(f"`{m.removeprefix('dlbook.')}`"
                          for m in c["dependencies"] if m != "dlbook")
        lines.append(f"| [{c['doc']}]({c['doc']}.md) | {names} |")
    package = _build(report, "package-edit")
    if package and package.get("edited"):
        executed = package.get("executed", [])
        lines += ["", f"The package-edit build appended a comment to "
                  f"`{package['edited']}` and executed "
                  f"{len(executed)} notebook{'s' if len(executed) != 1 else ''}"
                  + (f": {', '.join(executed)}." if executed else ".")]
    return lines


def _time_split_lines(report, current_digest):
    chapters = [c for c in report.get("chapters", []) if c.get("time_split")]
    if not chapters:
        return ["No time split was measured."]
    totals: dict[str, float] = {}
    for c in chapters:
        for kind, seconds in c["time_split"].items():
            totals[kind] = totals.get(kind, 0.0) + seconds
    kinds = sorted(totals, key=lambda kind: -totals[kind])  # largest first

    def row(name, split):
        return f"| {name} | " + " | ".join(f"{split.get(k, 0.0):,.0f}"
                                           for k in kinds) + " |"

    lines = ["In seconds of cell time:", "",
             "| Chapter | " + " | ".join(k.capitalize() for k in kinds) + " |",
             "|:--|" + "--:|" * len(kinds)]
    # Short labels (ch01...) keep the seven columns within the page's width.
    lines += [row(f"[{c['doc'].split('_')[0]}]({c['doc']}.md)", c["time_split"])
              for c in chapters]
    lines.append(row("**book**", totals))
    everything = sum(totals.values())
    shares = ", ".join(f"{k} {totals[k] / everything:.0%}" for k in kinds)
    lines += ["", f"Of the book's {format_seconds(everything)} of cell time: "
              f"{shares}."]
    return lines


def _exercise_cost_totals(report) -> dict[str, float] | None:
    """The book's seconds of lesson, exercises and go-further; None if unmeasured."""
    costs = [c["exercise_cost"] for c in report.get("chapters", [])
             if c.get("exercise_cost")]
    if not costs:
        return None
    return {part: sum(cost[part] for cost in costs)
            for part in ("lesson", "exercises", "go_further")}


def _exercise_cost_lines(report, current_digest):
    totals = _exercise_cost_totals(report)
    if totals is None:
        return ["The exercises' cost was not measured."]
    header = ["In seconds of cell time:", "",
              "| Chapter | Lesson | Exercises | Go-further |", "|:--|--:|--:|--:|"]
    rows = []
    for c in report["chapters"]:
        cost = c.get("exercise_cost")
        if not cost:
            continue
        rows.append(f"| [{c['doc'].split('_')[0]}]({c['doc']}.md) | "
                    f"{cost['lesson']:,.0f} | {cost['exercises']:,.1f} | "
                    f"{cost['go_further']:,.0f} |")
    rows.append(f"| **book** | {totals['lesson']:,.0f} | "
                f"{totals['exercises']:,.1f} | {totals['go_further']:,.0f} |")
    return header + rows


def _book_training_lines(report, current_digest):
    work = report.get("book_training")
    if not work:
        return ["The book's training work was not measured."]
    lines = [
        f"The trainings that the chapters record do "
        f"{work['flops'] / 1e12:.2f} TFLOP of work in all. At the bound "
        f"({work['flops_per_second'] / 1e9:.0f} GFLOP/s) that would take "
        f"{format_seconds(work['bound_seconds'])}; the chapters executed in "
        f"{format_seconds(work['execution_seconds'])}. **Ratio: "
        f"{work['ratio']:.1%}** of what the hardware allows.", "",
        "| Chapter | Trainings | TFLOP | At the bound | Executed in | Ratio |",
        "|:--|--:|--:|--:|--:|--:|",
    ]
    for doc, c in work["per_chapter"].items():
        ratio = f"{c['ratio']:.1%}" if c["ratio"] is not None else "–"
        lines.append(f"| [{doc}]({doc}.md) | {c['trainings']} | "
                     f"{c['flops'] / 1e12:.3f} | {format_seconds(c['bound_seconds'])} "
                     f"| {format_seconds(c['execution_seconds'])} | {ratio} |")
    if work["not_counted"]:
        lines += ["", "Not counted (no step or FLOP count): "
                  + ", ".join(work["not_counted"]) + "."]
    return lines


def _throughput_lines(report, current_digest):
    if not report.get("models"):
        return ["No training throughput was measured."]
    matmul = report["matmul"]
    lines = [
        f"Bound: {matmul['flops_per_second'] / 1e9:.1f} GFLOP/s, a float32 "
        f"matrix product of {matmul['n']:,} × {matmul['n']:,} matrices.", "",
        "| Model | Batch | Samples/s | MFLOP/sample | Of bound |",
        "|:--|--:|--:|--:|--:|",
    ]
    for r in report["models"]:
        lines.append(
            f"| {r['name']} | "
            f"{r['batch_size']} | {r['samples_per_second']:,.0f} | "
            f"{r['flops_per_sample'] / 1e6:.3g} | "
            f"{r['fraction_of_matmul_bound']:.1%} |")
    return lines


def _vectorize_lines(report, current_digest):
    v = report.get("vectorize")
    if not v:
        return ["No vectorization timing was measured."]
    loop, vectorized = v["seconds"]["loop"], v["seconds"]["vectorized"]
    lines = [
        f"Multi-hot encoding the {v['samples']:,} IMDB training reviews into "
        f"{v['dimension']:,} columns, best of {v['repeat']} runs each.", "",
        "| Array type | Loop | Vectorized | Speed-up |", "|:--|--:|--:|--:|",
    ]
    for dtype, ratio in v["same_dtype_ratio"].items():
        lines.append(f"| {dtype} | {format_seconds(loop[dtype])} | "
                     f"{format_seconds(vectorized[dtype])} | {ratio:.1f}× |")
    notes = loop.get("float64")
    book = v["notes_vs_book"].get("uint8")
    if notes is not None and book is not None:
        lines += ["", f"The notes' loop in float64 against `vectorize_sequences` "
                  f"in uint8, as the chapters store the reviews: "
                  f"{format_seconds(notes)} against "
                  f"{format_seconds(vectorized['uint8'])}, {book:.1f}× as fast."]
    return lines


def _kfold_lines(report, current_digest):
    k = report.get("kfold")
    if not k:
        return ["No K-fold feeding timing was measured."]
    lines = [
        f"K-fold validation of the Boston network on the {k['samples']} "
        "training houses, each fold normalized with its own statistics and "
        "validated after every epoch.", "",
        "| Setting | Folds × epochs | Arrays | Pipelines | Speed-up |",
        "|:--|--:|--:|--:|--:|",
    ]
    for name, s in k["settings"].items():
        lines.append(f"| {name} | {s['k']} × {s['epochs']} | "
                     f"{format_seconds(s['seconds']['arrays'])} | "
                     f"{format_seconds(s['seconds']['pipelines'])} | "
                     f"{s['ratio']:.1f}× |")
    return lines


def _hugepages_lines(report, current_digest):
    h = report.get("hugepages")
    if not h:
        return ["No first-touch timing was measured."]
    seconds = h["seconds"]
    lines = [
        f"Making {h['arrays']} NumPy arrays of {h['megabytes']} MiB in a fresh "
        f"process, each run after a pause of {h['pause']:g} s, best of "
        f"{h['rounds']} runs each; the kernel's transparent huge page policy: "
        f"`{h['policy'] or 'not shown'}`.", "",
        "| NumPy's setting | Memory marked for huge pages | Time |",
        "|:--|:--|--:|",
    ]
    for name, value, whose in (("huge pages", 1, "NumPy's default on Linux"),
                               ("ordinary pages", 0, "the Makefile's")):
        advised = {True: "yes", False: "no", None: "not shown"}[
            h["advised"][name]]
        lines.append(f"| `NUMPY_MADVISE_HUGEPAGE={value}` ({whose}) | "
                     f"{advised} | {format_seconds(seconds[name])} |")
    lines += ["", f"NumPy's default takes {h['ratio']:.1f}× as long as the "
              "Makefile's setting."]
    return lines


_SECTIONS = {"provenance": _provenance_lines, "goals": _goals_lines,
             "builds": _builds_lines, "chapters": _chapters_lines,
             "dependencies": _dependencies_lines,
             "time-split": _time_split_lines,
             "exercise-cost": _exercise_cost_lines,
             "book-training": _book_training_lines,
             "throughput": _throughput_lines, "vectorize": _vectorize_lines,
             "kfold": _kfold_lines, "hugepages": _hugepages_lines}


def read_json_file(path: Path, schema: int, kind: str, target: str,
                   required=()) -> dict:
    """Read a report that a make target writes; check its schema and fields.

    ``kind`` names the report in messages ("benchmark report"), and
    ``target`` the make target that writes it ("benchmark"): every error
    says to run it.

    Raises
    ------
    ValueError
        If the file is missing, is not JSON, is no JSON object, lacks a
        field of ``required`` or has another schema.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "audit.json"
    >>> _ = path.write_text('{"schema": 0}')
    >>> try:
    ...     read_json_file(path, 1, "page audit", "audit")
    ... except ValueError as error:
    ...     print(str(error).split("; ")[-1])
    run `make audit` to write it again.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no {kind} at {path}; run `make {target}` to "
                         "measure one.")
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error}); run "
                         f"`make {target}` to write it again.") from None
    if not isinstance(report, dict):
        raise ValueError(f"{path} holds no JSON object; run `make {target}`.")
    missing = [k for k in required if k not in report]
    if missing or report.get("schema") != schema:
        raise ValueError(
            f"{path} is not a schema-{schema} {kind} (missing "
            f"{', '.join(missing) or 'nothing'}, schema "
            f"{report.get('schema')!r}); run `make {target}` to write it "
            "again.")
    return report


def read_report(path: Path) -> dict:
    """Read and check a benchmark report (:func:`read_json_file`)."""
    return read_json_file(path, SCHEMA, "benchmark report", "benchmark",
                          REQUIRED)


def write_report(report: dict, path: Path) -> None:
    """Write ``report`` as stable JSON: plain values, sorted keys, 2 spaces.

    Raises
    ------
    TypeError
        If a value is not plain JSON (a Python object, a NumPy number).
    """
    text = json.dumps(report, indent=2, sort_keys=True, allow_nan=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
