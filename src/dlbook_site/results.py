"""The results page and ``results.json``: every headline figure of the book.

Chapters record their figures with :func:`dlbook.results.record_result`,
which stores each one as a hidden MyST-NB glue output. MyST-NB writes each
executed notebook's glue outputs to ``<docname>.glue.json`` beside the
executed notebook. This extension

- reads those files for every document of the book
  (:func:`collect_results`);
- renders them as one table where the results page (the document named by
  the ``dlbook_results_page`` setting, ``"results"`` by default) holds the
  ``results-table`` directive; that page is read after the chapters and
  re-read on every build, so it always shows the figures as built;
- writes them to ``results.json`` at the root of the site;
- sets each figure beside its spread over seeds (``benchmarks/seeds.json``,
  :mod:`dlbook_site.spread`): the table and ``results.json`` give the
  seeds' mean, standard deviation and range, the floor they set and where
  the published figure lies; the ``results-spread`` directive draws them.
  A figure worse than its floor fails the build; one that was never
  measured over seeds is a warning (fatal with ``-W``), and a measurement
  older than the chapters' code is a warning on the page.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.results"]``, after
``"dlbook_site.spread"``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from benchmarks.seeds import placement, read_seeds
from dlbook.results import GLUE_PREFIX, MIME_TYPE, SOURCES, Result, make_result
from dlbook_site.spread import (
    check_against_seeds,
    floor_text,
    format_value,
    meets_floor,
    provenance_markdown,
    seeds_path,
    spread_figure_node,
    stale_chapters,
)
from dlbook_site.toc import numbered_title, reading_order

#: The class of the results table's container (``dlbook.css`` styles it).
TABLE_CLASS = "dlbook-results"

logger = logging.getLogger(__name__)

#: The file, at the root of the built site, that holds every result.
RESULTS_FILE = "results.json"


def read_glued_results(glue_file: Path) -> list[Result]:
    """Read the results that one executed notebook recorded.

    Parameters
    ----------
    glue_file : pathlib.Path
        A ``<docname>.glue.json`` file written by MyST-NB.

    Returns
    -------
    list of dlbook.results.Result
        In the order the notebook recorded them.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> record = {"key": "k", "value": 0.9, "description": "d",
    ...           "metric": "test accuracy", "higher_is_better": True,
    ...           "reference": None, "source": None}
    >>> glue = {GLUE_PREFIX + "k": {"data": {MIME_TYPE: record}},
    ...         "other_number": {"data": {"text/plain": "3"}}}
    >>> path = Path(tempfile.mkdtemp()) / "ch.glue.json"
    >>> _ = path.write_text(json.dumps(glue))
    >>> [(r.key, r.value) for r in read_glued_results(path)]
    [('k', 0.9)]
    """
    glue = json.loads(glue_file.read_text(encoding="utf-8"))
    results = []
    for name, output in glue.items():
        if not name.startswith(GLUE_PREFIX):
            continue
        record = output.get("data", {}).get(MIME_TYPE)
        if not isinstance(record, dict):
            raise ValueError(
                f"{glue_file}: glue output {name!r} holds no JSON record; "
                "record results with dlbook.results.record_result only."
            )
        results.append(make_result(**record))
    return results


def collect_results(app: Sphinx) -> list[tuple[str, Result]]:
    """Every recorded result of the book, as ``(docname, result)`` pairs.

    Documents come in the order of the book's table of contents; a key
    recorded twice is an error (a warning, which ``-W`` makes fatal).
    """
    folder = Path(app.env.mystnb_config.output_folder)
    order = reading_order(app.env)
    seen: dict[str, str] = {}
    collected = []
    for docname in order:
        glue_file = folder / f"{docname}.glue.json"
        if not glue_file.is_file():
            continue
        for result in read_glued_results(glue_file):
            if result.key in seen:
                logger.warning(
                    "result %r is recorded by both %s and %s; keys must be "
                    "unique", result.key, seen[result.key], docname,
                )
                continue
            seen[result.key] = docname
            collected.append((docname, result))
    return collected


def _format(value: float | None) -> str:
    """A published figure, as given: 0.9, 2.55."""
    return "" if value is None else f"{value:g}"


def _short_title(title: str) -> str:
    """ "3. Getting started" -> "Ch. 3"; a title with no number stays."""
    number = re.match(r"(\d+)\.\s", title)
    return f"Ch. {number.group(1)}" if number else title.replace("|", "\\|")


def results_markdown(
    results: list[tuple[str, Result]], titles: dict[str, str], seeds: dict
) -> list[str]:
    """The results table and its list of sources, as MyST Markdown lines.

    Examples
    --------
    >>> r = make_result("imdb", 0.8804, description="IMDB, dense",
    ...                 metric="test accuracy",
    ...                 reference=0.885, source="chollet2017")
    >>> seeds = {"results": {"imdb": {
    ...     "values": {"0": 0.8804, "1": 0.8790, "2": 0.8830},
    ...     "mean": 0.8808, "sd": 0.0020, "min": 0.8790, "max": 0.8830,
    ...     "floor": 0.874, "higher_is_better": True}}}
    >>> lines = results_markdown([("ch03", r)], {"ch03": "3. Getting started"},
    ...                          seeds)
    >>> lines[2].split(" | ")
    ['| [Ch. 3](ch03.md)', 'IMDB, dense (test accuracy)', '0.8804',
     '0.8808 ± 0.0020', '0.8790–0.8830 (3)', '≥ 0.874', '0.885 [1] (above) |']
    >>> lines[-1]
    '1. François Chollet, *Deep Learning with Python*, 1st edition, ...'
    """
    used = []
    for _, result in results:
        if result.source and result.source not in used:
            used.append(result.source)
    lines = [
        "| Chapter | Experiment (metric) | This build | Seeds: mean ± sd "
        "| Range (seeds) | Floor | Published (vs range) |",
        "|:--|:--|--:|--:|--:|--:|--:|",
    ]
    previous = None
    for docname, result in results:
        entry = seeds["results"].get(result.key)
        mean = low_high = floor = ""
        reference = _format(result.reference)
        if result.source:
            reference += f" [{used.index(result.source) + 1}]"
        if entry is not None:
            mean = f"{format_value(entry['mean'])} ± {entry['sd']:.4f}"
            low_high = (f"{format_value(entry['min'])}–"
                        f"{format_value(entry['max'])} ({len(entry['values'])})")
            floor = floor_text(entry)
            if result.reference is not None:
                where = placement(result.reference, entry["min"], entry["max"])
                reference += f" ({where})"
        chapter = ""
        if docname != previous:  # name each chapter once, on its first row
            chapter = f"[{_short_title(titles.get(docname, docname))}]({docname}.md)"
        previous = docname
        lines.append(
            f"| {chapter} | {result.description} ({result.metric}) | "
            f"{format_value(result.value)} | {mean} | {low_high} | {floor} | "
            f"{reference} |"
        )
    if used:
        lines += ["", "Published figures:", ""]
        for number, key in enumerate(used, start=1):
            citation, url = SOURCES[key]
            lines.append(f"{number}. {citation}. <{url}>")
    return lines


def _seeds(directive: SphinxDirective) -> dict | None:
    path = seeds_path(directive.env.app)
    directive.env.note_dependency(str(path))
    try:
        return read_seeds(path)
    except ValueError as error:
        logger.warning(str(error), location=directive.get_location())
        return None


def _stale_warning(seeds: dict, root: Path) -> list[str]:
    stale = stale_chapters(seeds, root)
    if not stale:
        return []
    return [":::{warning}",
            f"The code of {', '.join(stale)} has changed since the spreads "
            f"over seeds were measured ({seeds['measured_at'][:10]}). Run "
            "`make seeds` to measure them again.", ":::", ""]


class ResultsTable(SphinxDirective):
    """``results-table``: the table of every result the book records."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        results = collect_results(self.env.app)
        if not results:
            logger.warning(
                "the results table is empty: no chapter called "
                "dlbook.results.record_result", location=self.get_location(),
            )
            return []
        seeds = _seeds(self)
        if seeds is None:
            return []
        below, missing = check_against_seeds(results, seeds)
        if below:
            raise ExtensionError("results under their floor:\n" + "\n".join(below))
        for message in missing:
            logger.warning(message, location=self.get_location())
        titles = {docname: numbered_title(self.env, docname)
                  for docname, _ in results}
        lines = _stale_warning(seeds, Path(self.env.app.confdir))
        lines += results_markdown(results, titles, seeds) + [""]
        lines += provenance_markdown(seeds, {
            name: _short_title(numbered_title(self.env, name))
            for name in seeds["chapters"] if name in self.env.found_docs})
        container = nodes.container(classes=[TABLE_CLASS])
        self.state.nested_parse(
            StringList(lines, self.env.docname),
            self.content_offset, container,
        )
        if self.env.docname != self.config.dlbook_results_page:
            logger.warning(
                "the results table belongs on the page named by the "
                "dlbook_results_page setting (%r), which is read after the "
                "chapters", self.config.dlbook_results_page,
                location=self.get_location(),
            )
        return [container]


class ResultsSpread(SphinxDirective):
    """``results-spread``: each chapter's figures over seeds, a dot plot each."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        results = collect_results(self.env.app)
        seeds = _seeds(self)
        if seeds is None:
            return []
        figures = []
        for docname in dict.fromkeys(d for d, _ in results):
            rows = []
            for _, result in (p for p in results if p[0] == docname):
                entry = seeds["results"].get(result.key)
                if entry is None:
                    continue  # the table's check names it
                rows.append({"label": f"{result.description} ({result.metric})",
                             "values": list(entry["values"].values()),
                             "build": result.value, "floor": entry["floor"],
                             "reference": result.reference})
            if not rows:
                continue
            title = numbered_title(self.env, docname)
            n = sorted({len(r["values"]) for r in rows})
            caption = (f"{title}: each figure over {' or '.join(map(str, n))} "
                       "seeds (dots), this build (diamond), the published "
                       "figure (solid line) and the floor (dotted line).")
            alt = (f"Dot plots of the {len(rows)} figures of {title}, one row "
                   "each: " + "; ".join(
                       f"{r['label']}: seeds from {format_value(min(r['values']))}"
                       f" to {format_value(max(r['values']))}, this build "
                       f"{format_value(r['build'])}"
                       + (f", published {r['reference']:g}"
                          if r["reference"] is not None else "")
                       for r in rows))
            figures.append(spread_figure_node(
                rows, caption, alt, Path(self.env.app.outdir) / "_images",
                "../" * self.env.docname.count("/")))
        return figures


def _read_results_page_last(app, env, docnames: list[str]) -> None:
    """Read the results page after every chapter (``env-before-read-docs``)."""
    page = app.config.dlbook_results_page
    if page in docnames:
        docnames.remove(page)
        docnames.append(page)


def _reread_results_page(app, env, added, changed, removed) -> list[str]:
    """Re-read the results page on every build (``env-get-outdated``)."""
    page = app.config.dlbook_results_page
    return [page] if page in env.found_docs else []


def write_results_json(app: Sphinx, exception: Exception | None) -> None:
    """Write ``results.json`` at the root of the site (``build-finished``)."""
    if exception is not None or app.builder.format != "html":
        return
    results = collect_results(app)
    used = sorted({r.source for _, r in results if r.source})
    try:
        seeds = read_seeds(seeds_path(app))["results"]
    except ValueError:  # the results page's directive has warned
        seeds = {}
    payload = {
        "results": [
            {"chapter": docname, "page": app.builder.get_target_uri(docname),
             **result.to_dict(), **_spread_fields(result, seeds.get(result.key))}
            for docname, result in results
        ],
        "sources": {
            key: {"citation": SOURCES[key][0], "url": SOURCES[key][1]}
            for key in used
        },
    }
    path = Path(app.outdir) / RESULTS_FILE
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def _spread_fields(result: Result, entry: dict | None) -> dict:
    """A result's fields in ``results.json`` from its spread over seeds."""
    if entry is None:
        return {"seeds": None, "floor": None, "meets_floor": None,
                "published_vs_seeds": None}
    return {
        "seeds": {"values": entry["values"], "mean": entry["mean"],
                  "sd": entry["sd"], "min": entry["min"], "max": entry["max"]},
        "floor": entry["floor"],
        "meets_floor": meets_floor(result.value, entry),
        "published_vs_seeds": (None if result.reference is None else
                               placement(result.reference, entry["min"],
                                         entry["max"])),
    }


def _mark_a_page_with_the_table(app, pagename, templatename, context,
                                doctree) -> None:
    """``dlbook_results_table`` in the page's template context: whether the
    page holds the results table (the results page, and the single page
    that ``make pdf`` prints); layout.html marks its body for dlbook.css."""
    context["dlbook_results_table"] = doctree is not None and any(
        TABLE_CLASS in node["classes"] for node in doctree.findall(nodes.container))


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_results_page", "results", "env", str)
    app.add_directive("results-table", ResultsTable)
    app.add_directive("results-spread", ResultsSpread)
    app.connect("env-before-read-docs", _read_results_page_last)
    app.connect("env-get-outdated", _reread_results_page)
    app.connect("build-finished", write_results_json)
    app.connect("html-page-context", _mark_a_page_with_the_table)
    return {"version": "1", "parallel_read_safe": False,
            "parallel_write_safe": True}
