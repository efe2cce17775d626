"""dlbook.diagrams."""

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from dlbook.diagrams import draw_training_loop  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def labels(fig):
    return [text.get_text() for text in fig.axes[0].texts]


@pytest.mark.parametrize("n_layers", [1, 2, 5])
def test_one_layer_box_and_one_weights_node_per_layer(n_layers):
    found = labels(draw_training_loop(n_layers=n_layers))
    assert found.count("weights") == n_layers
    assert found.count("Layer\n(data transformation)") == n_layers
    for label in ["Input X", "Predictions Y'", "True targets Y", "Loss function",
                  "Loss score", "Optimizer", "weight update"]:
        assert found.count(label) == 1, label


def test_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert draw_training_loop(ax=ax) is fig
    assert not ax.axison and ax.texts


@pytest.mark.parametrize(
    ("n_layers", "error", "match"),
    [(0, ValueError, "n_layers == 0, must be >= 1"),
     (6, ValueError, "n_layers == 6, must be <= 5"),
     (2.0, TypeError, "n_layers must be an instance of int, not float"),
     (True, TypeError, r"n_layers must be an integer, not bool \(True\)")],
)
def test_rejects_bad_layer_counts(n_layers, error, match):
    with pytest.raises(error, match=match):
        draw_training_loop(n_layers=n_layers)
