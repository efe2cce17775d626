"""What is specific to chapter 5's checkers (the generic properties of every
chapter's exercises are tested in test_exercises.py)."""

import keras
import numpy as np
import pytest

from dlbook.convolution import max_pool2d, output_length
from dlbook.exercises import check
from dlbook.exercises.ch05 import (
    OUTPUT_LENGTH_CASES,
    STACK_OUTPUT_SHAPE,
    STACK_PARAMS,
    _pool_inputs,
    _small_convnet,
)


def _message(label, answer):
    feedback = check(label, answer)
    assert feedback.outcome == "incorrect", feedback
    return feedback.message


def test_output_length_accepts_numpy_ints():
    def with_numpy(n, k, padding="valid", strides=1):
        return np.int64(output_length(n, k, padding=padding, strides=strides))

    assert check("ch05-output-length", with_numpy)


def test_output_length_message_names_the_input_not_the_answer():
    def ignores_strides(n, k, padding="valid", strides=1):
        return n - k + 1 if padding == "valid" else n

    message = _message("ch05-output-length", ignores_strides)
    assert "ex_output_length(26, 2, padding='valid', strides=2)" in message
    assert "returns 25" in message
    assert "13" not in message  # the right length


def test_output_length_rejects_floats_even_when_whole():
    def floats(n, k, padding="valid", strides=1):
        return float(output_length(n, k, padding=padding, strides=strides))

    assert "float" in _message("ch05-output-length", floats)


def test_output_length_cases_cover_both_paddings_and_strides():
    paddings = {p for _, _, p, _ in OUTPUT_LENGTH_CASES}
    assert paddings == {"valid", "same"}
    assert any(n % s for n, _, p, s in OUTPUT_LENGTH_CASES if p == "same")


def test_stack_truth_is_what_keras_builds():
    stack = keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(32, 3, strides=2, padding="same",
                            activation="relu"),
    ])
    assert tuple(stack.outputs[0].shape[1:]) == STACK_OUTPUT_SHAPE
    assert stack.count_params() == STACK_PARAMS


def test_stack_prediction_with_batch_axis_and_list():
    shape = [None, *STACK_OUTPUT_SHAPE]
    assert check("ch05-predict-stack",
                 {"output_shape": shape, "params": STACK_PARAMS})


@pytest.mark.parametrize("prediction, words", [
    ({"output_shape": (8, 8, 64), "params": STACK_PARAMS}, "channels"),
    ({"output_shape": (9, 9, 32), "params": STACK_PARAMS}, "height and width"),
    ({"output_shape": STACK_OUTPUT_SHAPE, "params": 5000}, "parameter count"),
    ({"shape": (1, 2, 3), "params": 7}, "two entries"),
    ((8, 8, 32), "dict"),
])
def test_stack_messages_say_which_part_is_wrong(prediction, words):
    message = _message("ch05-predict-stack", prediction)
    assert words in message
    assert str(STACK_PARAMS) not in message


def test_max_pool_accepts_a_tensor_and_integer_pool_size():
    def pooled_tensor(x, pool_size=2):
        return keras.ops.convert_to_tensor(max_pool2d(x, pool_size))

    assert check("ch05-max-pool", pooled_tensor)


def test_max_pool_inputs_are_fixed_and_some_all_negative():
    first, second = _pool_inputs(), _pool_inputs()
    for (a, p), (b, q) in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
        assert p == q
    assert any((x < 0).all() for x, _ in first)


def test_max_pool_rejects_integer_output():
    def rounded(x, pool_size=2):
        return np.round(max_pool2d(x, pool_size)).astype(int)

    assert "dtype" in _message("ch05-max-pool", rounded)


def test_max_pool_message_names_the_wrong_shape():
    def first_channel(x, pool_size=2):
        return max_pool2d(x, pool_size)[:, :, :1]

    message = _message("ch05-max-pool", first_channel)
    assert "x of shape (5, 7, 3)" in message
    assert "has shape (2, 3, 1); expected (2, 3, 3)" in message


def test_small_convnet_accepts_a_functional_model_with_nested_convs():
    def functional():
        inner = _small_convnet()
        inputs = keras.Input(shape=(28, 28, 1))
        return keras.Model(inputs, inner(inputs))

    assert check("ch05-small-convnet", functional)


def test_small_convnet_rejects_a_non_model():
    message = _message("ch05-small-convnet", lambda: "model")
    assert "keras.Model" in message


def test_small_convnet_reports_the_count_over_budget():
    from dlbook.models import build_convnet

    message = _message("ch05-small-convnet", build_convnet)
    assert "93,322 parameters" in message and "20,000" in message


def test_small_convnet_wrong_number_of_classes():
    def five_classes():
        return keras.Sequential([
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(4, 3), keras.layers.Conv2D(4, 3),
            keras.layers.Flatten(), keras.layers.Dense(5, "softmax"),
        ])

    assert "(None, 10)" in _message("ch05-small-convnet", five_classes)
