"""How the chapters execute: the keyed execution cache and the kernels' settings.

MyST-NB executes each chapter through jupyter-cache, whose cache recognises
a notebook by its code cells alone. This extension keys the cache's folder
on everything else a chapter's outputs depend on (the ``dlbook`` package
and the lock file, :func:`dlbook_site.inputs.inputs_digest`), so that a
change to either re-executes the chapters, while a prose edit executes
nothing. It

- sets MyST-NB's ``nb_execution_cache_path`` to
  ``<dlbook_execution_cache>/<key>`` (``config-inited``), unless the build
  sets ``nb_execution_cache_path`` itself;
- deletes the folders of other keys, which no build will read again
  (``builder-inited``);
- gives the chapters' kernels an IPython profile of the build's own
  (``builder-inited``), see :func:`configure_kernels`.

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.execution"]``, and
``dlbook_execution_cache``: the folder that holds the keyed caches, relative
to the configuration folder (``make`` passes ``_build/jupyter_cache``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from dlbook_site.inputs import inputs_digest


def cache_path(cache_root: Path, project_root: Path) -> Path:
    """The execution cache's folder for this checkout's package and lock.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[2]
    >>> path = cache_path(Path("/tmp/cache"), root)
    >>> path.parent, len(path.name)
    (PosixPath('/tmp/cache'), 16)
    """
    return Path(cache_root) / inputs_digest(project_root, chapters=False)


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


def configure_kernels(app: Sphinx) -> None:
    """Give the chapters' kernels the build's own IPython profile.

    TensorFlow's C++ runtime logs start-up notes straight to file descriptor
    2. A kernel profile of the build's own keeps those in the build log
    instead of on the page; Python-level stderr (warnings) still reaches the
    cell, where ``nb_output_stderr`` turns it into a build failure.
    """
    ipython_dir = Path(app.outdir).parent / "ipython"
    kernel_config = ipython_dir / "profile_default" / "ipython_kernel_config.py"
    kernel_config.parent.mkdir(parents=True, exist_ok=True)
    kernel_config.write_text("c.IPKernelApp.capture_fd_output = False\n")
    os.environ["IPYTHONDIR"] = str(ipython_dir)


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_execution_cache", "_build/jupyter_cache", "env",
                         str)
    # After MyST-NB registered nb_execution_cache_path, before it reads it.
    app.connect("config-inited", _key_the_cache)
    app.connect("builder-inited", _prune, priority=400)
    app.connect("builder-inited", configure_kernels, priority=400)
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
