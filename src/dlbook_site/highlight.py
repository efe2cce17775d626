"""Highlighted code without the spans that draw a token as plain text.

Pygments wraps every token of a code block in a ``<span>`` of its type's
class, whether or not the site's styles colour that type. In the theme's
light and dark styles (``conf.py``'s ``pygments_light_style`` and
``pygments_dark_style``) names, punctuation and whitespace look exactly like
plain text, yet they were more than half the spans of a chapter: on
chapter 2, 3,700 spans and 84 KB of its 300 KB page, which every reader
downloads and every browser lays out, for nothing it shows.

This extension registers, for the languages the book highlights
(:data:`LANGUAGES`), Pygments' own lexer with one filter added
(:class:`PlainTokensMerged`, Pygments' filter API): it gives each token of
a type that every style of the site draws as plain text
(:func:`plain_token_types`) the plain text type, which the HTML formatter
writes without a span. The text of the code, and how it looks in either
theme, stay the same.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.highlight"]``,
with both styles named in ``html_theme_options``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pygments.filter import Filter
from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class_by_name
from pygments.styles import get_style_by_name
from pygments.token import Text
from sphinx.application import Sphinx

#: The theme options that name the site's Pygments styles.
STYLE_OPTIONS = ("pygments_light_style", "pygments_dark_style")

#: The languages whose lexers get the filter, with the options Sphinx gives
#: their lexers (sphinx.highlighting: Python's keep leading newlines).
LANGUAGES = {"python": {"stripnl": False}, "pycon": {"stripnl": False},
             "ipython3": {}}


def load_styles(names: Iterable[str]) -> list:
    """Pygments' styles ``names``, loaded without changing Python's logging.

    accessible-pygments, which provides the theme's styles, calls
    ``logging.basicConfig(level=INFO)`` when it is first imported: from
    then on every library's INFO messages (nbclient's, fontTools') would
    flood the build's log. The root logger is put back as it was, and the
    package, imported once, does not do it again when the theme imports it.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        return [get_style_by_name(name) for name in names]
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        root.setLevel(level)


def plain_token_types(styles: Iterable[str]) -> frozenset:
    """The token types that every one of ``styles`` draws as plain text.

    Examples
    --------
    >>> from pygments.token import Keyword, Name
    >>> plain = plain_token_types(["a11y-high-contrast-light"])
    >>> Name in plain, Keyword in plain
    (True, False)
    """
    common = None
    for style in load_styles(styles):
        text = style.style_for_token(Text)
        plain = {ttype for ttype, drawn in style
                 if drawn == text and ttype is not Text}
        common = plain if common is None else common & plain
    return frozenset(common or ())


class PlainTokensMerged(Filter):
    """Tokens of the types in ``plain`` become plain text.

    Examples
    --------
    >>> from pygments.lexers import PythonLexer
    >>> from pygments.token import Name
    >>> lexer = PythonLexer()
    >>> lexer.add_filter(PlainTokensMerged(plain={Name}))
    >>> [(str(t), v) for t, v in lexer.get_tokens("x")]
    [('Token.Text', 'x'), ('Token.Text.Whitespace', '\\n')]
    """

    def __init__(self, **options):
        super().__init__(**options)
        self.plain = frozenset(options["plain"])

    def filter(self, lexer, stream):
        for ttype, value in stream:
            yield (Text if ttype in self.plain else ttype), value


def lexer_with_plain_tokens(language: str, plain: frozenset,
                            **defaults) -> type[Lexer]:
    """Pygments' lexer class for ``language``, its tokens of ``plain`` types
    made plain text."""
    base = find_lexer_class_by_name(language)

    def __init__(self, **options):
        base.__init__(self, **{**defaults, **options})
        self.add_filter(PlainTokensMerged(plain=plain))

    return type(f"Plain{base.__name__}", (base,), {"__init__": __init__})


def register_lexers(app: Sphinx) -> None:
    """On ``builder-inited``: the filtered lexers, for the site's styles."""
    options = app.config.html_theme_options
    missing = [key for key in STYLE_OPTIONS if not options.get(key)]
    if missing:
        raise ValueError(
            f"dlbook_site.highlight needs the site's Pygments styles: set "
            f"{', '.join(missing)} in conf.py's html_theme_options.")
    plain = plain_token_types(options[key] for key in STYLE_OPTIONS)
    for language, defaults in LANGUAGES.items():
        app.add_lexer(language,
                      lexer_with_plain_tokens(language, plain, **defaults))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", register_lexers)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
