"""dlbook.speed: the speed settings change how fast, not what, is computed."""

import keras
import numpy as np
import pytest

from dlbook.crossval import k_fold_validate
from dlbook.models import build_and_compile_boston_model
from dlbook.speed import STEPS_PER_EXECUTION, VALIDATION_BATCH_SIZE


def _trained_weights(steps_per_execution, x, y, batch_size):
    keras.utils.set_random_seed(0)
    model = build_and_compile_boston_model(
        input_dim=x.shape[1], hidden_units=(8,), optimizer="sgd",
        steps_per_execution=steps_per_execution,
    )
    model.fit(x, y, epochs=2, batch_size=batch_size, shuffle=False, verbose=0)
    return model.get_weights()


@pytest.mark.parametrize("n_samples", [40, 4 * STEPS_PER_EXECUTION + 12])
def test_steps_per_execution_applies_the_same_updates(n_samples):
    # Fewer steps per epoch than STEPS_PER_EXECUTION, and more with a
    # remainder: both end with a partial execution.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n_samples, 3)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5], "float32") + 1
    one_at_a_time = _trained_weights(1, x, y, batch_size=4)
    grouped = _trained_weights(STEPS_PER_EXECUTION, x, y, batch_size=4)
    assert STEPS_PER_EXECUTION > 1
    for a, b in zip(one_at_a_time, grouped, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_the_boston_builder_runs_the_books_steps_per_execution():
    assert build_and_compile_boston_model().steps_per_execution == STEPS_PER_EXECUTION


def test_the_validation_batch_size_leaves_the_fold_scores_unchanged():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 2)).astype("float32")
    y = (x.sum(axis=1) + 0.1 * rng.normal(size=30)).astype("float32")

    def build():
        return build_and_compile_boston_model(input_dim=2, hidden_units=(4,))

    scores = []
    for validation_batch_size in (1, VALIDATION_BATCH_SIZE):
        keras.utils.set_random_seed(0)
        result = k_fold_validate(build, x, y, k=3, epochs=2, batch_size=2,
                                 validation_batch_size=validation_batch_size)
        scores.append((result.fold_scores("mae"),
                       result.mean_history("val_loss")))
    (mae_1, val_1), (mae_big, val_big) = scores
    np.testing.assert_allclose(mae_1, mae_big, rtol=1e-5)
    np.testing.assert_allclose(val_1, val_big, rtol=1e-5)


def test_a_bad_validation_batch_size_is_refused_by_name():
    with pytest.raises((TypeError, ValueError), match="validation_batch_size"):
        k_fold_validate(lambda: None, np.zeros((4, 1)), np.zeros(4), k=2,
                        validation_batch_size=0)
