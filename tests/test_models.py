"""dlbook.models."""

import pytest

from dlbook.models import build_dense_classifier


def test_dense_classifier_layers_and_parameter_count():
    model = build_dense_classifier(input_shape=(4, 3), hidden_units=5, num_classes=3)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Flatten", "Dense", "Dense",
    ]
    # (12 inputs + 1 bias) * 5 units + (5 + 1) * 3 classes
    assert model.count_params() == 13 * 5 + 6 * 3
    assert model.layers[-1].activation.__name__ == "softmax"
    assert model.output_shape == (None, 3)


def test_dense_classifier_outputs_probabilities():
    import numpy as np

    model = build_dense_classifier(input_shape=(2, 2), hidden_units=4, num_classes=3)
    probs = model.predict(np.ones((5, 2, 2), "float32"), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"input_shape": ()}, ValueError,
         "input_shape must be a tuple of positive ints"),
        ({"input_shape": (28, 0)}, ValueError, r"input_shape\[1\] == 0, must be >= 1"),
        ({"input_shape": (28, True)}, TypeError,
         r"input_shape\[1\] must be an integer, not bool"),
        ({"hidden_units": 0}, ValueError, "hidden_units == 0, must be >= 1"),
        ({"hidden_units": 3.5}, TypeError,
         "hidden_units must be an instance of int, not float"),
        ({"num_classes": 1}, ValueError, "num_classes == 1, must be >= 2"),
    ],
)
def test_dense_classifier_checks_its_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_dense_classifier(**kwargs)


def test_convnet_layers_shapes_and_parameter_counts():
    from dlbook.models import build_convnet

    model = build_convnet()
    assert [layer.name for layer in model.layers] == [
        "conv1", "pool1", "conv2", "pool2", "conv3", "flatten", "dense", "classifier",
    ]
    shapes = [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert shapes == [(26, 26, 32), (13, 13, 32), (11, 11, 64), (5, 5, 64),
                      (3, 3, 64), (576,), (64,), (10,)]
    # (3 * 3 * channels_in + 1) * filters, then (inputs + 1) * units
    assert [layer.count_params() for layer in model.layers] == [
        (9 * 1 + 1) * 32, 0, (9 * 32 + 1) * 64, 0, (9 * 64 + 1) * 64, 0,
        (576 + 1) * 64, (64 + 1) * 10,
    ]
    assert model.count_params() == 93_322


def test_convnet_dropout_follows_flatten_and_adds_no_weights():
    from dlbook.models import build_convnet

    model = build_convnet(dropout=0.5)
    names = [layer.name for layer in model.layers]
    assert names[5:8] == ["flatten", "dropout", "dense"]
    assert model.get_layer("dropout").rate == 0.5
    assert model.count_params() == build_convnet().count_params()
    assert "dropout" not in [layer.name for layer in build_convnet().layers]


def test_convnet_other_inputs_and_classes():
    import numpy as np

    from dlbook.models import build_convnet

    model = build_convnet(input_shape=(18, 20, 3), num_classes=4)
    assert model.get_layer("conv3").output.shape == (None, 1, 1, 64)
    probs = model.predict(np.ones((2, 18, 20, 3), "float32"), verbose=0)
    assert probs.shape == (2, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"input_shape": (28, 28)}, ValueError,
         r"input_shape must be \(height, width, channels\)"),
        ({"input_shape": (28, 28, 0)}, ValueError,
         r"input_shape\[2\] == 0, must be >= 1"),
        ({"input_shape": (28, 28.0, 1)}, TypeError,
         r"input_shape\[1\] must be an instance of int, not float"),
        ({"input_shape": (17, 28, 1)}, ValueError,
         "too small: height and width must be at least"),
        ({"num_classes": 1}, ValueError, "num_classes == 1, must be >= 2"),
        ({"num_classes": "10"}, TypeError,
         "num_classes must be an instance of int, not str"),
        ({"dropout": 1.0}, ValueError, "dropout == 1.0, must be < 1"),
        ({"dropout": -0.1}, ValueError, "dropout == -0.1, must be >= 0"),
        ({"dropout": True}, TypeError, "dropout must be a real number, not bool"),
    ],
)
def test_convnet_checks_its_input(kwargs, error, message):
    from dlbook.models import build_convnet

    with pytest.raises(error, match=message):
        build_convnet(**kwargs)


def test_imdb_model_layers_and_variants():
    import keras

    from dlbook.models import build_imdb_model

    model = build_imdb_model(input_dim=20)
    assert [layer.units for layer in model.layers] == [16, 16, 1]
    assert model.count_params() == 21 * 16 + 17 * 16 + 17
    assert model.layers[-1].activation.__name__ == "sigmoid"
    wide = build_imdb_model(input_dim=20, hidden_units=(8,), dropout=0.5,
                            kernel_regularizer=keras.regularizers.l2(0.01))
    assert [type(layer).__name__ for layer in wide.layers] == [
        "Dense", "Dropout", "Dense",
    ]
    assert wide.layers[1].rate == 0.5
    assert wide.layers[0].kernel_regularizer is not None


def test_reuters_model_outputs_probabilities():
    import numpy as np

    from dlbook.models import build_reuters_model

    model = build_reuters_model(input_dim=6, hidden_units=(5, 4), num_classes=3)
    assert [layer.units for layer in model.layers] == [5, 4, 3]
    probs = model.predict(np.ones((2, 6), "float32"), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_boston_model_is_compiled_for_regression():
    import numpy as np

    from dlbook.models import build_and_compile_boston_model

    model = build_and_compile_boston_model(input_dim=3, steps_per_execution=4)
    assert model.layers[-1].activation.__name__ == "linear"
    x = np.ones((8, 3), "float32")
    history = model.fit(x, np.zeros(8, "float32"), epochs=1, batch_size=2, verbose=0)
    assert set(history.history) == {"loss", "mae"}


@pytest.mark.parametrize(
    ("builder", "kwargs", "error", "message"),
    [
        ("build_imdb_model", {"hidden_units": ()}, ValueError,
         "hidden_units must be a non-empty"),
        ("build_imdb_model", {"hidden_units": (16, 0)}, ValueError,
         r"hidden_units\[1\] == 0, must be >= 1"),
        ("build_imdb_model", {"hidden_units": (16, 1.5)}, TypeError,
         r"hidden_units\[1\] must be an instance of int, not float"),
        ("build_imdb_model", {"dropout": 1.0}, ValueError,
         "dropout == 1.0, must be < 1"),
        ("build_imdb_model", {"dropout": "0.5"}, TypeError,
         "dropout must be an instance of float, not str"),
        ("build_imdb_model", {"input_dim": 0}, ValueError,
         "input_dim == 0, must be >= 1"),
        ("build_imdb_model", {"input_dim": True}, TypeError,
         "input_dim must be an integer, not bool"),
        ("build_reuters_model", {"num_classes": 1}, ValueError,
         "num_classes == 1, must be >= 2"),
        ("build_and_compile_boston_model", {"steps_per_execution": 0}, ValueError,
         "steps_per_execution == 0, must be >= 1"),
    ],
)
def test_chapter_3_builders_check_their_input(builder, kwargs, error, message):
    from dlbook import models

    with pytest.raises(error, match=message):
        getattr(models, builder)(**kwargs)


def test_builders_accept_numpy_ints():
    import numpy as np

    from dlbook.models import build_imdb_model

    model = build_imdb_model(input_dim=np.int64(10), hidden_units=(np.int32(2),))
    assert model.count_params() == (10 + 1) * 2 + 3
    assert build_dense_classifier(input_shape=(np.int64(4),), hidden_units=np.int64(4),
                                  num_classes=np.int8(3)).output_shape == (None, 3)
