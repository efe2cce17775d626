"""The ``dlbook`` wheel that the site publishes, and the site's address.

Each chapter's notebook installs the very package that the build produced
it with (:mod:`dlbook_site.notebooks`): the build makes a wheel of
``dlbook`` (:func:`build_wheel`), publishes it in the site under a folder
named by its hash (:func:`publish_wheel`), and the notebook's install cell
names its address under the site's (:func:`site_url`) with its sha256.

The wheel is byte-reproducible: it is built in a subprocess, by
setuptools' own PEP 517 backend, from a copy of the files it is made of
(``pyproject.toml``, its readme, the package folder) in a temporary folder,
with ``SOURCE_DATE_EPOCH`` fixed and the copies' permissions normalised. The
same source gives the same bytes, so the same hash, in any checkout; and
setuptools' leftovers (``build/``, ``*.egg-info``) stay in the temporary
folder, never in the project.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import tomllib

#: Where in the site the wheels are published.
WHEELS_FOLDER = "_wheels"
#: The time stamped on every file in the wheel, 1980-01-01 (ZIP's earliest).
SOURCE_DATE_EPOCH = 315532800
#: Hex digits of the sha256 that name a wheel's folder in the site.
FOLDER_DIGITS = 16
#: Never copied into the build: Python's caches, setuptools' leftovers.
_IGNORED = shutil.ignore_patterns("__pycache__", "*.py[co]", "*.egg-info")
#: What setuptools adds to a wheel on its own, when the project has it.
_LICENSE_GLOBS = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")
#: Run in the copy: setuptools' PEP 517 hook, the one ``pip wheel`` calls.
_BUILD = ("import sys; from setuptools import build_meta; "
          "build_meta.build_wheel(sys.argv[1])")


class Wheel(NamedTuple):
    """A built wheel: its file and the sha256 of its bytes, in hex."""

    path: Path
    sha256: str


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, in hex.

    Examples
    --------
    >>> path = Path(tempfile.mkdtemp()) / "empty"
    >>> _ = path.write_bytes(b"")
    >>> sha256_of(path)[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def site_url(repository_url: str, override: str | None = None) -> str:
    """The site's address, ending with ``/``.

    ``override`` (``DLBOOK_SITE_URL`` in ``conf.py``) when given; otherwise
    the GitHub Pages address of the repository at ``repository_url``.

    Examples
    --------
    >>> site_url("https://github.com/Someone/dlbook")
    'https://someone.github.io/dlbook/'
    >>> site_url("https://github.com/someone/someone.github.io.git/")
    'https://someone.github.io/'
    >>> site_url("https://gitlab.com/someone/dlbook", "http://127.0.0.1:8000")
    'http://127.0.0.1:8000/'
    >>> site_url("https://gitlab.com/someone/dlbook")
    Traceback (most recent call last):
    ...
    ValueError: cannot derive the site's address from 'https://gitlab.com/...
    """
    if override:
        parts = urlsplit(override)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"the site's address must be an http(s):// URL, got {override!r}; "
                "fix DLBOOK_SITE_URL (for example https://me.github.io/dlbook/)."
            )
        return override.rstrip("/") + "/"
    parts = urlsplit(repository_url.rstrip("/"))
    path = parts.path.strip("/").removesuffix(".git").split("/")
    if parts.scheme != "https" or parts.netloc.lower() != "github.com" or len(
            path) != 2 or not all(path):
        raise ValueError(
            f"cannot derive the site's address from {repository_url!r}: only a "
            "https://github.com/<owner>/<name> repository has a known (GitHub "
            "Pages) address. Set DLBOOK_SITE_URL to the address the site is "
            "served from."
        )
    owner, name = path[0].lower(), path[1]
    if name.lower() == f"{owner}.github.io":  # a user's or organisation's site
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{name}/"


def _sources(project: Path) -> list[Path]:
    """What the wheel is made of, relative to ``project``."""
    pyproject = project / "pyproject.toml"
    if not pyproject.is_file():
        raise FileNotFoundError(
            f"no pyproject.toml in {project}: point the wheel build at the "
            "project's top folder (dlbook_package_root in conf.py)."
        )
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    readme = config.get("project", {}).get("readme")
    if isinstance(readme, dict):
        readme = readme.get("file")
    find = config.get("tool", {}).get("setuptools", {}).get("packages", {})
    where = find.get("find", {}).get("where") if isinstance(find, dict) else None
    if not where or "." in where:
        raise ValueError(
            f"{pyproject} must name the package's folder in "
            "[tool.setuptools.packages.find] where (for example [\"src\"]): the "
            "wheel is built from a copy of that folder alone."
        )
    licenses = {p.name for glob in _LICENSE_GLOBS for p in project.glob(glob)}
    return [Path("pyproject.toml"), *([Path(readme)] if readme else []),
            *map(Path, sorted(licenses)), *map(Path, where)]


def _copy(project: Path, relative: list[Path], into: Path) -> None:
    """Copy the sources, with permissions that no checkout's umask sets."""
    for path in relative:
        source, target = project / path, into / path
        if source.is_dir():
            shutil.copytree(source, target, ignore=_IGNORED)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for path in into.rglob("*"):
        executable = path.is_dir() or path.stat().st_mode & stat.S_IXUSR
        path.chmod(0o755 if executable else 0o644)


def build_wheel(project: Path, folder: Path) -> Wheel:
    """Build the project's wheel into ``folder``, byte-reproducibly.

    Parameters
    ----------
    project : pathlib.Path
        The project's top folder, with its ``pyproject.toml``. Nothing is
        written there.
    folder : pathlib.Path
        Where the wheel goes (made if missing); a wheel of the same name
        there is replaced.

    Returns
    -------
    Wheel
        The wheel's path and sha256.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[2]
    >>> out = Path(tempfile.mkdtemp())
    >>> wheel = build_wheel(root, out)
    >>> wheel.path.parent == out, wheel.path.name.startswith("dlbook-")
    (True, True)
    >>> build_wheel(root, out) == wheel  # the same bytes again
    True
    """
    project, folder = Path(project).resolve(), Path(folder)
    relative = _sources(project)
    with tempfile.TemporaryDirectory(prefix="dlbook-wheel-") as scratch:
        copy, dist = Path(scratch) / "project", Path(scratch) / "dist"
        copy.mkdir()
        dist.mkdir()
        _copy(project, relative, copy)
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH),
               "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run([sys.executable, "-c", _BUILD, str(dist)], cwd=copy,
                              env=env, capture_output=True, text=True)
        built = sorted(dist.glob("*.whl"))
        if done.returncode != 0 or len(built) != 1:
            log = (done.stdout + done.stderr)[-3000:]
            raise RuntimeError(
                f"building the wheel of {project} failed (exit {done.returncode}"
                f", {len(built)} wheel(s) made). If setuptools is missing, run "
                f"`make venv`; otherwise fix what the log says in pyproject.toml "
                f"or the package:\n{log}"
            )
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / built[0].name
        shutil.copyfile(built[0], target)
    return Wheel(target, sha256_of(target))


def publish_wheel(project: Path, site: Path) -> tuple[Wheel, str]:
    """Build the wheel into the site; return it and its address in the site.

    The wheel goes to ``<site>/_wheels/<first 16 hex of its sha256>/``, so
    that its address names its content: a page that an incremental build
    did not write again still names the wheel it was written with, which
    is still there, and no cache can serve other bytes at that address.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[2]
    >>> wheel, address = publish_wheel(root, Path(tempfile.mkdtemp()))
    >>> address == f"_wheels/{wheel.sha256[:16]}/{wheel.path.name}"
    True
    """
    with tempfile.TemporaryDirectory(prefix="dlbook-wheel-") as scratch:
        built = build_wheel(project, Path(scratch))
        address = f"{WHEELS_FOLDER}/{built.sha256[:FOLDER_DIGITS]}/{built.path.name}"
        target = Path(site) / address
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built.path, target)
    return Wheel(target, built.sha256), address
