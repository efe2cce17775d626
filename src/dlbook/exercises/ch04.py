"""Exercises of chapter 4, *Fundamentals of machine learning*.

In page order: which branch of machine learning (question), a validation
split that respects the arrow of time (coded), normalization with the
training statistics only (coded), tuning on the validation set two hundred
times (question), the L2 penalty that Keras adds to the loss (predict),
inverted dropout in NumPy (coded), dropout at inference (question) and a
Boston housing regressor that beats the notes' test MAE (go-further).

The checkers call the reader's functions on small arrays made here, with
fixed seeds, so each runs in a fraction of a second.
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
    "EXERCISES", "L2_FACTOR", "L2_KERNEL", "check_inverted_dropout",
    "check_l2_penalty", "check_normalize", "check_time_split",
]


# --- A validation split that respects the arrow of time ------------------------

def _timestamps(n: int, seed: int) -> np.ndarray:
    """``n`` distinct days in random order: the samples are not sorted."""
    return np.random.default_rng(seed).permutation(n) * 7 + 20_000


def _validation_sizes(n: int, fraction: float) -> set[int]:
    # Rounding down or to the nearest sample are both fair readings.
    return {int(n * fraction), int(round(n * fraction))} - {0}


def check_time_split(function) -> None:
    """Check ``function(timestamps, val_fraction)``, a split in time.

    It must return ``(train_indices, val_indices)``: the validation part is
    the ``val_fraction`` of the samples with the *latest* timestamps (its
    size ``n * val_fraction``, rounded down or to the nearest integer), the
    training part all the others, every sample in exactly one part. The
    timestamps are not sorted.

    Raises
    ------
    Incorrect
        When a part is missing samples, overlaps the other, or a validation
        sample is older than a training sample.

    Examples
    --------
    >>> def time_split(timestamps, val_fraction):
    ...     order = np.argsort(timestamps)
    ...     n_train = len(order) - int(len(order) * val_fraction)
    ...     return order[:n_train], order[n_train:]
    >>> check_time_split(time_split)
    >>> check_time_split(lambda t, f: time_split(t, f)[::-1])
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: time_split(timestamps, 0.2) on 50 \
samples gives a validation part of 40 samples; expected 10.
    """
    for n, fraction, seed in ((50, 0.2, 0), (37, 0.25, 1), (10, 0.5, 2)):
        timestamps = _timestamps(n, seed)
        given = timestamps.copy()
        name = f"time_split(timestamps, {fraction}) on {n} samples"
        parts = call(function, given, fraction)
        require(isinstance(parts, (tuple, list)) and len(parts) == 2,
                f"{name} should return a pair (train_indices, val_indices), "
                f"got {describe(parts)}.")
        train = expect_array(parts[0], f"the training indices of {name}",
                             dtype_kind="iu")
        val = expect_array(parts[1], f"the validation indices of {name}",
                           dtype_kind="iu")
        require(train.ndim == 1 and val.ndim == 1,
                f"the indices of {name} must be 1-D arrays.")
        require(np.array_equal(given, timestamps),
                f"{name} changed the timestamps it was given.")
        sizes = _validation_sizes(n, fraction)
        require(val.size in sizes,
                f"{name} gives a validation part of {val.size} samples; "
                f"expected {min(sizes)}.")
        both = np.concatenate([train, val])
        require(both.min() >= 0 and both.max() < n,
                f"{name} gives an index outside 0 .. {n - 1}.")
        require(np.array_equal(np.sort(both), np.arange(n)),
                f"the two parts of {name} should hold every sample exactly "
                "once: some are missing, repeated, or in both parts.")
        require(timestamps[val].min() > timestamps[train].max(),
                f"in {name}, some validation samples are older than some "
                "training samples: the model would be validated on the past "
                "after training on the future.")


def _shuffled_split(timestamps, fraction):
    order = np.random.default_rng(0).permutation(len(timestamps))
    n_val = int(len(order) * fraction)
    return order[n_val:], order[:n_val]


def _oldest_as_validation(timestamps, fraction):
    order = np.argsort(timestamps)
    n_val = int(len(order) * fraction)
    return order[n_val:], order[:n_val]


def _positional_split(timestamps, fraction):
    # As if the samples were already in time order.
    n_train = len(timestamps) - int(len(timestamps) * fraction)
    return np.arange(n_train), np.arange(n_train, len(timestamps))


# --- Normalization with the training statistics --------------------------------

def _normalization_data():
    rng = np.random.default_rng(4)
    scale = np.array([1.0, 10.0, 100.0, 0.1])
    train = rng.normal(5.0, 1.0, size=(40, 4)) * scale
    test = rng.normal(6.0, 2.0, size=(9, 4)) * scale  # not like the training data
    return train, test


def _reference_normalize(train, test):
    mean, std = train.mean(axis=0), train.std(axis=0)
    return (train - mean) / std, (test - mean) / std


def check_normalize(function) -> None:
    """Check ``function(train, test)``, feature-wise normalization.

    It must return ``(train_normalized, test_normalized)``: each feature
    (column) minus the *training* data's mean, divided by the training
    data's standard deviation (NumPy's ``std``, as scikit-learn's
    ``StandardScaler``), for both arrays; the inputs are left unchanged.

    Raises
    ------
    Incorrect
        When a shape or a value is wrong; the message says which array.

    Examples
    --------
    >>> check_normalize(_reference_normalize)
    >>> check_normalize(lambda tr, te: (_reference_normalize(tr, te)[0],
    ...                                 _reference_normalize(te, te)[0]))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: the normalized test data is wrong at \
index (0, 0): it gives ...
    """
    train, test = _normalization_data()
    given_train, given_test = train.copy(), test.copy()
    parts = call(function, given_train, given_test)
    require(isinstance(parts, (tuple, list)) and len(parts) == 2,
            "normalize(train, test) should return a pair (train_normalized, "
            f"test_normalized), got {describe(parts)}.")
    require(np.array_equal(given_train, train) and np.array_equal(given_test, test),
            "normalize(train, test) changed the arrays it was given: return "
            "new arrays instead.")
    expected_train, expected_test = _reference_normalize(train, test)
    got_train = expect_array(parts[0], "the normalized training data",
                             shape=train.shape, dtype_kind="f")
    got_test = expect_array(parts[1], "the normalized test data",
                            shape=test.shape, dtype_kind="f")
    expect_close(got_train, expected_train, "the normalized training data",
                 rtol=1e-4, atol=1e-4)
    expect_close(got_test, expected_test, "the normalized test data",
                 rtol=1e-4, atol=1e-4)


def _statistics_of_both(train, test):
    both = np.concatenate([train, test])
    mean, std = both.mean(axis=0), both.std(axis=0)
    return (train - mean) / std, (test - mean) / std


def _per_sample(train, test):
    def scale(x):
        return (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)

    return scale(train), scale(test)


# --- The L2 penalty ------------------------------------------------------------

#: The kernel of the predict exercise's ``Dense(2)`` layer on two inputs.
L2_KERNEL = ((1.0, 2.0), (3.0, 4.0))
#: Its L2 factor, as in ``regularizers.l2(0.001)``.
L2_FACTOR = 0.001


def _reference_l2_penalty() -> float:
    return L2_FACTOR * float(np.sum(np.square(L2_KERNEL)))


def check_l2_penalty(answer) -> None:
    """Check a prediction of the penalty that ``regularizers.l2`` adds.

    Raises
    ------
    Incorrect
        When the answer is not a number, or not the penalty.

    Examples
    --------
    >>> check_l2_penalty(0.03)
    >>> check_l2_penalty(0.015)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: 0.015 is not the penalty that ...
    """
    number = (isinstance(answer, (int, float, np.integer, np.floating))
              and not isinstance(answer, bool))
    require(number, f"give the penalty as a number, got {describe(answer)}.")
    if np.isclose(float(answer), _reference_l2_penalty(), rtol=1e-6, atol=0):
        return
    require(False, f"{float(answer):g} is not the penalty that "
                   f"regularizers.l2({L2_FACTOR}) adds to the loss for this "
                   "kernel: look at what it squares, what it adds up, and "
                   "what it multiplies by the factor.")


# --- Inverted dropout ----------------------------------------------------------

def check_inverted_dropout(function) -> None:
    """Check ``function(x, rate, seed)``, inverted dropout in NumPy.

    In training, dropout sets each entry of ``x`` to 0 with probability
    ``rate`` and divides the entries it keeps by ``1 - rate``, so that the
    expected value of each entry is unchanged. The result has ``x``'s
    shape; the same ``seed`` gives the same result, and ``x`` is left
    unchanged.

    Raises
    ------
    Incorrect
        When the shape is wrong, the kept entries are not scaled by
        ``1 / (1 - rate)``, or the share of zeros is far from ``rate``.

    Examples
    --------
    >>> def dropout(x, rate, seed):
    ...     keep = np.random.default_rng(seed).random(x.shape) >= rate
    ...     return x * keep / (1 - rate)
    >>> check_inverted_dropout(dropout)
    >>> check_inverted_dropout(lambda x, rate, seed: dropout(x, rate, seed)
    ...                        * (1 - rate))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: dropout(x, 0.5, seed=0) keeps entries \
that are not x / (1 - 0.5): ...
    """
    x = np.random.default_rng(7).uniform(1.0, 2.0, size=(200, 250))
    for rate in (0.5, 0.2, 0.0):
        name = f"dropout(x, {rate}, seed=0)"
        given = x.copy()
        got = expect_array(call(function, given, rate, 0), name,
                           shape=x.shape, dtype_kind="f")
        require(np.array_equal(given, x), f"{name} changed x: return a new "
                                          "array instead.")
        kept = got != 0
        scaled = x / (1 - rate)
        require(np.allclose(got[kept], scaled[kept], rtol=1e-5),
                f"{name} keeps entries that are not x / (1 - {rate}): "
                "dividing the kept entries by the share kept is what keeps "
                "each entry's expected value.")
        dropped = 1 - kept.mean()
        require(abs(dropped - rate) < 0.02,
                f"{name} sets {dropped:.0%} of the entries to 0; expected "
                f"about {rate:.0%}.")
        again = expect_array(call(function, x.copy(), rate, 0), name)
        require(np.array_equal(again, got),
                f"{name} gives another result when called again with the "
                "same seed: draw the mask from np.random.default_rng(seed).")


def _no_scaling(x, rate, seed):
    return x * (np.random.default_rng(seed).random(x.shape) >= rate)


def _rate_as_keep_probability(x, rate, seed):
    keep = np.random.default_rng(seed).random(x.shape) < rate
    return x * keep / max(rate, 1e-12)


EXERCISES = (
    Exercise(
        "ch04-which-branch", "question", "Which branch of machine learning?",
        hints=(
            "Ask, for each task, where the targets come from: people, the "
            "input data itself, or rewards from an environment. Or are there "
            "no targets at all?",
        ),
    ),
    Exercise(
        "ch04-time-split", "coded", "A validation split in time",
        checker=check_time_split,
        hints=(
            "The samples are not in time order: sort them first, with "
            "np.argsort(timestamps).",
            "The last int(n * val_fraction) indices of that order are the "
            "validation part; the rest are the training part.",
        ),
        mistakes=(
            Mistake("a shuffled split, which mixes past and future",
                    _shuffled_split),
            Mistake("the oldest samples taken for validation",
                    _oldest_as_validation),
            Mistake("the last rows taken for validation without sorting by "
                    "time", _positional_split),
        ),
    ),
    Exercise(
        "ch04-normalize", "coded", "Normalize with the training statistics",
        checker=check_normalize,
        hints=(
            "Compute the mean and the standard deviation of each column of "
            "train: axis=0.",
            "Use those same two arrays for the test data: the test data's "
            "own statistics must not enter its preprocessing.",
        ),
        mistakes=(
            Mistake("the test data normalized with its own statistics",
                    lambda tr, te: (_reference_normalize(tr, te)[0],
                                    _reference_normalize(te, te)[0])),
            Mistake("statistics of the training and test data together",
                    _statistics_of_both),
            Mistake("statistics of each sample (axis=1) instead of each "
                    "feature", _per_sample),
        ),
    ),
    Exercise(
        "ch04-tuning-leak", "question", "Two hundred rounds of tuning",
        hints=(
            "Each round, you keep what scored best on the validation set. "
            "What does the validation set then measure?",
        ),
    ),
    Exercise(
        "ch04-l2-penalty", "predict", "The L2 penalty of a layer",
        checker=check_l2_penalty,
        hints=(
            "regularizers.l2(factor) adds factor × (sum of the squares of "
            "the kernel's entries) to the loss.",
            "The bias is not regularized unless bias_regularizer says so.",
        ),
        mistakes=(
            Mistake("half the squares, as in ½λ‖w‖²",
                    0.5 * _reference_l2_penalty()),
            Mistake("the factor forgotten",
                    float(np.sum(np.square(L2_KERNEL)))),
            Mistake("the norm instead of its square",
                    L2_FACTOR * float(np.sqrt(np.sum(np.square(L2_KERNEL))))),
            Mistake("the biases counted too (two biases of 1)",
                    _reference_l2_penalty() + 2 * L2_FACTOR),
        ),
    ),
    Exercise(
        "ch04-inverted-dropout", "coded", "Inverted dropout in NumPy",
        checker=check_inverted_dropout,
        hints=(
            "A mask of the entries to keep: "
            "np.random.default_rng(seed).random(x.shape) >= rate.",
            "Multiply x by the mask, then divide by 1 - rate, the share of "
            "entries kept.",
        ),
        mistakes=(
            Mistake("the kept entries not scaled", _no_scaling),
            Mistake("the kept entries multiplied by 1 - rate instead of "
                    "divided", lambda x, rate, seed: _no_scaling(x, rate, seed)
                    * (1 - rate)),
            Mistake("rate taken as the share of entries kept",
                    _rate_as_keep_probability),
        ),
    ),
    Exercise(
        "ch04-dropout-at-inference", "question", "Dropout at inference",
        hints=(
            "What would predict() return for the same house, called twice, "
            "if dropout were active?",
            "Compare the expected value of an entry in training with its "
            "value at inference, with and without the division by 1 - rate.",
        ),
    ),
    Exercise(
        "ch04-go-further-boston", "go-further", "Beat 2.55 on Boston housing",
        hints=(
            "With 404 training houses, one network's test MAE depends a lot "
            "on its random initialization. Averaging the predictions of "
            "several networks cancels part of that noise.",
            "Choose the number of epochs on validation data (K-fold), then "
            "train several networks on all the training houses, with "
            "different seeds, and average their predictions.",
        ),
        result_key="ch4-go-further-boston",
    ),
)
