"""dlbook.text."""

import numpy as np
import pytest

from dlbook.text import decode_sequence, to_one_hot, vectorize_sequences


def loop_reference(sequences, dimension):
    """The course notes' version: a Python loop over the sequences."""
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.0
    return results


def test_vectorize_matches_the_loop_on_random_sequences():
    rng = np.random.default_rng(0)
    sequences = [list(rng.integers(0, 30, size=rng.integers(0, 12)))
                 for _ in range(20)]
    result = vectorize_sequences(sequences, dimension=30)
    assert result.dtype == np.float32 and result.shape == (20, 30)
    np.testing.assert_array_equal(result, loop_reference(sequences, 30))


def test_vectorize_counts_a_repeated_word_once_and_keeps_empty_rows():
    result = vectorize_sequences([[2, 2, 2], []], dimension=3, dtype="uint8")
    assert result.dtype == np.uint8
    np.testing.assert_array_equal(result, [[0, 0, 1], [0, 0, 0]])


def test_vectorize_accepts_an_object_array_as_keras_returns():
    sequences = np.empty(2, dtype=object)
    sequences[0], sequences[1] = [0, 1], [3]
    np.testing.assert_array_equal(
        vectorize_sequences(sequences, dimension=4), [[1, 1, 0, 0], [0, 0, 0, 1]]
    )


@pytest.mark.parametrize(
    ("sequences", "message"),
    [
        ([[1], [0, 5]], r"sequence 1 holds word index 5, outside 0 \.\. 4 "
                        r"for dimension=5"),
        ([[], [], [-1]], r"sequence 2 holds word index -1"),
    ],
)
def test_vectorize_names_the_bad_index_and_the_dimension(sequences, message):
    with pytest.raises(ValueError, match=message):
        vectorize_sequences(sequences, dimension=5)


def test_vectorize_checks_the_dimension():
    with pytest.raises(ValueError, match="dimension == 0, must be >= 1"):
        vectorize_sequences([[0]], dimension=0)
    with pytest.raises(TypeError,
                       match="dimension must be an instance of int, not float"):
        vectorize_sequences([[0]], dimension=10.0)
    with pytest.raises(TypeError, match="dimension must be an integer, not bool"):
        to_one_hot([0], dimension=True)


def test_one_hot_agrees_with_keras():
    import keras

    labels = np.array([3, 0, 2, 2, 1])
    np.testing.assert_array_equal(
        to_one_hot(labels), keras.utils.to_categorical(labels)
    )
    assert to_one_hot(labels, dimension=6).shape == (5, 6)


@pytest.mark.parametrize(
    ("labels", "dimension", "message"),
    [
        ([0, 3], 3, r"label 3 at position 1 is outside 0 \.\. 2"),
        ([-1], None, "label -1 at position 0"),
        ([0.5, 1.0], None, "1-D array of integers"),
        ([[0, 1]], None, r"shape \(1, 2\)"),
    ],
)
def test_one_hot_checks_its_input(labels, dimension, message):
    with pytest.raises(ValueError, match=message):
        to_one_hot(labels, dimension=dimension)


def test_decode_subtracts_the_offset_and_marks_reserved_indices():
    word_index = {"good": 1, "movie": 2}
    assert decode_sequence([1, 4, 5, 0, 2, 99], word_index) == "? good movie ? ? ?"
    assert decode_sequence([1, 2], word_index, offset=0, unknown="_") == "good movie"


def test_decode_checks_its_input():
    with pytest.raises(TypeError, match="word_index must be a mapping"):
        decode_sequence([1], [("good", 1)])
    with pytest.raises(ValueError, match="offset == -1, must be >= 0"):
        decode_sequence([1], {}, offset=-1)
    with pytest.raises(TypeError, match="offset must be an instance of int, not float"):
        decode_sequence([1], {}, offset=3.0)
