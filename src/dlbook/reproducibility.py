"""Make a chapter's numbers repeatable from one build to the next.

One setting changes the seed of every chapter at once: the environment
variable ``DLBOOK_SEED`` (:data:`SEED_VARIABLE`), when set, replaces the
``seed`` that each call of :func:`make_deterministic` names. ``make seeds``
sets it to measure how much the book's figures move from one seed to the
next; a build leaves it unset, and every chapter uses the seed it shows.
"""

from __future__ import annotations

import os

from dlbook.checks import check_int

#: The environment variable that, when set, overrides every chapter's seed.
SEED_VARIABLE = "DLBOOK_SEED"


def seed_in_use(seed: int = 0) -> int:
    """The seed :func:`make_deterministic` uses: ``$DLBOOK_SEED`` or ``seed``.

    Parameters
    ----------
    seed : int
        The seed the code asks for, used when ``DLBOOK_SEED`` is unset.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``DLBOOK_SEED`` is set to anything but a non-negative integer.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("DLBOOK_SEED", None) and None
    >>> seed_in_use(0)
    0
    >>> os.environ["DLBOOK_SEED"] = "3"
    >>> seed_in_use(0)
    3
    >>> os.environ["DLBOOK_SEED"] = "three"
    >>> seed_in_use(0)
    Traceback (most recent call last):
    ...
    ValueError: DLBOOK_SEED must be a non-negative integer such as 3, got ...
    >>> del os.environ["DLBOOK_SEED"]
    """
    check_int(seed, "seed", min_value=0)
    text = os.environ.get(SEED_VARIABLE)
    if text is None or text == "":
        return int(seed)
    if not text.strip().isdigit():
        raise ValueError(
            f"{SEED_VARIABLE} must be a non-negative integer such as 3, got "
            f"{text!r}; unset it to use the seed the code names.")
    return int(text)


def make_deterministic(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow and make TensorFlow ops deterministic.

    Calls ``keras.utils.set_random_seed`` and
    ``tf.config.experimental.enable_op_determinism``, so two runs of the same
    code on the same machine print the same numbers. The seed is
    ``$DLBOOK_SEED`` when that is set, ``seed`` otherwise
    (:func:`seed_in_use`).

    Parameters
    ----------
    seed : int
        A non-negative seed.

    Examples
    --------
    >>> import numpy as np
    >>> make_deterministic(42)
    >>> a = np.random.rand(3)
    >>> make_deterministic(42)
    >>> bool((a == np.random.rand(3)).all())
    True
    """
    seed = seed_in_use(seed)
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
