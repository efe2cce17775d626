"""dlbook_site.meta: every page describes itself to search engines."""

import re
from html import unescape

import pytest
from docutils.core import publish_doctree

from dlbook_site.meta import MAX_LENGTH, add_description

from .test_book import ROOT, build_log, page  # noqa: F401

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')


def _context(metatags=""):
    return {"metatags": metatags}


def test_the_first_paragraph_becomes_the_description():
    context = _context()
    doctree = publish_doctree("Title\n=====\n\nWhat the page is about.\n")
    add_description(None, "p", "page.html", context, doctree)
    assert DESCRIPTION.findall(context["metatags"]) == ["What the page is about."]


def test_a_description_of_the_pages_own_is_kept():
    own = '<meta name="description" content="Mine." />\n'
    context = _context(own)
    add_description(None, "p", "page.html", context,
                     publish_doctree("Title\n=====\n\nText.\n"))
    assert context["metatags"] == own


@pytest.mark.slow
def test_every_page_has_one_short_description(build_log):  # noqa: F811
    for source in sorted((ROOT / "book").glob("*.md")):
        found = DESCRIPTION.findall(page(source.stem))
        assert len(found) == 1, (source.stem, found)
        assert 0 < len(unescape(found[0])) <= MAX_LENGTH, (source.stem, found)
