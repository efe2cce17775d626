"""dlbook_site.unused_css: sheets keep what the site can use; fonts, their icons."""

import base64

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from dlbook_site.unused_css import (
    MARK,
    remove_purged,
    slim_site,
    unused_selectors_removed,
)

ICONS = {"search": 0xF002, "moon": 0xF186, "unused": 0xF0E0}


def _icon_font(path, codepoints):
    """A tiny WOFF2 font with one square glyph per code point."""
    names = [f"g{i}" for i in range(len(codepoints))]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *names])
    builder.setupCharacterMap(dict(zip(codepoints, names, strict=True)))
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 500))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf({name: square for name in [".notdef", *names]})
    builder.setupHorizontalMetrics({n: (500, 0) for n in [".notdef", *names]})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Icons", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.font.flavor = "woff2"
    builder.save(path)


def test_a_selector_stays_only_if_the_content_names_its_classes_and_ids():
    css = (".used p, .gone p { a: 1 } #menu { b: 2 } #nowhere { c: 3 } "
           ".used:not(.gone) { d: 4 } html[data-theme=dark] { --x: 5 }")
    slim = unused_selectors_removed(css, {"used", "menu"})
    assert ".used p" in slim and "#menu" in slim
    assert ".gone p" not in slim and "#nowhere" not in slim
    assert ".used:not(.gone)" in slim  # what :not() names is not required
    assert "--x: 5" in slim  # a rule of attributes and custom properties


def test_an_at_rule_left_empty_goes_and_fonts_and_keyframes_stay():
    css = ("@media print { .gone { a: 1 } } @media (min-width: 1px) { .used "
           "{ b: 2 } } @font-face { font-family: F; src: url(f.woff2) } "
           "@keyframes spin { from { c: 3 } }")
    slim = unused_selectors_removed(css, {"used"})
    assert "print" not in slim
    assert "min-width" in slim and ".used" in slim
    assert "@font-face" in slim and "@keyframes spin" in slim


def test_a_built_site_keeps_the_rules_and_glyphs_of_the_icons_it_shows(tmp_path):
    static = tmp_path / "_static"
    (static / "fonts").mkdir(parents=True)
    _icon_font(static / "fonts" / "icons.woff2", list(ICONS.values()))
    rules = "".join(f'.fa-{name} {{ --fa: "\\{code:x}" }}\n'
                    for name, code in ICONS.items())
    (static / "theme.css").write_text(
        "@font-face { font-family: Icons; src: url(fonts/icons.woff2) }\n"
        + rules + "i::before { content: var(--fa) }\n"
        + ".unseen-widget { color: red }\n")
    (tmp_path / "index.html").write_text(
        '<script src="_static/theme.js"></script><i class="fa-search"></i>')
    (static / "theme.js").write_text('button.classList.add("fa-moon")')
    # a script the theme ships but no page loads names no rule
    (static / "unloaded.js").write_text('icon.classList.add("fa-unused")')

    sizes = slim_site(tmp_path)

    css = (static / "theme.css").read_text()
    assert ".fa-search" in css and ".fa-moon" in css  # shown, or added by a script
    assert ".fa-unused" not in css and ".unseen-widget" not in css
    font = TTFont(static / "fonts" / "icons.woff2")
    assert font.flavor == "woff2"
    assert set(font.getBestCmap()) == {ICONS["search"], ICONS["moon"]}
    # the sheet carries the cut font itself: no request for it
    inlined = base64.b64encode((static / "fonts" / "icons.woff2").read_bytes())
    assert f"url(data:font/woff2;base64,{inlined.decode()})" in css
    assert "fonts/icons.woff2" not in css
    assert set(sizes) == {"_static/theme.css", "_static/fonts/icons.woff2"}
    before, after = sizes["_static/fonts/icons.woff2"]
    assert after < before


def test_a_custom_property_stays_only_while_something_reads_it(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "theme.css").write_text(
        ":root { --read-here: 1px; --read-by-own: 2px; --read-by-script: 3px;"
        " --chained: 4px; --reads-chained: var(--chained); --unread: 5px }"
        " p { margin: var(--read-here) }")
    (static / "own.css").write_text("p { padding: var(--read-by-own) }")
    (static / "theme.js").write_text(
        'style.getPropertyValue("--read-by-script")')
    (tmp_path / "index.html").write_text(
        '<script src="_static/theme.js"></script><p>Text</p>')

    slim_site(tmp_path, keep=["own.css"])

    css = (static / "theme.css").read_text()
    for name in ("--read-here", "--read-by-own", "--read-by-script"):
        assert f"{name}:" in css
    # read only by a property nothing reads: goes with it, a round later
    for name in ("--unread", "--reads-chained", "--chained"):
        assert name not in css
    assert (static / "own.css").read_text() == (
        "p { padding: var(--read-by-own) }")


def test_the_next_build_starts_from_the_originals(tmp_path):
    """A purged sheet is marked; removing the marked sheets leaves the
    others, so that Sphinx and the extensions copy their originals again."""
    static = tmp_path / "_static"
    static.mkdir()
    (static / "theme.css").write_text(".gone { a: 1 } p { b: 2 }")
    (static / "new.css").write_text(".x { c: 3 }")
    (static / "own.css").write_text("#added-when-printing { d: 4 }")
    (tmp_path / "index.html").write_text("<p>text</p>")
    slim_site(tmp_path, keep=["own.css"])
    assert (static / "own.css").read_text() == "#added-when-printing { d: 4 }"
    purged = (static / "theme.css").read_text()
    assert purged.startswith(MARK) and ".gone" not in purged
    (static / "new.css").write_text(".x { c: 3 }")  # as if copied afresh
    assert remove_purged(tmp_path) == [static / "theme.css"]
    assert (static / "own.css").exists()
    assert not (static / "theme.css").exists()
    assert (static / "new.css").read_text() == ".x { c: 3 }"
