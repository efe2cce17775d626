"""Chapter 2's exercises: tensor operations, broadcasting and gradients.

The coded exercises rewrite three of the chapter's tensor operations as
Python loops (relu, the addition of a vector to each row of a matrix, the
product of two matrices), checked against NumPy on tiny arrays, and work out
the gradient of the chapter's one-unit toy network by hand, checked against
``tf.GradientTape``. The predict exercise applies the broadcasting rule;
the go-further trains a dense network on Fashion-MNIST.
"""

from __future__ import annotations

import numpy as np

from dlbook.exercises.core import (
    Exercise,
    Mistake,
    call,
    describe,
    expect_array,
    expect_close,
    require,
)

__all__ = [
    "EXERCISES", "check_broadcast_add", "check_broadcast_shape",
    "check_matrix_dot", "check_naive_relu", "check_unit_gradients",
]

#: A small matrix with negative, zero and positive entries, not square.
_X = np.array([[1.5, -2.0, 0.0, 3.0],
               [-0.5, 4.0, -1.0, 0.25],
               [2.0, -3.5, 0.5, -0.75]])


# ------------------------------------------------------------------ relu

def check_naive_relu(relu) -> None:
    """Check ``relu(x)``, the element-wise ``max(x, 0)`` of a matrix.

    It must agree with ``np.maximum(x, 0)`` on a small matrix and leave its
    input unchanged.

    Examples
    --------
    >>> check_naive_relu(lambda x: np.maximum(x, 0))
    >>> check_naive_relu(lambda x: np.minimum(x, 0))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: relu(x) is wrong at index (0, 0): it \
gives 0.
    """
    x = _X.copy()
    got = expect_array(call(relu, x), "relu(x)", shape=_X.shape,
                       dtype_kind="fiu")
    require(np.array_equal(x, _X),
            "your function changed its input x: relu must return a new "
            "matrix (copy x first).")
    expect_close(got, np.maximum(_X, 0), "relu(x)")
    one_row = _X[1:2].copy()
    expect_close(expect_array(call(relu, one_row), "relu of a 1 × 4 matrix",
                              shape=(1, 4)),
                 np.maximum(one_row, 0), "relu of a 1 × 4 matrix")


def _relu_min(x):
    return np.minimum(x, 0)


def _relu_in_place(x):
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = max(x[i, j], 0)
    return x


def _relu_skips_first_row(x):
    x = np.array(x, dtype=float)
    for i in range(1, x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = max(x[i, j], 0)
    return x


# ------------------------------------------------------------- broadcast

def check_broadcast_add(add) -> None:
    """Check ``add(x, y)``: vector ``y`` added to each row of matrix ``x``.

    Compared with NumPy's broadcast ``x + y`` on a 3 × 4 matrix, whose rows
    and columns differ in number so that indexing ``y`` by row shows.

    Examples
    --------
    >>> check_broadcast_add(lambda x, y: x + y)
    >>> check_broadcast_add(lambda x, y: x + y[0])
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: add(x, y) is wrong at index (0, 1): it \
gives -1.
    """
    x, y = _X.copy(), np.array([1.0, 2.0, -3.0, 0.5])
    got = expect_array(call(add, x, y), "add(x, y)", shape=_X.shape,
                       dtype_kind="fiu")
    require(np.array_equal(x, _X),
            "your function changed its input x: return a new matrix.")
    expect_close(got, _X + y, "add(x, y)")
    column = np.arange(5.0).reshape(5, 1)
    expect_close(expect_array(call(add, column, np.array([10.0])),
                              "add of a 5 × 1 matrix and a 1-vector",
                              shape=(5, 1)),
                 column + 10, "add of a 5 × 1 matrix and a 1-vector")


def _add_by_row(x, y):
    x = np.array(x, dtype=float)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[i]
    return x


def _add_first_row_only(x, y):
    x = np.array(x, dtype=float)
    x[0] += y
    return x


# ------------------------------------------------------------ prediction

#: The shape of np.maximum(np.ones((8, 1, 5)), np.ones((3, 1))).
_BROADCAST_SHAPE = (8, 3, 5)


def check_broadcast_shape(prediction) -> None:
    """Check a prediction of the shape of a broadcast operation.

    The operation is ``np.maximum(np.ones((8, 1, 5)), np.ones((3, 1)))``.

    Examples
    --------
    >>> check_broadcast_shape((8, 1, 5))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: a length-1 axis is stretched to the \
other tensor's length on that axis.
    """
    if isinstance(prediction, str):
        require(False, "these two shapes do broadcast: give the shape of the "
                "result as a tuple of integers.")
    require(isinstance(prediction, (tuple, list))
            and all(isinstance(n, (int, np.integer)) for n in prediction),
            f"give the shape as a tuple of integers, not "
            f"{describe(prediction)}.")
    prediction = tuple(int(n) for n in prediction)
    require(len(prediction) == len(_BROADCAST_SHAPE),
            f"your shape has {len(prediction)} axes: the result has as many "
            "axes as the larger tensor.")
    require(1 not in prediction,
            "a length-1 axis is stretched to the other tensor's length on "
            "that axis.")
    require(prediction == _BROADCAST_SHAPE,
            "align the two shapes on their trailing axes first, then compare "
            "them axis by axis.")


# ----------------------------------------------------------------- dot

def check_matrix_dot(dot) -> None:
    """Check ``dot(x, y)``, the product of two matrices, against ``np.dot``.

    Examples
    --------
    >>> check_matrix_dot(np.dot)
    >>> check_matrix_dot(lambda x, y: x * y)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: your function raised ValueError \
(operands could not be broadcast together with shapes (2,3) (3,4) ) on the \
input an array of shape (2, 3) and dtype float64, an array of shape (3, 4) \
and dtype float64.
    """
    rng = np.random.default_rng(3)
    x = rng.integers(-3, 4, size=(2, 3)).astype(float)
    y = rng.integers(-3, 4, size=(3, 4)).astype(float)
    got = expect_array(call(dot, x, y), "dot(x, y)", shape=(2, 4),
                       dtype_kind="fiu")
    expect_close(got, np.dot(x, y), "dot(x, y)")
    v = rng.normal(size=(1, 3))
    expect_close(expect_array(call(dot, v, v.T), "dot of 1 × 3 and 3 × 1",
                              shape=(1, 1)),
                 np.dot(v, v.T), "dot of 1 × 3 and 3 × 1")


def _dot_transposed(x, y):
    return np.dot(x, y).T


def _dot_skips_last_term(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    z = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            for k in range(x.shape[1] - 1):
                z[i, j] += x[i, k] * y[k, j]
    return z


# -------------------------------------------------------------- gradient

#: (x, y, w, b) points: relu on and output too high, relu on and too low,
#: relu off.
_UNIT_POINTS = ((3.0, 1.0, 0.5, 0.25), (2.0, 4.0, 1.5, -0.5),
                (1.0, 2.0, -2.0, 0.5))


def _tape_gradients(x, y, w, b):
    import tensorflow as tf

    w_var = tf.Variable(w, dtype=tf.float64)
    b_var = tf.Variable(b, dtype=tf.float64)
    with tf.GradientTape() as tape:
        loss = (tf.nn.relu(w_var * x + b_var) - y) ** 2
    return [float(g) for g in tape.gradient(loss, [w_var, b_var])]


def check_unit_gradients(gradients) -> None:
    """Check ``gradients(x, y, w, b)``, the gradient of the one-unit loss.

    The loss is ``(relu(w * x + b) - y) ** 2``; the function returns
    ``(dloss/dw, dloss/db)``. It is compared with ``tf.GradientTape`` at
    three points, one of them with the relu off.

    Examples
    --------
    >>> def by_hand(x, y, w, b):
    ...     z = w * x + b
    ...     dloss_dz = 2 * (max(z, 0) - y) * (1.0 if z > 0 else 0.0)
    ...     return dloss_dz * x, dloss_dz
    >>> check_unit_gradients(by_hand)
    """
    for x, y, w, b in _UNIT_POINTS:
        where = f"x={x}, y={y}, w={w}, b={b}"
        result = call(gradients, x, y, w, b)
        require(isinstance(result, (tuple, list)) and len(result) == 2,
                f"return two numbers, (dloss/dw, dloss/db); got "
                f"{describe(result)} at {where}.")
        expected = _tape_gradients(x, y, w, b)
        for name, got, want in zip(("dloss/dw", "dloss/db"), result, expected,
                                   strict=True):
            array = expect_array(got, name)
            require(array.size == 1 and array.dtype.kind in "biuf",
                    f"{name} must be one number; got {describe(got)}.")
            expect_close(array.reshape(()), want, f"{name} at {where}",
                         rtol=1e-6, atol=1e-9)


def _gradients_without_relu_slope(x, y, w, b):
    z = w * x + b
    dloss_dz = 2 * (max(z, 0.0) - y)
    return dloss_dz * x, dloss_dz


def _gradients_without_the_two(x, y, w, b):
    z = w * x + b
    dloss_dz = (max(z, 0.0) - y) * (1.0 if z > 0 else 0.0)
    return dloss_dz * x, dloss_dz


def _gradients_w_for_x(x, y, w, b):
    z = w * x + b
    dloss_dz = 2 * (max(z, 0.0) - y) * (1.0 if z > 0 else 0.0)
    return dloss_dz * w, dloss_dz


EXERCISES = (
    Exercise(
        "ch02-choose-on-validation", "question", "Why not the test set?",
        hints=("What would the test accuracy of the chosen network still "
               "measure, once it has been used to choose?",),
    ),
    Exercise(
        "ch02-naive-relu", "coded", "A naive relu",
        checker=check_naive_relu,
        hints=(
            "Copy x first (np.array(x, dtype=float) makes a new array), then "
            "visit every entry with two nested loops.",
            "for i in range(x.shape[0]): for j in range(x.shape[1]): "
            "x[i, j] = max(x[i, j], 0)",
        ),
        mistakes=(
            Mistake("min instead of max", _relu_min),
            Mistake("the input overwritten in place", _relu_in_place),
            Mistake("an off-by-one that skips the first row",
                    _relu_skips_first_row),
        ),
    ),
    Exercise(
        "ch02-broadcast-add", "coded", "Adding a vector to each row",
        checker=check_broadcast_add,
        hints=(
            "Entry (i, j) of the result is x[i, j] plus one entry of y: "
            "which index of y goes with column j?",
            "y is indexed by the column only: x[i, j] + y[j].",
        ),
        mistakes=(
            Mistake("y indexed by the row", _add_by_row),
            Mistake("y added to the first row only", _add_first_row_only),
        ),
    ),
    Exercise(
        "ch02-broadcast-shape", "predict", "What shape?",
        checker=check_broadcast_shape,
        hints=(
            "Write the two shapes one above the other, aligned on the "
            "right, and pad the shorter one with 1s on the left.",
            "On each axis the two lengths are equal or one of them is 1; "
            "the result takes the larger.",
        ),
        mistakes=(
            Mistake("the length-1 axis not stretched", (8, 1, 5)),
            Mistake("an error expected", "error"),
            Mistake("the shapes aligned on the left", (8, 3, 1)),
        ),
    ),
    Exercise(
        "ch02-matrix-dot", "coded", "A naive matrix product",
        checker=check_matrix_dot,
        hints=(
            "Entry (i, j) of the product is the dot product of row i of x "
            "with column j of y.",
            "Make z = np.zeros((x.shape[0], y.shape[1])) and fill it with "
            "three nested loops over i, j and k in range(x.shape[1]).",
        ),
        mistakes=(
            Mistake("the product transposed", _dot_transposed),
            Mistake("an off-by-one that drops the last term of each sum",
                    _dot_skips_last_term),
        ),
    ),
    Exercise(
        "ch02-why-relu", "question", "Layers without relu",
        hints=("What is the composition of two affine transformations "
               "x -> x W1 + b1 and h -> h W2 + b2?",),
    ),
    Exercise(
        "ch02-learning-rate", "question", "Too fast, too slow",
        hints=("Think of a step of gradient descent as a step downhill whose "
               "length is the learning rate times the slope.",),
    ),
    Exercise(
        "ch02-unit-gradients", "coded", "A gradient by hand",
        checker=check_unit_gradients,
        hints=(
            "Follow the chapter's backward pass: dloss/da, then da/dz, then "
            "dz/dw and dz/db.",
            "dloss/dz = 2 * (a - y) * (1 if z > 0 else 0); then "
            "dloss/dw = dloss/dz * x and dloss/db = dloss/dz.",
        ),
        mistakes=(
            Mistake("relu's slope left out", _gradients_without_relu_slope),
            Mistake("the factor 2 of the square forgotten",
                    _gradients_without_the_two),
            Mistake("dz/dw taken as w instead of x", _gradients_w_for_x),
        ),
    ),
    Exercise(
        "ch02-dense-fashion", "go-further", "A better dense network",
        hints=(
            "A second hidden layer and dropout after each hidden layer "
            "help; so do larger batches, which also make each epoch faster.",
            "Let the validation accuracy choose the epoch: "
            "keras.callbacks.EarlyStopping(monitor='val_accuracy', "
            "restore_best_weights=True).",
        ),
        result_key="ch2-go-further-dense",
    ),
)
