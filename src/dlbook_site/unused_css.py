"""The site's style sheets keep only rules its pages can use; icon fonts, their icons.

The theme's style sheet (``pydata-sphinx-theme.css``, 376 KB with Bootstrap
and Font Awesome) blocks every page's first paint, and the theme preloads
Font Awesome's fonts (220 KB) on every page for a dozen icons. Once the
HTML builder has written the site, :func:`slim_site`

1. reads every word of the site's pages and of the scripts they load
   (:func:`site_content`, :func:`used_words`): what a rule's selector can
   match is there, in a ``class`` attribute, or named by a script that adds
   it at run time;
2. removes from each style sheet of the theme and the extensions (the
   site's own, ``html_css_files``, stay whole) every selector that names a
   class or an id no page and no script has (:func:`unused_selectors_removed`),
   and every rule left without selectors; rules of elements, attributes and
   states stay, and so does every ``@font-face`` and ``@keyframes``;
   then every custom property (``--name: ...``) that nothing reads
   (:func:`unused_custom_properties_removed`): no ``var(--name)`` left in
   any of the site's sheets, and no mention in a page or a loaded script
   (Bootstrap alone declares some 300, for components the site lacks);
3. cuts each font the sheets declare with ``@font-face`` down to the
   characters the remaining rules print, and writes it into the sheet as a
   ``data:`` URL (:mod:`dlbook_site.icon_fonts`): a few KB, which no page
   then waits for in a request of its own before its largest paint.

This is PurgeCSS's method (a selector stays if its names occur in the
content; custom properties as its ``variables`` option purges them);
PurgeCSS itself runs on Node, which ``make html`` does not need.
The sheets are parsed with tinycss2 (WeasyPrint's parser), not by hand.

Each build starts from the originals, so that a page added later finds its
rules: a purged sheet begins with :data:`MARK`, and when the builder starts,
:func:`remove_purged` deletes such sheets, so that Sphinx and the extensions
copy their originals again (some, such as MyST-NB and sphinx-exercise,
refuse to overwrite a file that differs from theirs, and Sphinx would warn).
The purge runs after their copies (:data:`PRIORITY`).

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.unused_css"]``;
or ``python -m dlbook_site.unused_css SITE`` on a built site.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import tinycss2

from dlbook_site.icon_fonts import (
    font_files,
    fonts_inlined,
    printed_characters,
    subset_font,
)

#: What counts as a word of the content: a class, an id, or a name in a script.
WORD = re.compile(r"[A-Za-z_][\w-]*")


#: At-rules whose body is a list of rules, purged like the sheet itself.
NESTED_AT_RULES = {"media", "supports", "layer", "container"}

#: The first line of a purged sheet.
MARK = ("/* Rules that no page of this site names removed by dlbook_site."
        "unused_css; the original is the theme's or the extension's. */\n")

#: When the purge runs on ``build-finished``: after the extensions' own
#: copies of their style sheets (Sphinx's default priority is 500).
PRIORITY = 900


class _ScriptSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        source = dict(attrs).get("src")
        if tag == "script" and source:
            self.sources.append(source)


def site_content(site: Path) -> list[Path]:
    """The files whose words a selector may name: every page of ``site``, and
    every local script a page loads (files the theme ships but no page
    loads, such as its fontawesome.js, do not count).

    Examples
    --------
    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> (site / "_static").mkdir()
    >>> for name in ("used.js", "unused.js"):
    ...     _ = (site / "_static" / name).write_text("")
    >>> _ = (site / "index.html").write_text(
    ...     '<script src="_static/used.js?v=1"></script>')
    >>> [p.relative_to(site).as_posix() for p in site_content(site)]
    ['index.html', '_static/used.js']
    """
    site = Path(site).resolve()
    pages = sorted(site.rglob("*.html"))
    scripts = {}
    for page in pages:
        parser = _ScriptSources()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for source in parser.sources:
            path = urlsplit(source).path
            if urlsplit(source).netloc or not path:
                continue
            script = (page.parent / path).resolve()
            if script.is_file():
                scripts[script] = None
    return pages + list(scripts)


#: A page's own style rules: the words of a selector there are not content
#: (dlbook_site.critical_css inlines the rules each page uses).
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>", re.S)


def used_words(texts: Iterable[str]) -> set[str]:
    """Every word in ``texts``, less those of their ``<style>`` elements.

    Examples
    --------
    >>> sorted(used_words(['<p class="note big">', 'el.classList.add("show")',
    ...                    '<style>.unused { color: red }</style>']))
    ['add', 'big', 'class', 'classList', 'el', 'note', 'p', 'show']
    """
    words = set()
    for text in texts:
        words.update(WORD.findall(STYLE_ELEMENT.sub("", text)))
    return words


def split_selectors(prelude: list) -> list[list]:
    """A rule's selector list (its prelude's tokens) cut at its commas."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


def named(selector: list) -> set[str]:
    """The classes and ids a selector (its tokens) requires of the page.

    Names inside a function (``:not(.x)``, ``:is(.x, .y)``) require nothing:
    the selector may match without them.

    Examples
    --------
    >>> rule, = tinycss2.parse_stylesheet("a.x#y:not(.z) .w > p:hover {}")
    >>> sorted(named(rule.prelude))
    ['w', 'x', 'y']
    """
    names, previous = set(), None
    for token in selector:
        if token.type == "ident" and previous is not None and (
                previous.type == "literal" and previous.value == "."):
            names.add(token.value)
        elif token.type == "hash" and token.is_identifier:
            names.add(token.value)
        previous = token
    return names


def _purged(rules: list, words: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in split_selectors(rule.prelude)
                         if named(s) <= words]
            if not selectors:
                continue
            prelude = []
            for i, selector in enumerate(selectors):
                if i:
                    prelude.append(tinycss2.ast.LiteralToken(0, 0, ","))
                prelude.extend(selector)
            rule.prelude = prelude
        elif (rule.type == "at-rule" and rule.content is not None
              and rule.lower_at_keyword in NESTED_AT_RULES):
            inner = _purged(tinycss2.parse_rule_list(rule.content), words)
            if not any(r.type in ("qualified-rule", "at-rule") for r in inner):
                continue
            rule.content = inner
        elif rule.type in ("comment", "whitespace"):
            continue
        kept.append(rule)
    return kept


def unused_selectors_removed(css: str, words: set[str]) -> str:
    """``css`` without the selectors that name a class or an id not in ``words``.

    Examples
    --------
    >>> css = ".a, .b { color: red } .c p { margin: 0 } p { padding: 0 }"
    >>> unused_selectors_removed(css, {"a"})
    '.a{ color: red }p { padding: 0 }'
    >>> unused_selectors_removed("@media print { .c { x: 1 } } .a {}", {"a"})
    '.a {}'
    """
    rules = tinycss2.parse_stylesheet(css)
    return "".join(rule.serialize() for rule in _purged(rules, words))


#: A custom property read by a ``var()`` of a declaration.
VAR_READ = re.compile(r"var\(\s*(--[\w-]+)")


def _without_properties(rules: list, unused: set[str]) -> tuple[str, int]:
    """``rules`` serialized without the declarations of ``unused``
    properties (a rule left with none goes); and how many went."""
    out, removed = [], 0
    for rule in rules:
        if rule.type == "qualified-rule":
            items = tinycss2.parse_blocks_contents(rule.content)
            kept = [i for i in items if not (
                i.type == "declaration" and i.name in unused)]
            removed += len(items) - len(kept)
            if not any(i.type in ("declaration", "qualified-rule", "at-rule")
                       for i in kept):
                continue
            body = ";".join(i.serialize() for i in kept
                            if i.type not in ("whitespace", "comment"))
            out.append(f"{tinycss2.serialize(rule.prelude)}{{{body}}}")
        elif (rule.type == "at-rule" and rule.content is not None
              and rule.lower_at_keyword in NESTED_AT_RULES):
            inner, n = _without_properties(
                tinycss2.parse_rule_list(rule.content), unused)
            removed += n
            if inner:
                out.append(f"@{rule.at_keyword}"
                           f"{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type not in ("comment", "whitespace"):
            out.append(rule.serialize())
    return "".join(out), removed


def declared_properties(css: str) -> set[str]:
    """The custom properties that ``css`` declares, anywhere.

    Examples
    --------
    >>> sorted(declared_properties(":root { --a: 1; color: red } "
    ...                            "@media print { p { --b: 2 } }"))
    ['--a', '--b']
    """
    names = set()

    def visit(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                names.update(i.name for i in tinycss2.parse_blocks_contents(
                    rule.content) if i.type == "declaration"
                    and i.name.startswith("--"))
            elif rule.type == "at-rule" and rule.content is not None and (
                    rule.lower_at_keyword in NESTED_AT_RULES):
                visit(tinycss2.parse_rule_list(rule.content))

    visit(tinycss2.parse_stylesheet(css))
    return names


def unused_custom_properties_removed(sheets: dict, words: set[str],
                                     read_elsewhere: str = "") -> dict:
    """``sheets`` (CSS by name) without the custom properties nothing reads.

    A property stays if a ``var()`` of a declaration left in any of
    ``sheets``, or in ``read_elsewhere`` (the CSS that is not purged), reads
    it, or if ``words`` (of the pages and their scripts, which may set or
    read it) name it. Removing a declaration may leave another property
    unread, so this repeats until nothing more goes.

    Examples
    --------
    >>> css = {"a.css": ":root { --used: 1px; --unused: var(--only-here); "
    ...                 "--only-here: 2px } p { margin: var(--used) }"}
    >>> unused_custom_properties_removed(css, set())["a.css"]
    ':root {--used: 1px}p {margin: var(--used) }'
    >>> unused_custom_properties_removed(css, {"only-here"})["a.css"]
    ':root {--used: 1px;--only-here: 2px }p {margin: var(--used) }'
    """
    sheets = dict(sheets)
    while True:
        read = set(VAR_READ.findall(read_elsewhere))
        for css in sheets.values():
            read.update(VAR_READ.findall(css))
        declared = set().union(*map(declared_properties, sheets.values()))
        unused = {name for name in declared - read if name[2:] not in words}
        total = 0
        for name, css in sheets.items():
            slim, removed = _without_properties(
                tinycss2.parse_stylesheet(css), unused)
            if removed:
                sheets[name] = slim
                total += removed
        if not total:
            return sheets


def slim_site(site: Path, keep: Iterable[str] = ()) -> dict[str, tuple]:
    """Purge the style sheets of the built ``site``, subset its fonts and
    write them into the sheets.

    The sheets named in ``keep`` (paths in ``_static``) stay whole: the
    site's own, whose rules may style what only the PDF's printing adds
    (``dlbook_site.pdf``). Returns each rewritten file's size before and
    after, by its path in the site.
    """
    site = Path(site)
    kept = {site / "_static" / name for name in keep}
    words = used_words(p.read_text(encoding="utf-8", errors="replace")
                       for p in site_content(site))
    sizes, fonts, slimmed, originals, own = {}, {}, {}, {}, []
    for sheet in sorted(site.glob("_static/**/*.css")):
        css = sheet.read_text(encoding="utf-8")
        if css.startswith(MARK) or sheet in kept:
            own.append(css)
            continue
        originals[sheet] = css
        slimmed[sheet] = unused_selectors_removed(css, words)
    slimmed = unused_custom_properties_removed(slimmed, words, "".join(own))
    for sheet, slim in slimmed.items():
        css = originals[sheet]
        loads = font_files(slim, sheet)
        slimmed[sheet] = (css, slim, loads)
        if loads:
            printed = printed_characters(slim)
            for font in loads:
                fonts.setdefault(font, set()).update(printed)
    for font, characters in fonts.items():
        if font.is_file():
            before = font.stat().st_size
            subset_font(font, characters)
            sizes[font.relative_to(site.resolve()).as_posix()] = (
                before, font.stat().st_size)
    for sheet, (css, slim, loads) in slimmed.items():
        if loads:
            slim = fonts_inlined(slim, sheet)
        sheet.write_text(MARK + slim, encoding="utf-8")
        sizes[sheet.relative_to(site).as_posix()] = (
            len(css.encode()), len((MARK + slim).encode()))
    return sizes


def remove_purged(site: Path) -> list[Path]:
    """Delete the sheets of ``site`` that a purge wrote; returns them."""
    purged = []
    for sheet in sorted(Path(site).glob("_static/**/*.css")):
        with sheet.open(encoding="utf-8") as file:
            if file.read(len(MARK)) == MARK:
                purged.append(sheet)
    for sheet in purged:
        sheet.unlink()
    return purged


def _remove_purged_sheets(app) -> None:
    if app.builder.format == "html":
        remove_purged(Path(app.outdir))


def slim_built_site(app, exception) -> None:
    """Sphinx's ``build-finished``: slim the HTML builders' sites."""
    if exception is None and app.builder.format == "html":
        own = [css if isinstance(css, str) else css[0]
               for css in app.config.html_css_files]
        slim_site(Path(app.outdir), keep=own)


def setup(app) -> dict:
    app.connect("builder-inited", _remove_purged_sheets)
    app.connect("build-finished", slim_built_site, priority=PRIORITY)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    for name, (before, after) in slim_site(args.site).items():
        print(f"{name}: {before:,} -> {after:,} bytes")


if __name__ == "__main__":
    main()
