"""Timings: training throughput, vectorizing, against the matmul bound.

The bound itself, a large float32 matrix product, is
:func:`dlbook.devices.matmul_flops_per_second`, which chapter 3 shows too.

* :func:`training_throughput` (``model.fit``) and :func:`loop_throughput`
  (a hand-written training step), in samples per second, after a warm-up;
* :func:`vectorize_ratio`: ``dlbook.text.vectorize_sequences`` against the
  Python loop of the course notes.
"""

from __future__ import annotations

import math
import time
import timeit
from collections.abc import Callable

import numpy as np

from benchmarks.data import NUM_WORDS, TEXT_DTYPE, imdb_sequences
from dlbook.checks import check_int


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds, self.cpu_seconds = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()
            self._cpu_start = time.process_time()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)
            self.cpu_seconds.append(time.process_time() - self._cpu_start)

    return EpochTimer()


def _timing_size(rate, batch, available, target_seconds, min_batches):
    """Samples to time: about ``target_seconds`` of work, whole batch groups."""
    groups = max(min_batches, math.floor(rate * target_seconds / batch))
    return min(groups, available // batch) * batch


def training_throughput(model, x, y, batch_size: int, *,
                        target_seconds: float = 1.0, repeats: int = 3,
                        samples: int | None = None,
                        fit_kwargs: dict | None = None) -> dict:
    """Samples per second of ``model.fit``, after a warm-up.

    1. Warm-up: ``fit`` two epochs on 4 batches (on 4 × k batches with
       ``steps_per_execution`` = k): the first traces the training
       function, the second, timed, gives a first estimate of the speed.
    2. Timed: ``fit`` ``repeats`` epochs on the first samples of ``x``, as
       many whole batches as take about ``target_seconds`` per epoch by that
       estimate (all of ``x`` at most), each epoch timed with
       ``time.perf_counter`` from its start to its end, so an epoch's set-up
       (the dataset iterator) counts, as it does in the chapters. The best
       epoch gives the throughput.

    ``fit`` runs as the chapters run it (``verbose=0``, shuffled batches), but
    with no validation data: only training is timed. The model is trained
    by this, so pass a fresh one.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    x, y : numpy.ndarray
        Training inputs and targets, as the chapter feeds them.
    batch_size : int
        As in the chapter.
    target_seconds : float
        Approximate length of one timed epoch.
    repeats : int
        Timed epochs.
    samples : int, optional
        Samples per timed epoch instead of ``target_seconds``' estimate
        (rounded down to whole batches, all of ``x`` at most).
    fit_kwargs : dict, optional
        More arguments for ``fit``.

    Returns
    -------
    dict
        ``samples_per_second`` (best epoch), ``median_samples_per_second``,
        ``samples_per_cpu_second`` (over the process' CPU time, best
        epoch), ``samples`` (per timed epoch), ``batch_size``,
        ``epoch_seconds``, ``epoch_cpu_seconds``.
    """
    check_int(batch_size, "batch_size", min_value=1)
    check_int(repeats, "repeats", min_value=1)
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}.")
    if len(x) < batch_size:
        raise ValueError(f"x holds {len(x)} samples, fewer than one batch of "
                         f"{batch_size}.")
    kwargs = dict(verbose=0, **(fit_kwargs or {}))
    group = batch_size * int(getattr(model, "steps_per_execution", 1) or 1)
    group = min(group, (len(x) // batch_size) * batch_size)
    warm = _timing_size(0, group, len(x), 0, min_batches=4)
    timer = _epoch_timer()
    model.fit(x[:warm], y[:warm], batch_size=batch_size, epochs=2,
              callbacks=[timer], **kwargs)
    rate = warm / timer.seconds[1]
    if samples is None:
        n = _timing_size(rate, group, len(x), target_seconds, min_batches=1)
    else:
        n = max(batch_size, min(samples, len(x)) // batch_size * batch_size)
    timer = _epoch_timer()
    model.fit(x[:n], y[:n], batch_size=batch_size, epochs=repeats,
              callbacks=[timer], **kwargs)
    return _throughput_result(n, batch_size, timer.seconds, timer.cpu_seconds)


def _throughput_result(samples, batch_size, seconds, cpu_seconds):
    return {
        "samples_per_second": samples / min(seconds),
        "median_samples_per_second": samples / float(np.median(seconds)),
        "samples_per_cpu_second": samples / min(cpu_seconds),
        "samples": samples,
        "batch_size": batch_size,
        "epoch_seconds": list(seconds),
        "epoch_cpu_seconds": list(cpu_seconds),
    }


def loop_throughput(train_step: Callable, x, y, batch_size: int, *,
                    target_seconds: float = 1.0, repeats: int = 3,
                    seed: int = 0) -> dict:
    """Samples per second of a hand-written training loop, after a warm-up.

    Calls ``train_step(x[batch], y[batch])`` on shuffled batches of NumPy
    arrays, as chapter 2's ``GradientTape`` loop does, with the same warm-up,
    sizing and timing as :func:`training_throughput`.

    Parameters
    ----------
    train_step : callable
        One training step on a batch, for example a ``tf.function``.
    x, y : numpy.ndarray
        Training inputs and targets.
    batch_size : int
        Samples per step.
    target_seconds, repeats : float, int
        As in :func:`training_throughput`.
    seed : int
        Seed of the shuffling.

    Returns
    -------
    dict
        As :func:`training_throughput`.
    """
    check_int(batch_size, "batch_size", min_value=1)
    check_int(repeats, "repeats", min_value=1)
    rng = np.random.default_rng(seed)

    def epoch(n):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = rng.permutation(n)
        for first in range(0, n, batch_size):
            batch = order[first:first + batch_size]
            loss = train_step(x[batch], y[batch])
        float(loss)  # wait for the last step
        return (time.perf_counter() - start, time.process_time() - cpu_start)

    warm = _timing_size(0, batch_size, len(x), 0, min_batches=4)
    epoch(warm)
    rate = warm / epoch(warm)[0]
    n = _timing_size(rate, batch_size, len(x), target_seconds, min_batches=1)
    seconds, cpu_seconds = zip(*(epoch(n) for _ in range(repeats)), strict=True)
    return _throughput_result(n, batch_size, seconds, cpu_seconds)


def fraction_of_bound(flops_per_sample: float, samples_per_second: float,
                      matmul_flops_per_second: float) -> float:
    """Achieved FLOP/s over the matmul's FLOP/s.

    Examples
    --------
    >>> fraction_of_bound(1e6, 5000, 1e11)
    0.05
    """
    if matmul_flops_per_second <= 0:
        raise ValueError("matmul_flops_per_second must be positive, got "
                         f"{matmul_flops_per_second!r}.")
    return flops_per_sample * samples_per_second / matmul_flops_per_second


# ---------------------------------------------------------------------------
# vectorize_sequences against the notes' loop
# ---------------------------------------------------------------------------


def vectorize_ratio(sequences=None, repeat: int = 3,
                    dtypes=("float64", "float32", TEXT_DTYPE)) -> dict:
    """Time ``vectorize_sequences`` against the notes' loop; best of ``repeat``.

    For each dtype, both functions fill the same array type (a fair ratio);
    then the notes' loop as written (float64) against
    ``vectorize_sequences`` with the book's types: its default (float32) and
    the uint8 the chapters store text in.

    Parameters
    ----------
    sequences : list of lists of int, optional
        By default the 25,000 IMDB training reviews (``num_words=10000``).
    repeat : int
        Runs of each; the best counts (``timeit.repeat``, one call each).
    dtypes : sequence of str
        Types to compare the two functions in.

    Returns
    -------
    dict
        ``seconds`` ({"loop"|"vectorized": {dtype: s}}), ``same_dtype_ratio``
        ({dtype: loop / vectorized}), ``notes_vs_book`` ({dtype: notes'
        float64 loop / vectorized in dtype}), ``samples``.
    """
    from dlbook.naive_ops import naive_vectorize_sequences
    from dlbook.text import vectorize_sequences

    check_int(repeat, "repeat", min_value=1)
    if sequences is None:
        sequences = imdb_sequences()[0]

    def best(function):
        return min(timeit.repeat(function, number=1, repeat=repeat))

    loop, vectorized = {}, {}
    for dtype in dtypes:
        loop[dtype] = best(lambda d=dtype: naive_vectorize_sequences(
            sequences, dtype=d))
        vectorized[dtype] = best(lambda d=dtype: vectorize_sequences(
            sequences, dimension=NUM_WORDS, dtype=d))
    for dtype in ("float32", TEXT_DTYPE):
        if dtype not in vectorized:
            vectorized[dtype] = best(lambda d=dtype: vectorize_sequences(
                sequences, dimension=NUM_WORDS, dtype=d))
    notes = loop.get("float64")
    if notes is None:
        notes = best(lambda: naive_vectorize_sequences(sequences))
    return {
        "samples": len(sequences),
        "dimension": NUM_WORDS,
        "repeat": repeat,
        "seconds": {"loop": loop, "vectorized": vectorized},
        "same_dtype_ratio": {d: loop[d] / vectorized[d] for d in loop},
        "notes_vs_book": {d: notes / vectorized[d]
                          for d in ("float32", TEXT_DTYPE)},
    }
