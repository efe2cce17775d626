"""The book's exercises: checkers and hints a reader calls, proofs the build runs.

Each chapter ends with exercises. Those with an answer to check have a
label, such as ``"ch02-naive-relu"``, and the reader checks an answer with
:func:`check`, asks for a hint with :func:`hint`, and fills in the
placeholder :data:`____` where the answer goes::

    from dlbook.exercises import ____, check, hint

    def naive_relu(x):
        return ____

    check("ch02-naive-relu", naive_relu)   # … not attempted

Each chapter's exercises live in their own module, ``dlbook.exercises.chNN``
(its ``EXERCISES``), imported on first use. At build time, the page runs
:func:`prove` on each reference solution, in a hidden cell: the solution
must be *correct*, the untouched exercise *not attempted*, and each of the
exercise's plausible mistakes *incorrect*; anything else fails the build.
``prove`` also stores a proof record in the notebook, from which the site's
``dlbook_site.exercises`` checks that every exercise of the page has a
solution and every checker was proven.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass

from dlbook.checks import check_int
from dlbook.exercises.core import (
    Exercise,
    Feedback,
    Incorrect,
    Mistake,
    NotAttempted,
    ____,
    judge,
)

__all__ = [
    "____", "CHAPTERS", "Exercise", "ExerciseProofError", "Feedback",
    "Incorrect", "Mistake", "NotAttempted", "Proof", "chapter_exercises",
    "check", "exercise", "hint", "prove",
]

#: The chapters that have exercises, each in ``dlbook.exercises.chNN``.
CHAPTERS = (1, 2, 3, 4, 5)

#: Prefix of the glue keys under which :func:`prove` stores its proofs.
GLUE_PREFIX = "dlbook-exercise:"

#: The MIME type of a proof in a notebook's outputs.
MIME_TYPE = "application/vnd.dlbook.exercise-proof+json"


class ExerciseProofError(AssertionError):
    """A reference solution, stub or mistake is not judged as it must be."""


def chapter_exercises(chapter: int) -> tuple[Exercise, ...]:
    """The exercises of one chapter, in the order of its page.

    Examples
    --------
    >>> sorted({e.kind for e in chapter_exercises(2)})
    ['coded', 'go-further', 'predict', 'question']
    >>> chapter_exercises(9)
    Traceback (most recent call last):
    ...
    ValueError: chapter 9 has no exercises; chapters with exercises: 1, 2, 3, 4, 5.
    """
    check_int(chapter, "chapter")
    if chapter not in CHAPTERS:
        raise ValueError(
            f"chapter {chapter} has no exercises; chapters with exercises: "
            f"{', '.join(map(str, CHAPTERS))}."
        )
    module = importlib.import_module(f"dlbook.exercises.ch{chapter:02d}")
    return tuple(module.EXERCISES)


def exercise(label: str) -> Exercise:
    """The exercise with this label.

    Raises
    ------
    ValueError
        For an unknown label: the message lists the chapter's labels.

    Examples
    --------
    >>> exercise("ch01-nope")
    Traceback (most recent call last):
    ...
    ValueError: no exercise 'ch01-nope' in chapter 1; its labels: ...
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a string such as 'ch02-naive-relu', "
                        f"got {label!r}.")
    number = label[2:4] if label.startswith("ch") else ""
    if not number.isdigit() or int(number) not in CHAPTERS:
        raise ValueError(
            f"{label!r} names no chapter's exercise: labels start with 'chNN-', "
            f"NN one of {', '.join(f'{c:02d}' for c in CHAPTERS)}."
        )
    found = chapter_exercises(int(number))
    for candidate in found:
        if candidate.label == label:
            return candidate
    raise ValueError(
        f"no exercise {label!r} in chapter {int(number)}; its labels: "
        f"{', '.join(e.label for e in found)}."
    )


def check(label: str, answer) -> Feedback:
    """Check an answer: correct, not attempted, or incorrect and why.

    Parameters
    ----------
    label : str
        The exercise's label, as the page shows it.
    answer : object
        Your answer: a value, or the function the exercise asks for.

    Returns
    -------
    Feedback
        Shown as one line; true only when the answer is correct.

    Examples
    --------
    >>> label = next(e.label for e in chapter_exercises(2) if e.checker)
    >>> check(label, ____).outcome
    'not attempted'
    """
    return judge(exercise(label), answer)


class Hint(str):
    """A hint's text, shown without quotes."""

    def __repr__(self) -> str:
        return str(self)


def hint(label: str, level: int = 1) -> Hint:
    """A hint for an exercise: level 1 is a nudge, higher levels say more.

    Examples
    --------
    >>> hint(chapter_exercises(1)[0].label, level=99)
    Traceback (most recent call last):
    ...
    ValueError: ch01-... has ... hint(s): level must be 1 to ...
    """
    found = exercise(label)
    check_int(level, "level")
    if not 1 <= level <= len(found.hints):
        raise ValueError(
            f"{label} has {len(found.hints)} hint(s): level must be 1 to "
            f"{len(found.hints)}, got {level}."
        )
    return Hint(f"Hint {level}/{len(found.hints)}: {found.hints[level - 1]}")


@dataclass(frozen=True)
class Proof:
    """What :func:`prove` established about one exercise's checker."""

    label: str
    kind: str
    mistakes: tuple[str, ...]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        record = asdict(self)
        record["mistakes"] = list(self.mistakes)
        return {MIME_TYPE: record, "text/plain": repr(self)}


def prove(label: str, solution, *, untouched=____) -> Proof:
    """Prove an exercise's checker at build time, and record the proof.

    Asserts that ``solution`` is judged correct, ``untouched`` (the
    exercise's cell as the reader finds it: the placeholder, or its stub
    function) not attempted, and each of the exercise's mistakes incorrect.
    The proof is stored as a hidden glue output, ``"dlbook-exercise:<label>"``.

    Raises
    ------
    ExerciseProofError
        When any of them is judged otherwise; the message says which.
    """
    found = exercise(label)
    outcome = judge(found, solution)
    if outcome.outcome != "correct":
        raise ExerciseProofError(
            f"{label}: the reference solution is judged {outcome!r}; fix the "
            "solution or the checker.")
    outcome = judge(found, untouched)
    if outcome.outcome != "not attempted":
        raise ExerciseProofError(
            f"{label}: the untouched exercise is judged {outcome!r}; it must "
            "be 'not attempted'.")
    for mistake in found.mistakes:
        outcome = judge(found, mistake.answer)
        if outcome.outcome != "incorrect":
            raise ExerciseProofError(
                f"{label}: the mistake {mistake.description!r} is judged "
                f"{outcome!r}; the checker must reject it.")
    proof = Proof(label, found.kind, tuple(m.description for m in found.mistakes))
    try:
        from myst_nb import glue
    except ImportError:  # outside the book's build: nothing to record
        return proof
    glue(GLUE_PREFIX + label, proof, display=False)
    return proof
