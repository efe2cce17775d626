"""The registry of the book's models: each one as its chapter trains it.

:func:`book_models` lists every model that chapters 1 to 5 train, with the
``dlbook.models`` builder its chapter calls, the compile settings, batch
size and data of the chapter. Each chapter records what it trained with
:func:`dlbook.provenance.record_training`, and a test
(``tests/test_benchmarks_registry.py``) checks with :func:`mismatches` that
every entry's :meth:`BookModel.signature` equals its chapter's record.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.data import (
    boston,
    fashion_channels,
    fashion_flat,
    fashion_images,
    imdb_multi_hot,
    reuters_one_hot,
    reuters_sparse,
)
from dlbook.speed import STEPS_PER_EXECUTION


def plain(value):
    """A registry setting as plain JSON.

    Functions by name, Keras objects (regularizers, schedules) by class and
    configuration, tuples as lists; a function that makes a fresh optimizer
    is described by the optimizer's class and learning rate.

    Examples
    --------
    >>> plain((16, 16)), plain("rmsprop"), plain(0.5)
    ([16, 16], 'rmsprop', 0.5)
    >>> plain(_l2(0.001))
    {'class_name': 'L2', 'config': {'l2': 0.001}}
    """
    from dlbook.provenance import plain_json

    if callable(value) and not hasattr(value, "get_config"):
        if value in (_rmsprop_001, _rmsprop_cosine):
            # As the training signature: not the optimizer's numbered name.
            optimizer = value()
            return {"class_name": type(optimizer).__name__, "learning_rate":
                    plain_json(optimizer.get_config()["learning_rate"])}
        return value.__name__
    return plain_json(value)


def _l2(value):
    from keras import regularizers

    return regularizers.l2(value)


def _l1(value):
    from keras import regularizers

    return regularizers.l1(value)


def _l1_l2(value):
    from keras import regularizers

    return regularizers.l1_l2(l1=value, l2=value)


def _rmsprop_001():
    import keras

    return keras.optimizers.RMSprop(learning_rate=0.001)


def _rmsprop_cosine():
    """Chapter 5's schedule: cosine decay over 10 epochs of 60,000 / 64."""
    import keras

    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=1e-3, decay_steps=10 * math.ceil(60000 / 64))
    return keras.optimizers.RMSprop(learning_rate=schedule)


_ADAM_SPARSE = {"optimizer": "adam", "loss": "sparse_categorical_crossentropy",
                "metrics": ["accuracy"]}
_RMSPROP_SPARSE = dict(_ADAM_SPARSE, optimizer="rmsprop")
# Chapters 3 and 4 compile their small dense networks with the book's speed
# setting (the Boston builder uses it by default).
_SPE = {"steps_per_execution": STEPS_PER_EXECUTION}
_RMSPROP_BINARY = {"optimizer": "rmsprop", "loss": "binary_crossentropy",
                   "metrics": ["accuracy"], **_SPE}
_RMSPROP_CATEGORICAL = {"optimizer": "rmsprop",
                        "loss": "categorical_crossentropy",
                        "metrics": ["accuracy"], **_SPE}


@dataclass(frozen=True)
class BookModel:
    """One model the book trains, with how its chapter trains it.

    Attributes
    ----------
    name : str
        Short unique name, ``chN-...``.
    chapter : int
    kind : str
        ``"dense"`` or ``"convnet"``.
    builder : callable
        Returns the model: the builder of :mod:`dlbook.models` that the
        chapter calls.
    builder_kwargs : dict
        Arguments for ``builder``.
    compile_kwargs : dict or None
        ``model.compile`` arguments, as in the chapter; an ``optimizer`` that
        is a function is called for a fresh optimizer. None when the builder
        compiles (``build_and_compile_boston_model``).
    batch_size : int
    data : callable
        Returns ``(x, y)``, real training data as the chapter feeds it.
    loop : str
        ``"fit"``, or ``"gradient_tape"`` for chapter 2's hand-written loop.
    note : str
    """

    name: str
    chapter: int
    kind: str
    builder: Callable
    compile_kwargs: dict | None
    batch_size: int
    data: Callable
    builder_kwargs: dict = field(default_factory=dict)
    loop: str = "fit"
    note: str = ""

    def build(self):
        """Build (and compile, as the chapter does) a fresh model."""
        model = self.builder(**self.builder_kwargs)
        if self.compile_kwargs is not None:
            kwargs = dict(self.compile_kwargs)
            if callable(kwargs.get("optimizer")):
                kwargs["optimizer"] = kwargs["optimizer"]()
            model.compile(**kwargs)
        return model

    def training(self):
        """A fresh model and the optimizer and loss of its training loop.

        Returns
        -------
        tuple
            ``(model, optimizer, loss)``; the last two are None for a model
            that ``fit`` trains (the model is compiled with them).
        """
        model = self.build()
        if self.loop == "gradient_tape":
            _, optimizer, loss = gradient_tape_step(model)
            return model, optimizer, loss
        return model, None, None

    def signature(self) -> dict:
        """:func:`dlbook.provenance.training_signature` of a fresh model."""
        from dlbook.provenance import training_signature

        model, optimizer, loss = self.training()
        return training_signature(model, batch_size=self.batch_size,
                                  optimizer=optimizer, loss=loss)

    def describe(self) -> dict:
        """The entry as plain JSON: Keras objects by class and configuration."""
        compile_kwargs = ("by the builder" if self.compile_kwargs is None else
                          {k: plain(v) for k, v in self.compile_kwargs.items()})
        return {
            "name": self.name, "chapter": self.chapter, "kind": self.kind,
            "builder": self.builder.__name__,
            "builder_kwargs": {k: plain(v)
                               for k, v in self.builder_kwargs.items()},
            "compile": compile_kwargs,
            "batch_size": self.batch_size, "loop": self.loop,
            "data": self.data.__name__, "note": self.note,
        }


def book_models() -> list[BookModel]:
    """Every model that chapters 1 to 5 train, as its chapter trains it.

    Left out: chapter 2's logistic regression trained by NumPy mini-batch SGD
    (no TensorFlow graph to count, and no Keras model), chapter 4's one-layer
    probes of the "last-layer activation and loss" table (five
    ``train_on_batch`` steps each on 256 samples, not a training run) and
    chapter 5's convnet without pooling (built for its shapes, not trained).
    Sharing a builder and a batch size, several entries have the same cost:
    they are listed because the chapters train them.

    Returns
    -------
    list of BookModel
    """
    from functools import partial

    from dlbook.models import (
        build_and_compile_boston_model,
        build_convnet,
        build_dense_classifier,
        build_functional_classifier,
        build_imdb_model,
        build_layered_network,
        build_reuters_model,
        build_sequential_classifier,
    )

    dense = "dense"
    imdb = partial(BookModel, chapter=4, kind=dense, builder=build_imdb_model,
                   compile_kwargs=_RMSPROP_BINARY, batch_size=512,
                   data=imdb_multi_hot)
    return [
        BookModel("ch1-dense-256-64", 1, dense, build_layered_network,
                  _ADAM_SPARSE, 128, fashion_images,
                  {"input_shape": (28, 28), "first_units": 256,
                   "second_units": 64}),
        BookModel("ch2-dense-512", 2, dense, build_dense_classifier,
                  _ADAM_SPARSE, 128, fashion_images,
                  {"input_shape": (28, 28), "hidden_units": 512}),
        BookModel("ch2-dense-128", 2, dense, build_dense_classifier,
                  _ADAM_SPARSE, 128, fashion_images,
                  {"input_shape": (28, 28), "hidden_units": 128}),
        BookModel("ch2-gradient-tape-loop", 2, dense, build_dense_classifier,
                  None, 128, fashion_images,
                  {"input_shape": (28, 28), "hidden_units": 512},
                  loop="gradient_tape",
                  note="chapter 2's tf.function train step (Adam) called "
                       "on shuffled NumPy batches in a Python loop"),
        BookModel("ch3-fashion-dense-32", 3, dense,
                  build_functional_classifier,
                  {**_RMSPROP_SPARSE, "optimizer": _rmsprop_001, **_SPE}, 64,
                  fashion_flat, {"hidden_units": 32},
                  note="the functional API"),
        BookModel("ch3-imdb-16-16", 3, dense, build_imdb_model,
                  _RMSPROP_BINARY, 512, imdb_multi_hot,
                  {"hidden_units": (16, 16)}),
        BookModel("ch3-reuters-64-64", 3, dense, build_reuters_model,
                  _RMSPROP_CATEGORICAL, 512, reuters_one_hot,
                  {"hidden_units": (64, 64)}),
        BookModel("ch3-reuters-64-64-sparse", 3, dense, build_reuters_model,
                  dict(_RMSPROP_CATEGORICAL,
                       loss="sparse_categorical_crossentropy"),
                  512, reuters_sparse, {"hidden_units": (64, 64)}),
        BookModel("ch3-reuters-64-4", 3, dense, build_reuters_model,
                  _RMSPROP_CATEGORICAL, 512, reuters_one_hot,
                  {"hidden_units": (64, 4)}, note="the bottleneck"),
        BookModel("ch3-boston-kfold", 3, dense, build_and_compile_boston_model, None, 1,
                  boston, {}, note="4-fold validation, batches of 1"),
        BookModel("ch3-boston-final", 3, dense, build_and_compile_boston_model,
                  None, 1, boston, {},
                  note="batches of 1, as the folds that chose its epochs"),
        BookModel("ch3-boston-chollet-recipe", 3, dense,
                  build_and_compile_boston_model, None, 16, boston, {},
                  note="Chollet's final recipe: 80 epochs, batches of 16"),
        BookModel("ch4-fashion-dense-64", 4, dense,
                  build_sequential_classifier,
                  {**_RMSPROP_SPARSE, **_SPE}, 128, fashion_flat,
                  {"hidden_units": 64}, note="split_and_train"),
        BookModel("ch4-boston-iterated", 4, dense, build_and_compile_boston_model, None,
                  16, boston, {},
                  note="iterated 4-fold validation"),
        imdb(name="ch4-imdb-4-4", builder_kwargs={"hidden_units": (4, 4)}),
        imdb(name="ch4-imdb-512-512",
             builder_kwargs={"hidden_units": (512, 512)}),
        imdb(name="ch4-imdb-l2", builder_kwargs={
            "hidden_units": (16, 16), "kernel_regularizer": _l2(0.001)}),
        imdb(name="ch4-imdb-l1", builder_kwargs={
            "hidden_units": (16, 16), "kernel_regularizer": _l1(0.001)}),
        imdb(name="ch4-imdb-l1-l2", builder_kwargs={
            "hidden_units": (16, 16), "kernel_regularizer": _l1_l2(0.001)}),
        imdb(name="ch4-imdb-dropout",
             builder_kwargs={"hidden_units": (16, 16), "dropout": 0.5}),
        imdb(name="ch4-imdb-grid-64", builder_kwargs={
            "hidden_units": (64, 64), "dropout": 0.5,
            "kernel_regularizer": _l2(0.001)},
             note="the largest configuration of the 8-run grid"),
        BookModel("ch5-convnet", 5, "convnet", build_convnet,
                  dict(_RMSPROP_SPARSE), 64, fashion_channels,
                  {"input_shape": (28, 28, 1)}),
        BookModel("ch5-dense-512", 5, dense, build_dense_classifier,
                  _ADAM_SPARSE, 128, fashion_images,
                  {"input_shape": (28, 28), "hidden_units": 512},
                  note="chapter 5's dense baseline (chapter 2's network)"),
        BookModel("ch5-convnet-regularized", 5, "convnet", build_convnet,
                  {**_RMSPROP_SPARSE, "optimizer": _rmsprop_cosine}, 64,
                  fashion_channels, {"dropout": 0.5}),
    ]


def gradient_tape_step(model):
    """Chapter 2's hand-written training step, as its cell writes it.

    Returns
    -------
    tuple
        ``(train_step, optimizer, loss_fn)``: the ``tf.function`` of one
        step on a batch, and the optimizer and loss it uses.
    """
    import keras
    import tensorflow as tf

    optimizer = keras.optimizers.Adam()
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    train_accuracy = keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            predictions = model(images, training=True)
            loss = loss_fn(labels, predictions)
        gradients = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(
            zip(gradients, model.trainable_weights, strict=True))
        train_accuracy.update_state(labels, predictions)
        return loss

    return train_step, optimizer, loss_fn


# ---------------------------------------------------------------------------
# The registry against the chapters' records
# ---------------------------------------------------------------------------

_CHAPTER = re.compile(r"^ch0*(\d+)_")


def _training_records(folder: Path):
    """``(doc, record)`` for every training the executed chapters recorded."""
    from dlbook.provenance import TRAINING_GLUE_PREFIX, TRAINING_MIME_TYPE

    for path in sorted(Path(folder).glob("*.glue.json")):
        doc = path.name[:-len(".glue.json")]
        for key, output in json.loads(path.read_text(encoding="utf-8")).items():
            if key.startswith(TRAINING_GLUE_PREFIX):
                yield doc, output["data"][TRAINING_MIME_TYPE]


def read_recorded_trainings(folder: Path) -> dict[str, tuple[str, dict]]:
    """The trainings the executed chapters recorded, by name.

    Parameters
    ----------
    folder : pathlib.Path
        MyST-NB's ``jupyter_execute`` folder, with one ``<doc>.glue.json``
        per executed chapter.

    Returns
    -------
    dict
        ``name -> (doc, signature)``.

    Raises
    ------
    ValueError
        If two chapters record the same name.
    """
    recorded: dict[str, tuple[str, dict]] = {}
    for doc, record in _training_records(folder):
        if record["name"] in recorded:
            raise ValueError(f"{record['name']} is recorded by both "
                             f"{recorded[record['name']][0]} and {doc}.")
        recorded[record["name"]] = (doc, record["signature"])
    return recorded


def read_training_steps(folder: Path) -> dict[str, dict]:
    """How many steps each recorded training took, by name.

    Returns
    -------
    dict
        ``name -> {"doc", "steps", "batch_size"}``; ``steps`` is None for a
        record written before chapters recorded their steps.
    """
    return {record["name"]: {"doc": doc, "steps": record.get("steps"),
                             "batch_size": record["signature"]["batch_size"]}
            for doc, record in _training_records(folder)}


def mismatches(recorded: dict[str, tuple[str, dict]],
               specs: list[BookModel] | None = None) -> list[str]:
    """How the registry differs from what the chapters recorded.

    Parameters
    ----------
    recorded : dict
        ``name -> (doc, signature)``, as :func:`read_recorded_trainings`.
    specs : list of BookModel, optional
        By default :func:`book_models`.

    Returns
    -------
    list of str
        One line per entry that its chapter did not record, recorded in
        another chapter, or recorded with another signature (naming the
        fields that differ), and per recorded training that has no entry;
        empty when the two agree.
    """
    specs = book_models() if specs is None else specs
    problems = []
    names = {spec.name for spec in specs}
    for spec in specs:
        if spec.name not in recorded:
            problems.append(f"{spec.name}: chapter {spec.chapter} records no "
                            "training of that name")
            continue
        doc, signature = recorded[spec.name]
        match = _CHAPTER.match(doc)
        if not match or int(match[1]) != spec.chapter:
            problems.append(f"{spec.name}: recorded by {doc}, not by chapter "
                            f"{spec.chapter}")
        # Through JSON, as the notebook stored it.
        expected = json.loads(json.dumps(spec.signature()))
        if expected != signature:
            fields = sorted(k for k in expected.keys() | signature.keys()
                            if expected.get(k) != signature.get(k))
            problems.append(f"{spec.name}: the registry's {', '.join(fields)} "
                            f"differ from what {doc} trained")
    problems += [f"{name}: recorded by {doc}, but not in the registry"
                 for name, (doc, _) in sorted(recorded.items())
                 if name not in names]
    return problems
