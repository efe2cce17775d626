"""The book's math as MathML, written into the page: no script typesets it.

MathJax typeset the book's formulas in the reader's browser, from a 1.2 MB
script that each page with math loaded. Browsers render MathML themselves
(Chromium since version 109, Firefox and Safari for longer), so this
extension, Sphinx's HTML math renderer ``"mathml"``, converts each formula's
LaTeX into MathML when the page is written, with latex2mathml. Inline math
stays inline; display math is a block, numbered when its source has a label,
as Sphinx's own renderers number it.

A formula latex2mathml cannot convert fails the build with a Sphinx warning
that quotes it (the build treats warnings as errors), rather than showing
readers its LaTeX source.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.mathml"]`` and
``html_math_renderer = "mathml"``.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)


def to_mathml(latex: str, display: bool) -> str:
    """The MathML of the formula ``latex``, as a block or inline.

    Examples
    --------
    >>> to_mathml(r"x^2", display=False)  # doctest: +ELLIPSIS
    '<math ... display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
    >>> 'display="block"' in to_mathml(r"\\frac{a}{b}", display=True)
    True
    """
    return convert(latex.strip(), display="block" if display else "inline")


def _converted(translator, node: nodes.Element, display: bool) -> str:
    try:
        return to_mathml(node.astext(), display)
    except Exception as error:  # latex2mathml raises many kinds
        logger.warning("latex2mathml cannot convert the formula %r (%s: %s); "
                       "rewrite it with commands latex2mathml supports",
                       node.astext(), type(error).__name__, error,
                       location=node)
        return translator.encode(node.astext())


def visit_math(translator, node: nodes.math) -> None:
    """Inline math: ``<span class="math">`` around its MathML."""
    translator.body.append(translator.starttag(node, "span", "",
                                               CLASS="math notranslate"))
    translator.body.append(_converted(translator, node, display=False))
    translator.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(translator, node: nodes.math_block) -> None:
    """Display math: ``<div class="math">``, its number, its MathML."""
    translator.body.append(translator.starttag(node, "div",
                                               CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        translator.add_permalink_ref(node, _("Link to this equation"))
        translator.body.append("</span>")
    translator.body.append(_converted(translator, node, display=True))
    translator.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer("mathml", (visit_math, None),
                               (visit_displaymath, None))
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
