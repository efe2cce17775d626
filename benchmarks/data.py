"""The training data of the book's models, shaped and typed as the chapters.

Each loader reads the dataset mirror that the environment names
(``DLBOOK_DATA_DIR``, set by make) through :mod:`dlbook.datasets`, and is
cached; :func:`clear_caches` frees them.
"""

from __future__ import annotations

import functools

import numpy as np

#: Number of words kept in the IMDB and Reuters data, as in the chapters.
NUM_WORDS = 10000

#: The multi-hot arrays' dtype: stored as uint8 (Keras casts each batch to
#: float32 at the model's input), a quarter of float32's memory.
TEXT_DTYPE = "uint8"


@functools.cache
def _fashion_mnist():
    from dlbook.datasets import load_fashion_mnist

    (images, labels), _ = load_fashion_mnist()
    return images.astype("float32") / 255, labels


def fashion_images():
    """Fashion-MNIST training images (60000, 28, 28), float32 in [0, 1]."""
    return _fashion_mnist()


def fashion_flat():
    """The same, flattened to (60000, 784), as chapters 3 and 4 feed them."""
    images, labels = _fashion_mnist()
    return images.reshape(len(images), -1), labels


def fashion_channels():
    """The same with a channel axis, (60000, 28, 28, 1), as chapter 5."""
    images, labels = _fashion_mnist()
    return images[..., np.newaxis], labels


@functools.cache
def imdb_sequences():
    """The 25,000 IMDB training reviews as word indices, and their labels."""
    from dlbook.datasets import load_imdb

    (data, labels), _ = load_imdb(num_words=NUM_WORDS)
    return data, labels


@functools.cache
def imdb_multi_hot():
    """IMDB training reviews multi-hot encoded as uint8; float32 labels."""
    from dlbook.text import vectorize_sequences

    data, labels = imdb_sequences()
    return (vectorize_sequences(data, dimension=NUM_WORDS, dtype=TEXT_DTYPE),
            np.asarray(labels, dtype="float32"))


@functools.cache
def _reuters():
    from dlbook.datasets import load_reuters
    from dlbook.text import vectorize_sequences

    (data, labels), _ = load_reuters(num_words=NUM_WORDS)
    return (vectorize_sequences(data, dimension=NUM_WORDS, dtype=TEXT_DTYPE),
            np.asarray(labels))


def reuters_one_hot():
    """Reuters training newswires (uint8 multi-hot), one-hot float32 topics."""
    from dlbook.text import to_one_hot

    x, labels = _reuters()
    return x, to_one_hot(labels, dimension=46)


def reuters_sparse():
    """Reuters training newswires (uint8 multi-hot), integer topics."""
    return _reuters()


@functools.cache
def boston():
    """Boston housing training set, standardized, float32, as chapter 3."""
    from dlbook.datasets import load_boston_housing

    (houses, prices), _ = load_boston_housing()
    mean, std = houses.mean(axis=0), houses.std(axis=0)
    return (((houses - mean) / std).astype("float32"),
            prices.astype("float32"))


def clear_caches():
    """Forget every loaded dataset."""
    for loader in (_fashion_mnist, imdb_sequences, imdb_multi_hot, _reuters,
                   boston):
        loader.cache_clear()
