"""Concept diagrams, drawn at build time with schemdraw on a Matplotlib figure."""

from __future__ import annotations

from dlbook.checks import check_int


def draw_training_loop(n_layers=2, ax=None):
    """Draw how layers, loss function and optimizer work together in training.

    Input data flows down through the layers, each parametrized by its
    weights, into predictions. The loss function compares the predictions
    with the true targets and returns a loss score. The optimizer uses that
    score to update the weights of every layer.

    Parameters
    ----------
    n_layers : int
        Number of layers to draw, from 1 to 5.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on. By default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that holds the diagram.

    Examples
    --------
    >>> fig = draw_training_loop(n_layers=3)
    >>> labels = [text.get_text() for text in fig.axes[0].texts]
    >>> labels.count("weights"), "Loss score" in labels
    (3, True)
    """
    check_int(n_layers, "n_layers", min_value=1, max_value=5)
    import matplotlib.pyplot as plt
    import schemdraw
    import schemdraw.flow as flow

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.8 + 0.9 * n_layers))
    drawing = schemdraw.Drawing(canvas=ax, show=False, fontsize=11)

    def node(kind, xy, text, w=3.4, h=0.9):
        return drawing.add(kind(w=w, h=h).at(xy).anchor("center").label(text))

    def arrow(start, end):
        drawing.add(flow.Arrow().at(start).to(end))

    step = 1.8
    inputs = node(flow.Data, (0, 0), "Input X", w=2.8)
    layers = [
        node(flow.Box, (0, -step * (i + 1)), "Layer\n(data transformation)")
        for i in range(n_layers)
    ]
    y = -step * (n_layers + 1)
    predictions = node(flow.RoundBox, (0, y), "Predictions Y'", w=2.8)
    targets = node(flow.RoundBox, (4, y), "True targets Y", w=2.8)
    loss = node(flow.Box, (2, y - step), "Loss function", w=5.6)
    score = node(flow.RoundBox, (2, y - 2 * step), "Loss score", w=2.8)
    optimizer = node(flow.Box, (-4, y - 2 * step), "Optimizer", w=2.6)
    weights = [
        node(flow.Ellipse, (-4, layer.center[1]), "weights", w=2.0, h=0.8)
        for layer in layers
    ]

    chain = [inputs, *layers, predictions]
    for upper, lower in zip(chain[:-1], chain[1:], strict=True):
        arrow((upper.center[0], upper.S[1]), lower.N)
    for source in (predictions, targets):
        arrow(source.S, (source.S[0], loss.N[1]))
    arrow(loss.S, score.N)
    arrow(score.W, optimizer.E)
    for weight, layer in zip(weights, layers, strict=True):
        arrow(weight.E, layer.W)
    bus_x = -5.8
    drawing.add(flow.Line().at(optimizer.W).to((bus_x, optimizer.W[1])))
    drawing.add(
        flow.Line()
        .at((bus_x, optimizer.W[1]))
        .to((bus_x, weights[0].W[1]))
        .label("weight update", rotate=True, loc="center", ofst=0.25)
    )
    for weight in weights:
        arrow((bus_x, weight.W[1]), weight.W)
    drawing.draw(show=False)
    ax.set_axis_off()
    return ax.figure
