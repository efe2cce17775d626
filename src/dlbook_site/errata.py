"""Corrections of the course notes, in one form, gathered on one errata page.

The book follows a set of course notes. Where the notes are wrong, a chapter
says so with the ``notes-say`` directive, at the place where it treats the
subject::

    :::{notes-say} TPUs are 10× faster than a GPU.
    What is right, in the chapter's own words and with its sources.
    :::

Open it with ``:::`` (MyST's colon fence): a backtick fence cannot hold a
backtick in its first line, so a name quoted in backticks would turn it into
plain text; the build fails when a page opens more ``notes-say`` than it
parses.

The argument is what the notes say; the content is what is right. The
directive renders an admonition titled "The notes say", with an anchor. The
``errata`` directive, on the page named by the ``dlbook_errata_page`` setting
(``"errata"`` by default), lists every correction of every chapter: what the
notes say, what is right, and a link to the section that treats it. The list
is made from the chapters themselves, so a correction lives in one place, its
chapter, and the errata page can never miss one or keep one that is gone.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.errata"]``.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from dlbook_site.toc import numbered_title, reading_order

logger = logging.getLogger(__name__)

#: The class that marks a ``notes-say`` admonition in a doctree.
CLASS = "dlbook-notes-say"
#: The admonition's title, on every correction.
TITLE = "The notes say"
#: A line that opens a ``notes-say`` directive in a page's source.
OPENING = re.compile(r"^\s*(?:`{3,}|:{3,})\{notes-say\}", re.MULTILINE)


class errata_list(nodes.General, nodes.Element):
    """Where the ``errata`` directive's list goes, once every page is read."""


class NotesSay(SphinxDirective):
    """``notes-say``: what the notes say (argument) and what is right (content)."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        if not self.content:
            raise self.error(
                "notes-say needs content: say what is right below the line "
                "that quotes the notes."
            )
        serial = self.env.new_serialno(CLASS)
        admonition = nodes.admonition(
            classes=["admonition", CLASS],
            ids=[f"{CLASS}-{self.env.docname.replace('/', '-')}-{serial}"],
        )
        admonition += nodes.title(TITLE, TITLE)
        quoted, messages = self.state.inline_text(self.arguments[0], self.lineno)
        claim = nodes.paragraph("", "", classes=[f"{CLASS}-claim"])
        claim += nodes.emphasis("", "", *quoted)
        admonition += claim
        admonition += messages
        correction = nodes.container(classes=[f"{CLASS}-correction"])
        self.state.nested_parse(self.content, self.content_offset, correction)
        admonition += correction
        return [admonition]


class Errata(SphinxDirective):
    """``errata``: every ``notes-say`` of the book, filled in once all are read."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        if self.env.docname != self.config.dlbook_errata_page:
            logger.warning(
                "the errata list belongs on the page named by the "
                "dlbook_errata_page setting (%r)", self.config.dlbook_errata_page,
                location=self.get_location(),
            )
        return [errata_list("")]


def _clean_copy(node: nodes.Element) -> nodes.Element:
    """A deep copy of ``node`` without its ids (they stay on their page)."""
    node = node.deepcopy()
    for element in node.findall(nodes.Element):
        element["ids"] = []
    return node


def corrections_of(doctree: nodes.document) -> list[dict]:
    """The ``notes-say`` corrections of one page, in their order on it.

    Parameters
    ----------
    doctree : docutils.nodes.document
        A page as read.

    Returns
    -------
    list of dict
        One entry per correction: ``id`` (its anchor), ``section`` (the title
        of the section that holds it), ``claim`` and ``correction`` (copies of
        its two parts).

    Examples
    --------
    >>> from docutils import nodes
    >>> page = nodes.document(None, None)
    >>> section = nodes.section("", nodes.title("", "Dropout"))
    >>> note = nodes.admonition(classes=[CLASS], ids=["n1"])
    >>> note += [nodes.title("", TITLE), nodes.paragraph("", "scaled by rate"),
    ...          nodes.container("", nodes.paragraph("", "by 1 - rate"))]
    >>> section += note
    >>> page += section
    >>> [(c["id"], c["section"], c["claim"].astext()) for c in corrections_of(page)]
    [('n1', 'Dropout', 'scaled by rate')]
    """
    found = []
    for admonition in doctree.findall(nodes.admonition):
        if CLASS not in admonition["classes"]:
            continue
        section = admonition.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        title = section.next_node(nodes.title) if section is not None else None
        found.append({
            "id": admonition["ids"][0],
            "section": title.astext() if title is not None else "",
            "claim": _clean_copy(admonition[1]),
            "correction": _clean_copy(admonition[2]),
        })
    return found


def _count_openings(app: Sphinx, docname: str, source: list[str]) -> None:
    """Count the ``notes-say`` openings of a page's source (``source-read``)."""
    app.env.temp_data["dlbook_notes_say_openings"] = len(OPENING.findall(source[0]))


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    """Keep each page's corrections in the environment (``doctree-read``)."""
    env = app.env
    if not hasattr(env, "dlbook_errata"):
        env.dlbook_errata = {}
    found = corrections_of(doctree)
    openings = env.temp_data.get("dlbook_notes_say_openings", len(found))
    if openings != len(found):
        # A backtick fence whose first line holds a backtick is no fence in
        # CommonMark: the directive silently becomes text.
        logger.warning(
            "%d notes-say directive(s) opened in the source but %d parsed: open "
            "a notes-say whose first line holds backticks with ':::' instead "
            "of '```'", openings, len(found), location=env.docname,
        )
    if found:
        env.dlbook_errata[env.docname] = found


def _purge(app: Sphinx, env, docname: str) -> None:
    """Forget a page's corrections when it is read again or removed."""
    getattr(env, "dlbook_errata", {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    if not hasattr(env, "dlbook_errata"):
        env.dlbook_errata = {}
    env.dlbook_errata.update(getattr(other, "dlbook_errata", {}))


def _reread_errata_page(app, env, added, changed, removed) -> list[str]:
    """Read the errata page again on every build (``env-get-outdated``)."""
    page = app.config.dlbook_errata_page
    return [page] if page in env.found_docs else []


def _fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Put every correction in the errata list (``doctree-resolved``)."""
    env = app.env
    errata = getattr(env, "dlbook_errata", {})
    for placeholder in list(doctree.findall(errata_list)):
        entries = [(doc, entry) for doc in reading_order(env)
                   for entry in errata.get(doc, [])]
        if not entries:
            logger.warning("the errata list is empty: no page has a notes-say "
                           "directive", location=placeholder)
        listing = nodes.enumerated_list(classes=["dlbook-errata"])
        for docname, entry in entries:
            item = nodes.list_item()
            claim = nodes.paragraph()
            claim += nodes.strong("", f"{TITLE}: ")
            claim += entry["claim"].deepcopy().children
            item += claim
            right = nodes.paragraph()
            right += nodes.strong("", "What is right:")
            item += right
            item += entry["correction"].deepcopy().children
            where = nodes.paragraph()
            where += nodes.strong("", "Where: ")
            chapter = numbered_title(env, docname)
            label = f"{chapter}, {entry['section']}" if entry["section"] else chapter
            uri = app.builder.get_relative_uri(fromdocname, docname) + "#" + entry["id"]
            where += nodes.reference("", label, internal=True, refuri=uri)
            item += where
            listing += item
        placeholder.replace_self(listing)


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_errata_page", "errata", "env", str)
    app.add_node(errata_list)
    app.add_directive("notes-say", NotesSay)
    app.add_directive("errata", Errata)
    app.connect("source-read", _count_openings)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _reread_errata_page)
    app.connect("doctree-resolved", _fill)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True, "env_version": 1}
