"""Helpers around ``model.fit``."""

from __future__ import annotations

import keras


class EpochLogger(keras.callbacks.Callback):
    """Print one short line per epoch: its number and its metrics.

    Use it with ``model.fit(..., verbose=0, callbacks=[EpochLogger()])``.
    Unlike Keras' ``verbose=2`` it leaves out timings, so two runs of a
    deterministic chapter print exactly the same log.

    Parameters
    ----------
    digits : int
        Decimal places shown for each metric.

    Examples
    --------
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x = np.zeros((4, 2), "float32")
    >>> _ = model.fit(x, x[:, :1], epochs=2, verbose=0, callbacks=[EpochLogger()])
    Epoch 1/2 - loss: 0.0000
    Epoch 2/2 - loss: 0.0000
    """

    def __init__(self, digits: int = 4):
        super().__init__()
        if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
            raise ValueError(f"digits must be a non-negative int, got {digits!r}.")
        self.digits = digits

    def on_epoch_end(self, epoch, logs=None):
        """Print the line of the epoch that just ended."""
        total = self.params.get("epochs", "?")
        metrics = " - ".join(
            f"{name}: {value:.{self.digits}f}" for name, value in (logs or {}).items()
        )
        print(f"Epoch {epoch + 1}/{total} - {metrics}".rstrip(" -"))
