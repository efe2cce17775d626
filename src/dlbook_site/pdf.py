"""The whole book as one PDF: the single-page build, printed by Chromium.

``make pdf`` builds the site (``make html``), then the book as one HTML page
(Sphinx's ``singlehtml`` builder) from the same sources and the same
execution cache, so every output, figure and computed number is the site's:
nothing executes again. This module then prints that page with Debian's
Chromium, driven by Playwright (:func:`print_book`):

- A4, with the page number in each page's footer;
- chapters and sections numbered (the index's ``numbered`` toctree, as on
  the site), a printed table of contents with links
  (:data:`CONTENTS_SCRIPT`), and the PDF's outline (bookmarks) made by
  Chromium from the headings (:func:`tidy_outline` mends the titles that
  Chromium garbles);
- a tagged PDF, so each figure keeps its alt text;
- the site's print stylesheet (``@media print`` in ``dlbook.css``): no
  sidebars or buttons, figures and code fitted to the page's width.

It writes :data:`PDF_NAME` into the site's folder; every page of the site
links to it (``conf.py``'s icon links read the name from here).

Why Chromium's print and not Sphinx's LaTeX builder: the build already
depends on Chromium (for its browser tests and the audit), while LaTeX would
add a TeX installation of some hundreds of megabytes; and the pages' own HTML
(the executed outputs' tables, the inline SVG plots, the MathML) prints as the
reader sees it, where LaTeX would need each kind of output converted.

Usage::

    python -m dlbook_site.pdf --single _build/singlehtml --out _build/html
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from benchmarks.static_server import serve

#: The PDF's file name, in the site's top folder.
PDF_NAME = "fundamentals-of-deep-learning.pdf"

#: The page's footer while printing: the page number, centred.
FOOTER = ('<div style="font-size: 8px; width: 100%; text-align: center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span>'
          '</div>')


#: Puts a table of contents (every chapter and reference page, with its
#: sections, linked) before the first chapter, in place of the theme's
#: print-only one, which lists nothing in a single-page build; takes the
#: sidebars out, which do not print but whose headings would enter the
#: outline.
CONTENTS_SCRIPT = """() => {
  const article = document.querySelector('article.bd-article');
  const first = article && article.querySelector('section section');
  if (!first) { return false; }
  document.querySelectorAll(
    '#jb-print-toc, .bd-sidebar-primary, .bd-sidebar-secondary')
    .forEach(e => e.remove());
  const list = document.createElement('ul');
  let sections = null;
  for (const heading of article.querySelectorAll(
      'section > h2, section > h3')) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = '#' + heading.parentElement.id;
    link.textContent = heading.innerText.trim();
    item.append(link);
    if (heading.tagName === 'H2') {
      sections = document.createElement('ul');
      item.append(sections);
      list.append(item);
    } else if (sections) {
      sections.append(item);
    }
  }
  const contents = document.createElement('nav');
  contents.id = 'dlbook-print-contents';
  contents.setAttribute('aria-label', 'Contents');
  contents.innerHTML = '<h2>Contents</h2>';
  contents.append(list);
  first.before(contents);
  return list.children.length > 0;
}"""

#: The text of every heading, in order, as printed (``innerText`` leaves out
#: the hidden "#" links).
HEADINGS_SCRIPT = """() => Array.from(
  document.querySelectorAll('h1, h2, h3, h4, h5, h6'),
  h => h.innerText.split(/\\s+/).join(' ').trim())"""


def garbles(title: str, heading: str) -> bool:
    """Whether ``title`` is how Chromium's outline garbles ``heading``.

    Chromium builds the PDF's outline from the printed headings, and gets
    two kinds of them wrong: a heading that wraps loses the space at the
    line's end ("gradient-basedoptimization"), and a heading moved to the
    next page has text pieces doubled ("1.3. 1.3. Deep learningDeep
    learning"), all of them or only some when it also wraps ("2.6. 2.6.
    The engine: gradient-basedThe engine: gradient-basedoptimization").
    Spaces aside, ``title`` must be ``heading`` with each of its pieces
    once or twice over, and differ from it.

    Examples
    --------
    >>> garbles("1.3. 1.3. Deep learningDeep learning", "1.3. Deep learning")
    True
    >>> garbles("2.6. Gradient-basedoptimization", "2.6. Gradient-based optimization")
    True
    >>> garbles("2.6. 2.6. The engine: gradient-basedThe engine: "
    ...         "gradient-basedoptimization",
    ...         "2.6. The engine: gradient-based optimization")
    True
    >>> garbles("4.3. Feature engineering and featurelearninglearning",
    ...         "4.3. Feature engineering and feature learning")
    True
    >>> garbles("TrainingTraining", "Training"), garbles("Training", "Training")
    (True, False)
    >>> garbles("1.4. Deep learning", "1.3. Deep learning")
    False
    >>> garbles("1.3. Deep learning, deeper", "1.3. Deep learning")
    False
    """
    packed, text = "".join(title.split()), "".join(heading.split())

    @functools.cache
    def pieces(i: int, j: int) -> bool:
        # Whether packed[i:] is text[j:] with each piece once or twice.
        if j == len(text):
            return i == len(packed)
        for size in range(1, len(text) - j + 1):
            piece = text[j:j + size]
            if packed.startswith(piece * 2, i) and pieces(i + 2 * size, j + size):
                return True
        # Once: a piece read once is its characters, each read once.
        return packed.startswith(text[j], i) and pieces(i + 1, j + 1)

    return title != heading and pieces(0, 0)


def tidy_outline(path: Path, headings: list[str]) -> int:
    """Give each title of the PDF's outline that Chromium garbled (see
    :func:`garbles`) its heading's text.

    Returns how many titles it changed; the file is rewritten with pypdf.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(path))
    changed = 0

    def walk(entries):
        nonlocal changed
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
                continue
            title = str(entry.title)
            if title in headings:
                continue
            for heading in headings:
                if garbles(title, heading):
                    # The outline item itself (a Destination is a copy).
                    entry.node[NameObject("/Title")] = TextStringObject(heading)
                    changed += 1
                    break

    walk(writer.outline)
    writer.write(path)
    return changed


def print_book(single: Path, out: Path, chromium: str) -> Path:
    """Print ``single/index.html`` (a singlehtml build) to ``out/PDF_NAME``.

    Every lazily loaded image is made eager and waited for before printing.
    """
    from playwright.sync_api import sync_playwright

    single, out = Path(single), Path(out)
    if not (single / "index.html").is_file():
        raise FileNotFoundError(
            f"{single} holds no single-page build (no index.html); build it "
            "with `make pdf`, which runs Sphinx's singlehtml builder first.")
    out.mkdir(parents=True, exist_ok=True)
    target = out / PDF_NAME
    with serve(single) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(color_scheme="light")
        page.emulate_media(media="print")
        page.goto(f"{url}index.html", wait_until="networkidle")
        page.evaluate("document.querySelectorAll('img[loading=lazy]')"
                      ".forEach(img => img.loading = 'eager')")
        page.wait_for_function(
            "Array.from(document.images).every(img => img.complete)")
        page.wait_for_load_state("networkidle")
        if not page.evaluate(CONTENTS_SCRIPT):
            raise RuntimeError(f"{single / 'index.html'} has no chapter "
                               "to list in the contents.")
        headings = page.evaluate(HEADINGS_SCRIPT)
        page.pdf(path=str(target), format="A4", print_background=True,
                 margin={"top": "18mm", "bottom": "18mm",
                         "left": "16mm", "right": "16mm"},
                 display_header_footer=True,
                 header_template="<span></span>", footer_template=FOOTER,
                 outline=True, tagged=True)
        browser.close()
    tidy_outline(target, headings)
    return target


def main(argv=None) -> int:
    from benchmarks.audit import find_chromium

    parser = argparse.ArgumentParser(prog="python -m dlbook_site.pdf",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=Path, required=True,
                        help="the folder of the singlehtml build")
    parser.add_argument("--out", type=Path, required=True,
                        help="the site's folder, where the PDF goes")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        parser.error("Chromium was not found, so the book cannot be printed. "
                     "Install Debian's package (as root: apt-get install -y "
                     "chromium), or point DLBOOK_CHROMIUM at a Chromium or "
                     "Chrome binary.")
    start = time.perf_counter()
    try:
        target = print_book(args.single, args.out, chromium)
    except FileNotFoundError as error:
        parser.error(str(error))
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
