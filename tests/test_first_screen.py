"""Every page's first screen is painted by its inlined rules as its sheets paint it.

``dlbook_site.critical_css`` inlines, in each page's head, the rules it
estimates the first screen needs, and holds the page's style sheets until
the page has loaded. Here each page is opened with the templates' loader
caught before it runs, so that the held sheets and scripts do not load, and
every element on the first screen (in a desktop's window, light and dark,
and a phone's) is measured: its box and its colours; then the loader is
run, the scripts blocked, and the same elements are measured again once
the sheets apply. Whatever the estimate missed would move, resize or change
colour here, in front of the reader, and count against
the page's layout-shift score.

Marked slow: it builds the book first (the ``site`` fixture).
"""

from __future__ import annotations

import re

import pytest

from benchmarks.audit import book_pages
from tests.browser import held_type
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

PAGES = book_pages(ROOT / "book")

#: A desktop's window, in the light theme and the dark one, and a phone's
#: (Lighthouse's mobile preset): its width, height and colour scheme.
WINDOWS = {"desktop": (1280, 900, "light"), "desktop-dark": (1280, 900, "dark"),
           "phone": (412, 823, "light")}

#: Each element of the first screen, by its place in the document: the part
#: of its box that the window shows, and what it looks like.
FIRST_SCREEN = """() => Array.from(document.body.querySelectorAll('*'))
  .map((element, i) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return {i, tag: element.tagName, id: element.id,
            className: String(element.className).slice(0, 60),
            // What the window shows of it: a box that reaches below the
            // first screen may grow there.
            box: [box.left, box.right, Math.max(box.top, 0),
                  Math.min(box.bottom, innerHeight)].map(Math.round),
            color: style.color, background: style.backgroundColor,
            font: style.fontFamily + ' ' + style.fontSize,
            visible: box.width > 0 && box.height > 0 && box.bottom > 0
              && box.top < innerHeight && style.visibility !== 'hidden'};
  })
  .filter(e => e.visible)"""

#: The templates' loader, caught instead of run when the browser is idle:
#: the test runs it itself, once it has measured the first screen.
CATCH_THE_LOADER = "window.requestIdleCallback = (task) => { window.loader = task; };"


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("name", PAGES)
def test_the_inlined_rules_paint_the_first_screen_as_the_sheets_do(
        site, browser, name, window):
    width, height, scheme = WINDOWS[window]
    page = browser.new_page(viewport={"width": width, "height": height},
                            color_scheme=scheme)
    try:
        page.add_init_script(CATCH_THE_LOADER)
        # No script but the page's own: the theme's, which the loader loads
        # once the sheets apply, change the page themselves.
        page.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
        page.goto(f"{site}{name}.html", wait_until="networkidle")
        sheets_before = page.evaluate("document.styleSheets.length")
        inlined = page.evaluate(FIRST_SCREEN)
        page.evaluate("window.loader()")  # resolves once the sheets apply
        held = page.evaluate(
            "type => document.querySelectorAll(`link[type=\"${type}\"]`).length",
            held_type())
        sheets_after = page.evaluate("document.styleSheets.length")
        page.wait_for_timeout(50)
        styled = {e["i"]: e for e in page.evaluate(FIRST_SCREEN)}
    finally:
        page.close()
    assert not held, f"{name}: the loader left {held} style sheets held"
    assert sheets_after > sheets_before, f"{name}: no style sheet was held"
    assert inlined, f"{name}: nothing on the first screen"
    looks = ("color", "background", "font")
    changed = []
    for element in inlined:
        after = styled.get(element["i"])
        if after is None or any(
                abs(a - b) > 1
                for a, b in zip(element["box"], after["box"], strict=True)
        ) or any(element[k] != after[k] for k in looks):
            changed.append((element, after and {
                k: after[k] for k in ("box", *looks)}))
    assert not changed, (
        f"{name} ({window}): {len(changed)} of the first screen's "
        f"{len(inlined)} elements change when the sheets load; the first: "
        f"{changed[:3]}")
