"""Each page loads only the scripts and style sheets of the extensions it uses.

Sphinx's extensions add their files to every page: sphinx-copybutton's
script and its clipboard library, and sphinx-togglebutton's script and
style sheet, on pages with no code or no collapsed block. Each costs its
readers time for nothing. :data:`USED_BY` says, for each
file, which nodes of a page use it; on ``html-page-context``, a page whose
doctree has none of them drops the file (Sphinx resets the page's list of
files before each page, so nothing leaks to the next one).

Pages without a doctree (the search page, the index of names) keep every
file.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.page_assets"]``.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx


def _has_class(*names: str) -> Callable[[nodes.Node], bool]:
    def match(node: nodes.Node) -> bool:
        return isinstance(node, nodes.Element) and any(
            name in node.get("classes", ()) for name in names)
    return match


def _is_code(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.literal_block, nodes.doctest_block))


#: File name -> what on a page uses it (a test on the doctree's nodes).
USED_BY: dict[str, Callable[[nodes.Node], bool]] = {
    "copybutton.js": _is_code,
    "clipboard.min.js": _is_code,
    "copybutton.css": _is_code,
    "togglebutton.js": _has_class("toggle", "dropdown"),
    "togglebutton.css": _has_class("toggle", "dropdown"),
}


def _file_name(asset) -> str:
    return str(getattr(asset, "filename", asset)).rsplit("/", 1)[-1]


def unused_files(doctree: nodes.document, names) -> set[str]:
    """Which of the files ``names`` that :data:`USED_BY` knows ``doctree`` does not use.

    Examples
    --------
    >>> from docutils.core import publish_doctree
    >>> page = publish_doctree("Some text.\\n\\n::\\n\\n    print(1)\\n")
    >>> sorted(unused_files(page, ["copybutton.js", "togglebutton.js", "x.js"]))
    ['togglebutton.js']
    """
    return {name for name in names if name in USED_BY
            and not any(True for _ in doctree.findall(USED_BY[name]))}


def drop_unused_files(app: Sphinx, pagename: str, templatename: str,
                      context: dict, doctree: nodes.document | None) -> None:
    """Take the files the page does not use out of its context's lists."""
    if doctree is None:
        return
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if not isinstance(files, list):
            continue
        unused = unused_files(doctree, {_file_name(f) for f in files})
        files[:] = [f for f in files if _file_name(f) not in unused]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", drop_unused_files)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
