"""Turn word-index sequences into arrays a network can read, and back to words.

Keras' IMDB and Reuters loaders give each text as a list of word indices.
Index ``i + 3`` stands for the word of rank ``i`` in the dataset's word index
(1 is the most frequent word): the first three indices are reserved, 0 for
padding, 1 for the start of a text and 2 for a word left out of the
vocabulary (``num_words``). :func:`decode_sequence` undoes that offset.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from dlbook.checks import check_int

INDEX_OFFSET = 3
"""Offset between a word's rank and its index in Keras' IMDB/Reuters data."""


def vectorize_sequences(
    sequences: Sequence[Iterable[int]], dimension: int = 10000, dtype="float32"
) -> np.ndarray:
    """Multi-hot encode sequences of word indices.

    Row ``i`` of the result has a 1 in column ``j`` when index ``j`` occurs
    in ``sequences[i]`` (once or more), and 0 elsewhere. All the indices are
    gathered into one array and the whole batch is filled with a single
    assignment into the flattened result, with no Python loop over rows.

    Parameters
    ----------
    sequences : sequence of sequences of int
        Word indices, for example the reviews from
        :func:`dlbook.datasets.load_imdb`.
    dimension : int
        Number of columns: every index must be in ``0 .. dimension - 1``.
        Use the ``num_words`` the data was loaded with.
    dtype : str or numpy.dtype
        Type of the result; float32, what Keras computes in, by default.

    Returns
    -------
    numpy.ndarray of shape (len(sequences), dimension)

    Raises
    ------
    ValueError
        If an index is negative or at least ``dimension``; the message names
        the index, the sequence it is in and the dimension.

    Examples
    --------
    >>> vectorize_sequences([[1, 3, 3], [0], []], dimension=4)
    array([[0., 1., 0., 1.],
           [1., 0., 0., 0.],
           [0., 0., 0., 0.]], dtype=float32)
    >>> vectorize_sequences([[1, 4]], dimension=4)
    Traceback (most recent call last):
    ...
    ValueError: sequence 0 holds word index 4, outside 0 .. 3 for dimension=4...
    """
    check_int(dimension, "dimension", min_value=1)
    if isinstance(sequences, np.ndarray) and sequences.dtype != object:
        sequences = list(sequences)
    n = len(sequences)
    lengths = np.fromiter((len(s) for s in sequences), dtype=np.intp, count=n)
    columns = np.fromiter(
        itertools.chain.from_iterable(sequences), dtype=np.int64,
        count=int(lengths.sum()),
    )
    bad = np.flatnonzero((columns < 0) | (columns >= dimension))
    if bad.size:
        position = int(bad[0])
        row = int(np.searchsorted(np.cumsum(lengths), position, side="right"))
        raise ValueError(
            f"sequence {row} holds word index {int(columns[position])}, outside "
            f"0 .. {dimension - 1} for dimension={dimension}. Pass the "
            "num_words the data was loaded with as dimension, or load the data "
            "with num_words=dimension."
        )
    # Position of each (sequence, word) pair in the flattened result.
    flat_positions = np.repeat(np.arange(n, dtype=np.int64) * dimension, lengths)
    flat_positions += columns
    result = np.zeros((n, dimension), dtype=dtype)
    result.reshape(-1)[flat_positions] = 1
    return result


def to_one_hot(labels: Iterable[int], dimension: int | None = None) -> np.ndarray:
    """One-hot encode integer labels, as float32.

    The same as ``keras.utils.to_categorical``, written out: row ``i`` has a
    1 in column ``labels[i]``.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Class numbers, from 0.
    dimension : int, optional
        Number of classes; by default the largest label plus one.

    Returns
    -------
    numpy.ndarray of shape (n, dimension), float32

    Raises
    ------
    ValueError
        If the labels are not a 1-D array of integers, or one is negative or
        at least ``dimension``.

    Examples
    --------
    >>> to_one_hot([2, 0, 1])
    array([[0., 0., 1.],
           [1., 0., 0.],
           [0., 1., 0.]], dtype=float32)
    >>> to_one_hot([1], dimension=4)
    array([[0., 1., 0., 0.]], dtype=float32)
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and labels.dtype.kind not in "iu"):
        raise ValueError(
            "labels must be a 1-D array of integers, got an array of shape "
            f"{labels.shape} and dtype {labels.dtype}."
        )
    if dimension is None:
        dimension = max(int(labels.max()) + 1, 1) if labels.size else 1
    check_int(dimension, "dimension", min_value=1)
    bad = np.flatnonzero((labels < 0) | (labels >= dimension))
    if bad.size:
        raise ValueError(
            f"label {int(labels[bad[0]])} at position {int(bad[0])} is outside "
            f"0 .. {dimension - 1} for dimension={dimension}."
        )
    result = np.zeros((labels.size, dimension), dtype="float32")
    result[np.arange(labels.size), labels] = 1
    return result


def decode_sequence(
    sequence: Iterable[int],
    word_index: Mapping[str, int],
    offset: int = INDEX_OFFSET,
    unknown: str = "?",
) -> str:
    """Turn a sequence of word indices back into text.

    Keras' IMDB and Reuters loaders shift every word's rank by ``offset``
    (3) to keep indices 0, 1 and 2 for padding, start of text and
    out-of-vocabulary words; this subtracts it again before looking the
    word up.

    Parameters
    ----------
    sequence : iterable of int
        Word indices, as the loaders return them.
    word_index : mapping of str to int
        Word to rank, for example from
        :func:`dlbook.datasets.get_imdb_word_index`.
    offset : int
        The shift between rank and index, 3 for Keras' loaders.
    unknown : str
        Shown for reserved indices and ranks that no word has.

    Returns
    -------
    str
        The words, separated by spaces.

    Examples
    --------
    >>> decode_sequence([1, 4, 5, 2, 6], {"the": 1, "film": 2, "works": 3})
    '? the film ? works'
    """
    check_int(offset, "offset", min_value=0)
    if not isinstance(word_index, Mapping):
        raise TypeError(
            "word_index must be a mapping of words to ranks, such as "
            f"get_imdb_word_index() returns; got {type(word_index).__name__}."
        )
    reverse = {rank: word for word, rank in word_index.items()}
    return " ".join(reverse.get(int(i) - offset, unknown) if i >= offset
                    else unknown for i in sequence)
