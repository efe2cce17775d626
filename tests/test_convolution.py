"""dlbook.convolution, checked against Keras' own layers."""

import keras
import numpy as np
import pytest

from dlbook.convolution import conv2d, max_pool2d, output_length


def keras_conv(image, kernel, padding, strides):
    """What a Conv2D layer with this kernel (and no bias) computes."""
    kh, kw, _, filters = kernel.shape
    layer = keras.layers.Conv2D(
        filters, (kh, kw), padding=padding, strides=strides, use_bias=False
    )
    layer.build((None, *image.shape))
    layer.set_weights([kernel])
    return keras.ops.convert_to_numpy(layer(image[None]))[0]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides", [1, 2, (1, 2)])
@pytest.mark.parametrize(("size", "kernel_size"), [((7, 6), (3, 3)), ((8, 5), (2, 3))])
def test_conv2d_matches_keras_conv2d(padding, strides, size, kernel_size):
    rng = np.random.default_rng(0)
    image = rng.normal(size=(*size, 2)).astype("float32")
    kernel = rng.normal(size=(*kernel_size, 2, 3)).astype("float32")
    expected = keras_conv(image, kernel, padding, strides)
    actual = conv2d(image, kernel, padding=padding, strides=strides)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


def test_conv2d_of_a_2d_image_with_a_2d_kernel():
    rng = np.random.default_rng(1)
    image = rng.random((6, 6)).astype("float32")
    kernel = rng.random((3, 3)).astype("float32")
    expected = keras_conv(image[:, :, None], kernel[:, :, None, None], "valid", 1)
    actual = conv2d(image, kernel)
    assert actual.shape == (4, 4)
    np.testing.assert_allclose(actual, expected[:, :, 0], rtol=1e-5, atol=1e-6)


def test_conv2d_is_a_cross_correlation_not_a_flipped_convolution():
    image = np.zeros((3, 3))
    image[0, 0] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    # The single output sums image * kernel: only the top-left products count.
    assert conv2d(image, kernel)[0, 0] == kernel[0, 0]


def test_same_padding_keeps_the_size_and_pads_zeros():
    out = conv2d(np.ones((4, 4)), np.ones((3, 3)), padding="same")
    assert out.shape == (4, 4)
    np.testing.assert_array_equal(out[0], [4, 6, 6, 4])
    np.testing.assert_array_equal(out[1], [6, 9, 9, 6])


@pytest.mark.parametrize("pool_size", [2, 3, (2, 3)])
@pytest.mark.parametrize("strides", [None, 1, 2])
def test_max_pool2d_matches_keras_max_pooling2d(pool_size, strides):
    x = np.random.default_rng(2).normal(size=(7, 8, 3)).astype("float32")
    layer = keras.layers.MaxPooling2D(pool_size=pool_size, strides=strides)
    expected = keras.ops.convert_to_numpy(layer(x[None]))[0]
    actual = max_pool2d(x, pool_size=pool_size, strides=strides)
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(actual, expected)


def test_max_pool2d_of_a_2d_map():
    x = np.arange(20).reshape(4, 5)
    np.testing.assert_array_equal(max_pool2d(x), [[6, 8], [16, 18]])


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((28, 3), {}, 26),
        ((26, 2), {"strides": 2}, 13),
        ((11, 2), {"strides": 2}, 5),
        ((28, 3), {"padding": "same"}, 28),
        ((28, 3), {"padding": "same", "strides": 2}, 14),
        ((28, 3), {"strides": 2}, 13),
    ],
)
def test_output_length_matches_conv2d(args, kwargs, expected):
    assert output_length(*args, **kwargs) == expected
    length, window = args
    out = conv2d(np.zeros((length, 4)), np.zeros((window, 1)), **kwargs)
    assert out.shape[0] == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: conv2d(np.zeros(5), np.zeros((2, 2))),
         r"image must have shape \(height, width\).*got shape \(5,\)"),
        (lambda: conv2d(np.zeros((5, 5)), np.zeros((2, 2, 1, 1))),
         r"kernel must have shape \(kh, kw\), got shape \(2, 2, 1, 1\)"),
        (lambda: conv2d(np.zeros((5, 5, 2)), np.zeros((2, 2, 3, 1))),
         "kernel expects 3 channels but the image has 2"),
        (lambda: conv2d(np.zeros((3, 3)), np.zeros((4, 2))),
         r"kernel \(4, 2\) is larger than the image \(3, 3\)"),
        (lambda: conv2d(np.zeros((5, 5)), np.zeros((2, 2)), padding="full"),
         r"padding must be one of \('valid', 'same'\), got 'full'"),
        (lambda: conv2d(np.zeros((5, 5)), np.zeros((2, 2)), strides=0),
         "strides == 0, must be >= 1"),
        (lambda: conv2d(np.zeros((5, 5)), np.zeros((2, 2)), strides=(1, 0)),
         r"strides\[1\] == 0, must be >= 1"),
        (lambda: max_pool2d(np.zeros((2, 2, 2, 2))),
         r"x must have shape \(height, width\).*got shape \(2, 2, 2, 2\)"),
        (lambda: max_pool2d(np.zeros((3, 3)), pool_size=4),
         r"pooling window \(4, 4\) is larger than the input \(3, 3\)"),
        (lambda: max_pool2d(np.zeros((3, 3)), pool_size=(2, 2, 2)),
         "pool_size must be a positive int or a pair"),
        (lambda: output_length(28, 3, padding="SAME"),
         r"padding must be one of \('valid', 'same'\), got 'SAME'"),
        (lambda: output_length(2, 3),
         r"window \(3\) is larger than the input \(2\)"),
    ],
)
def test_bad_input_raises_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: output_length(28, 3, strides=1.5),
         "strides must be an instance of int, not float"),
        (lambda: output_length(28, True),
         r"window must be an integer, not bool \(True\)"),
        (lambda: max_pool2d(np.zeros((3, 3)), pool_size=(2, 2.0)),
         r"pool_size\[1\] must be an instance of int, not float"),
        (lambda: conv2d(np.zeros((5, 5)), np.zeros((2, 2)), strides="1"),
         "strides must be an instance of int, not str"),
    ],
)
def test_arguments_of_the_wrong_type_raise_a_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
