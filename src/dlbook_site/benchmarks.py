"""The "Benchmarks" page: the figures of the last ``make benchmark`` run.

``python -m benchmarks`` (``make benchmark``) times the book's builds and
its models' training and writes ``benchmarks/report.json``. This extension
renders that file where a page holds the ``benchmarks`` directive, one
section per directive (``provenance``, ``goals``, ``builds``, ``chapters``,
``throughput``, ``vectorize``), with ``benchmarks.report``, which
defines the report: the site renders the benchmark's report, the benchmark
never imports the site. The page is rebuilt whenever the report changes,
and re-read on every build: when the digest of the book's inputs
(:func:`dlbook_site.inputs.inputs_digest`) differs from the one the report
was measured on, its provenance section says so.

A missing, malformed or outdated report is a warning, which ``-W`` makes
fatal. The ``page-audit`` directive renders ``make audit``'s Lighthouse
report (``benchmarks/audit.json``, the ``dlbook_audit_report`` setting) the
same way, with ``benchmarks.audit``.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.benchmarks"]``;
the ``dlbook_benchmarks_report`` setting names the report, relative to the
configuration folder. The project's root must be on ``PYTHONPATH`` (make
puts it there), for ``benchmarks.report``.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from benchmarks.audit import audit_markdown, read_audit
from benchmarks.report import read_report, report_markdown
from dlbook_site.inputs import inputs_digest

logger = logging.getLogger(__name__)


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
            section = self.arguments[0]
            # Only the provenance section compares the inputs: hash them once.
            current = inputs_digest(root) if section == "provenance" else None
            lines = report_markdown(report, section, current)
        except ValueError as error:
            logger.warning(str(error), location=self.get_location())
            return []
        container = nodes.container(classes=["dlbook-benchmarks"])
        self.state.nested_parse(
            StringList(lines, self.env.docname),
            self.content_offset, container,
        )
        return [container]


class PageAudit(SphinxDirective):
    """``page-audit``: the last ``make audit`` (``benchmarks/audit.json``)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.app.confdir) / self.config.dlbook_audit_report
        self.env.note_dependency(str(path))
        try:
            lines = audit_markdown(read_audit(path))
        except ValueError as error:
            logger.warning(str(error), location=self.get_location())
            return []
        container = nodes.container(classes=["dlbook-benchmarks"])
        self.state.nested_parse(StringList(lines, self.env.docname),
                                self.content_offset, container)
        return [container]


def _reread_report_pages(app, env, added, changed, removed) -> list[str]:
    """Re-read the report's page on every build (``env-get-outdated``).

    Its warning about changed inputs depends on every chapter.
    """
    page = app.config.dlbook_benchmarks_page
    return [page] if page in env.found_docs else []


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_benchmarks_report", "benchmarks/report.json",
                         "env", str)
    app.add_config_value("dlbook_benchmarks_page", "benchmarks", "env", str)
    app.add_config_value("dlbook_audit_report", "benchmarks/audit.json", "env", str)
    app.add_directive("benchmarks", BenchmarkReport)
    app.add_directive("page-audit", PageAudit)
    app.connect("env-get-outdated", _reread_report_pages)
    return {"version": "2", "parallel_read_safe": True,
            "parallel_write_safe": True}
