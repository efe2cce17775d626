"""Tiny MyST notebook pages that tests write, with the book's front matter."""

FRONT_MATTER = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---
"""


def myst_page(body: str) -> str:
    """A MyST notebook page: the front matter, then ``body``."""
    return FRONT_MATTER + "\n" + body
