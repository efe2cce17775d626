"""What the chapters train, recorded for the benchmarks.

The benchmarks (``benchmarks/registry.py`` in the book's repository) time
every model that the book trains, rebuilt with the same :mod:`dlbook`
function its chapter calls. So that the two cannot drift apart, each
chapter records what it trained with :func:`record_training`, in a hidden
cell: the run's :func:`training_signature` (layers, parameters, optimizer,
loss, batch size...), stored as a hidden MyST-NB glue output. A test
compares each registry entry's signature with the one its chapter recorded.
"""

from __future__ import annotations

from dlbook.checks import check_int
from dlbook.results import _KEY_PATTERN

#: Prefix of the glue keys under which trainings are stored.
TRAINING_GLUE_PREFIX = "dlbook-training:"

#: The MIME type of a training signature in a notebook's outputs.
TRAINING_MIME_TYPE = "application/vnd.dlbook.training+json"

#: The layer settings that a signature keeps, when a layer has them.
_LAYER_KEYS = ("units", "activation", "filters", "kernel_size", "strides",
               "padding", "pool_size", "rate", "kernel_regularizer")

def plain_json(value):
    """A Keras setting as plain JSON: objects by class and configuration.

    Serialized Keras objects (``{"module": ..., "class_name": ...,
    "config": ...}``) and objects with ``get_config`` (regularizers,
    optimizers, schedules, losses) become ``{"class_name", "config"}``;
    tuples become lists, dictionaries are sorted by key, NumPy scalars
    become Python numbers. Nothing holds a ``repr`` or a memory address.

    Examples
    --------
    >>> import keras
    >>> plain_json({"units": (16, 16), "reg": keras.regularizers.l2(0.01)})
    {'reg': {'class_name': 'L2', 'config': {'l2': 0.01}}, 'units': [16, 16]}
    """
    if isinstance(value, dict):
        if "class_name" in value and "config" in value:
            return {"class_name": value["class_name"],
                    "config": plain_json(value["config"])}
        return {str(k): plain_json(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "get_config"):
        return {"class_name": type(value).__name__,
                "config": plain_json(value.get_config())}
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    raise TypeError(f"cannot describe {type(value).__name__} {value!r} as JSON.")


def training_signature(model, *, batch_size: int, optimizer=None,
                       loss=None) -> dict:
    """What a training run of ``model`` is, as plain JSON.

    The layers (class and key settings: units, activation, filters, kernel
    size, strides, padding, pool size, dropout rate, weight regularizer;
    not their names, which Keras numbers per process), the input shape, the
    parameter count, the optimizer (class and learning rate, a schedule by
    its class and configuration), the loss, the metrics,
    ``steps_per_execution`` and the batch size. Two runs with equal
    signatures do the same work per step.

    Parameters
    ----------
    model : keras.Model
        A built model, compiled unless it trains in a loop of its own.
    batch_size : int
        Samples per training step.
    optimizer, loss : optional
        For a model trained by a hand-written loop: the optimizer and the
        loss it uses; by default the model's compiled ones.

    Returns
    -------
    dict

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> signature = training_signature(model, batch_size=4)
    >>> signature["layers"], signature["parameters"], signature["loss"]
    ([{'class_name': 'Dense', 'activation': 'linear', 'units': 2}], 8, 'mse')
    >>> signature["optimizer"]
    {'class_name': 'SGD', 'learning_rate': 0.009999999776482582}
    """
    check_int(batch_size, "batch_size", min_value=1)
    compiled = bool(getattr(model, "compiled", False))
    optimizer = optimizer if optimizer is not None else (
        model.optimizer if compiled else None)
    loss = loss if loss is not None else (model.loss if compiled else None)
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        config = layer.get_config()
        layers.append({"class_name": type(layer).__name__,
                       **{k: plain_json(config[k]) for k in sorted(_LAYER_KEYS)
                          if config.get(k) is not None}})
    compile_config = model.get_compile_config() if compiled else None
    return {
        "layers": layers,
        "input_shape": plain_json(model.input_shape),
        "parameters": int(model.count_params()),
        "compiled": compiled,
        "optimizer": None if optimizer is None else {
            "class_name": type(optimizer).__name__,
            "learning_rate": plain_json(optimizer.get_config()["learning_rate"]),
        },
        "loss": plain_json(loss),
        "metrics": plain_json(compile_config["metrics"]) if compile_config else None,
        "steps_per_execution": (int(model.steps_per_execution) if compiled
                                else None),
        "batch_size": int(batch_size),
    }


def optimizer_steps(models, optimizer=None) -> int:
    """How many training steps the models' optimizers have applied, in all.

    Each Keras optimizer counts its steps in ``optimizer.iterations``; a
    model trained by ``fit`` has its own (``model.optimizer``), a loop of
    one's own passes the optimizer it uses.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> _ = model.fit(np.zeros((8, 3)), np.zeros(8), batch_size=4, epochs=2,
    ...               verbose=0)
    >>> optimizer_steps([model])
    4
    """
    optimizers = ([optimizer] if optimizer is not None else
                  [getattr(model, "optimizer", None) for model in models])
    return sum(int(opt.iterations.numpy()) for opt in optimizers
               if opt is not None)


class _Training(dict):
    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {TRAINING_MIME_TYPE: dict(self),
                "text/plain": f"training {self['name']}"}


def record_training(name: str, models, *, batch_size: int, optimizer=None,
                    loss=None) -> dict:
    """Record what a chapter trained, for the benchmarks' model registry.

    Call it once per recipe, in a hidden cell after the training. It stores
    the :func:`training_signature` of the run in the notebook, as a hidden
    glue output named ``"dlbook-training:<name>"``, which a test compares
    with the benchmarks' entry of the same name, and how many steps the
    recipe trained (:func:`optimizer_steps`), from which the benchmarks
    count the book's training work. Several models trained by
    one recipe (the folds of a K-fold validation) are recorded together and
    must have the same signature. It reads the models only: it draws no
    random number.

    Parameters
    ----------
    name : str
        The registry's name for the recipe: lower-case words joined by
        ``-`` or ``_``, such as ``"ch3-imdb-16-16"``.
    models : keras.Model or sequence of keras.Model
        The trained model, or every model the recipe trained.
    batch_size : int
        The batch size it trained with.
    optimizer, loss : optional
        As in :func:`training_signature`, for a hand-written loop.

    Returns
    -------
    dict
        The signature.

    Raises
    ------
    ValueError
        If the models were not all trained the same way.

    Examples
    --------
    >>> import keras
    >>> def build(units):
    ...     model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])
    ...     model.compile(optimizer="sgd", loss="mse")
    ...     return model
    >>> signature = record_training("doc-example", [build(2), build(2)],
    ...                             batch_size=4)
    >>> signature["batch_size"], signature["parameters"]
    (4, 8)
    >>> record_training("doc-example", [build(2), build(5)], batch_size=4)
    Traceback (most recent call last):
    ...
    ValueError: doc-example: model 1 was trained unlike model 0: layers, ...
    """
    if not isinstance(name, str) or not _KEY_PATTERN.match(name):
        raise ValueError(
            "name must be lower-case words joined by '-' or '_', such as "
            f"'ch3-imdb-16-16'; got {name!r}."
        )
    models = list(models) if isinstance(models, (list, tuple)) else [models]
    if not models:
        raise ValueError(f"{name}: give the trained model, or a list of them.")
    first, *others = (training_signature(model, batch_size=batch_size,
                                         optimizer=optimizer, loss=loss)
                      for model in models)
    for index, signature in enumerate(others, start=1):
        if signature != first:
            changed = sorted(k for k in first if signature.get(k) != first[k])
            raise ValueError(f"{name}: model {index} was trained unlike model 0: "
                             f"{', '.join(changed)} differ.")
    from myst_nb import glue

    glue(TRAINING_GLUE_PREFIX + name,
         _Training(name=name, signature=first,
                   steps=optimizer_steps(models, optimizer)),
         display=False)
    return first
