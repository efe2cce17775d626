"""K-fold cross-validation for Keras models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from dlbook.checks import check_int
from dlbook.speed import VALIDATION_BATCH_SIZE


@dataclass
class KFoldResult:
    """What :func:`k_fold_validate` measured, fold by fold.

    Attributes
    ----------
    scores : list of dict
        For each fold, ``model.evaluate`` on the fold's validation part
        after training, as ``{"loss": ..., "mae": ...}``.
    histories : list of dict
        For each fold, ``History.history``: one list of per-epoch values per
        metric, validation metrics (``val_...``) included.
    models : list of keras.Model
        For each fold, the model it trained, as training left it.
    """

    scores: list[dict[str, float]] = field(default_factory=list)
    histories: list[dict[str, list[float]]] = field(default_factory=list)
    models: list = field(default_factory=list, repr=False)

    def fold_scores(self, metric: str) -> np.ndarray:
        """One final validation score per fold, for ``metric``.

        Examples
        --------
        >>> KFoldResult(scores=[{"mae": 2.0}, {"mae": 3.0}]).fold_scores("mae")
        array([2., 3.])
        """
        missing = [i for i, s in enumerate(self.scores) if metric not in s]
        if missing or not self.scores:
            known = sorted(self.scores[0]) if self.scores else []
            raise KeyError(f"No score {metric!r}; the folds have {known}.")
        return np.array([s[metric] for s in self.scores], dtype=float)

    def mean_history(self, key: str) -> np.ndarray:
        """The per-epoch curve ``key`` averaged over the folds.

        Examples
        --------
        >>> r = KFoldResult(histories=[{"val_mae": [4.0, 2.0]},
        ...                            {"val_mae": [6.0, 4.0]}])
        >>> r.mean_history("val_mae")
        array([5., 3.])
        """
        if not self.histories or any(key not in h for h in self.histories):
            known = sorted(self.histories[0]) if self.histories else []
            raise KeyError(f"No history {key!r}; the folds have {known}.")
        return np.mean([h[key] for h in self.histories], axis=0)


def k_fold_validate(
    build_model: Callable[[], object],
    x,
    y,
    k: int = 4,
    epochs: int = 100,
    batch_size: int = 16,
    shuffle: bool = False,
    seed: int | None = None,
    preprocessing=None,
    validation_batch_size: int = VALIDATION_BATCH_SIZE,
    **fit_options,
) -> KFoldResult:
    """Train and validate a fresh model on each of ``k`` folds.

    The samples are split into ``k`` folds (scikit-learn's ``KFold``). For
    each fold, ``build_model()`` makes a new compiled model, which is
    trained on the other ``k - 1`` folds for ``epochs`` epochs, validated on
    the held-out fold after every epoch, and evaluated on it at the end.
    With ``preprocessing``, each fold fits its own copy of it on its training
    part only, and applies that copy to both parts: the held-out fold never
    leaks into the statistics that preprocess it (what scikit-learn's
    ``Pipeline`` does inside ``cross_val_score``).

    Each fold's two parts reach ``fit`` as ``tf.data`` pipelines made once
    per fold: the training part in batches of ``batch_size``, reshuffled
    every epoch (the last batch holds the remainder, as with arrays), the
    held-out part in order. Given NumPy arrays, Keras would make a new
    input pipeline (a parallel map and a prefetch) for every epoch and
    every validation (``_enumerate_iterator`` in
    ``keras/src/trainers/epoch_iterator.py``, ``get_tf_dataset`` in
    ``keras/src/trainers/data_adapters/array_data_adapter.py``), a cost
    that, with a small network, rivals the epoch's training steps.

    Parameters
    ----------
    build_model : callable
        Takes no argument and returns a new, compiled Keras model.
    x, y : array-like
        Inputs and targets, with as many samples each.
    k : int
        Number of folds, from 2 to the number of samples.
    epochs : int
        Passed to ``model.fit``.
    batch_size : int
        Samples per training batch.
    shuffle : bool
        Shuffle the samples before splitting them into folds. Without
        shuffling, fold ``i`` is the ``i``-th contiguous block of samples.
    seed : int, optional
        Seed of that shuffle; only meaningful with ``shuffle=True``.
    preprocessing : scikit-learn transformer, optional
        For example ``StandardScaler()``. Copied for each fold with
        ``sklearn.base.clone``, fitted on the fold's training part, and used
        to transform both parts; ``preprocessing`` itself is left unfitted.
    validation_batch_size : int
        Batch size of the per-epoch validation and of the final evaluation
        of each held-out fold; by default the book's
        ``dlbook.speed.VALIDATION_BATCH_SIZE``. It changes how fast the
        scores are computed, not what they are.
    **fit_options
        More keyword arguments for ``model.fit``, such as ``verbose``
        (0 by default) or ``callbacks``.

    Returns
    -------
    KFoldResult
        The final validation scores and the per-epoch histories of the
        ``k`` folds.

    Raises
    ------
    ValueError
        If ``k`` is below 2 or above the number of samples, a batch size
        is below 1, ``x`` and ``y`` differ in length, or ``fit_options``
        tries to set the validation data.
    TypeError
        If ``build_model`` is not a function (a model itself is refused:
        its weights would carry over from fold to fold), ``k`` or a batch
        size is not an integer, or ``preprocessing`` has no ``fit`` and
        ``transform``.

    Examples
    --------
    >>> import keras, numpy as np
    >>> def build():
    ...     model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    ...     model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    ...     return model
    >>> x = np.arange(8, dtype="float32").reshape(-1, 1)
    >>> result = k_fold_validate(build, x, 2 * x, k=4, epochs=3, batch_size=2)
    >>> len(result.scores), sorted(result.scores[0])
    (4, ['loss', 'mae'])
    >>> len(result.histories[0]["val_mae"])
    3

    Normalized with each fold's own training statistics:

    >>> from sklearn.preprocessing import StandardScaler
    >>> result = k_fold_validate(build, x, 2 * x, k=4, epochs=1, batch_size=2,
    ...                          preprocessing=StandardScaler())
    >>> len(result.scores)
    4
    """
    if not callable(build_model) or hasattr(build_model, "fit"):
        raise TypeError(
            "build_model must be a function that returns a new compiled model "
            f"(each fold trains a fresh one), got {type(build_model).__name__}."
        )
    x, y = np.asarray(x), np.asarray(y)
    n = len(x)
    if len(y) != n:
        raise ValueError(f"x has {n} samples but y has {len(y)}.")
    # At least one fold to validate on and one to train on.
    check_int(k, "k", min_value=2)
    if k > n:
        raise ValueError(
            f"k={k} is larger than the number of samples ({n}): each fold "
            "needs at least one sample. Use a smaller k."
        )
    taken = {"x", "y", "validation_data", "validation_split", "epochs",
             "batch_size"} & set(fit_options)
    if taken:
        raise ValueError(
            f"k_fold_validate sets {sorted(taken)} itself; pass epochs and "
            "batch_size as its own arguments."
        )
    if preprocessing is not None and not (
        hasattr(preprocessing, "fit") and hasattr(preprocessing, "transform")
    ):
        raise TypeError(
            "preprocessing must be a scikit-learn transformer with fit and "
            "transform, such as sklearn.preprocessing.StandardScaler(), got "
            f"{type(preprocessing).__name__}."
        )
    import tensorflow as tf
    from sklearn.base import clone
    from sklearn.model_selection import KFold

    check_int(batch_size, "batch_size", min_value=1)
    check_int(validation_batch_size, "validation_batch_size", min_value=1)
    fit_options.setdefault("verbose", 0)
    folds = KFold(n_splits=k, shuffle=shuffle, random_state=seed if shuffle else None)
    result = KFoldResult()
    for train_index, val_index in folds.split(x):
        x_fit, x_val = x[train_index], x[val_index]
        if preprocessing is not None:
            dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else "float32"
            fold_preprocessing = clone(preprocessing).fit(x_fit)
            x_fit = fold_preprocessing.transform(x_fit).astype(dtype)
            x_val = fold_preprocessing.transform(x_val).astype(dtype)
        # The two parts as tf.data pipelines, made once per fold: given
        # arrays, Keras makes a new input pipeline for every epoch.
        fit_data = tf.data.Dataset.from_tensor_slices((x_fit, y[train_index]))
        fit_data = fit_data.shuffle(len(x_fit)).batch(batch_size)
        val_data = tf.data.Dataset.from_tensor_slices((x_val, y[val_index]))
        val_data = val_data.batch(validation_batch_size)
        model = build_model()
        history = model.fit(
            fit_data, validation_data=val_data, epochs=epochs,
            shuffle=False,  # fit_data reshuffles itself every epoch
            **fit_options,
        )
        scores = model.evaluate(val_data, verbose=0, return_dict=True)
        result.scores.append({name: float(v) for name, v in scores.items()})
        result.histories.append(
            {name: [float(v) for v in values]
             for name, values in history.history.items()}
        )
        result.models.append(model)
    return result


def iterated_k_fold_validate(
    build_model: Callable[[], object],
    x,
    y,
    k: int = 4,
    repeats: int = 3,
    seed: int = 0,
    **options,
) -> KFoldResult:
    """Iterated K-fold validation: K-fold validation repeated with shuffling.

    Runs :func:`k_fold_validate` ``repeats`` times, each time on a different
    shuffle of the samples (the scheme of scikit-learn's ``RepeatedKFold``):
    every repetition is a full K-fold validation, so every sample is
    validated on exactly ``repeats`` times. The shuffles' seeds are drawn from ``seed``,
    so the whole run is repeatable.

    Parameters
    ----------
    build_model : callable
        Takes no argument and returns a new, compiled Keras model.
    x, y : array-like
        Inputs and targets, with as many samples each.
    k : int
        Number of folds of each repetition, from 2 to the number of samples.
    repeats : int
        Number of repetitions (``P`` in the notes), at least 1.
    seed : int
        Seed from which the repetitions' shuffles are drawn.
    **options
        More keyword arguments for :func:`k_fold_validate`, such as
        ``epochs``, ``batch_size`` or ``callbacks`` (not ``shuffle``).

    Returns
    -------
    KFoldResult
        The ``repeats * k`` folds, repetition after repetition: fold ``j`` of
        repetition ``r`` is at index ``r * k + j``. The mean of
        ``fold_scores(metric)`` is the iterated K-fold score;
        ``fold_scores(metric).reshape(repeats, k).mean(axis=1)`` gives the
        K-fold score of each repetition.

    Raises
    ------
    ValueError
        If ``repeats`` is below 1, ``options`` sets ``shuffle`` or ``seed``,
        or :func:`k_fold_validate` refuses the other arguments.
    TypeError
        If ``repeats`` is not an integer.

    Examples
    --------
    >>> import keras, numpy as np
    >>> def build():
    ...     model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    ...     model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    ...     return model
    >>> x = np.arange(8, dtype="float32").reshape(-1, 1)
    >>> result = iterated_k_fold_validate(build, x, 2 * x, k=4, repeats=2,
    ...                                   epochs=2, batch_size=2)
    >>> result.fold_scores("mae").reshape(2, 4).shape
    (2, 4)
    """
    check_int(repeats, "repeats", min_value=1)
    taken = {"shuffle", "seed"} & set(options)
    if taken:
        raise ValueError(
            f"iterated_k_fold_validate shuffles itself; do not pass {sorted(taken)} "
            "(give its own seed argument instead)."
        )
    # One shuffle seed per repetition, drawn from ``seed``.
    seeds = np.random.default_rng(seed).integers(2**31 - 1, size=repeats)
    result = KFoldResult()
    for repetition_seed in seeds:
        folds = k_fold_validate(
            build_model, x, y, k=k, shuffle=True, seed=int(repetition_seed),
            **options,
        )
        result.scores.extend(folds.scores)
        result.histories.extend(folds.histories)
        result.models.extend(folds.models)
    return result
