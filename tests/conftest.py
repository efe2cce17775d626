"""Shared fixtures.

The environment (the dataset mirror, Keras' folder) is the Makefile's: run
the tests with ``make test`` or ``make test-fast``.
"""

import stat
from pathlib import Path

import keras  # noqa: F401  (see below)
import pytest

# Keras reads KERAS_HOME once, when it is first imported. Importing it here,
# with the Makefile's environment, keeps tests that change the variable (to
# stage files elsewhere) from moving Keras' folder for the rest of the run.


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder`` with its mode, size, mtime and bytes."""
    state = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if path.is_file() else None
        state[path.relative_to(folder).as_posix()] = (
            info.st_mode, info.st_size, info.st_mtime_ns, content,
        )
    return state


def make_read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    folder.chmod(folder.stat().st_mode & ~stat.S_IWUSR)


def make_writable(folder: Path) -> None:
    folder.chmod(folder.stat().st_mode | stat.S_IWUSR)
    for path in folder.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.fixture
def tiny_mirror(tmp_path, monkeypatch):
    """A read-only mirror holding one tiny made-up file, with its checksum known.

    Yields ``(mirror, relpath)``; on teardown the mirror must be unchanged.
    """
    from dlbook import datasets

    mirror = tmp_path / "mirror"
    relpath = "datasets/tiny.txt"
    (mirror / "datasets").mkdir(parents=True)
    (mirror / relpath).write_bytes(b"tiny dataset\n")
    monkeypatch.setitem(
        datasets.CHECKSUMS, relpath,
        ("sha256", datasets.file_digest(mirror / relpath, "sha256")),
    )
    make_read_only(mirror)
    before = snapshot(mirror)
    yield mirror, relpath
    assert snapshot(mirror) == before, "the mirror was modified"
    make_writable(mirror)
