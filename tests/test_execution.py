"""dlbook_site.execution: what a cell wrote to stderr is in the build log."""

from docutils import nodes

from dlbook_site import execution


def _page(*outputs):
    return nodes.section("", *(nodes.literal_block("", text, classes=classes)
                               for text, classes in outputs))


def _warnings(monkeypatch, doctree):
    said = []
    monkeypatch.setattr(execution.logger, "warning",
                        lambda message, **kwargs: said.append(message))
    execution._show_stderr(None, doctree)
    return said


def test_the_log_shows_what_the_cell_wrote_to_stderr(monkeypatch):
    said = _warnings(monkeypatch, _page(
        ("UserWarning: the input ran out", ["output", "stderr"]),
        ("test accuracy: 0.91", ["output", "stream"]),
    ))
    assert len(said) == 1
    assert said[0].endswith("\nUserWarning: the input ran out")


def test_a_long_stderr_shows_its_end(monkeypatch):
    text = "the start" + "x" * execution.STDERR_SHOWN + "the end"
    said, = _warnings(monkeypatch, _page((text, ["output", "stderr"])))
    assert said.endswith(text[-execution.STDERR_SHOWN:])
    assert "the start" not in said


def test_a_page_without_stderr_says_nothing(monkeypatch):
    assert _warnings(monkeypatch, _page(("42", ["output"]))) == []
