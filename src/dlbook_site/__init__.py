"""Sphinx extensions of the book's own site.

Used by ``conf.py`` at build time only; chapter code never imports them, so
editing them does not re-execute the chapters.

- :mod:`dlbook_site.results`: the results page and ``results.json``,
  from the figures chapters record with :func:`dlbook.results.record_result`.
- :mod:`dlbook_site.notebooks`: each chapter as a downloadable Jupyter
  notebook whose first cell installs ``dlbook``, and its Colab button.
"""
