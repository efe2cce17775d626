"""Training throughput of the book's models, against the machine's matmul speed.

For every model that chapters 1 to 5 train, this measures

* its training throughput, in samples per second, of ``model.fit`` (or of the
  chapter's own training loop) on real data, shaped, typed and batched as the
  chapter feeds it, after a warm-up;
* its FLOPs per training sample: the float operations of one training step
  (forward pass, loss and gradients) counted by TensorFlow's profiler on the
  step's graph, divided by the batch size;
* the fraction of the machine's limit this reaches: FLOPs per sample ×
  samples per second, over the FLOP/s of a large float32 matmul measured in the
  same run (:func:`matmul_flops_per_second`).

It also times ``dlbook.text.vectorize_sequences`` against the Python loop of
the course notes, on the 25,000 IMDB training reviews (:func:`vectorize_ratio`).

Run it as a script (from the project root, with the dataset mirror set as in
the README)::

    .venv/bin/python benchmarks/throughput.py [--out FILE] [--models NAME ...]

or import it: :func:`run` returns everything as one JSON-serialisable dict.

What the FLOP count covers
--------------------------
TensorFlow's profiler counts the ops that have a registered ``flops``
statistic: ``MatMul``, ``Conv2D``, ``Conv2DBackpropInput``,
``Conv2DBackpropFilter``, ``BiasAdd``, ``BiasAddGrad``, ``MaxPool``,
``MaxPoolGrad`` and the common element-wise arithmetic (``AddV2``, ``Mul``,
``Sub``, ``RealDiv``, ``Mean``, ``Sum``...). Element-wise ops without one
(``Relu``, ``ReluGrad``, ``Sigmoid``, ``Exp``, ``Softmax`` gradients, the
fused ``SparseSoftmaxCrossEntropyWithLogits``, ``Cast``...) count as 0: they
cost one or a few operations per activation, against one multiply-add per
activation *and weight* for the layers, so they change no count by more than
a few percent; :func:`train_flops_per_sample` lists them per model
(``uncounted_op_types``). One registered count is wrong for the book's
convnets and is replaced: TensorFlow counts the convolution gradients
(``Conv2DBackpropInput``/``Filter``) on the input's height and width, as for
"same" padding, which overcounts a "valid" 3×3 convolution by up to 2.8×
and counts the gradient for the input images, which TensorFlow prunes as
unused before it runs the step (chapter 5's convnet: 22.9 MFLOPs per sample
by the profiler, against about 16.4 executed); see :func:`graph_flops`.
The optimizer's weight update is left out (a few operations per weight per
step). Gradients are taken with respect to the
weights only, as in training, so the first layer computes no gradient for its
input: a dense network costs 3 × its forward matmuls *minus* that first
input gradient, close to 2 × for the text models, whose first layer has
nearly all the weights.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import sys
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

#: Number of words kept in the IMDB and Reuters data, as in the chapters.
NUM_WORDS = 10000

#: The multi-hot arrays' dtype: stored as uint8 (Keras casts each batch to
#: float32 at the model's input), a quarter of float32's memory.
TEXT_DTYPE = "uint8"


# ---------------------------------------------------------------------------
# The machine's limit
# ---------------------------------------------------------------------------


def matmul_flops_per_second(n: int = 3072, repeats: int = 5) -> dict:
    """Time a large float32 matmul, the machine's practical FLOP/s limit.

    Multiplies two ``n`` × ``n`` float32 matrices with ``tf.linalg.matmul``
    (``2 n³`` float operations), once to warm up, then ``repeats`` times; the
    best time counts (the least disturbed by other processes).

    Parameters
    ----------
    n : int
        Side of the matrices; 3072 (58 GFLOP) takes about 0.3 s on 2 cores.
    repeats : int
        Timed runs.

    Returns
    -------
    dict
        ``n``, ``seconds`` (best run), ``flops_per_second``, ``all_seconds``,
        and ``flops_per_cpu_second`` (over the CPU time of the process, all
        its threads together: on a machine shared with other work, the
        rate per CPU-second is the steadier figure).
    """
    _check_positive_int("n", n)
    _check_positive_int("repeats", repeats)
    import tensorflow as tf

    generator = tf.random.Generator.from_seed(0)
    a = generator.normal((n, n), dtype=tf.float32)
    b = generator.normal((n, n), dtype=tf.float32)
    # Eager ops on the CPU run synchronously: the call returns when the
    # product is computed.
    tf.linalg.matmul(a, b)
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        tf.linalg.matmul(a, b)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    best = min(times)
    return {"n": n, "seconds": best, "flops_per_second": 2 * n**3 / best,
            "all_seconds": times,
            "flops_per_cpu_second": 2 * n**3 / min(cpu_times)}


# ---------------------------------------------------------------------------
# FLOPs of a training step
# ---------------------------------------------------------------------------


def _loss_function(model, loss):
    import keras

    loss = model.loss if loss is None else loss
    if loss is None:
        raise ValueError(
            f"model {model.name!r} is not compiled: compile it, or pass the "
            "loss it trains with as loss=."
        )
    if isinstance(loss, keras.losses.Loss):
        return loss
    function = keras.losses.get(loss) if isinstance(loss, str) else loss

    def loss_fn(y_true, y_pred):
        # As compile does: labels of shape (n,) for outputs of shape (n, 1).
        if len(y_true.shape) == len(y_pred.shape) - 1 and y_pred.shape[-1] == 1:
            y_true = keras.ops.expand_dims(y_true, -1)
        return keras.ops.mean(function(y_true, y_pred))

    return loss_fn


def train_step_graph(model, batch_size: int, x=None, y=None, loss=None):
    """Trace one training step of ``model`` into a graph with static shapes.

    The step is a ``tf.function``: the model's forward pass in training
    mode, its loss plus the regularization losses, and the gradients of that
    with respect to the trainable weights (``tf.GradientTape``), for a batch
    of exactly ``batch_size`` samples. Nothing runs: the function is only
    traced.

    Parameters
    ----------
    model : keras.Model
        A built model; compiled, unless ``loss`` is given.
    batch_size : int
        Samples per step.
    x, y : numpy.ndarray, optional
        Example inputs and targets: only their per-sample shape and dtype are
        used (for example uint8 multi-hot inputs, integer labels). By default
        float32, shaped as the model's input and output.
    loss : str or callable, optional
        The loss; by default the model's compiled loss.

    Returns
    -------
    tensorflow.Graph
    """
    _check_positive_int("batch_size", batch_size)
    import tensorflow as tf

    loss_fn = _loss_function(model, loss)
    x_shape = (tuple(x.shape[1:]) if x is not None
               else tuple(model.input_shape[1:]))
    x_dtype = x.dtype.name if x is not None else "float32"
    y_shape = (tuple(y.shape[1:]) if y is not None
               else tuple(model.output_shape[1:]))
    y_dtype = y.dtype.name if y is not None else "float32"
    if any(d is None for d in x_shape + y_shape):
        raise ValueError(
            f"model {model.name!r} has inputs or outputs of unknown size "
            f"({x_shape}, {y_shape}); pass example arrays as x= and y=."
        )

    @tf.function
    def step(inputs, targets):
        with tf.GradientTape() as tape:
            predictions = model(inputs, training=True)
            value = loss_fn(targets, predictions)
            if model.losses:
                value = value + tf.add_n(model.losses)
        return tape.gradient(value, model.trainable_variables)

    concrete = step.get_concrete_function(
        tf.TensorSpec((batch_size, *x_shape), x_dtype),
        tf.TensorSpec((batch_size, *y_shape), y_dtype),
    )
    return concrete.graph


def graph_flops(graph) -> dict:
    """Count the float operations of a graph with TensorFlow's profiler.

    The profiler's count, with one correction: TensorFlow's statistics for
    ``Conv2DBackpropInput`` and ``Conv2DBackpropFilter`` assume a "same"
    convolution (they count ``2 · batch · H_in · W_in · k_h · k_w · C_in ·
    C_out / strides``, on the *input*'s size). For the book's "valid"
    convolutions that overcounts, by (H_in·W_in)/(H_out·W_out): 1.16× for a
    3×3 kernel on 28×28, 2.8× on 5×5. Both gradients do exactly the forward
    convolution's multiply-adds, ``2 · (elements of the output gradient) ·
    k_h · k_w · C_in``, and that is what they count here, for any padding and
    strides (:func:`conv_backprop_flops`). And it counts only the ops that
    the step's outputs need: TensorFlow's ``Conv2D`` gradient also builds the
    gradient for the input images, which nothing uses and which TensorFlow
    prunes before running the function; the profiler counts it.

    Parameters
    ----------
    graph : tensorflow.Graph
        A graph with static shapes, such as :func:`train_step_graph` makes.

    Returns
    -------
    dict
        ``total`` (the corrected count), ``profiler_total`` (the profiler's
        own, on the whole graph), ``by_op_type`` (the corrected count of the
        ops that run, split by op type, from the
        same per-op statistics the profiler uses) and ``uncounted_op_types``
        (op types in the graph that have no registered count, other than
        those that do no arithmetic).
    """
    import tensorflow as tf
    from tensorflow.python.framework import ops as tf_ops

    builder = tf.compat.v1.profiler.ProfileOptionBuilder
    options = (builder(builder.float_operation())
               .with_empty_output().build())
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # the profiler warns that it is a TF1 API
    try:
        profile = tf.compat.v1.profiler.profile(graph, options=options)
    finally:
        logger.setLevel(level)
    profiler_total = int(profile.total_float_ops)

    live = _live_ops(graph)
    by_type: dict[str, int] = {}
    uncounted: set[str] = set()
    all_ops_total = 0
    for op in graph.get_operations():
        try:
            stats = tf_ops.get_stats_for_node_def(graph, op.node_def, "flops")
        except (ValueError, TypeError):  # a shape the statistic cannot use
            stats = None
        if stats is not None and stats.value is not None:
            value = int(stats.value)
            all_ops_total += value
            if op.name not in live:
                continue
            if op.type in _CONV_BACKPROP_OPS:
                value = conv_backprop_flops(op)
            if value:
                by_type[op.type] = by_type.get(op.type, 0) + value
        elif op.type not in _NO_ARITHMETIC_OPS and op.name in live:
            uncounted.add(op.type)
    if all_ops_total != profiler_total:
        raise RuntimeError(
            f"the per-op statistics sum to {all_ops_total} FLOPs but the "
            f"profiler counts {profiler_total}: the profiler's method changed."
        )
    return {"total": sum(by_type.values()),
            "profiler_total": profiler_total,
            "by_op_type": dict(sorted(by_type.items())),
            "uncounted_op_types": sorted(uncounted)}


def _live_ops(graph) -> set[str]:
    """Names of the ops that the graph's outputs depend on.

    The gradient of ``Conv2D`` always builds both gradients, for the input as
    well as the filter, even where no one needs the first (the images); when
    the function runs, TensorFlow prunes such dead ops. ``MatMul``'s gradient
    skips them itself.
    """
    stack = [t.op for t in graph.outputs] + list(
        getattr(graph, "control_outputs", []))
    seen: set[str] = set()
    while stack:
        op = stack.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return seen


_CONV_BACKPROP_OPS = frozenset({"Conv2DBackpropInput", "Conv2DBackpropFilter"})


def conv_backprop_flops(op) -> int:
    """Exact FLOPs of a ``Conv2DBackpropInput`` or ``Conv2DBackpropFilter`` op.

    Each element of the output gradient (the op's third input,
    ``out_backprop``, ``[batch, H_out, W_out, C_out]``) meets each of the
    ``k_h · k_w · C_in`` weights of its filter once: one multiply-add, 2
    FLOPs, the same as the forward convolution.
    """
    if op.type not in _CONV_BACKPROP_OPS:
        raise ValueError(f"{op.name} is a {op.type}, not a Conv2D gradient.")
    if op.get_attr("data_format") != b"NHWC":
        raise ValueError(f"{op.name}: only NHWC convolutions are counted.")
    out_backprop = op.inputs[2].shape
    kernel = (op.inputs[1].shape if op.type == "Conv2DBackpropInput"
              else op.outputs[0].shape)
    if not (out_backprop.is_fully_defined() and kernel.is_fully_defined()):
        raise ValueError(f"{op.name}: shapes must be static to count FLOPs.")
    k_h, k_w, c_in, _ = kernel.as_list()
    return 2 * out_backprop.num_elements() * k_h * k_w * c_in


#: Op types that move, reshape or read data but compute nothing.
_NO_ARITHMETIC_OPS = frozenset({
    "Const", "Identity", "IdentityN", "NoOp", "Placeholder", "ReadVariableOp",
    "Reshape", "Shape", "ShapeN", "Squeeze", "ExpandDims", "Tile", "Fill",
    "Cast", "StopGradient", "ZerosLike", "OnesLike", "BroadcastTo",
    "BroadcastArgs", "BroadcastGradientArgs", "Pack", "Unpack", "StridedSlice",
    "Size", "Rank", "Range", "Transpose", "ConcatV2", "GatherV2", "Select",
    "SelectV2", "StatelessRandomGetKeyCounter", "FloorDiv", "FloorMod",
    "Prod", "Max", "Min", "DynamicStitch", "Slice", "OneHot", "LogicalAnd",
})


def train_flops_per_sample(model, batch_size: int, x=None, y=None,
                           loss=None) -> dict:
    """FLOPs of one training step of ``model``, per sample.

    Traces the step with :func:`train_step_graph` (forward, loss, gradients
    with respect to the weights, for a batch of ``batch_size``), counts its
    float operations with ``tf.compat.v1.profiler.profile`` and divides by
    the batch size. See the module's docstring for what the count covers.

    Parameters
    ----------
    model : keras.Model
        A built model, compiled unless ``loss`` is given.
    batch_size : int
        The batch size the model trains with: a few per-batch operations
        (the loss' mean, bias gradients) are shared by the batch.
    x, y : numpy.ndarray, optional
        Example inputs and targets, for their per-sample shape and dtype.
    loss : str or callable, optional
        The loss, if the model is not compiled with it.

    Returns
    -------
    dict
        ``flops_per_sample``, ``flops_per_step``, ``batch_size``,
        ``matmul_conv_flops_per_sample`` (MatMul and Conv2D ops alone),
        ``profiler_flops_per_sample`` (the profiler's count, before the
        correction of convolution gradients, see :func:`graph_flops`),
        ``by_op_type`` (per step) and ``uncounted_op_types``.
    """
    counts = graph_flops(train_step_graph(model, batch_size, x, y, loss))
    heavy = sum(v for k, v in counts["by_op_type"].items()
                if k.startswith(("MatMul", "BatchMatMul", "Conv2D")))
    return {
        "flops_per_sample": counts["total"] / batch_size,
        "flops_per_step": counts["total"],
        "batch_size": batch_size,
        "matmul_conv_flops_per_sample": heavy / batch_size,
        "profiler_flops_per_sample": counts["profiler_total"] / batch_size,
        "by_op_type": counts["by_op_type"],
        "uncounted_op_types": counts["uncounted_op_types"],
    }


def dense_training_flops(layer_sizes, batch_size: int = 1) -> int:
    """Analytic matmul FLOPs of one training step of a stack of Dense layers.

    Forward: ``2·in·out`` per sample and layer; backward: the same again for
    the weights' gradient of every layer and for the input's gradient of
    every layer but the first (the data needs no gradient). So a training
    step costs 3 × the forward matmuls minus the first layer's input
    gradient.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(inputs, units_1, ..., units_k)``.
    batch_size : int
        Samples per step.

    Returns
    -------
    int

    Examples
    --------
    >>> dense_training_flops([10, 4, 1])  # 2*(10*4 + 4*1) * 3 - 2*10*4
    184
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("layer_sizes needs the input size and one layer at "
                         f"least, got {sizes!r}.")
    per_layer = [2 * a * b for a, b in itertools.pairwise(sizes)]
    return batch_size * (3 * sum(per_layer) - per_layer[0])


# ---------------------------------------------------------------------------
# Throughput
# ---------------------------------------------------------------------------


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds, self.cpu_seconds = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()
            self._cpu_start = time.process_time()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)
            self.cpu_seconds.append(time.process_time() - self._cpu_start)

    return EpochTimer()


def _timing_size(rate, batch, available, target_seconds, min_batches):
    """Samples to time: about ``target_seconds`` of work, whole batch groups."""
    groups = max(min_batches, math.floor(rate * target_seconds / batch))
    return min(groups, available // batch) * batch


def training_throughput(model, x, y, batch_size: int, *,
                        target_seconds: float = 1.0, repeats: int = 3,
                        samples: int | None = None,
                        fit_kwargs: dict | None = None) -> dict:
    """Samples per second of ``model.fit``, after a warm-up.

    1. Warm-up: ``fit`` two epochs on 4 batches (on 4 × k batches with
       ``steps_per_execution`` = k): the first traces the training
       function, the second, timed, gives a first estimate of the speed.
    2. Timed: ``fit`` ``repeats`` epochs on the first samples of ``x``, as
       many whole batches as take about ``target_seconds`` per epoch by that
       estimate (all of ``x`` at most), each epoch timed with
       ``time.perf_counter`` from its start to its end, so an epoch's set-up
       (the dataset iterator) counts, as it does in the chapters. The best
       epoch gives the throughput.

    ``fit`` runs as the chapters run it (``verbose=0``, shuffled batches), but
    with no validation data: only training is timed. The model is trained
    by this, so pass a fresh one.

    Parameters
    ----------
    model : keras.Model
        A compiled model.
    x, y : numpy.ndarray
        Training inputs and targets, as the chapter feeds them.
    batch_size : int
        As in the chapter.
    target_seconds : float
        Approximate length of one timed epoch.
    repeats : int
        Timed epochs.
    samples : int, optional
        Samples per timed epoch instead of ``target_seconds``' estimate
        (rounded down to whole batches, all of ``x`` at most).
    fit_kwargs : dict, optional
        More arguments for ``fit``.

    Returns
    -------
    dict
        ``samples_per_second`` (best epoch), ``median_samples_per_second``,
        ``samples_per_cpu_second`` (over the process' CPU time, best
        epoch), ``samples`` (per timed epoch), ``batch_size``,
        ``epoch_seconds``, ``epoch_cpu_seconds``.
    """
    _check_positive_int("batch_size", batch_size)
    _check_positive_int("repeats", repeats)
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}.")
    if len(x) < batch_size:
        raise ValueError(f"x holds {len(x)} samples, fewer than one batch of "
                         f"{batch_size}.")
    kwargs = dict(verbose=0, **(fit_kwargs or {}))
    group = batch_size * int(getattr(model, "steps_per_execution", 1) or 1)
    group = min(group, (len(x) // batch_size) * batch_size)
    warm = _timing_size(0, group, len(x), 0, min_batches=4)
    timer = _epoch_timer()
    model.fit(x[:warm], y[:warm], batch_size=batch_size, epochs=2,
              callbacks=[timer], **kwargs)
    rate = warm / timer.seconds[1]
    if samples is None:
        n = _timing_size(rate, group, len(x), target_seconds, min_batches=1)
    else:
        n = max(batch_size, min(samples, len(x)) // batch_size * batch_size)
    timer = _epoch_timer()
    model.fit(x[:n], y[:n], batch_size=batch_size, epochs=repeats,
              callbacks=[timer], **kwargs)
    return _throughput_result(n, batch_size, timer.seconds, timer.cpu_seconds)


def _throughput_result(samples, batch_size, seconds, cpu_seconds):
    return {
        "samples_per_second": samples / min(seconds),
        "median_samples_per_second": samples / float(np.median(seconds)),
        "samples_per_cpu_second": samples / min(cpu_seconds),
        "samples": samples,
        "batch_size": batch_size,
        "epoch_seconds": list(seconds),
        "epoch_cpu_seconds": list(cpu_seconds),
    }


def loop_throughput(train_step: Callable, x, y, batch_size: int, *,
                    target_seconds: float = 1.0, repeats: int = 3,
                    seed: int = 0) -> dict:
    """Samples per second of a hand-written training loop, after a warm-up.

    Calls ``train_step(x[batch], y[batch])`` on shuffled batches of NumPy
    arrays, as chapter 2's ``GradientTape`` loop does, with the same warm-up,
    sizing and timing as :func:`training_throughput`.

    Parameters
    ----------
    train_step : callable
        One training step on a batch, for example a ``tf.function``.
    x, y : numpy.ndarray
        Training inputs and targets.
    batch_size : int
        Samples per step.
    target_seconds, repeats : float, int
        As in :func:`training_throughput`.
    seed : int
        Seed of the shuffling.

    Returns
    -------
    dict
        As :func:`training_throughput`.
    """
    _check_positive_int("batch_size", batch_size)
    _check_positive_int("repeats", repeats)
    rng = np.random.default_rng(seed)

    def epoch(n):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = rng.permutation(n)
        for first in range(0, n, batch_size):
            batch = order[first:first + batch_size]
            loss = train_step(x[batch], y[batch])
        float(loss)  # wait for the last step
        return (time.perf_counter() - start, time.process_time() - cpu_start)

    warm = _timing_size(0, batch_size, len(x), 0, min_batches=4)
    epoch(warm)
    rate = warm / epoch(warm)[0]
    n = _timing_size(rate, batch_size, len(x), target_seconds, min_batches=1)
    seconds, cpu_seconds = zip(*(epoch(n) for _ in range(repeats)), strict=True)
    return _throughput_result(n, batch_size, seconds, cpu_seconds)


# ---------------------------------------------------------------------------
# The book's models
# ---------------------------------------------------------------------------


@functools.cache
def _fashion_mnist():
    from dlbook.datasets import load_fashion_mnist

    (images, labels), _ = load_fashion_mnist()
    return images.astype("float32") / 255, labels


def fashion_images():
    """Fashion-MNIST training images (60000, 28, 28), float32 in [0, 1]."""
    return _fashion_mnist()


def fashion_flat():
    """The same, flattened to (60000, 784), as chapters 3 and 4 feed them."""
    images, labels = _fashion_mnist()
    return images.reshape(len(images), -1), labels


def fashion_channels():
    """The same with a channel axis, (60000, 28, 28, 1), as chapter 5."""
    images, labels = _fashion_mnist()
    return images[..., np.newaxis], labels


@functools.cache
def imdb_sequences():
    """The 25,000 IMDB training reviews as word indices, and their labels."""
    from dlbook.datasets import load_imdb

    (data, labels), _ = load_imdb(num_words=NUM_WORDS)
    return data, labels


@functools.cache
def imdb_multi_hot():
    """IMDB training reviews multi-hot encoded as uint8; float32 labels."""
    from dlbook.text import vectorize_sequences

    data, labels = imdb_sequences()
    return (vectorize_sequences(data, dimension=NUM_WORDS, dtype=TEXT_DTYPE),
            np.asarray(labels, dtype="float32"))


@functools.cache
def _reuters():
    from dlbook.datasets import load_reuters
    from dlbook.text import vectorize_sequences

    (data, labels), _ = load_reuters(num_words=NUM_WORDS)
    return (vectorize_sequences(data, dimension=NUM_WORDS, dtype=TEXT_DTYPE),
            np.asarray(labels))


def reuters_one_hot():
    """Reuters training newswires (uint8 multi-hot), one-hot float32 topics."""
    from dlbook.text import to_one_hot

    x, labels = _reuters()
    return x, to_one_hot(labels, dimension=46)


def reuters_sparse():
    """Reuters training newswires (uint8 multi-hot), integer topics."""
    return _reuters()


@functools.cache
def boston():
    """Boston housing training set, standardized, float32, as chapter 3."""
    from dlbook.datasets import load_boston_housing

    (houses, prices), _ = load_boston_housing()
    mean, std = houses.mean(axis=0), houses.std(axis=0)
    return (((houses - mean) / std).astype("float32"),
            prices.astype("float32"))


def _clear_data_caches():
    for loader in (_fashion_mnist, imdb_sequences, imdb_multi_hot, _reuters,
                   boston):
        loader.cache_clear()


def _ch01_dense_256_64():
    """Chapter 1's network, built inline there; the same layers as its cell."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(256, activation="relu", name="layer_1"),
        layers.Dense(64, activation="relu", name="layer_2"),
        layers.Dense(10, activation="softmax", name="output"),
    ])


def _fashion_two_layer(units):
    """Chapters 3 and 4's small Fashion-MNIST networks, built inline there.

    Chapter 3 builds ``Input(784) -> Dense(32, relu) -> Dense(10, softmax)``
    with the functional API, chapter 4 (``split_and_train``) the same with 64
    units as a ``Sequential``; the two give the same layers.
    """
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=(28 * 28,)),
        layers.Dense(units, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


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
# Chapters 3 and 4 compile their small dense networks to run 32 steps per
# call of Keras' training function.
_SPE = {"steps_per_execution": 32}
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
        Returns the model: a builder of :mod:`dlbook.models`, or, for a model
        the chapter builds inline, a function here that builds it the same
        way (``note`` says so).
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

    def describe(self) -> dict:
        """The entry as JSON-serialisable fields."""
        def text(value):
            if callable(value):
                return getattr(value, "__name__", repr(value))
            return value if isinstance(value, (int, float, str)) else repr(value)

        return {
            "name": self.name, "chapter": self.chapter, "kind": self.kind,
            "builder": text(self.builder),
            "builder_kwargs": {k: text(v) for k, v in self.builder_kwargs.items()},
            "compile": ({k: text(v) for k, v in self.compile_kwargs.items()}
                        if self.compile_kwargs is not None else "by the builder"),
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
        build_imdb_model,
        build_reuters_model,
    )

    dense = "dense"
    imdb = partial(BookModel, chapter=4, kind=dense, builder=build_imdb_model,
                   compile_kwargs=_RMSPROP_BINARY, batch_size=512,
                   data=imdb_multi_hot)
    return [
        BookModel("ch1-dense-256-64", 1, dense, _ch01_dense_256_64,
                  _ADAM_SPARSE, 128, fashion_images,
                  note="built inline in chapter 1; the same layers here"),
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
        BookModel("ch3-fashion-dense-32", 3, dense, _fashion_two_layer,
                  {**_RMSPROP_SPARSE, "optimizer": _rmsprop_001, **_SPE}, 64,
                  fashion_flat, {"units": 32},
                  note="built inline (functional API) in chapter 3"),
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
                  boston, {"steps_per_execution": 64},
                  note="4-fold validation, batches of 1"),
        BookModel("ch3-boston-final", 3, dense, build_and_compile_boston_model, None, 16,
                  boston, {"steps_per_execution": 8}),
        BookModel("ch4-fashion-dense-64", 4, dense, _fashion_two_layer,
                  {**_RMSPROP_SPARSE, **_SPE}, 128, fashion_flat, {"units": 64},
                  note="built inline (split_and_train) in chapter 4"),
        BookModel("ch4-boston-iterated", 4, dense, build_and_compile_boston_model, None,
                  16, boston, {"steps_per_execution": 8},
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


def _gradient_tape_step(model):
    """Chapter 2's hand-written training step, as its cell writes it."""
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

    return train_step, loss_fn


def measure_model(spec: BookModel, matmul_fps: float | None = None, *,
                  target_seconds: float = 1.0, repeats: int = 3) -> dict:
    """FLOPs per sample and training throughput of one book model.

    Parameters
    ----------
    spec : BookModel
    matmul_fps : float, optional
        The matmul FLOP/s, for ``fraction_of_matmul_bound``.
    target_seconds, repeats : float, int
        As in :func:`training_throughput`.

    Returns
    -------
    dict
        The entry's description, ``flops`` (:func:`train_flops_per_sample`),
        ``throughput`` (:func:`training_throughput`), and the summary fields
        ``flops_per_sample``, ``samples_per_second`` and
        ``fraction_of_matmul_bound``.
    """
    x, y = spec.data()
    model = spec.build()
    loss = None
    if spec.loop == "gradient_tape":
        step, loss = _gradient_tape_step(model)
    flops = train_flops_per_sample(model, spec.batch_size, x[:1], y[:1],
                                   loss=loss)
    if spec.loop == "gradient_tape":
        speed = loop_throughput(step, x, y, spec.batch_size,
                                target_seconds=target_seconds, repeats=repeats)
    else:
        speed = training_throughput(model, x, y, spec.batch_size,
                                    target_seconds=target_seconds,
                                    repeats=repeats)
    result = {**spec.describe(), "flops": flops, "throughput": speed,
              "flops_per_sample": flops["flops_per_sample"],
              "samples_per_second": speed["samples_per_second"]}
    if matmul_fps:
        result["fraction_of_matmul_bound"] = fraction_of_bound(
            flops["flops_per_sample"], speed["samples_per_second"], matmul_fps)
    return result


def fraction_of_bound(flops_per_sample: float, samples_per_second: float,
                      matmul_flops_per_second: float) -> float:
    """Achieved FLOP/s over the matmul's FLOP/s.

    Examples
    --------
    >>> fraction_of_bound(1e6, 5000, 1e11)
    0.05
    """
    if matmul_flops_per_second <= 0:
        raise ValueError("matmul_flops_per_second must be positive, got "
                         f"{matmul_flops_per_second!r}.")
    return flops_per_sample * samples_per_second / matmul_flops_per_second


# ---------------------------------------------------------------------------
# vectorize_sequences against the notes' loop
# ---------------------------------------------------------------------------


def vectorize_ratio(sequences=None, repeat: int = 3,
                    dtypes=("float64", "float32", TEXT_DTYPE)) -> dict:
    """Time ``vectorize_sequences`` against the notes' loop; best of ``repeat``.

    For each dtype, both functions fill the same array type (a fair ratio);
    then the notes' loop as written (float64) against
    ``vectorize_sequences`` with the book's types: its default (float32) and
    the uint8 the chapters store text in.

    Parameters
    ----------
    sequences : list of lists of int, optional
        By default the 25,000 IMDB training reviews (``num_words=10000``).
    repeat : int
        Runs of each; the best counts (``timeit.repeat``, one call each).
    dtypes : sequence of str
        Types to compare the two functions in.

    Returns
    -------
    dict
        ``seconds`` ({"loop"|"vectorized": {dtype: s}}), ``same_dtype_ratio``
        ({dtype: loop / vectorized}), ``notes_vs_book`` ({dtype: notes'
        float64 loop / vectorized in dtype}), ``samples``.
    """
    from dlbook.naive_ops import naive_vectorize_sequences
    from dlbook.text import vectorize_sequences

    _check_positive_int("repeat", repeat)
    if sequences is None:
        sequences = imdb_sequences()[0]

    def best(function):
        return min(timeit.repeat(function, number=1, repeat=repeat))

    loop, vectorized = {}, {}
    for dtype in dtypes:
        loop[dtype] = best(lambda d=dtype: naive_vectorize_sequences(
            sequences, dtype=d))
        vectorized[dtype] = best(lambda d=dtype: vectorize_sequences(
            sequences, dimension=NUM_WORDS, dtype=d))
    for dtype in ("float32", TEXT_DTYPE):
        if dtype not in vectorized:
            vectorized[dtype] = best(lambda d=dtype: vectorize_sequences(
                sequences, dimension=NUM_WORDS, dtype=d))
    notes = loop.get("float64")
    if notes is None:
        notes = best(lambda: naive_vectorize_sequences(sequences))
    return {
        "samples": len(sequences),
        "dimension": NUM_WORDS,
        "repeat": repeat,
        "seconds": {"loop": loop, "vectorized": vectorized},
        "same_dtype_ratio": {d: loop[d] / vectorized[d] for d in loop},
        "notes_vs_book": {d: notes / vectorized[d]
                          for d in ("float32", TEXT_DTYPE)},
    }


# ---------------------------------------------------------------------------
# Everything
# ---------------------------------------------------------------------------


def run(models=None, *, target_seconds: float = 1.0, repeats: int = 3,
        vectorize: bool = True, seed: int = 0, log=None) -> dict:
    """Measure the matmul bound, every book model, and the vectorize ratio.

    Calls ``dlbook.reproducibility.make_deterministic(seed)`` first, as every
    chapter does (with op determinism on, Keras leaves XLA off, as in the
    chapters).

    Parameters
    ----------
    models : sequence of str, optional
        Names of :func:`book_models` entries; all by default.
    target_seconds, repeats : float, int
        As in :func:`training_throughput`.
    vectorize : bool
        Also run :func:`vectorize_ratio`.
    seed : int
        For ``make_deterministic``.
    log : callable, optional
        Called with one line of progress per step (for example ``print``).

    Returns
    -------
    dict
        ``matmul`` (:func:`matmul_flops_per_second`, the better of two runs,
        before and after the models), ``models`` (one
        :func:`measure_model` dict each, with ``fraction_of_matmul_bound``
        = FLOPs per sample × samples per second / matmul FLOP/s, and
        ``cpu_fraction_of_matmul_bound``, the same over CPU time),
        ``vectorize`` (:func:`vectorize_ratio`, measured first), ``seconds``
        (the whole run), ``machine`` (:func:`machine`).
    """
    import keras

    from dlbook.reproducibility import make_deterministic

    log = log or (lambda line: None)
    specs = book_models()
    if models:
        known = {spec.name: spec for spec in specs}
        unknown = [name for name in models if name not in known]
        if unknown:
            raise ValueError(f"unknown model names {unknown}; choose from "
                             f"{sorted(known)}.")
        specs = [known[name] for name in models]
    start = time.perf_counter()
    make_deterministic(seed)
    results = []
    try:
        # First, while the process is small: the float64 loop alone needs
        # 2 GB.
        vectorized = vectorize_ratio() if vectorize else None
        _clear_data_caches()
        matmul = matmul_flops_per_second()
        log(f"matmul {matmul['n']}: "
            f"{matmul['flops_per_second'] / 1e9:.1f} GFLOP/s")
        for spec in specs:
            t0 = time.perf_counter()
            result = measure_model(spec, target_seconds=target_seconds,
                                   repeats=repeats)
            result["measure_seconds"] = time.perf_counter() - t0
            results.append(result)
            keras.backend.clear_session()
            log(f"{spec.name}: {result['samples_per_second']:,.0f} samples/s")
        # Measured again after the models: on a shared machine the best of
        # both is the closer to the machine's limit.
        again = matmul_flops_per_second()
        if again["flops_per_second"] > matmul["flops_per_second"]:
            again["first_flops_per_second"] = matmul["flops_per_second"]
            matmul = again
        else:
            matmul["second_flops_per_second"] = again["flops_per_second"]
        cpu_bound = max(matmul["flops_per_cpu_second"],
                        again["flops_per_cpu_second"])
        matmul["flops_per_cpu_second"] = cpu_bound
        for result in results:
            result["fraction_of_matmul_bound"] = fraction_of_bound(
                result["flops_per_sample"], result["samples_per_second"],
                matmul["flops_per_second"])
            result["cpu_fraction_of_matmul_bound"] = fraction_of_bound(
                result["flops_per_sample"],
                result["throughput"]["samples_per_cpu_second"], cpu_bound)
    finally:
        _clear_data_caches()
    return {
        "matmul": matmul,
        "models": results,
        "vectorize": vectorized,
        "seconds": time.perf_counter() - start,
        "machine": machine(),
    }


def machine() -> dict:
    """What the figures are measured on: the CPU, the memory, the versions."""
    import os
    import platform

    import keras
    import psutil
    import tensorflow as tf

    model = platform.processor()
    if os.path.isfile("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                          if line.startswith("model name")), model)
    return {
        "cpus": (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                 else os.cpu_count()),
        "cpu_model": model,
        "memory_bytes": psutil.virtual_memory().total,
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
    }


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")


def main(argv=None) -> int:
    from dlbook_site.benchmarks import report_markdown

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write the full report as JSON here")
    parser.add_argument("--models", nargs="+", metavar="NAME",
                        help="only these models (default: all); see --list")
    parser.add_argument("--list", action="store_true",
                        help="list the models' names and exit")
    parser.add_argument("--no-vectorize", action="store_true",
                        help="skip the vectorize_sequences timing")
    parser.add_argument("--target-seconds", type=float, default=1.0,
                        help="length of one timed epoch (default 1)")
    args = parser.parse_args(argv)
    if args.list:
        for spec in book_models():
            print(f"{spec.name:28} chapter {spec.chapter}  {spec.kind:8} "
                  f"batch {spec.batch_size}")
        return 0
    report = run(args.models, target_seconds=args.target_seconds,
                 vectorize=not args.no_vectorize, log=print)
    print()
    for section in ("throughput", "vectorize"):  # as the Benchmarks page shows
        print("\n".join(report_markdown(report, section)), end="\n\n")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
