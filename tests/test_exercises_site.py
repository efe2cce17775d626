"""dlbook_site.exercises: the build's checks, and the reader's exercises notebook."""

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dlbook.exercises import GLUE_PREFIX, Exercise, Mistake
from dlbook.results import GLUE_PREFIX as RESULT_PREFIX
from dlbook_site.exercises import (
    ExercisesNotebookError,
    exercise_problems,
    exercises_notebook,
)

QUESTION = Exercise("ch09-why", "question", "Why?", hints=("Think.",))
CODED = Exercise("ch09-relu", "coded", "Relu", lambda f: None, hints=("max",),
                 mistakes=(Mistake("a", 1), Mistake("b", 2)))
FURTHER = Exercise("ch09-beat", "go-further", "Beat it", hints=("Train.",),
                   result_key="ch9-beat")
MODULE = {e.label: e for e in (QUESTION, CODED, FURTHER)}
ON_PAGE = {label: "ch09" for label in MODULE}
GLUED = {"ch09": {GLUE_PREFIX + "ch09-relu", RESULT_PREFIX + "ch9-beat"}}


def _problems(**changes):
    args = dict(page_exercises=ON_PAGE, solved=set(MODULE),
                module_exercises=MODULE, glued=GLUED)
    args.update(changes)
    return [problem for _, problem in exercise_problems(**args)]


def test_a_complete_chapter_has_no_problem():
    assert _problems() == []


@pytest.mark.parametrize("changes, expected", [
    ({"solved": set(MODULE) - {"ch09-why"}}, "ch09-why has no solution"),
    ({"glued": {"ch09": {RESULT_PREFIX + "ch9-beat"}}}, "ch09-relu was not proven"),
    ({"glued": {"ch09": {GLUE_PREFIX + "ch09-relu"}}}, "recorded no result"),
    ({"page_exercises": {"ch09-why": "ch09", "ch09-relu": "ch09"}}, "on no page"),
    ({"page_exercises": {**ON_PAGE, "ch09-new": "ch09"}}, "no checker module entry"),
])
def test_each_missing_piece_is_a_problem_that_says_what_to_add(changes, expected):
    problems = _problems(**changes)
    assert len(problems) == 1 and expected in problems[0]


SOLUTION_GATE = "````{solution-start} ch09-relu\n:class: dropdown\n````"


def _chapter(*cells):
    return new_notebook(cells=[
        new_markdown_cell("# Chapter\n\nSome prose."),
        new_code_cell("chapter_code = 1", outputs=[]),
        *cells])


def test_the_notebook_holds_the_exercises_without_solutions_hidden_cells_or_outputs():
    stub = new_code_cell("def relu(x):\n    return ____")
    stub.outputs = [{"output_type": "stream", "name": "stdout", "text": "…"}]
    nb = _chapter(
        new_markdown_cell("## Summary\n\nDone.\n\n## Exercises\n\n"
                          ":::{exercise} Why?\n:label: ch09-why\n\nSay why.\n:::\n\n"
                          ":::{solution} ch09-why\n:class: dropdown\n\n"
                          "Because.\n:::\n\n"
                          ":::{note}\nKept.\n:::"),
        stub,
        new_code_cell("stash = relu", metadata={"tags": ["remove-cell"]}),
        new_markdown_cell(SOLUTION_GATE),
        new_code_cell("def relu(x):\n    return max(x, 0)"),
        new_markdown_cell("The solution's prose."),
        new_markdown_cell("````{solution-end}\n````\n\nAfter."))
    out = exercises_notebook(nb, {"ch09-why": "9.1"})
    text = "\n".join(c.source for c in out.cells)
    assert out.cells[0].source.startswith("## Exercises")
    assert "**Exercise 9.1: Why?**" in text and "Say why." in text
    assert ":::{note}" in text and "After." in text
    for gone in ("Because.", "max(x, 0)", "solution's prose", "stash", ":label:",
                 "Summary", "chapter_code", "solution"):
        assert gone not in text
    assert all(c.get("outputs", []) == [] for c in out.cells if c.cell_type == "code")
    assert len(nb.cells[3].outputs) == 1  # the chapter's notebook is left alone


def test_a_chapter_without_exercises_has_no_exercises_notebook():
    assert exercises_notebook(_chapter()) is None


@pytest.mark.parametrize("cells", [
    [new_markdown_cell("## Exercises\n\n" + SOLUTION_GATE), new_code_cell("x")],
    [new_markdown_cell("## Exercises\n\n````{solution-end}\n````")],
])
def test_an_unbalanced_solution_gate_is_an_error_naming_the_page(cells):
    with pytest.raises(ExercisesNotebookError, match="ch09"):
        exercises_notebook(_chapter(*cells), where="ch09")
