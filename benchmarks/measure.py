"""Measure the book's models: FLOPs per sample, throughput, share of the bound.

For every entry of the registry (:func:`benchmarks.registry.book_models`)
this measures its training throughput, in samples per second, of
``model.fit`` (or of the chapter's own training loop) on real data, shaped,
typed and batched as the chapter feeds it, after a warm-up
(:mod:`benchmarks.timing`); its FLOPs per training sample
(:mod:`benchmarks.flops`); and the fraction of the machine's limit this
reaches: FLOPs per sample × samples per second, over the FLOP/s of a large
float32 matmul measured in the same run. :func:`run` also times
``vectorize_sequences`` and returns everything as one plain-JSON dict. The
environment (the dataset mirror, Keras' folder) is make's, as given.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.data import clear_caches
from benchmarks.flops import train_flops_per_sample
from benchmarks.registry import BookModel, book_models, gradient_tape_step
from benchmarks.timing import (
    fraction_of_bound,
    loop_throughput,
    training_throughput,
    vectorize_ratio,
)
from dlbook.devices import matmul_flops_per_second


def select_models(names=None) -> list[BookModel]:
    """The registry's entries of these names (all by default), in that order.

    Raises
    ------
    ValueError
        For a name the registry does not hold; the message lists them.
    """
    specs = book_models()
    if not names:
        return specs
    known = {spec.name: spec for spec in specs}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown model names {unknown}; choose from "
                         f"{sorted(known)}.")
    return [known[name] for name in names]


def measure_model(spec: BookModel, matmul_fps: float | None = None, *,
                  target_seconds: float = 1.0, repeats: int = 3) -> dict:
    """FLOPs per sample and training throughput of one book model.

    Parameters
    ----------
    spec : BookModel
    matmul_fps : float, optional
        The matmul FLOP/s, for ``fraction_of_matmul_bound``.
    target_seconds, repeats : float, int
        As in :func:`training_throughput`.

    Returns
    -------
    dict
        The entry's description, ``flops`` (:func:`train_flops_per_sample`),
        ``throughput`` (:func:`training_throughput`), and the summary fields
        ``flops_per_sample``, ``samples_per_second`` and
        ``fraction_of_matmul_bound``.
    """
    x, y = spec.data()
    model = spec.build()
    loss = None
    if spec.loop == "gradient_tape":
        step, _, loss = gradient_tape_step(model)
    flops = train_flops_per_sample(model, spec.batch_size, x[:1], y[:1],
                                   loss=loss)
    if spec.loop == "gradient_tape":
        speed = loop_throughput(step, x, y, spec.batch_size,
                                target_seconds=target_seconds, repeats=repeats)
    else:
        speed = training_throughput(model, x, y, spec.batch_size,
                                    target_seconds=target_seconds,
                                    repeats=repeats)
    result = {**spec.describe(), "flops": flops, "throughput": speed,
              "flops_per_sample": flops["flops_per_sample"],
              "samples_per_second": speed["samples_per_second"]}
    if matmul_fps:
        result["fraction_of_matmul_bound"] = fraction_of_bound(
            flops["flops_per_sample"], speed["samples_per_second"], matmul_fps)
    return result


def run(models=None, *, target_seconds: float = 1.0, repeats: int = 3,
        vectorize: bool = True, seed: int = 0, log=None) -> dict:
    """Measure the matmul bound, every book model, and the vectorize ratio.

    Calls ``dlbook.reproducibility.make_deterministic(seed)`` first, as every
    chapter does (with op determinism on, Keras leaves XLA off, as in the
    chapters).

    Parameters
    ----------
    models : sequence of str, optional
        Names of :func:`benchmarks.registry.book_models` entries; all by default.
    target_seconds, repeats : float, int
        As in :func:`training_throughput`.
    vectorize : bool
        Also run :func:`vectorize_ratio`.
    seed : int
        For ``make_deterministic``.
    log : callable, optional
        Called with one line of progress per step (for example ``print``).

    Returns
    -------
    dict
        ``matmul`` (:func:`matmul_flops_per_second`, the better of two runs,
        before and after the models), ``models`` (one
        :func:`measure_model` dict each, with ``fraction_of_matmul_bound``
        = FLOPs per sample × samples per second / matmul FLOP/s, and
        ``cpu_fraction_of_matmul_bound``, the same over CPU time),
        ``vectorize`` (:func:`vectorize_ratio`, measured first), ``seconds``
        (the whole run), ``machine`` (:func:`machine`).
    """
    import keras

    from dlbook.reproducibility import make_deterministic

    log = log or (lambda line: None)
    specs = select_models(models)
    start = time.perf_counter()
    make_deterministic(seed)
    results = []
    try:
        # First, while the process is small: the float64 loop alone needs
        # 2 GB.
        vectorized = vectorize_ratio() if vectorize else None
        clear_caches()
        matmul = matmul_flops_per_second()
        log(f"matmul {matmul['n']}: "
            f"{matmul['flops_per_second'] / 1e9:.1f} GFLOP/s")
        for spec in specs:
            t0 = time.perf_counter()
            result = measure_model(spec, target_seconds=target_seconds,
                                   repeats=repeats)
            result["measure_seconds"] = time.perf_counter() - t0
            results.append(result)
            keras.backend.clear_session()
            log(f"{spec.name}: {result['samples_per_second']:,.0f} samples/s")
        # Measured again after the models: on a shared machine the best of
        # both is the closer to the machine's limit.
        again = matmul_flops_per_second()
        if again["flops_per_second"] > matmul["flops_per_second"]:
            again["first_flops_per_second"] = matmul["flops_per_second"]
            matmul = again
        else:
            matmul["second_flops_per_second"] = again["flops_per_second"]
        cpu_bound = max(matmul["flops_per_cpu_second"],
                        again["flops_per_cpu_second"])
        matmul["flops_per_cpu_second"] = cpu_bound
        for result in results:
            result["fraction_of_matmul_bound"] = fraction_of_bound(
                result["flops_per_sample"], result["samples_per_second"],
                matmul["flops_per_second"])
            result["cpu_fraction_of_matmul_bound"] = fraction_of_bound(
                result["flops_per_sample"],
                result["throughput"]["samples_per_cpu_second"], cpu_bound)
    finally:
        clear_caches()
    return {
        "matmul": matmul,
        "models": results,
        "vectorize": vectorized,
        "seconds": time.perf_counter() - start,
        "machine": machine(),
    }


def machine() -> dict:
    """What the figures are measured on: the CPU, the memory, the versions."""
    import os
    import platform

    import keras
    import psutil
    import tensorflow as tf

    model = platform.processor()
    if os.path.isfile("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                          if line.startswith("model name")), model)
    return {
        "cpus": (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                 else os.cpu_count()),
        "cpu_model": model,
        "memory_bytes": psutil.virtual_memory().total,
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
    }
