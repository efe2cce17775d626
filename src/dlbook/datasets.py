"""Load the book's datasets through Keras' own loaders, online or from a mirror.

Every loader here calls the matching ``keras.datasets`` function, so a reader
with internet access gets Keras' usual download into ``~/.keras/datasets``.

Machines without internet can point the environment variable
``DLBOOK_DATA_DIR`` at a read-only mirror in Keras' cache layout: a folder
holding ``datasets/imdb.npz``, ``datasets/fashion-mnist/*.gz`` and so on. For
each file a loader needs, the mirror copy is checked against its published
checksum *before* Keras sees it (Keras deletes a cached file whose hash does not
match), then copied into Keras' own folder, where Keras looks before it
downloads: ``$KERAS_HOME``, Keras' public setting, or else ``~/.keras``
(:func:`keras_home`). The mirror itself is never written, moved or deleted, and
Keras never sees it: a copy, unlike a link, cannot lead Keras back to the mirror.

Keras reads ``KERAS_HOME`` once, when it is first imported: set it before
that (``make`` does), not from inside a running program.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from dlbook.checks import check_int, check_real

DATA_DIR_ENV = "DLBOOK_DATA_DIR"
"""Environment variable naming a read-only mirror in Keras' cache layout."""

KERAS_HOME_ENV = "KERAS_HOME"
"""Keras' own environment variable naming its folder, read when Keras is imported."""

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
"""Names of the ten Fashion-MNIST classes, indexed by label."""

#: Published checksums: path in Keras' cache layout -> ``(algorithm, digest)``.
#: The Keras files carry Keras' own ``file_hash``; the Fashion-MNIST files carry
#: the MD5s published by Zalando Research (Keras checks none for them).
CHECKSUMS = {
    "datasets/imdb.npz": (
        "sha256",
        "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    ),
    "datasets/imdb_word_index.json": ("md5", "bfafd718b763782e994055a2d397834f"),
    "datasets/reuters.npz": (
        "sha256",
        "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    ),
    "datasets/reuters_word_index.json": ("md5", "4d44cc38712099c9e383dc6e5f11a921"),
    "datasets/boston_housing.npz": (
        "sha256",
        "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    ),
    "datasets/fashion-mnist/train-images-idx3-ubyte.gz": (
        "md5",
        "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    ),
    "datasets/fashion-mnist/train-labels-idx1-ubyte.gz": (
        "md5",
        "25c81989df183df01b3e8a0aad5dffbe",
    ),
    "datasets/fashion-mnist/t10k-images-idx3-ubyte.gz": (
        "md5",
        "bef4ecab320f06d8554ea6380940ec79",
    ),
    "datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz": (
        "md5",
        "bb300cfdad3c16e7a12a480ee83cd310",
    ),
}

_FASHION_MNIST_FILES = tuple(k for k in CHECKSUMS if "fashion-mnist" in k)


class DatasetNotFoundError(FileNotFoundError):
    """A dataset file is neither in the mirror nor downloadable."""


class DatasetChecksumError(ValueError):
    """A dataset file's checksum differs from the published one."""


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Return the hex digest of a file, read in chunks.

    Parameters
    ----------
    path : str or path-like
        The file to hash.
    algorithm : str
        The hash algorithm, ``"sha256"`` or ``"md5"``.

    Returns
    -------
    str
        The lowercase hexadecimal digest.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "hello.txt")
    ...     _ = p.write_bytes(b"hello")
    ...     file_digest(p, "md5")
    '5d41402abc4b2a76b9719d911017c592'
    """
    if algorithm not in ("sha256", "md5"):
        raise ValueError(
            f"algorithm must be 'sha256' or 'md5', got {algorithm!r}."
        )
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: str | os.PathLike, relpath: str) -> Path:
    """Check a dataset file against the published checksum for ``relpath``.

    The file is only read, never changed.

    Parameters
    ----------
    path : str or path-like
        The file to check.
    relpath : str
        Its path in Keras' cache layout, a key of :data:`CHECKSUMS`.

    Returns
    -------
    pathlib.Path
        ``path``, once verified.

    Raises
    ------
    DatasetChecksumError
        If the checksum differs; the message names the file and both digests.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "boston_housing.npz")
    ...     _ = p.write_bytes(b"not the real file")
    ...     verify_file(p, "datasets/boston_housing.npz")
    Traceback (most recent call last):
    ...
    dlbook.datasets.DatasetChecksumError: ...boston_housing.npz has sha256 ...
    """
    if relpath not in CHECKSUMS:
        raise KeyError(
            f"No published checksum for {relpath!r}; known files: "
            f"{', '.join(sorted(CHECKSUMS))}."
        )
    algorithm, expected = CHECKSUMS[relpath]
    actual = file_digest(path, algorithm)
    if actual != expected:
        raise DatasetChecksumError(
            f"{path} has {algorithm} {actual}, but the published file has "
            f"{expected}. The file is corrupted or is not the one Keras "
            "downloads; it was left as it is. Replace it with a fresh copy."
        )
    return Path(path)


def _env_path(name: str, override: str | os.PathLike | None) -> Path | None:
    value = os.fspath(override) if override is not None else os.environ.get(name)
    return Path(value).expanduser().absolute() if value else None


def keras_home() -> Path:
    """Return the folder where Keras keeps its files: where mirror files are staged.

    Keras' own rule: ``$KERAS_HOME`` if set, else ``~/.keras``, or
    ``/tmp/.keras`` when the home folder is not writable. Keras reads the
    variable when it is imported, so set it before that.

    Examples
    --------
    >>> keras_home().is_absolute()
    True
    """
    explicit = _env_path(KERAS_HOME_ENV, None)
    if explicit is not None:
        return explicit
    base = Path.home()
    if not os.access(base, os.W_OK):
        base = Path("/tmp")
    return (base / ".keras").absolute()


def stage_from_mirror(
    relpaths: tuple[str, ...] | list[str],
    data_dir: str | os.PathLike | None = None,
    home: str | os.PathLike | None = None,
) -> Path | None:
    """Verify mirror files and copy them into Keras' folder.

    Parameters
    ----------
    relpaths : sequence of str
        Files in Keras' cache layout, keys of :data:`CHECKSUMS`.
    data_dir : str or path-like, optional
        The mirror. Defaults to ``$DLBOOK_DATA_DIR``.
    home : str or path-like, optional
        Where to stage the copies. Defaults to :func:`keras_home`, where
        Keras' loaders look.

    Returns
    -------
    pathlib.Path or None
        The folder the copies are in, or ``None`` when no mirror is set
        (Keras then downloads as usual).

    Raises
    ------
    DatasetNotFoundError
        If the mirror folder or one of its files is missing.
    DatasetChecksumError
        If a mirror file does not match its published checksum.

    Examples
    --------
    >>> stage_from_mirror(["datasets/boston_housing.npz"], data_dir="") is None
    True
    """
    mirror = _env_path(DATA_DIR_ENV, data_dir)
    if mirror is None:
        return None
    if not mirror.is_dir():
        raise DatasetNotFoundError(
            f"{DATA_DIR_ENV} points at {mirror}, which is not a folder. Set it "
            "to a mirror in Keras' cache layout (a folder holding "
            "datasets/imdb.npz, datasets/fashion-mnist/, ...), or unset it to "
            "download the data from the internet."
        )
    cache = _env_path(KERAS_HOME_ENV, home) if home else keras_home()
    _check_apart(mirror, cache)
    _check_writable(cache)
    for relpath in relpaths:
        source = mirror / relpath
        if not source.is_file():
            hint = ""
            if not (mirror / "datasets").is_dir():
                hint = (
                    f" {mirror} has no datasets/ subfolder: point {DATA_DIR_ENV} "
                    "at the folder that holds datasets/."
                )
            raise DatasetNotFoundError(
                f"{relpath} is missing from the mirror: no file at {source}.{hint} "
                f"Copy the file Keras downloads there, point {DATA_DIR_ENV} at "
                "a complete mirror, or unset it to download from the internet."
            )
        verify_file(source, relpath)
        _copy_verified(source, cache / relpath, relpath)
    return cache


def _check_apart(mirror: Path, cache: Path) -> None:
    """Refuse a cache and a mirror that overlap: writing one would touch the other."""
    mirror_resolved, cache_resolved = mirror.resolve(), cache.resolve()
    if (
        cache_resolved == mirror_resolved
        or mirror_resolved in cache_resolved.parents
        or cache_resolved in mirror_resolved.parents
    ):
        raise ValueError(
            f"The cache folder {cache} and the read-only mirror {mirror} overlap, "
            f"so staging files would write into the mirror. Set {KERAS_HOME_ENV} "
            "to a writable folder outside the mirror, and the mirror outside it."
        )


def _check_writable(cache: Path) -> None:
    """Refuse a folder Keras would not use: it falls back to ``/tmp/.keras``."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PermissionError(
            f"Cannot create Keras' folder {cache} ({error.strerror}). Set "
            f"{KERAS_HOME_ENV} to a writable folder before importing Keras."
        ) from None
    if not os.access(cache, os.W_OK):
        raise PermissionError(
            f"Keras' folder {cache} is not writable, and Keras would silently "
            f"use another one. Set {KERAS_HOME_ENV} to a writable folder before "
            "importing Keras."
        )


def _copy_verified(source: Path, target: Path, relpath: str) -> None:
    """Put a verified copy of ``source`` (in the mirror) at ``target`` (our cache).

    A copy rather than a link: Keras may delete or re-download a cached file,
    and must never reach the mirror through it. An existing copy is kept when
    its checksum is right; anything else at ``target`` is replaced atomically.
    """
    if target.is_file() and not target.is_symlink():
        try:
            verify_file(target, relpath)
            return
        except DatasetChecksumError:
            pass  # a stale or damaged copy of our own: replace it
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    except OSError as error:
        raise PermissionError(
            f"Cannot write {target} ({error.strerror}). Set {KERAS_HOME_ENV} to "
            "a writable folder before importing Keras."
        ) from None


def _load(relpaths, loader, data_dir=None, **kwargs):
    """Stage ``relpaths`` from the mirror, then call the Keras ``loader``."""
    cache = stage_from_mirror(relpaths, data_dir=data_dir)
    try:
        return loader(**kwargs)
    except Exception as error:
        network = isinstance(error, (TimeoutError, ConnectionError))
        if not (network or "URL fetch failure" in str(error)):
            raise
        names = ", ".join(relpaths)
        if cache is None:
            fix = (
                f"Connect to the internet, or set {DATA_DIR_ENV} to a mirror in "
                f"Keras' cache layout that holds {names} (for example "
                "../shared/datasets)."
            )
        else:
            fix = (
                f"Keras did not use the copy staged from {DATA_DIR_ENV} in "
                f"{cache} and tried to download the file. Keras reads "
                f"{KERAS_HOME_ENV} once, when it is first imported: set "
                f"{KERAS_HOME_ENV}={cache} "
                "before importing keras (make does). Otherwise this Keras "
                "version expects another file than dlbook.datasets.CHECKSUMS."
            )
        raise DatasetNotFoundError(
            f"Could not download {names} ({error}). {fix}"
        ) from None


def load_fashion_mnist(data_dir=None):
    """Load Fashion-MNIST with ``keras.datasets.fashion_mnist.load_data``.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The mirror, instead of ``$DLBOOK_DATA_DIR``.

    Returns
    -------
    tuple
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape
        ``(n, 28, 28)`` and uint8 labels in ``0..9``
        (see :data:`FASHION_MNIST_CLASSES`).

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    >>> x_train.shape, x_test.shape, int(y_train.max())
    ((60000, 28, 28), (10000, 28, 28), 9)
    """
    from keras.datasets import fashion_mnist

    return _load(_FASHION_MNIST_FILES, fashion_mnist.load_data, data_dir)


def load_imdb(num_words=None, data_dir=None):
    """Load the IMDB reviews with ``keras.datasets.imdb.load_data``.

    Parameters
    ----------
    num_words : int, optional
        Keep only the ``num_words`` most frequent words.
    data_dir : str or path-like, optional
        The mirror, instead of ``$DLBOOK_DATA_DIR``.

    Returns
    -------
    tuple
        ``(x_train, y_train), (x_test, y_test)``: lists of word indices and
        0/1 labels, 25,000 of each.

    Examples
    --------
    >>> (x_train, y_train), _ = load_imdb(num_words=10000)
    >>> len(x_train), max(max(review) for review in x_train)
    (25000, 9999)
    """
    from keras.datasets import imdb

    check_int(num_words, "num_words", min_value=1, allow_none=True)
    return _load(
        ("datasets/imdb.npz",), imdb.load_data, data_dir,
        num_words=num_words,
    )


def load_reuters(num_words=None, test_split=0.2, data_dir=None):
    """Load the Reuters newswires with ``keras.datasets.reuters.load_data``.

    Parameters
    ----------
    num_words : int, optional
        Keep only the ``num_words`` most frequent words.
    test_split : float
        Fraction of the data held out as the test set.
    data_dir : str or path-like, optional
        The mirror, instead of ``$DLBOOK_DATA_DIR``.

    Returns
    -------
    tuple
        ``(x_train, y_train), (x_test, y_test)`` with 46 topic labels.

    Examples
    --------
    >>> (x_train, y_train), (x_test, _) = load_reuters(num_words=10000)
    >>> len(x_train), len(x_test), int(y_train.max()) + 1
    (8982, 2246, 46)
    """
    from keras.datasets import reuters

    check_int(num_words, "num_words", min_value=1, allow_none=True)
    check_real(test_split, "test_split", min_value=0, max_value=1,
               include_boundaries="neither")
    return _load(
        ("datasets/reuters.npz",), reuters.load_data, data_dir,
        num_words=num_words, test_split=test_split,
    )


def load_boston_housing(test_split=0.2, data_dir=None):
    """Load Boston housing with ``keras.datasets.boston_housing.load_data``.

    Parameters
    ----------
    test_split : float
        Fraction of the data held out as the test set.
    data_dir : str or path-like, optional
        The mirror, instead of ``$DLBOOK_DATA_DIR``.

    Returns
    -------
    tuple
        ``(x_train, y_train), (x_test, y_test)``: 13 features per house and
        the median price in thousands of dollars.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_boston_housing()
    >>> x_train.shape, x_test.shape
    ((404, 13), (102, 13))
    """
    from keras.datasets import boston_housing

    check_real(test_split, "test_split", min_value=0, max_value=1,
               include_boundaries="neither")
    return _load(
        ("datasets/boston_housing.npz",), boston_housing.load_data, data_dir,
        test_split=test_split,
    )


def get_imdb_word_index(data_dir=None):
    """Return IMDB's word index with ``keras.datasets.imdb.get_word_index``.

    Returns
    -------
    dict
        Word to rank (1 is the most frequent word). Indices in the loaded
        reviews are offset by 3: 0, 1 and 2 mean padding, start and unknown.

    Examples
    --------
    >>> get_imdb_word_index()["the"]
    1
    """
    from keras.datasets import imdb

    return _load(
        ("datasets/imdb_word_index.json",), imdb.get_word_index, data_dir
    )


def get_reuters_word_index(data_dir=None):
    """Return Reuters' word index with ``keras.datasets.reuters.get_word_index``.

    Returns
    -------
    dict
        Word to rank, offset in the loaded newswires as for IMDB.

    Examples
    --------
    >>> get_reuters_word_index()["the"]
    1
    """
    from keras.datasets import reuters

    return _load(
        ("datasets/reuters_word_index.json",), reuters.get_word_index, data_dir,
    )
