"""FLOPs of one training step of a Keras model, counted on its graph.

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

import itertools

from dlbook.checks import check_int


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
    check_int(batch_size, "batch_size", min_value=1)
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
