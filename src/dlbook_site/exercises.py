"""The chapters' exercises: checked against their checkers, and as notebooks.

Chapters write exercises with sphinx-exercise's ``exercise`` and
``solution`` directives (``solution-start``/``solution-end`` around an
executed solution), and their checkers live in ``dlbook.exercises.chNN``.
This extension

- checks, once every page is read (``env-updated``), that the pages and the
  checkers' modules of the book's chapters (those of its numbered toctree)
  agree (:func:`exercise_problems`): every exercise of a
  module is on a page and every exercise of a page is in its module; every
  exercise has a solution; every exercise with a checker was proven by
  :func:`dlbook.exercises.prove` in the page's build; every "go-further"
  recorded its result with :func:`dlbook.results.record_result`. Each
  problem is a warning, which ``-W`` makes fatal;
- writes, for each page with exercises, the reader's exercises notebook,
  ``_sources/<docname>-exercises.ipynb`` (:func:`exercises_notebook`): the
  page's "Exercises" section with its placeholders and checker calls, and
  no solution, hidden cell or output, after the cell that installs
  ``dlbook`` (:func:`dlbook_site.notebooks.add_install_cell`);
- lists it in the page's download menu, and adds a "Colab (exercises)"
  button beside the chapter's "Colab" one.

Usage, in ``conf.py``: ``extensions = [..., "sphinx_exercise",
"dlbook_site.notebooks", "dlbook_site.exercises"]``.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from sphinx.application import Sphinx
from sphinx.util import logging

from dlbook import exercises as book_exercises
from dlbook import results as book_results
from dlbook_site.notebooks import INSTALL_CELL_TAG, add_install_cell
from dlbook_site.toc import chapter_numbers

logger = logging.getLogger(__name__)

#: The heading of the section that the exercises notebook holds.
HEADING = "Exercises"
#: Tags of the cells that readers never see: left out of the notebook.
HIDDEN_TAGS = frozenset({"remove-cell", "remove-input"})

_DIRECTIVE = re.compile(r"^\{(?P<name>[a-z-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:[a-z-]+:")


class ExercisesNotebookError(ValueError):
    """A page's Exercises section cannot be made into a notebook."""


def exercise_problems(page_exercises: dict[str, str], solved: set[str],
                      module_exercises: dict[str, object],
                      glued: dict[str, set[str]]) -> list[tuple[str | None, str]]:
    """What is wrong between the pages' exercises and their checkers.

    Parameters
    ----------
    page_exercises : dict
        Label -> the document whose ``exercise`` directive has that label.
    solved : set of str
        The labels that some ``solution`` directive answers.
    module_exercises : dict
        Label -> :class:`dlbook.exercises.core.Exercise`, for every chapter's module.
    glued : dict
        Document -> the names of its executed notebook's glue outputs.

    Returns
    -------
    list of (str or None, str)
        ``(docname, problem)`` pairs; ``docname`` is None when no page has
        the exercise.

    Examples
    --------
    >>> from dlbook.exercises import Exercise
    >>> ex = Exercise("ch09-why", "question", "Why?", hints=("Think.",))
    >>> exercise_problems({"ch09-why": "ch09"}, set(), {"ch09-why": ex}, {})
    [('ch09', 'exercise ch09-why has no solution: add a solution directive \
after it (solution-start/solution-end around code).')]
    >>> exercise_problems({}, set(), {"ch09-why": ex}, {})[0][1][:40]
    'exercise ch09-why of dlbook.exercises.ch'
    """
    problems = []
    for label, exercise in module_exercises.items():
        if label not in page_exercises:
            problems.append((None, (
                f"exercise {label} of dlbook.exercises.ch{exercise.chapter:02d} "
                "is on no page: add its exercise directive (:label: "
                f"{label}) to its chapter, or remove it from EXERCISES.")))
    for label, docname in page_exercises.items():
        exercise = module_exercises.get(label)
        if exercise is None:
            problems.append((docname, (
                f"exercise {label} has no checker module entry: add it to the "
                "EXERCISES of its chapter's dlbook.exercises.chNN, with a label "
                "'chNN-words'.")))
            continue
        if label not in solved:
            problems.append((docname, (
                f"exercise {label} has no solution: add a solution directive "
                "after it (solution-start/solution-end around code).")))
        names = glued.get(docname, set())
        if exercise.checker is not None and (
                book_exercises.GLUE_PREFIX + label) not in names:
            problems.append((docname, (
                f"exercise {label} was not proven: call "
                f"dlbook.exercises.prove({label!r}, <solution>, untouched=...) "
                "in a hidden cell after its solution.")))
        if exercise.result_key is not None and (
                book_results.GLUE_PREFIX + exercise.result_key) not in names:
            problems.append((docname, (
                f"exercise {label} recorded no result {exercise.result_key!r}: "
                "its solution must call dlbook.results.record_result.")))
    return problems


def check_exercises(app: Sphinx, env) -> None:
    """Warn about every problem :func:`exercise_problems` finds (``env-updated``)."""
    registry = getattr(env, "sphinx_exercise_registry", {})
    page_exercises = {label: entry["docname"] for label, entry in registry.items()
                      if entry["type"] == "exercise"}
    solved = {entry["node"]["target_label"] for entry in registry.values()
              if entry["type"].startswith("solution")}
    # Only the chapters this book has (its numbered toctree): a book of a
    # few pages (a test's, an author's draft) is not asked for the others.
    present = set(chapter_numbers(env).values())
    module_exercises = {}
    for chapter in sorted(present & set(book_exercises.CHAPTERS)):
        for exercise in book_exercises.chapter_exercises(chapter):
            module_exercises[exercise.label] = exercise
    glued = {}
    folder = Path(env.mystnb_config.output_folder)
    for docname in set(page_exercises.values()):
        glue_file = folder / f"{docname}.glue.json"
        if glue_file.is_file():
            glued[docname] = set(json.loads(glue_file.read_text(encoding="utf-8")))
    for docname, problem in exercise_problems(page_exercises, solved,
                                              module_exercises, glued):
        logger.warning(problem, location=docname)


def _exercise_markdown(argument: str, content: str, number: str | None) -> str:
    body = content.splitlines()
    while body and _OPTION.match(body[0]):
        body.pop(0)
    title = f"Exercise {number}" if number else "Exercise"
    heading = f"**{title}: {argument}**" if argument else f"**{title}**"
    return "\n".join([heading, *body]).rstrip() + "\n"


def fence_directives(source: str):
    """The directives of a markdown cell, in order, as MyST writes them.

    Yields ``(token, match)``: the markdown-it token of each backtick or
    colon fence whose info is ``{name} argument``, and that match (its
    ``name`` and ``argument`` groups).

    Examples
    --------
    >>> [m["name"] + " " + m["argument"] for _, m in fence_directives(
    ...     "Text.\\n\\n````{solution-start} ch04-x\\n````\\n\\n```python\\n1\\n```")]
    ['solution-start ch04-x']
    """
    parser = MarkdownIt("commonmark").use(colon_fence_plugin)
    for token in parser.parse(source):
        match = (_DIRECTIVE.match(token.info.strip()) if token.map is not None
                 and token.type in ("fence", "colon_fence") else None)
        if match is not None:
            yield token, match


def exercises_start(cells) -> tuple[int, int] | None:
    """Where a chapter's Exercises section starts: (cell index, line index).

    The last markdown line ``## Exercises`` of the notebook's cells (dicts
    or nbformat cells); None when there is none.

    Examples
    --------
    >>> exercises_start([{"cell_type": "code", "source": "x = 1"},
    ...                  {"cell_type": "markdown", "source": "Text\\n## Exercises"}])
    (1, 1)
    """
    start = None
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            for number, line in enumerate(cell["source"].splitlines()):
                if line.strip() == f"## {HEADING}":
                    start = (index, number)
    return start


def _filter_markdown(source: str, numbers: dict[str, str], gated: bool,
                     where: str) -> tuple[str, bool]:
    """One markdown cell without solutions, exercises as plain Markdown.

    Returns the text, and whether a gated solution is still open at its end.
    """
    lines = source.splitlines()
    text, cursor = [], 0
    for token, match in fence_directives(source):
        start, end = token.map
        if not gated:
            text.extend(lines[cursor:start])
        cursor = end
        name = match["name"]
        if name == "solution-start":
            if gated:
                raise ExercisesNotebookError(
                    f"{where}: a solution-start inside another solution; close "
                    "each with solution-end.")
            gated = True
        elif name == "solution-end":
            if not gated:
                raise ExercisesNotebookError(
                    f"{where}: a solution-end with no solution-start.")
            gated = False
        elif gated or name == "solution":
            continue
        elif name == "exercise":
            label = re.search(r"^:label:\s*(\S+)", token.content, re.MULTILINE)
            text.append(_exercise_markdown(
                match["argument"], token.content,
                numbers.get(label.group(1)) if label else None).rstrip("\n"))
        else:
            text.extend(lines[start:end])
    if not gated:
        text.extend(lines[cursor:])
    return "\n".join(text).strip() + "\n", gated


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def exercises_notebook(notebook: nbformat.NotebookNode,
                       numbers: dict[str, str] | None = None,
                       where: str = "the page") -> nbformat.NotebookNode | None:
    """The reader's exercises notebook, made from a chapter's notebook.

    Keeps the chapter's last section headed "Exercises" (``## Exercises``),
    without its solutions (``solution`` directives, and every cell between
    ``solution-start`` and ``solution-end``), without hidden cells
    (:data:`HIDDEN_TAGS`) and without outputs. Each ``exercise`` directive
    becomes plain Markdown: its number and title in bold, then its text.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The chapter as MyST-NB read it, executed or not.
    numbers : dict, optional
        Label -> the exercise's number on the page, such as ``"2.3"``.
    where : str
        The page, for error messages.

    Returns
    -------
    nbformat.NotebookNode or None
        None when the chapter has no Exercises section.

    Raises
    ------
    ExercisesNotebookError
        When a ``solution-start`` has no ``solution-end``, or the reverse.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("# Ch\\n\\n## Exercises\\n\\n:::{exercise} Relu\\n"
    ...                       ":label: ch02-relu\\n\\nWrite it.\\n:::"),
    ...     new_code_cell("def relu(x):\\n    return ____"),
    ...     new_markdown_cell("````{solution-start} ch02-relu\\n````"),
    ...     new_code_cell("def relu(x):\\n    return max(x, 0)"),
    ...     new_markdown_cell("````{solution-end}\\n````\\n\\nThe end.")])
    >>> out = exercises_notebook(nb, {"ch02-relu": "2.1"})
    >>> [c.source for c in out.cells]
    ['## Exercises\\n\\n**Exercise 2.1: Relu**\\n\\nWrite it.\\n', \
'def relu(x):\\n    return ____', 'The end.\\n']
    """
    numbers = numbers or {}
    start = exercises_start(notebook.cells)
    if start is None:
        return None
    result = copy.deepcopy(notebook)
    first = copy.deepcopy(notebook.cells[start[0]])
    first.source = "\n".join(first.source.splitlines()[start[1]:])
    cells, gated = [], False
    for cell in [first, *notebook.cells[start[0] + 1:]]:
        if _tags(cell) & HIDDEN_TAGS or INSTALL_CELL_TAG in _tags(cell):
            continue
        if cell.cell_type == "markdown":
            text, gated = _filter_markdown(cell.source, numbers, gated, where)
            if text.strip():
                cell = copy.deepcopy(cell)
                cell.source = text
                cells.append(cell)
        elif not gated:
            cell = copy.deepcopy(cell)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            cells.append(cell)
    if gated:
        raise ExercisesNotebookError(
            f"{where}: a solution-start has no solution-end.")
    result.cells = cells
    return result


def _numbers(app: Sphinx, pagename: str) -> dict[str, str]:
    found = app.env.toc_fignumbers.get(pagename, {}).get("exercise", {})
    return {label: ".".join(map(str, number)) for label, number in found.items()}


def publish_exercises_notebook(app, pagename, templatename, context,
                               doctree) -> None:
    """Write ``_sources/<page>-exercises.ipynb`` (``html-page-context``)."""
    wheel = getattr(app, "dlbook_wheel", None)
    if doctree is None or wheel is None or not hasattr(app.env, "mystnb_config"):
        return
    executed = Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    notebook = exercises_notebook(nbformat.read(executed, as_version=4),
                                  _numbers(app, pagename), where=pagename)
    if notebook is None:
        return
    notebook = add_install_cell(notebook, *wheel)
    nbformat.validate(notebook)
    name = f"{pagename}-exercises.ipynb"
    target = Path(app.outdir) / "_sources" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["dlbook_exercises_notebook"] = name


def add_exercises_buttons(app, pagename, templatename, context, doctree) -> None:
    """List the exercises notebook in the download menu and beside "Colab"."""
    name = context.get("dlbook_exercises_notebook")
    if not name:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(1, {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/{name}",
                "text": ".ipynb (exercises)",
                "icon": "fas fa-pencil",
                "tooltip": "Download this chapter's exercises as a notebook",
                "label": "download-exercises-button",
            })
        if group.get("label") == "launch-buttons":
            colab = group["buttons"][0]
            group["buttons"].append({
                **colab,
                "text": "Colab (exercises)",
                "tooltip": "Open this chapter's exercises on Colab",
                "url": colab["url"].rsplit("/", 1)[0] + f"/{name}",
            })


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_exercise")
    app.setup_extension("dlbook_site.notebooks")
    app.connect("env-updated", check_exercises)
    app.connect("html-page-context", publish_exercises_notebook, priority=450)
    app.connect("html-page-context", add_exercises_buttons, priority=650)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
