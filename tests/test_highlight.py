"""dlbook_site.highlight: code keeps its text and colours, without plain spans."""

import logging
import re
import subprocess
import sys

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import Keyword, Name, Punctuation, String

from dlbook_site.highlight import (
    LANGUAGES,
    lexer_with_plain_tokens,
    plain_token_types,
)

CODE = 'import numpy as np\nx = np.zeros((2, 3))  # a "tensor"\nprint(x.shape)\n'
STYLES = ["a11y-high-contrast-light", "a11y-high-contrast-dark"]


def test_plain_types_are_those_every_style_draws_as_plain_text():
    plain = plain_token_types(STYLES)
    assert {Name, Punctuation} <= plain
    assert Keyword not in plain and String not in plain
    # a type one style colours is not plain, whatever the other does
    assert plain_token_types(STYLES + ["monokai"]) < plain


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_code_reads_the_same_with_fewer_spans(language):
    plain = plain_token_types(STYLES)
    code = (CODE if language != "pycon"  # a console session: prompts
            else "".join(f">>> {line}\n" for line in CODE.splitlines()))
    before = highlight(code, get_lexer_by_name(language), HtmlFormatter())
    lexer = lexer_with_plain_tokens(language, plain, **LANGUAGES[language])()
    after = highlight(code, lexer, HtmlFormatter())

    def text(html):
        return re.sub(r"<[^>]+>", "", html)

    def spans(html):
        return re.findall(r'<span class="([^"]+)">', html)

    assert text(after) == text(before)
    assert len(spans(after)) < len(spans(before))
    assert "n" not in spans(after) and "p" not in spans(after)
    assert "k" in spans(after) or "kn" in spans(after)  # keywords keep colour


def test_loading_the_styles_leaves_python_logging_as_it_was():
    """accessible-pygments configures the root logger when imported; in a
    fresh interpreter, the root logger is as Python made it afterwards."""
    probe = ("import logging; from dlbook_site.highlight import "
             f"plain_token_types; plain_token_types({STYLES!r}); "
             "root = logging.getLogger(); "
             "print(len(root.handlers), root.level)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["0", str(logging.WARNING)], done.stdout
