"""dlbook.history."""

import numpy as np
import pytest

from dlbook.history import best_epoch, smooth_curve


def test_smooth_curve_is_the_exponential_moving_average():
    points = np.random.default_rng(0).random(10)
    expected = [points[0]]
    for p in points[1:]:
        expected.append(0.8 * expected[-1] + 0.2 * p)
    np.testing.assert_allclose(smooth_curve(points, factor=0.8), expected)


def test_smooth_curve_with_zero_factor_changes_nothing():
    np.testing.assert_array_equal(smooth_curve([3.0, 1.0, 2.0], 0.0), [3, 1, 2])


@pytest.mark.parametrize(
    ("factor", "error", "message"),
    [
        (1.0, ValueError, "factor == 1.0, must be < 1"),
        (-0.1, ValueError, "factor == -0.1, must be >= 0"),
        (float("nan"), ValueError, "factor == nan, must be a number, not NaN"),
        (True, TypeError, "factor must be a real number, not bool"),
        ("0.5", TypeError, "factor must be an instance of float, not str"),
    ],
)
def test_smooth_curve_checks_the_factor(factor, error, message):
    with pytest.raises(error, match=message):
        smooth_curve([1.0], factor=factor)


def test_best_epoch_counts_from_one_and_keeps_the_first_tie():
    assert best_epoch([3.0, 2.0, 2.0, 5.0]) == 2
    assert best_epoch([0.1, 0.9, 0.9], mode="max") == 2
    assert best_epoch([7.0]) == 1


@pytest.mark.parametrize(
    ("values", "mode", "message"),
    [
        ([], "min", "non-empty 1-D curve"),
        ([1.0, float("nan")], "min", "NaN"),
        ([1.0], "lowest", "mode must be 'min' or 'max'"),
    ],
)
def test_best_epoch_checks_its_input(values, mode, message):
    with pytest.raises(ValueError, match=message):
        best_epoch(values, mode=mode)
