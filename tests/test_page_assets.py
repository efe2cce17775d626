"""dlbook_site.page_assets: a page drops the extensions' files it does not use."""

from docutils.core import publish_doctree

from dlbook_site.page_assets import drop_unused_files

SCRIPTS = ["_static/doctools.js", "_static/clipboard.min.js", "_static/copybutton.js",
           "_static/togglebutton.js"]
STYLES = ["_static/pydata-sphinx-theme.css", "_static/copybutton.css",
          "_static/togglebutton.css"]


def _context():
    return {"script_files": list(SCRIPTS), "css_files": list(STYLES)}


def test_a_page_with_code_keeps_the_copy_button_and_drops_the_rest():
    page = publish_doctree("Text.\n\n::\n\n    print(1)\n")
    context = _context()
    drop_unused_files(None, "page", "page.html", context, page)
    assert context["script_files"] == [
        "_static/doctools.js", "_static/clipboard.min.js", "_static/copybutton.js"]
    assert context["css_files"] == [
        "_static/pydata-sphinx-theme.css", "_static/copybutton.css"]


def test_a_page_of_prose_keeps_only_the_files_no_extension_owns():
    context = _context()
    drop_unused_files(None, "page", "page.html", context,
                      publish_doctree("Only prose.\n"))
    assert context["script_files"] == ["_static/doctools.js"]
    assert context["css_files"] == ["_static/pydata-sphinx-theme.css"]


def test_a_collapsed_block_keeps_the_toggle_button():
    page = publish_doctree(".. container:: toggle\n\n   Hidden.\n")
    context = _context()
    drop_unused_files(None, "page", "page.html", context, page)
    assert "_static/togglebutton.js" in context["script_files"]
    assert "_static/togglebutton.css" in context["css_files"]


def test_a_page_without_a_doctree_keeps_every_file():
    context = _context()
    drop_unused_files(None, "search", "search.html", context, None)
    assert context == _context()
