"""dlbook.training and dlbook.reproducibility."""

import keras
import numpy as np
import pytest

from dlbook.reproducibility import SEED_VARIABLE, make_deterministic
from dlbook.training import EpochLogger


def _tiny_fit(logger, epochs=3, validation=False):
    make_deterministic(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.arange(24, dtype="float32").reshape(8, 3) / 24
    y = x.sum(axis=1, keepdims=True)
    return model.fit(
        x, y, epochs=epochs, batch_size=4, verbose=0, callbacks=[logger],
        validation_split=0.25 if validation else 0.0,
    )


def test_epoch_logger_prints_one_line_per_epoch(capsys):
    history = _tiny_fit(EpochLogger(digits=3), epochs=3, validation=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Epoch 1/3 - loss ")
    logs = {k: v[-1] for k, v in history.history.items()}
    assert lines[-1] == (
        f"Epoch 3/3 - loss {logs['loss']:.3f}, mae {logs['mae']:.3f} | "
        f"val loss {logs['val_loss']:.3f}, mae {logs['val_mae']:.3f}"
    )
    assert "ms/step" not in lines[-1]


def test_epoch_logger_is_repeatable(capsys):
    _tiny_fit(EpochLogger())
    first = capsys.readouterr().out
    _tiny_fit(EpochLogger())
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(
    ("digits", "error", "message"),
    [
        (-1, ValueError, "digits == -1, must be >= 0"),
        (2.0, TypeError, "digits must be an instance of int, not float"),
        (True, TypeError, "digits must be an integer, not bool"),
    ],
)
def test_epoch_logger_checks_digits(digits, error, message):
    with pytest.raises(error, match=message):
        EpochLogger(digits=digits)


def test_make_deterministic_repeats_weight_initialisation():
    make_deterministic(7)
    first = keras.layers.Dense(4)
    first.build((None, 3))
    make_deterministic(7)
    second = keras.layers.Dense(4)
    second.build((None, 3))
    np.testing.assert_array_equal(first.kernel.numpy(), second.kernel.numpy())
    make_deterministic(8)
    third = keras.layers.Dense(4)
    third.build((None, 3))
    assert not np.array_equal(first.kernel.numpy(), third.kernel.numpy())


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, "seed == -1, must be >= 0"),
        (1.5, TypeError, "seed must be an instance of int, not float"),
        ("0", TypeError, "seed must be an instance of int, not str"),
        (None, TypeError, "seed must be an instance of int, not NoneType"),
    ],
)
def test_make_deterministic_checks_seed(seed, error, message):
    with pytest.raises(error, match=message):
        make_deterministic(seed)


def _kernel_after(seed):
    make_deterministic(seed)
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    return layer.kernel.numpy()


def test_the_seed_setting_replaces_the_seed_the_code_names(monkeypatch):
    monkeypatch.delenv(SEED_VARIABLE, raising=False)
    seed_3 = _kernel_after(3)
    monkeypatch.setenv(SEED_VARIABLE, "3")
    np.testing.assert_array_equal(_kernel_after(0), seed_3)
    monkeypatch.setenv(SEED_VARIABLE, "")  # empty: unset
    assert not np.array_equal(_kernel_after(0), seed_3)


@pytest.mark.parametrize("text", ["-1", "1.5", "three", " "])
def test_a_bad_seed_setting_names_the_variable(monkeypatch, text):
    monkeypatch.setenv(SEED_VARIABLE, text)
    with pytest.raises(ValueError, match=f"{SEED_VARIABLE} must be a non-negative"):
        make_deterministic(0)
