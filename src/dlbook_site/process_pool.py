"""Work the build can share out: a list cut into balanced groups, one process each.

Inlining each page's critical CSS (:mod:`dlbook_site.critical_css`) is pure
Python, one page at a time, and most of what a cold build does besides
executing the chapters. Each page's rules are worked out alone, so the
pages can go to as many processes as the machine has CPUs:
:func:`chunked_map` cuts them into one group per process, the largest
first, each into the group with the least work so far, and calls its
function once per group, so that what the group shares (the parsed style
sheets) is made once per process.

The processes are *spawned*, not forked: Sphinx's process has imported
TensorFlow (autodoc) and runs its threads, and a forked child of a threaded
process may deadlock. A spawned one imports only the function's module.

Only the standard library is used.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def available_cpus() -> int:
    """How many CPUs this process may run on (its affinity, where the system
    tells it), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def balanced_groups(sizes: Sequence[float], groups: int) -> list[list[int]]:
    """The indices of ``sizes`` in ``groups`` groups of about equal total size:
    the largest first, each to the group with the least so far (the first
    such group on a tie). Each group keeps its indices in increasing order;
    empty groups are left out.

    Examples
    --------
    >>> balanced_groups([5, 1, 4, 2, 3], 2)  # 5 + 2 + 1 and 4 + 3
    [[0, 1, 3], [2, 4]]
    >>> balanced_groups([1, 1], 4)
    [[0], [1]]
    """
    if groups < 1:
        raise ValueError(f"groups must be at least 1, got {groups}")
    totals, members = [0.0] * groups, [[] for _ in range(groups)]
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        least = min(range(groups), key=lambda g: (totals[g], g))
        totals[least] += sizes[index]
        members[least].append(index)
    return [sorted(group) for group in members if group]


def chunked_map(function: Callable[[list], list], items: Sequence[Any],
                size: Callable[[Any], float] = len,
                workers: int | None = None) -> list:
    """``function`` applied to ``items`` in groups, one spawned process per
    group; the results in the order of ``items``.

    ``function`` takes a list of items and returns a list of as many
    results, in their order; it must be defined at the top level of a
    module, for the processes to import it. ``size`` estimates an item's
    work, to balance the groups (:func:`balanced_groups`). With one worker
    (by default, one per available CPU) or at most one item, ``function``
    runs in this process, on all the items at once.

    Examples
    --------
    >>> def squares(numbers):
    ...     return [n * n for n in numbers]
    >>> chunked_map(squares, [3, 1, 2], size=float, workers=1)
    [9, 1, 4]
    """
    items = list(items)
    workers = available_cpus() if workers is None else int(workers)
    if workers <= 1 or len(items) <= 1:
        return _checked(function(items), len(items))
    groups = balanced_groups([size(item) for item in items], workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(groups), mp_context=context) as pool:
        done = pool.map(function, [[items[i] for i in group]
                                   for group in groups])
        results: list = [None] * len(items)
        for group, found in zip(groups, done, strict=True):
            for index, result in zip(group, _checked(found, len(group)),
                                     strict=True):
                results[index] = result
    return results


def _checked(results: list, expected: int) -> list:
    if len(results) != expected:
        raise ValueError(f"the function returned {len(results)} results for "
                         f"{expected} items: it must return one per item")
    return results
