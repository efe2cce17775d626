"""Argument checks at the package's public edge, shared by every module.

Each public function of :mod:`dlbook` checks its scalar arguments with
:func:`check_int` or :func:`check_real` before it does any work, so that a
wrong argument fails at once, with a message that names the argument, what
it must be and what it got. Both wrap scikit-learn's
``sklearn.utils.check_scalar``, with one difference: a ``bool`` is
refused where a number is expected (Python counts ``True`` as the integer
1, which hides a swapped argument).

A value of the wrong type raises :class:`TypeError`; a value out of its
range raises :class:`ValueError`, as in scikit-learn.
"""

from __future__ import annotations

import numbers

__all__ = ["check_int", "check_real"]


def _check(value, name, target_type, kind, *, min_value, max_value,
           include_boundaries, allow_none):
    if value is None and allow_none:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{name} must be {kind}, not bool ({value!r}).")
    # Imported here, on the first check: scikit-learn (and SciPy) take a
    # second to import, which `import dlbook` need not pay.
    from sklearn.utils import check_scalar

    value = check_scalar(value, name, target_type, min_val=min_value,
                         max_val=max_value,
                         include_boundaries=include_boundaries)
    # check_scalar compares, and every comparison with NaN is False: a NaN
    # would pass any bounds.
    if value != value and (min_value is not None or max_value is not None):
        raise ValueError(f"{name} == {value}, must be a number, not NaN.")
    return value


def check_int(value, name: str, *, min_value: int | None = None,
              max_value: int | None = None, allow_none: bool = False):
    """Return ``value`` if it is an integer in ``[min_value, max_value]``.

    Parameters
    ----------
    value : object
        The argument to check. NumPy integers are accepted, bools are not.
    name : str
        The argument's name, for the error message.
    min_value, max_value : int, optional
        Inclusive bounds; None leaves that side open.
    allow_none : bool, default=False
        Accept None (and return it), for optional arguments.

    Returns
    -------
    int or None
        ``value``, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a bool included).
    ValueError
        If ``value`` is out of bounds.

    Examples
    --------
    >>> check_int(3, "epochs", min_value=1)
    3
    >>> check_int(0, "epochs", min_value=1)
    Traceback (most recent call last):
    ...
    ValueError: epochs == 0, must be >= 1.
    >>> check_int(True, "epochs")
    Traceback (most recent call last):
    ...
    TypeError: epochs must be an integer, not bool (True).
    >>> check_int(None, "num_words", min_value=1, allow_none=True) is None
    True
    """
    return _check(value, name, numbers.Integral, "an integer",
                  min_value=min_value, max_value=max_value,
                  include_boundaries="both", allow_none=allow_none)


def check_real(value, name: str, *, min_value: float | None = None,
               max_value: float | None = None,
               include_boundaries: str = "both", allow_none: bool = False):
    """Return ``value`` if it is a real number within its bounds.

    Parameters
    ----------
    value : object
        The argument to check: an int or a float (NumPy's too), not a bool.
    name : str
        The argument's name, for the error message.
    min_value, max_value : float, optional
        Bounds; None leaves that side open.
    include_boundaries : {"both", "left", "right", "neither"}, default="both"
        Which bounds are allowed values, as in
        ``sklearn.utils.check_scalar``.
    allow_none : bool, default=False
        Accept None (and return it), for optional arguments.

    Returns
    -------
    float or int or None
        ``value``, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (a bool included).
    ValueError
        If ``value`` is out of bounds, or NaN where there are bounds.

    Examples
    --------
    >>> check_real(0.5, "dropout", min_value=0, max_value=1,
    ...            include_boundaries="left")
    0.5
    >>> check_real(1.0, "dropout", min_value=0, max_value=1,
    ...            include_boundaries="left")
    Traceback (most recent call last):
    ...
    ValueError: dropout == 1.0, must be < 1.
    >>> check_real("0.5", "dropout")
    Traceback (most recent call last):
    ...
    TypeError: dropout must be an instance of float, not str.
    """
    return _check(value, name, numbers.Real, "a real number",
                  min_value=min_value, max_value=max_value,
                  include_boundaries=include_boundaries, allow_none=allow_none)
