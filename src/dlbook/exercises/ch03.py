"""Exercises of chapter 3, *Getting started with neural networks*.

In page order: the last layer and loss of a multilabel problem (question),
multi-hot encoding (coded), the parameter count of the IMDB network
(predict), one-hot encoding (coded), softmax against sigmoids (question),
the folds of K-fold validation (coded), the final Boston model's
normalization (question) and an IMDB classifier that beats the notes'
test accuracy (go-further).

The checkers call the reader's functions on small arrays made here, so each
runs in a fraction of a second.
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
    "EXERCISES", "check_k_fold_indices", "check_multi_hot", "check_one_hot",
    "check_parameter_count",
]

#: Word-index sequences of the multi-hot checker: repeated indices, an
#: empty sequence, the first and the last column.
_SEQUENCES = ([3, 1, 3, 7], [], [0, 9, 9, 9], [5], [2, 4, 6, 8, 1])
_DIMENSION = 10


def _reference_multi_hot(sequences, dimension):
    result = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        result[i, list(sequence)] = 1
    return result


def check_multi_hot(function) -> None:
    """Check ``function(sequences, dimension)``, a multi-hot encoder.

    Row ``i`` of its result must hold a 1 in column ``j`` when index ``j``
    occurs in ``sequences[i]`` (once or more often) and 0 elsewhere, in an
    array of floats or integers of shape ``(len(sequences), dimension)``.

    Raises
    ------
    Incorrect
        When the shape, the dtype or a value is wrong; the message says
        which, and for which input.

    Examples
    --------
    >>> def multi_hot(sequences, dimension):
    ...     result = np.zeros((len(sequences), dimension))
    ...     for i, sequence in enumerate(sequences):
    ...         result[i, sequence] = 1
    ...     return result
    >>> check_multi_hot(multi_hot)
    >>> check_multi_hot(lambda s, d: multi_hot(s, d).T)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: multi_hot(sequences, 10) on 5 \
sequences has shape (10, 5); expected (5, 10).
    """
    sequences = [list(s) for s in _SEQUENCES]
    got = call(function, sequences, _DIMENSION)
    name = f"multi_hot(sequences, {_DIMENSION}) on {len(sequences)} sequences"
    got = expect_array(got, name, shape=(len(sequences), _DIMENSION),
                       dtype_kind="fiub")
    require(np.isin(got, (0, 1)).all(),
            f"{name} holds values other than 0 and 1: a multi-hot vector "
            "says whether a word occurs, not how often.")
    expected = _reference_multi_hot(_SEQUENCES, _DIMENSION)
    expect_close(got.astype(float), expected, name)
    # The same function, another dimension: it must not be hard-coded.
    got = call(function, [[0, 2], [11]], 12)
    expect_close(expect_array(got, "multi_hot([[0, 2], [11]], 12)",
                              shape=(2, 12)).astype(float),
                 _reference_multi_hot([[0, 2], [11]], 12),
                 "multi_hot([[0, 2], [11]], 12)")
    require(sequences == [list(s) for s in _SEQUENCES],
            "multi_hot changed the sequences it was given.")


def _counts(sequences, dimension):
    result = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        for j in sequence:
            result[i, j] += 1
    return result


def _shifted(sequences, dimension):
    result = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        for j in sequence:
            result[i, j - 1] = 1  # as if the indices counted from 1
    return result


def _reference_parameter_count() -> int:
    # Dense(16) on 10,000 inputs, Dense(16), Dense(1): weights and biases.
    return (10000 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1


def check_parameter_count(answer) -> None:
    """Check a prediction of the IMDB 16-16 network's number of weights.

    Raises
    ------
    Incorrect
        When the answer is not a whole number, or not the count.

    Examples
    --------
    >>> check_parameter_count(160_305)
    >>> check_parameter_count(160_272)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: 160,272 is not the number of weights...
    """
    whole = (isinstance(answer, (int, float, np.integer, np.floating))
             and not isinstance(answer, bool) and float(answer).is_integer())
    require(whole, f"give the number of weights as a whole number, got "
                   f"{describe(answer)}.")
    if int(answer) == _reference_parameter_count():
        return
    require(False, f"{int(answer):,} is not the number of weights of "
                   "Dense(16) -> Dense(16) -> Dense(1) on 10,000 inputs: count, "
                   "layer by layer, the kernel's entries (inputs × units) and "
                   "the biases (one per unit).")


def check_one_hot(function) -> None:
    """Check ``function(labels, dimension)``, a one-hot encoder.

    Its result must have shape ``(len(labels), dimension)``, with a single
    1 per row, in column ``labels[i]``, even when the largest class does not
    occur among the labels.

    Raises
    ------
    Incorrect
        When the shape, the dtype or a value is wrong.

    Examples
    --------
    >>> check_one_hot(lambda labels, dimension: np.eye(dimension)[labels])
    >>> check_one_hot(lambda labels, dimension: np.eye(dimension)[labels].T)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: one_hot(labels, 6) on 5 labels has \
shape (6, 5); expected (5, 6).
    """
    for labels, dimension in (([3, 0, 4, 0, 1], 6), ([45, 0, 12], 46),
                              ([2], 3)):
        name = f"one_hot(labels, {dimension}) on {len(labels)} labels"
        got = call(function, np.array(labels), dimension)
        got = expect_array(got, name, shape=(len(labels), dimension),
                           dtype_kind="fiub")
        expected = np.eye(dimension)[labels]
        expect_close(got.astype(float), expected, name)


def _k_fold_reference_sizes(n, k):
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def check_k_fold_indices(function) -> None:
    """Check ``function(n, k)``, which splits ``n`` samples into ``k`` folds.

    It must return ``k`` pairs ``(train_indices, val_indices)``, in order:
    without shuffling, the validation parts are consecutive blocks of
    samples, fold 0 first, whose sizes differ by one at most (when ``k``
    does not divide ``n``), and that together hold every sample once; each
    training part holds every other sample.

    Raises
    ------
    Incorrect
        When a fold is missing, overlaps another, leaks into its training
        part or leaves samples out; the message names ``n``, ``k`` and the
        fold.

    Examples
    --------
    >>> from sklearn.model_selection import KFold
    >>> check_k_fold_indices(lambda n, k: list(KFold(k).split(np.zeros(n))))
    >>> check_k_fold_indices(lambda n, k: list(KFold(k).split(np.zeros(n)))[1:])
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: k_fold_indices(10, 3) gives 2 folds; \
expected 3.
    """
    for n, k in ((10, 3), (12, 4), (7, 7), (404, 4), (9, 2)):
        name = f"k_fold_indices({n}, {k})"
        folds = call(function, n, k)
        try:
            folds = list(folds)
        except TypeError:
            require(False, f"{name} should return a list of k pairs "
                           f"(train_indices, val_indices), got {describe(folds)}.")
        require(len(folds) == k, f"{name} gives {len(folds)} folds; expected {k}.")
        start = 0
        seen = np.zeros(n, dtype=int)
        for i, fold in enumerate(folds):
            require(isinstance(fold, (tuple, list)) and len(fold) == 2,
                    f"fold {i} of {name} is not a pair (train_indices, "
                    f"val_indices): {describe(fold)}.")
            train = expect_array(fold[0], f"the training indices of fold {i} "
                                 f"of {name}", dtype_kind="iu")
            val = expect_array(fold[1], f"the validation indices of fold {i} "
                               f"of {name}", dtype_kind="iu")
            require(train.ndim == 1 and val.ndim == 1,
                    f"the indices of fold {i} of {name} must be 1-D arrays.")
            require(val.size > 0, f"fold {i} of {name} has no validation sample.")
            require(val.min() >= 0 and val.max() < n
                    and (train.size == 0 or (train.min() >= 0 and train.max() < n)),
                    f"fold {i} of {name} holds an index outside 0 .. {n - 1}.")
            require(len(np.unique(val)) == val.size,
                    f"the validation part of fold {i} of {name} repeats a sample.")
            require(not np.isin(val, train).any(),
                    f"in fold {i} of {name}, some validation samples are also "
                    "in the training part: the score would be measured on "
                    "training data.")
            others = np.setdiff1d(np.arange(n), val)
            require(np.array_equal(np.sort(train), others),
                    f"the training part of fold {i} of {name} leaves out "
                    "samples that are not in its validation part (or repeats "
                    "some): it should hold all the others.")
            require(np.array_equal(val, np.arange(start, start + val.size)),
                    f"the validation part of fold {i} of {name} is not the "
                    "block of consecutive samples that follows the previous "
                    "fold's (in order, without shuffling).")
            seen[val] += 1
            start += val.size
        require(seen.min() == 1,
                f"the validation parts of {name} leave out {int((seen == 0).sum())} "
                "sample(s): every sample must be validated on once.")
        sizes = sorted(len(np.asarray(f[1])) for f in folds)
        require(sizes == sorted(_k_fold_reference_sizes(n, k)),
                f"the validation parts of {name} have sizes that differ by "
                "more than one.")


def _chollet_folds(n, k):
    # The notes' loop: n // k samples per fold; the rest never validated.
    size = n // k
    return [(np.concatenate([np.arange(0, i * size),
                             np.arange((i + 1) * size, n)]),
             np.arange(i * size, (i + 1) * size)) for i in range(k)]


def _leaky_folds(n, k):
    bounds = np.linspace(0, n, k + 1).astype(int)
    return [(np.arange(n), np.arange(bounds[i], bounds[i + 1]))
            for i in range(k)]


def _shuffled_folds(n, k):
    order = np.random.default_rng(0).permutation(n)
    return [(np.sort(np.concatenate([order[j::k] for j in range(k) if j != i])),
             order[i::k]) for i in range(k)]


EXERCISES = (
    Exercise(
        "ch03-multilabel-loss", "question", "Several topics per newswire",
        hints=(
            "Is each topic's probability independent of the others, or must "
            "they sum to 1?",
            "Look at the row 'multiclass, multilabel classification' of the "
            "table of last layers and losses.",
        ),
    ),
    Exercise(
        "ch03-multi-hot", "coded", "Multi-hot encoding",
        checker=check_multi_hot,
        hints=(
            "Start from np.zeros((len(sequences), dimension)) and set entries "
            "to 1.",
            "result[i, sequence] = 1 sets every column listed in sequence at "
            "once; a repeated index sets the same entry twice, which is fine.",
        ),
        mistakes=(
            Mistake("word counts instead of presence", _counts),
            Mistake("indices shifted by one, as if counted from 1", _shifted),
            Mistake("the result transposed",
                    lambda s, d: _reference_multi_hot(s, d).T),
        ),
    ),
    Exercise(
        "ch03-parameter-count", "predict", "Weights of the IMDB network",
        checker=check_parameter_count,
        hints=(
            "A Dense layer with n inputs and u units has n × u kernel entries "
            "and u biases.",
            "Add three layers: 10,000 → 16, 16 → 16 and 16 → 1.",
        ),
        mistakes=(
            Mistake("the biases forgotten", 10000 * 16 + 16 * 16 + 16),
            Mistake("the output layer forgotten", 10001 * 16 + 17 * 16),
            Mistake("one bias per layer instead of one per unit",
                    10000 * 16 + 16 * 16 + 16 + 3),
        ),
    ),
    Exercise(
        "ch03-one-hot", "coded", "One-hot encoding",
        checker=check_one_hot,
        hints=(
            "Row i of the result is all zeros except in column labels[i].",
            "np.zeros((len(labels), dimension)), then one fancy-indexed "
            "assignment: result[np.arange(len(labels)), labels] = 1.",
        ),
        mistakes=(
            Mistake("the number of classes taken from the largest label",
                    lambda labels, d: np.eye(int(np.max(labels)) + 1)[labels]),
            Mistake("labels read as counted from 1",
                    lambda labels, d: np.eye(d)[np.asarray(labels) - 1]),
            Mistake("the result transposed",
                    lambda labels, d: np.eye(d)[labels].T),
        ),
    ),
    Exercise(
        "ch03-softmax-or-sigmoids", "question", "Softmax or 46 sigmoids?",
        hints=(
            "What do the 46 outputs of a softmax add up to? And those of 46 "
            "sigmoids?",
        ),
    ),
    Exercise(
        "ch03-k-fold-indices", "coded", "The folds of K-fold validation",
        checker=check_k_fold_indices,
        hints=(
            "With n = 10 and k = 3, the validation parts are samples 0-3, "
            "4-6 and 7-9: the first n % k folds get one more sample.",
            "Compute the fold boundaries first, for example as the running "
            "sum of the sizes; the training part is np.concatenate of the "
            "indices before and after the validation block.",
            "sklearn.model_selection.KFold(n_splits=k).split(np.zeros(n)) "
            "gives the same folds; write it yourself first.",
        ),
        mistakes=(
            Mistake("the notes' loop, n // k per fold, the rest never "
                    "validated", _chollet_folds),
            Mistake("the validation fold left in the training part",
                    _leaky_folds),
            Mistake("the samples shuffled before splitting", _shuffled_folds),
        ),
    ),
    Exercise(
        "ch03-final-normalization", "question",
        "Normalizing the final Boston model",
        hints=(
            "Which data plays the part of unseen data for the final model?",
            "A leak means statistics of the data a score is measured on "
            "went into the model or its preprocessing.",
        ),
    ),
    Exercise(
        "ch03-go-further-imdb", "go-further", "Beat 0.885 on IMDB",
        hints=(
            "Word order is lost in a multi-hot vector: 'not good' and 'good' "
            "look alike. Pairs of consecutive words, bigrams, keep some of it.",
            "Keep the bigrams that occur in the most training reviews, and "
            "choose the number of epochs on a validation split.",
        ),
        result_key="ch3-go-further-imdb",
    ),
)
