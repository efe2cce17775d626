"""dlbook.plotting."""

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlbook.plotting import plot_image_grid  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_image_grid_layout_and_titles():
    images = np.random.default_rng(0).random((10, 5, 5))
    fig = plot_image_grid(images, np.arange(10) % 3, ["zero", "one", "two"], ncols=4)
    assert len(fig.axes) == 12  # 3 rows of 4; the last two stay empty
    assert [ax.get_title() for ax in fig.axes[:4]] == ["zero", "one", "two", "zero"]
    assert not fig.axes[-1].images
    np.testing.assert_array_equal(fig.axes[2].images[0].get_array(), images[2])


def test_image_grid_without_names_shows_numbers():
    fig = plot_image_grid(np.zeros((2, 3, 3)), [4, 7])
    assert [ax.get_title() for ax in fig.axes] == ["4", "7"]


def test_image_grid_checks_its_input():
    with pytest.raises(ValueError, match=r"shape \(n, height, width\).*\(4, 4\)"):
        plot_image_grid(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="Got 3 images but 2 labels"):
        plot_image_grid(np.zeros((3, 2, 2)), [0, 1])
    with pytest.raises(ValueError, match="ncols == 0, must be >= 1"):
        plot_image_grid(np.zeros((3, 2, 2)), ncols=0)
    with pytest.raises(TypeError, match="ncols must be an instance of int, not float"):
        plot_image_grid(np.zeros((3, 2, 2)), ncols=2.0)


def test_image_grid_with_titles_and_a_colormap():
    images = np.random.default_rng(1).random((3, 4, 4))
    titles = ["true: a\npred: b", "x", "y"]
    fig = plot_image_grid(images, [0, 1, 2], ["p", "q", "r"], titles=titles,
                          cmap="viridis")
    assert [ax.get_title() for ax in fig.axes] == titles  # titles win over labels
    assert fig.axes[0].images[0].get_cmap().name == "viridis"
    # Two-line titles get more room than one-line titles.
    assert fig.get_figheight() > plot_image_grid(images).get_figheight()


def test_image_grid_keeps_its_default_colormap_and_checks_titles():
    fig = plot_image_grid(np.zeros((1, 2, 2)))
    assert fig.axes[0].images[0].get_cmap().name == "gray_r"
    with pytest.raises(ValueError, match="Got 2 images but 1 titles"):
        plot_image_grid(np.zeros((2, 2, 2)), titles=["only one"])


def test_plot_history_reads_acc_and_accuracy_alike():
    from dlbook.plotting import plot_history

    old = {"loss": [0.6, 0.4, 0.3], "acc": [0.7, 0.8, 0.9],
           "val_loss": [0.5, 0.45, 0.5], "val_acc": [0.75, 0.78, 0.77]}
    new = {k.replace("acc", "accuracy"): v for k, v in old.items()}
    for history in (old, new):
        fig = plot_history(history, skip=1, mark_epoch=2)
        assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
        lines = fig.axes[1].get_lines()
        np.testing.assert_array_equal(lines[0].get_xdata(), [2, 3])
        np.testing.assert_array_equal(lines[1].get_ydata(), [0.78, 0.77])
        assert [t.get_text() for t in fig.axes[1].get_legend().get_texts()] == [
            "training accuracy", "validation accuracy", "epoch 2"]


def test_plot_history_takes_a_history_object_and_metrics_without_val():
    from types import SimpleNamespace

    from dlbook.plotting import plot_history

    history = SimpleNamespace(history={"loss": [2.0, 1.0], "mae": [1.5, 0.9]})
    fig = plot_history(history, metrics=["mae"])
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 1


def test_plot_history_checks_its_input():
    from dlbook.plotting import plot_history

    with pytest.raises(ValueError, match="dict with a 'loss' curve"):
        plot_history({"accuracy": [0.5]})
    with pytest.raises(ValueError, match="no curve 'mae'"):
        plot_history({"loss": [1.0]}, metrics=["loss", "mae"])
    with pytest.raises(ValueError, match="skip == 2, must be <= 1"):
        plot_history({"loss": [1.0, 0.5]}, skip=2)
    with pytest.raises(ValueError, match="skip == -1, must be >= 0"):
        plot_history({"loss": [1.0, 0.5]}, skip=-1)
    with pytest.raises(TypeError, match="skip must be an integer, not bool"):
        plot_history({"loss": [1.0, 0.5]}, skip=True)


def test_plot_histories_draws_one_curve_per_run_and_marks_the_best():
    from dlbook.plotting import plot_histories

    runs = {"a": {"val_loss": [0.5, 0.3, 0.4]},
            "b": {"val_loss": [0.6, 0.7], "loss": [0.2, 0.1]}}
    fig = plot_histories(runs, mark_best="min")
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines[:2]] == ["a", "b"]
    np.testing.assert_array_equal(lines[0].get_xydata(), [[1, 0.5], [2, 0.3], [3, 0.4]])
    # the best points: epoch 2 of run a, epoch 1 of run b
    np.testing.assert_array_equal(lines[2].get_xydata(), [[2, 0.3]])
    np.testing.assert_array_equal(lines[3].get_xydata(), [[1, 0.6]])
    assert fig.axes[0].get_title() == "Validation loss"


def test_plot_histories_on_a_given_axis_with_training_curves():
    from dlbook.plotting import plot_histories

    fig, (left, right) = plt.subplots(1, 2)
    out = plot_histories({"b": {"loss": [0.2, 0.1]}}, metric="loss", ax=right,
                         title="mine")
    assert out is fig and not left.get_lines() and len(right.get_lines()) == 1
    assert right.get_ylabel() == "training loss" and right.get_title() == "mine"


def test_plot_histories_checks_its_input():
    from dlbook.plotting import plot_histories

    with pytest.raises(ValueError, match="non-empty dict"):
        plot_histories({})
    with pytest.raises(ValueError, match="run 'a' has no curve 'val_mae'"):
        plot_histories({"a": {"val_loss": [1.0]}}, metric="val_mae")
    with pytest.raises(ValueError, match="mark_best must be"):
        plot_histories({"a": {"val_loss": [1.0]}}, mark_best="best")
