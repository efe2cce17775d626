"""The benchmarks' model registry is what the chapters train.

Each chapter records its trainings with ``dlbook.provenance.record_training``
(a hidden glue output); the slow test reads them from the built book and
compares each with the registry entry of the same name. The fast tests
check the signature and the comparison on tiny, hand-made models.
"""

import copy
import dataclasses
import json
import subprocess
from pathlib import Path

import pytest

from benchmarks.registry import (
    book_models,
    mismatches,
    read_recorded_trainings,
)
from dlbook.provenance import (
    TRAINING_GLUE_PREFIX,
    TRAINING_MIME_TYPE,
    record_training,
    training_signature,
)

ROOT = Path(__file__).resolve().parents[1]
EXECUTED = ROOT / "_build" / "jupyter_execute"


def _tiny(units=3, dropout=0.0, regularizer=None, functional=False):
    import keras
    from keras import layers

    hidden = layers.Dense(units, activation="relu",
                          kernel_regularizer=regularizer)
    output = layers.Dense(2, activation="softmax")
    if functional:
        inputs = keras.Input(shape=(4,))
        x = hidden(inputs)
        if dropout:
            x = layers.Dropout(dropout)(x)
        return keras.Model(inputs, output(x))
    stack = [keras.Input(shape=(4,)), hidden]
    stack += [layers.Dropout(dropout)] if dropout else []
    return keras.Sequential([*stack, output])


def _compiled(model, **kwargs):
    options = dict(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
    model.compile(**{**options, **kwargs})
    return model


def test_the_signature_holds_layers_weights_and_compile_settings():
    import keras

    model = _compiled(_tiny(dropout=0.5,
                            regularizer=keras.regularizers.l2(0.01)),
                      steps_per_execution=8)
    signature = training_signature(model, batch_size=32)
    assert json.loads(json.dumps(signature)) == signature  # plain JSON
    assert signature["layers"] == [
        {"class_name": "Dense", "activation": "relu", "units": 3,
         "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}},
        {"class_name": "Dropout", "rate": 0.5},
        {"class_name": "Dense", "activation": "softmax", "units": 2},
    ]
    assert signature["parameters"] == 5 * 3 + 4 * 2
    assert signature["input_shape"] == [None, 4]
    assert signature["optimizer"]["class_name"] == "RMSprop"
    assert signature["optimizer"]["learning_rate"] == pytest.approx(0.001)
    assert signature["loss"] == "sparse_categorical_crossentropy"
    assert signature["metrics"] == ["accuracy"]
    assert (signature["steps_per_execution"], signature["batch_size"]) == (8, 32)


def test_the_signature_tells_apart_what_changes_the_work():
    base = training_signature(_compiled(_tiny()), batch_size=32)
    assert training_signature(_compiled(_tiny()), batch_size=32) == base
    # The functional API builds the same layers: the same signature.
    assert training_signature(_compiled(_tiny(functional=True)),
                              batch_size=32) == base
    for other in (training_signature(_compiled(_tiny(units=4)), batch_size=32),
                  training_signature(_compiled(_tiny()), batch_size=16),
                  training_signature(_compiled(_tiny(), optimizer="adam"),
                                     batch_size=32),
                  training_signature(_compiled(_tiny(), steps_per_execution=2),
                                     batch_size=32),
                  training_signature(_compiled(_tiny(dropout=0.2)),
                                     batch_size=32)):
        assert other != base


def test_a_learning_rate_schedule_is_described_by_its_configuration():
    import keras

    schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=100)
    model = _compiled(_tiny(), optimizer=keras.optimizers.RMSprop(schedule))
    rate = training_signature(model, batch_size=8)["optimizer"]["learning_rate"]
    assert rate["class_name"] == "CosineDecay"
    assert rate["config"]["decay_steps"] == 100
    assert "0x" not in json.dumps(rate)


def test_a_hand_written_loop_gives_its_optimizer_and_loss():
    import keras

    model = _tiny()
    bare = training_signature(model, batch_size=8)
    assert bare["compiled"] is False and bare["optimizer"] is None
    looped = training_signature(
        model, batch_size=8, optimizer=keras.optimizers.Adam(),
        loss=keras.losses.SparseCategoricalCrossentropy())
    assert looped["optimizer"]["class_name"] == "Adam"
    assert looped["loss"]["class_name"] == "SparseCategoricalCrossentropy"


def test_models_recorded_together_must_have_trained_alike():
    one = record_training("test-one", _compiled(_tiny()), batch_size=8)
    folds = [_compiled(_tiny()) for _ in range(3)]
    assert record_training("test-folds", folds, batch_size=8) == one
    with pytest.raises(ValueError, match="model 2 was trained unlike model 0: "
                                         "layers, parameters differ"):
        record_training("test-folds", [*folds[:2], _compiled(_tiny(units=5))],
                        batch_size=8)
    with pytest.raises(ValueError, match="a list of them"):
        record_training("test-none", [], batch_size=8)
    with pytest.raises(ValueError, match="lower-case words"):
        record_training("Not A Name", _compiled(_tiny()), batch_size=8)


def _recorded_as_the_chapters(specs):
    """What a faithful book would record: each entry's own signature."""
    return {spec.name: (f"ch0{spec.chapter}_chapter",
                        json.loads(json.dumps(spec.signature())))
            for spec in specs}


def test_the_comparison_finds_a_changed_entry_and_a_missing_one():
    specs = [s for s in book_models()
             if s.name in ("ch3-boston-final", "ch4-fashion-dense-64")]
    recorded = _recorded_as_the_chapters(specs)
    assert mismatches(recorded, specs) == []
    # The mutation: one more unit in the registry than the chapter trained.
    fashion = next(s for s in specs if s.name == "ch4-fashion-dense-64")
    wider = dataclasses.replace(fashion, builder_kwargs={"hidden_units": 65})
    problems = mismatches(recorded, [specs[0], wider])
    assert problems == ["ch4-fashion-dense-64: the registry's layers, "
                        "parameters differ from what ch04_chapter trained"]
    # Another batch size, another chapter, a training with no entry.
    other = copy.deepcopy(recorded)
    other["ch3-boston-final"][1]["batch_size"] = 32
    other["ch4-fashion-dense-64"] = ("ch05_convnets",
                                     other["ch4-fashion-dense-64"][1])
    other["ch9-unknown"] = ("ch09_x", {})
    assert mismatches(other, specs) == [
        "ch3-boston-final: the registry's batch_size differ from what "
        "ch03_chapter trained",
        "ch4-fashion-dense-64: recorded by ch05_convnets, not by chapter 4",
        "ch9-unknown: recorded by ch09_x, but not in the registry",
    ]
    del other["ch3-boston-final"]
    assert mismatches(other, specs)[0] == (
        "ch3-boston-final: chapter 3 records no training of that name")


def test_recorded_trainings_are_read_from_the_glue_files(tmp_path):
    signature = {"batch_size": 8}
    glue = {TRAINING_GLUE_PREFIX + "ch1-x": {"data": {TRAINING_MIME_TYPE: {
        "name": "ch1-x", "signature": signature}}},
        "other": {"data": {"text/plain": "3"}}}
    (tmp_path / "ch01_a.glue.json").write_text(json.dumps(glue))
    assert read_recorded_trainings(tmp_path) == {"ch1-x": ("ch01_a", signature)}
    (tmp_path / "ch02_b.glue.json").write_text(json.dumps(glue))
    with pytest.raises(ValueError, match="recorded by both ch01_a and ch02_b"):
        read_recorded_trainings(tmp_path)


@pytest.fixture(scope="module")
def built_book():
    done = subprocess.run(["make", "--no-print-directory", "html"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"make html failed:\n{done.stdout[-6000:]}"
    return EXECUTED


@pytest.mark.slow
def test_every_registry_entry_is_what_its_chapter_trains(built_book):
    recorded = read_recorded_trainings(built_book)
    assert len(recorded) == len(book_models())
    assert mismatches(recorded) == []
