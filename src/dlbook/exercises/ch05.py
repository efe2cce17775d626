"""Chapter 5's exercises: convnet shapes, max pooling, a convnet on a budget.

The checkers compare the reader's answers with the book's reference
functions (:func:`dlbook.convolution.output_length`) and with Keras' own
layers (``keras.layers.MaxPooling2D``), on small fixed inputs made here, and
read a reader's model through Keras' public API only: ``model.inputs``,
``model.outputs``, ``model.layers`` and ``model.count_params()``.
"""

from __future__ import annotations

import math

import numpy as np

from dlbook.convolution import output_length
from dlbook.exercises.core import (
    Exercise,
    Incorrect,
    Mistake,
    call,
    describe,
    expect_array,
    expect_close,
    require,
)

__all__ = [
    "EXERCISES", "PARAMETER_BUDGET", "STACK_OUTPUT_SHAPE", "STACK_PARAMS",
    "check_max_pool", "check_output_length", "check_small_convnet",
    "check_stack_prediction",
]


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


# --- ch05-output-length ------------------------------------------------------

#: (input_length, window, padding, strides) at which a reader's function is
#: compared with :func:`dlbook.convolution.output_length`: the chapter's
#: layers, strides that do and do not divide the length, odd lengths.
OUTPUT_LENGTH_CASES = (
    (28, 3, "valid", 1), (26, 2, "valid", 2), (13, 3, "valid", 1),
    (11, 2, "valid", 2), (5, 5, "valid", 1), (28, 3, "valid", 2),
    (10, 4, "valid", 3), (28, 3, "same", 1), (28, 3, "same", 2),
    (15, 3, "same", 2), (7, 5, "same", 3),
)


def check_output_length(function) -> None:
    """Check a reader's ``output_length(input_length, window, padding, strides)``.

    It must return, as an int, the length of a convolution's or a pooling's
    output along one axis, for ``"valid"`` and ``"same"`` padding and any
    stride.

    Raises
    ------
    Incorrect
        At the first input where it returns something else, naming that
        input and what it returned.

    Examples
    --------
    >>> check_output_length(lambda n, k, padding="valid", strides=1: n - k + 1)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: ex_output_length(26, 2, padding='valid', \
strides=2) returns 25, which is not the output length: check how the \
strides enter the formula.
    """
    for n, k, padding, strides in OUTPUT_LENGTH_CASES:
        got = call(function, n, k, padding=padding, strides=strides)
        where = (f"ex_output_length({n}, {k}, padding={padding!r}, "
                 f"strides={strides})")
        if isinstance(got, (float, np.floating)):
            raise Incorrect(
                f"{where} returns the float {got!r}: a length is a whole "
                "number of positions, an int (// divides and rounds down).")
        require(_is_int(got), f"{where} returns {describe(got)}, not an int.")
        if got != output_length(n, k, padding=padding, strides=strides):
            advice = {
                "valid": "check how the strides enter the formula"
                if strides > 1 else "count the positions where the window "
                "fits entirely inside the input",
                "same": "with 'same' padding every input position a stride "
                "apart starts a window; the last one may be partly padding",
            }[padding]
            raise Incorrect(
                f"{where} returns {int(got)}, which is not the output "
                f"length: {advice}.")


# --- ch05-predict-stack ------------------------------------------------------

#: The output shape (without the batch axis) of the predict exercise's stack:
#: ``Input((32, 32, 3))``, ``Conv2D(16, 3)``, ``MaxPooling2D(2)``,
#: ``Conv2D(32, 3, strides=2, padding="same")``.
STACK_OUTPUT_SHAPE = (8, 8, 32)

#: Its number of parameters: (3·3·3 + 1)·16 + (3·3·16 + 1)·32.
STACK_PARAMS = 5088


def check_stack_prediction(prediction) -> None:
    """Check a prediction ``{"output_shape": (h, w, c), "params": n}``.

    The output shape may be given with or without the batch axis (``None``).

    Raises
    ------
    Incorrect
        When the prediction is not such a dict, or its shape or its count is
        wrong; the message says which part, not the right value.

    Examples
    --------
    >>> check_stack_prediction({"output_shape": (8, 8, 32), "params": 5040})
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: the output shape is right, but the \
parameter count 5040 is not: count each filter's weights over all the input \
channels, and its bias.
    """
    require(isinstance(prediction, dict)
            and set(prediction) == {"output_shape", "params"},
            "give a dict with two entries, 'output_shape' and 'params'; got "
            f"{describe(prediction)}.")
    shape, params = prediction["output_shape"], prediction["params"]
    require(isinstance(shape, (tuple, list))
            and all(_is_int(d) for d in shape if d is not None),
            f"the output shape must be a tuple of ints; got {describe(shape)}.")
    shape = tuple(shape)
    if len(shape) == 4 and shape[0] is None:
        shape = shape[1:]  # with the batch axis, as Keras prints it
    require(len(shape) == 3 and None not in shape,
            f"the output shape {shape} should have three sizes: (height, "
            "width, channels), without the batch axis.")
    if sorted(shape) == sorted(STACK_OUTPUT_SHAPE) and shape != STACK_OUTPUT_SHAPE:
        raise Incorrect(f"the output shape {shape} has the right sizes in the "
                        "wrong order: Keras puts the channels last.")
    if shape[:2] != STACK_OUTPUT_SHAPE[:2]:
        raise Incorrect(f"the height and width in {shape} are wrong: apply the "
                        "output-length rule layer by layer, with each layer's "
                        "padding and strides.")
    if shape[2] != STACK_OUTPUT_SHAPE[2]:
        raise Incorrect(f"the number of channels in {shape} is wrong: it is "
                        "set by the last layer that has filters.")
    require(_is_int(params), f"the parameter count must be an int; got "
            f"{describe(params)}.")
    require(params == STACK_PARAMS,
            f"the output shape is right, but the parameter count {params} is "
            "not: count each filter's weights over all the input channels, "
            "and its bias.")


# --- ch05-max-pool -----------------------------------------------------------

def _pool_inputs():
    """The feature maps and window sizes that a reader's max pool is given."""
    rng = np.random.default_rng(5)
    return (
        (rng.normal(size=(4, 4, 1)).astype("float32"), 2),
        (rng.normal(size=(5, 7, 3)).astype("float32"), 2),  # leftovers dropped
        (rng.normal(size=(6, 9, 2)).astype("float32") - 3.0, 3),  # all < 0
    )


def check_max_pool(function) -> None:
    """Check a reader's ``max_pool(x, pool_size)`` against ``MaxPooling2D``.

    ``x`` has shape (height, width, channels); the windows are
    ``pool_size``×``pool_size``, a stride of ``pool_size`` apart, inside the
    input (Keras' defaults), and each channel is pooled on its own.

    Raises
    ------
    Incorrect
        When a result has the wrong shape, or a value that Keras' layer does
        not compute (the message names its place).

    Examples
    --------
    >>> check_max_pool(lambda x, pool_size=2: x[::pool_size, ::pool_size])
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: ex_max_pool(x, pool_size=2), x of \
shape (4, 4, 1), has shape (2, 2, 1) but is wrong at index (0, 0, 0): it \
gives ...
    """
    import keras

    for x, pool_size in _pool_inputs():
        expected = keras.ops.convert_to_numpy(
            keras.layers.MaxPooling2D(pool_size=pool_size)(x[None]))[0]
        got = call(function, x.copy(), pool_size=pool_size)
        name = f"ex_max_pool(x, pool_size={pool_size}), x of shape {x.shape},"
        got = expect_array(got, name, dtype_kind="f")
        if got.shape != expected.shape:
            raise Incorrect(
                f"{name} has shape {got.shape}; expected {expected.shape}: "
                "one value per channel for each window, the windows a "
                "stride of pool_size apart, and no window past the edge.")
        expect_close(got, expected, f"{name} has shape {got.shape} but",
                     rtol=1e-6, atol=1e-6)


# --- ch05-small-convnet ------------------------------------------------------

#: The most parameters the reader's convnet may have: about a fifth of the
#: chapter's convnet.
PARAMETER_BUDGET = 20_000


def _all_layers(model):
    """The layers of a model, nested models' layers included."""
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


def check_small_convnet(build) -> None:
    """Check ``build()``: a convnet for Fashion-MNIST within the budget.

    The model must take (28, 28, 1) images, return 10 class probabilities
    (non-negative, summing to 1), hold at least two ``Conv2D`` layers and
    have at most :data:`PARAMETER_BUDGET` parameters.

    Raises
    ------
    Incorrect
        Saying which of these the model misses.

    Examples
    --------
    >>> import keras
    >>> def dense_only():
    ...     return keras.Sequential([keras.Input((28, 28, 1)),
    ...                              keras.layers.Flatten(),
    ...                              keras.layers.Dense(10, "softmax")])
    >>> check_small_convnet(dense_only)
    Traceback (most recent call last):
    ...
    dlbook.exercises.core.Incorrect: the model holds 0 Conv2D layers; a \
convnet needs at least two.
    """
    import keras

    model = call(build)
    require(isinstance(model, keras.Model),
            f"ex_small_convnet() must return a keras.Model; got "
            f"{describe(model)}.")
    require(len(model.inputs) == 1 and len(model.outputs) == 1,
            "the model should have one input and one output.")
    in_shape = tuple(model.inputs[0].shape)
    require(in_shape == (None, 28, 28, 1),
            f"the model's input has shape {in_shape}; it should take batches "
            "of 28×28 images with one channel, (None, 28, 28, 1).")
    out_shape = tuple(model.outputs[0].shape)
    require(out_shape == (None, 10),
            f"the model's output has shape {out_shape}; it should give one "
            "probability per class, (None, 10).")
    convs = sum(isinstance(layer, keras.layers.Conv2D)
                for layer in _all_layers(model))
    require(convs >= 2, f"the model holds {convs} Conv2D layers; a convnet "
            "needs at least two.")
    params = model.count_params()
    require(params <= PARAMETER_BUDGET,
            f"the model has {params:,} parameters, over the budget of "
            f"{PARAMETER_BUDGET:,}: shrink the feature map before the first "
            "Dense layer.")
    x = np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32")
    probabilities = keras.ops.convert_to_numpy(model(x, training=False))
    require(bool(np.all(probabilities >= 0))
            and np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4),
            "the model's outputs are not probabilities (non-negative, "
            "summing to 1 for each image): what activation does the last "
            "layer need?")


# --- the mistakes ------------------------------------------------------------

def _off_by_one(n, k, padding="valid", strides=1):
    return (n - k) // strides if padding == "valid" else math.ceil(n / strides)


def _no_strides(n, k, padding="valid", strides=1):
    return n - k + 1 if padding == "valid" else n


def _true_division(n, k, padding="valid", strides=1):
    return (n - k) / strides + 1 if padding == "valid" else n / strides


def _same_rounded_down(n, k, padding="valid", strides=1):
    return (n - k) // strides + 1 if padding == "valid" else n // strides


def _average_pool(x, pool_size=2):
    h, w = x.shape[0] // pool_size, x.shape[1] // pool_size
    x = x[:h * pool_size, :w * pool_size]
    return x.reshape(h, pool_size, w, pool_size, -1).mean(axis=(1, 3))


def _stride_one_pool(x, pool_size=2):
    h, w = x.shape[0] - pool_size + 1, x.shape[1] - pool_size + 1
    return np.stack([[x[i:i + pool_size, j:j + pool_size].max(axis=(0, 1))
                      for j in range(w)] for i in range(h)])


def _across_channels_pool(x, pool_size=2):
    h, w = x.shape[0] // pool_size, x.shape[1] // pool_size
    out = np.zeros((h, w, x.shape[2]), dtype=x.dtype)
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i * pool_size:(i + 1) * pool_size,
                          j * pool_size:(j + 1) * pool_size].max()
    return out


def _zero_initialised_pool(x, pool_size=2):
    h, w = x.shape[0] // pool_size, x.shape[1] // pool_size
    out = np.zeros((h, w, x.shape[2]), dtype=x.dtype)
    for i in range(h):
        for j in range(w):
            window = x[i * pool_size:(i + 1) * pool_size,
                       j * pool_size:(j + 1) * pool_size]
            out[i, j] = np.maximum(out[i, j], window.max(axis=(0, 1)))
    return out


def _small_convnet(*, softmax=True, input_shape=(28, 28, 1)):
    import keras
    from keras import layers

    first = [keras.Input(shape=input_shape)]
    if input_shape != (28, 28, 1):
        first.append(layers.Reshape((28, 28, 1)))
    return keras.Sequential(first + [
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax" if softmax else None),
    ])


def _chapter_convnet():
    from dlbook.models import build_convnet

    return build_convnet()


def _dense_only():
    import keras

    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Flatten(),
        keras.layers.Dense(24, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])


EXERCISES = (
    Exercise(
        "ch05-output-length", "coded", "The output-length rule",
        check_output_length,
        hints=(
            "With 'valid' padding, count the positions where the first cell "
            "of the window can go: the window must end inside the input.",
            "Those positions are 0, strides, 2·strides, ... up to "
            "input_length - window. With 'same' padding, they are 0, strides, "
            "... up to input_length - 1.",
            "Valid: (input_length - window) // strides + 1. Same: "
            "ceil(input_length / strides), which is -(-input_length // "
            "strides) in integers.",
        ),
        mistakes=(
            Mistake("an off-by-one: (n - k) // s", _off_by_one),
            Mistake("the strides ignored", _no_strides),
            Mistake("true division, a float", _true_division),
            Mistake("'same' rounded down, n // s", _same_rounded_down),
        ),
    ),
    Exercise(
        "ch05-predict-stack", "predict", "Predict a stack's shape and size",
        check_stack_prediction,
        hints=(
            "Take the layers one at a time: each changes the height and width "
            "by the output-length rule, and a Conv2D sets the channels.",
            "The strided convolution uses padding='same': ceil(n / 2) on an "
            "odd length rounds up.",
            "A Conv2D with f filters of k×k over c channels has "
            "(k·k·c + 1)·f parameters; pooling has none.",
        ),
        mistakes=(
            Mistake("'same' with stride 2 rounded down",
                    {"output_shape": (7, 7, 32), "params": STACK_PARAMS}),
            Mistake("channels first",
                    {"output_shape": (32, 8, 8), "params": STACK_PARAMS}),
            Mistake("the biases forgotten",
                    {"output_shape": STACK_OUTPUT_SHAPE, "params": 5040}),
            Mistake("the input channels forgotten",
                    {"output_shape": STACK_OUTPUT_SHAPE, "params": 480}),
        ),
    ),
    Exercise(
        "ch05-cross-correlation", "question", "Convolution or cross-correlation?",
        hints=(
            "Flipping a kernel is a fixed rearrangement of its weights: what "
            "does training do with it?",
        ),
    ),
    Exercise(
        "ch05-max-pool", "coded", "Max pooling in NumPy",
        check_max_pool,
        hints=(
            "Compute the output's height and width first, with the "
            "output-length rule (stride = pool_size), then fill it window by "
            "window.",
            "For the window at output position (i, j), take "
            "x[i*p:(i+1)*p, j*p:(j+1)*p] and its maximum over the first two "
            "axes only, so that each channel keeps its own maximum.",
        ),
        mistakes=(
            Mistake("average pooling", _average_pool),
            Mistake("a stride of 1: overlapping windows", _stride_one_pool),
            Mistake("one maximum over all the channels", _across_channels_pool),
            Mistake("the output started at zeros", _zero_initialised_pool),
        ),
    ),
    Exercise(
        "ch05-pooling-shift", "question", "Does pooling ignore a shift?",
        hints=(
            "Follow the largest value of one 2×2 window when the map moves "
            "one pixel to the right: does it stay in its window?",
        ),
    ),
    Exercise(
        "ch05-small-convnet", "coded", "A convnet on a budget",
        check_small_convnet,
        hints=(
            "Most of the chapter's parameters sit in the first Dense layer, "
            "which has a weight for every value that Flatten outputs.",
            "Fewer filters shrink the Conv2D layers; a smaller last feature "
            "map shrinks the Dense layer. You can also drop the hidden Dense "
            "layer and go straight to the 10-way softmax.",
            "Conv2D(16) → pool → Conv2D(32) → pool → Conv2D(32) → Flatten → "
            "Dense(10, softmax) fits.",
        ),
        mistakes=(
            Mistake("the chapter's convnet, over budget", _chapter_convnet),
            Mistake("a dense network, no Conv2D", _dense_only),
            Mistake("no softmax on the last layer",
                    lambda: _small_convnet(softmax=False)),
            Mistake("images without their channel axis",
                    lambda: _small_convnet(input_shape=(28, 28))),
        ),
    ),
    Exercise(
        "ch05-bigger-images", "question", "Twice the image, twice the model?",
        hints=(
            "Which layers' parameter counts depend on the height and width "
            "of their input, and which only on their channels?",
        ),
    ),
    Exercise(
        "ch05-beat-the-benchmark", "go-further", "Beat the benchmark",
        hints=(
            "Padding 'same' keeps the 28×28 border; batch normalization "
            "after each convolution lets Adam take larger steps.",
            "Hold out part of the training set to choose the settings; "
            "evaluate the test set once, at the end.",
        ),
        result_key="ch5-go-further-convnet",
    ),
)
