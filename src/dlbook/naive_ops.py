"""Naive tensor operations: plain Python loops, kept as reference implementations.

Each function does with explicit ``for`` loops what one NumPy call does in
optimized, compiled code. They exist to show what an operation computes, to
time it against NumPy, and to serve as a slow reference that the fast versions
can be checked against. They return new float arrays and never modify their
inputs.
"""

from __future__ import annotations

import numpy as np


def _as_array(x, ndim: int, name: str) -> np.ndarray:
    """Return ``x`` as a float array, checking that it has ``ndim`` axes."""
    array = np.asarray(x)
    if array.ndim != ndim:
        kind = {1: "a vector", 2: "a matrix"}.get(ndim, f"a {ndim}-D array")
        raise ValueError(
            f"{name} must be {kind} (ndim {ndim}), got ndim {array.ndim} "
            f"with shape {array.shape}."
        )
    return array.astype(float)


def naive_relu(x):
    """Element-wise ``max(x, 0)`` of a matrix, one entry at a time.

    Parameters
    ----------
    x : array-like of shape (rows, cols)
        A matrix.

    Returns
    -------
    numpy.ndarray of shape (rows, cols)
        A new matrix with every negative entry replaced by 0.

    Examples
    --------
    >>> naive_relu([[1.0, -2.0], [-3.0, 4.0]])
    array([[1., 0.],
           [0., 4.]])
    """
    x = _as_array(x, 2, "x").copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = max(x[i, j], 0)
    return x


def naive_add(x, y):
    """Element-wise sum of two matrices of the same shape, one entry at a time.

    Parameters
    ----------
    x, y : array-like of shape (rows, cols)
        Two matrices with the same shape.

    Returns
    -------
    numpy.ndarray of shape (rows, cols)
        A new matrix ``x + y``.

    Examples
    --------
    >>> naive_add([[1, 2], [3, 4]], [[10, 20], [30, 40]])
    array([[11., 22.],
           [33., 44.]])
    """
    x = _as_array(x, 2, "x").copy()
    y = _as_array(y, 2, "y")
    if x.shape != y.shape:
        raise ValueError(
            f"x and y must have the same shape, got {x.shape} "
            f"and {y.shape}."
        )
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[i, j]
    return x


def naive_add_matrix_and_vector(x, y):
    """Add a vector to every row of a matrix: broadcasting, written out.

    Parameters
    ----------
    x : array-like of shape (rows, cols)
        A matrix.
    y : array-like of shape (cols,)
        A vector with one entry per column of ``x``.

    Returns
    -------
    numpy.ndarray of shape (rows, cols)
        A new matrix whose row ``i`` is ``x[i] + y``.

    Examples
    --------
    >>> naive_add_matrix_and_vector([[1, 2], [3, 4], [5, 6]], [10, 100])
    array([[ 11., 102.],
           [ 13., 104.],
           [ 15., 106.]])
    """
    x = _as_array(x, 2, "x").copy()
    y = _as_array(y, 1, "y")
    if x.shape[1] != y.shape[0]:
        raise ValueError(
            f"y must have one entry per column of x: x has shape "
            f"{x.shape}, y has shape {y.shape}."
        )
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[j]
    return x


def naive_vector_dot(x, y):
    """Dot product of two vectors of the same length: the sum of their products.

    Parameters
    ----------
    x, y : array-like of shape (n,)
        Two vectors of the same length.

    Returns
    -------
    float
        ``sum(x[i] * y[i])``.

    Examples
    --------
    >>> naive_vector_dot([1, 2, 3], [4, 5, 6])
    32.0
    """
    x = _as_array(x, 1, "x")
    y = _as_array(y, 1, "y")
    if x.shape != y.shape:
        raise ValueError(
            f"x and y must have the same length, got shapes {x.shape} "
            f"and {y.shape}."
        )
    z = 0.0
    for i in range(x.shape[0]):
        z += x[i] * y[i]
    return float(z)


def naive_matrix_vector_dot(x, y):
    """Product of a matrix and a vector: one vector dot per row of the matrix.

    Parameters
    ----------
    x : array-like of shape (rows, n)
        A matrix.
    y : array-like of shape (n,)
        A vector with one entry per column of ``x``.

    Returns
    -------
    numpy.ndarray of shape (rows,)
        Entry ``i`` is the dot product of row ``i`` of ``x`` with ``y``.

    Examples
    --------
    >>> naive_matrix_vector_dot([[1, 2], [3, 4], [5, 6]], [1, -1])
    array([-1., -1., -1.])
    """
    x = _as_array(x, 2, "x")
    y = _as_array(y, 1, "y")
    if x.shape[1] != y.shape[0]:
        raise ValueError(
            f"x.shape[1] must equal y.shape[0], got shapes {x.shape} "
            f"and {y.shape}."
        )
    z = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        z[i] = naive_vector_dot(x[i, :], y)
    return z


def naive_matrix_dot(x, y):
    """Product of two matrices: entry ``(i, j)`` is row ``i`` dot column ``j``.

    Parameters
    ----------
    x : array-like of shape (rows, n)
        A matrix.
    y : array-like of shape (n, cols)
        A matrix with as many rows as ``x`` has columns.

    Returns
    -------
    numpy.ndarray of shape (rows, cols)
        The matrix product ``x @ y``.

    Examples
    --------
    >>> naive_matrix_dot([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    array([[19., 22.],
           [43., 50.]])
    """
    x = _as_array(x, 2, "x")
    y = _as_array(y, 2, "y")
    if x.shape[1] != y.shape[0]:
        raise ValueError(
            f"x.shape[1] must equal y.shape[0], got shapes {x.shape} "
            f"and {y.shape}."
        )
    z = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            z[i, j] = naive_vector_dot(x[i, :], y[:, j])
    return z


def naive_vectorize_sequences(sequences, dimension=10000, dtype="float64"):
    """Multi-hot encode word-index sequences, one sequence at a time.

    The notes' loop: row ``i`` gets a 1 at every index in ``sequences[i]``.
    :func:`dlbook.text.vectorize_sequences` computes the same array with no
    Python loop and checks the indices; this version does not check them.

    Parameters
    ----------
    sequences : sequence of sequences of int
        Word indices, each in ``0 .. dimension - 1``.
    dimension : int
        Number of columns.
    dtype : str or numpy.dtype
        Type of the result: float64 by default, as ``np.zeros`` gives in the
        notes.

    Returns
    -------
    numpy.ndarray of shape (len(sequences), dimension)

    Examples
    --------
    >>> naive_vectorize_sequences([[1, 3, 3], [0]], dimension=4)
    array([[0., 1., 0., 1.],
           [1., 0., 0., 0.]])
    """
    results = np.zeros((len(sequences), dimension), dtype=dtype)
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1
    return results
