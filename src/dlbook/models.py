"""Model builders that more than one chapter uses."""

from __future__ import annotations


def build_dense_classifier(input_shape=(28, 28), hidden_units=512, num_classes=10):
    """Build the book's first network: flatten, one hidden layer, softmax.

    ``Flatten`` -> ``Dense(hidden_units, relu)`` -> ``Dense(num_classes,
    softmax)``, uncompiled.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample, for example ``(28, 28)`` for an image.
    hidden_units : int
        Width of the hidden layer.
    num_classes : int
        Number of classes (at least 2).

    Returns
    -------
    keras.Sequential
        The model, built for ``input_shape``.

    Examples
    --------
    >>> model = build_dense_classifier()
    >>> model.count_params()
    407050
    >>> build_dense_classifier(hidden_units=128).output_shape
    (None, 10)
    """
    input_shape = tuple(input_shape)
    if not input_shape or not all(isinstance(d, int) and d > 0 for d in input_shape):
        raise ValueError(
            f"input_shape must be a tuple of positive ints, got {input_shape!r}."
        )
    for name, value, low in (("hidden_units", hidden_units, 1),
                             ("num_classes", num_classes, 2)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}.")
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Flatten(),
            layers.Dense(hidden_units, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name=f"dense_{hidden_units}",
    )
