"""Run a chapter as a reader who copies its code would: page, boxes, one script.

:mod:`dlbook_site.visible_code` checks the MyST source quickly. This module
checks the result the reader actually sees. It takes the code boxes of a
rendered page (``div.cell_input``: the hidden cells are not on the page at
all) in reading order, joins them into one plain Python script, and runs it
in a fresh interpreter, in a temporary folder, with Matplotlib's
non-interactive backend. A page passes when that script exits with status 0.

It executes a whole chapter, so it is slow (about the chapter's execution
time in the build) and runs in ``make copy-check``, not in ``make test``.

Usage: ``python -m dlbook_site.copied_code`` runs every chapter of the built
site; give pages (``_build/html/ch02_building_blocks.html``) to run those.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path


class _CellInputs(HTMLParser):
    """Collects the text of the ``<pre>`` inside each ``div.cell_input``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._depth = 0  # open divs inside the current cell_input; 0: outside
        self._pre: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            classes = (dict(attrs).get("class") or "").split()
            if self._depth:
                self._depth += 1
            elif "cell_input" in classes:
                self._depth = 1
        elif tag == "pre" and self._depth and self._pre is None:
            self._pre = []

    def handle_endtag(self, tag):
        if tag == "pre" and self._pre is not None:
            self.cells.append("".join(self._pre))
            self._pre = None
        elif tag == "div" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._pre is not None:
            self._pre.append(data)


def page_code(html: str) -> list[str]:
    """The code of each code cell a rendered page shows, in order.

    Examples
    --------
    >>> page_code('<div class="cell docutils container">'
    ...           '<div class="cell_input docutils container"><div><pre>'
    ...           '<span>x</span> = 1 &lt; 2\\n</pre></div></div>'
    ...           '<div class="cell_output"><pre>True</pre></div></div>')
    ['x = 1 < 2\\n']
    """
    parser = _CellInputs()
    parser.feed(html)
    parser.close()
    return parser.cells


def page_script(html: str) -> str:
    """The page's code cells joined into one script, one blank line apart."""
    return "\n\n".join(cell.rstrip("\n") for cell in page_code(html)) + "\n"


def run_page(page: Path, *, timeout: float = 3600) -> subprocess.CompletedProcess:
    """Run a rendered page's code as one script in a fresh interpreter.

    Parameters
    ----------
    page : Path
        A chapter's HTML page in the built site.
    timeout : float
        Seconds before the run is stopped.

    Returns
    -------
    subprocess.CompletedProcess
        With ``stdout`` and ``stderr`` as text; ``returncode`` 0 on success.

    Raises
    ------
    ValueError
        If the page shows no code cell (not a chapter page, or not built).
    """
    script = page_script(Path(page).read_text(encoding="utf-8"))
    if not script.strip():
        raise ValueError(f"{page} shows no code cell: give a built chapter page "
                         "(run make html first).")
    env = dict(os.environ, MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(page).stem + ".py")
        path.write_text(script, encoding="utf-8")
        return subprocess.run([sys.executable, str(path)], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=timeout)


def chapter_pages(root: Path, site: Path) -> list[Path]:
    """The built page of each executed chapter (``inputs.notebooks``)."""
    from dlbook_site.inputs import BOOK, notebooks

    book = Path(root) / BOOK
    return [Path(site) / page.relative_to(book).with_suffix(".html")
            for page in notebooks(root)]


def main(argv=None) -> int:
    """Run each page given, or every chapter's; print times and failures."""
    parser = argparse.ArgumentParser(prog="python -m dlbook_site.copied_code",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path,
                        help="built chapter pages (default: every chapter's)")
    parser.add_argument("--site", type=Path, default=Path("_build/html"),
                        help="the built site, for the default pages")
    args = parser.parse_args(argv)
    status = 0
    for page in args.pages or chapter_pages(Path.cwd(), args.site):
        start = time.perf_counter()
        result = run_page(page)
        seconds = time.perf_counter() - start
        verdict = "ran to the end" if result.returncode == 0 else "FAILED"
        print(f"{page}: {verdict} in {seconds:.0f} s", flush=True)
        if result.returncode:
            print(result.stderr[-4000:], file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
