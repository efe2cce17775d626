"""Sphinx configuration for *Fundamentals of Deep Learning*.

Built with ``make html`` (sources in ``book/``, this file at the top level).
"""

import hashlib
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent

project = "Fundamentals of Deep Learning"
author = "The dlbook authors"
copyright = "2026, the dlbook authors"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx_copybutton",
    "sphinx_design",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nitpicky = True
# NumPy-style docstrings name types in prose ("array-like of shape (n, 2)",
# "keras.Model") that no inventory here resolves: the build is offline, so
# intersphinx is not used. References to dlbook's own objects stay checked.
nitpick_ignore_regex = [(r"py:class", r"(?!dlbook\.).*")]

# --- MyST and MyST-NB -------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "deflist"]
nb_execution_mode = "cache"
nb_execution_raise_on_error = True  # a cell error fails the build
nb_execution_timeout = 1200  # seconds per cell: real training on 2 CPU cores
nb_execution_show_tb = True  # print the traceback of a failing cell in the log
nb_merge_streams = True


def _execution_key() -> str:
    """Hash of everything besides the code cells that executed output depends on.

    MyST-NB's cache hashes only a notebook's code cells. Keying the cache
    folder on the package sources and the locked dependencies re-executes
    every chapter when either changes.
    """
    digest = hashlib.sha256()
    files = sorted((ROOT / "src" / "dlbook").rglob("*.py"))
    files.append(ROOT / "requirements.lock")
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_cache_root = ROOT / "_build" / "jupyter_cache"
nb_execution_cache_path = str(_cache_root / _execution_key())
if _cache_root.is_dir():  # drop caches for sources that no longer exist
    for stale in _cache_root.iterdir():
        if stale.name != Path(nb_execution_cache_path).name:
            shutil.rmtree(stale, ignore_errors=True)

# The chapters' kernels inherit this environment.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # no TensorFlow start-up chatter
os.environ.setdefault("MPLBACKEND", "agg")

# --- API reference ----------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True

# --- HTML -------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
}
