"""Figures that the chapters draw."""

from __future__ import annotations

import numpy as np


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
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}.")
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
