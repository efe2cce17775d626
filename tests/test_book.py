"""Build the real book with Sphinx and check what a reader gets.

Marked slow: a cold build trains the chapters' models (minutes on 2 cores);
with a warm execution cache it takes seconds.
"""

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from dlbook_site.results import format_value

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("*.md"))
NOTEBOOKS = sorted(
    p.stem for p in (ROOT / "book").glob("*.md")
    if "file_format: mystnb" in p.read_text(encoding="utf-8")[:200]
)

pytestmark = pytest.mark.slow


def _run_make_html(*overrides):
    result = subprocess.run(
        ["make", "--no-print-directory", "html", *overrides], cwd=ROOT,
        capture_output=True, text=True,
    )
    return result.returncode, result.stdout + result.stderr


def _make_html():
    returncode, log = _run_make_html()
    assert returncode == 0, f"make html failed:\n{log[-6000:]}"
    return log


@pytest.fixture(scope="module")
def build_log():
    return _make_html()


def page(name):
    return (HTML / f"{name}.html").read_text(encoding="utf-8")


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_every_chapter_has_a_page(build_log):
    assert CHAPTERS, "book/ holds no pages"
    for name in CHAPTERS:
        assert (HTML / f"{name}.html").is_file(), f"{name}.md produced no page"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_executed_page_shows_an_error(build_log, name):
    content = page(name)
    for marker in ("Traceback (most recent call last)", "output traceback",
                   "output stderr", "ipythontb", "System Message"):
        assert marker not in content, f"{name}.html holds {marker!r}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_has_alt_text(build_log, name):
    for tag in re.findall(r"<img\b[^>]*>", page(name)):
        alt = re.search(r'alt="([^"]*)"', tag)
        assert alt and alt.group(1).strip(), f"{name}.html: image without alt: {tag}"


def glued(content):
    return [text_of(s) for s in
            re.findall(r'<span class="pasted-text">(.*?)</span>', content)]


def flat(content):
    return re.sub(r"\s+", " ", text_of(content))


def test_first_network_numbers_come_from_the_run(build_log):
    content = page("ch02_building_blocks")
    body = flat(content)
    assert len(glued(content)) >= 7, glued(content)

    printed = re.search(r"test accuracy: (0\.\d{4})", body)
    assert printed, "the evaluation cell's output is missing"
    glued_acc = re.search(r"The test accuracy is (0\.\d{3})", body)
    assert glued_acc, "the glued test accuracy is missing from the prose"
    assert abs(float(glued_acc.group(1)) - float(printed.group(1))) <= 0.00051
    assert float(printed.group(1)) >= 0.87

    total = re.search(r"Total params: ([\d,]+)", body).group(1)
    assert f"The model has {total} weights" in body
    shape = re.search(r"training images: \((\d+), (\d+), (\d+)\)", body)
    n, h, w = shape.groups()
    assert f"The training set holds {int(n):,} images" in body
    assert f"each {h}×{w} pixels" in body
    # the first network's log comes first (the 128-unit variant's follows)
    epochs = re.findall(r"Epoch (\d)/5 - loss 0\.\d{4}, accuracy (0\.\d{4})",
                        body)[:5]
    assert [e for e, _ in epochs] == ["1", "2", "3", "4", "5"]
    assert f"reached {float(epochs[-1][1]):.3f}" in body


def test_first_network_shows_the_class_table_and_samples(build_log):
    content = page("ch02_building_blocks")
    from dlbook.datasets import FASHION_MNIST_CLASSES

    table = re.search(r"<table.*?</table>", content, re.S).group(0)
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    assert len(rows) == 1 + len(FASHION_MNIST_CLASSES)
    for name in FASHION_MNIST_CLASSES:
        assert html.escape(name) in table or name in table
    assert re.search(r'<img alt="A grid of 24 small grayscale pictures', content)


def test_api_reference_documents_the_package(build_log):
    content = page("api")
    for name in ("dlbook.datasets.load_fashion_mnist", "dlbook.datasets.load_imdb",
                 "dlbook.models.build_dense_classifier",
                 "dlbook.training.EpochLogger"):
        assert f'id="{name}"' in content, name


def test_second_build_executes_nothing(build_log):
    log = _make_html()
    assert "Executing notebook" not in log
    assert "Cached executed notebook" not in log  # nothing was even re-read


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('assert 1 + 1 == 3, "deliberately wrong"', "deliberately wrong"),
        ('import sys\nprint("a stray warning", file=sys.stderr)',
         "stderr was found in the cell outputs"),
    ],
    ids=["cell-error", "stderr"],
)
def test_a_bad_cell_fails_the_build(tmp_path, cell, expected):
    """The real build settings turn a cell error or stray stderr into a failure."""
    source = tmp_path / "book"
    source.mkdir()
    (source / "index.md").write_text(
        "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n"
        "  display_name: Python 3\n---\n\n# Probe\n\n"
        f"```{{code-cell}} ipython3\n{cell}\n```\n"
    )
    returncode, log = _run_make_html(
        f"BOOK={source}", f"BUILD={tmp_path / 'build'}",
        f"SPHINXEXTRA=-D nb_execution_cache_path={tmp_path / 'cache'}",
    )
    assert returncode != 0, log[-3000:]
    assert expected in log


# --- Chapter 2: the mathematical building blocks ----------------------------


def test_ch02_prints_the_versions_and_compares_the_two_networks(build_log):
    body = flat(page("ch02_building_blocks"))
    assert re.search(r"TensorFlow 2\.\d+\.\d+ Keras 3\.\d+\.\d+", body)
    rows = re.findall(r"\| (\d+) \| ([\d,]+) \| (0\.\d{4}) \| (0\.\d{4}) \|",
                      body)
    if not rows:  # the table is rendered as HTML
        rows = re.findall(r"(512|128) ([\d,]+) (0\.\d{4}) (0\.\d{4})", body)
    assert [r[0] for r in rows] == ["512", "128"], rows
    assert rows[0][1] == "407,050" and rows[1][1] == "101,770"
    assert f"The narrow network has {rows[1][1]} weights" in body
    assert f"test accuracy of {float(rows[1][3]):.3f}" in body


def test_ch02_tensor_outputs_appear(build_log):
    body = flat(page("ch02_building_blocks"))
    assert "scalar: ndim=0, shape=(), dtype=int64" in body
    assert "vector: ndim=1, shape=(5,), dtype=int64" in body
    assert "matrix: ndim=2, shape=(3, 5), dtype=int64" in body
    assert "train_images: ndim=3, shape=(60000, 28, 28), dtype=uint8" in body
    # the notes' reshape: (3, 2) -> (6, 1) -> (2, 3), then a transposition
    assert "(3, 2) [[0.] [1.] [2.] [3.] [4.] [5.]] [[0. 1. 2.] [3. 4. 5.]]" in body
    assert "(20, 300)" in body
    assert "(4, 240, 144, 256, 3)" in body


def test_ch02_speed_ratios_are_glued_from_the_timings(build_log):
    body = flat(page("ch02_building_blocks"))
    printed = dict(re.findall(r"(relu|add): naive .*? ratio +([\d,]+)", body))
    assert set(printed) == {"relu", "add"}, printed
    claim = re.search(r"NumPy.s relu was ([\d,]+) times faster than the loop, "
                      r"and its addition ([\d,]+) times faster", body)
    assert claim, "the glued speed ratios are missing"
    for op, glued_ratio in zip(("relu", "add"), claim.groups(), strict=True):
        shown = float(glued_ratio.replace(",", ""))
        assert abs(shown - float(printed[op].replace(",", ""))) <= 1
        assert shown > 10


def test_ch02_sgd_momentum_and_gradient_check(build_log):
    body = flat(page("ch02_building_blocks"))
    final = re.search(r"final training loss: SGD (0\.\d{4}), momentum (0\.\d{4})",
                      body)
    assert final and float(final.group(2)) < float(final.group(1))
    assert f"ends at {final.group(2)}" in body
    errors = re.findall(r"max relative error (\d\.\de-\d+)", body)
    assert len(errors) == 4, errors
    worst = max(errors, key=float)
    assert float(worst) < 1e-5
    assert f"the finite differences is {worst}" in body


def test_ch02_scratch_loop_matches_fit_within_two_points(build_log):
    body = flat(page("ch02_building_blocks"))
    scratch = re.search(r"from scratch: test accuracy (0\.\d{4})", body)
    fitted = re.search(r"with fit: test accuracy (0\.\d{4})", body)
    assert scratch and fitted, "the from-scratch comparison is missing"
    assert abs(float(scratch.group(1)) - float(fitted.group(1))) <= 0.02
    first = re.search(r"test loss: 0\.\d{4} test accuracy: (0\.\d{4})", body)
    assert fitted.group(1) == first.group(1), "fit's accuracy changed between cells"
    assert (f"reaches a test accuracy of {float(scratch.group(1)):.3f}, against "
            f"{float(fitted.group(1)):.3f} with fit" in body)
    epochs = re.findall(r"Epoch (\d)/5 - loss 0\.\d{4}, accuracy 0\.\d{4}", body)[-5:]
    assert epochs == ["1", "2", "3", "4", "5"]


def test_chapter_1_comes_first_in_the_toctree(build_log):
    content = page("index")
    first, second = (content.find('href="ch01_introduction.html"'),
                     content.find('href="ch02_building_blocks.html"'))
    assert 0 <= first < second, "chapter 1 should come before chapter 2"


def test_chapter_1_numbers_come_from_the_run(build_log):
    content = page("ch01_introduction")
    body = flat(content)
    assert len(glued(content)) >= 15, glued(content)

    printed = dict(re.findall(
        r"linear classifier on (Cartesian|polar) \S+ \S+ *: test accuracy "
        r"(\d\.\d{3})", body))
    assert set(printed) == {"Cartesian", "polar"}, printed
    assert (f"scores {printed['Cartesian']} on the test points in Cartesian"
            in body)
    assert f"and {printed['polar']} in polar coordinates" in body
    assert abs(float(printed["Cartesian"]) - 0.5) <= 0.1
    assert float(printed["polar"]) >= 0.95

    acc = re.search(r"test accuracy: (0\.\d{4})", body).group(1)
    assert f"classifies {float(acc):.3f} of the test images" in body
    assert float(acc) >= 0.84

    table = dict(re.findall(
        r"\| (pixels|layer_1|layer_2|output) \| \d+ \| (\d\.\d{3}) \|",
        _markdown_tables(content)))
    assert list(table) == ["pixels", "layer_1", "layer_2", "output"], table
    scores = [float(v) for v in table.values()]
    assert scores == sorted(scores) and len(set(scores)) == 4
    assert f"silhouette score of {table['pixels']}" in body
    assert (f"rises to {table['layer_1']} after the first layer, "
            f"{table['layer_2']} after the second and {table['output']}") in body

    w_shape = re.search(r"W: \((\d+), (\d+)\)", body).groups()
    assert f"holds a {w_shape[0]} × {w_shape[1]} weight matrix" in body


def _markdown_tables(content):
    """The chapter's computed tables, one '| a | b |' line per row."""
    lines = []
    for table in re.findall(r"<table.*?</table>", content, re.S):
        for row in re.findall(r"<tr.*?</tr>", table, re.S):
            cells = [text_of(c).strip()
                     for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_chapter_1_compares_the_classical_models(build_log):
    content = page("ch01_introduction")
    body = flat(content)
    rows = dict(re.findall(r"\| ([A-Z][^|]+?) \| (0\.\d{3}) \|",
                           _markdown_tables(content)))
    expected = {"Naive Bayes", "Logistic regression", "SVM, linear kernel",
                "SVM, RBF kernel", "Decision tree (depth 4)",
                "Random forest (200 trees)", "Gradient boosting (100 trees)"}
    assert set(rows) == expected, rows
    best = max(rows, key=lambda name: float(rows[name]))
    assert f"The best score here, {rows[best]}, belongs to the {best}" in body
    figures = re.findall(r"<figure\b.*?</figure>", content, re.S)
    assert len(figures) == 8, len(figures)
    for figure in figures:
        assert "<figcaption" in figure


def test_convnet_chapter_numbers_come_from_the_run(build_log):
    content = page("ch05_convnets")
    body = flat(content)
    assert len(glued(content)) >= 30, glued(content)

    # The notes' shapes and parameter counts, in the summary and the prose.
    assert "The sizes go 28 → 26 → 13 → 11 → 5 → 3." in body
    assert "3×3×64 feature map" in body and "a vector of 576 values" in body
    total = re.search(r"Total params: ([\d,]+)", body).group(1)
    assert total == "93,322"
    assert "for a total of 93,322, the figures of the course notes" in body
    for count in ("320", "18,496", "36,928", "650"):
        assert f"= {count:>6}" in body or f"= {count}" in body, count

    # The NumPy reference functions agree with Keras on the page.
    assert body.count("equal to Conv2D: True") == 4
    assert "equal to MaxPooling2D: True" in body
    assert "Conv2D: (26, 26, 2) conv2d: (26, 26, 2)" in body

    # The test accuracy: printed, glued, above the floor, and in the table.
    printed = re.search(r"test loss: [\d.]+ test accuracy: (0\.\d{4})", body)
    assert printed, "the convnet's evaluation output is missing"
    acc = float(printed.group(1))
    assert acc >= 0.885
    glued_acc = re.search(r"The convnet classifies (0\.\d{3}) of the test", body)
    assert abs(float(glued_acc.group(1)) - acc) <= 0.00051
    table = re.search(r"<table.*?</table>", content, re.S).group(0)
    rows = [flat(r) for r in re.findall(r"<tr.*?</tr>", table, re.S)]
    assert len(rows) == 4, rows
    cells = [re.search(r"(0\.\d{4}) ([\d,]+) ([\d.]+)\s*$", r) for r in rows[1:]]
    dense, conv, better = (c.groups() for c in cells)
    assert conv[:2] == (f"{acc:.4f}", "93,322")
    assert dense[1] == "407,050" and better[1] == "93,322"
    assert float(conv[0]) > float(dense[0])  # "the convnet makes fewer mistakes"
    assert float(conv[2]) > float(dense[2])  # "It is also slower"
    assert f"against {float(dense[0]):.3f}" in body

    # The regularized convnet: the 0.90 floor, printed, glued, in the table.
    better_printed = re.search(r"test accuracy: (0\.\d{4}) parameters: 93,322", body)
    assert better_printed and better_printed.group(1) == better[0]
    assert float(better[0]) >= 0.90
    assert f"reaches {float(better[0]):.3f}" in body
    epochs = re.findall(r"Epoch (\d+)/(?:5|10) - loss", body)
    assert epochs == ["1", "2", "3", "4", "5"] * 2 + [str(e) for e in range(1, 11)]


def test_convnet_chapter_shows_its_figures(build_log):
    content = page("ch05_convnets")
    for start in ("Three panels. Left, a grayscale ankle boot",
                  "Thirty-two tiny 3 by 3 pixel",
                  "A grid of small heat maps in five rows",
                  "A 10 by 10 confusion matrix",
                  "A grid of 18 grayscale Fashion-MNIST test images"):
        assert re.search(rf'<img alt="{re.escape(start)}', content), start
    for name in ("T-shirt/top", "Ankle boot"):
        assert name in flat(content)


def test_chapter_3_test_figures_come_from_the_run(build_log):
    body = flat(page("ch03_getting_started"))
    accuracies = re.findall(r"test loss: \d\.\d{4} test accuracy: (0\.\d{4})", body)
    assert len(accuracies) == 3, accuracies  # Fashion-MNIST, IMDB, Reuters
    _, imdb, reuters = map(float, accuracies)
    assert imdb >= 0.86 and reuters >= 0.76
    glued_imdb = re.search(r"reaches a test accuracy of (0\.\d{3})", body).group(1)
    assert abs(float(glued_imdb) - imdb) <= 0.00051
    glued_reuters = re.search(r"The network reaches (0\.\d{3}) test accuracy", body)
    assert abs(float(glued_reuters.group(1)) - reuters) <= 0.00051
    baseline = re.search(r"random baseline accuracy: (0\.\d{4})", body).group(1)
    assert f"a random classifier reaches {float(baseline):.3f}" in body

    mae = float(re.search(r"test MAE: (\d\.\d{3}) thousand \$", body).group(1))
    assert mae <= 3.0
    dollars = re.search(r"off by \$([\d,]+) on average on the test houses", body)
    assert dollars, "the glued test MAE in dollars is missing"
    assert abs(int(dollars.group(1).replace(",", "")) - mae * 1000) <= 1


def test_chapter_3_retrains_for_the_epochs_it_picked(build_log):
    body = flat(page("ch03_getting_started"))
    for name, pattern in (
        ("IMDB", r"The validation loss is lowest after epoch (\d+)"),
        ("Reuters", r"starts to overfit after epoch (\d+)"),
        ("Boston", r"smoothed validation MAE is lowest at epoch (\d+)"),
    ):
        match = re.search(pattern, body)
        assert match, f"{name}: the glued best epoch is missing"
        best = int(match.group(1))
        if name != "Boston":  # the final Boston model trains without a log
            assert f"Epoch {best}/{best} -" in body, (name, best)
    vectorize = re.search(r"speed-up: (\d+\.\d)x", body).group(1)
    assert f"is {vectorize} times as fast" in body


def test_api_reference_documents_chapter_3_modules(build_log):
    content = page("api")
    for name in ("dlbook.text.vectorize_sequences", "dlbook.text.to_one_hot",
                 "dlbook.text.decode_sequence", "dlbook.crossval.k_fold_validate",
                 "dlbook.history.smooth_curve", "dlbook.history.best_epoch",
                 "dlbook.plotting.plot_history", "dlbook.models.build_imdb_model",
                 "dlbook.models.build_reuters_model",
                 "dlbook.models.build_and_compile_boston_model"):
        assert f'id="{name}"' in content, name


def test_chapter_3_enforces_its_floors(build_log):
    results = json.loads((HTML / "results.json").read_text(encoding="utf-8"))
    recorded = {r["key"]: r for r in results["results"]}
    for key, floor, higher in (("ch3-imdb", 0.86, True),
                               ("ch3-reuters", 0.76, True),
                               ("ch3-boston-test", 3.0, False)):
        assert key in recorded, f"chapter 3 no longer records {key!r}"
        assert recorded[key]["chapter"] == "ch03_getting_started"
        assert (recorded[key]["floor"], recorded[key]["higher_is_better"]) == (
            floor, higher), f"chapter 3 changed the floor of {key!r}"


def test_results_json_matches_the_pages_that_record_them(build_log):
    results = json.loads((HTML / "results.json").read_text(encoding="utf-8"))
    keys = [r["key"] for r in results["results"]]
    assert len(keys) == len(set(keys)) >= 8
    for result in results["results"]:
        assert result["meets_floor"], result
        assert (HTML / result["page"]).is_file(), result["page"]
        if result["source"]:
            assert result["source"] in results["sources"]
    table = flat(page("results")).replace("\u2019", "'")  # smart quotes
    for result in results["results"]:
        assert result["description"] in table
        assert format_value(result["value"]) in table


def _tables_of(content):
    """Each HTML table of a page as a list of rows, each a list of cell texts."""
    tables = []
    for table in re.findall(r"<table.*?</table>", content, re.S):
        rows = []
        for row in re.findall(r"<tr.*?</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([flat(c).strip() for c in cells])
        tables.append(rows)
    return tables


def _table_starting(content, header):
    for rows in _tables_of(content):
        if rows and rows[0] and rows[0][0] == header:
            return rows
    raise AssertionError(f"no table whose first column is {header!r}")


def test_chapter_4_variants_table_comes_from_the_run(build_log):
    content = page("ch04_fundamentals")
    body = flat(content)
    assert len(glued(content)) >= 60, len(glued(content))
    rows = _table_starting(content, "network")
    names = [r[0] for r in rows[1:]]
    assert names == ["original (16 units)", "smaller (4 units)",
                     "bigger (512 units)", "L2 (0.001)", "L1 (0.001)",
                     "L1 + L2 (0.001 each)", "dropout (0.5)"], names
    test_accs = {r[0]: float(r[-1]) for r in rows[1:]}
    # each variant's one-line summary printed the same test accuracy
    for name, acc in test_accs.items():
        if name.startswith("original"):
            continue
        line = re.search(rf"{re.escape(name)}: lowest validation loss "
                         r"([\d.]+) at epoch (\d+)/\d+, test accuracy (0\.\d{4})",
                         body)
        assert line, name
        assert float(line.group(3)) == acc, name
        row = next(r for r in rows if r[0] == name)
        assert line.group(2) == row[3] and line.group(1) == row[2], name
    highest = re.search(r"the original reaches (0\.\d{4}), and the best of all "
                        r"the variants, the (.+?) network, (0\.\d{4})", body)
    assert highest, "the glued best variant is missing"
    assert float(highest.group(1)) == test_accs["original (16 units)"]
    assert float(highest.group(3)) == max(test_accs.values())
    assert test_accs[highest.group(2)] == max(test_accs.values())
    assert all(acc >= 0.84 for acc in test_accs.values()), test_accs


def test_chapter_4_grid_picks_on_validation_and_tests_once(build_log):
    content = page("ch04_fundamentals")
    body = flat(content)
    rows = _table_starting(content, "units")
    assert len(rows) == 9, rows  # header and the 2 x 2 x 2 configurations
    chosen = [r for r in rows[1:] if "(chosen)" in r[4]]
    assert len(chosen) == 1, rows
    val_accs = [float(r[4].split()[0]) for r in rows[1:]]
    chosen_acc = float(chosen[0][4].split()[0])
    assert chosen_acc == max(val_accs)
    assert f"highest validation accuracy, {chosen_acc:.4f}" in body
    printed = re.findall(r"test loss: [\d.]+ test accuracy: (0\.\d{4})", body)
    assert len(printed) == 1, printed  # the test set is used once, at the end
    tuned = float(printed[0])
    assert tuned >= 0.875
    verdict = "above" if tuned > 0.885 else "not above"
    assert f"test accuracy of {tuned:.4f}, {verdict} the 0.885" in body
    epochs = chosen[0][3]
    assert f"Epoch {epochs}/{epochs} -" in body


def test_chapter_4_checks_the_activation_and_loss_table(build_log):
    content = page("ch04_fundamentals")
    rows = _table_starting(content, "problem type")
    assert len(rows) == 7, rows
    pairs = [(r[1], r[2]) for r in rows[1:]]
    assert pairs == [("sigmoid", "binary_crossentropy"),
                     ("softmax", "categorical_crossentropy"),
                     ("sigmoid", "binary_crossentropy"), ("none", "mse"),
                     ("sigmoid", "mse"), ("sigmoid", "binary_crossentropy")]
    for row in rows[1:]:
        assert float(row[4]) < float(row[3]), row  # the loss fell


def test_chapter_4_protocols_and_pitfalls_are_measured(build_log):
    content = page("ch04_fundamentals")
    body = flat(content)
    rows = _table_starting(content, "protocol")
    holdout, kfold, iterated = rows[1:]
    assert holdout[1] == "16" and kfold[1] == "4" and iterated[1] == "1"
    assert float(kfold[4]) < float(holdout[4])
    assert f"from {holdout[2]} to {holdout[3]} thousand dollars" in body
    sorted_acc = re.search(r"validation accuracy, sorted data: (0\.\d{4})", body)
    assert float(sorted_acc.group(1)) < 0.05
    assert "classes in the last 20%, sorted: [8 9]" in body
    maes = dict(re.findall(r"validation MAE, (random days|the last days): "
                           r"\$([\d.]+)", body))
    assert float(maes["the last days"]) > 5 * float(maes["random days"])
    raw, normalized = re.findall(
        r"4-fold validation MAE, (?:raw|normalized) features: +([\d.]+)", body)
    assert f"from {raw} to {normalized} thousand dollars" in body
    assert float(normalized) < float(raw)


def test_chapter_4_enforces_its_floors():
    source = (ROOT / "book" / "ch04_fundamentals.md").read_text(encoding="utf-8")
    for check in ('"ch4-imdb-tuned"', "floor=0.875", "reference=0.885",
                  "assert kfold_maes.std() < holdout_maes.std()",
                  "assert normalized_mae < 0.8 * raw_mae"):
        assert check in source, f"chapter 4 lost its check {check!r}"


def test_build_report_shows_the_benchmark_report(build_log):
    from dlbook_site.inputs import inputs_digest

    from benchmarks.report import GOALS, format_seconds

    report = json.loads((ROOT / "benchmarks" / "report.json").read_text())
    content = page("benchmarks")
    body = flat(content)
    goals = _table_starting(content, "Goal")
    assert [row[0].replace("\u2019", "'") for row in goals[1:]] == [
        name for name, _, _ in GOALS]
    builds = _table_starting(content, "Build")
    assert [row[0] for row in builds[1:]] == [
        b["scenario"] for b in report["builds"]]
    for row, build in zip(builds[1:], report["builds"], strict=True):
        assert row[1] == format_seconds(build["seconds"])
        assert row[2] == str(build["notebooks_executed"])
    models = _table_starting(content, "Model")
    assert [row[0] for row in models[1:]] == [m["name"] for m in report["models"]]
    assert f"on commit {report['commit'][:7]}" in body
    # The page warns exactly when the inputs differ from those measured.
    stale = report["inputs_digest"] != inputs_digest(ROOT)
    assert ("The book's sources have changed" in body) == stale
    # MyST-NB's own table of this build's execution lists every chapter.
    executed = [row[0] for row in _table_starting(content, "Document")[1:]]
    assert executed == NOTEBOOKS


def test_a_missing_benchmark_report_fails_the_build_with_advice(build_log):
    returncode, log = _run_make_html(
        "SPHINXEXTRA=-D dlbook_benchmarks_report=benchmarks/missing.json")
    assert returncode != 0
    assert "no benchmark report at" in log and "run `make benchmark`" in log
    # Leave the site as the other tests expect it. The configuration changed
    # back, so every chapter is read again, its outputs served by the cache:
    # the published notebooks must still hold them.
    _make_html()
    for name in NOTEBOOKS:
        notebook = json.loads(
            (HTML / "_sources" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert any(cell.get("outputs") for cell in notebook["cells"]), name
