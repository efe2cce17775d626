"""Chapter 1's checkers on tiny inputs: what each accepts and what it says."""

import numpy as np
import pytest

from dlbook.exercises import check
from dlbook.exercises.ch01 import (
    check_accuracy,
    check_parameter_count,
    check_ring_rule,
    check_split,
)
from dlbook.exercises.core import Incorrect


def _good_split(x, y, test_fraction, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(round(test_fraction * len(x)))
    return x[order[n_test:]], x[order[:n_test]], y[order[n_test:]], y[order[:n_test]]


def test_ring_rule_accepts_booleans_and_rejects_other_labels():
    check_ring_rule(lambda xy: np.hypot(xy[:, 0], xy[:, 1]) < 0.75)
    with pytest.raises(Incorrect, match="0 or 1"):
        check_ring_rule(lambda xy: 2 * (np.hypot(xy[:, 0], xy[:, 1]) < 0.75))


def test_ring_rule_message_names_the_shape():
    with pytest.raises(Incorrect, match=r"shape \(200, 1\)"):
        check_ring_rule(lambda xy: np.ones((len(xy), 1)))


def test_parameter_count_takes_numpy_integers_not_floats():
    right = 785 * 128 + 129 * 32 + 33 * 10
    check_parameter_count(np.int64(right))
    with pytest.raises(Incorrect, match="integer"):
        check_parameter_count(float(right))
    with pytest.raises(Incorrect, match="integer"):
        check_parameter_count(True)


def test_parameter_count_messages_do_not_give_the_number():
    for wrong in (10, 10**7):
        with pytest.raises(Incorrect) as error:
            check_parameter_count(wrong)
        assert str(785 * 128 + 129 * 32 + 33 * 10) not in str(error.value)


def test_accuracy_accepts_a_tensor_and_rejects_one_value_per_sample():
    import tensorflow as tf

    check_accuracy(lambda p, y: tf.reduce_mean(tf.cast(
        tf.argmax(p, axis=1) == tf.cast(y, tf.int64), tf.float32)))
    with pytest.raises(Incorrect, match="expected one number"):
        check_accuracy(lambda p, y: np.argmax(p, axis=1) == y)


def test_split_accepts_lists_in_and_out():
    def as_lists(x, y, f, seed):
        return [part.tolist() for part in _good_split(x, y, f, seed)]

    check_split(as_lists)


def test_split_rejects_overlap_and_in_place_shuffles():
    def overlap(x, y, f, seed):
        return x[5:], x[:10], y[5:], y[:10]

    with pytest.raises(Incorrect):
        check_split(overlap)

    def in_place(x, y, f, seed):
        np.random.default_rng(seed).shuffle(x)
        return x[10:], x[:10], y[10:], y[:10]

    with pytest.raises(Incorrect, match="in place"):
        check_split(in_place)


def test_split_same_seed_same_split():
    calls = []

    def fresh_seed_each_call(x, y, f, seed):
        calls.append(seed)
        return _good_split(x, y, f, len(calls))

    with pytest.raises(Incorrect, match="same seed"):
        check_split(fresh_seed_each_call)


def test_check_reports_a_wrong_answer():
    assert check("ch01-accuracy", lambda p, y: 0.5).outcome == "incorrect"
