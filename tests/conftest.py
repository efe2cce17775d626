"""Shared fixtures.

The environment (the dataset mirror, Keras' folder) is the Makefile's: run
the tests with ``make test`` or ``make test-fast``.
"""

import os
import stat
import subprocess
from pathlib import Path

import keras  # noqa: F401  (see below)
import pytest

from benchmarks.static_server import serve

# Keras reads KERAS_HOME once, when it is first imported. Importing it here,
# with the Makefile's environment, keeps tests that change the variable (to
# stage files elsewhere) from moving Keras' folder for the rest of the run.

ROOT = Path(__file__).resolve().parents[1]
#: The site built for a local server (``make serve``'s folder), not the one
#: to publish (_build/html), which keeps its GitHub Pages address.
LOCAL_SITE = ROOT / "_build" / "html-local"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, see :mod:`tests.browser`), driven by
    Playwright, for one test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site():
    """Build the book and its PDF for a local server, then serve them; yields
    the site's base URL.

    The build (seconds with a warm execution cache) writes the server's
    address as the site's (``DLBOOK_SITE_URL``), as ``make serve`` does, so
    that the notebooks install the wheel from this very server.
    """
    # The server first: the build writes its address into the notebooks.
    with serve(LOCAL_SITE) as url:
        build = subprocess.run(
            ["make", "--no-print-directory", "pdf", f"HTMLDIR={LOCAL_SITE}"],
            cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "DLBOOK_SITE_URL": url},
        )
        assert build.returncode == 0, (
            f"make pdf failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}")
        yield url


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
