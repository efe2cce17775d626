"""dlbook: the reusable code of *Fundamentals of Deep Learning*.

Small modules, one job each:

- :mod:`dlbook.datasets`: the book's datasets through Keras' loaders, online or
  from an offline mirror.
- :mod:`dlbook.reproducibility`: fixed seeds and deterministic TensorFlow ops.
- :mod:`dlbook.models`: model builders that several chapters share.
- :mod:`dlbook.training`: training helpers, such as a one-line-per-epoch log.
- :mod:`dlbook.plotting`: figures the chapters draw.
- :mod:`dlbook.diagrams`: concept diagrams, drawn with schemdraw.
- :mod:`dlbook.naive_ops`: tensor operations as plain Python loops, kept as
  slow reference implementations to check and time NumPy against.
- :mod:`dlbook.convolution`: NumPy reference versions of convolution and max
  pooling, checked against Keras' layers.
"""

__version__ = "0.1.0"
