"""Make a chapter's numbers repeatable from one build to the next."""

from __future__ import annotations


def make_deterministic(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow and make TensorFlow ops deterministic.

    Calls ``keras.utils.set_random_seed`` and
    ``tf.config.experimental.enable_op_determinism``, so two runs of the same
    code on the same machine print the same numbers.

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
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}.")
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
