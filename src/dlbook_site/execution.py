"""How the chapters execute: what re-executes a chapter, and the kernels' settings.

MyST-NB executes each chapter through jupyter-cache, whose cache recognises
a notebook by its code cells alone. A chapter's outputs also depend on the
locked versions of everything it runs and on the ``dlbook`` modules its
kernel imports. This extension covers both:

- **the lock**: MyST-NB's ``nb_execution_cache_path`` is set to
  ``<dlbook_execution_cache>/<digest of requirements.lock>``
  (``config-inited``), unless the build sets it itself; a new lock starts
  an empty cache, and Sphinx, seeing the setting change, reads every
  chapter again. The folders of other keys, which no build reads again,
  are deleted (``builder-inited``);
- **the package, per chapter**: each chapter's kernel records the
  ``dlbook`` modules it imported, with their sources' digests
  (:mod:`dlbook_site.dependencies`). Before Sphinx reads the sources
  (``env-get-outdated``), every chapter whose record names an edited
  module, or that has no record, loses its cached execution (through
  jupyter-cache's own ``remove_cache``) and is read again, so it executes;
  the others keep theirs. A prose edit, or an edit to the site's build
  code, executes nothing.

It also gives the kernels an IPython profile of the build's own, see
:func:`configure_kernels`, and, when ``dlbook_time_split_folder`` is set
(``make benchmark`` sets it for its cold build), has each kernel write
where its chapter's time went to ``<that folder>/<docname>.json``
(:mod:`dlbook_site.time_split`). A cell that wrote to stderr fails the
build (MyST-NB's ``nb_output_stderr``, which names the cell); the log then
also shows what it wrote (:func:`stderr_outputs`).

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.execution"]``, and
``dlbook_execution_cache``: the folder that holds the keyed caches, relative
to the configuration folder (``make`` passes ``_build/jupyter_cache``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from dlbook_site.dependencies import (
    RECORD_VARIABLE,
    RECORDS_FOLDER,
    changed_modules,
    read_record,
    record_path,
)
from dlbook_site.inputs import inputs_digest
from dlbook_site.time_split import SPLIT_VARIABLE

logger = logging.getLogger(__name__)

#: The kernels' IPython start-up file: it records the chapter's imports.
_STARTUP = """\
# Written by dlbook_site.execution at every build: do not edit. It leaves no
# name behind in the chapter's namespace.
def _dlbook_start():
    import sys
    sys.path.insert(0, {src!r})
    try:
        from dlbook_site import dependencies, time_split
    finally:
        sys.path.pop(0)
    dependencies.install(get_ipython())
    time_split.install(get_ipython())
_dlbook_start()
del _dlbook_start
"""


def cache_path(cache_root: Path, project_root: Path) -> Path:
    """The execution cache's folder for this checkout's lock file.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[2]
    >>> path = cache_path(Path("/tmp/cache"), root)
    >>> path.parent, len(path.name)
    (PosixPath('/tmp/cache'), 16)
    """
    return Path(cache_root) / inputs_digest(project_root, chapters=False,
                                            package=False)


def records_folder(cache: Path) -> Path:
    """Where the chapters' dependency records live in an execution cache."""
    return Path(cache) / RECORDS_FOLDER


def prune_stale_caches(cache_root: Path, current: Path) -> list[Path]:
    """Delete every folder in ``cache_root`` but ``current``; return them.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for key in ("old", "new"):
    ...     (root / key).mkdir()
    >>> [p.name for p in prune_stale_caches(root, root / "new")]
    ['old']
    >>> sorted(p.name for p in root.iterdir())
    ['new']
    """
    cache_root = Path(cache_root)
    if not cache_root.is_dir():
        return []
    stale = [p for p in sorted(cache_root.iterdir()) if p != Path(current)]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def doc_of_uri(uri: str, sources: dict[PurePath, str]) -> str | None:
    """The document whose source a cache record's ``uri`` names.

    ``sources`` maps each document's source path, relative to the source
    folder, to its name. The record may have been written in another
    checkout (a copy of the project, a restored CI cache), so the longest
    tail of the ``uri`` that is a known source decides.

    Examples
    --------
    >>> sources = {PurePath("ch05_convnets.md"): "ch05_convnets"}
    >>> doc_of_uri("/elsewhere/book/ch05_convnets.md", sources)
    'ch05_convnets'
    >>> doc_of_uri("/elsewhere/book/other.md", sources) is None
    True
    """
    parts = PurePath(uri).parts
    for start in range(len(parts)):
        doc = sources.get(PurePath(*parts[start:]))
        if doc is not None:
            return doc
    return None


def cached_executions(cache, sources: dict[PurePath, str]) -> dict[str, list]:
    """The cache's records of each document, newest first."""
    by_doc: dict[str, list] = {}
    for record in cache.list_cache_records():
        doc = doc_of_uri(record.uri, sources)
        if doc is not None:
            by_doc.setdefault(doc, []).append(record)
    for records in by_doc.values():
        records.sort(key=lambda record: (record.created, record.pk), reverse=True)
    return by_doc


def stale_chapters(cache, sources: dict[PurePath, str], records: Path,
                   project_root: Path) -> dict[str, list[str] | None]:
    """Forget the executions that no longer hold; return their chapters.

    For each document with a cached execution, only the newest execution
    is kept (an older one ran with older modules, which its chapter's
    record no longer describes). If the chapter's record names a module
    whose source changed since, or there is no record, that execution goes
    too, and the chapter is returned with the changed modules (None for no
    record).
    """
    stale = {}
    for doc, executions in cached_executions(cache, sources).items():
        newest, *older = executions
        for execution in older:
            cache.remove_cache(execution.pk)
        changed = changed_modules(read_record(record_path(records, doc)),
                                  project_root)
        if changed is None or changed:
            cache.remove_cache(newest.pk)
            stale[doc] = changed
    return stale


def _key_the_cache(app: Sphinx, config: Config) -> None:
    if config.nb_execution_cache_path:  # set by the build: used as given
        return
    root = Path(app.confdir)
    config.nb_execution_cache_path = str(
        cache_path(root / config.dlbook_execution_cache, root))


def _prune(app: Sphinx) -> None:
    current = Path(app.config.nb_execution_cache_path)
    cache_root = Path(app.confdir) / app.config.dlbook_execution_cache
    if current.parent == cache_root:
        prune_stale_caches(cache_root, current)


def _sources(env) -> dict[PurePath, str]:
    srcdir = Path(env.srcdir)
    return {PurePath(Path(env.doc2path(doc)).relative_to(srcdir)): doc
            for doc in env.found_docs}


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    config = app.config
    if config.nb_execution_mode != "cache":
        return []
    from jupyter_cache import get_cache

    cache = get_cache(config.nb_execution_cache_path)
    stale = stale_chapters(cache, _sources(env),
                           records_folder(config.nb_execution_cache_path),
                           Path(app.confdir))
    for doc, modules in sorted(stale.items()):
        reason = ("no record of its imports" if modules is None
                  else "edited: " + ", ".join(modules))
        logger.info(f"[dlbook] {doc} executes again ({reason})")
    return sorted(stale)


def _name_the_record(app: Sphinx, docname: str, source: list[str]) -> None:
    # The kernel that executes this document, if it executes, starts now
    # and inherits the variables: it records its imports, and its time
    # split when the build asked for one, there.
    os.environ[RECORD_VARIABLE] = str(
        record_path(records_folder(app.config.nb_execution_cache_path), docname))
    folder = app.config.dlbook_time_split_folder
    if folder:
        os.environ[SPLIT_VARIABLE] = str(
            Path(app.confdir, folder, f"{docname}.json").resolve())
    else:
        os.environ.pop(SPLIT_VARIABLE, None)


#: How many characters of a cell's stderr the build log shows.
STDERR_SHOWN = 2000


def stderr_outputs(doctree) -> list:
    """The stderr outputs of the executed cells in ``doctree``: MyST-NB
    keeps them, as literal blocks of classes ``output`` and ``stderr``,
    when ``nb_output_stderr`` warns.

    Examples
    --------
    >>> from docutils import nodes
    >>> page = nodes.section("", nodes.literal_block("", "UserWarning: x",
    ...                                              classes=["output", "stderr"]),
    ...                      nodes.literal_block("", "42", classes=["output"]))
    >>> [node.astext() for node in stderr_outputs(page)]
    ['UserWarning: x']
    """
    return [node for node in doctree.findall(nodes.literal_block)
            if {"output", "stderr"} <= set(node["classes"])]


def _show_stderr(app: Sphinx, doctree) -> None:
    # MyST-NB's warning names the cell, not what it wrote; an intermittent
    # one cannot be looked at again, so the log says it.
    for node in stderr_outputs(doctree):
        text = node.astext()
        shown = text[-STDERR_SHOWN:]
        logger.warning(
            "[dlbook] the cell wrote to stderr (a Python warning or log line, "
            "which fails the build: remove its cause); "
            f"{'its last' if len(text) > len(shown) else 'all'} "
            f"{len(shown)} characters:\n{shown}", location=node)


def configure_kernels(app: Sphinx) -> None:
    """Give the chapters' kernels the build's own IPython profile.

    - TensorFlow's C++ runtime logs start-up notes straight to file
      descriptor 2. The profile keeps those in the build log instead of on
      the page; Python-level stderr (warnings) still reaches the cell,
      where ``nb_output_stderr`` turns it into a build failure.
    - Its start-up file records the ``dlbook`` modules that the kernel
      imports (:func:`dlbook_site.dependencies.install`) and, when
      ``dlbook_time_split_folder`` is set, where its time goes
      (:func:`dlbook_site.time_split.install`).
    """
    ipython_dir = Path(app.outdir).parent / "ipython"
    profile = ipython_dir / "profile_default"
    (profile / "startup").mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(
        "c.IPKernelApp.capture_fd_output = False\n")
    src = str(Path(__file__).resolve().parents[1])
    (profile / "startup" / "00-dlbook-dependencies.py").write_text(
        _STARTUP.format(src=src))
    os.environ["IPYTHONDIR"] = str(ipython_dir)


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_execution_cache", "_build/jupyter_cache", "env",
                         str)
    # After MyST-NB registered nb_execution_cache_path, before it reads it.
    # Where kernels write their time split (dlbook_site.time_split); off when
    # empty. Asking for one re-reads nothing.
    app.add_config_value("dlbook_time_split_folder", "", "", str)
    app.connect("config-inited", _key_the_cache)
    app.connect("builder-inited", _prune, priority=400)
    app.connect("builder-inited", configure_kernels, priority=400)
    app.connect("env-get-outdated", _outdated)
    app.connect("source-read", _name_the_record)
    app.connect("doctree-read", _show_stderr)
    return {"version": "2", "parallel_read_safe": True,
            "parallel_write_safe": True}
