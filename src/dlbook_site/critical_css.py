"""Each page painted by the rules it uses, inlined; the rest of its sheets' rules after.

A chapter's first paint waited for some 130 KB of style sheets (the theme's,
purged by :mod:`dlbook_site.unused_css`, and the extensions'): on
Lighthouse's slow 4G, about 0.7 s. Inlining only its first screen's rules
(the critical-CSS method: Addy Osmani's ``critical``, Filament Group's
``loadCSS``) and loading the sheets after the page cost a second restyle
of the whole page once they applied: on chapter 2, 6,000 elements, a task of
about 125 ms in Chromium, 500 ms under Lighthouse's 4x slower CPU, most of
its total blocking time. So once the HTML builder has written the site and
the purge has run, each page of the site gets

1. in its head, one ``<style>`` with the rules of its style sheets that its
   elements can use (:func:`page_css`): those with a selector that matches
   an element of :func:`page_elements`, the page less what is shown only when
   the reader asks (menus, dialogs); the page's one style recalculation
   before its first paint computes every element's final style;
2. the other rules (for what its scripts add, what the reader opens, and
   print), in their order, in a style sheet of its own beside the page,
   :data:`LATER`, held like its scripts, with the type the templates hold
   scripts with (``html_context["after_load_type"]``), which the browser
   does not fetch; the loader in ``book/_templates`` puts it in place once
   the page has loaded, and only then loads its scripts. A sheet added whole
   makes Chromium restyle only the elements its rules can match: on chapter
   2, 6 ms, where the page's sheets added whole took 50 ms, and the same
   rules inserted among the inlined ones, 46 ms;
3. its style sheets' own links in a ``<noscript>``, for a reader without
   scripts.

The later rules follow all the inlined ones, rather than standing between
them as in their sheets: where one of them and an inlined rule that its
sheet put after it set the same property of the same element with the same
specificity, it now wins. ``tests/test_first_screen.py`` checks that every
page ends with the styles its sheets give it, with the theme's scripts run
and its menus, dialogs and solutions open, on screen and in print.

The rules inlined are the sheets' own, in their order, each with the
selectors that matched. A selector matches if it does without its
pseudo-elements and its user-action pseudo-classes (``::before``,
``:hover``), and for every value of the attributes the theme's scripts
set (:data:`SET_BY_SCRIPTS`). Custom properties that no rule reads are left
out. The matching is soupsieve's (Beautiful Soup's CSS selector engine),
which parses the selectors too; a selector it cannot read is inlined.

Each page's rules are worked out alone, so the pages are shared out to one
process per CPU (:func:`dlbook_site.process_pool.chunked_map`).

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
from bs4 import BeautifulSoup

from dlbook_site import css_store, unused_css
from dlbook_site.icon_fonts import fonts_cut, printed_characters
from dlbook_site.process_pool import chunked_map
from dlbook_site.unused_css import (
    NESTED_AT_RULES,
    named,
    split_selectors,
    unused_custom_properties_removed,
)

#: Elements whose content no page shows until the reader asks for it (a
#: dialog, a menu). They stay, emptied, so that the rules that hide or place
#: them are inlined; the rules of their content come after the page.
SHOWN_LATER = ("dialog", ".dropdown-menu", "#pst-back-to-top")

#: What a page's later rules are called: the page's name and this, beside it.
LATER = ".later.css"

#: Attributes that the theme's scripts set on the page (its light or dark
#: theme): a selector is matched without them, for every value they take.
SET_BY_SCRIPTS = ("data-theme", "data-mode")

#: The attribute that marks the inlined rules and the ``<noscript>``; its
#: value on the ``<style>`` is the digest of the sheets they came from.
ATTRIBUTE = "data-dlbook-critical"

#: Runs after the purge, whose sheets it reads.
PRIORITY = unused_css.PRIORITY + 50

#: The folder, in the builder's doctrees folder, that keeps each page's
#: computed CSS for the next build (:mod:`dlbook_site.css_store`).
STORE = "critical_css"

#: Pseudo-elements, and the pseudo-classes of what the reader does: their
#: element is what a selector with them needs on the page.
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
_OLD = re.compile(rf'<style {ATTRIBUTE}[^>]*>.*?</style>\n(?:<link [^>]*>\n)?'
                  rf'<noscript {ATTRIBUTE}>(.*?)</noscript>', re.S)


def page_elements(html: str, shown_later=SHOWN_LATER) -> BeautifulSoup:
    """The page ``html`` as it shows before the reader asks for anything: the
    elements that ``shown_later`` selects emptied.

    Examples
    --------
    >>> print(page_elements("<p>One.</p><dialog><p>Search</p></dialog>"))
    <p>One.</p><dialog></dialog>
    """
    document = BeautifulSoup(html, "html.parser")
    for selector in shown_later:
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


def _pieces(rules: list, index: _Index) -> list[tuple[bool, str]]:
    """``rules`` in order as pieces of CSS, each with whether the page's
    elements use it: a rule whose selectors match some of them splits in two,
    the used selectors first."""
    pieces = []
    for rule in rules:
        if rule.type == "qualified-rule":
            body = tinycss2.serialize(rule.content).strip()
            used, later = [], []
            for selector in split_selectors(rule.prelude):
                text = tinycss2.serialize(selector).strip()
                (used if named(selector) <= index.words
                 and _matches(text, index) else later).append(text)
            pieces += [(kind, f"{','.join(part)}{{{body}}}")
                       for kind, part in ((True, used), (False, later)) if part]
        elif rule.type == "at-rule" and rule.lower_at_keyword == "import":
            continue  # the importer inlines the imported sheet's rules
        elif (rule.type == "at-rule" and rule.content is not None
              and rule.lower_at_keyword in NESTED_AT_RULES):
            condition = tinycss2.serialize(rule.prelude).strip()
            inner = _pieces(tinycss2.parse_rule_list(rule.content), index)
            if rule.lower_at_keyword == "media" and condition == "print":
                inner = [(False, text) for _, text in inner]
            pieces += [(kind, f"@{rule.at_keyword} {condition}"
                              f"{{{''.join(text for _, text in run)}}}")
                       for kind, run in _runs(inner)]
        elif rule.type == "at-rule":
            pieces.append((True, rule.serialize()))
    return pieces


def _runs(pieces: list[tuple[bool, str]]) -> list[tuple[bool, list]]:
    """``pieces`` in runs of the same kind, in order."""
    runs = []
    for kind, text in pieces:
        if not runs or runs[-1][0] != kind:
            runs.append((kind, []))
        runs[-1][1].append((kind, text))
    return runs


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


def page_css(html: str, sheets: list[list]) -> tuple[str, str]:
    """The rules of ``sheets`` (each a list of rules, :func:`sheet_rules`, in
    the page's order) that the elements of the page ``html`` can use, to
    inline; and the others, for after the page has loaded.

    Examples
    --------
    >>> sheet = tinycss2.parse_stylesheet(
    ...     ":root { --ink: navy; --unread: 0 } nav a:hover { color: var(--ink) }"
    ...     " .shown-by-a-script { margin: 0 } @media print { nav { color: black } }"
    ...     " nav { padding: 0 }")
    >>> page_css("<nav><a href=.>Home</a></nav>", [sheet])
    (':root{--ink: navy}nav a:hover{color: var(--ink)}nav{padding: 0}', \
'.shown-by-a-script{margin: 0}@media print{nav{color: black}}')
    """
    index = _Index(page_elements(html))
    pieces = [piece for rules in sheets for piece in _pieces(rules, index)]
    later = "".join(text for used, text in pieces if not used)
    read = " ".join([later, *(element["style"] for element in index.elements
                              if element.get("style"))])
    css = unused_custom_properties_removed(
        {"": "".join(text for used, text in pieces if used)}, set(), read)[""]
    return fonts_cut(css, printed_characters(css + read)), later


def _local(address: str) -> bool:
    return not re.match(r"[a-z]+:|//", address)


def _local_links(html: str) -> list:
    return [link for link in _LINK.finditer(html)
            if _HREF.search(link.group(0))
            and _local(_HREF.search(link.group(0)).group(1))]


def _restored(html: str) -> str:
    """``html`` as it was before :func:`page_with_inlined_css`."""
    return _OLD.sub(lambda found: found.group(1), html)


def stylesheets(html: str) -> list[str]:
    """The addresses of the page's own style sheets, in its order.

    Examples
    --------
    >>> stylesheets('<link rel="stylesheet" href="a.css?v=1" />'
    ...             '<link rel="stylesheet" href="https://x/b.css" />')
    ['a.css?v=1']

    A page that went through :func:`page_with_inlined_css` names them in
    its ``<noscript>``:

    >>> stylesheets(page_with_inlined_css(
    ...     '<link rel="stylesheet" href="a.css" />', "", "", "text/x-held", "d1"))
    ['a.css']
    """
    return [_HREF.search(link.group(0)).group(1)
            for link in _local_links(_restored(html))]


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


def page_with_inlined_css(html: str, css: str, later: str, held_type: str,
                          digest: str) -> str:
    """``html`` with ``css`` inlined where its first local style sheet was,
    then the sheet at ``later`` (if any) held with ``held_type``, and its
    local sheets only in a ``<noscript>``. A page that went through this
    before is first put back as it was.

    Examples
    --------
    >>> page = ('<head><link rel="stylesheet" type="text/css" href="a.css" />'
    ...         '<link rel="stylesheet" href="https://x/b.css" /></head>')
    >>> once = page_with_inlined_css(page, "p{margin:0}", "p.css", "text/x-held",
    ...                              "d1")
    >>> print(once.replace(">", ">\\n"))  # doctest: +NORMALIZE_WHITESPACE
    <head>
    <style data-dlbook-critical="d1">
    p{margin:0}</style>
    <link type="text/x-held" rel="stylesheet" href="p.css" />
    <noscript data-dlbook-critical>
    <link rel="stylesheet" href="a.css" />
    </noscript>
    <link rel="stylesheet" href="https://x/b.css" />
    </head>
    >>> page_with_inlined_css(once, "p{margin:0}", "p.css", "text/x-held",
    ...                       "d1") == once
    True
    """
    html = _restored(html)
    links = _local_links(html)
    if not links:
        return html
    out, end = [], 0
    for link in links:
        out.append(html[end:link.start()])
        end = link.end()
    held = (f'<link type="{held_type}" rel="stylesheet" href="{later}" />\n'
            if later else "")
    shown = "".join(link.group(0).replace(' type="text/css"', "")
                    for link in links)
    out.insert(1, f'<style {ATTRIBUTE}="{digest}">{css}</style>\n{held}'
                  f"<noscript {ATTRIBUTE}>{shown}</noscript>")
    return "".join(out) + html[end:]


def pages_css(pages: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """:func:`page_css` of each page of ``pages``, given as its HTML and the
    paths of its style sheets in its order; each sheet is read once."""
    rules: dict[str, list] = {}
    for _, sheets in pages:
        for sheet in sheets:
            if sheet not in rules:
                rules[sheet] = sheet_rules(Path(sheet))
    return [page_css(html, [rules[sheet] for sheet in sheets])
            for html, sheets in pages]


def inline_site(site: Path, held_type: str, store: Path | None = None,
                workers: int | None = None) -> dict[str, int]:
    """Inline the rules each page uses and write its later rules beside it
    (the pages of ``site`` that hold their scripts with ``held_type``);
    returns the bytes inlined, by the page's path, for each page rewritten.
    With ``store``, a folder, a page written again as it was reuses the CSS
    computed for it before (:mod:`dlbook_site.css_store`). The pages' CSS is
    computed in ``workers`` processes (by default, one per available CPU:
    :func:`dlbook_site.process_pool.chunked_map`)."""
    site = Path(site)
    texts, used, todo = {}, set(), []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if f'<script type="{held_type}"' not in html:
            continue
        sheets = [(page.parent / address.split("?")[0]).resolve()
                  for address in stylesheets(html)]
        for sheet in sheets:
            if sheet not in texts:
                texts[sheet] = tinycss2.serialize(sheet_rules(sheet))
        digest = sheets_digest([texts[s] for s in sheets])
        if inlined_digest(html) == digest:
            continue
        page_key = css_store.key(html, digest)
        used.add(page_key)
        found = css_store.load(store, page_key) if store else None
        todo.append((page, html, [str(s) for s in sheets], digest, page_key,
                     found))
    computed = iter(chunked_map(
        pages_css, [(html, sheets) for _, html, sheets, _, _, found in todo
                    if found is None],
        size=lambda page: len(page[0]), workers=workers))
    inlined = {}
    for page, html, _, digest, page_key, found in todo:
        css, later = found or next(computed)
        if store and not found:
            css_store.save(store, page_key, css, later)
        address = ""
        if later:
            file = page.with_name(page.stem + LATER)
            file.write_text(later, encoding="utf-8")
            address = f"{file.name}?v={digest}"
        page.write_text(
            page_with_inlined_css(html, css, address, held_type, digest),
            encoding="utf-8")
        inlined[page.relative_to(site).as_posix()] = len(css.encode())
    if store:
        css_store.prune(store, used)
    return inlined


def inline_built_site(app, exception) -> None:
    """Sphinx's ``build-finished``: inline the HTML builder's pages."""
    if exception is None and app.builder.name == "html":
        inline_site(Path(app.outdir), app.config.html_context["after_load_type"],
                    store=Path(app.doctreedir) / STORE)


def setup(app) -> dict:
    app.connect("build-finished", inline_built_site, priority=PRIORITY)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
