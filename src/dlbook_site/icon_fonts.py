"""Icon fonts cut to the icons a style sheet prints, and written into it.

The theme draws its icons with Font Awesome's web fonts: a character of the
font's private range per icon, named in a string of the sheet (``content:
"\\f002"``, or ``--fa: "\\f002"``). Once the sheets keep only the rules
the site uses (:mod:`dlbook_site.unused_css`), :func:`printed_characters`
lists what they still print, :func:`subset_font` (fontTools' subsetter)
cuts each font the sheets load (:func:`font_files`) down to those glyphs,
and :func:`fonts_inlined` writes it into the sheet as a ``data:`` URL, so
that no page waits for a font request of its own. A page's inlined rules
(:mod:`dlbook_site.critical_css`) cut the written-in fonts again, to the
icons that page's rules print (:func:`fonts_cut`).
"""

from __future__ import annotations

import base64
import re
from io import BytesIO
from pathlib import Path

import tinycss2
from fontTools.ttLib import TTFont


def printed_characters(css: str) -> set[str]:
    """Every character of every string in ``css``'s declarations.

    Font Awesome names each icon's character in a string (``content:
    "\\f002"``, or ``--fa: "\\f002"``): these are the characters its fonts
    must keep.

    Examples
    --------
    >>> sorted(printed_characters('.i { --fa: "\\\\f002" } a::after { content: "x" }'))
    ['x', '\\uf002']
    """
    characters = set()

    def visit(tokens):
        for token in tokens:
            if token.type == "string":
                characters.update(token.value)
            for child in ("content", "prelude", "arguments"):
                value = getattr(token, child, None)
                if isinstance(value, list):
                    visit(value)

    visit(tinycss2.parse_stylesheet(css))
    return characters


def _local_font_urls(rules: list):
    """The ``url()`` tokens of ``rules``' ``@font-face`` rules that name a
    file of the site."""
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            for token in rule.content or ():
                if token.type == "url" and ":" not in token.value:
                    yield token


def font_files(css: str, sheet: Path) -> list[Path]:
    """The local fonts that ``css``, the sheet at ``sheet``, loads by ``@font-face``."""
    return [(sheet.parent / token.value).resolve()
            for token in _local_font_urls(tinycss2.parse_stylesheet(css))]


def subset_font(path: Path, characters: set[str]) -> None:
    """Rewrite the font at ``path`` with only the glyphs of ``characters``."""
    path.write_bytes(font_subset(path.read_bytes(), characters))


def font_subset(font: bytes, characters: set[str]) -> bytes:
    """The font ``font`` (its file's bytes) with only the glyphs of
    ``characters``, in its own format (WOFF2 stays WOFF2)."""
    from fontTools import subset

    # With the original's timestamp, so that two builds write the same bytes.
    loaded = TTFont(BytesIO(font), recalcTimestamp=False)
    options = subset.Options()
    options.ignore_missing_unicodes = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(loaded)
    out = BytesIO()
    loaded.save(out)
    return out.getvalue()


def fonts_inlined(css: str, sheet: Path) -> str:
    """``css`` with each local font of its ``@font-face`` rules written in as
    a ``data:`` URL (``sheet`` is the sheet's path, which the URLs are
    relative to).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "f.woff2").write_bytes(b"font")
    >>> fonts_inlined("@font-face { src: url(f.woff2) }", folder / "a.css")
    '@font-face { src: url(data:font/woff2;base64,Zm9udA==) }'
    """
    rules = tinycss2.parse_stylesheet(css)
    for token in _local_font_urls(rules):
        path = sheet.parent / token.value
        data = base64.b64encode(path.read_bytes()).decode()
        token.value = f"data:font/{path.suffix.lstrip('.')};base64,{data}"
        token.representation = f"url({token.value})"
    return "".join(rule.serialize() for rule in rules)


_DATA_URL = re.compile(r"data:font/(\w+);base64,([\w+/=]+)")


def fonts_cut(css: str, characters: set[str]) -> str:
    """``css`` with each font that an ``@font-face`` rule writes in as a
    ``data:`` URL cut to the glyphs of ``characters``; a font left with
    none goes, with its rule (:func:`font_subset`).
    """
    kept = []
    for rule in tinycss2.parse_stylesheet(css):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            text = rule.serialize()
            found = _DATA_URL.search(text)
            if found:
                font = font_subset(base64.b64decode(found.group(2)), characters)
                if not TTFont(BytesIO(font))["cmap"].getBestCmap():
                    continue
                data = base64.b64encode(font).decode()
                text = text.replace(found.group(2), data)
            kept.append(text)
        else:
            kept.append(rule.serialize())
    return "".join(kept)
