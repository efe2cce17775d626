"""dlbook_site.copied_code: a page's code boxes, run as one script."""

from pathlib import Path

import pytest

from dlbook_site.copied_code import chapter_pages, page_code, run_page
from dlbook_site.inputs import notebooks

ROOT = Path(__file__).resolve().parents[1]


def _cell(code, output="", hidden_class=""):
    return (f'<div class="cell docutils container {hidden_class}">'
            f'<div class="cell_input docutils container">'
            f'<div class="highlight-ipython3 notranslate"><div class="highlight">'
            f"<pre>{code}</pre></div></div></div>"
            f'<div class="cell_output docutils container"><pre>{output}</pre>'
            "</div></div>")


def _page(tmp_path, *cells):
    page = tmp_path / "ch.html"
    literal = '<div class="highlight-python"><pre>never_run()</pre></div>'
    page.write_text("<html><body>" + literal + "".join(cells) + "</body></html>")
    return page


def test_only_the_code_boxes_are_taken_in_order_with_entities_decoded():
    html = (_cell('<span class="n">a</span> = 1', output="ignored")
            + '<div class="highlight-python"><pre>literal()</pre></div>'
            + _cell("print(a &lt; 2)"))
    assert page_code(html) == ["a = 1", "print(a < 2)"]


def test_a_page_whose_code_runs_on_its_own_passes(tmp_path):
    page = _page(tmp_path, _cell("x = 41"), _cell("assert x + 1 == 42"))
    assert run_page(page).returncode == 0


def test_a_name_the_page_does_not_define_fails_with_its_name_error(tmp_path):
    page = _page(tmp_path, _cell("x = 1"), _cell("print(hidden_total)"))
    result = run_page(page)
    assert result.returncode != 0
    assert "NameError" in result.stderr and "hidden_total" in result.stderr


def test_a_page_without_code_is_refused_by_name(tmp_path):
    page = tmp_path / "api.html"
    page.write_text("<html><body><p>No code.</p></body></html>")
    with pytest.raises(ValueError, match="api.html shows no code cell"):
        run_page(page)


def test_the_default_pages_are_the_executed_chapters(tmp_path):
    pages = chapter_pages(ROOT, tmp_path)
    assert [p.stem for p in pages] == [p.stem for p in notebooks(ROOT)]
    assert all(p.parent == tmp_path and p.suffix == ".html" for p in pages)
