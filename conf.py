"""Sphinx configuration for *Fundamentals of Deep Learning*.

Built with ``make html`` (sources in ``book/``, this file at the top level).
"""

import os

from dlbook_site.pdf import PDF_NAME
from dlbook_site.wheel import site_url

project = "Fundamentals of Deep Learning"
author = "The dlbook authors"
copyright = "2026, the dlbook authors"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    # The API reference's tables of modules, each with its docstring's
    # first line.
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    # Math as MathML, written into the page (no MathJax script).
    "dlbook_site.mathml",
    "sphinx_copybutton",
    # Exercises and their solutions (sphinx-exercise), solutions collapsed
    # (its "dropdown" class needs sphinx-togglebutton).
    "sphinx_exercise",
    "sphinx_togglebutton",
    # The site's own (src/dlbook_site): the keyed execution cache, the spread
    # of each figure over seeds (benchmarks/seeds.json), the results
    # page, chapters as notebooks for Colab, the Benchmarks page, and the errata
    # page that gathers the chapters' corrections of the course notes.
    "dlbook_site.execution",
    "dlbook_site.spread",
    "dlbook_site.results",
    "dlbook_site.notebooks",
    "dlbook_site.benchmarks",
    "dlbook_site.errata",
    # The exercises checked against dlbook.exercises, and as notebooks.
    "dlbook_site.exercises",
    # Each page's meta description, from its first paragraph.
    "dlbook_site.meta",
    # Every image loaded lazily, when the reader scrolls to it.
    "dlbook_site.lazy_images",
    # Each page loads only the extensions' scripts and styles it uses.
    "dlbook_site.page_assets",
    # The style sheets keep only rules the site can use; icon fonts, their icons.
    "dlbook_site.unused_css",
    # Each page's first screen painted by the rules it needs, inlined; its
    # style sheets load with its scripts, after the page (after the purge).
    "dlbook_site.critical_css",
    # Code without the spans that draw a token as plain text.
    "dlbook_site.highlight",
    # Each saved doctree holds its page only, not Sphinx's environment
    # (MyST's eval-rst nodes point at a document of their own).
    "dlbook_site.doctrees",
]
html_math_renderer = "mathml"
myst_update_mathjax = False  # no MathJax to configure

# Figures, tables and exercises are numbered per chapter ("Exercise 2.3"):
# the chapters' toctree in book/index.md is numbered.
numfig = True

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
# The execution cache's folder is keyed on the package and the lock by
# dlbook_site.execution (make passes dlbook_execution_cache, its BUILD's).


# --- API reference ----------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True

# --- HTML -------------------------------------------------------------------
# The one setting for where the book's repository lives: the theme's
# repository, edit and issue buttons, the Colab button and the site's address
# all derive from it. A fork sets DLBOOK_REPOSITORY_URL (the GitHub Actions
# workflow sets it to the repository it runs in).
repository_url = os.environ.get(
    "DLBOOK_REPOSITORY_URL", "https://github.com/dlbook/dlbook"
).rstrip("/")
# Where the site is served from: each notebook's install cell fetches the
# wheel of dlbook published with the site from there (dlbook_site.notebooks).
# The repository's GitHub Pages address unless DLBOOK_SITE_URL is set; make
# serve and the browser test set it to their local server's address.
dlbook_site_url = site_url(repository_url, os.environ.get("DLBOOK_SITE_URL"))

html_theme = "sphinx_book_theme"
# book/_templates/static/webpack-macros.html leaves out the theme's
# fontawesome.js (its icons come from the stylesheet's web fonts).
templates_path = ["book/_templates"]
html_title = project
html_favicon = "book/_static/favicon.svg"
html_static_path = ["book/_static"]
html_css_files = ["dlbook.css"]
html_context = {
    "default_mode": "auto",  # light or dark, as the reader's system
    # The type that holds a script until the page has loaded (the browser
    # neither fetches nor runs it before): book/_templates writes Sphinx's
    # and the theme's scripts with it, and the templates' loader fetches
    # them once the page has loaded (dlbook_site.critical_css inlines only
    # the pages that hold theirs).
    "after_load_type": "text/x-dlbook-after-load",
}
html_theme_options = {
    "show_toc_level": 2,
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "book",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_issues_button": True,
    "use_download_button": True,
    # make pdf writes the whole book as a PDF into the site's top folder.
    "icon_links": [{"name": "The whole book as a PDF", "url": PDF_NAME,
                    "icon": "fa-solid fa-file-pdf", "type": "fontawesome"}],
    # The code's colours in the light and the dark theme (the theme's
    # defaults, named here because dlbook_site.highlight reads them).
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
    # The sidebar lists the book's pages, not the API reference's pages of
    # modules (book/api.md lists those): the theme's toggle of a nested list
    # is a <summary> with no text, which axe-core reports.
    "max_navbar_depth": 1,
}
# The theme's sidebar, with its logo and icon links inside a navigation
# landmark (book/_templates/sidebar-site-links.html): axe-core wants all
# content in landmarks. The other entries are the theme's defaults.
html_sidebars = {"**": ["sidebar-site-links.html", "search-button-field.html",
                        "sbt-sidebar-nav.html"]}
# The site's own settings keep their extensions' defaults: the Colab button
# opens the notebooks on the gh-pages branch (dlbook_pages_branch), the
# results page is "results", and the "Benchmarks" page shows
# benchmarks/report.json (dlbook_benchmarks_report).

# Copy buttons copy code only: no ">>> " or "$ " prompts, no outputs.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"
