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
    # MathJax served from the site itself, not a CDN: pages work offline.
    "sphinx-mathjax-offline",
    "sphinx_copybutton",
    "sphinx_design",
    # The book's own: the results page, and chapters as notebooks for Colab.
    "dlbook_site.results",
    "dlbook_site.notebooks",
    "dlbook_site.benchmarks",
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
nb_output_stderr = "warn"  # Python warnings in a cell fail the build (-W)
nb_render_markdown_format = "myst"  # Markdown outputs may hold tables


def execution_key(root: Path = ROOT) -> str:
    """Hash of what executed output depends on besides the code cells.

    MyST-NB's cache hashes only a notebook's code cells. Keying the cache
    folder on the package sources and the locked dependencies re-executes
    every chapter when either changes; prose edits change neither.
    """
    digest = hashlib.sha256()
    package = root / "src" / "dlbook"
    files = sorted(
        path for path in package.rglob("*.py")
        # Sphinx extensions run in the build, never in a chapter's kernel.
        if "sphinxext" not in path.relative_to(package).parts
    )
    files.append(root / "requirements.lock")
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


CACHE_ROOT = ROOT / "_build" / "jupyter_cache"
nb_execution_cache_path = str(CACHE_ROOT / execution_key())


def _prune_stale_caches(app):
    """Delete execution caches keyed on sources that no longer exist."""
    current = Path(app.config.nb_execution_cache_path)
    if current.parent == CACHE_ROOT and CACHE_ROOT.is_dir():
        for stale in CACHE_ROOT.iterdir():
            if stale != current:
                shutil.rmtree(stale, ignore_errors=True)


def _configure_kernels(app):
    """Set the environment that the chapters' kernels inherit.

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


def setup(app):
    app.connect("builder-inited", _prune_stale_caches)
    app.connect("builder-inited", _configure_kernels)


# --- API reference ----------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True

# --- HTML -------------------------------------------------------------------
# The one setting for where the book's repository lives: the theme's
# repository, edit and issue buttons, the notebooks' install cell and the
# Colab button all derive from it. A fork sets DLBOOK_REPOSITORY_URL (the
# GitHub Actions workflow sets it to the repository it runs in).
repository_url = os.environ.get(
    "DLBOOK_REPOSITORY_URL", "https://github.com/dlbook/dlbook"
).rstrip("/")

html_theme = "sphinx_book_theme"
html_title = project
html_favicon = "book/_static/favicon.svg"
html_static_path = ["book/_static"]
html_css_files = ["dlbook.css"]
html_context = {"default_mode": "auto"}  # light or dark, as the reader's system
html_theme_options = {
    "show_toc_level": 2,
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "book",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_issues_button": True,
    "use_download_button": True,
}
# The Colab button opens the notebooks published with the site, on the branch
# that GitHub Pages serves (see .github/workflows/book.yml).
dlbook_pages_branch = "gh-pages"
dlbook_results_page = "results"
# The "Build report" page shows what `make benchmark` last measured.
dlbook_benchmarks_report = "benchmarks/report.json"
dlbook_benchmarks_page = "benchmarks"

# Copy buttons copy code only: no ">>> " or "$ " prompts, no outputs.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"
