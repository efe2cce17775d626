"""The errata extension, on a tiny Sphinx project made here."""

import subprocess
import sys
from html.parser import HTMLParser

import pytest

CONF = """
extensions = ["myst_parser", "dlbook_site.errata"]
myst_enable_extensions = ["colon_fence"]
"""

INDEX = """# Book

```{toctree}
two
one
errata
```
"""

ONE = """# Chapter one

## Dropout

:::{notes-say} Outputs are scaled by the `rate`.
They are scaled by the keep probability, $1 - p$.
:::

## Weights

```{notes-say} L2 is weight decay.
Only under plain SGD.
```
"""

TWO = """# Chapter two

```{notes-say} Axis 0 holds the features.
Axis 0 is the batch.
```
"""

ERRATA = """# Errata

```{errata}
```
"""


class _Links(HTMLParser):
    """The errata list's items: their text and their links."""

    def __init__(self):
        super().__init__()
        self.depth, self.items, self.links = 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol" and "dlbook-errata" in (attrs.get("class") or ""):
            self.depth = 1
        elif self.depth and tag == "li":
            self.items.append("")
        elif self.depth and tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth and tag == "ol":
            self.depth = 0

    def handle_data(self, data):
        if self.depth and self.items:
            self.items[-1] += data


def _build(tmp_path, pages):
    for name, text in {"conf.py": CONF, **pages}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html",
         str(tmp_path), str(tmp_path / "_build")],
        capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("errata")
    run = _build(root, {"index.md": INDEX, "one.md": ONE, "two.md": TWO,
                        "errata.md": ERRATA})
    assert run.returncode == 0, run.stderr
    return root / "_build"


def test_each_correction_is_an_admonition_with_an_anchor(built):
    html = (built / "one.html").read_text(encoding="utf-8")
    assert html.count("dlbook-notes-say") >= 2
    assert html.count("The notes say") == 2


def test_the_errata_page_lists_every_correction_in_book_order(built):
    parser = _Links()
    parser.feed((built / "errata.html").read_text(encoding="utf-8"))
    assert len(parser.items) == 3
    # The table of contents puts chapter two first.
    assert "Axis 0 holds the features" in parser.items[0]
    assert "Axis 0 is the batch" in parser.items[0]
    assert "Chapter one, Dropout" in parser.items[1]
    assert "Chapter one, Weights" in parser.items[2]
    # Each link goes to its correction's anchor on its own page.
    for href in parser.links:
        page, anchor = href.split("#")
        assert f'id="{anchor}"' in (built / page).read_text(encoding="utf-8")
    assert len(set(parser.links)) == 3


def test_a_removed_correction_leaves_the_errata_page_on_rebuild(tmp_path):
    pages = {"index.md": INDEX, "one.md": ONE, "two.md": TWO, "errata.md": ERRATA}
    assert _build(tmp_path, pages).returncode == 0
    # An incremental build: only chapter two is read again.
    run = _build(tmp_path, {"two.md": "# Chapter two\n"})
    assert run.returncode == 0, run.stderr
    parser = _Links()
    parser.feed((tmp_path / "_build" / "errata.html").read_text(encoding="utf-8"))
    assert len(parser.items) == 2


def test_a_deleted_page_takes_its_corrections_along(tmp_path):
    pages = {"index.md": INDEX, "one.md": ONE, "two.md": TWO, "errata.md": ERRATA}
    assert _build(tmp_path, pages).returncode == 0
    (tmp_path / "two.md").unlink()
    (tmp_path / "index.md").write_text(INDEX.replace("two\n", ""), encoding="utf-8")
    run = _build(tmp_path, {})
    assert run.returncode == 0, run.stderr
    parser = _Links()
    parser.feed((tmp_path / "_build" / "errata.html").read_text(encoding="utf-8"))
    assert len(parser.items) == 2


def test_a_correction_without_content_fails_the_build(tmp_path):
    run = _build(tmp_path, {"index.md": "# B\n\n```{notes-say} Something.\n```\n"})
    assert run.returncode != 0
    assert "say what is right" in run.stderr


def test_a_notes_say_that_is_not_parsed_fails_the_build(tmp_path):
    # CommonMark: a backtick fence cannot have a backtick in its first line.
    page = "# B\n\n```{notes-say} `Dense` has axes.\nRight.\n```\n"
    run = _build(tmp_path, {"index.md": page})
    assert run.returncode != 0
    assert "1 notes-say directive(s) opened in the source but 0 parsed" in run.stderr
    fixed = page.replace("```", ":::")
    assert _build(tmp_path, {"index.md": fixed}).returncode == 0


def test_an_errata_page_with_nothing_to_list_warns(tmp_path):
    run = _build(tmp_path, {"index.md": "# B\n\n```{toctree}\nerrata\n```\n",
                            "errata.md": ERRATA})
    assert run.returncode != 0
    assert "errata list is empty" in run.stderr
