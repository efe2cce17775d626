"""dlbook.crossval."""

import keras
import numpy as np
import pytest

from dlbook.crossval import KFoldResult, k_fold_validate


def build_linear():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def inputs_of(dataset):
    """The inputs a dataset of (x, y) batches yields once, flattened, in order."""
    return np.concatenate([x.numpy().ravel() for x, _ in dataset]).tolist()


class Recorder:
    """A model builder that remembers the data each model was fitted on:
    the training inputs sorted (their batches are shuffled), the held-out
    ones in order."""

    def __init__(self):
        self.fits = []

    def __call__(self):
        model = build_linear()
        original_fit = model.fit

        def fit(x, validation_data, **kwargs):
            self.fits.append((sorted(inputs_of(x)), inputs_of(validation_data)))
            return original_fit(x, validation_data=validation_data, **kwargs)

        model.fit = fit
        return model


def test_folds_are_contiguous_and_cover_every_sample_once():
    x = np.arange(8, dtype="float32").reshape(-1, 1)
    recorder = Recorder()
    result = k_fold_validate(recorder, x, x, k=4, epochs=2, batch_size=4)
    validation_parts = [val for _, val in recorder.fits]
    assert validation_parts == [[0, 1], [2, 3], [4, 5], [6, 7]]
    for train, val in recorder.fits:
        assert sorted(train + val) == list(range(8))
    assert len(result.scores) == 4 and len(result.histories) == 4
    assert all(len(h["val_mae"]) == 2 for h in result.histories)
    # the final score is the validation MAE of the last epoch
    np.testing.assert_allclose(
        result.fold_scores("mae"), [h["val_mae"][-1] for h in result.histories],
        rtol=1e-5,
    )


def test_shuffle_with_a_seed_is_repeatable_and_differs_from_contiguous():
    x = np.arange(12, dtype="float32").reshape(-1, 1)
    first, second = Recorder(), Recorder()
    k_fold_validate(first, x, x, k=3, epochs=1, batch_size=4, shuffle=True, seed=1)
    k_fold_validate(second, x, x, k=3, epochs=1, batch_size=4, shuffle=True, seed=1)
    assert first.fits == second.fits
    assert [val for _, val in first.fits][0] != [0, 1, 2, 3]


def test_mean_history_averages_the_folds():
    result = KFoldResult(histories=[{"val_mae": [1.0, 3.0]}, {"val_mae": [3.0, 5.0]}])
    np.testing.assert_array_equal(result.mean_history("val_mae"), [2.0, 4.0])
    with pytest.raises(KeyError, match="No history 'mae'"):
        result.mean_history("mae")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"k": 1}, ValueError, "k == 1, must be >= 2"),
        ({"k": 2.0}, TypeError, "k must be an instance of int, not float"),
        ({"k": True}, TypeError, "k must be an integer, not bool"),
        ({"k": 5}, ValueError, r"k=5 is larger than the number of samples \(4\)"),
        ({"validation_split": 0.2}, ValueError, "sets.*validation_split"),
    ],
)
def test_k_fold_checks_its_input(kwargs, error, message):
    x = np.zeros((4, 1), "float32")
    with pytest.raises(error, match=message):
        k_fold_validate(build_linear, x, x, epochs=1, **kwargs)


def test_k_fold_checks_lengths_and_the_builder():
    x = np.zeros((4, 1), "float32")
    with pytest.raises(ValueError, match="x has 4 samples but y has 3"):
        k_fold_validate(build_linear, x, x[:3], k=2)
    with pytest.raises(TypeError, match="build_model must be a function"):
        k_fold_validate(build_linear(), x, x, k=2)


def test_iterated_k_fold_repeats_shuffled_k_folds():
    from dlbook.crossval import iterated_k_fold_validate

    x = np.arange(12, dtype="float32").reshape(-1, 1)
    recorder = Recorder()
    result = iterated_k_fold_validate(
        recorder, x, x, k=3, repeats=2, seed=5, epochs=1, batch_size=4
    )
    assert len(result.scores) == 6 and len(result.histories) == 6
    validation_parts = [val for _, val in recorder.fits]
    for r in range(2):  # each repetition validates on every sample once
        seen = sorted(sum(validation_parts[3 * r:3 * r + 3], []))
        assert seen == list(range(12))
    # the two repetitions shuffle differently, and neither is contiguous
    assert validation_parts[:3] != validation_parts[3:]
    assert validation_parts[0] != [0, 1, 2, 3]
    # the same seed repeats the same folds
    again = Recorder()
    iterated_k_fold_validate(again, x, x, k=3, repeats=2, seed=5, epochs=1,
                             batch_size=4)
    assert again.fits == recorder.fits


def test_iterated_k_fold_checks_its_input():
    from dlbook.crossval import iterated_k_fold_validate

    x = np.zeros((4, 1), "float32")
    with pytest.raises(ValueError, match="repeats == 0, must be >= 1"):
        iterated_k_fold_validate(build_linear, x, x, k=2, repeats=0)
    with pytest.raises(TypeError,
                       match="repeats must be an instance of int, not float"):
        iterated_k_fold_validate(build_linear, x, x, k=2, repeats=2.0)
    with pytest.raises(ValueError, match="shuffles itself"):
        iterated_k_fold_validate(build_linear, x, x, k=2, shuffle=False)
    with pytest.raises(ValueError, match="k == 1, must be >= 2"):
        iterated_k_fold_validate(build_linear, x, x, k=1, epochs=1)


def test_each_fold_is_preprocessed_with_its_own_training_statistics():
    from sklearn.preprocessing import StandardScaler

    x = np.arange(8, dtype="float32").reshape(-1, 1)
    recorder, scaler = Recorder(), StandardScaler()
    k_fold_validate(recorder, x, x, k=4, epochs=1, batch_size=4,
                    preprocessing=scaler)
    for (train, val), held_out in zip(recorder.fits, np.split(x.ravel(), 4),
                                      strict=True):
        rest = np.setdiff1d(x.ravel(), held_out)
        np.testing.assert_allclose(train, (rest - rest.mean()) / rest.std(),
                                   rtol=1e-5)
        np.testing.assert_allclose(val, (held_out - rest.mean()) / rest.std(),
                                   rtol=1e-5)
    assert not hasattr(scaler, "mean_"), "the caller's transformer stays unfitted"


def test_preprocessing_must_be_a_transformer():
    with pytest.raises(TypeError, match="StandardScaler"):
        k_fold_validate(build_linear, np.zeros((4, 1)), np.zeros(4), k=2,
                        preprocessing=lambda x: x)


def test_each_epoch_trains_on_every_sample_once_in_a_new_order():
    # 10 samples in batches of 4: two full batches and a remainder of 2 each
    # epoch, even when Keras runs up to 32 steps per call.
    x = np.arange(10, dtype="float32").reshape(-1, 1)
    seen = []

    def build():
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse", steps_per_execution=32)
        original_fit = model.fit

        def fit(x, validation_data, **kwargs):
            for _ in range(3):  # the epochs of one fold, as fit iterates them
                seen.append([batch.numpy().ravel().tolist() for batch, _ in x])
            return original_fit(x, validation_data=validation_data, **kwargs)

        model.fit = fit
        return model

    keras.utils.set_random_seed(0)
    result = k_fold_validate(build, np.tile(x, (2, 1)), np.tile(x, (2, 1)).ravel(),
                             k=2, epochs=3, batch_size=4)
    for epoch in seen:
        assert [len(batch) for batch in epoch] == [4, 4, 2]
        assert sorted(sum(epoch, [])) == list(range(10))
    assert len({tuple(sum(epoch, [])) for epoch in seen[:3]}) > 1
    # three epochs of three steps: the steps per call do not run past an epoch
    assert [int(m.optimizer.iterations) for m in result.models] == [9, 9]


def test_the_fold_scores_are_the_held_out_folds_evaluated_after_training():
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(-1, 1)
    y = 3 * x.ravel() + 1
    keras.utils.set_random_seed(0)
    result = k_fold_validate(build_linear, x, y, k=3, epochs=2, batch_size=5)
    for model, score, held_out in zip(result.models, result.scores,
                                      np.split(np.arange(12), 3), strict=True):
        expected = model.evaluate(x[held_out], y[held_out], verbose=0,
                                  return_dict=True)
        assert score == pytest.approx(expected, rel=1e-6)


def test_k_fold_gives_fit_no_cause_for_a_warning(recwarn):
    x = np.zeros((8, 1), "float32")
    k_fold_validate(build_linear, x, x, k=2, epochs=1, batch_size=4)
    assert [str(w.message) for w in recwarn] == []
