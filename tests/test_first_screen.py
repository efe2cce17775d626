"""Each page painted by its inlined rules as by its sheets, ending with their styles.

``dlbook_site.critical_css`` inlines, in each page's head, the rules its
elements use, and holds the rest of its sheets' rules (for what scripts
add, what the reader opens, and print) in a sheet that the templates'
loader puts in place once the page has loaded. Two checks, on every page:

- **the first paint**: the page is opened with the loader caught before
  it runs, so that the later rules and the scripts do not load, and every
  element on the first screen (in a desktop's window, light and dark, and a
  phone's) is measured: its box and its colours; then the loader is run,
  the scripts blocked, and the same elements are measured again once the
  later rules apply. Whatever the inlined rules missed would move, resize
  or change colour here, in front of the reader, and count against the
  page's layout-shift score;
- **the cascade**: the later rules follow the inlined ones instead of
  standing among them as in their sheets, which changes which of two rules
  wins only where they set the same property of one element with the same
  specificity. So every element's computed style, every property, is
  compared with the style the page's own sheets give it (put back in place
  of the inlined and later rules), with the theme's scripts run: as loaded,
  with its menus, search dialog and solutions open, and printed.

Marked slow: it builds the book first (the ``site`` fixture).
"""

from __future__ import annotations

import re

import pytest

from benchmarks.audit import book_pages
from dlbook_site.critical_css import ATTRIBUTE, LATER
from tests.browser import held_type, open_page
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


#: A digest of each element's computed style, every property but the custom
#: ones (the inlined rules leave out those that no rule reads; those read
#: show in the properties that read them): the first elements whose digests
#: differ are compared property by property.
STYLE_DIGESTS = """() => Array.from(document.body.querySelectorAll('*'), (element) => {
  const style = getComputedStyle(element);
  let digest = 2166136261;
  for (const name of style) {
    if (name.startsWith('--')) continue;
    const text = name + ':' + style.getPropertyValue(name) + ';';
    for (let i = 0; i < text.length; i++) {
      digest = Math.imul(digest ^ text.charCodeAt(i), 16777619) >>> 0;
    }
  }
  return digest;
})"""

#: The computed style of the ``i``-th element, by property.
STYLE_OF = """(i) => {
  const element = document.body.querySelectorAll('*')[i];
  const style = getComputedStyle(element);
  return [element.tagName + '.' + String(element.className).slice(0, 60),
          Object.fromEntries(Array.from(style).filter(n => !n.startsWith('--'))
                               .map(n => [n, style.getPropertyValue(n)]))];
}"""

#: Opens what the reader can open: every menu (as Bootstrap's script marks
#: an open one), every solution (its toggle button) and the search dialog.
OPEN_ALL = """() => {
  document.querySelectorAll('.dropdown-menu, .dropdown-toggle')
    .forEach(e => e.classList.add('show'));
  document.querySelectorAll('button.toggle-button').forEach(b => b.click());
  const dialog = document.querySelector('dialog');
  if (dialog && !dialog.open) dialog.showModal();
}"""

#: The page's own sheets back in place of its inlined and later rules.
OWN_SHEETS_BACK = """async ([attribute, laterSuffix]) => {
  const inlined = document.querySelector(`style[${attribute}]`);
  const own = document.querySelector(`noscript[${attribute}]`);
  const later = Array.from(document.styleSheets, s => s.ownerNode)
    .filter(node => node.tagName === 'LINK'
            && new URL(node.href).pathname.endsWith(laterSuffix));
  const template = document.createElement('template');
  template.innerHTML = own.textContent;
  await Promise.all(Array.from(template.content.querySelectorAll('link'),
    (link) => new Promise((loaded) => {
      link.onload = link.onerror = loaded;
      document.head.append(link);
    })));
  inlined.remove();
  later.forEach(node => node.remove());
}"""


def _styles(page, media: str) -> dict:
    states = {}
    page.wait_for_timeout(400)  # the theme's transitions end
    states["as loaded"] = page.evaluate(STYLE_DIGESTS)
    page.evaluate(OPEN_ALL)
    page.wait_for_timeout(400)
    states["opened"] = page.evaluate(STYLE_DIGESTS)
    page.emulate_media(media=media)
    states["printed"] = page.evaluate(STYLE_DIGESTS)
    return states


@pytest.mark.parametrize("name", PAGES)
def test_every_element_ends_with_the_styles_its_sheets_give_it(
        site, browser, name):
    differences = []
    page, _ = open_page(browser, f"{site}{name}.html")
    own, _ = open_page(browser, f"{site}{name}.html")
    try:
        own.evaluate(OWN_SHEETS_BACK, [ATTRIBUTE, LATER])
        assert not own.query_selector(f"style[{ATTRIBUTE}]")
        inlined = _styles(page, "print")
        expected = _styles(own, "print")
        for state, digests in inlined.items():
            assert len(digests) == len(expected[state]), (
                f"{name} ({state}): the pages have different elements")
            for i, (a, b) in enumerate(zip(digests, expected[state], strict=True)):
                if a != b and len(differences) < 3:
                    (tag, got), (_, want) = (page.evaluate(STYLE_OF, i),
                                             own.evaluate(STYLE_OF, i))
                    differences.append((state, tag, {
                        k: (got.get(k), want.get(k)) for k in {*got, *want}
                        if got.get(k) != want.get(k)}))
    finally:
        page.close()
        own.close()
    assert not differences, (
        f"{name}: elements whose style the later rules' place changes "
        f"(state, element, {{property: (inlined, sheets)}}): {differences}")
