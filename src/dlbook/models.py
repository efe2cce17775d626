"""Model builders that more than one chapter uses."""

from __future__ import annotations

from dlbook.checks import check_int, check_real
from dlbook.speed import STEPS_PER_EXECUTION


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
    if not input_shape:
        raise ValueError(
            f"input_shape must be a tuple of positive ints, got {input_shape!r}."
        )
    for i, d in enumerate(input_shape):
        check_int(d, f"input_shape[{i}]", min_value=1)
    check_int(hidden_units, "hidden_units", min_value=1)
    check_int(num_classes, "num_classes", min_value=2)
    # Keras' layers take Python ints only; NumPy's pass the checks.
    input_shape = tuple(map(int, input_shape))
    hidden_units, num_classes = int(hidden_units), int(num_classes)
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


def build_convnet(input_shape=(28, 28, 1), num_classes=10, dropout=0.0):
    """Build the small convnet of chapter 5 and its dense classifier.

    Three ``Conv2D`` layers (32, 64 and 64 filters of 3×3, relu) with a
    ``MaxPooling2D(2)`` after the first two, then ``Flatten``, ``Dense(64,
    relu)`` and ``Dense(num_classes, softmax)``; uncompiled. The layers are
    named ``conv1``, ``pool1``, ``conv2``, ``pool2``, ``conv3``, ``flatten``,
    ``dense`` and ``classifier``. With ``dropout`` above 0, a ``Dropout``
    layer named ``dropout`` follows ``flatten``; it adds no weights.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)`` of one image; height and width at least
        18, so that the last convolution still has a 3×3 input.
    num_classes : int
        Number of classes (at least 2).
    dropout : float
        Dropout rate in [0, 1) applied to the flattened features; 0 leaves
        the layer out.

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
    >>> build_convnet(dropout=0.5).count_params()
    93322
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != 3:
        raise ValueError(
            "input_shape must be (height, width, channels), three positive ints, "
            f"got {input_shape!r}."
        )
    for i, d in enumerate(input_shape):
        check_int(d, f"input_shape[{i}]", min_value=1)
    input_shape = tuple(map(int, input_shape))  # Keras wants Python ints
    if min(input_shape[:2]) < 18:
        raise ValueError(
            f"input_shape {input_shape!r} is too small: height and width must be "
            "at least 18 for the three 3×3 convolutions and two poolings."
        )
    num_classes = int(check_int(num_classes, "num_classes", min_value=2))
    check_real(dropout, "dropout", min_value=0, max_value=1,
               include_boundaries="left")
    import keras
    from keras import layers

    regularization = [layers.Dropout(dropout, name="dropout")] if dropout else []
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(64, 3, activation="relu", name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Conv2D(64, 3, activation="relu", name="conv3"),
            layers.Flatten(name="flatten"),
            *regularization,
            layers.Dense(64, activation="relu", name="dense"),
            layers.Dense(num_classes, activation="softmax", name="classifier"),
        ],
        name="convnet",
    )


def _dense_stack(input_dim, hidden_units, dropout=0.0, kernel_regularizer=None):
    """Check the arguments and return the input and hidden layers of a MLP."""
    input_dim = int(check_int(input_dim, "input_dim", min_value=1))
    hidden_units = tuple(hidden_units)
    if not hidden_units:
        raise ValueError(
            "hidden_units must be a non-empty tuple of positive ints, one per "
            f"hidden layer, got {hidden_units!r}."
        )
    for i, units in enumerate(hidden_units):
        check_int(units, f"hidden_units[{i}]", min_value=1)
    hidden_units = tuple(map(int, hidden_units))  # Keras wants Python ints
    check_real(dropout, "dropout", min_value=0, max_value=1,
               include_boundaries="left")
    import keras
    from keras import layers

    stack = [keras.Input(shape=(input_dim,))]
    for units in hidden_units:
        stack.append(layers.Dense(units, activation="relu",
                                  kernel_regularizer=kernel_regularizer))
        if dropout:
            stack.append(layers.Dropout(dropout))
    return stack, hidden_units


def build_imdb_model(input_dim=10000, hidden_units=(16, 16), dropout=0.0,
                     kernel_regularizer=None):
    """Build the IMDB review classifier: ReLU layers and one sigmoid unit.

    By default ``Dense(16, relu)`` -> ``Dense(16, relu)`` ->
    ``Dense(1, sigmoid)``, for multi-hot reviews of ``input_dim`` words;
    uncompiled. The output is the probability that a review is positive.

    Parameters
    ----------
    input_dim : int
        Length of an input vector (the ``num_words`` of the data).
    hidden_units : tuple of int
        Width of each hidden layer, for example ``(4, 4)`` or ``(512, 512)``
        for a smaller or larger network.
    dropout : float
        If above 0, a ``Dropout`` layer with this rate follows each hidden
        layer.
    kernel_regularizer : keras.regularizers.Regularizer, optional
        Weight regularization for the hidden layers, such as
        ``keras.regularizers.l2(0.002)``.

    Returns
    -------
    keras.Sequential

    Examples
    --------
    >>> model = build_imdb_model()
    >>> model.count_params()  # (10000 + 1) * 16 + (16 + 1) * 16 + 17
    160305
    >>> build_imdb_model(hidden_units=(4, 4), dropout=0.5).output_shape
    (None, 1)
    """
    import keras
    from keras import layers

    stack, hidden_units = _dense_stack(input_dim, hidden_units, dropout,
                                       kernel_regularizer)
    stack.append(layers.Dense(1, activation="sigmoid"))
    name = "imdb_" + "_".join(map(str, hidden_units))
    return keras.Sequential(stack, name=name)


def build_reuters_model(input_dim=10000, hidden_units=(64, 64), num_classes=46):
    """Build the Reuters topic classifier: ReLU layers and a softmax.

    By default ``Dense(64, relu)`` -> ``Dense(64, relu)`` ->
    ``Dense(46, softmax)``; uncompiled.

    Parameters
    ----------
    input_dim : int
        Length of an input vector (the ``num_words`` of the data).
    hidden_units : tuple of int
        Width of each hidden layer; ``(64, 4)`` makes the information
        bottleneck of a too-narrow middle layer.
    num_classes : int
        Number of topics (at least 2).

    Returns
    -------
    keras.Sequential

    Examples
    --------
    >>> model = build_reuters_model()
    >>> model.output_shape, model.count_params()
    ((None, 46), 647214)
    """
    import keras
    from keras import layers

    num_classes = int(check_int(num_classes, "num_classes", min_value=2))
    stack, hidden_units = _dense_stack(input_dim, hidden_units)
    stack.append(layers.Dense(num_classes, activation="softmax"))
    name = "reuters_" + "_".join(map(str, hidden_units))
    return keras.Sequential(stack, name=name)


def build_and_compile_boston_model(input_dim=13, hidden_units=(64, 64),
                                   optimizer="rmsprop",
                                   steps_per_execution=STEPS_PER_EXECUTION):
    """Build and compile the Boston housing regressor (the one compiled builder).

    ``Dense(64, relu)`` -> ``Dense(64, relu)`` -> ``Dense(1)`` (no
    activation: the output is a price, any real number), compiled with the
    mean squared error as loss and the mean absolute error (``mae``) as
    metric. Compiled, so it can be passed to
    :func:`dlbook.crossval.k_fold_validate` as the model builder.

    Parameters
    ----------
    input_dim : int
        Number of features per house.
    hidden_units : tuple of int
        Width of each hidden layer.
    optimizer : str or keras.optimizers.Optimizer
        Passed to ``compile``.
    steps_per_execution : int
        Training steps that Keras runs in one call of its compiled function;
        by default the book's ``dlbook.speed.STEPS_PER_EXECUTION``.
        Above 1, training with tiny batches goes faster; the updates are the
        same.

    Returns
    -------
    keras.Sequential

    Examples
    --------
    >>> model = build_and_compile_boston_model()
    >>> model.count_params(), model.loss
    (5121, 'mse')
    """
    import keras
    from keras import layers

    steps_per_execution = int(
        check_int(steps_per_execution, "steps_per_execution", min_value=1)
    )
    stack, _ = _dense_stack(input_dim, hidden_units)
    stack.append(layers.Dense(1))
    model = keras.Sequential(stack, name="boston")
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"],
                  steps_per_execution=steps_per_execution)
    return model


def build_layered_network(input_shape=(28, 28), first_units=256,
                          second_units=64, num_classes=10):
    """Build chapter 1's network, whose layers can be looked at by name.

    ``Flatten`` -> ``Dense(first_units, relu)`` named ``layer_1`` ->
    ``Dense(second_units, relu)`` named ``layer_2`` -> ``Dense(num_classes,
    softmax)`` named ``output``; uncompiled. The names let a second model
    return each layer's output (``model.get_layer("layer_1").output``).

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample, for example ``(28, 28)`` for an image.
    first_units, second_units : int
        Widths of the two hidden layers.
    num_classes : int
        Number of classes (at least 2).

    Returns
    -------
    keras.Sequential

    Examples
    --------
    >>> model = build_layered_network()
    >>> [layer.name for layer in model.layers[1:]]
    ['layer_1', 'layer_2', 'output']
    >>> model.count_params()  # 785 * 256 + 257 * 64 + 65 * 10
    218058
    """
    input_shape = tuple(input_shape)
    if not input_shape:
        raise ValueError("input_shape must hold one size at least, got ().")
    for size in input_shape:
        check_int(size, "input_shape's sizes", min_value=1)
    check_int(first_units, "first_units", min_value=1)
    check_int(second_units, "second_units", min_value=1)
    check_int(num_classes, "num_classes", min_value=2)
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Flatten(),
            layers.Dense(first_units, activation="relu", name="layer_1"),
            layers.Dense(second_units, activation="relu", name="layer_2"),
            layers.Dense(num_classes, activation="softmax", name="output"),
        ]
    )


def _check_flat_classifier(input_dim, hidden_units, num_classes):
    check_int(input_dim, "input_dim", min_value=1)
    check_int(hidden_units, "hidden_units", min_value=1)
    check_int(num_classes, "num_classes", min_value=2)


def build_functional_classifier(input_dim=784, hidden_units=32, num_classes=10):
    """Build chapter 3's two-layer classifier with the functional API.

    ``Input(input_dim)`` -> ``Dense(hidden_units, relu)`` ->
    ``Dense(num_classes, softmax)``, written as tensors that flow through
    the layers and turned into a ``keras.Model``; uncompiled. The same
    layers as :func:`build_sequential_classifier`.

    Parameters
    ----------
    input_dim : int
        Features per sample (784 for a flattened 28×28 image).
    hidden_units : int
        Width of the hidden layer.
    num_classes : int
        Number of classes (at least 2).

    Returns
    -------
    keras.Model

    Examples
    --------
    >>> model = build_functional_classifier()
    >>> model.count_params()  # 785 * 32 + 33 * 10
    25450
    >>> build_functional_classifier(hidden_units=8, num_classes=3).output_shape
    (None, 3)
    """
    _check_flat_classifier(input_dim, hidden_units, num_classes)
    import keras
    from keras import layers

    input_tensor = keras.Input(shape=(input_dim,))
    x = layers.Dense(hidden_units, activation="relu")(input_tensor)
    output_tensor = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=input_tensor, outputs=output_tensor)


def build_sequential_classifier(input_dim=784, hidden_units=64, num_classes=10):
    """Build chapter 4's small classifier, a ``Sequential`` of two layers.

    ``Input(input_dim)`` -> ``Dense(hidden_units, relu)`` ->
    ``Dense(num_classes, softmax)``; uncompiled. The same layers as
    :func:`build_functional_classifier`.

    Parameters
    ----------
    input_dim : int
        Features per sample (784 for a flattened 28×28 image).
    hidden_units : int
        Width of the hidden layer.
    num_classes : int
        Number of classes (at least 2).

    Returns
    -------
    keras.Sequential

    Examples
    --------
    >>> model = build_sequential_classifier()
    >>> model.count_params()  # 785 * 64 + 65 * 10
    50890
    >>> build_sequential_classifier(hidden_units=0)
    Traceback (most recent call last):
    ...
    ValueError: hidden_units == 0, must be >= 1.
    """
    _check_flat_classifier(input_dim, hidden_units, num_classes)
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=(input_dim,)),
        layers.Dense(hidden_units, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ])
