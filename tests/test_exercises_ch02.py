"""Chapter 2's checkers on tiny inputs: what each accepts and what it says."""

import numpy as np
import pytest

from dlbook.exercises.ch02 import (
    check_broadcast_add,
    check_broadcast_shape,
    check_matrix_dot,
    check_naive_relu,
    check_unit_gradients,
)
from dlbook.exercises.core import Incorrect


def test_tensor_answers_are_accepted():
    import tensorflow as tf

    check_naive_relu(lambda x: tf.nn.relu(tf.constant(x)))
    check_broadcast_add(lambda x, y: tf.constant(x) + tf.constant(y))
    check_matrix_dot(lambda x, y: tf.matmul(tf.constant(x), tf.constant(y)))
    check_unit_gradients(lambda x, y, w, b: (
        tf.constant(2.0 * (max(w * x + b, 0) - y) * (w * x + b > 0) * x),
        tf.constant(2.0 * (max(w * x + b, 0) - y) * (w * x + b > 0))))


def test_relu_messages_name_the_place_not_the_value():
    with pytest.raises(Incorrect) as error:
        check_naive_relu(lambda x: np.abs(x))
    assert "index (0, 1)" in str(error.value) and "gives 2" in str(error.value)
    with pytest.raises(Incorrect, match=r"shape \(4, 3\)"):
        check_naive_relu(lambda x: np.maximum(x, 0).T)


def test_relu_rejects_strings():
    with pytest.raises(Incorrect, match="dtype"):
        check_naive_relu(lambda x: np.maximum(x, 0).astype(str))


def test_broadcast_shape_accepts_lists_and_numpy_integers():
    check_broadcast_shape([8, 3, 5])
    check_broadcast_shape(tuple(np.array([8, 3, 5])))
    with pytest.raises(Incorrect, match="axes"):
        check_broadcast_shape((3, 5))
    with pytest.raises(Incorrect, match="tuple of integers"):
        check_broadcast_shape((8.0, 3.0, 5.0))


def test_broadcast_shape_message_does_not_give_the_answer():
    with pytest.raises(Incorrect) as error:
        check_broadcast_shape((8, 5, 3))
    assert "(8, 3, 5)" not in str(error.value)


def test_matrix_dot_only_the_shape_is_wrong():
    with pytest.raises(Incorrect, match=r"has shape \(2, 3\)"):
        check_matrix_dot(lambda x, y: x)


def test_unit_gradients_reports_the_point_and_the_pair():
    with pytest.raises(Incorrect, match="two numbers"):
        check_unit_gradients(lambda x, y, w, b: 0.0)
    with pytest.raises(Incorrect, match=r"dloss/db at x=3\.0"):
        check_unit_gradients(lambda x, y, w, b: (
            2 * (max(w * x + b, 0) - y) * x, 0.0))
