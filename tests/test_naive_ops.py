"""dlbook.naive_ops: the loops agree with NumPy and reject mismatched shapes."""

import numpy as np
import pytest

from dlbook.naive_ops import (
    naive_add,
    naive_add_matrix_and_vector,
    naive_matrix_dot,
    naive_matrix_vector_dot,
    naive_relu,
    naive_vector_dot,
)

rng = np.random.default_rng(0)


def test_relu_matches_numpy_and_leaves_input_alone():
    x = rng.normal(size=(3, 4))
    before = x.copy()
    np.testing.assert_array_equal(naive_relu(x), np.maximum(x, 0))
    np.testing.assert_array_equal(x, before)


def test_add_matches_numpy():
    x, y = rng.normal(size=(2, 5)), rng.normal(size=(2, 5))
    np.testing.assert_allclose(naive_add(x, y), x + y)


def test_add_matrix_and_vector_matches_numpy_broadcasting():
    x, y = rng.normal(size=(4, 3)), rng.normal(size=3)
    np.testing.assert_allclose(naive_add_matrix_and_vector(x, y), x + y)


def test_vector_dot_matches_numpy():
    x, y = rng.normal(size=6), rng.normal(size=6)
    assert naive_vector_dot(x, y) == pytest.approx(np.dot(x, y))
    assert isinstance(naive_vector_dot(x, y), float)


def test_matrix_vector_dot_matches_numpy():
    x, y = rng.normal(size=(3, 5)), rng.normal(size=5)
    np.testing.assert_allclose(naive_matrix_vector_dot(x, y), np.dot(x, y))


def test_matrix_dot_matches_numpy():
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    result = naive_matrix_dot(x, y)
    assert result.shape == (3, 2)
    np.testing.assert_allclose(result, np.dot(x, y))


def test_integer_inputs_give_float_results():
    assert naive_add([[1, 2]], [[3, 4]]).dtype == np.float64
    np.testing.assert_array_equal(naive_relu([[-1, 2]]), [[0.0, 2.0]])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: naive_relu(np.zeros(3)),
         r"x must be a matrix \(ndim 2\), got ndim 1 with shape \(3,\)"),
        (lambda: naive_add(np.zeros((2, 3)), np.zeros((3, 2))),
         r"same shape, got \(2, 3\) and \(3, 2\)"),
        (lambda: naive_add_matrix_and_vector(np.zeros((2, 3)), np.zeros(2)),
         r"x has shape \(2, 3\), y has shape \(2,\)"),
        (lambda: naive_add_matrix_and_vector(np.zeros((2, 3)), np.zeros((1, 3))),
         r"y must be a vector \(ndim 1\), got ndim 2"),
        (lambda: naive_vector_dot(np.zeros(3), np.zeros(4)),
         r"same length, got shapes \(3,\) and \(4,\)"),
        (lambda: naive_matrix_vector_dot(np.zeros((2, 3)), np.zeros(2)),
         r"x.shape\[1\] must equal y.shape\[0\], got shapes \(2, 3\) and \(2,\)"),
        (lambda: naive_matrix_dot(np.zeros((2, 3)), np.zeros((2, 3))),
         r"got shapes \(2, 3\) and \(2, 3\)"),
        (lambda: naive_matrix_dot(np.zeros((2, 3, 1)), np.zeros((3, 2))),
         r"x must be a matrix \(ndim 2\), got ndim 3"),
    ],
)
def test_mismatched_shapes_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
