"""benchmarks.flops and benchmarks.timing: the FLOP count, the arithmetic."""

import json

import numpy as np
import pytest

from benchmarks import flops, timing
from benchmarks.registry import book_models


def _dense_net(sizes, loss="mse"):
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input(shape=(sizes[0],))]
        + [layers.Dense(units, activation="relu") for units in sizes[1:-1]]
        + [layers.Dense(sizes[-1])]
    )
    model.compile(optimizer="rmsprop", loss=loss)
    return model


def test_dense_flops_match_the_analytic_count():
    sizes, batch = (30, 8, 5, 1), 4
    counts = flops.train_flops_per_sample(_dense_net(sizes), batch)
    # The matmuls exactly: forward, the weights' gradients, and the input
    # gradients of every layer but the first.
    matmuls = 2 * batch * (30 * 8 + 8 * 5 + 5 * 1)
    expected = 3 * matmuls - 2 * batch * 30 * 8
    assert expected == flops.dense_training_flops(sizes, batch)
    assert counts["by_op_type"]["MatMul"] == expected
    assert counts["matmul_conv_flops_per_sample"] == expected / batch
    # The profiler's total adds bias, ReLU-free element-wise ops and the loss:
    # more than the matmuls, by a little.
    assert expected <= counts["flops_per_step"] <= 1.15 * expected
    assert counts["flops_per_sample"] == counts["flops_per_step"] / batch
    assert counts["batch_size"] == batch
    assert "Relu" in counts["uncounted_op_types"]


def test_flops_per_sample_barely_depend_on_the_batch_size():
    model = _dense_net((20, 6, 1))
    small = flops.train_flops_per_sample(model, 2)
    large = flops.train_flops_per_sample(model, 16)
    assert small["matmul_conv_flops_per_sample"] == (
        large["matmul_conv_flops_per_sample"])
    assert small["flops_per_step"] < large["flops_per_step"]


def test_convnet_backprop_ops_are_counted():
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(6, 6, 2)),
        layers.Conv2D(3, 3, activation="relu"),
        layers.Conv2D(4, 3),
        layers.Flatten(),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    labels = np.zeros((1,), "int64")
    counts = flops.train_flops_per_sample(
        model, 2, x=np.zeros((1, 6, 6, 2), "float32"), y=labels)
    by_type = counts["by_op_type"]
    # conv1: 4×4 outputs × 3 filters × 3·3·2 weights; conv2: 2×2 × 4 × 3·3·3.
    conv = 2 * 2 * (16 * 3 * 18 + 4 * 4 * 27)
    assert by_type["Conv2D"] == conv
    # The weights' gradients cost what the forward convolutions cost...
    assert by_type["Conv2DBackpropFilter"] == conv
    # ... and only conv2 passes a gradient back (none for the images).
    assert by_type["Conv2DBackpropInput"] == 2 * 2 * 4 * 4 * 27
    # TensorFlow's own statistics count them on the input's size, as for
    # "same" padding (conv1 on 6×6, not 4×4; conv2 on 4×4, not 2×2), and
    # count conv1's unused gradient for the images too.
    tf_filter = 2 * 2 * (36 * 3 * 18 + 16 * 4 * 27)
    tf_input = 2 * 2 * (36 * 3 * 18 + 16 * 4 * 27)
    overcount = (tf_filter - conv) + (tf_input - 2 * 2 * 4 * 4 * 27)
    # (plus a few unused element-wise ops).
    assert counts["profiler_flops_per_sample"] * 2 == pytest.approx(
        counts["flops_per_step"] + overcount, rel=1e-3)


def test_uint8_inputs_and_integer_labels_trace():
    model = _dense_net((12, 3), loss="sparse_categorical_crossentropy")
    counts = flops.train_flops_per_sample(
        model, 5, x=np.zeros((1, 12), "uint8"), y=np.zeros((1,), "int32"))
    assert counts["by_op_type"]["MatMul"] == 2 * 5 * 12 * 3 * 2


def test_uncompiled_model_needs_a_loss():
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        flops.train_flops_per_sample(model, 2)
    counts = flops.train_flops_per_sample(model, 2, loss="mse")
    assert counts["by_op_type"]["MatMul"] == 2 * 2 * 3 * 2


def test_fraction_of_bound_arithmetic():
    assert timing.fraction_of_bound(2e6, 1000, 4e9) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="must be positive"):
        timing.fraction_of_bound(1.0, 1.0, 0.0)


def test_timing_size_takes_whole_batch_groups():
    # 1000 samples/s for 1 s in groups of 64: 15 groups.
    assert timing._timing_size(1000, 64, 10_000, 1.0, 1) == 960
    # Never more than the data holds, never fewer than min_batches groups.
    assert timing._timing_size(1e9, 64, 500, 1.0, 1) == 448
    assert timing._timing_size(0, 64, 500, 1.0, 2) == 128


def test_dense_training_flops_checks_its_input():
    with pytest.raises(ValueError, match="input size and one layer"):
        flops.dense_training_flops([10])


def test_training_throughput_on_a_tiny_model():
    model = _dense_net((4, 3, 1))
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    result = timing.training_throughput(
        model, x, x[:, :1], 8, target_seconds=0.01, repeats=2)
    assert result["samples_per_second"] > 0
    assert result["samples"] % 8 == 0 and 8 <= result["samples"] <= 64
    assert len(result["epoch_seconds"]) == 2
    assert result["samples_per_second"] >= result["median_samples_per_second"]
    with pytest.raises(ValueError, match="differ in length"):
        timing.training_throughput(model, x, x[:3], 8)


def test_vectorize_ratio_arithmetic():
    result = timing.vectorize_ratio([[1, 2], [3]] * 10, repeat=1,
                                        dtypes=("float32",))
    seconds = result["seconds"]
    assert result["same_dtype_ratio"]["float32"] == pytest.approx(
        seconds["loop"]["float32"] / seconds["vectorized"]["float32"])
    assert set(result["notes_vs_book"]) == {"float32", "uint8"}
    assert result["samples"] == 20


def test_timings_check_their_arguments():
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        flops.train_flops_per_sample(_dense_net((3, 1)), True)


def test_book_models_are_unique_and_described_as_plain_json():
    specs = book_models()
    names = [spec.name for spec in specs]
    assert len(names) == len(set(names)) > 0  # the slow registry test checks the list
    assert {spec.chapter for spec in specs} == {1, 2, 3, 4, 5}
    assert {spec.kind for spec in specs} == {"dense", "convnet"}
    described = {spec.name: spec.describe() for spec in specs}
    text = json.dumps(described, allow_nan=False)
    assert " object at 0x" not in text and "<" not in text
    assert json.loads(text) == described  # no tuple, nothing but JSON
    l1_l2 = described["ch4-imdb-l1-l2"]["builder_kwargs"]["kernel_regularizer"]
    assert l1_l2 == {"class_name": "L1L2", "config": {"l1": 0.001, "l2": 0.001}}
    schedule = described["ch5-convnet-regularized"]["compile"]["optimizer"]
    assert schedule["class_name"] == "RMSprop"
    assert schedule["learning_rate"]["class_name"] == "CosineDecay"
    assert schedule["learning_rate"]["config"]["decay_steps"] == 9380
    # Described alike however many optimizers this process made before.
    again = {spec.name: spec for spec in book_models()}["ch5-convnet-regularized"]
    assert again.describe() == described["ch5-convnet-regularized"]
    assert described["ch1-dense-256-64"]["builder"] == "build_layered_network"
