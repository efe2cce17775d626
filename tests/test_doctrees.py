"""dlbook_site.doctrees: a saved doctree holds its page, not the environment."""

import pickle

from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from dlbook_site.doctrees import adopt_nodes

SOURCE = """\
# A page

```{eval-rst}
- A list parsed as reStructuredText,
- its items added once the list is in the document that MyST made.
```
"""


class Environment:
    """Stands for Sphinx's environment in the page's settings."""

    def __init__(self):
        self.payload = "x" * 100_000


def _page():
    """The page parsed by MyST, its settings holding a large environment."""
    doctree = publish_doctree(SOURCE, parser=Parser(),
                              settings_overrides={"report_level": 4})
    doctree.settings.env = Environment()
    return doctree


def _saved(doctree):
    """The doctree pickled as Sphinx saves it: the environment cleared."""
    doctree.settings = doctree.settings.copy()
    doctree.settings.env = None
    return pickle.dumps(doctree)


def test_myst_leaves_eval_rst_nodes_in_a_document_of_their_own():
    # What the extension works around; when MyST merges eval-rst's nodes
    # into the page, this fails and dlbook_site.doctrees can go.
    doctree = _page()
    strays = [node for node in doctree.findall(include_self=False)
              if node.document is not doctree]
    assert strays
    assert Environment.__name__.encode() in _saved(doctree)


def test_adopted_nodes_leave_the_environment_out_of_the_saved_doctree():
    doctree = _page()
    assert adopt_nodes(doctree) > 0
    assert all(node.document is doctree
               for node in doctree.findall(include_self=False))
    saved = _saved(doctree)
    assert Environment.__name__.encode() not in saved
    assert len(saved) < 20_000
    assert adopt_nodes(doctree) == 0  # nothing left to move
