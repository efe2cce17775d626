"""What a chapter's exercises cost to execute, apart from its lesson.

A kernel's time split (:mod:`dlbook_site.time_split`) lists the seconds of
every code cell it ran, in order. This module reads the chapter's source the
way MyST-NB does, gives each code cell its part of the page, and adds up
the seconds of each part:

- ``"lesson"``: every cell before the chapter's "Exercises" heading;
- ``"go_further"``: the cells of a "go-further" exercise's solution
  (between its ``solution-start`` and ``solution-end``), the exercises
  that train real models;
- ``"exercises"``: the other cells of the Exercises section (questions,
  coded and predict exercises, their solutions and proofs).

Which exercises are "go-further" is read from :mod:`dlbook.exercises`, the
one list of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from dlbook_site.exercises import exercises_start, fence_directives

#: The parts of a page, in the order of the page.
PARTS = ("lesson", "exercises", "go_further")


def cell_parts(cells: Iterable[dict], go_further: Iterable[str]) -> list[str]:
    """The part of the page of each code cell, in order.

    Parameters
    ----------
    cells : iterable of dict
        The notebook's cells, as nbformat gives them (``cell_type`` and
        ``source``), in page order.
    go_further : iterable of str
        The labels of the "go-further" exercises.

    Examples
    --------
    >>> md = lambda text: {"cell_type": "markdown", "source": text}
    >>> code = {"cell_type": "code", "source": "x = 1"}
    >>> cell_parts([code, md("## Exercises"), code,
    ...             md("````{solution-start} ch04-go-further-boston"), code,
    ...             md("````{solution-end}"), code], ["ch04-go-further-boston"])
    ['lesson', 'exercises', 'go_further', 'exercises']
    """
    cells, go_further = list(cells), set(go_further)
    # The section as the exercises notebook takes it (dlbook_site.exercises).
    start = exercises_start(cells) or (len(cells), 0)
    part, parts = "lesson", []
    for index, cell in enumerate(cells):
        source = cell["source"]
        if cell["cell_type"] != "markdown":
            # nbclient skips empty code cells: the kernel never runs them.
            if cell["cell_type"] == "code" and source.strip():
                parts.append(part)
            continue
        if index < start[0]:
            continue
        if index == start[0]:
            part = "exercises"
            source = "\n".join(source.splitlines()[start[1]:])
        for _, match in fence_directives(source):
            if (match["name"] == "solution-start"
                    and match["argument"].strip() in go_further):
                part = "go_further"
            elif match["name"] == "solution-end" and part == "go_further":
                part = "exercises"
    return parts


def cost_by_part(parts: Sequence[str], seconds: Sequence[float]) -> dict[str, float]:
    """Seconds of each part, from each code cell's part and seconds.

    Raises
    ------
    ValueError
        When the kernel ran another number of cells than the page has: the
        split is not of this version of the page.

    Examples
    --------
    >>> cost_by_part(["lesson", "exercises", "go_further"], [3.0, 0.5, 60.0])
    {'lesson': 3.0, 'exercises': 0.5, 'go_further': 60.0}
    """
    if len(parts) != len(seconds):
        raise ValueError(
            f"the time split has {len(seconds)} cells but the page has "
            f"{len(parts)} code cells: it was measured on another version of "
            "the page; build again with the time split on.")
    cost = dict.fromkeys(PARTS, 0.0)
    for part, cell_seconds in zip(parts, seconds, strict=True):
        cost[part] += float(cell_seconds)
    return {part: round(value, 3) for part, value in cost.items()}


def read_cells(source: Path) -> list[dict]:
    """A MyST chapter's cells, read as MyST-NB reads it."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(Path(source).read_text(encoding="utf-8"))
    return [dict(cell_type=c.cell_type, source=c.source) for c in notebook.cells]


def go_further_labels() -> list[str]:
    """The labels of every chapter's "go-further" exercises."""
    from dlbook import exercises

    return [e.label for chapter in exercises.CHAPTERS
            for e in exercises.chapter_exercises(chapter)
            if e.kind == "go-further"]


def exercise_cost(source: Path, split: Path) -> dict[str, float] | None:
    """A chapter's seconds by part, from its source and its kernel's split.

    None when the split is missing or unreadable (the chapter did not
    execute with the time split on).
    """
    try:
        cells = json.loads(Path(split).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    parts = cell_parts(read_cells(source), go_further_labels())
    return cost_by_part(parts, [cell["seconds"] for cell in cells])
