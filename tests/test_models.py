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
    ("kwargs", "message"),
    [
        ({"input_shape": ()}, "input_shape must be a tuple of positive ints"),
        ({"input_shape": (28, 0)}, "input_shape must be a tuple of positive ints"),
        ({"hidden_units": 0}, "hidden_units must be an int >= 1, got 0"),
        ({"hidden_units": 3.5}, "hidden_units must be an int >= 1"),
        ({"num_classes": 1}, "num_classes must be an int >= 2, got 1"),
    ],
)
def test_dense_classifier_checks_its_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_dense_classifier(**kwargs)
