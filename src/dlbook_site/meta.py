"""A description of each page for search engines: its first paragraph.

Every page gets ``<meta name="description" content="...">`` in its head,
made from the first paragraph of its text (:func:`page_description`): the
chapter's own opening, which says what the chapter is about. A page whose
front matter sets its own description (MyST's ``html_meta``) keeps it.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.meta"]``.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx

#: Search engines show about this many characters of a description.
MAX_LENGTH = 160


def shorten(text: str, limit: int = MAX_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit``.

    Examples
    --------
    >>> shorten("Deep learning  is\\na subfield of machine learning.", 30)
    'Deep learning is a subfield…'
    >>> shorten("Short enough.")
    'Short enough.'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def page_description(doctree: nodes.document) -> str | None:
    """The shortened text of a page's first paragraph of prose, if any.

    Only a paragraph of a section counts: not one inside an admonition, a
    table, a list or a cell's output.

    Examples
    --------
    >>> from docutils.core import publish_doctree
    >>> page = publish_doctree("Title\\n=====\\n\\n.. note:: Aside.\\n\\n"
    ...                        "What this page is about.\\n")
    >>> page_description(page)
    'What this page is about.'
    """
    for paragraph in doctree.findall(nodes.paragraph):
        if isinstance(paragraph.parent, (nodes.section, nodes.document)):
            return shorten(paragraph.astext()) or None
    return None


def add_description(app: Sphinx, pagename: str, templatename: str,
                    context: dict, doctree: nodes.document | None) -> None:
    """``html-page-context``: add the page's description to its metatags."""
    metatags = context.get("metatags", "")
    if doctree is None or 'name="description"' in metatags:
        return
    description = page_description(doctree)
    if description:
        context["metatags"] = metatags + (
            f'<meta name="description" content="{html.escape(description)}" />\n')


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_description)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
