"""Drift: what a new build prints that the published site did not.

``make drift PUBLISHED=<site address or folder>`` compares the site just
built (``_build/html``) with a published one, chapter by chapter:

- a headline figure of the new build's ``results.json`` that changed since
  the published site and lies outside its range over seeds
  (``benchmarks/seeds.json``) fails the run. A figure that did not change
  is no drift, even outside the range: a machine of another make than the
  one that measured the seeds may well print every figure a little off
  its range, week after week;
- every other difference is listed: a figure that moved within its range,
  and each code cell whose text output (printed lines, a value's text)
  changed, the cells matched by their code. Timings change at every build;
  the list shows them too, so that nothing is filtered out unseen.

The summary is Markdown, printed and, on GitHub Actions, appended to the
run's summary (``$GITHUB_STEP_SUMMARY``). The weekly cold rebuild runs it
against the ``gh-pages`` branch, the site as published.

Usage::

    python -m dlbook_site.drift --published ADDRESS_OR_FOLDER [--site _build/html]
                                [--seeds benchmarks/seeds.json]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from pathlib import Path
from urllib.parse import urljoin

import nbformat

from benchmarks.seeds import SEEDS_FILE, read_seeds
from dlbook_site.fresh_notebook import download, notebook_url

#: Lines of a changed output shown in the summary, at most.
SHOWN_LINES = 6


def site_address(where: str) -> str:
    """A site's address from an address or a folder, ending in ``/``.

    Examples
    --------
    >>> site_address("https://dlbook.github.io/dlbook")
    'https://dlbook.github.io/dlbook/'
    >>> site_address("/nowhere")
    Traceback (most recent call last):
    ...
    ValueError: /nowhere holds no built site (no results.json): give ...
    """
    if "://" in where:
        return where.rstrip("/") + "/"
    folder = Path(where)
    if not (folder / "results.json").is_file():
        raise ValueError(f"{where} holds no built site (no results.json): give "
                         "a site's address or the folder of a built site.")
    return folder.resolve().as_uri() + "/"


def read_site(address: str) -> tuple[dict, dict]:
    """A site's results, by key, and each chapter's notebook, by page."""
    results = json.loads(download(urljoin(address, "results.json")))["results"]
    notebooks = {}
    for page in dict.fromkeys(r["page"] for r in results):
        page_url = urljoin(address, page)
        url = notebook_url(download(page_url).decode("utf-8"), page_url)
        notebooks[page.removesuffix(".html")] = nbformat.reads(
            download(url).decode("utf-8"), as_version=4)
    return {r["key"]: r for r in results}, notebooks


def text_outputs(notebook) -> list[tuple[str, str]]:
    """Each code cell's code and the text of its outputs, in order.

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("print(1)", outputs=[
    ...     nbformat.v4.new_output("stream", name="stdout", text="1\\n"),
    ...     nbformat.v4.new_output("display_data", data={"image/png": "..."})])
    >>> text_outputs(nbformat.v4.new_notebook(cells=[cell]))
    [('print(1)', '1\\n')]
    """
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        text = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                text.append(output.text)
            elif "data" in output and "text/plain" in output.data:
                text.append(output.data["text/plain"] + "\n")
        cells.append((cell.source, "".join(text)))
    return cells


def changed_outputs(published, new) -> list[str]:
    """The cells whose text output differs, as Markdown list items.

    Cells are matched by their code, in order; a cell of one notebook only
    is listed as added or removed.

    Examples
    --------
    >>> def nb(*cells):
    ...     return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...         code, outputs=[nbformat.v4.new_output("stream", name="stdout",
    ...                                                text=out)])
    ...         for code, out in cells])
    >>> changed_outputs(nb(("a", "1\\n"), ("b", "2\\n")),
    ...                 nb(("a", "1\\n"), ("b", "3\\n"), ("c", "")))
    ['- `b`: `-2` `+3`', '- `c`: a new cell']
    """
    old = {}
    for code, text in text_outputs(published):
        old.setdefault(code, []).append(text)
    items = []
    for code, text in text_outputs(new):
        first = code.strip().splitlines()[0][:60] if code.strip() else "(empty)"
        if not old.get(code):
            items.append(f"- `{first}`: a new cell")
            continue
        before = old[code].pop(0)
        if before != text:
            diff = [line for line in difflib.ndiff(before.splitlines(),
                                                   text.splitlines())
                    if line[:1] in "-+"]
            shown = " ".join(f"`{line[0]}{line[2:].strip()[:80]}`"
                             for line in diff[:SHOWN_LINES])
            more = len(diff) - SHOWN_LINES
            items.append(f"- `{first}`: {shown}"
                         + (f" and {more} more lines" if more > 0 else ""))
    items += [f"- `{code.strip().splitlines()[0][:60]}`: a removed cell"
              for code, texts in old.items() for _ in texts if code.strip()]
    return items


def figures_out_of_range(new: dict, seeds: dict, published: dict) -> list[str]:
    """The new build's figures that changed and left their range over seeds.

    Examples
    --------
    >>> seeds = {"results": {"a": {"min": 0.87, "max": 0.88}}}
    >>> was = {"a": {"value": 0.875}}
    >>> figures_out_of_range({"a": {"value": 0.86}}, seeds, was)
    ['a: 0.8600 (published: 0.8750), outside its range over seeds, 0.8700 to 0.8800']
    >>> figures_out_of_range({"a": {"value": 0.875}}, seeds, was)
    []
    >>> figures_out_of_range({"a": {"value": 0.86}}, seeds, {"a": {"value": 0.86}})
    []
    """
    failures = []
    for key, result in new.items():
        entry = seeds["results"].get(key)
        before = published.get(key, {}).get("value")
        if entry is None:
            failures.append(f"{key}: not measured over seeds; run `make seeds`")
        elif (before != result["value"]
              and not entry["min"] <= result["value"] <= entry["max"]):
            was = "new" if before is None else f"published: {before:.4f}"
            failures.append(f"{key}: {result['value']:.4f} ({was}), outside its "
                            f"range over seeds, {entry['min']:.4f} to "
                            f"{entry['max']:.4f}")
    return failures


def drift(published: str, site: str, seeds: dict) -> tuple[list[str], list[str]]:
    """The failures and the Markdown summary of a new build against a
    published site."""
    old_results, old_notebooks = read_site(site_address(published))
    new_results, new_notebooks = read_site(site_address(site))
    failures = figures_out_of_range(new_results, seeds, old_results)
    lines = [f"# Drift: {site} against {published}", ""]
    if failures:
        lines += ["Figures that changed and left their range over seeds (the "
                  "run fails):", ""]
        lines += [f"- {failure}" for failure in failures] + [""]
    moved = [f"- {key}: {old_results[key]['value']:.4f} → {r['value']:.4f}"
             for key, r in new_results.items()
             if key in old_results and old_results[key]["value"] != r["value"]]
    lines += ["Figures that moved within their range:", ""] + (moved or ["- none"])
    for chapter, notebook in new_notebooks.items():
        items = (changed_outputs(old_notebooks[chapter], notebook)
                 if chapter in old_notebooks else ["- a new chapter"])
        lines += ["", f"## {chapter}: {len(items)} changed outputs", ""]
        lines += items or ["- none"]
    return failures, lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlbook_site.drift",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--published", required=True,
                        help="the published site: its address or a folder")
    parser.add_argument("--site", default="_build/html",
                        help="the new build (default _build/html)")
    parser.add_argument("--seeds", type=Path, default=SEEDS_FILE)
    args = parser.parse_args(argv)
    try:
        failures, lines = drift(args.published, args.site, read_seeds(args.seeds))
    except ValueError as error:
        parser.error(str(error))
    summary = "\n".join(lines) + "\n"
    print(summary)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
            out.write(summary)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
