"""dlbook.datasets: mirror resolution, checks, clear errors; the mirror stays intact."""

import os
import urllib.error
from pathlib import Path

import pytest

from dlbook import datasets
from dlbook.datasets import DatasetChecksumError, DatasetNotFoundError

from .conftest import make_read_only, make_writable, snapshot


def test_file_digest_matches_known_values(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert datasets.file_digest(path, "md5") == "900150983cd24fb0d6963f7d28e17f72"
    assert datasets.file_digest(path).startswith("ba7816bf8f01cfea")


def test_file_digest_rejects_unknown_algorithm(tmp_path):
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(ValueError, match="'sha256' or 'md5'.*'sha1'"):
        datasets.file_digest(tmp_path / "f", "sha1")


def test_no_mirror_means_keras_downloads_as_usual(monkeypatch):
    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)
    assert datasets.stage_from_mirror(["datasets/imdb.npz"]) is None


def test_mirror_file_is_verified_and_copied_into_the_cache(tiny_mirror, tmp_path):
    mirror, relpath = tiny_mirror
    cache = tmp_path / "cache"
    assert datasets.stage_from_mirror([relpath], mirror, cache) == cache
    staged = cache / relpath
    assert staged.read_bytes() == b"tiny dataset\n"
    # A copy, not a link: nothing Keras does to the cache can reach the mirror.
    assert not staged.is_symlink()
    assert not os.path.samefile(staged, mirror / relpath)
    # A second call keeps the verified copy as it is.
    inode = staged.stat().st_ino
    datasets.stage_from_mirror([relpath], mirror, cache)
    assert staged.stat().st_ino == inode


def test_writing_to_the_cached_copy_leaves_the_mirror_alone(tiny_mirror, tmp_path):
    mirror, relpath = tiny_mirror
    cache = datasets.stage_from_mirror([relpath], mirror, tmp_path / "cache")
    (cache / relpath).write_bytes(b"what a re-download would write")
    assert (mirror / relpath).read_bytes() == b"tiny dataset\n"


def test_mirror_and_cache_come_from_the_environment(tiny_mirror, tmp_path, monkeypatch):
    mirror, relpath = tiny_mirror
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(mirror))
    monkeypatch.setenv(datasets.CACHE_DIR_ENV, str(tmp_path / "env-cache"))
    assert datasets.default_cache_dir() == tmp_path / "env-cache"
    assert datasets.stage_from_mirror([relpath]) == tmp_path / "env-cache"
    assert (tmp_path / "env-cache" / relpath).is_file()


def test_default_cache_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(datasets.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datasets.default_cache_dir() == tmp_path / "dlbook" / "keras"


@pytest.mark.parametrize("stale", ["file", "symlink"])
def test_stale_cache_entry_is_replaced_without_touching_the_mirror(
    tiny_mirror, tmp_path, stale
):
    mirror, relpath = tiny_mirror
    cache = tmp_path / "cache"
    (cache / "datasets").mkdir(parents=True)
    other = tmp_path / "other.txt"
    other.write_bytes(b"an old, different file")
    if stale == "file":
        (cache / relpath).write_bytes(other.read_bytes())
    else:
        (cache / relpath).symlink_to(other)
    datasets.stage_from_mirror([relpath], mirror, cache)
    assert (cache / relpath).read_bytes() == b"tiny dataset\n"
    assert not (cache / relpath).is_symlink()
    assert other.read_bytes() == b"an old, different file"


def test_corrupted_file_names_file_and_both_checksums(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "datasets").mkdir(parents=True)
    bad = mirror / "datasets" / "imdb.npz"
    bad.write_bytes(b"truncated download")
    make_read_only(mirror)
    before = snapshot(mirror)
    actual = datasets.file_digest(bad, "sha256")
    expected = datasets.CHECKSUMS["datasets/imdb.npz"][1]
    with pytest.raises(DatasetChecksumError) as info:
        datasets.load_imdb(data_dir=mirror, cache_dir=tmp_path / "cache")
    message = str(info.value)
    assert str(bad) in message and actual in message and expected in message
    assert snapshot(mirror) == before  # left as it was
    assert not (tmp_path / "cache" / "datasets" / "imdb.npz").exists()
    make_writable(mirror)


def test_missing_mirror_file_names_file_and_variable(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "datasets").mkdir(parents=True)
    with pytest.raises(DatasetNotFoundError) as info:
        datasets.load_boston_housing(data_dir=mirror, cache_dir=tmp_path / "c")
    message = str(info.value)
    assert "datasets/boston_housing.npz" in message
    assert datasets.DATA_DIR_ENV in message
    assert str(mirror / "datasets" / "boston_housing.npz") in message


def test_mirror_that_is_not_a_folder_is_reported(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="DLBOOK_DATA_DIR points at .*nope"):
        datasets.stage_from_mirror(["datasets/imdb.npz"], tmp_path / "nope", tmp_path)


def test_cache_inside_the_mirror_is_refused(tiny_mirror):
    mirror, relpath = tiny_mirror
    with pytest.raises(ValueError, match="overlap"):
        datasets.stage_from_mirror([relpath], mirror, mirror / "cache")


def test_mirror_inside_the_cache_is_refused(tiny_mirror):
    """With the cache at the mirror's parent, staging would write into the mirror."""
    mirror, relpath = tiny_mirror
    with pytest.raises(ValueError, match=f"{datasets.CACHE_DIR_ENV}.*outside"):
        datasets.stage_from_mirror([relpath], mirror / "datasets", mirror)


def test_mirror_without_datasets_subfolder_gets_a_hint(tmp_path):
    (tmp_path / "mirror").mkdir()
    with pytest.raises(DatasetNotFoundError, match="has no datasets/ subfolder"):
        datasets.stage_from_mirror(
            ["datasets/imdb.npz"], tmp_path / "mirror", tmp_path / "cache"
        )


def test_relative_mirror_is_reported_as_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetNotFoundError, match=str(tmp_path / "rel" / "mirror")):
        datasets.stage_from_mirror(["datasets/imdb.npz"], "rel/mirror", "cache")


@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("imdb", "load_data"), ("imdb", "get_word_index"),
        ("reuters", "load_data"), ("reuters", "get_word_index"),
        ("boston_housing", "load_data"),
    ],
)
def test_checksums_agree_with_the_installed_keras(module, call, monkeypatch):
    """Keras re-downloads a file whose hash it rejects; ours must match its own."""
    import importlib

    keras_module = importlib.import_module(f"keras.src.datasets.{module}")
    seen = {}

    class Stop(Exception):
        pass

    def fake_get_file(fname=None, origin=None, file_hash=None, **kwargs):
        seen.update(fname=fname, file_hash=file_hash)
        raise Stop

    monkeypatch.setattr(keras_module, "get_file", fake_get_file)
    with pytest.raises(Stop):
        getattr(keras_module, call)()
    relpath = f"datasets/{seen['fname']}"
    assert datasets.CHECKSUMS[relpath][1] == seen["file_hash"]


def test_offline_without_mirror_gives_one_clear_error(tmp_path, monkeypatch):
    from keras.src.backend import config
    from keras.src.utils import file_utils

    def no_network(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(file_utils, "urlretrieve", no_network)
    monkeypatch.setattr(config, "_KERAS_DIR", str(tmp_path / "keras-home"))
    (tmp_path / "keras-home").mkdir()
    monkeypatch.delenv(datasets.DATA_DIR_ENV, raising=False)
    with pytest.raises(DatasetNotFoundError) as info:
        datasets.load_boston_housing()
    message = str(info.value)
    assert "datasets/boston_housing.npz" in message
    assert datasets.DATA_DIR_ENV in message and "internet" in message
    assert "name resolution" in message  # the reason, without the traceback
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_keras_reads_the_staged_file_from_our_cache(tiny_mirror, tmp_path):
    """Keras resolves its cache to ours during a load, and back afterwards."""
    import keras
    from keras.src.backend import config

    mirror, relpath = tiny_mirror
    cache = datasets.stage_from_mirror([relpath], mirror, tmp_path / "cache")
    home = config.keras_home()
    with datasets._keras_cache(cache):
        # An unreachable origin: the call succeeds only if Keras finds the file.
        path = keras.utils.get_file(
            "tiny.txt", origin="http://127.0.0.1:9/tiny.txt",
            file_hash=datasets.CHECKSUMS[relpath][1],
        )
    assert Path(path) == cache / relpath
    assert config.keras_home() == home


def test_unwritable_cache_is_reported(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="not writable.*DLBOOK_CACHE_DIR"):
        with datasets._keras_cache(cache):
            pass


@pytest.mark.parametrize(
    ("num_words", "error", "message"),
    [
        (0, ValueError, "num_words == 0, must be >= 1"),
        (-5, ValueError, "num_words == -5, must be >= 1"),
        (2.5, TypeError, "num_words must be an instance of int, not float"),
        ("10000", TypeError, "num_words must be an instance of int, not str"),
        (True, TypeError, "num_words must be an integer, not bool"),
    ],
)
def test_num_words_is_checked(num_words, error, message):
    with pytest.raises(error, match=message):
        datasets.load_imdb(num_words=num_words)


@pytest.mark.parametrize(
    ("test_split", "error", "message"),
    [
        (0.0, ValueError, "test_split == 0.0, must be > 0"),
        (1.0, ValueError, "test_split == 1.0, must be < 1"),
        (1, ValueError, "test_split == 1, must be < 1"),
        (float("nan"), ValueError, "test_split == nan, must be a number"),
        ("0.2", TypeError, "test_split must be an instance of float, not str"),
    ],
)
def test_test_split_is_checked(test_split, error, message):
    with pytest.raises(error, match=message):
        datasets.load_boston_housing(test_split=test_split)


real_mirror = pytest.mark.skipif(
    not os.environ.get(datasets.DATA_DIR_ENV),
    reason="set DLBOOK_DATA_DIR to a dataset mirror to run the real-data checks",
)


@real_mirror
def test_real_loaders_leave_the_mirror_unchanged(tmp_path):
    mirror = Path(os.environ[datasets.DATA_DIR_ENV])
    before = snapshot(mirror)
    cache = {"cache_dir": tmp_path}
    (x_train, y_train), (x_test, _) = datasets.load_boston_housing(**cache)
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    (x, _), _ = datasets.load_reuters(num_words=100, **cache)
    assert len(x) == 8982 and max(max(seq) for seq in x) == 99
    (x, y), _ = datasets.load_imdb(num_words=100, **cache)
    assert len(x) == 25000 and int(y.sum()) == 12500
    (images, labels), _ = datasets.load_fashion_mnist(**cache)
    assert images.shape == (60000, 28, 28) and int(labels.max()) == 9
    assert datasets.get_reuters_word_index(**cache)["the"] == 1
    assert datasets.get_imdb_word_index(**cache)["the"] == 1
    assert snapshot(mirror) == before
    staged = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(staged) == len(datasets.CHECKSUMS)
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))
