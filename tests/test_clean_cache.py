"""`make clean-cache` makes the next `make html` execute every chapter again.

Sphinx keeps the documents it read in its saved environment, and a page it
thinks up to date is never read again, so an emptied execution cache alone
would never be asked. These builds run the real Makefile and configuration
on a one-page book of their own, in a folder of their own.
"""

import subprocess
from pathlib import Path

import pytest

from tests.pages import myst_page

ROOT = Path(__file__).resolve().parents[1]
PAGE = myst_page("""# Probe

```{code-cell} ipython3
print(6 * 7)
```
""")

pytestmark = pytest.mark.slow


def _make(target, book, build):
    result = subprocess.run(
        ["make", "--no-print-directory", target, f"BOOK={book}", f"BUILD={build}"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout + result.stderr


def _executed(log):
    return log.count("Executing notebook")


def test_clean_cache_forces_every_chapter_to_execute_again(tmp_path):
    book, build = tmp_path / "book", tmp_path / "build"
    book.mkdir()
    (book / "index.md").write_text(PAGE)
    assert _executed(_make("html", book, build)) == 1
    assert _executed(_make("html", book, build)) == 0  # the cache serves it
    _make("clean-cache", book, build)
    assert _executed(_make("html", book, build)) == 1
    assert "42" in (build / "html" / "index.html").read_text(encoding="utf-8")
