"""dlbook_site.critical_css: the rules each page uses inlined, the others after it."""

import base64
import re
from io import BytesIO

from fontTools.ttLib import TTFont

from dlbook_site.critical_css import (
    ATTRIBUTE,
    LATER,
    inline_site,
    page_css,
    page_with_inlined_css,
    sheet_rules,
    stylesheets,
)
from dlbook_site.icon_fonts import fonts_cut
from tests.test_unused_css import ICONS, _icon_font

HELD = "text/x-held"

PAGE = """<html><head>
<link rel="stylesheet" type="text/css" href="{up}_static/theme.css" />
<link rel="stylesheet" type="text/css" href="{up}_static/own.css" />
<link rel="stylesheet" href="https://cdn.example/remote.css" />
</head><body>
<header class="top"><button class="menu">Menu</button>
<div class="dropdown-menu"><a class="item">Colab</a></div></header>
<article><h1>Title</h1><p class="lead">{text}</p>
<p class="far-below">{text}</p></article>
<script type="{held}" src="{up}_static/theme.js"></script>
</body></html>"""


def _page(up="", text="x" * 2000, held=HELD):
    return PAGE.format(up=up, text=text, held=held)


def _sheets(tmp_path, theme, own=".lead { color: navy }"):
    static = tmp_path / "_static"
    static.mkdir(exist_ok=True)
    (static / "basic.css").write_text("h1 { margin: 0 } .gone { top: 0 }")
    (static / "theme.css").write_text('@import "basic.css";\n' + theme)
    (static / "own.css").write_text(own)
    return [sheet_rules(static / "theme.css"), sheet_rules(static / "own.css")]


def test_the_page_gets_the_rules_it_uses_in_the_sheets_order(tmp_path):
    sheets = _sheets(tmp_path, (
        ".top .menu:hover, .nowhere { color: red }"
        " .top > .menu { padding: 0 } body > .menu { padding: 1px }"
        " .far-below { color: green }"
        " .dropdown-menu { display: none } .dropdown-menu .item { color: blue }"
        " .menu::before { content: '≡' }"
        " @media print { .top { display: none } }"
        " @media (min-width: 40em) { .top { display: flex } .gone { x: 1 } }"))
    css, later = page_css(_page(), sheets)
    # The imported sheet's rules come first, as @import puts them; then the
    # theme's; then the next sheet's: the cascade's order. The whole
    # article's rules, and not those of a menu's content.
    assert css == (
        "h1{margin: 0}"
        ".top .menu:hover{color: red}"
        ".top > .menu{padding: 0}"
        ".far-below{color: green}"
        ".dropdown-menu{display: none}"
        '.menu::before{content: "≡"}'
        "@media (min-width: 40em){.top{display: flex}}"
        ".lead{color: navy}")
    # The others, in their order, print's included, for after the page.
    assert later == (
        ".gone{top: 0}"
        ".nowhere{color: red}"
        "body > .menu{padding: 1px}"
        ".dropdown-menu .item{color: blue}"
        "@media print{.top{display: none}}"
        "@media (min-width: 40em){.gone{x: 1}}")


def test_the_rules_of_either_theme_apply_whichever_a_script_sets(tmp_path):
    # The theme's script sets data-theme (light or dark) on the page's root.
    sheets = _sheets(tmp_path, (
        'html[data-theme="dark"] .top { color: white }'
        " [data-theme=light] .top { color: black }"))
    css, _ = page_css(_page(), sheets)
    assert css == ('h1{margin: 0}html[data-theme="dark"] .top{color: white}'
                   "[data-theme=light] .top{color: black}.lead{color: navy}")


def test_custom_properties_that_no_rule_reads_go(tmp_path):
    sheets = _sheets(tmp_path, (
        ":root { --ink: navy; --paper: white; --shown: red; --unread: 1px }"
        " .top { color: var(--ink) } .far-below { color: var(--paper) }"
        " .dropdown-menu .item { color: var(--shown) }"))
    css, _ = page_css(_page(), sheets)
    # A property that only a later rule reads stays: it reads the inlined one.
    assert "--ink" in css and "--paper" in css and "--shown" in css
    assert "--unread" not in css


def test_an_icon_font_keeps_only_the_glyphs_the_rules_print(tmp_path):
    _icon_font(tmp_path / "icons.woff2", list(ICONS.values()))
    data = base64.b64encode((tmp_path / "icons.woff2").read_bytes()).decode()
    face = f"@font-face{{font-family: Icons; src: url(data:font/woff2;base64,{data})}}"
    cut = fonts_cut(face, {chr(ICONS["search"])})
    kept = base64.b64decode(re.search(r"base64,([\w+/=]+)", cut).group(1))
    assert set(TTFont(BytesIO(kept))["cmap"].getBestCmap()) == {ICONS["search"]}
    assert len(kept) < len(base64.b64decode(data))
    # A font none of whose glyphs the rules print goes, with its rule.
    assert fonts_cut(face + "p{margin: 0}", {"a"}) == "p{margin: 0}"


def test_the_page_holds_its_later_rules_and_names_its_sheets_in_a_noscript():
    page = page_with_inlined_css(_page(), "h1{margin:0}", "later.css", HELD,
                                 "abc")
    head = page.split("</head>")[0]
    held = re.findall(rf'<link type="{HELD}"[^>]*href="([^"]+)"', head)
    assert held == ["later.css"]
    # The rules come where the first sheet was, the held later rules after
    # them, the remote sheet is left as it is, and a reader without scripts
    # gets the sheets themselves from the noscript.
    assert head.index(f'<style {ATTRIBUTE}="abc">h1{{margin:0}}</style>') < (
        head.index("later.css"))
    assert '<link rel="stylesheet" href="https://cdn.example/remote.css" />' in head
    fallback = re.search(rf"<noscript {ATTRIBUTE}>(.*?)</noscript>", head).group(1)
    own = ["_static/theme.css", "_static/own.css"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', fallback) == own
    assert not re.findall(r'<link rel="stylesheet"', head.split("<noscript")[0])
    # Again: the same page, and its sheets are still found.
    assert page_with_inlined_css(page, "h1{margin:0}", "later.css", HELD,
                                 "abc") == page
    assert stylesheets(page) == own


def _site(tmp_path):
    _sheets(tmp_path, ".top { color: red } .far-below { color: green }")
    (tmp_path / "index.html").write_text(_page())
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "module.html").write_text(_page(up="../"))
    # The search page holds no script: its sheets stay as they are.
    (tmp_path / "search.html").write_text(_page(held="text/javascript"))
    return tmp_path


def test_a_built_site_has_its_pages_inlined_once_until_a_sheet_changes(tmp_path):
    site = _site(tmp_path)
    search = (site / "search.html").read_text()
    inlined = inline_site(site, HELD)
    assert set(inlined) == {"index.html", "api/module.html"}
    assert (site / "search.html").read_text() == search
    for page in inlined:
        html = (site / page).read_text()
        assert ".top{color: red}" in html
        later = (site / page).with_name((site / page).stem + LATER)
        assert ".gone{top: 0}" in later.read_text()
        assert re.findall(f'<link type="{HELD}"[^>]*href="([^"?]+)', html) == [
            later.name]
    # Nothing changed: nothing is rewritten.
    before = (site / "index.html").read_text()
    assert inline_site(site, HELD) == {}
    # A sheet changed: every page takes the new rules.
    (site / "_static" / "own.css").write_text(".top { margin: 1px }")
    assert set(inline_site(site, HELD)) == {"index.html", "api/module.html"}
    after = (site / "index.html").read_text()
    assert ".top{margin: 1px}" in after and ".lead" not in after
    assert after != before


def test_a_page_written_again_as_before_reuses_its_stored_css(tmp_path,
                                                               monkeypatch):
    from dlbook_site import critical_css

    (tmp_path / "site").mkdir()
    site, store = _site(tmp_path / "site"), tmp_path / "store"
    written = (site / "index.html").read_text()
    inline_site(site, HELD, store=store)
    first = (site / "index.html").read_text()
    assert len(list(store.glob("*.json"))) == 2  # one per page inlined

    def page_css_again(html, sheets):
        raise AssertionError("computed again")

    # The builder writes the page again, byte for byte as before.
    monkeypatch.setattr(critical_css, "page_css", page_css_again)
    (site / "index.html").write_text(written)
    assert set(inline_site(site, HELD, store=store)) == {"index.html"}
    assert (site / "index.html").read_text() == first
    # A page written otherwise is computed again, and the store keeps only
    # what this build used.
    monkeypatch.undo()
    (site / "index.html").write_text(written.replace("<h1>", "<h1 id='t'>"))
    assert set(inline_site(site, HELD, store=store)) == {"index.html"}
    assert len(list(store.glob("*.json"))) == 1


def test_the_inlined_font_keeps_the_glyphs_that_later_rules_print(tmp_path):
    # A menu's icon is printed by a later rule, with the font that the
    # inlined rules declare.
    _icon_font(tmp_path / "icons.woff2", list(ICONS.values()))
    data = base64.b64encode((tmp_path / "icons.woff2").read_bytes()).decode()
    sheets = _sheets(tmp_path, (
        f"@font-face{{font-family: Icons; src: url(data:font/woff2;base64,{data})}}"
        f' .menu::before {{ content: "\\{ICONS["search"]:x}" }}'
        f' .dropdown-menu .item::before {{ content: "\\{ICONS["moon"]:x}" }}'))
    css, later = page_css(_page(), sheets)
    assert ".dropdown-menu .item::before" in later
    kept = base64.b64decode(re.search(r"base64,([\w+/=]+)", css).group(1))
    assert set(TTFont(BytesIO(kept))["cmap"].getBestCmap()) == {
        ICONS["search"], ICONS["moon"]}


def test_pages_worked_out_in_two_processes_come_out_as_in_one(tmp_path):
    sites = []
    for workers in (1, 2):
        (tmp_path / str(workers)).mkdir()
        site = _site(tmp_path / str(workers))
        (site / "api" / "other.html").write_text(_page(up="../", text="y"))
        assert len(inline_site(site, HELD, workers=workers)) == 3
        sites.append({path.relative_to(site): path.read_bytes()
                      for path in site.rglob("*") if path.is_file()})
    assert sites[0] == sites[1]
