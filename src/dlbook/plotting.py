"""Figures that the chapters draw."""

from __future__ import annotations

import numpy as np

from dlbook.checks import check_int


def plot_image_grid(
    images, labels=None, class_names=None, ncols=8, size=1.2, titles=None,
    cmap="gray_r",
):
    """Show images in a grid, each titled with its label.

    Parameters
    ----------
    images : array-like of shape (n, height, width)
        Grayscale images.
    labels : array-like of shape (n,), optional
        Integer labels, one per image.
    class_names : sequence of str, optional
        Names for the labels; titles show the name instead of the number.
    ncols : int
        Images per row.
    size : float
        Width and height of one image, in inches.
    titles : sequence of str, optional
        One title per image, shown instead of the label; a title may hold
        line breaks, and the rows then get more room.
    cmap : str
        Matplotlib colormap; ``"gray_r"`` draws ink dark on white.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_image_grid(np.zeros((5, 4, 4)), [0, 1, 0, 1, 1], ["a", "b"], ncols=3)
    >>> len(fig.axes), fig.axes[1].get_title()
    (6, 'b')
    >>> fig = plot_image_grid(np.zeros((2, 4, 4)), titles=["first", "second"])
    >>> fig.axes[1].get_title()
    'second'
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(
            f"images must have shape (n, height, width), got shape {images.shape}."
        )
    n = len(images)
    if labels is not None and len(labels) != n:
        raise ValueError(f"Got {n} images but {len(labels)} labels.")
    if titles is not None and len(titles) != n:
        raise ValueError(f"Got {n} images but {len(titles)} titles.")
    check_int(ncols, "ncols", min_value=1)
    ncols = min(ncols, max(n, 1))
    nrows = max(1, -(-n // ncols))
    title_lines = max((str(t).count("\n") + 1 for t in titles or ()), default=1)
    fig, axes = plt.subplots(
        nrows, ncols,
        figsize=(size * ncols, size * nrows + 0.3 * nrows * title_lines),
        squeeze=False,
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=8)
        elif labels is not None:
            label = int(labels[i])
            ax.set_title(class_names[label] if class_names else str(label), fontsize=8)
    fig.tight_layout()
    return fig


def _metric_label(name):
    return {"acc": "accuracy", "mae": "MAE", "mse": "MSE"}.get(name, name)


def plot_history(history, metrics=None, skip=0, mark_epoch=None, title=None,
                 figsize=None):
    """Plot training and validation curves from ``model.fit``'s history.

    One panel for the loss and one for each metric; each shows the training
    curve (dots) and, when the history has it, its ``val_`` twin (line).
    Older Keras named accuracy ``acc``, today's Keras names each curve after
    the metric string given to ``compile`` (``accuracy``): both are read.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        The object ``fit`` returns, or its ``.history`` dict.
    metrics : sequence of str, optional
        The curves to show, loss included; by default ``loss`` and every
        other training metric in the history.
    skip : int
        Leave out the first ``skip`` epochs, whose values often dwarf the
        rest.
    mark_epoch : int, optional
        Draw a vertical line at this epoch (counted from 1), for example the
        best one.
    title : str, optional
        Title over the whole figure.
    figsize : tuple of float, optional
        Figure size; by default 5 inches wide per panel, 3.5 high.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> h = {"loss": [0.6, 0.4], "acc": [0.7, 0.8],
    ...      "val_loss": [0.5, 0.45], "val_acc": [0.75, 0.78]}
    >>> fig = plot_history(h)
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss', 'accuracy']
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    history = getattr(history, "history", history)
    if not isinstance(history, dict) or "loss" not in history:
        raise ValueError(
            "history must be a History object or a dict with a 'loss' curve, "
            f"got {type(history).__name__}"
            + (f" with keys {sorted(history)}" if isinstance(history, dict) else "")
            + "."
        )
    if metrics is None:
        metrics = ["loss"] + [k for k in history
                              if k != "loss" and not k.startswith("val_")]
    missing = [m for m in metrics if m not in history]
    if missing:
        raise ValueError(
            f"history has no curve {missing[0]!r}; it has {sorted(history)}."
        )
    epochs_total = len(history["loss"])
    check_int(skip, "skip", min_value=0, max_value=epochs_total - 1)
    if figsize is None:
        figsize = (5 * len(metrics), 3.5)
    fig, axes = plt.subplots(1, len(metrics), figsize=figsize, squeeze=False)
    epochs = np.arange(skip + 1, epochs_total + 1)
    for ax, name in zip(axes.flat, metrics, strict=True):
        label = _metric_label(name)
        ax.plot(epochs, history[name][skip:], "o", markersize=3,
                label=f"training {label}")
        if f"val_{name}" in history:
            ax.plot(epochs, history[f"val_{name}"][skip:], "-",
                    label=f"validation {label}")
        if mark_epoch is not None:
            ax.axvline(mark_epoch, color="gray", linestyle=":",
                       label=f"epoch {mark_epoch}")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(f"Training and validation {label}")
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_histories(histories, metric="val_loss", mark_best=None, title=None,
                   ax=None, figsize=(8, 3.6)):
    """Compare several training runs: one curve per run, on one axis.

    Parameters
    ----------
    histories : dict
        Run name -> ``keras.callbacks.History`` or its ``.history`` dict.
        The curves are drawn in the dict's order, named after its keys.
    metric : str
        The curve to compare, such as ``"val_loss"`` or ``"loss"``.
    mark_best : {"min", "max"}, optional
        Mark each curve's best point (lowest or highest) with a dot.
    title : str, optional
        Title of the axis; by default the metric's name.
    ax : matplotlib.axes.Axes, optional
        Draw on this axis (for example one panel of a larger figure) instead
        of a new figure.
    figsize : tuple of float
        Size of the new figure, when ``ax`` is not given.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that holds the axis.

    Examples
    --------
    >>> runs = {"small": {"val_loss": [0.6, 0.5, 0.45]},
    ...         "big": {"val_loss": [0.4, 0.5, 0.7]}}
    >>> fig = plot_histories(runs, mark_best="min")
    >>> ax = fig.axes[0]
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['small', 'big']
    >>> ax.get_ylabel()
    'validation loss'
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if not isinstance(histories, dict) or not histories:
        raise ValueError(
            "histories must be a non-empty dict of run name -> History (or "
            f"history dict), got {type(histories).__name__}."
        )
    if mark_best not in (None, "min", "max"):
        raise ValueError(f"mark_best must be None, 'min' or 'max', got {mark_best!r}.")
    curves = {}
    for name, history in histories.items():
        history = getattr(history, "history", history)
        if not isinstance(history, dict) or metric not in history:
            known = sorted(history) if isinstance(history, dict) else []
            raise ValueError(
                f"run {name!r} has no curve {metric!r}; it has {known}."
            )
        curves[name] = np.asarray(history[metric], dtype=float)
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.figure
    drawn = []
    for name, values in curves.items():
        epochs = np.arange(1, len(values) + 1)
        (line,) = ax.plot(epochs, values, "-", label=str(name))
        drawn.append(line)
    if mark_best is not None:
        for line, values in zip(drawn, curves.values(), strict=True):
            i = int(values.argmin() if mark_best == "min" else values.argmax())
            ax.plot(i + 1, values[i], "o", color=line.get_color(), markersize=5)
    prefix = "validation " if metric.startswith("val_") else "training "
    label = prefix + _metric_label(metric.removeprefix("val_"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel(label)
    ax.set_title(title if title is not None else label.capitalize())
    ax.legend()
    fig.tight_layout()
    return fig
