"""How fast the device multiplies matrices, and what GPUs promise.

Chapter 3 ("Running on a CPU or a GPU") measures the device it runs on with
:func:`matmul_flops_per_second` and compares it with the published peaks of
two GPUs (:data:`PUBLISHED_FP32_PEAKS`); ``make benchmark`` compares the
models' training speed with the same measurement.

Examples
--------
>>> from dlbook.devices import matmul_flops_per_second
>>> matmul_flops_per_second(n=64, repeats=2)["flops_per_second"] > 0
True
"""

from __future__ import annotations

import time

from dlbook.checks import check_int

__all__ = ["PUBLISHED_FP32_PEAKS", "matmul_flops_per_second"]

#: Published peak float32 rates of two data-centre GPUs, in FLOP/s, with the
#: vendor's page that states them: what the hardware can do at best, not a
#: measurement. Name -> (FLOP/s, source).
PUBLISHED_FP32_PEAKS: dict[str, tuple[float, str]] = {
    "NVIDIA T4": (8.1e12, "https://www.nvidia.com/en-us/data-center/tesla-t4/"),
    "NVIDIA A100": (19.5e12, "https://www.nvidia.com/en-us/data-center/a100/"),
}


def matmul_flops_per_second(n: int = 3072, repeats: int = 5) -> dict:
    """Time a large float32 matrix product: the device's practical FLOP/s limit.

    Multiplies two ``n`` × ``n`` float32 matrices with ``tf.linalg.matmul``
    (``2 n³`` floating-point operations) on TensorFlow's default device (a
    GPU if it sees one), once to warm up, then ``repeats`` times; the best
    time counts, as the least disturbed by other processes.

    Parameters
    ----------
    n : int
        Side of the matrices; 3072 (58 GFLOP) takes about 0.3 s on 2 CPU
        cores.
    repeats : int
        Timed runs.

    Returns
    -------
    dict
        ``n``, ``seconds`` (best run), ``flops_per_second``, ``all_seconds``,
        and ``flops_per_cpu_second`` (over the CPU time of the process, all
        its threads together: on a machine shared with other work, the rate
        per CPU-second is the steadier figure).
    """
    check_int(n, "n", min_value=1)
    check_int(repeats, "repeats", min_value=1)
    import tensorflow as tf

    generator = tf.random.Generator.from_seed(0)
    a = generator.normal((n, n), dtype=tf.float32)
    b = generator.normal((n, n), dtype=tf.float32)
    # Reading one entry back waits for the product: a GPU runs
    # asynchronously, while the call returns at once.
    tf.linalg.matmul(a, b)[0, 0].numpy()
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        tf.linalg.matmul(a, b)[0, 0].numpy()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    best = min(times)
    return {"n": n, "seconds": best, "flops_per_second": 2 * n**3 / best,
            "all_seconds": times,
            "flops_per_cpu_second": 2 * n**3 / min(cpu_times)}
