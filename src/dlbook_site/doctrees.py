"""Every node of a page points at the page's own document.

MyST parses an ``{eval-rst}`` block (the API pages' ``automodule``) into a
document of its own, whose settings are the page's, Sphinx's environment
included, and moves only that document's top-level nodes into the page
(``render_restructuredtext`` in ``myst_parser/mdit_to_docutils/base.py``;
MyST-Parser issue 953). Every node below them still names the other
document as theirs. Sphinx saves a page's doctree after clearing the
environment from the page's own settings, but pickle follows those nodes
to the other document and saves the whole environment with them: each API
page's doctree held about 2 MB, and a rebuild that numbers the figures
loads every doctree.

On ``doctree-read``, before Sphinx saves the doctree, :func:`adopt_nodes`
points every node at the page's document.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.doctrees"]``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def adopt_nodes(doctree: nodes.document) -> int:
    """Point every node of ``doctree`` at ``doctree``; return how many moved.

    Examples
    --------
    >>> from docutils.utils import new_document
    >>> page, other = new_document("page"), new_document("other")
    >>> section = nodes.section()
    >>> other += section
    >>> section += nodes.paragraph(text="parsed in the other document")
    >>> page += section  # only the section learns its new document
    >>> section[0].document is other
    True
    >>> adopt_nodes(page)  # the paragraph
    1
    >>> section[0].document is page
    True
    """
    moved = 0
    for node in doctree.findall(include_self=False):
        if node.document is not doctree:
            node.document = doctree
            moved += 1
    return moved


def _adopt(app: Sphinx, doctree: nodes.document) -> None:
    adopt_nodes(doctree)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", _adopt)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
