"""The "Benchmarks" page: the figures of the last ``make benchmark`` run.

``python -m benchmarks`` (``make benchmark``) times the book's builds and
its models' training and writes ``benchmarks/report.json``. This extension
renders that file where a page holds the ``benchmarks`` directive:
where and when it was measured, the goals and whether each is met, the
builds, the chapters, the models and the vectorization ratio. The page is
rebuilt whenever the report changes. When the book's sources have changed
since the report was measured, the page says so.

A missing or malformed report is a warning, which ``-W`` makes fatal.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.benchmarks"]``;
the ``dlbook_benchmarks_report`` setting names the report, relative to the
configuration folder.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

GiB = 2**30

#: The goals of the build on the 2-core machine: (name, target, limit).
GOALS = (
    ("cold build", "at most 15 min", 15 * 60),
    ("warm rebuild", "at most 30 s", 30),
    ("prose edit", "executes nothing", 0),
    ("peak memory", "at most 4 GiB", 4 * GiB),
    ("dense models' throughput", "at least 30% of the matmul bound", 0.30),
)

#: What the sources digest covers: whatever a build of the book reads.
_SOURCE_GLOBS = ("book/**/*", "src/**/*.py", "conf.py", "requirements.lock",
                 "pyproject.toml")
_REPORT_PAGE = "book/benchmarks.md"


def sources_digest(root: Path) -> str:
    """A hash of the files a build of the book reads, bar the report page.

    The site's Sphinx extensions (``src/dlbook/sphinxext``) are left out,
    as they are from the execution cache's key: they change how a page is
    rendered, not what the chapters run.

    Parameters
    ----------
    root : pathlib.Path
        The project's top folder, where ``conf.py`` is.

    Returns
    -------
    str
        16 hexadecimal digits; equal digests mean equal sources.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "book").mkdir()
    >>> _ = (root / "book" / "ch.md").write_text("# One")
    >>> before = sources_digest(root)
    >>> _ = (root / "book" / "benchmarks.md").write_text("# Report")
    >>> sources_digest(root) == before
    True
    >>> _ = (root / "book" / "ch.md").write_text("# Two")
    >>> sources_digest(root) == before
    False
    """
    digest = hashlib.sha256()
    files = set()
    for pattern in _SOURCE_GLOBS:
        files.update(p for p in root.glob(pattern) if p.is_file())
    for path in sorted(files):
        relative = path.relative_to(root).as_posix()
        if (relative == _REPORT_PAGE or "__pycache__" in relative
                or relative.startswith("src/dlbook/sphinxext/")):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


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
    ...     {"scenario": "cold", "seconds": 700.0, "notebooks_executed": 5,
    ...      "peak_rss_bytes": 3 * GiB},
    ...     {"scenario": "prose-edit", "seconds": 2.0, "notebooks_executed": 1,
    ...      "peak_rss_bytes": GiB}]}
    >>> [(g["name"], g["met"]) for g in evaluate_goals(report)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('cold build', True), ('warm rebuild', None), ('prose edit', False),
     ('peak memory', True), ("dense models' throughput", None)]
    """
    limits = {name: limit for name, _, limit in GOALS}
    measured: dict[str, tuple[str, bool] | None] = dict.fromkeys(limits)
    for name, scenario in (("cold build", "cold"), ("warm rebuild", "warm")):
        build = _build(report, scenario)
        if build:
            measured[name] = (format_seconds(build["seconds"]),
                              build["seconds"] <= limits[name])
    prose = _build(report, "prose-edit")
    if prose:
        count = prose["notebooks_executed"]
        measured["prose edit"] = (
            f"{count} notebook{'s' if count != 1 else ''} executed", count == 0)
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
        ``throughput``, ``vectorize``.
    current_digest : str, optional
        :func:`sources_digest` of the sources being built; the provenance
        section warns when the report was measured on other sources.

    Examples
    --------
    >>> report = {"measured_at": "2026-11-25T17:00:00+00:00",
    ...           "commit": "abc1234def", "dirty": False,
    ...           "sources_digest": "0123",
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
    if current_digest and report.get("sources_digest") != current_digest:
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


_SECTIONS = {"provenance": _provenance_lines, "goals": _goals_lines,
             "builds": _builds_lines, "chapters": _chapters_lines,
             "throughput": _throughput_lines, "vectorize": _vectorize_lines}


def read_report(path: Path) -> dict:
    """Read and check a benchmark report.

    Raises
    ------
    ValueError
        If the file is missing, is not JSON, or lacks a required field.
    """
    if not path.is_file():
        raise ValueError(f"no benchmark report at {path}; run `make benchmark` "
                         "to measure one.")
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error}); run "
                         "`make benchmark` to write it again.") from None
    missing = [k for k in ("schema", "measured_at", "commit", "machine")
               if k not in report]
    if missing or report.get("schema") != 1:
        raise ValueError(f"{path} is not a schema-1 benchmark report (missing "
                         f"{', '.join(missing) or 'nothing'}, schema "
                         f"{report.get('schema')!r}); run `make benchmark`.")
    return report


class BenchmarkReport(SphinxDirective):
    """``benchmarks SECTION``: one section of the benchmark report."""

    has_content = False
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.app.confdir)
        path = root / self.config.dlbook_benchmarks_report
        self.env.note_dependency(str(path))
        try:
            report = read_report(path)
            lines = report_markdown(report, self.arguments[0],
                                    sources_digest(root))
        except ValueError as error:
            logger.warning(str(error), location=self.get_location())
            return []
        container = nodes.container(classes=["dlbook-benchmarks"])
        self.state.nested_parse(
            StringList(lines, self.env.docname),
            self.content_offset, container,
        )
        return [container]


def _reread_report_pages(app, env, added, changed, removed) -> list[str]:
    """Re-read the report's page on every build (``env-get-outdated``).

    Its warning about changed sources depends on every chapter.
    """
    page = app.config.dlbook_benchmarks_page
    return [page] if page in env.found_docs else []


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_benchmarks_report", "benchmarks/report.json",
                         "env", str)
    app.add_config_value("dlbook_benchmarks_page", "benchmarks", "env", str)
    app.add_directive("benchmarks", BenchmarkReport)
    app.connect("env-get-outdated", _reread_report_pages)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
