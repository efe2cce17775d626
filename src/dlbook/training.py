"""Helpers around ``model.fit``."""

from __future__ import annotations

import keras

from dlbook.checks import check_int


class EpochLogger(keras.callbacks.Callback):
    """Print one short line per epoch: its number and its metrics.

    Use it with ``model.fit(..., verbose=0, callbacks=[EpochLogger()])``.
    Unlike Keras' ``verbose=2`` it leaves out timings, so two runs of a
    deterministic chapter print exactly the same log. The loss comes first,
    then the other metrics; validation metrics follow a ``|``, without their
    ``val_`` prefix, so that a line fits the width of a book page.

    Parameters
    ----------
    digits : int
        Decimal places shown for each metric.

    Examples
    --------
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    >>> x = np.zeros((4, 2), "float32")
    >>> _ = model.fit(x, x[:, :1], epochs=2, validation_data=(x, x[:, :1]),
    ...               verbose=0, callbacks=[EpochLogger()])
    Epoch 1/2 - loss 0.0000, mae 0.0000 | val loss 0.0000, mae 0.0000
    Epoch 2/2 - loss 0.0000, mae 0.0000 | val loss 0.0000, mae 0.0000
    """

    def __init__(self, digits: int = 4):
        super().__init__()
        check_int(digits, "digits", min_value=0)
        self.digits = digits

    def _format(self, logs):
        names = sorted(logs, key=lambda name: name != "loss")  # loss first
        return ", ".join(f"{name} {logs[name]:.{self.digits}f}" for name in names)

    def on_epoch_end(self, epoch, logs=None):
        """Print the line of the epoch that just ended."""
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        line = f"Epoch {epoch + 1}/{self.params.get('epochs', '?')}"
        if train:
            line += " - " + self._format(train)
        if val:
            line += " | val " + self._format(val)
        print(line)
