"""What the book's executed output depends on, and one digest of it.

A chapter's outputs depend on three things: its own code cells, the
``dlbook`` package that its kernel imports, and the locked versions of
everything else (``requirements.lock``). :func:`build_inputs` lists those
files and :func:`inputs_digest` hashes them. Everything that needs to know
whether executed output may have changed asks this module:

- the execution cache's folder is keyed on the lock alone,
  ``inputs_digest(root, chapters=False, package=False)``
  (:mod:`dlbook_site.execution`): MyST-NB's cache hashes each chapter's
  code cells, and :mod:`dlbook_site.dependencies` re-executes a chapter
  when a module of the package that its kernel imported changes;
- the Benchmarks page compares the report's ``inputs_digest`` with
  ``inputs_digest(root)`` to say whether the figures are stale;
- the GitHub workflow keys its saved execution cache on
  ``make inputs-digest``, which runs this module as a script.

The site's own build code (this package, ``src/dlbook_site``) is outside
``src/dlbook``, so it is no input by construction: editing it re-renders
pages and executes nothing.

Only the standard library is used, so the digest can be computed before the
virtual environment exists.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: The reader's package, which the chapters' kernels import.
PACKAGE = "src/dlbook"
#: The pinned versions of every dependency.
LOCK_FILE = "requirements.lock"
#: Where the chapters are.
BOOK = "book"
#: Front matter that makes a Markdown page an executed MyST-NB notebook.
NOTEBOOK_MARKER = "file_format: mystnb"


def notebooks(root: Path) -> list[Path]:
    """The book's executed pages: Markdown files whose front matter is MyST-NB's.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "book").mkdir()
    >>> _ = (root / "book" / "ch01.md").write_text("---\\nfile_format: mystnb\\n---\\n")
    >>> _ = (root / "book" / "api.md").write_text("# API\\n")
    >>> [p.name for p in notebooks(root)]
    ['ch01.md']
    """
    pages = sorted((Path(root) / BOOK).rglob("*.md"))
    return [page for page in pages if NOTEBOOK_MARKER in _front_matter(page)]


def _front_matter(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[3:end] if end != -1 else ""


def build_inputs(root: Path, *, chapters: bool = True,
                 package: bool = True) -> list[Path]:
    """The files that executed output depends on, sorted.

    Parameters
    ----------
    root : pathlib.Path
        The project's top folder.
    chapters : bool, default=True
        Include the executed chapters; without them, what a kernel runs
        besides its chapter's cells: the package's modules and the lock.
    package : bool, default=True
        Include the package's modules; without them (and without the
        chapters), the lock alone.

    Returns
    -------
    list of pathlib.Path
    """
    root = Path(root)
    files = sorted((root / PACKAGE).rglob("*.py")) if package else []
    files.append(root / LOCK_FILE)
    if chapters:
        files = notebooks(root) + files
    return files


def inputs_digest(root: Path, *, chapters: bool = True,
                  package: bool = True) -> str:
    """A hash of :func:`build_inputs`: equal digests mean equal inputs.

    Each file counts with its path relative to ``root`` and its bytes.

    Parameters
    ----------
    root : pathlib.Path
        The project's top folder.
    chapters, package : bool, default=True
        As in :func:`build_inputs`.

    Returns
    -------
    str
        16 hexadecimal digits.

    Raises
    ------
    FileNotFoundError
        If ``root`` has no lock file: it is not the project's top folder.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "src" / "dlbook").mkdir(parents=True)
    >>> _ = (root / "src" / "dlbook" / "models.py").write_text("UNITS = 16\\n")
    >>> _ = (root / "requirements.lock").write_text("keras==3.15.1\\n")
    >>> key = inputs_digest(root, chapters=False)
    >>> _ = (root / "src" / "dlbook" / "models.py").write_text("UNITS = 32\\n")
    >>> inputs_digest(root, chapters=False) == key
    False
    """
    root = Path(root)
    if not (root / LOCK_FILE).is_file():
        raise FileNotFoundError(
            f"{root} has no {LOCK_FILE}: pass the project's top folder, where "
            "conf.py and the Makefile are.")
    digest = hashlib.sha256()
    for path in build_inputs(root, chapters=chapters, package=package):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def main(argv=None) -> None:
    """Print the digest of this checkout's inputs (``make inputs-digest``).

    ``--without-chapters``: the package and the lock alone; ``--lock-only``:
    the lock alone, which ``make seeds`` records beside each chapter's code
    digest and imported modules.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m dlbook_site.inputs")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--without-chapters", action="store_true")
    which.add_argument("--lock-only", action="store_true")
    args = parser.parse_args(argv)
    print(inputs_digest(Path(__file__).resolve().parents[2],
                        chapters=not (args.without_chapters or args.lock_only),
                        package=not args.lock_only))


if __name__ == "__main__":
    main()
