"""Audit the built site's pages with Lighthouse: ``benchmarks/audit.json``.

``make audit`` installs Lighthouse (the version the Makefile pins, from the
npm registry, into the build folder) and runs this module, which serves the
built site with a plain static file server on localhost (no compression, as
``python -m http.server`` serves it), audits every page of the book with
Lighthouse's default mobile preset (simulated slow 4G and a 4× slower CPU)
in Debian's Chromium, and writes, per page, the four category scores, the
first and largest contentful paint, the total blocking time, the layout
shift, the bytes transferred and the request count (:func:`summarize`).
Each page is audited :data:`RUNS_PER_PAGE` times and the report keeps the
run Lighthouse's own ``computeMedianRun`` picks (the run nearest the median
first paint and time to interactive), as Lighthouse's documentation on
variability advises, since one page's score varies from run to run.
The site's Benchmarks page renders the file (:func:`audit_markdown`,
through ``dlbook_site.benchmarks``).

Lighthouse's scores and paint times depend on the machine; bytes and
requests do not.

Usage::

    python -m benchmarks.audit --lighthouse PATH [--site _build/html]
                               [--out benchmarks/audit.json] [PAGE ...]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.builds import ROOT
from benchmarks.report import format_seconds, read_json_file
from benchmarks.static_server import serve

AUDIT = ROOT / "benchmarks" / "audit.json"
SCHEMA = 1

#: How many times each page is audited; the report keeps the median run.
RUNS_PER_PAGE = 3

#: Lighthouse's categories, in the order the report shows them.
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

#: The targets of the site's speed and accessibility (the report marks a
#: score below its target, and a largest paint above its own).
SCORE_TARGETS = {"performance": 0.90, "accessibility": 1.0,
                 "best-practices": 1.0, "seo": 1.0}
LARGEST_PAINT_TARGET_SECONDS = 2.5

#: What a page may weigh as loaded, every image included (its HTML, style
#: sheets, scripts, fonts and images, uncompressed as a plain static server
#: sends them), and how many requests it may make. They do not depend on
#: the machine, so the browser test asserts them on every page
#: (tests/test_site_audit.py); the report marks a page over either. They
#: were set when pages weighed up to 2.3 MB with MathJax's 1.2 MB script;
#: they now weigh far less (the audit's report says how much). The speed
#: target itself is Lighthouse's (SCORE_TARGETS).
PAGE_BYTES_BUDGET = 3 * 2**20
PAGE_REQUESTS_BUDGET = 40

#: What a page's first paint may wait for, besides the page's own HTML: the
#: rules it inlines (dlbook_site.critical_css: those its elements use), the
#: style sheets it fetches before its load event, and the scripts in its
#: head that are neither deferred nor asynchronous. On Lighthouse's
#: simulated slow 4G (1.6 Mbit/s) each 100 KB of it costs every page half a
#: second of first paint; it was about 680 KB (the theme's whole style sheet
#: and seven scripts) before dlbook_site.unused_css and the deferred
#: scripts, and about 135 KB (the purged sheets) before the inlined rules.
#: A chapter's inlined rules come close to it: more would mean a style
#: sheet that needs purging, or rules inlined that a page does not use.
#: The browser test asserts it on every page.
RENDER_BLOCKING_BYTES_BUDGET = 64 * 2**10


def book_pages(book: Path) -> list[str]:
    """Every page of the book, the index first, then by name (a page in a
    folder, such as the API reference's, by its path).

    Examples
    --------
    >>> import tempfile
    >>> book = Path(tempfile.mkdtemp())
    >>> (book / "api").mkdir()
    >>> for name in ("results.md", "index.md", "ch01_intro.md", "notes.txt",
    ...              "api.md", "api/models.md"):
    ...     _ = (book / name).write_text("")
    >>> book_pages(book)
    ['index', 'api', 'api/models', 'ch01_intro', 'results']
    """
    book = Path(book)
    names = sorted(p.relative_to(book).with_suffix("").as_posix()
                   for p in book.rglob("*.md"))
    return (["index"] if "index" in names else []) + [n for n in names
                                                       if n != "index"]


def page_label(page: str) -> str:
    """How the report names a page: a chapter by its number, any other page
    by its name.

    Examples
    --------
    >>> page_label("ch02_building_blocks"), page_label("api/site/time_split")
    ('ch02', 'api/site/time_split')
    """
    chapter = re.match(r"ch\d+(?=_)", page)
    return chapter.group() if chapter else page


def summarize(lighthouse_result: dict) -> dict:
    """The figures the report keeps from one Lighthouse result (its JSON).

    Examples
    --------
    >>> lhr = {"categories": {c: {"score": 0.5} for c in CATEGORIES},
    ...        "audits": {
    ...            "first-contentful-paint": {"numericValue": 1500.0},
    ...            "largest-contentful-paint": {"numericValue": 2600.0},
    ...            "total-blocking-time": {"numericValue": 180.4},
    ...            "cumulative-layout-shift": {"numericValue": 0.0123},
    ...            "total-byte-weight": {"numericValue": 2048.0},
    ...            "network-requests": {"details": {"items": [{}, {}, {}]}}}}
    >>> s = summarize(lhr)
    >>> s["scores"]["seo"], s["first_paint_seconds"], s["blocking_ms"]
    (0.5, 1.5, 180)
    >>> s["layout_shift"], s["bytes"], s["requests"]
    (0.012, 2048, 3)
    """
    audits = lighthouse_result["audits"]
    return {
        "scores": {c: lighthouse_result["categories"][c]["score"]
                   for c in CATEGORIES},
        "first_paint_seconds":
            audits["first-contentful-paint"]["numericValue"] / 1000,
        "largest_paint_seconds":
            audits["largest-contentful-paint"]["numericValue"] / 1000,
        "blocking_ms": round(audits["total-blocking-time"]["numericValue"]),
        "layout_shift":
            round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def find_chromium() -> str | None:
    """Debian's Chromium, or the browser ``$DLBOOK_CHROMIUM`` names; None if
    there is none (the browser test and ``make audit`` share this lookup)."""
    path = os.environ.get("DLBOOK_CHROMIUM") or shutil.which("chromium")
    return path if path and Path(path).is_file() else None


def audit_page(url: str, lighthouse: Path, browser: str,
               runs: int = RUNS_PER_PAGE) -> dict:
    """Run Lighthouse ``runs`` times on one address; the median run's result
    (its JSON), as Lighthouse's own ``computeMedianRun`` picks it."""
    with tempfile.TemporaryDirectory() as folder:
        outs = [Path(folder) / f"result-{run}.json" for run in range(runs)]
        for out in outs:
            subprocess.run(
                [str(lighthouse), url, "--quiet", "--output=json",
                 f"--output-path={out}",
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                check=True, env={**os.environ, "CHROME_PATH": browser},
            )
        median = median_run(lighthouse, outs)
        return json.loads(median.read_text(encoding="utf-8"))


def median_run(lighthouse: Path, results: list[Path]) -> Path:
    """Which of several Lighthouse results (JSON files) is the median run,
    by Lighthouse's own ``computeMedianRun`` (``core/lib/median-run.js`` of
    the package ``lighthouse`` is the command of)."""
    module = (lighthouse.parent.parent / "lighthouse" / "core" / "lib"
              / "median-run.js").resolve()  # a file URI needs an absolute path
    script = (f"import {{computeMedianRun}} from {json.dumps(module.as_uri())};"
              "import {readFileSync} from 'node:fs';"
              "const runs = process.argv.slice(1).map("
              "(path) => JSON.parse(readFileSync(path, 'utf8')));"
              "console.log(runs.indexOf(computeMedianRun(runs)));")
    node = shutil.which("node") or "node"
    chosen = subprocess.run(
        [node, "--input-type=module", "-e", script, *map(str, results)],
        check=True, capture_output=True, text=True).stdout
    return results[int(chosen)]


def audit_site(site: Path, pages: list[str], lighthouse: Path) -> dict:
    """Serve ``site`` on localhost and audit each page; the report."""
    browser = find_chromium()
    if browser is None:
        raise SystemExit("Chromium was not found: install Debian's package "
                         "(apt-get install chromium) or set DLBOOK_CHROMIUM.")
    results, version = {}, None
    with serve(site) as base:
        for page in pages:
            result = audit_page(f"{base}{page}.html", lighthouse, browser)
            version = result["lighthouseVersion"]
            results[page] = summarize(result)
            print(f"{page}: performance {results[page]['scores']['performance']}",
                  flush=True)
    return {"schema": SCHEMA, "lighthouse": version,
            "preset": "mobile (Lighthouse's default: simulated slow 4G, 4× CPU)",
            "runs_per_page": RUNS_PER_PAGE,
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="seconds"),
            "cpus": len(os.sched_getaffinity(0)), "pages": results}


def read_audit(path: Path) -> dict:
    """Read an audit report; a missing or malformed one is a ValueError."""
    return read_json_file(path, SCHEMA, "page audit", "audit")


def _score(category: str, score: float | None) -> str:
    if score is None:
        return "–"
    text = f"{score:.2f}"
    return text if score >= SCORE_TARGETS[category] else f"**{text}**"


def audit_markdown(report: dict) -> list[str]:
    """The report as Markdown: a sentence, then the scores and the loads, by page.

    Examples
    --------
    >>> page = {"scores": dict.fromkeys(CATEGORIES, 1.0),
    ...         "first_paint_seconds": 0.9, "largest_paint_seconds": 3.0,
    ...         "blocking_ms": 210, "layout_shift": 0.0,
    ...         "bytes": 2 * 2**20, "requests": 12 + PAGE_REQUESTS_BUDGET}
    >>> lines = audit_markdown({"lighthouse": "12.2.1", "preset": "mobile",
    ...                         "runs_per_page": 3,
    ...                         "measured_at": "2026-12-05T05:00:00+00:00",
    ...                         "cpus": 2, "pages": {"index": page}})
    >>> lines[-1].split(" | ")[-6:]
    ['900 ms', '**3.0 s**', '210 ms', '0.000', '2,048', '**52** |']
    """
    targets = ", ".join(f"{c} {t:.2f}" for c, t in SCORE_TARGETS.items())
    # Reports written before the median of several runs and the blocking
    # time and layout shift were kept lack them: "–" and nothing said.
    runs = (f"; each page audited {report['runs_per_page']} times, the median "
            "run kept (Lighthouse's own choice of it)"
            if "runs_per_page" in report else "")
    lines = [
        f"Lighthouse {report['lighthouse']}, {report['preset']}, on "
        f"{report['measured_at'][:10]} ({report['cpus']} CPU cores){runs}. Bold: "
        f"a score under its target ({targets}) or a largest paint over "
        f"{LARGEST_PAINT_TARGET_SECONDS} s, or bytes and requests over "
        f"their budgets ({PAGE_BYTES_BUDGET / 1024:,.0f} KiB and "
        f"{PAGE_REQUESTS_BUDGET} requests a page). FCP and LCP: the first and "
        "the largest contentful paint; TBT: the total blocking time; CLS: "
        "the cumulative layout shift; KiB: the bytes transferred.", "",
        "| Page | Performance | Accessibility | Best practices | SEO |",
        "|:--|--:|--:|--:|--:|",
    ]
    loads = ["", "| Page | FCP | LCP | TBT | CLS | KiB | Requests |",
             "|:--|--:|--:|--:|--:|--:|--:|"]
    for page, p in report["pages"].items():
        link = f"[{page_label(page)}]({page}.md)"
        scores = " | ".join(_score(c, p["scores"][c]) for c in CATEGORIES)
        lines.append(f"| {link} | {scores} |")
        largest = format_seconds(p["largest_paint_seconds"])
        if p["largest_paint_seconds"] > LARGEST_PAINT_TARGET_SECONDS:
            largest = f"**{largest}**"
        weight = f"{p['bytes'] / 1024:,.0f}"
        if p["bytes"] > PAGE_BYTES_BUDGET:
            weight = f"**{weight}**"
        requests = str(p["requests"])
        if p["requests"] > PAGE_REQUESTS_BUDGET:
            requests = f"**{requests}**"
        blocking = f"{p['blocking_ms']} ms" if "blocking_ms" in p else "–"
        shift = f"{p['layout_shift']:.3f}" if "layout_shift" in p else "–"
        loads.append(f"| {link} | {format_seconds(p['first_paint_seconds'])} | "
                     f"{largest} | {blocking} | {shift} | {weight} | {requests} |")
    lines += loads
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*",
                        help="page names (default: every page of book/)")
    parser.add_argument("--lighthouse", type=Path, required=True,
                        help="the lighthouse command (make audit installs it)")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=AUDIT)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site: run make html first.")
    report = audit_site(args.site, args.pages or book_pages(ROOT / "book"),
                        args.lighthouse)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print("\n".join(audit_markdown(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
