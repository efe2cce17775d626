"""dlbook: the reusable code of *Fundamentals of Deep Learning*.

Small modules, one job each:

- :mod:`dlbook.datasets`: the book's datasets through Keras' loaders, online or
  from an offline mirror.
- :mod:`dlbook.reproducibility`: fixed seeds and deterministic TensorFlow ops;
  ``DLBOOK_SEED`` changes every seed at once (``make seeds``).
- :mod:`dlbook.models`: model builders that several chapters share.
- :mod:`dlbook.training`: training helpers, such as a one-line-per-epoch log.
- :mod:`dlbook.speed`: the book's two speed settings, which change how fast
  a training runs, not what it computes.
- :mod:`dlbook.plotting`: figures the chapters draw.
- :mod:`dlbook.diagrams`: concept diagrams, drawn with schemdraw.
- :mod:`dlbook.naive_ops`: tensor operations as plain Python loops, kept as
  slow reference implementations to check and time NumPy against.
- :mod:`dlbook.convolution`: NumPy reference versions of convolution and max
  pooling, checked against Keras' layers.
- :mod:`dlbook.text`: word-index sequences to multi-hot vectors and back to
  words; one-hot labels.
- :mod:`dlbook.crossval`: K-fold cross-validation of Keras models.
- :mod:`dlbook.history`: training curves smoothed, and the best epoch picked.
- :mod:`dlbook.results`: the book's headline figures, recorded for the
  results page (which holds each to the floor its spread over seeds sets).
- :mod:`dlbook.provenance`: what each chapter trained, recorded for the
  benchmarks.
- :mod:`dlbook.exercises`: the chapters' exercises: checkers and hints for
  readers, and the proofs the build runs on the reference solutions.
- :mod:`dlbook.checks`: the argument checks every public function uses.

The site's build code (Sphinx extensions) is not part of this package: it
lives in ``src/dlbook_site``, beside it in the book's repository.
"""

__version__ = "0.1.0"
