"""The whole book as a PDF (``make pdf``): every chapter, figure and result.

The ``site`` fixture builds the site and its PDF (``make pdf``), as
published; these tests read the PDF with pypdf and compare it with the
site's own pages, so nothing here types a title, a figure or a figure's
value:

- its outline (the PDF's bookmarks) has every chapter, numbered, and the
  chapters' sections, numbered too;
- every figure of every chapter is in it, found by its alt text in the
  tagged PDF's structure;
- the Results page's table is in its Results section, each result's
  description with its value as this build computed it (``results.json``).

Marked slow: it builds the book first.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

from dlbook_site.pdf import PDF_NAME
from dlbook_site.results import format_value
from tests.browser import open_page
from tests.conftest import LOCAL_SITE, ROOT

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("ch*.md"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf(site):
    from pypdf import PdfReader

    path = LOCAL_SITE / PDF_NAME
    assert path.is_file(), f"make pdf wrote no {path}"
    return PdfReader(path)


def _outline_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        if isinstance(entry, list):
            titles += _outline_titles(entry)
        else:
            titles.append(" ".join(entry.title.split()))
    return titles


def _alt_texts(element, seen=None) -> list[str]:
    """Every ``/Alt`` in a tagged PDF's structure tree, depth first."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen = set() if seen is None else seen
    if isinstance(element, IndirectObject):
        if element.idnum in seen:
            return []
        seen.add(element.idnum)
        element = element.get_object()
    found = []
    if isinstance(element, DictionaryObject):
        if "/Alt" in element:
            found.append(" ".join(str(element["/Alt"]).split()))
        if "/K" in element:
            found += _alt_texts(element["/K"], seen)
    elif isinstance(element, ArrayObject):
        for child in element:
            found += _alt_texts(child, seen)
    return found


def _page(name: str) -> BeautifulSoup:
    html = (LOCAL_SITE / f"{name}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article")


def _section_text(pdf, title: str) -> str:
    """The text of the pages from the outline's entry ``title`` to the next
    entry at its level, with no whitespace (lines wrap anywhere)."""
    def levels(outline):
        # Each list of sibling entries in the outline, depth first.
        siblings = [e for e in outline if not isinstance(e, list)]
        yield siblings
        for entry in outline:
            if isinstance(entry, list):
                yield from levels(entry)

    for siblings in levels(pdf.outline):
        names = [" ".join(e.title.split()) for e in siblings]
        if title in names:
            index = names.index(title)
            start = pdf.get_destination_page_number(siblings[index])
            end = (pdf.get_destination_page_number(siblings[index + 1]) + 1
                   if index + 1 < len(siblings) else len(pdf.pages))
            # NFKC: the PDF's text has ligatures ("ﬁ" for "fi").
            return unicodedata.normalize("NFKC", "".join(
                "".join(page.extract_text().split())
                for page in pdf.pages[start:end]))
    raise AssertionError(f"no outline entry {title!r}")


def test_the_outline_has_every_chapter_and_its_sections_numbered(pdf):
    titles = _outline_titles(pdf.outline)
    for chapter in CHAPTERS:
        page = _page(chapter)
        # The site's own headings, numbers included: "2 The mathematical..."
        # for the chapter, "2.1 A first look..." for its sections.
        headings = [" ".join(h.get_text(" ").replace("#", "").split())
                    for h in page.select("h1, h2")]
        assert re.match(r"\d+\.? ", headings[0]), headings[0]
        assert len(headings) > 1, f"{chapter} has no section"
        for heading in headings:
            assert heading in titles, (heading, titles[:40])


def test_every_figure_of_every_chapter_is_in_the_pdf(pdf):
    alts = _alt_texts(pdf.trailer["/Root"]["/StructTreeRoot"])
    figures = [" ".join(img["alt"].split())
               for chapter in CHAPTERS for img in _page(chapter).select("img")]
    assert figures
    missing = [alt for alt in figures if alt not in alts]
    assert not missing, f"{len(missing)} of {len(figures)} figures: {missing[:3]}"


def test_the_results_table_is_in_the_pdf(pdf):
    results = json.loads((LOCAL_SITE / "results.json").read_text(encoding="utf-8"))
    title = " ".join(_page("results").select_one("h1").get_text(" ")
                     .replace("#", "").split())
    text = _section_text(pdf, title)
    for entry in results["results"]:
        assert "".join(entry["description"].split()) in text, entry["key"]
        assert format_value(entry["value"]) in text, entry["key"]


def test_a_chapter_page_links_to_the_pdf(site, browser):
    # The link is the theme's icon link, the same on every page (conf.py).
    page, problems = open_page(browser, f"{site}ch02_building_blocks.html")
    try:
        href = page.eval_on_selector(f"a[href$='{PDF_NAME}']", "a => a.href")
        response = page.request.get(href)
        status, kind = response.status, response.headers.get("content-type")
    finally:
        page.close()
    assert status == 200 and kind == "application/pdf", (href, status, kind)
