"""Images load when the reader scrolls to them: ``loading="lazy"`` on each.

A chapter shows a dozen figures, most of them far below the first screen;
a browser that fetches them all before the page settles spends a slow
connection on images nobody sees yet. Docutils' HTML writer marks every
image ``loading="lazy"`` when its ``image_loading`` setting says so; this
extension sets it for every build (``builder-inited``), in the settings
Sphinx hands to its writer.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.lazy_images"]``.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _lazy(app: Sphinx) -> None:
    app.env.settings["image_loading"] = "lazy"


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _lazy)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
