"""The book's headline results: recorded by the chapters, enforced, published.

A chapter calls :func:`record_result` once per headline figure (a test
accuracy, a mean absolute error). The call checks the figure against the
floor that the book promises and fails the build with a clear message when
it falls short. It also stores the figure in the executed notebook, as a
hidden MyST-NB ``glue`` output, so that it survives in the execution cache.
At build time the book's results page gathers every recorded figure into
one table and into ``results.json`` (the site's ``dlbook_site.results``).

Published figures to compare with are named by a key of :data:`SOURCES`,
so that each source is cited once, in full, on the results page.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from dlbook.checks import check_real

#: Published sources of reference figures: key -> (citation, URL).
SOURCES: dict[str, tuple[str, str]] = {
    "chollet2017": (
        "François Chollet, *Deep Learning with Python*, 1st edition, "
        "Manning, 2017",
        "https://www.manning.com/books/deep-learning-with-python",
    ),
    "zalando-benchmark": (
        "Zalando Research, Fashion-MNIST benchmark "
        "(README, 'Benchmark' section)",
        "https://github.com/zalandoresearch/fashion-mnist#benchmark",
    ),
}

#: Prefix of the glue keys under which results are stored.
GLUE_PREFIX = "dlbook-result:"

#: The MIME type of a result in a notebook's outputs.
MIME_TYPE = "application/vnd.dlbook.result+json"

_KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


class ResultBelowFloorError(AssertionError):
    """A recorded result does not reach the floor that the book enforces."""


@dataclass(frozen=True)
class Result:
    """One headline result of the book, as stored in ``results.json``.

    Attributes
    ----------
    key : str
        Unique, stable identifier, such as ``"imdb-test-accuracy"``.
    value : float
        The figure this build computed.
    description : str
        What was measured, in a few words (shown on the results page).
    metric : str
        The metric's name, such as ``"test accuracy"`` or ``"test MAE (k$)"``.
    higher_is_better : bool
        Whether larger values are better (accuracy) or worse (an error).
    floor : float or None
        The worst value the build accepts: a minimum when
        ``higher_is_better``, a maximum otherwise.
    reference : float or None
        A published figure to compare with.
    source : str or None
        Key in :data:`SOURCES` of the publication of ``reference``.
    """

    key: str
    value: float
    description: str
    metric: str
    higher_is_better: bool = True
    floor: float | None = None
    reference: float | None = None
    source: str | None = None

    def meets_floor(self) -> bool:
        """Whether :attr:`value` is at least as good as :attr:`floor`."""
        if self.floor is None:
            return True
        if self.higher_is_better:
            return self.value >= self.floor
        return self.value <= self.floor

    def to_dict(self) -> dict:
        """The result as a JSON-ready dictionary."""
        return asdict(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        # A "+json" type of our own: nbformat keeps it as JSON, also under
        # the prefix that MyST-NB's glue(display=False) adds to its name.
        return {MIME_TYPE: self.to_dict(), "text/plain": repr(self)}


def _finite(name: str, value, allow_none: bool = False) -> float | None:
    if check_real(value, name, allow_none=allow_none) is None:
        return None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}.")
    return float(value)


def make_result(
    key: str,
    value: float,
    *,
    description: str,
    metric: str,
    higher_is_better: bool = True,
    floor: float | None = None,
    reference: float | None = None,
    source: str | None = None,
) -> Result:
    """Check the arguments of one result and return it as a :class:`Result`.

    Takes the same arguments as :func:`record_result`, which calls it; it
    neither enforces the floor nor stores anything.

    Examples
    --------
    >>> r = make_result("imdb-test-accuracy", 0.88, metric="test accuracy",
    ...                 description="IMDB, dense network", floor=0.86,
    ...                 reference=0.885, source="chollet2017")
    >>> r.meets_floor()
    True
    >>> make_result("Bad Key", 0.5, metric="m", description="d")
    Traceback (most recent call last):
    ...
    ValueError: key must be lower-case words joined by '-' or '_', ...
    """
    if not isinstance(key, str) or not _KEY_PATTERN.match(key):
        raise ValueError(
            "key must be lower-case words joined by '-' or '_', such as "
            f"'imdb-test-accuracy'; got {key!r}."
        )
    for name, text in (("description", description), ("metric", metric)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be a non-empty string, got {text!r}.")
    if (reference is None) != (source is None):
        raise ValueError(
            "reference and source go together: give the published figure "
            "and the key of its source in dlbook.results.SOURCES, or neither."
        )
    if source is not None and source not in SOURCES:
        raise ValueError(
            f"unknown source {source!r}; known sources: "
            f"{', '.join(sorted(SOURCES))}. Add a new one to "
            "dlbook.results.SOURCES with its full citation."
        )
    return Result(
        key=key,
        value=_finite("value", value),
        description=description.strip(),
        metric=metric.strip(),
        higher_is_better=bool(higher_is_better),
        floor=_finite("floor", floor, allow_none=True),
        reference=_finite("reference", reference, allow_none=True),
        source=source,
    )


def record_result(
    key: str,
    value: float,
    *,
    description: str,
    metric: str,
    higher_is_better: bool = True,
    floor: float | None = None,
    reference: float | None = None,
    source: str | None = None,
) -> float:
    """Enforce a headline result's floor and store it for the results page.

    Call it in a chapter's (hidden) cell after computing the figure. It
    raises when the figure misses its floor, which fails the build, and
    otherwise stores the result in the notebook as a hidden glue output
    named ``"dlbook-result:<key>"``.

    Parameters
    ----------
    key : str
        Unique, stable identifier: lower-case words joined by ``-`` or ``_``.
    value : float
        The figure this build computed.
    description : str
        What was measured, in a few words.
    metric : str
        The metric's name, such as ``"test accuracy"``.
    higher_is_better : bool, default=True
        False for errors (MAE, loss): the floor is then a maximum.
    floor : float, optional
        The worst value the build accepts.
    reference : float, optional
        A published figure to compare with; needs ``source``.
    source : str, optional
        Key in :data:`SOURCES` of the publication of ``reference``.

    Returns
    -------
    float
        ``value``, as a float.

    Raises
    ------
    ResultBelowFloorError
        When ``value`` is worse than ``floor``.

    Examples
    --------
    Outside a notebook build the glue output is simply not shown:

    >>> record_result("boston-test-mae", 2.7, metric="test MAE (k$)",
    ...               description="Boston housing", higher_is_better=False,
    ...               floor=3.0)
    2.7
    >>> record_result("boston-test-mae", 3.2, metric="test MAE (k$)",
    ...               description="Boston housing", higher_is_better=False,
    ...               floor=3.0)
    Traceback (most recent call last):
    ...
    dlbook.results.ResultBelowFloorError: boston-test-mae: Boston housing ...
    """
    result = make_result(
        key,
        value,
        description=description,
        metric=metric,
        higher_is_better=higher_is_better,
        floor=floor,
        reference=reference,
        source=source,
    )
    if not result.meets_floor():
        bound = "at least" if result.higher_is_better else "at most"
        raise ResultBelowFloorError(
            f"{key}: {result.description} reached {result.metric} "
            f"{result.value:.4f}; the book requires {bound} {result.floor}. "
            "Check what changed (data, TensorFlow version, training recipe) "
            "before touching the floor."
        )
    from myst_nb import glue

    glue(GLUE_PREFIX + key, result, display=False)
    return result.value


# ---------------------------------------------------------------------------
# What the chapters train
# ---------------------------------------------------------------------------

#: Prefix of the glue keys under which trainings are stored.
TRAINING_GLUE_PREFIX = "dlbook-training:"

#: The MIME type of a training signature in a notebook's outputs.
TRAINING_MIME_TYPE = "application/vnd.dlbook.training+json"

#: The layer settings that a signature keeps, when a layer has them.
_LAYER_KEYS = ("units", "activation", "filters", "kernel_size", "strides",
               "padding", "pool_size", "rate", "kernel_regularizer")

#: The signatures recorded by this process (this notebook's kernel).
_RECORDED: dict[str, dict] = {}


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
    from dlbook.checks import check_int

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


class _Training(dict):
    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {TRAINING_MIME_TYPE: dict(self),
                "text/plain": f"training {self['name']}"}


def record_training(name: str, model, *, batch_size: int, optimizer=None,
                    loss=None) -> dict:
    """Record what a chapter trained, for the benchmarks' model registry.

    Call it in a hidden cell right after a model is trained. It stores the
    :func:`training_signature` of the run in the notebook, as a hidden
    glue output named ``"dlbook-training:<name>"``, which a test compares
    with the benchmarks' entry of the same name. A name recorded again in
    the same notebook (a recipe trained twice, the folds of a K-fold
    validation) must have the same signature, and is stored once. It reads
    the model only: it draws no random number.

    Parameters
    ----------
    name : str
        The registry entry's name, such as ``"ch3-imdb-16-16"``.
    model : keras.Model
        The model just trained.
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
        If ``name`` was recorded before with another signature.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> record_training("doc-example", model, batch_size=4)["batch_size"]
    4
    >>> record_training("doc-example", model, batch_size=8)
    Traceback (most recent call last):
    ...
    ValueError: doc-example was recorded before with another training: ...
    """
    if not isinstance(name, str) or not _KEY_PATTERN.match(name):
        raise ValueError(
            "name must be lower-case words joined by '-' or '_', such as "
            f"'ch3-imdb-16-16'; got {name!r}."
        )
    signature = training_signature(model, batch_size=batch_size,
                                   optimizer=optimizer, loss=loss)
    if name in _RECORDED:
        if _RECORDED[name] != signature:
            changed = sorted(k for k in signature
                             if signature[k] != _RECORDED[name].get(k))
            raise ValueError(f"{name} was recorded before with another "
                             f"training: {', '.join(changed)} differ.")
        return signature
    _RECORDED[name] = signature
    from myst_nb import glue

    glue(TRAINING_GLUE_PREFIX + name, _Training(name=name, signature=signature),
         display=False)
    return signature
