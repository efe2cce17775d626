"""Tests of dlbook.checks, the argument checks that every module shares."""

import math

import numpy as np
import pytest

from dlbook.checks import check_int, check_real


@pytest.mark.parametrize("check", [check_int, check_real])
@pytest.mark.parametrize("value", [True, False])
def test_bools_are_refused_even_within_bounds(check, value):
    with pytest.raises(TypeError, match=rf"x must be an? .*, not bool \({value}\)"):
        check(value, "x", min_value=0, max_value=1)


@pytest.mark.parametrize("value", [np.int8(3), np.int32(3), np.int64(3), np.uint16(3)])
def test_check_int_accepts_numpy_ints_and_returns_them_unchanged(value):
    assert check_int(value, "n", min_value=1, max_value=3) is value


@pytest.mark.parametrize("value", [np.float32(0.5), np.float64(0.5), np.int64(0)])
def test_check_real_accepts_numpy_numbers_and_returns_them_unchanged(value):
    assert check_real(value, "rate", min_value=0, max_value=1) is value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.0, "n must be an instance of int, not float"),
        (np.float64(1.0), "n must be an instance of int, not float64"),
        ("1", "n must be an instance of int, not str"),
        (None, "n must be an instance of int, not NoneType"),
    ],
)
def test_check_int_refuses_other_types(value, message):
    with pytest.raises(TypeError, match=message):
        check_int(value, "n")


@pytest.mark.parametrize("value", ["0.5", None, [0.5], 1j])
def test_check_real_refuses_other_types(value):
    with pytest.raises(TypeError, match="rate must be an instance of float"):
        check_real(value, "rate")


def test_check_int_bounds_are_inclusive_on_both_sides():
    assert check_int(1, "epochs", min_value=1, max_value=5) == 1
    assert check_int(5, "epochs", min_value=1, max_value=5) == 5
    with pytest.raises(ValueError, match=r"^epochs == 0, must be >= 1\.$"):
        check_int(0, "epochs", min_value=1, max_value=5)
    with pytest.raises(ValueError, match=r"^epochs == 6, must be <= 5\.$"):
        check_int(6, "epochs", min_value=1, max_value=5)


def test_no_bounds_leave_both_sides_open():
    assert check_int(-10**12, "n") == -10**12
    assert check_int(10**12, "n", min_value=0) == 10**12
    assert check_real(-1e300, "x", max_value=0) == -1e300


@pytest.mark.parametrize(
    ("include_boundaries", "low_ok", "high_ok"),
    [("both", True, True), ("left", True, False), ("right", False, True),
     ("neither", False, False)],
)
def test_check_real_include_boundaries(include_boundaries, low_ok, high_ok):
    def check(value):
        return check_real(value, "rate", min_value=0, max_value=1,
                          include_boundaries=include_boundaries)

    assert check(0.5) == 0.5
    for bound, ok, sign in ((0.0, low_ok, ">"), (1.0, high_ok, "<")):
        if ok:
            assert check(bound) == bound
        else:
            message = rf"^rate == {bound}, must be {sign} {int(bound)}\.$"
            with pytest.raises(ValueError, match=message):
                check(bound)
    with pytest.raises(ValueError, match=r"rate == -0.1, must be >"):
        check(-0.1)
    with pytest.raises(ValueError, match=r"rate == 1.1, must be <"):
        check(1.1)


def test_bounded_check_real_refuses_nan():
    with pytest.raises(ValueError, match="rate == nan, must be a number, not NaN"):
        check_real(math.nan, "rate", min_value=0)
    with pytest.raises(ValueError, match="rate == nan, must be a number, not NaN"):
        check_real(np.float32("nan"), "rate", max_value=1)
    # without bounds NaN is a float like any other: callers check finiteness
    assert math.isnan(check_real(math.nan, "rate"))


@pytest.mark.parametrize("check", [check_int, check_real])
def test_allow_none(check):
    assert check(None, "x", min_value=1, allow_none=True) is None
    with pytest.raises(TypeError, match="x must be an instance of .*, not NoneType"):
        check(None, "x", min_value=1)
    # allow_none lets None through, nothing else
    with pytest.raises(ValueError, match="x == 0, must be >= 1"):
        check(0, "x", min_value=1, allow_none=True)
    with pytest.raises(TypeError, match="not bool"):
        check(True, "x", allow_none=True)
