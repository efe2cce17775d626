"""dlbook_site.process_pool: a list shared out to processes, results in order."""

import os

import pytest

from dlbook_site.process_pool import balanced_groups, chunked_map


def _labelled(numbers):
    """Each number squared, with the process that worked it out."""
    return [(n * n, os.getpid()) for n in numbers]


def _one_short(numbers):
    return numbers[1:]


def test_the_groups_hold_every_index_once_and_balance_the_sizes():
    sizes = [9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8]
    groups = balanced_groups(sizes, 3)
    assert sorted(i for group in groups for i in group) == list(range(11))
    totals = sorted(sum(sizes[i] for i in group) for group in groups)
    assert totals == [8, 9, 9]  # 26 in all


def test_the_work_runs_in_as_many_processes_and_comes_back_in_order():
    numbers = list(range(7))
    results = chunked_map(_labelled, numbers, size=lambda n: n + 1, workers=2)
    assert [square for square, _ in results] == [n * n for n in numbers]
    processes = {pid for _, pid in results}
    assert len(processes) == 2 and os.getpid() not in processes


def test_one_worker_or_one_item_stays_in_this_process():
    for numbers, workers in (([1, 2, 3], 1), ([4], 2), ([], 2)):
        results = chunked_map(_labelled, numbers, workers=workers)
        assert [square for square, _ in results] == [n * n for n in numbers]
        assert {pid for _, pid in results} <= {os.getpid()}


def test_a_function_that_drops_results_is_an_error_that_says_so():
    for workers in (1, 2):
        with pytest.raises(ValueError, match="one per item"):
            chunked_map(_one_short, [1, 2, 3, 4], size=float, workers=workers)


def test_groups_must_be_at_least_one():
    with pytest.raises(ValueError, match="at least 1"):
        balanced_groups([1, 2], 0)
