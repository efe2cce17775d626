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


def build_convnet(input_shape=(28, 28, 1), num_classes=10):
    """Build the small convnet of chapter 5 and its dense classifier.

    Three ``Conv2D`` layers (32, 64 and 64 filters of 3×3, relu) with a
    ``MaxPooling2D(2)`` after the first two, then ``Flatten``, ``Dense(64,
    relu)`` and ``Dense(num_classes, softmax)``; uncompiled. The layers are
    named ``conv1``, ``pool1``, ``conv2``, ``pool2``, ``conv3``, ``flatten``,
    ``dense`` and ``classifier``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)`` of one image; height and width at least
        18, so that the last convolution still has a 3×3 input.
    num_classes : int
        Number of classes (at least 2).

    Returns
    -------
    keras.Sequential
        The model, built for ``input_shape``.

    Examples
    --------
    >>> model = build_convnet()
    >>> model.count_params()
    93322
    >>> model.get_layer("conv3").output.shape
    (None, 3, 3, 64)
    >>> build_convnet(input_shape=(32, 32, 3), num_classes=5).output_shape
    (None, 5)
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != 3 or not all(
        isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in input_shape
    ):
        raise ValueError(
            "input_shape must be (height, width, channels), three positive ints, "
            f"got {input_shape!r}."
        )
    if min(input_shape[:2]) < 18:
        raise ValueError(
            f"input_shape {input_shape!r} is too small: height and width must be "
            "at least 18 for the three 3×3 convolutions and two poolings."
        )
    if (isinstance(num_classes, bool) or not isinstance(num_classes, int)
            or num_classes < 2):
        raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}.")
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(64, 3, activation="relu", name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Conv2D(64, 3, activation="relu", name="conv3"),
            layers.Flatten(name="flatten"),
            layers.Dense(64, activation="relu", name="dense"),
            layers.Dense(num_classes, activation="softmax", name="classifier"),
        ],
        name="convnet",
    )
