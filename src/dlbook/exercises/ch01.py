"""Chapter 1's exercises: rules and data, accuracy, splits, a first count.

Chapter 1 is mostly history and concepts, so its coded exercises are small:
a hand-written rule for the rings of "Learning representations", the
accuracy of a softmax output, and a train/test split. The predict exercise
counts the weights of chapter 1's layered network; the go-further trains a
logistic regression (one ``Dense`` softmax layer) on Fashion-MNIST.
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
    "EXERCISES", "check_accuracy", "check_parameter_count", "check_ring_rule",
    "check_split",
]


# ----------------------------------------------------------------- rings

def _fresh_rings():
    """200 ring points, drawn like the chapter's but with another seed."""
    from sklearn.datasets import make_circles

    return make_circles(n_samples=200, factor=0.5, noise=0.08, random_state=1)


def check_ring_rule(rule) -> None:
    """Check a hand-written rule that labels the inner ring 1, the outer 0.

    The rule is called on 200 fresh points drawn like the chapter's rings
    (another seed) and must label at least 95% of them correctly.

    Examples
    --------
    >>> check_ring_rule(lambda xy: (np.hypot(xy[:, 0], xy[:, 1]) < 0.75) * 1)
    >>> check_ring_rule(lambda xy: np.ones(len(xy)))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: your rule gives every point the same \
label; the two rings need different labels.
    """
    points, rings = _fresh_rings()
    labels = expect_array(call(rule, points), "your rule's output",
                          shape=(len(points),))
    require(labels.dtype.kind in "biuf" and np.isin(labels, (0, 1)).all(),
            "your rule must give each point the label 0 or 1 (or False/True).")
    labels = labels.astype(int)
    require(len(np.unique(labels)) == 2,
            "your rule gives every point the same label; the two rings need "
            "different labels.")
    accuracy = float(np.mean(labels == rings))
    require(accuracy > 0.05,
            "your rule gives nearly every point the other ring's label: "
            "which label does the inner ring have?")
    require(accuracy >= 0.95,
            f"your rule labels {accuracy:.0%} of 200 fresh ring points "
            "correctly; a good rule gets at least 95%.")


def _rule_on_x_only(xy):
    return (np.abs(np.asarray(xy)[:, 0]) < 0.75).astype(int)


def _rule_swapped(xy):
    xy = np.asarray(xy)
    return (np.hypot(xy[:, 0], xy[:, 1]) > 0.75).astype(int)


def _rule_threshold_too_small(xy):
    xy = np.asarray(xy)
    return (np.hypot(xy[:, 0], xy[:, 1]) < 0.5).astype(int)


# -------------------------------------------------------------- counting

#: build_layered_network(first_units=128, second_units=32, num_classes=10)
#: on 28 x 28 images: 785 * 128 + 129 * 32 + 33 * 10.
_LAYERED_128_32 = 785 * 128 + 129 * 32 + 33 * 10


def check_parameter_count(prediction) -> None:
    """Check a prediction of the weights of a 128-32-10 layered network.

    Examples
    --------
    >>> check_parameter_count(784 * 128 + 128 * 32 + 32 * 10)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: that is the count of the weight \
matrices alone: each Dense layer also has one bias per unit.
    """
    require(isinstance(prediction, (int, np.integer))
            and not isinstance(prediction, bool),
            f"give the number of weights as an integer, not "
            f"{describe(prediction)}.")
    prediction = int(prediction)
    if prediction == 784 * 128 + 128 * 32 + 32 * 10:
        require(False, "that is the count of the weight matrices alone: each "
                "Dense layer also has one bias per unit.")
    if prediction == 785 * 128 + 129 * 32:
        require(False, "that leaves out the output layer, which has weights "
                "too.")
    require(prediction <= _LAYERED_128_32,
            "too many: Flatten has no weights, and each Dense layer has one "
            "weight per (input, unit) pair plus one bias per unit.")
    require(prediction >= _LAYERED_128_32,
            "too few: count every Dense layer, each with one weight per "
            "(input, unit) pair plus one bias per unit.")


# -------------------------------------------------------------- accuracy

def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _scalar(value, name):
    array = expect_array(value, name)
    require(array.size == 1,
            f"{name} returned {describe(array)}; expected one number.")
    require(array.dtype.kind in "biuf",
            f"{name} returned {describe(array)}; expected a number.")
    return array.reshape(())


def check_accuracy(accuracy) -> None:
    """Check ``accuracy(probabilities, labels)``: the fraction of right answers.

    ``probabilities`` has one row per sample and one column per class (a
    softmax output), ``labels`` holds the true classes as integers; the
    predicted class is each row's most probable one.

    Examples
    --------
    >>> check_accuracy(lambda p, y: np.mean(np.argmax(p, axis=1) == y))
    >>> check_accuracy(lambda p, y: np.sum(np.argmax(p, axis=1) == y))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: accuracy(probabilities, labels) is \
wrong: it gives 5.
    """
    rng = np.random.default_rng(7)
    probabilities = _softmax(rng.normal(size=(8, 4)))
    predicted = probabilities.argmax(axis=1)
    labels = predicted.copy()
    labels[[1, 4, 6]] = (labels[[1, 4, 6]] + 1) % 4  # 5 of 8 right
    name = "accuracy(probabilities, labels)"
    got = _scalar(call(accuracy, probabilities, labels), name)
    expect_close(got, np.mean(predicted == labels), name)
    got = _scalar(call(accuracy, probabilities, predicted), name)
    expect_close(got, 1.0, name + " with every answer right")
    on_lists = call(accuracy, probabilities.tolist(), labels.tolist())
    expect_close(_scalar(on_lists, name + " on lists"),
                 np.mean(predicted == labels), name + " on lists")


def _accuracy_count(probabilities, labels):
    return np.sum(np.argmax(probabilities, axis=1) == labels)


def _accuracy_wrong_axis(probabilities, labels):
    return np.mean(np.argmax(probabilities, axis=0) == labels)


def _error_rate(probabilities, labels):
    return np.mean(np.argmax(probabilities, axis=1) != labels)


# ----------------------------------------------------------------- split

def check_split(split) -> None:
    """Check ``split(x, y, test_fraction, seed)``, a shuffled train/test split.

    It returns ``(x_train, x_test, y_train, y_test)``, in the order of
    scikit-learn's ``train_test_split``: the test part holds
    ``test_fraction`` of the samples, each sample is in exactly one part
    with its own label, the samples are shuffled, and the same seed gives
    the same split.

    Examples
    --------
    >>> def good(x, y, test_fraction, seed):
    ...     order = np.random.default_rng(seed).permutation(len(x))
    ...     n_test = int(round(test_fraction * len(x)))
    ...     test, train = order[:n_test], order[n_test:]
    ...     return x[train], x[test], y[train], y[test]
    >>> check_split(good)
    >>> check_split(lambda x, y, f, seed: (x, x, y, y))
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: the test part holds 40 samples; \
test_fraction=0.25 of 40 asks for another number.
    """
    n = 40
    ids = np.arange(n)
    x = np.column_stack([ids, 1000 + ids]).astype("float64")
    y = ids // 10  # four classes, sorted: 10 samples each
    x_copy, y_copy = x.copy(), y.copy()
    parts = call(split, x, y, 0.25, 0)
    require(isinstance(parts, (tuple, list)) and len(parts) == 4,
            f"split must return four arrays (x_train, x_test, y_train, "
            f"y_test); got {describe(parts)}.")
    require(np.array_equal(x, x_copy) and np.array_equal(y, y_copy),
            "split changed its inputs x or y in place; leave them as they are.")
    names = ("x_train", "x_test", "y_train", "y_test")
    x_train, x_test, y_train, y_test = (
        expect_array(p, name) for p, name in zip(parts, names, strict=True))
    require(len(x_test) == n // 4,
            f"the test part holds {len(x_test)} samples; test_fraction=0.25 "
            f"of {n} asks for another number.")
    for name, array, rows in (("x_train", x_train, n - n // 4),
                              ("x_test", x_test, n // 4)):
        require(array.shape == (rows, 2),
                f"{name} has shape {array.shape}; expected {(rows, 2)}.")
    require(y_train.shape == (len(x_train),) and y_test.shape == (len(x_test),),
            f"y_train and y_test have shapes {y_train.shape} and "
            f"{y_test.shape}; they must match x_train's and x_test's rows.")
    train_ids, test_ids = x_train[:, 0].astype(int), x_test[:, 0].astype(int)
    require(not set(train_ids) & set(test_ids),
            "some samples are in both parts: a test sample must never be "
            "trained on.")
    require(sorted(np.concatenate([train_ids, test_ids])) == list(ids),
            "the two parts together must hold every sample once.")
    require(np.array_equal(y_train, y[train_ids])
            and np.array_equal(y_test, y[test_ids]),
            "some samples lost their own label: shuffle x and y with one "
            "and the same order.")
    require(len(np.unique(y_test)) > 1,
            "on data sorted by class your test part holds only one class: "
            "shuffle the samples before splitting.")
    again = call(split, x, y, 0.25, 0)
    require(np.array_equal(np.asarray(again[1]), x_test),
            "the same seed gave two different splits: draw the order from a "
            "generator seeded with seed.")
    other = call(split, x, y, 0.25, 1)
    require(not np.array_equal(np.asarray(other[1]), x_test),
            "seeds 0 and 1 gave the same split: use the seed to shuffle.")


def _split_unshuffled(x, y, test_fraction, seed):
    n_test = int(round(test_fraction * len(x)))
    return x[:-n_test], x[-n_test:], y[:-n_test], y[-n_test:]


def _split_two_orders(x, y, test_fraction, seed):
    rng = np.random.default_rng(seed)
    x, y = x[rng.permutation(len(x))], y[rng.permutation(len(y))]
    n_test = int(round(test_fraction * len(x)))
    return x[n_test:], x[:n_test], y[n_test:], y[:n_test]


def _split_fraction_swapped(x, y, test_fraction, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    n_train = int(round(test_fraction * len(x)))
    train, test = order[:n_train], order[n_train:]
    return x[train], x[test], y[train], y[test]


EXERCISES = (
    Exercise(
        "ch01-rules-or-data", "question", "Rules or data?",
        hints=("Ask whether you could write the rules down yourself, "
               "completely, before seeing any example.",),
    ),
    Exercise(
        "ch01-ring-rule", "coded", "A rule for the rings",
        checker=check_ring_rule,
        hints=(
            "The section changed the representation before classifying: "
            "which coordinate tells the rings apart?",
            "Compute each point's distance to the centre, "
            "np.hypot(xy[:, 0], xy[:, 1]).",
            "The inner ring has radius about 0.5 and label 1, the outer "
            "about 1 and label 0: cut halfway.",
        ),
        mistakes=(
            Mistake("a threshold on x alone", _rule_on_x_only),
            Mistake("the two labels swapped", _rule_swapped),
            Mistake("the cut at the inner ring's radius, not between the "
                    "rings", _rule_threshold_too_small),
        ),
    ),
    Exercise(
        "ch01-count-weights", "predict", "How many weights?",
        checker=check_parameter_count,
        hints=(
            "A Dense layer with n inputs and u units holds an n × u matrix "
            "and a bias vector of u entries.",
            "The first layer's inputs are the 28 × 28 = 784 pixels; each "
            "next layer's inputs are the previous layer's units.",
        ),
        mistakes=(
            Mistake("the biases forgotten", 784 * 128 + 128 * 32 + 32 * 10),
            Mistake("the output layer forgotten", 785 * 128 + 129 * 32),
            Mistake("a bias per input instead of per unit",
                    784 * 128 + 128 * 32 + 32 * 10 + 784 + 128 + 32),
        ),
    ),
    Exercise(
        "ch01-accuracy", "coded", "Accuracy from probabilities",
        checker=check_accuracy,
        hints=(
            "The predicted class of a row is the position of its largest "
            "probability.",
            "np.argmax(probabilities, axis=1) gives one class per row; "
            "compare it with labels.",
            "The mean of a boolean array is the fraction of True entries.",
        ),
        mistakes=(
            Mistake("the number of right answers, not their fraction",
                    _accuracy_count),
            Mistake("argmax along the samples axis", _accuracy_wrong_axis),
            Mistake("the error rate", _error_rate),
        ),
    ),
    Exercise(
        "ch01-train-test-split", "coded", "A train/test split",
        checker=check_split,
        hints=(
            "Draw one random order of the sample indices, then cut it in "
            "two.",
            "rng = np.random.default_rng(seed); order = "
            "rng.permutation(len(x)); index x and y with the same order.",
            "The first round(test_fraction * len(x)) indices of the order "
            "go to the test part, the rest to training.",
        ),
        mistakes=(
            Mistake("no shuffle: the last samples as test set",
                    _split_unshuffled),
            Mistake("x and y shuffled in two different orders",
                    _split_two_orders),
            Mistake("test_fraction used as the training fraction",
                    _split_fraction_swapped),
        ),
    ),
    Exercise(
        "ch01-hand-features", "question", "Features by hand",
        hints=("Think of what the polar coordinates were for the rings, and "
               "who chose them.",),
    ),
    Exercise(
        "ch01-why-now", "question", "Why not in 1995?",
        hints=("The chapter names three forces: hardware, data and "
               "algorithms. Which of them existed in 1995?",),
    ),
    Exercise(
        "ch01-logistic-fashion", "go-further",
        "A logistic regression on Fashion-MNIST",
        hints=(
            "A logistic regression over ten classes is one Dense layer of "
            "ten softmax units on the flattened pixels.",
            "Set aside the last 10,000 training images to choose the "
            "learning rate and the number of epochs; then retrain on all "
            "60,000 and evaluate on the test set once.",
        ),
        result_key="ch1-go-further-logistic",
    ),
)
