"""Open the built site in a real browser, as a reader would.

Serves the site with a plain static file server on localhost and opens
the index, every chapter, the results page and the API page in
headless Chromium, driven by Playwright. Debian's ``chromium`` is used; no
browser is downloaded. Screenshots of every page are kept in
``_build/screenshots``. Marked slow: it builds the book first (seconds with
a warm execution cache), into ``_build/html-local`` with that server's
address as the site's (``DLBOOK_SITE_URL``), as ``make serve`` does, so that
the notebooks install the wheel from it; ``_build/html``, the site to
publish, keeps its GitHub Pages address.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dlbook_site.notebooks import wheel_of_install_cell
from dlbook_site.results import format_value
from tests.browser import open_page
from tests.conftest import LOCAL_SITE

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTERS = sorted(
    p.stem for p in (ROOT / "book").glob("ch*.md")
)
PAGES = ["index", *CHAPTERS, "results", "benchmarks", "api"]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_in_chromium(site, browser, name):
    page, problems = open_page(browser, f"{site}{name}.html")
    try:
        images = page.evaluate(
            "Array.from(document.images).map(img => ({src: img.currentSrc,"
            " loaded: img.complete && img.naturalWidth > 0,"
            " alt: (img.getAttribute('alt') || '').trim()}))"
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        # What the page weighs as loaded: its HTML, images and everything else.
        weight = page.evaluate(
            "performance.getEntriesByType('navigation')"
            ".concat(performance.getEntriesByType('resource'))"
            ".map(e => ({url: e.name, type: e.initiatorType,"
            " bytes: e.encodedBodySize}))"
        )
        (SCREENSHOTS / f"{name}.weight.json").write_text(json.dumps(weight))
    finally:
        page.close()
    assert not problems.console_errors, problems.console_errors
    assert not problems.failed, f"failed requests: {problems.failed}"
    assert not problems.foreign, f"requests to other hosts: {problems.foreign}"
    assert all(image["loaded"] for image in images), [
        image["src"] for image in images if not image["loaded"]]
    assert all(image["alt"] for image in images), [
        image["src"] for image in images if not image["alt"]]
    if name in CHAPTERS and name != "ch01_introduction":
        assert images, f"{name} shows no figure"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_readers_theme_applies_before_any_script_of_the_theme_runs(
        site, browser, scheme):
    # The theme's scripts run after the page has loaded: until then, the
    # page's own head must already show the reader's light or dark theme.
    page = browser.new_page(color_scheme=scheme)
    try:
        page.route("**/_static/scripts/*.js*", lambda route: route.abort())
        page.goto(f"{site}ch02_building_blocks.html", wait_until="load")
        shown = page.evaluate("document.documentElement.dataset.theme")
        background = page.evaluate(
            "getComputedStyle(document.body).backgroundColor")
    finally:
        page.close()
    assert shown == scheme
    rgb = [int(c) for c in background[background.index("(") + 1:
                                      background.index(")")].split(",")[:3]]
    assert (sum(rgb) < 3 * 128) == (scheme == "dark"), background


#: Each solution's box: whether the reader can see its content, and its height.
SOLUTIONS = """() => Array.from(document.querySelectorAll('div.solution.dropdown'),
  (e) => ({shown: Array.from(e.children).slice(1).some(
             c => c.getBoundingClientRect().height > 0
               && getComputedStyle(c).visibility !== 'hidden'),
           height: Math.round(e.getBoundingClientRect().height)}))"""


def test_solutions_show_collapsed_before_any_script_runs(site, browser):
    # sphinx-togglebutton's script, which collapses the solutions, waits
    # with the theme's until the page has loaded and the browser is idle;
    # the first paint shows them collapsed already (book/_static/dlbook.css),
    # in the box the script then gives them. With the browser never idle,
    # the held scripts never load.
    page = browser.new_page()
    try:
        page.add_init_script("window.requestIdleCallback = () => {};")
        page.goto(f"{site}ch02_building_blocks.html", wait_until="networkidle")
        before = page.evaluate(SOLUTIONS)
        theme_ran = page.evaluate("typeof bootstrap !== 'undefined'")
    finally:
        page.close()
    page, _ = open_page(browser, f"{site}ch02_building_blocks.html")
    try:
        after = page.evaluate(SOLUTIONS)
        toggled = page.eval_on_selector_all(
            "div.solution.dropdown",
            "els => els.map(e => e.classList.contains('toggle-hidden'))")
    finally:
        page.close()
    assert not theme_ran, "the theme's scripts were not held"
    assert before and not any(s["shown"] for s in before), before
    assert toggled and all(toggled), "togglebutton.js did not collapse them"
    assert before == after, (before, after)


def test_solutions_show_open_to_a_reader_without_scripts(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}ch02_building_blocks.html", wait_until="networkidle")
        shown = page.evaluate(SOLUTIONS)
    finally:
        context.close()
    assert shown and all(s["shown"] for s in shown), shown


def test_icons_are_drawn_by_the_stylesheet_without_an_icon_script(site, browser):
    # The theme's icon script (1.5 MB) would replace each <i> icon by an
    # <svg>; the site leaves it out, and the stylesheet's web fonts draw them.
    page, problems = open_page(browser, f"{site}ch02_building_blocks.html")
    try:
        icons = page.eval_on_selector_all(
            "i[class*='fa-']", "icons => icons.map(i => ({"
            " glyph: getComputedStyle(i, '::before').content,"
            " font: getComputedStyle(i).fontFamily,"
            " width: i.getBoundingClientRect().width}))")
        scripts = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter(e => e.initiatorType === 'script').map(e => e.name)")
    finally:
        page.close()
    assert not problems.console_errors, problems.console_errors
    assert len(icons) >= 3, icons
    for icon in icons:
        assert icon["glyph"] not in ("none", "normal", ""), icon
        assert "Font Awesome" in icon["font"], icon
    shown = [icon for icon in icons if icon["width"] > 0]
    assert shown, icons
    assert not [s for s in scripts if "fontawesome" in s], scripts


def _search(browser, site, term):
    page, problems = open_page(browser, f"{site}search.html?q={term}")
    try:
        page.wait_for_selector("#search-results ul.search li a", timeout=20000)
        links = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
    finally:
        page.close()
    assert not problems.console_errors, problems.console_errors
    return [urlsplit(link).path.rsplit("/", 1)[-1] for link in links]


def test_search_finds_the_chapter_that_teaches_the_term(site, browser):
    if "ch04_fundamentals" in CHAPTERS:
        term, chapter = "dropout", "ch04_fundamentals.html"
    else:
        term, chapter = "convnet", "ch05_convnets.html"
    assert chapter in _search(browser, site, term)


def test_search_finds_an_exercise_by_its_title(site, browser):
    from dlbook.exercises import CHAPTERS as WITH_EXERCISES
    from dlbook.exercises import chapter_exercises

    number = WITH_EXERCISES[-1]
    coded = [e for e in chapter_exercises(number) if e.kind == "coded"][-1]
    page = next(c for c in CHAPTERS if c.startswith(f"ch{number:02d}_"))
    assert f"{page}.html" in _search(browser, site, coded.title.lower())


def test_download_menu_offers_the_notebook_and_the_source(site, browser):
    page, problems = open_page(browser, f"{site}ch02_building_blocks.html")
    try:
        hrefs = page.eval_on_selector_all(
            ".dropdown-download-buttons a", "links => links.map(a => a.href)"
        )
        colab = page.eval_on_selector_all(
            ".dropdown-launch-buttons a", "links => links.map(a => a.href)"
        )
        notebook_url = next(h for h in hrefs if h.endswith(".ipynb"))
        notebook = json.loads(page.request.get(notebook_url).text())
        source = page.request.get(next(h for h in hrefs if h.endswith(".md")))
        source_ok, source_text = source.ok, source.text()
        first = "".join(notebook["cells"][0]["source"])
        # The install cell names the wheel that this site serves, by its hash.
        wheel_url, sha256 = wheel_of_install_cell(first) or ("", "")
        wheel = page.request.get(wheel_url) if wheel_url.startswith(site) else None
        served = wheel is not None and wheel.ok and hashlib.sha256(
            wheel.body()).hexdigest()
    finally:
        page.close()
    assert "pip" in first and "dlbook" in first
    assert wheel_url.startswith(f"{site}_wheels/"), wheel_url
    assert served == sha256, f"{wheel_url} is not served with its sha256"
    with_outputs = [c for c in notebook["cells"] if c.get("outputs")]
    assert with_outputs, "the downloadable notebook has no outputs"
    assert source_ok and "file_format: mystnb" in source_text
    assert all(link.startswith("https://colab.research.google.com/github/")
               for link in colab)
    assert sorted(link.rsplit("/", 1)[-1] for link in colab) == [
        "ch02_building_blocks-exercises.ipynb", "ch02_building_blocks.ipynb"]


def test_exercises_are_numbered_anchored_and_their_solutions_collapsed(
        site, browser):
    page, problems = open_page(browser, f"{site}ch02_building_blocks.html")
    try:
        exercises = page.eval_on_selector_all(
            "div.exercise", "els => els.map(e => ({id: e.id,"
            " title: e.querySelector('.admonition-title').innerText}))")
        solution = page.locator("div.solution").filter(
            has=page.locator("div.cell")).first
        code = solution.locator("div.cell").first
        hidden_before = not code.is_visible()
        solution.locator(".admonition-title").first.click()
        code.wait_for(state="visible", timeout=5000)
        hrefs = page.eval_on_selector_all(
            ".dropdown-download-buttons a", "links => links.map(a => a.href)")
        url = next(h for h in hrefs if h.endswith("-exercises.ipynb"))
        notebook = json.loads(page.request.get(url).text())
        solution_code = page.eval_on_selector_all(
            # textContent: the collapsed solutions' code too (innerText is
            # empty for what is not rendered).
            "div.solution div.cell_input pre", "els => els.map(e => e.textContent)")
    finally:
        page.close()
    assert not problems.console_errors, problems.console_errors
    assert len(exercises) >= 6 and all(e["id"].startswith("ch02-")
                                       for e in exercises)
    assert all(e["title"].startswith(f"Exercise 2.{n}")
               for n, e in enumerate(exercises, start=1)), exercises
    assert hidden_before, "a solution is shown before it is clicked"
    # The reader's notebook: the install cell, the exercises, no solution.
    cells = ["".join(c["source"]) for c in notebook["cells"]]
    assert "dlbook" in cells[0] and "pip" in cells[0]
    assert not any(c.get("outputs") for c in notebook["cells"])
    assert any("____" in c for c in cells) and any("check(" in c for c in cells)
    assert solution_code and not any(code.strip() in "\n".join(cells)
                                     for code in solution_code)


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_code_box_scrolls_sideways_solutions_open(site, browser, name):
    """A reader sees each line of code whole, in the lesson and in every
    solution (whose box is narrower), on a laptop's screen."""
    page, _ = open_page(browser, f"{site}{name}.html")
    try:
        page.evaluate("document.querySelectorAll('.toggle-hidden')"
                      ".forEach(e => e.classList.remove('toggle-hidden'))")
        too_wide = page.eval_on_selector_all(
            "div.cell_input pre",
            "boxes => boxes.filter(b => b.scrollWidth > b.clientWidth + 1)"
            ".map(b => b.innerText.split('\\n')"
            ".reduce((a, l) => l.length > a.length ? l : a, ''))")
    finally:
        page.close()
    assert not too_wide, f"{name}: lines wider than their code box: {too_wide}"


def test_results_page_shows_every_recorded_result(site, browser):
    results = json.loads((LOCAL_SITE / "results.json").read_text(encoding="utf-8"))
    page, problems = open_page(browser, f"{site}results.html")
    try:
        rows = page.eval_on_selector_all(
            ".dlbook-results table tbody tr",
            "rows => rows.map(r => r.innerText)",
        )
    finally:
        page.close()
    assert len(rows) == len(results["results"]) >= 8
    for row, result in zip(rows, results["results"], strict=True):
        assert format_value(result["value"]) in row
        assert result["meets_floor"]
        assert result["seeds"]["min"] <= result["seeds"]["max"]


def test_the_results_table_fits_the_width_its_page_takes(site, browser):
    # The results page's front matter removes the in-page contents, and the
    # page takes their width (dlbook.css, layout.html): its seven columns fit
    # without scrolling sideways, while a chapter keeps the theme's width.
    widths = {}
    for name in ("results", "ch02_building_blocks"):
        page, _ = open_page(browser, f"{site}{name}.html")
        try:
            widths[name] = page.evaluate(
                "() => document.querySelector('.bd-article-container')"
                ".getBoundingClientRect().width")
            if name == "results":
                table = page.eval_on_selector(
                    ".dlbook-results table",
                    "t => [t.scrollWidth, t.parentElement.clientWidth]")
        finally:
            page.close()
    assert table[0] <= table[1], f"results table {table[0]} px in {table[1]} px"
    assert widths["results"] > widths["ch02_building_blocks"]


def _copied(browser, url, block):
    """Click the copy button of the first ``block`` and read the clipboard."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(url, wait_until="networkidle")
        shown = page.inner_text(f"{block} pre")
        page.hover(f"{block} pre")
        page.click(f"{block} button.copybtn")
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    return shown, copied


def test_copy_button_copies_doctest_code_without_prompts_or_output(site, browser):
    shown, copied = _copied(browser, f"{site}api/datasets.html", "div.doctest")
    assert ">>> " in shown
    assert copied.strip() and ">>>" not in copied and "..." not in copied
    output_lines = [line for line in shown.splitlines()
                    if line and not line.startswith((">>> ", "... "))]
    assert output_lines and not any(line in copied.splitlines()
                                    for line in output_lines)


def test_copy_button_copies_a_code_cell_without_its_output(site, browser):
    shown, copied = _copied(
        browser, f"{site}ch02_building_blocks.html", "div.cell div.cell_input"
    )
    assert copied.strip() == shown.strip()
