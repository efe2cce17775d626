"""dlbook.datasets: mirror resolution, checks, clear errors; the mirror stays intact."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlbook import datasets
from dlbook.datasets import DatasetChecksumError, DatasetNotFoundError

from .conftest import make_read_only, make_writable, snapshot

real_mirror_needed = pytest.mark.skipif(
    not os.environ.get(datasets.DATA_DIR_ENV),
    reason="set DLBOOK_DATA_DIR to a dataset mirror (make does) to run this check",
)


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


def test_mirror_and_keras_home_come_from_the_environment(
    tiny_mirror, tmp_path, monkeypatch
):
    mirror, relpath = tiny_mirror
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(mirror))
    monkeypatch.setenv(datasets.KERAS_HOME_ENV, str(tmp_path / "keras-home"))
    assert datasets.keras_home() == tmp_path / "keras-home"
    assert datasets.stage_from_mirror([relpath]) == tmp_path / "keras-home"
    assert (tmp_path / "keras-home" / relpath).is_file()


def test_keras_home_defaults_to_keras_own(monkeypatch, tmp_path):
    monkeypatch.delenv(datasets.KERAS_HOME_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert datasets.keras_home() == tmp_path / ".keras"


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


def test_corrupted_file_names_file_and_both_checksums(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.KERAS_HOME_ENV, str(tmp_path / "cache"))
    mirror = tmp_path / "mirror"
    (mirror / "datasets").mkdir(parents=True)
    bad = mirror / "datasets" / "imdb.npz"
    bad.write_bytes(b"truncated download")
    make_read_only(mirror)
    before = snapshot(mirror)
    actual = datasets.file_digest(bad, "sha256")
    expected = datasets.CHECKSUMS["datasets/imdb.npz"][1]
    with pytest.raises(DatasetChecksumError) as info:
        datasets.load_imdb(data_dir=mirror)
    message = str(info.value)
    assert str(bad) in message and actual in message and expected in message
    assert snapshot(mirror) == before  # left as it was
    assert not (tmp_path / "cache" / "datasets" / "imdb.npz").exists()
    make_writable(mirror)


def test_missing_mirror_file_names_file_and_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.KERAS_HOME_ENV, str(tmp_path / "c"))
    mirror = tmp_path / "mirror"
    (mirror / "datasets").mkdir(parents=True)
    with pytest.raises(DatasetNotFoundError) as info:
        datasets.load_boston_housing(data_dir=mirror)
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
    with pytest.raises(ValueError, match=f"{datasets.KERAS_HOME_ENV}.*outside"):
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


def _run_offline(code, keras_home, **env):
    """Run ``code`` in a fresh Python whose downloads fail at once.

    Keras reads KERAS_HOME when it is imported, so a new process is the way
    to give it another one; an unreachable proxy stands for no network.
    """
    environment = {k: v for k, v in os.environ.items()
                   if k not in (datasets.DATA_DIR_ENV, datasets.KERAS_HOME_ENV)}
    environment.update(KERAS_HOME=str(keras_home), https_proxy="http://127.0.0.1:9",
                       http_proxy="http://127.0.0.1:9", **env)
    return subprocess.run([sys.executable, "-c", code], env=environment,
                          capture_output=True, text=True, timeout=300)


def test_offline_without_mirror_gives_one_clear_error(tmp_path):
    code = """
from dlbook import datasets
try:
    datasets.load_boston_housing()
except datasets.DatasetNotFoundError as error:
    assert error.__cause__ is None and error.__suppress_context__
    print(error)
"""
    run = _run_offline(code, tmp_path / "keras-home")
    assert run.returncode == 0, run.stderr[-3000:]
    message = run.stdout
    assert "datasets/boston_housing.npz" in message
    assert datasets.DATA_DIR_ENV in message and "internet" in message
    assert "127.0.0.1" in message or "refused" in message  # the reason, in one line


@real_mirror_needed
def test_keras_reads_the_staged_copy_from_keras_home(tmp_path):
    """With downloads failing, the load succeeds only if Keras finds the copy."""
    mirror = Path(os.environ[datasets.DATA_DIR_ENV])
    before = snapshot(mirror)
    code = """
from dlbook import datasets
(x_train, _), _ = datasets.load_boston_housing()
print(x_train.shape)
"""
    run = _run_offline(code, tmp_path / "keras-home",
                       DLBOOK_DATA_DIR=str(mirror))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "(404, 13)" in run.stdout
    staged = tmp_path / "keras-home" / "datasets" / "boston_housing.npz"
    assert staged.is_file() and not staged.is_symlink()
    assert snapshot(mirror) == before


def test_keras_home_that_keras_would_not_use_is_reported(
    tiny_mirror, tmp_path, monkeypatch
):
    mirror, relpath = tiny_mirror
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="not writable.*KERAS_HOME"):
        datasets.stage_from_mirror([relpath], mirror, tmp_path / "home")


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


@real_mirror_needed
def test_real_loaders_leave_the_mirror_unchanged():
    mirror = Path(os.environ[datasets.DATA_DIR_ENV])
    before = snapshot(mirror)
    (x_train, y_train), (x_test, _) = datasets.load_boston_housing()
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13)
    (x, _), _ = datasets.load_reuters(num_words=100)
    assert len(x) == 8982 and max(max(seq) for seq in x) == 99
    (x, y), _ = datasets.load_imdb(num_words=100)
    assert len(x) == 25000 and int(y.sum()) == 12500
    (images, labels), _ = datasets.load_fashion_mnist()
    assert images.shape == (60000, 28, 28) and int(labels.max()) == 9
    assert datasets.get_reuters_word_index()["the"] == 1
    assert datasets.get_imdb_word_index()["the"] == 1
    assert snapshot(mirror) == before
    home = datasets.keras_home()
    for relpath in datasets.CHECKSUMS:
        staged = home / relpath
        assert staged.is_file() and not staged.is_symlink(), relpath
        datasets.verify_file(staged, relpath)
