"""A page's first screen painted by the rules it needs, inlined; its sheets load after.

A chapter's first paint waited for some 130 KB of style sheets (the theme's,
purged by :mod:`dlbook_site.unused_css`, and the extensions'): on
Lighthouse's slow 4G, about 0.7 s. This is the critical-CSS method
(Addy Osmani's ``critical``, Filament Group's ``loadCSS``): once the HTML
builder has written the site and the purge has run, each page of the site
gets

1. in its head, one ``<style>`` with the rules of its style sheets that its
   first screen can use (:func:`critical_css`): those with a selector that
   matches an element of :func:`first_screen`, the page less its article
   beyond the first characters and less what is shown only when the reader
   asks (menus, dialogs);
2. its style sheets held, like its scripts, with the type the templates
   hold scripts with (``html_context["after_load_type"]``), which the
   browser does not fetch; the loader in ``book/_templates`` puts them back,
   in their places, once the page has loaded, and only then its scripts;
   a ``<noscript>`` keeps them for a reader without scripts.

The rules inlined are the sheets' own, in their order, each with the
selectors that matched, and the sheets come back whole after them, so the
cascade ends as it would have begun. A selector matches if it does without
its pseudo-elements and its user-action pseudo-classes (``::before``,
``:hover``): their element is on the first screen. Rules for print and
custom properties that no inlined rule reads are left out. The matching is
soupsieve's (Beautiful Soup's CSS selector engine), which parses the
selectors too; a selector it cannot read is kept.

Without a browser, "the first screen" is an estimate: the page's header and
sidebars, and the article's first :data:`FIRST_SCREEN_CHARACTERS`
characters. Whatever lies beyond is painted by the sheets once they load,
below the fold.

A page keeps its inlined rules until its sheets change: the ``<style>``
carries a digest of them, and a page that the builder did not rewrite, with
the same digest, is left as it is. The search page, whose scripts are not
held (``book/_templates``), and pages without the loader are left alone;
so is every builder but ``html`` (the PDF's single page prints once loaded).

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.critical_css"]``,
after ``dlbook_site.unused_css``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

import soupsieve
import tinycss2
from bs4 import BeautifulSoup, NavigableString

from dlbook_site import unused_css
from dlbook_site.icon_fonts import fonts_cut, printed_characters
from dlbook_site.unused_css import (
    NESTED_AT_RULES,
    named,
    split_selectors,
    unused_custom_properties_removed,
)

#: How much of the article's text the first screen shows, at most: a
#: desktop's first screen holds a title and some four paragraphs.
FIRST_SCREEN_CHARACTERS = 3000

#: Elements whose content no first screen shows until the reader asks for it
#: (a dialog, a menu). They stay, emptied, so that the rules that hide or
#: place them are inlined.
SHOWN_LATER = ("dialog", ".dropdown-menu", "#pst-back-to-top")

#: What follows the article at the page's end: emptied too where the first
#: screen ends within the article, shown where a short article leaves room.
AFTER_THE_ARTICLE = (".prev-next-area", ".bd-footer-article", "footer")

#: Attributes that the theme's scripts set on the page (its light or dark
#: theme): a selector is matched without them, for every value they take.
SET_BY_SCRIPTS = ("data-theme", "data-mode")

#: The attribute that marks the inlined rules and the ``<noscript>``; its
#: value on the ``<style>`` is the digest of the sheets they came from.
ATTRIBUTE = "data-dlbook-critical"

#: Runs after the purge, whose sheets it reads.
PRIORITY = unused_css.PRIORITY + 50

#: Pseudo-elements, and the pseudo-classes of what the reader does: their
#: element is what a selector with them needs on the first screen.
_ACTIONS = (r"(?:hover|focus|focus-visible|focus-within|active|visited|target"
            r"|checked|indeterminate|open|popover-open|autofill)(?![\w-])")
_PSEUDO = re.compile(
    rf":not\(\s*:{_ACTIONS}\s*\)"  # true before the reader does anything
    r"|::?(?:before|after|first-line|first-letter|marker|placeholder|selection"
    r"|backdrop|file-selector-button|-[\w-]+(?:\([^)]*\))?)"
    r"|::[\w-]+(?:\([^)]*\))?"
    rf"|:{_ACTIONS}")
_LINK = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')
_HREF = re.compile(r'\bhref="([^"]+)"')
_OLD = re.compile(rf'<style {ATTRIBUTE}[^>]*>.*?</style>\n'
                  rf'|\n<noscript {ATTRIBUTE}>.*?</noscript>', re.S)


def _keep_first_characters(element, budget: int) -> int:
    for child in list(element.children):
        if budget <= 0:
            child.extract()
        elif isinstance(child, NavigableString):
            budget -= len(child.strip())
        else:
            budget = _keep_first_characters(child, budget)
    return budget


def first_screen(html: str, characters: int = FIRST_SCREEN_CHARACTERS,
                 shown_later=SHOWN_LATER,
                 after_the_article=AFTER_THE_ARTICLE) -> BeautifulSoup:
    """The page ``html`` as its first screen can show it: its article cut
    after its first ``characters`` characters of text, the elements that
    ``shown_later`` selects emptied, and those that ``after_the_article``
    selects too where the article was cut.

    Examples
    --------
    >>> page = ("<article><p>One.</p><p>Two.</p></article>"
    ...         "<footer>End</footer><dialog><p>Search</p></dialog>")
    >>> print(first_screen(page, characters=4))
    <article><p>One.</p></article><footer></footer><dialog></dialog>
    >>> print(first_screen(page, characters=100))
    <article><p>One.</p><p>Two.</p></article><footer>End</footer><dialog></dialog>
    """
    document = BeautifulSoup(html, "html.parser")
    cut = False
    for article in document.find_all("article"):
        cut |= _keep_first_characters(article, characters) <= 0
    for selector in (*shown_later, *(after_the_article if cut else ())):
        for element in document.select(selector):
            element.clear()
    return document


def _subject(selector: str) -> str:
    """The last compound of ``selector``, less what is in parentheses."""
    depth, start = 0, 0
    for i, character in enumerate(selector):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if not depth and character in " >+~":
            start = i + 1
    return re.sub(r"\([^()]*(\([^()]*\))?[^()]*\)", "", selector[start:])


class _Index:
    """The elements of a document by their tag, class and id, so that a
    selector is tried only on the elements its subject could be; and
    ``words``, the classes and ids they have."""

    def __init__(self, document):
        self.elements = document.find_all(True)
        self.by, self.words = {}, set()
        for element in self.elements:
            names = list(element.get("class") or ())
            keys = [element.name] + [f".{c}" for c in names]
            if element.get("id"):
                names.append(element["id"])
                keys.append(f"#{element['id']}")
            self.words.update(names)
            for key in keys:
                self.by.setdefault(key, []).append(element)

    def candidates(self, subject: str) -> list:
        keys = re.findall(r"[#.][\w-]+|^[a-zA-Z][\w-]*", subject)
        if not keys or "\\" in subject:  # none, or escaped: try them all
            return self.elements
        return min((self.by.get(key, []) for key in keys), key=len)


_SET_BY_SCRIPTS = re.compile(
    rf"\[\s*(?:{'|'.join(map(re.escape, SET_BY_SCRIPTS))})\b[^\]]*\]")


def _without(pattern: re.Pattern, selector: str) -> str:
    """``selector`` without what ``pattern`` finds; a compound left empty
    becomes ``*``."""
    def removed(found):
        before = selector[:found.start()]
        return "*" if not before or before[-1] in " >+~(," else ""
    return pattern.sub(removed, selector)


def _matches(selector: str, index: _Index) -> bool:
    stripped = _without(_SET_BY_SCRIPTS, _without(_PSEUDO, selector)).strip()
    try:
        compiled = soupsieve.compile(stripped)
    except (soupsieve.SelectorSyntaxError, NotImplementedError, ValueError):
        return True
    return any(map(compiled.match, index.candidates(_subject(stripped))))


def _used_rules(rules: list, index: _Index, words: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [tinycss2.serialize(s).strip()
                         for s in split_selectors(rule.prelude)
                         if named(s) <= words]
            selectors = [s for s in selectors if _matches(s, index)]
            if selectors:
                kept.append(f"{','.join(selectors)}"
                            f"{{{tinycss2.serialize(rule.content).strip()}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "import":
            continue  # the importer inlines the imported sheet's rules
        elif (rule.type == "at-rule" and rule.content is not None
              and rule.lower_at_keyword in NESTED_AT_RULES):
            condition = tinycss2.serialize(rule.prelude).strip()
            if rule.lower_at_keyword == "media" and condition == "print":
                continue
            inner = _used_rules(tinycss2.parse_rule_list(rule.content),
                                index, words)
            if inner:
                kept.append(f"@{rule.at_keyword} {condition}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            kept.append(rule.serialize())
    return kept


def _imports(rules: list) -> list[str]:
    return [token.value for rule in rules
            if rule.type == "at-rule" and rule.lower_at_keyword == "import"
            for token in rule.prelude if token.type in ("string", "url")]


def sheet_rules(sheet: Path) -> list:
    """The rules of the style sheet ``sheet``, those it imports first."""
    rules = tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    imported = []
    for address in _imports(rules):
        imported.extend(sheet_rules(sheet.parent / address.split("?")[0]))
    return imported + rules


def critical_css(html: str, sheets: list[list],
                 characters: int = FIRST_SCREEN_CHARACTERS) -> str:
    """The rules of ``sheets`` (each a list of rules, :func:`sheet_rules`, in
    the page's order) that the first screen of the page ``html`` can use.

    Examples
    --------
    >>> sheet = tinycss2.parse_stylesheet(
    ...     ":root { --ink: navy; --unread: 0 } nav a:hover { color: var(--ink) }"
    ...     " .note { margin: 0 } @media print { nav { display: none } }")
    >>> critical_css("<nav><a href=.>Home</a></nav>", [sheet])
    ':root{--ink: navy}nav a:hover{color: var(--ink)}'
    """
    document = first_screen(html, characters)
    index = _Index(document)
    css = "".join(rule for rules in sheets
                  for rule in _used_rules(rules, index, index.words))
    styles = " ".join(element["style"]
                      for element in document.find_all(style=True))
    css = unused_custom_properties_removed({"": css}, set(), styles)[""]
    return fonts_cut(css, printed_characters(css))


def _local(address: str) -> bool:
    return not re.match(r"[a-z]+:|//", address)


def _local_links(html: str) -> list:
    return [link for link in _LINK.finditer(html)
            if _HREF.search(link.group(0))
            and _local(_HREF.search(link.group(0)).group(1))]


def stylesheets(html: str) -> list[str]:
    """The addresses of the page's own style sheets, in its order, held or not.

    Examples
    --------
    >>> stylesheets('<link rel="stylesheet" href="a.css?v=1" />'
    ...             '<link rel="stylesheet" href="https://x/b.css" />')
    ['a.css?v=1']

    A page that went through :func:`page_with_critical_css` names them once:

    >>> page = page_with_critical_css(
    ...     '<link rel="stylesheet" href="a.css" />', "", "text/x-held", "d1")
    >>> stylesheets(page)
    ['a.css']
    """
    return [_HREF.search(link.group(0)).group(1)
            for link in _local_links(_OLD.sub("", html))]


@functools.cache
def _own_source() -> str:
    return Path(__file__).read_text(encoding="utf-8")


def sheets_digest(sheets: list[str]) -> str:
    """A digest of the texts of a page's style sheets, and of this module,
    which makes the rules out of them."""
    return hashlib.sha256(
        "\0".join([_own_source(), *sheets]).encode()).hexdigest()[:16]


def inlined_digest(html: str) -> str | None:
    """The digest that the page's inlined rules carry, if it has them."""
    found = re.search(rf'<style {ATTRIBUTE}="(\w+)">', html)
    return found and found.group(1)


def page_with_critical_css(html: str, css: str, held_type: str,
                           digest: str) -> str:
    """``html`` with ``css`` inlined before its first local style sheet,
    and those sheets held with ``held_type`` (and kept in a ``<noscript>``).
    A page that went through this before is first put back as it was.

    Examples
    --------
    >>> page = ('<head><link rel="stylesheet" type="text/css" href="a.css" />'
    ...         '<link rel="stylesheet" href="https://x/b.css" /></head>')
    >>> once = page_with_critical_css(page, "p{margin:0}", "text/x-held", "d1")
    >>> print(once.replace("/>", "/>\\n"))  # doctest: +NORMALIZE_WHITESPACE
    <head><style data-dlbook-critical="d1">p{margin:0}</style>
    <link type="text/x-held" rel="stylesheet" href="a.css" />
    <noscript data-dlbook-critical><link rel="stylesheet" href="a.css" />
    </noscript><link rel="stylesheet" href="https://x/b.css" />
    </head>
    >>> page_with_critical_css(once, "p{margin:0}", "text/x-held", "d1") == once
    True
    """
    html = _OLD.sub("", html).replace(f'<link type="{held_type}" ', "<link ")
    links = _local_links(html)
    if not links:
        return html
    out, end, shown = [], 0, []
    for i, link in enumerate(links):
        tag = link.group(0).replace(' type="text/css"', "")
        shown.append(tag)
        out.append(html[end:link.start()])
        if not i:
            out.append(f'<style {ATTRIBUTE}="{digest}">{css}</style>\n')
        out.append(tag.replace("<link ", f'<link type="{held_type}" ', 1))
        end = link.end()
    out.append(f"\n<noscript {ATTRIBUTE}>{''.join(shown)}</noscript>")
    return "".join(out) + html[end:]


def inline_site(site: Path, held_type: str) -> dict[str, int]:
    """Inline each page's first-screen rules and hold its sheets (the pages
    of ``site`` that hold their scripts with ``held_type``); returns the
    bytes inlined, by the page's path, for each page rewritten."""
    site = Path(site)
    rules, texts, inlined = {}, {}, {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if f'<script type="{held_type}"' not in html:
            continue
        sheets = [(page.parent / address.split("?")[0]).resolve()
                  for address in stylesheets(html)]
        for sheet in sheets:
            if sheet not in rules:
                rules[sheet] = sheet_rules(sheet)
                texts[sheet] = tinycss2.serialize(rules[sheet])
        digest = sheets_digest([texts[s] for s in sheets])
        if inlined_digest(html) == digest:
            continue
        css = critical_css(html, [rules[s] for s in sheets])
        page.write_text(page_with_critical_css(html, css, held_type, digest),
                        encoding="utf-8")
        inlined[page.relative_to(site).as_posix()] = len(css.encode())
    return inlined


def inline_built_site(app, exception) -> None:
    """Sphinx's ``build-finished``: inline the HTML builder's pages."""
    if exception is None and app.builder.name == "html":
        inline_site(Path(app.outdir), app.config.html_context["after_load_type"])


def setup(app) -> dict:
    app.connect("build-finished", inline_built_site, priority=PRIORITY)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
