"""dlbook.exercises: the three outcomes, hints, proofs, and every chapter's set.

The tests on every chapter's exercises are generic: each chapter's own
module has its specific tests in tests/test_exercises_chNN.py.
"""

import numpy as np
import pytest

import dlbook.exercises as exercises
from dlbook.exercises import (
    CHAPTERS,
    Exercise,
    ExerciseProofError,
    Mistake,
    ____,
    chapter_exercises,
    check,
    hint,
    prove,
)
from dlbook.exercises.core import (
    Incorrect,
    call,
    expect_array,
    expect_close,
    holds_placeholder,
    judge,
    require,
)

ALL = [e for chapter in CHAPTERS for e in chapter_exercises(chapter)]
CHECKED = [e for e in ALL if e.checker is not None]


def _double_checker(function):
    got = call(function, np.arange(3.0))
    expect_close(got, 2 * np.arange(3.0), "double(x)")


DOUBLE = Exercise(
    "ch00-double", "coded", "Double it", _double_checker,
    hints=("Multiply.", "By two."),
    mistakes=(Mistake("adds one", lambda x: x + 1),
              Mistake("squares", lambda x: x**2)),
)


# --- The three outcomes -------------------------------------------------------

def test_a_right_answer_is_correct_and_true():
    feedback = judge(DOUBLE, lambda x: 2 * x)
    assert feedback.outcome == "correct" and feedback


@pytest.mark.parametrize("answer", [
    ____, (____, 1), [1, ____], {"units": ____},
    lambda x: ____,
    lambda x: (_ for _ in ()).throw(NotImplementedError()),
])
def test_the_placeholder_or_a_stub_is_not_attempted(answer):
    feedback = judge(DOUBLE, answer)
    assert feedback.outcome == "not attempted" and not feedback
    assert "____" in repr(feedback)


def test_a_wrong_value_is_incorrect_and_names_the_place_not_the_answer():
    feedback = judge(DOUBLE, lambda x: x + 1)
    assert feedback.outcome == "incorrect"
    assert "index (0,)" in feedback.message
    assert "gives 1" in feedback.message and "expected" not in feedback.message


def test_the_readers_exception_is_reported_with_its_input():
    def broken(x):
        raise KeyError("oops")

    feedback = judge(DOUBLE, broken)
    assert feedback.outcome == "incorrect"
    assert "KeyError" in feedback.message and "shape (3,)" in feedback.message


def test_an_answer_the_checker_cannot_use_is_incorrect_not_a_crash():
    def needs_len(answer):
        require(len(answer) == 2, "two items")

    ex = Exercise("ch00-pair", "predict", "A pair", needs_len, hints=("Two.",),
                  mistakes=(Mistake("one", (1,)), Mistake("three", (1, 2, 3))))
    feedback = judge(ex, 5)
    assert feedback.outcome == "incorrect" and "TypeError" in feedback.message


def test_a_wrong_shape_or_dtype_is_named():
    with pytest.raises(Incorrect, match=r"shape \(2,\); expected \(3,\)"):
        expect_array(np.zeros(2), "x", shape=(3,))
    with pytest.raises(Incorrect, match="dtype int64; expected floats"):
        expect_array(np.zeros(3, dtype="int64"), "x", dtype_kind="f")


def test_a_placeholder_is_found_only_where_it_is():
    assert holds_placeholder([(1, ____)]) and not holds_placeholder([(1, 2)])


def test_call_refuses_what_is_not_a_function():
    with pytest.raises(Incorrect, match="expected a function"):
        call(3)


# --- Exercises are well formed --------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    ({"label": "relu"}, "chNN-"),
    ({"kind": "essay"}, "kind must be one of"),
    ({"checker": None}, "needs a checker"),
    ({"mistakes": (Mistake("one", 1),)}, "at least two"),
    ({"hints": ()}, "at least one hint"),
    ({"result_key": "x"}, "result_key"),
])
def test_a_malformed_exercise_is_refused_with_what_to_fix(kwargs, match):
    fields = dict(label="ch00-double", kind="coded", title="t",
                  checker=_double_checker, hints=("h",),
                  mistakes=DOUBLE.mistakes)
    with pytest.raises(ValueError, match=match):
        Exercise(**{**fields, **kwargs})


# --- Labels and hints -------------------------------------------------------------

def test_an_unknown_label_lists_the_chapters_labels():
    labels = [e.label for e in chapter_exercises(2)]
    with pytest.raises(ValueError) as error:
        check("ch02-no-such-exercise", 1)
    assert all(label in str(error.value) for label in labels)
    with pytest.raises(ValueError, match="NN one of"):
        hint("ch42-anything")


def test_hints_are_graded_and_bounded():
    label = ALL[0].label
    levels = len(ALL[0].hints)
    assert hint(label).startswith(f"Hint 1/{levels}")
    with pytest.raises(ValueError, match=f"level must be 1 to {levels}"):
        hint(label, level=levels + 1)


def test_a_question_has_no_checker_to_call():
    question = next(e for e in ALL if e.kind == "question")
    with pytest.raises(ValueError, match="compare your answer"):
        check(question.label, "my answer")


# --- Proofs -----------------------------------------------------------------------

@pytest.fixture
def double(monkeypatch):
    monkeypatch.setattr(exercises, "exercise", lambda label: DOUBLE)
    return DOUBLE


def test_prove_accepts_a_checker_that_judges_all_three_rightly(double):
    proof = prove("ch00-double", lambda x: 2 * x, untouched=lambda x: ____)
    assert proof.mistakes == ("adds one", "squares")


@pytest.mark.parametrize("solution, untouched, match", [
    (lambda x: x + 1, ____, "reference solution"),
    (lambda x: 2 * x, lambda x: 2 * x, "untouched"),
])
def test_prove_fails_on_a_wrong_solution_or_a_stub_that_passes(
        double, solution, untouched, match):
    with pytest.raises(ExerciseProofError, match=match):
        prove("ch00-double", solution, untouched=untouched)


def test_prove_fails_when_the_checker_accepts_a_mistake(monkeypatch):
    lenient = Exercise(
        "ch00-lenient", "coded", "t", lambda f: call(f, 1.0), hints=("h",),
        mistakes=(Mistake("adds one", lambda x: x + 1), Mistake("m", lambda x: x)))
    monkeypatch.setattr(exercises, "exercise", lambda label: lenient)
    with pytest.raises(ExerciseProofError, match="adds one"):
        prove("ch00-lenient", lambda x: 2 * x)


# --- Every chapter's exercises ---------------------------------------------------

@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_has_the_exercises_the_book_promises(chapter):
    found = chapter_exercises(chapter)
    kinds = [e.kind for e in found]
    assert 6 <= len(found) <= 10
    assert 3 <= kinds.count("question") <= 4
    assert kinds.count("coded") >= 3
    assert kinds.count("predict") == 1 and kinds.count("go-further") == 1
    assert all(e.chapter == chapter for e in found)


def test_labels_and_result_keys_are_unique():
    labels = [e.label for e in ALL]
    keys = [e.result_key for e in ALL if e.result_key]
    assert len(set(labels)) == len(labels) and len(set(keys)) == len(keys)


@pytest.mark.parametrize("ex", CHECKED, ids=lambda e: e.label)
def test_each_checker_rejects_its_mistakes_and_the_placeholder(ex):
    assert judge(ex, ____).outcome == "not attempted"
    for mistake in ex.mistakes:
        assert judge(ex, mistake.answer).outcome == "incorrect", mistake.description
