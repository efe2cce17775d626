"""The book's build code: Sphinx extensions and the build's inputs.

Not part of the ``dlbook`` package that readers install (``pyproject.toml``
installs ``dlbook`` alone); the Makefile and pytest put ``src`` on the path.
No chapter imports it (the kernels' start-up file imports the two
recorders below, which record ``dlbook`` modules only), so editing it
executes nothing.

- :mod:`dlbook_site.inputs`: what executed output depends on, and its digest.
- :mod:`dlbook_site.execution`: what re-executes a chapter (its code, the
  lock, the ``dlbook`` modules its kernel imported), and the kernels'
  settings.
- :mod:`dlbook_site.dependencies`: each kernel's record of the ``dlbook``
  modules it imported.
- :mod:`dlbook_site.time_split`: where a kernel's time goes, when the build
  asks (``make benchmark``).
- :mod:`dlbook_site.exercise_cost`: that time by part of the page: the
  lesson, the exercises, the go-further solutions.
- :mod:`dlbook_site.records`: both records, printed for the benchmarks
  (``make execution-records``).
- :mod:`dlbook_site.results`: the results page and ``results.json``, from
  the figures chapters record with :func:`dlbook.results.record_result`.
- :mod:`dlbook_site.spread`: each figure against its spread over seeds
  (``benchmarks/seeds.json``): the floors, the ``seed-spread`` role, the
  dot plots.
- :mod:`dlbook_site.drift`: a new build against the published site
  (``make drift``).
- :mod:`dlbook_site.notebooks`: each chapter as a downloadable Jupyter
  notebook whose first cell installs ``dlbook``, and its Colab button.
- :mod:`dlbook_site.wheel`: the reproducible wheel of ``dlbook`` that the
  site publishes and the notebooks install, and the site's address.
- :mod:`dlbook_site.visible_code`: the check that no hidden cell defines a
  name the visible code reads.
- :mod:`dlbook_site.copied_code`: each chapter's code boxes, run as one
  script (``make copy-check``).
- :mod:`dlbook_site.fresh_notebook`: a chapter's downloaded notebook, run
  in a new environment (``make test``, ``make notebook-check``).
- :mod:`dlbook_site.oldest_versions`: the oldest supported versions and the
  package's own tests (``make test-oldest``).
- :mod:`dlbook_site.errata`: the ``notes-say`` corrections of the course
  notes, and the errata page that lists them.
- :mod:`dlbook_site.toc`: the book's reading order, for the pages that list
  every chapter's figures or corrections.
- :mod:`dlbook_site.meta`: each page's meta description, from its first
  paragraph.
- :mod:`dlbook_site.lazy_images`: every image loaded when scrolled to.
- :mod:`dlbook_site.page_assets`: each page loads only the extensions'
  scripts and style sheets it uses.
- :mod:`dlbook_site.mathml`: the book's formulas as MathML, no script.
- :mod:`dlbook_site.highlight`: code without the spans that draw a token as
  plain text.
- :mod:`dlbook_site.unused_css`: style sheets without the rules and custom
  properties no page uses, icon fonts cut to their icons.
- :mod:`dlbook_site.icon_fonts`: icon fonts cut to the icons a style sheet
  prints, and written into it.
- :mod:`dlbook_site.critical_css`: each page painted by the rules it uses,
  inlined; the rest of its sheets' rules loaded after the page.
- :mod:`dlbook_site.exercises`: the chapters' exercises checked against
  their checkers, and as notebooks.
- :mod:`dlbook_site.pdf`: the whole book as one PDF (``make pdf``).
- :mod:`dlbook_site.benchmarks`: the Benchmarks page, which renders what
  ``make benchmark`` wrote to ``benchmarks/report.json``, and ``make
  audit``'s report.
"""
