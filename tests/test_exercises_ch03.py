"""Unit tests of chapter 3's checkers, on tiny inputs."""

import numpy as np
import pytest
import tensorflow as tf

from dlbook.exercises import check
from dlbook.exercises.ch03 import _reference_multi_hot


def _k_fold(n, k):
    sizes = [n // k + (i < n % k) for i in range(k)]
    bounds = np.cumsum([0] + sizes)
    return [(np.concatenate([np.arange(bounds[i]), np.arange(bounds[i + 1], n)]),
             np.arange(bounds[i], bounds[i + 1])) for i in range(k)]


def test_multi_hot_accepts_a_tensor_and_integers():
    assert check("ch03-multi-hot",
                 lambda s, d: tf.constant(_reference_multi_hot(s, d)))
    assert check("ch03-multi-hot",
                 lambda s, d: _reference_multi_hot(s, d).astype("uint8"))


def test_multi_hot_hard_coded_dimension_is_caught():
    def fixed(sequences, dimension):
        return _reference_multi_hot(sequences, 10)

    feedback = check("ch03-multi-hot", fixed)
    assert feedback.outcome == "incorrect"
    assert "[[0, 2], [11]], 12" in feedback.message


def test_multi_hot_that_edits_its_input_is_caught():
    def destructive(sequences, dimension):
        result = _reference_multi_hot(sequences, dimension)
        for sequence in sequences:
            sequence.clear()
        return result

    feedback = check("ch03-multi-hot", destructive)
    assert feedback.outcome == "incorrect" and "changed" in feedback.message


def test_parameter_count_takes_a_whole_float_and_refuses_text():
    assert check("ch03-parameter-count", 160305.0)
    assert check("ch03-parameter-count", np.int64(160305))
    feedback = check("ch03-parameter-count", "160305")
    assert feedback.outcome == "incorrect" and "whole number" in feedback.message
    assert check("ch03-parameter-count", True).outcome == "incorrect"


def test_parameter_count_message_does_not_give_the_count():
    feedback = check("ch03-parameter-count", 160000)
    assert "160,305" not in feedback.message and "160305" not in feedback.message


def test_one_hot_accepts_a_tensor():
    assert check("ch03-one-hot",
                 lambda labels, d: tf.one_hot(labels, d))


def test_k_fold_accepts_lists_and_larger_last_folds():
    def lists(n, k):
        return [(list(train), list(val)) for train, val in _k_fold(n, k)]

    assert check("ch03-k-fold-indices", lists)

    def larger_last(n, k):
        sizes = [n // k + (i >= k - n % k) for i in range(k)]
        bounds = np.cumsum([0] + sizes)
        return [(np.setdiff1d(np.arange(n), np.arange(a, b)), np.arange(a, b))
                for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    assert check("ch03-k-fold-indices", larger_last)


@pytest.mark.parametrize("answer, words", [
    (lambda n, k: _k_fold(n, k) * 2, "folds; expected"),
    (lambda n, k: [(tr, va.astype(float)) for tr, va in _k_fold(n, k)], "dtype"),
    (lambda n, k: [(tr[1:], va) for tr, va in _k_fold(n, k)], "leaves out"),
    (lambda n, k: 42, "list of k pairs"),
    (lambda n, k: _k_fold(n, k)[::-1], "consecutive"),
])
def test_k_fold_messages_say_what_is_wrong(answer, words):
    feedback = check("ch03-k-fold-indices", answer)
    assert feedback.outcome == "incorrect" and words in feedback.message
