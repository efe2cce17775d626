"""The parts of an exercise, and how an answer is judged.

An :class:`Exercise` holds a checker: a function that takes the reader's
answer and raises :class:`Incorrect`, with a message that says what is
wrong, when the answer is wrong. :func:`judge` runs it and turns what
happened into one of three outcomes, a :class:`Feedback`:

- *correct*: the checker returned;
- *not attempted*: the answer is, holds or returns the placeholder
  :data:`____`, or a function raised ``NotImplementedError``;
- *incorrect*: the checker raised :class:`Incorrect`, or the reader's code
  raised an exception (reported with the input that caused it, by
  :func:`call`).

Checkers call the reader's functions through :func:`call`, and state what
they expect with :func:`require`, :func:`expect_array` and
:func:`expect_close`, whose messages name what is wrong (a shape, a dtype,
the place of a wrong value) without giving away the expected numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "____", "Exercise", "Feedback", "Incorrect", "Mistake", "NotAttempted",
    "call", "describe", "expect_array", "expect_close", "holds_placeholder",
    "judge", "require",
]

#: The kinds of exercise: a question answered in words; a prediction the
#: reader writes down, then checks against a cell's output; code to complete;
#: an experiment on the real data, whose solution records its result.
KINDS = ("question", "predict", "coded", "go-further")

_LABEL = re.compile(r"^ch(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Placeholder:
    """The blank a reader fills in: ``____``."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __reduce__(self):
        return (_Placeholder, ())


#: The placeholder that exercise cells hold where the reader's answer goes.
____ = _Placeholder()


class Incorrect(Exception):
    """Raised by a checker: the answer is wrong, and the message says how."""


class NotAttempted(Exception):
    """Raised by a checker: the answer is still the exercise's stub."""


@dataclass(frozen=True)
class Mistake:
    """A plausible wrong answer, which the build proves the checker rejects.

    Attributes
    ----------
    description : str
        The mistake, in a few words: "an off-by-one in the output size".
    answer : object
        The wrong answer itself, as a reader might give it.
    """

    description: str
    answer: object


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter.

    Attributes
    ----------
    label : str
        ``"chNN-words"``: the chapter's two digits, then lower-case words
        joined by ``-``. The page's ``exercise`` directive has the same label.
    kind : str
        One of :data:`KINDS`.
    title : str
        A few words, as on the page.
    checker : callable or None
        ``checker(answer)`` raises :class:`Incorrect` when the answer is
        wrong. Required for "coded" and "predict" exercises, absent for the
        others.
    hints : tuple of str
        Graded hints, from a nudge to nearly the answer.
    mistakes : tuple of Mistake
        Wrong answers that the checker must reject: at least two for an
        exercise with a checker.
    result_key : str or None
        For a "go-further" exercise: the key under which its solution records
        its result with :func:`dlbook.results.record_result`.
    """

    label: str
    kind: str
    title: str
    checker: Callable[[object], object] | None = None
    hints: tuple[str, ...] = ()
    mistakes: tuple[Mistake, ...] = field(default=())
    result_key: str | None = None

    def __post_init__(self):
        if not isinstance(self.label, str) or not _LABEL.match(self.label):
            raise ValueError(
                f"an exercise's label must be 'chNN-' and lower-case words "
                f"joined by '-', such as 'ch02-naive-relu'; got {self.label!r}."
            )
        if self.kind not in KINDS:
            raise ValueError(
                f"{self.label}: kind must be one of {', '.join(KINDS)}; got "
                f"{self.kind!r}."
            )
        needs_checker = self.kind in ("coded", "predict")
        if needs_checker != callable(self.checker):
            raise ValueError(
                f"{self.label}: a {self.kind!r} exercise "
                + ("needs a checker." if needs_checker else "has no checker.")
            )
        if needs_checker and len(self.mistakes) < 2:
            raise ValueError(
                f"{self.label}: give at least two plausible mistakes that the "
                "checker rejects (Exercise.mistakes)."
            )
        if (self.kind == "go-further") != (self.result_key is not None):
            raise ValueError(
                f"{self.label}: a 'go-further' exercise, and only one, names "
                "the result_key that its solution records."
            )
        if not self.hints or not all(isinstance(h, str) and h for h in self.hints):
            raise ValueError(f"{self.label}: give at least one hint, as text.")

    @property
    def chapter(self) -> int:
        """The chapter's number, from the label."""
        return int(_LABEL.match(self.label).group(1))


@dataclass(frozen=True)
class Feedback:
    """The outcome of :func:`judge`, shown as one short line.

    Attributes
    ----------
    label : str
        The exercise's label.
    outcome : {"correct", "not attempted", "incorrect"}
    message : str
        What is wrong, or what to do next.
    """

    label: str
    outcome: str
    message: str

    def __bool__(self) -> bool:
        return self.outcome == "correct"

    def __repr__(self) -> str:
        mark = {"correct": "✓", "not attempted": "…", "incorrect": "✗"}
        return f"{mark[self.outcome]} {self.label}: {self.outcome}. {self.message}"


def holds_placeholder(answer) -> bool:
    """Whether ``answer`` is the placeholder or a container that holds it.

    Examples
    --------
    >>> holds_placeholder(____), holds_placeholder((3, ____)), holds_placeholder(3)
    (True, True, False)
    >>> holds_placeholder({"units": ____})
    True
    """
    if answer is ____:
        return True
    if isinstance(answer, (tuple, list, set, frozenset)):
        return any(holds_placeholder(a) for a in answer)
    if isinstance(answer, dict):
        return any(holds_placeholder(a) for a in answer.values())
    return False


def describe(value) -> str:
    """A short description of an input, for messages: not its full contents.

    Examples
    --------
    >>> describe(np.zeros((2, 3), dtype="float32"))
    'an array of shape (2, 3) and dtype float32'
    >>> describe((2, 3))
    '(2, 3)'
    """
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return (f"an array of shape {tuple(value.shape)} and dtype "
                f"{np.dtype(getattr(value.dtype, 'as_numpy_dtype', value.dtype))}")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def call(function, *args, **kwargs):
    """Call the reader's ``function``, reporting its failures as outcomes.

    Raises
    ------
    NotAttempted
        When the function raises ``NotImplementedError`` or returns the
        placeholder (a stub left unchanged).
    Incorrect
        When ``function`` is not callable, or raises any other exception:
        the message names the input it raised on.

    Examples
    --------
    >>> call(lambda x: 1 / x, 0)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: your function raised ZeroDivisionError \
(division by zero) on the input 0.
    """
    if not callable(function):
        raise Incorrect(f"expected a function, got {describe(function)}.")
    try:
        result = function(*args, **kwargs)
    except NotImplementedError as error:
        raise NotAttempted("The function is still a stub.") from error
    except (Incorrect, NotAttempted):
        raise
    except Exception as error:  # the reader's code: report, do not crash
        inputs = ", ".join([describe(a) for a in args]
                           + [f"{k}={describe(v)}" for k, v in kwargs.items()])
        raise Incorrect(
            f"your function raised {type(error).__name__} ({error}) on the "
            f"input {inputs}."
        ) from error
    if holds_placeholder(result):
        raise NotAttempted("The function still returns ____.")
    return result


def require(condition: bool, message: str) -> None:
    """Raise :class:`Incorrect` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Incorrect(message)


def expect_array(value, name: str, *, shape=None, dtype_kind: str | None = None):
    """``value`` as a NumPy array, checked for its shape and kind of dtype.

    Parameters
    ----------
    value : array-like
        What the reader's code returned (a NumPy array, a tensor).
    name : str
        What it is, for the messages: "relu(x)".
    shape : tuple of int, optional
        The expected shape.
    dtype_kind : str, optional
        NumPy dtype kinds allowed, such as ``"f"`` or ``"iu"``.

    Examples
    --------
    >>> expect_array([[1.0, 2.0]], "out", shape=(2, 1))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: out has shape (1, 2); expected (2, 1).
    """
    try:
        array = np.asarray(value)
    except Exception as error:
        raise Incorrect(f"{name} is not an array: {describe(value)}.") from error
    if array.dtype == object:
        raise Incorrect(f"{name} is not an array of numbers: {describe(value)}.")
    if shape is not None and array.shape != tuple(shape):
        raise Incorrect(f"{name} has shape {array.shape}; expected {tuple(shape)}.")
    if dtype_kind is not None and array.dtype.kind not in dtype_kind:
        kinds = {"f": "floats", "i": "integers", "u": "unsigned integers",
                 "b": "booleans"}
        wanted = " or ".join(kinds.get(k, k) for k in dtype_kind)
        raise Incorrect(f"{name} has dtype {array.dtype}; expected {wanted}.")
    return array


def expect_close(got, expected, name: str, *, rtol: float = 1e-5,
                 atol: float = 1e-6) -> None:
    """Check values, naming the first wrong place but not the right value.

    Examples
    --------
    >>> expect_close(np.array([1.0, 2.5]), np.array([1.0, 2.0]), "relu(x)")
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: relu(x) is wrong at index (1,): it gives 2.5.
    """
    got = expect_array(got, name, shape=np.shape(expected))
    expected = np.asarray(expected)
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if not close.all():
        where = tuple(int(i) for i in np.argwhere(~close)[0])
        if got.ndim == 0:
            raise Incorrect(f"{name} is wrong: it gives {got.item():.6g}.")
        raise Incorrect(f"{name} is wrong at index {where}: it gives "
                        f"{got[where].item():.6g}.")


def judge(exercise: Exercise, answer) -> Feedback:
    """Judge ``answer`` to ``exercise``: correct, not attempted or incorrect.

    Examples
    --------
    >>> def checker(answer):
    ...     require(answer == 4, "that is not 2 + 2.")
    >>> ex = Exercise("ch00-sum", "predict", "2 + 2", checker, hints=("Add.",),
    ...               mistakes=(Mistake("concatenated", 22), Mistake("off", 5)))
    >>> judge(ex, 4)
    ✓ ch00-sum: correct. Well done.
    >>> judge(ex, ____)
    … ch00-sum: not attempted. Replace each ____ with your answer.
    >>> judge(ex, 5)
    ✗ ch00-sum: incorrect. that is not 2 + 2.
    """
    if exercise.checker is None:
        raise ValueError(
            f"{exercise.label} is a {exercise.kind} exercise: it has no checker; "
            "compare your answer with the solution below it."
        )
    if holds_placeholder(answer):
        return Feedback(exercise.label, "not attempted",
                        "Replace each ____ with your answer.")
    try:
        exercise.checker(answer)
    except NotAttempted as stub:
        return Feedback(exercise.label, "not attempted",
                        f"{stub} Replace each ____ with your code.")
    except Incorrect as wrong:
        return Feedback(exercise.label, "incorrect", str(wrong))
    except Exception as error:  # an answer of a kind the checker cannot use
        return Feedback(exercise.label, "incorrect",
                        f"checking {describe(answer)} raised "
                        f"{type(error).__name__} ({error}).")
    return Feedback(exercise.label, "correct", "Well done.")
