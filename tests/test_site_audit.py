"""Every page of the built site against axe-core and its weight budgets.

What Lighthouse's scores measure depends on the machine; what is checked
here does not:

- **axe-core** (the engine behind Lighthouse's accessibility score, bundled
  by axe-playwright-python) finds no violation on any page, in the light
  theme and in the dark one (contrast is computed from the colours shown);
- **weight**: each page, every image loaded, stays within the bytes and the
  requests that ``benchmarks.audit`` budgets, fetches no more before its
  first paint than its render-blocking budget, and loads no script that
  the page does not use;
- **math**: every formula is MathML that the browser lays out, with no
  math script.

Marked slow: it builds the book first (the ``site`` fixture).
"""

from __future__ import annotations

import pytest

from benchmarks.audit import (
    PAGE_BYTES_BUDGET,
    PAGE_REQUESTS_BUDGET,
    RENDER_BLOCKING_BYTES_BUDGET,
    book_pages,
)
from dlbook_site.critical_css import LATER
from tests.browser import open_page
from tests.conftest import ROOT

PAGES = book_pages(ROOT / "book")

#: Scripts that only some pages need, and what on a page uses each (a CSS
#: selector): a page that loads one must have something it acts on.
USED_BY = {
    "togglebutton.js": ".toggle, .dropdown",
    "copybutton.js": "div.highlight pre",
    "clipboard.min.js": "div.highlight pre",
    "searchindex.js": "#search-results",
    "searchtools.js": "#search-results",
}

pytestmark = pytest.mark.slow


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violation(site, browser, name, scheme):
    # The page's own console errors are test_site.py's: axe-core's re-reading
    # of the style sheets resolves the theme's @import against the page's
    # address, not the sheet's, and logs a 404 of its own making.
    page, _ = open_page(browser, f"{site}{name}.html", scheme)
    try:
        shown = page.evaluate("document.documentElement.dataset.theme")
        violations = _axe_violations(page)
    finally:
        page.close()
    assert shown == scheme, f"the page showed its {shown} theme, not {scheme}"
    assert not violations, "\n".join(violations)


def _loads(page) -> list[dict]:
    """Every response of the page, itself included: its address and bytes."""
    return page.evaluate(
        "performance.getEntriesByType('navigation')"
        ".concat(performance.getEntriesByType('resource'))"
        ".map(e => ({url: e.name, bytes: e.encodedBodySize}))")


#: The scripts in a page's head that the browser fetches and runs before it
#: goes on reading the page: JavaScript, neither deferred nor asynchronous.
HEAD_SCRIPTS = """Array.from(document.querySelectorAll(
  'head script[src]:not([defer]):not([async])'
  + ':is(:not([type]), [type=""], [type="text/javascript"])'), e => e.src)"""

#: What a page fetched before its load event that its first paint waits
#: for: style sheets (a link's, or an @import's) and the head's scripts that
#: are JavaScript (a script of another type is neither fetched nor run)
#: neither deferred nor async.
EARLY_BLOCKING = """(() => {
  const loaded = performance.getEntriesByType('navigation')[0].loadEventStart;
  const scripts = new Set(""" + HEAD_SCRIPTS + """);
  return performance.getEntriesByType('resource')
    .filter(e => e.startTime < loaded && (['link', 'css'].includes(
      e.initiatorType) || scripts.has(e.name)))
    .map(e => ({url: e.name, bytes: e.encodedBodySize}));
})()"""

#: The bytes of the rules a page inlines
#: (dlbook_site.critical_css).
INLINED_RULES = """Array.from(document.querySelectorAll('head style'),
  e => new TextEncoder().encode(e.textContent).length)
  .reduce((a, b) => a + b, 0)"""

#: The style sheets a page names for a reader without scripts: its own, whose
#: rules it inlines and holds (dlbook_site.critical_css).
OWN_SHEETS = """Array.from(document.querySelectorAll('head noscript'),
  e => Array.from(e.textContent.matchAll(/href="([^"]+)"/g),
                  m => new URL(m[1], location.href).href)).flat()"""

#: The scripts a page fetched before its load event.
EARLY_SCRIPTS = """(() => {
  const loaded = performance.getEntriesByType('navigation')[0].loadEventStart;
  return performance.getEntriesByType('resource')
    .filter(e => e.initiatorType === 'script' && e.startTime < loaded)
    .map(e => e.name);
})()"""

#: The scripts a page holds until it has loaded (book/_templates writes them
#: with a type that is not JavaScript; their loader fetches them after load).
HELD_SCRIPTS = """Array.from(document.querySelectorAll('script[src]'))
  .filter(s => s.type && !['text/javascript', 'module'].includes(s.type))
  .map(s => s.src)"""


@pytest.mark.parametrize("name", PAGES)
def test_page_stays_within_its_budgets_and_loads_only_scripts_it_uses(
        site, browser, name):
    page, _ = open_page(browser, f"{site}{name}.html")
    try:
        loads = _loads(page)
        blocking = page.evaluate(EARLY_BLOCKING)
        inlined = page.evaluate(INLINED_RULES)
        early = set(page.evaluate(EARLY_SCRIPTS))
        held = set(page.evaluate(HELD_SCRIPTS))
        own_sheets = set(page.evaluate(OWN_SHEETS))
        sheets = set(page.evaluate(
            "Array.from(document.styleSheets, s => s.href).filter(Boolean)"))
        scripts_ran = page.evaluate("typeof bootstrap !== 'undefined'")
        options = page.evaluate("typeof DOCUMENTATION_OPTIONS === 'object'"
                                " && DOCUMENTATION_OPTIONS.pagename")
        head_scripts = page.evaluate(HEAD_SCRIPTS)
        unused = [
            script for script in [e["url"] for e in loads]
            for fragment, selector in USED_BY.items()
            if fragment in script and not page.query_selector(selector)
        ]
    finally:
        page.close()
    weight = sum(e["bytes"] for e in loads)
    heaviest = sorted(loads, key=lambda e: -e["bytes"])[:5]
    assert weight <= PAGE_BYTES_BUDGET, (
        f"{name} weighs {weight:,} bytes, over its budget of "
        f"{PAGE_BYTES_BUDGET:,}; the heaviest: {heaviest}")
    assert len(loads) <= PAGE_REQUESTS_BUDGET, (
        f"{name} makes {len(loads)} requests, over its budget of "
        f"{PAGE_REQUESTS_BUDGET}")
    assert not unused, f"{name} loads scripts it does not use: {unused}"
    # The theme's scripts wait for the load event; none that waits was
    # fetched before it.
    assert any(s.split("?")[0].endswith("/bootstrap.js") for s in held), (
        f"{name} does not hold the theme's bootstrap.js until it has loaded")
    assert not early & held, (
        f"{name} fetches scripts before its load event: {sorted(early & held)}")
    assert scripts_ran, f"{name}: the theme's scripts did not run after load"
    # Sphinx's options are written into the page, for the theme's inline
    # scripts, and no script in the head holds the first paint up.
    assert options == name, f"{name}: DOCUMENTATION_OPTIONS is {options!r}"
    assert not head_scripts, (
        f"{name}: scripts that hold its first paint up: {head_scripts}")
    # The page's own sheets are inlined and held: it fetches none of them,
    # and the later rules apply once it has loaded; its first paint waits
    # for the rules it inlines, and for nothing fetched.
    assert any(s.split("?")[0].endswith("/pydata-sphinx-theme.css")
               for s in own_sheets), (
        f"{name} does not inline the theme's style sheet")
    fetched = {e["url"] for e in loads}
    assert not fetched & own_sheets, (
        f"{name} fetches style sheets whose rules it inlines: "
        f"{sorted(fetched & own_sheets)}")
    later = {s for s in sheets if s.split("?")[0].endswith(LATER)}
    assert later and not {e["url"] for e in blocking} & later, (
        f"{name}: its later rules did not apply after load ({sorted(later)})")
    assert inlined, f"{name} inlines no rules"
    blocking_weight = inlined + sum(e["bytes"] for e in blocking)
    assert blocking_weight <= RENDER_BLOCKING_BYTES_BUDGET, (
        f"{name} makes its first paint wait for {blocking_weight:,} bytes "
        f"({inlined:,} of them inlined rules), over the budget of "
        f"{RENDER_BLOCKING_BYTES_BUDGET:,}: "
        f"{sorted(blocking, key=lambda e: -e['bytes'])[:5]}")


#: Every formula's box: its MathML, and how tall the browser laid it out.
FORMULAS = """() => Array.from(document.querySelectorAll('.math'), e => {
  const math = e.querySelector('math');
  return {tex: e.textContent.trim().slice(0, 60),
          height: math ? math.getBoundingClientRect().height : null};
})"""


def test_every_formula_is_mathml_that_the_browser_lays_out(site, browser):
    """The book's math needs no script: each formula is MathML, and
    Chromium gives each a box (a formula it could not read would have none)."""
    formulas = {}
    for name in PAGES:
        page, _ = open_page(browser, f"{site}{name}.html")
        try:
            formulas[name] = page.evaluate(FORMULAS)
            scripts = page.evaluate(
                "Array.from(document.scripts, s => s.src).filter(Boolean)")
        finally:
            page.close()
        assert not [s for s in scripts if "mathjax" in s.lower()], (name, scripts)
    assert sum(map(len, formulas.values())) > 0, "the book has no formula"
    unlaid = {name: [f for f in found if not f["height"]]
              for name, found in formulas.items()}
    assert not any(unlaid.values()), unlaid
