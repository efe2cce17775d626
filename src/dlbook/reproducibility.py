"""Make a chapter's numbers repeatable from one build to the next."""

from __future__ import annotations

from dlbook.checks import check_int


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
    check_int(seed, "seed", min_value=0)
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(int(seed))  # NumPy ints too
    tf.config.experimental.enable_op_determinism()
