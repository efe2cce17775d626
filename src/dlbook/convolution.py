"""Reference NumPy versions of the convnet's operations: convolution and pooling.

They compute what Keras' ``Conv2D`` and ``MaxPooling2D`` layers compute (for one
image, without bias or activation), with plain loops over the output positions,
so that the arithmetic can be read. Keras' layers are many times faster; these
functions exist to explain them and to check them.
"""

from __future__ import annotations

import numpy as np

from dlbook.checks import check_int

PADDINGS = ("valid", "same")
"""The padding modes that :func:`conv2d` and :func:`output_length` accept."""


def _check_padding(padding):
    if padding not in PADDINGS:
        raise ValueError(
            f"padding must be one of {PADDINGS}, got {padding!r}."
        )


def _pair(value, name):
    """``value`` as a pair of positive ints: ``2`` -> ``(2, 2)``."""
    if not isinstance(value, (tuple, list)):
        check_int(value, name, min_value=1)
        return int(value), int(value)
    if len(value) != 2:
        raise ValueError(
            f"{name} must be a positive int or a pair of positive ints, "
            f"got {value!r}."
        )
    for i, v in enumerate(value):
        check_int(v, f"{name}[{i}]", min_value=1)
    return int(value[0]), int(value[1])


def output_length(input_length, window, *, padding="valid", strides=1):
    """Length of a convolution's or pooling's output along one axis.

    With ``"valid"`` padding the window stays inside the input:
    ``(input_length - window) // strides + 1``. With ``"same"`` padding the
    input is padded with zeros so that every input position starts a window:
    ``ceil(input_length / strides)``, which is ``input_length`` for stride 1.

    Parameters
    ----------
    input_length : int
        Height or width of the input.
    window : int
        Height or width of the kernel or of the pooling window.
    padding : {"valid", "same"}
        Padding mode, as in Keras.
    strides : int
        Step between two windows.

    Returns
    -------
    int

    Examples
    --------
    >>> output_length(28, 3)
    26
    >>> output_length(26, 2, strides=2)
    13
    >>> output_length(28, 3, padding="same"), output_length(28, 3, strides=2)
    (28, 13)
    """
    _check_padding(padding)
    for name, value in (("input_length", input_length), ("window", window),
                        ("strides", strides)):
        check_int(value, name, min_value=1)
    if padding == "same":
        return -(-input_length // strides)
    if window > input_length:
        raise ValueError(
            f"The window ({window}) is larger than the input ({input_length}); "
            "use a smaller window or padding='same'."
        )
    return (input_length - window) // strides + 1


def _same_padding(length, window, stride):
    """Zeros to add (before, after) for "same" padding, as TensorFlow pads."""
    out = -(-length // stride)
    total = max((out - 1) * stride + window - length, 0)
    return total // 2, total - total // 2


def conv2d(image, kernel, *, padding="valid", strides=1):
    """2-D convolution of one image, computed as Keras' ``Conv2D`` computes it.

    Like every deep-learning library, Keras computes a *cross-correlation*: the
    kernel slides over the image without being flipped, and each output value
    is the sum of the products of the kernel with the patch under it. No bias
    and no activation are applied.

    Parameters
    ----------
    image : array-like of shape (height, width) or (height, width, channels)
        One image (no batch axis).
    kernel : array-like of shape (kh, kw) or (kh, kw, channels, filters)
        A 2-D kernel for a 2-D image, or a kernel laid out as a ``Conv2D``
        layer's (``layer.kernel``) for an image with channels.
    padding : {"valid", "same"}
        ``"valid"``: no padding, the output shrinks by ``kh - 1`` rows and
        ``kw - 1`` columns. ``"same"``: zeros around the image, placed as
        TensorFlow places them, so that the output has ``ceil(size / strides)``
        rows and columns.
    strides : int or pair of int
        Step between two windows, along the rows and the columns.

    Returns
    -------
    numpy.ndarray
        Shape ``(out_height, out_width)`` for a 2-D image,
        ``(out_height, out_width, filters)`` otherwise.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    >>> conv2d(image, kernel)
    array([[-5., -5., -5.],
           [-5., -5., -5.],
           [-5., -5., -5.]])
    >>> conv2d(image, np.ones((3, 3)), padding="same", strides=2)
    array([[45., 39.],
           [66., 50.]])
    """
    image = np.asarray(image)
    kernel = np.asarray(kernel)
    _check_padding(padding)
    stride_h, stride_w = _pair(strides, "strides")
    if image.ndim not in (2, 3):
        raise ValueError(
            "image must have shape (height, width) or (height, width, channels), "
            f"got shape {image.shape}."
        )
    if kernel.ndim != image.ndim * 2 - 2:
        expected = "(kh, kw)" if image.ndim == 2 else "(kh, kw, channels, filters)"
        raise ValueError(
            f"For an image of shape {image.shape}, kernel must have shape "
            f"{expected}, got shape {kernel.shape}."
        )
    squeeze = image.ndim == 2
    if squeeze:
        image, kernel = image[:, :, None], kernel[:, :, None, None]
    height, width, channels = image.shape
    kh, kw, kernel_channels, filters = kernel.shape
    if kernel_channels != channels:
        raise ValueError(
            f"The kernel expects {kernel_channels} channels but the image has "
            f"{channels}."
        )
    if kh > height or kw > width:
        raise ValueError(
            f"The kernel ({kh}, {kw}) is larger than the image ({height}, {width})."
        )
    if padding == "same":
        pad_h = _same_padding(height, kh, stride_h)
        pad_w = _same_padding(width, kw, stride_w)
        image = np.pad(image, (pad_h, pad_w, (0, 0)))
    out_h = output_length(height, kh, padding=padding, strides=stride_h)
    out_w = output_length(width, kw, padding=padding, strides=stride_w)
    dtype = np.result_type(image.dtype, kernel.dtype, np.float32)
    output = np.zeros((out_h, out_w, filters), dtype=dtype)
    for i in range(out_h):
        top = i * stride_h
        for j in range(out_w):
            left = j * stride_w
            patch = image[top:top + kh, left:left + kw]
            # Products summed over rows, columns and channels, per filter.
            output[i, j] = np.tensordot(patch, kernel, axes=3)
    return output[:, :, 0] if squeeze else output


def max_pool2d(x, pool_size=2, strides=None):
    """2-D max pooling of one feature map, as Keras' ``MaxPooling2D`` does it.

    Each output value is the largest value of a ``pool_size`` window; windows
    start every ``strides`` positions and stay inside the input ("valid"
    padding, Keras' default), so a leftover last row or column is dropped.

    Parameters
    ----------
    x : array-like of shape (height, width) or (height, width, channels)
        One feature map (no batch axis); each channel is pooled on its own.
    pool_size : int or pair of int
        Height and width of the window.
    strides : int or pair of int, optional
        Step between two windows; by default ``pool_size``, so that the
        windows do not overlap.

    Returns
    -------
    numpy.ndarray
        Shape ``(out_height, out_width)`` or ``(out_height, out_width,
        channels)``, with ``out_height = (height - pool_height) // stride + 1``.

    Examples
    --------
    >>> x = np.array([[1, 2, 0, 5, 9],
    ...               [3, 4, 1, 1, 9],
    ...               [0, 0, 7, 0, 9]])
    >>> max_pool2d(x)
    array([[4, 5]])
    >>> max_pool2d(x, pool_size=3, strides=1)
    array([[7, 7, 9]])
    """
    x = np.asarray(x)
    if x.ndim not in (2, 3):
        raise ValueError(
            "x must have shape (height, width) or (height, width, channels), "
            f"got shape {x.shape}."
        )
    pool_h, pool_w = _pair(pool_size, "pool_size")
    stride_h, stride_w = _pair(pool_size if strides is None else strides, "strides")
    height, width = x.shape[:2]
    if pool_h > height or pool_w > width:
        raise ValueError(
            f"The pooling window ({pool_h}, {pool_w}) is larger than the input "
            f"({height}, {width})."
        )
    out_h = output_length(height, pool_h, strides=stride_h)
    out_w = output_length(width, pool_w, strides=stride_w)
    output = np.empty((out_h, out_w) + x.shape[2:], dtype=x.dtype)
    for i in range(out_h):
        top = i * stride_h
        for j in range(out_w):
            left = j * stride_w
            window = x[top:top + pool_h, left:left + pool_w]
            output[i, j] = window.max(axis=(0, 1))
    return output
