"""Unit tests of chapter 4's checkers, on tiny inputs."""

import numpy as np
import pytest
import tensorflow as tf

from dlbook.exercises import check
from dlbook.exercises.ch04 import L2_FACTOR, L2_KERNEL, _reference_normalize


def _time_split(timestamps, val_fraction):
    order = np.argsort(timestamps)
    n_train = len(order) - int(len(order) * val_fraction)
    return order[:n_train], order[n_train:]


def _dropout(x, rate, seed):
    keep = np.random.default_rng(seed).random(x.shape) >= rate
    return x * keep / (1 - rate)


def test_time_split_accepts_lists_rounding_and_unsorted_parts():
    assert check("ch04-time-split",
                 lambda t, f: tuple(list(p) for p in _time_split(t, f)))

    def rounded(timestamps, val_fraction):
        order = np.argsort(timestamps)[::-1]  # latest first
        n_val = int(round(len(order) * val_fraction))
        return order[n_val:], order[:n_val]

    assert check("ch04-time-split", rounded)


@pytest.mark.parametrize("answer, words", [
    (lambda t, f: _time_split(t, f)[0], "pair"),
    (lambda t, f: (_time_split(t, f)[0][1:], _time_split(t, f)[1]),
     "every sample exactly once"),
    (lambda t, f: (_time_split(t, f)[0], _time_split(t, f)[1].astype(float)),
     "dtype"),
    (lambda t, f: (np.argsort(t)[:-1], np.argsort(t)[-1:]), "validation part of"),
])
def test_time_split_messages_say_what_is_wrong(answer, words):
    feedback = check("ch04-time-split", answer)
    assert feedback.outcome == "incorrect" and words in feedback.message


def test_time_split_that_sorts_its_input_in_place_is_caught():
    def in_place(timestamps, val_fraction):
        parts = _time_split(timestamps, val_fraction)
        timestamps.sort()
        return parts

    feedback = check("ch04-time-split", in_place)
    assert feedback.outcome == "incorrect" and "changed" in feedback.message


def test_normalize_accepts_tensors_and_float32():
    assert check("ch04-normalize", lambda tr, te: tuple(
        tf.constant(a, dtype="float32") for a in _reference_normalize(tr, te)))


def test_normalize_in_place_is_caught():
    def in_place(train, test):
        mean, std = train.mean(axis=0), train.std(axis=0)
        test -= mean
        test /= std
        train -= mean
        train /= std
        return train, test

    feedback = check("ch04-normalize", in_place)
    assert feedback.outcome == "incorrect" and "changed" in feedback.message


def test_normalize_with_the_sample_std_is_refused_by_place():
    def ddof1(train, test):
        mean, std = train.mean(axis=0), train.std(axis=0, ddof=1)
        return (train - mean) / std, (test - mean) / std

    feedback = check("ch04-normalize", ddof1)
    assert feedback.outcome == "incorrect" and "training data" in feedback.message


def test_l2_penalty_matches_keras_and_takes_a_numpy_float():
    layer = tf.keras.layers.Dense(
        2, kernel_regularizer=tf.keras.regularizers.l2(L2_FACTOR))
    layer.build((None, 2))
    layer.set_weights([np.array(L2_KERNEL), np.ones(2)])
    keras_penalty = float(sum(layer.losses))
    assert check("ch04-l2-penalty", np.float32(keras_penalty))
    assert check("ch04-l2-penalty", "0.03").outcome == "incorrect"
    assert check("ch04-l2-penalty", True).outcome == "incorrect"


def test_l2_penalty_message_does_not_give_the_value():
    feedback = check("ch04-l2-penalty", 3.0)
    assert feedback.outcome == "incorrect" and "0.03" not in feedback.message


def test_dropout_accepts_a_tensor_and_float32():
    assert check("ch04-inverted-dropout",
                 lambda x, rate, seed: tf.constant(_dropout(x, rate, seed)))
    assert check("ch04-inverted-dropout", lambda x, rate, seed: _dropout(
        x.astype("float32"), rate, seed))


@pytest.mark.parametrize("answer, words", [
    (lambda x, rate, seed: _dropout(x, rate, np.random.default_rng().integers(1 << 30)),
     "same seed"),
    (lambda x, rate, seed: _dropout(x, rate / 2, seed) * (1 - rate / 2)
     / (1 - rate), "entries to 0"),
    (lambda x, rate, seed: _dropout(x, rate, seed).T, "shape"),
    (lambda x, rate, seed: x, "not x / (1 - 0.5)"),
])
def test_dropout_messages_say_what_is_wrong(answer, words):
    feedback = check("ch04-inverted-dropout", answer)
    assert feedback.outcome == "incorrect" and words in feedback.message, feedback
