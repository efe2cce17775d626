"""Read training curves: smooth them, and pick the best epoch from them."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from dlbook.checks import check_real


def smooth_curve(points: Iterable[float], factor: float = 0.9) -> np.ndarray:
    """Exponential moving average of a curve.

    Each smoothed point is ``factor`` times the previous smoothed point plus
    ``1 - factor`` times the new point; the first point is kept as it is.
    A larger ``factor`` smooths more.

    Parameters
    ----------
    points : iterable of float
        The curve, for example a validation metric per epoch.
    factor : float
        Weight of the past, in ``[0, 1)``.

    Returns
    -------
    numpy.ndarray
        The smoothed curve, as long as ``points``.

    Examples
    --------
    >>> smooth_curve([1.0, 3.0, 3.0], factor=0.5)
    array([1. , 2. , 2.5])
    """
    check_real(factor, "factor", min_value=0, max_value=1,
               include_boundaries="left")
    points = np.asarray(list(points), dtype=float)
    if points.ndim != 1:
        raise ValueError(f"points must be a 1-D curve, got shape {points.shape}.")
    smoothed = np.empty_like(points)
    previous = points[0] if points.size else 0.0
    for i, point in enumerate(points):
        previous = factor * previous + (1 - factor) * point
        smoothed[i] = previous
    return smoothed


def best_epoch(values: Iterable[float], mode: str = "min") -> int:
    """The epoch, counted from 1, at which a per-epoch curve is best.

    Parameters
    ----------
    values : iterable of float
        One value per epoch, epoch 1 first, such as
        ``history.history["val_loss"]``.
    mode : {"min", "max"}
        Whether lower (a loss, an error) or higher (an accuracy) is better.
        Ties go to the earliest epoch.

    Returns
    -------
    int
        The 1-based epoch number, ready for ``model.fit(epochs=...)``.

    Examples
    --------
    >>> best_epoch([0.5, 0.3, 0.4])
    2
    >>> best_epoch([0.80, 0.88, 0.88, 0.87], mode="max")
    2
    """
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' or 'max', got {mode!r}.")
    values = np.asarray(list(values), dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"values must be a non-empty 1-D curve, got shape {values.shape}."
        )
    if np.isnan(values).any():
        raise ValueError("values hold NaN: training diverged; no epoch is best.")
    index = values.argmin() if mode == "min" else values.argmax()
    return int(index) + 1
