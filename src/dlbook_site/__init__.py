"""The book's build code: Sphinx extensions and the build's inputs.

Not part of the ``dlbook`` package that readers install (``pyproject.toml``
installs ``dlbook`` alone); the Makefile and pytest put ``src`` on the path.
No chapter imports it, so editing it executes nothing.

- :mod:`dlbook_site.inputs`: what executed output depends on, and its digest.
- :mod:`dlbook_site.execution`: the execution cache keyed on that digest,
  and the kernels' settings.
- :mod:`dlbook_site.results`: the results page and ``results.json``, from
  the figures chapters record with :func:`dlbook.results.record_result`.
- :mod:`dlbook_site.notebooks`: each chapter as a downloadable Jupyter
  notebook whose first cell installs ``dlbook``, and its Colab button.
- :mod:`dlbook_site.benchmarks`: the Benchmarks page, which renders what
  ``make benchmark`` wrote to ``benchmarks/report.json``.
"""
