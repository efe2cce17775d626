"""Which modules of ``dlbook`` each chapter's kernel imported, and their sources.

A chapter's executed outputs depend on its code cells, on the locked
versions of its dependencies, and on the modules of the ``dlbook`` package
that its kernel ran. MyST-NB's cache (jupyter-cache) recognises a notebook
by its code cells; the execution cache's folder is keyed on the lock
(:mod:`dlbook_site.execution`); this module covers the third part, per
chapter:

- **in the kernel**, :func:`install` registers an IPython ``post_run_cell``
  hook that writes, after every cell, the ``dlbook`` modules in
  ``sys.modules`` (all of them, so transitively imported ones too) with
  the SHA-256 of each one's source, to the file that the build named in
  the environment variable :data:`RECORD_VARIABLE`;
- **in the build**, :func:`changed_modules` compares such a record with the
  sources now in the project: a chapter whose record names a module that
  changed (or is gone, or has no record at all) executes again.

An edit to ``dlbook/convolution.py`` thus re-executes only the chapters
whose kernels imported it. The site's build code (this package) is never
imported as ``dlbook``, so editing it executes nothing.

Only the standard library is used: the kernel imports this module at its
start, before any cell.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

#: The environment variable that names the record file of the chapter
#: being executed; the build sets it before each chapter's kernel starts.
RECORD_VARIABLE = "DLBOOK_DEPENDENCY_RECORD"
#: The package whose modules are recorded.
PACKAGE = "dlbook"
#: The folder, inside the execution cache's, that holds the records.
RECORDS_FOLDER = "dependencies"
#: Bumped when a record's layout changes: an older record counts as missing.
RECORD_VERSION = 1


def source_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hexadecimal.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "m.py"
    >>> _ = path.write_text("UNITS = 16\\n")
    >>> source_digest(path)[:12]
    '9d5c2365f863'
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def imported_modules(modules: Mapping[str, object] | None = None,
                     package: str = PACKAGE) -> dict[str, str]:
    """The modules of ``package`` among ``modules``, each with its source's digest.

    Parameters
    ----------
    modules : mapping of str to module, optional
        By default ``sys.modules``: what this process has imported.
    package : str, default="dlbook"
        The package whose modules count (the package itself and its
        submodules, not modules whose names merely start the same way).

    Returns
    -------
    dict
        Module name to :func:`source_digest` of its file, sorted by name.
        Modules without a source file (namespace packages) are left out.

    Examples
    --------
    >>> import types, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "convolution.py"
    >>> _ = path.write_text("STRIDE = 1\\n")
    >>> fake = {"dlbook.convolution": types.SimpleNamespace(__file__=str(path)),
    ...         "dlbook_site.inputs": types.SimpleNamespace(__file__=str(path)),
    ...         "numpy": types.SimpleNamespace(__file__=str(path))}
    >>> list(imported_modules(fake))
    ['dlbook.convolution']
    """
    modules = sys.modules if modules is None else modules
    found = {}
    for name, module in list(modules.items()):
        if name != package and not name.startswith(package + "."):
            continue
        path = getattr(module, "__file__", None)
        if path and Path(path).is_file():
            found[name] = source_digest(Path(path))
    return dict(sorted(found.items()))


def module_source(root: Path, name: str, package_folder: str = "src") -> Path:
    """Where module ``name`` lives in the project at ``root``.

    Examples
    --------
    >>> module_source(Path("/p"), "dlbook.convolution")
    PosixPath('/p/src/dlbook/convolution.py')
    """
    parts = name.split(".")
    base = Path(root) / package_folder
    package_init = base.joinpath(*parts, "__init__.py")
    if package_init.is_file():
        return package_init
    return base.joinpath(*parts[:-1], parts[-1] + ".py")


def record_path(records: Path, docname: str) -> Path:
    """The record file of chapter ``docname`` in the folder ``records``.

    Examples
    --------
    >>> record_path(Path("/cache/dependencies"), "ch05_convnets")
    PosixPath('/cache/dependencies/ch05_convnets.json')
    """
    return Path(records) / f"{docname}.json"


def write_record(path: Path, modules: Mapping[str, str]) -> None:
    """Write the record of one chapter's imported modules (atomically)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps({"version": RECORD_VERSION,
                                   "modules": dict(modules)},
                                  indent=1, sort_keys=True), encoding="utf-8")
    os.replace(scratch, path)


def read_record(path: Path) -> dict[str, str] | None:
    """The modules a record names, with their digests; None if there is none.

    A record that cannot be read, or of another layout, counts as missing.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
        return None
    modules = data.get("modules")
    return dict(modules) if isinstance(modules, dict) else None


def changed_modules(record: Mapping[str, str] | None, root: Path) -> list[str] | None:
    """The recorded modules whose source in ``root`` differs from the record.

    Returns the sorted names of the modules that were edited or removed
    since the record was written, ``[]`` if none was, and None if there is
    no record (so nothing is known of what the chapter imported).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "src" / "dlbook").mkdir(parents=True)
    >>> path = root / "src" / "dlbook" / "text.py"
    >>> _ = path.write_text("A = 1\\n")
    >>> record = {"dlbook.text": source_digest(path)}
    >>> changed_modules(record, root)
    []
    >>> _ = path.write_text("A = 2\\n")
    >>> changed_modules(record, root)
    ['dlbook.text']
    >>> changed_modules(None, root) is None
    True
    """
    if record is None:
        return None
    changed = []
    for name, digest in record.items():
        source = module_source(root, name)
        if not source.is_file() or source_digest(source) != digest:
            changed.append(name)
    return sorted(changed)


def install(ipython, environ: Mapping[str, str] | None = None) -> bool:
    """Record this kernel's ``dlbook`` modules after every cell it runs.

    Called by the kernel's IPython start-up file, which the build writes
    (:func:`dlbook_site.execution.configure_kernels`). Does nothing, and
    returns False, when the build named no record file.
    """
    environ = os.environ if environ is None else environ
    target = environ.get(RECORD_VARIABLE)
    if not target or ipython is None:
        return False
    path = Path(target)

    def record(result=None):
        write_record(path, imported_modules())

    record()  # a chapter that imports nothing still leaves a record
    ipython.events.register("post_run_cell", record)
    return True
