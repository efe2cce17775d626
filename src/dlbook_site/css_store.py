"""The CSS that :mod:`dlbook_site.critical_css` computed for a page, kept by input.

Sphinx writes some pages again at every build even when nothing changed
(the index, the search page, the general index, and the pages that read
files, such as the results and benchmarks pages), byte for byte as before.
Working out a page's inlined and later rules takes about two seconds, so a
build that changed nothing spent most of its time doing it again. This
store keeps, for each page the last build inlined, what it computed, under
a digest of what that depends on: the page's HTML as the builder wrote it
and its sheets' digest.

A build that finds a page's key uses the stored CSS; after it, the store
keeps only the keys that build used (:func:`prune`), so it holds at most
one entry per page.

Only the standard library is used.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def key(html: str, sheets_digest: str) -> str:
    """The key of a page's computed CSS: a digest of its HTML and sheets.

    Examples
    --------
    >>> key("<p>a</p>", "d1") == key("<p>a</p>", "d1")
    True
    >>> key("<p>a</p>", "d1") == key("<p>b</p>", "d1")
    False
    >>> key("<p>a</p>", "d1") == key("<p>a</p>", "d2")
    False
    """
    digest = hashlib.sha256(sheets_digest.encode() + b"\0" + html.encode())
    return digest.hexdigest()[:32]


def load(folder: Path, page_key: str) -> tuple[str, str] | None:
    """The stored ``(css, later)`` of ``page_key``; None if there is none.

    An entry that cannot be read counts as missing: the page's CSS is then
    computed again.
    """
    try:
        entry = json.loads((Path(folder) / f"{page_key}.json").read_text(
            encoding="utf-8"))
        return entry["css"], entry["later"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(folder: Path, page_key: str, css: str, later: str) -> None:
    """Store a page's computed CSS under ``page_key`` (written atomically).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> save(folder, "k", "p{color:red}", "")
    >>> load(folder, "k"), load(folder, "other")
    (('p{color:red}', ''), None)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f"{page_key}.tmp"
    scratch.write_text(json.dumps({"css": css, "later": later}),
                       encoding="utf-8")
    os.replace(scratch, folder / f"{page_key}.json")


def prune(folder: Path, keep: set[str]) -> list[str]:
    """Delete the entries whose keys are not in ``keep``; returns their keys.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> save(folder, "a", "", ""); save(folder, "b", "", "")
    >>> prune(folder, {"a"}), sorted(p.name for p in folder.iterdir())
    (['b'], ['a.json'])
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in sorted(folder.glob("*.json")):
        if path.stem not in keep:
            path.unlink()
            removed.append(path.stem)
    return removed
