"""Build the real book with Sphinx and check what a reader gets.

Marked slow: a cold build trains the chapters' models (minutes on 2 cores);
with a warm execution cache it takes seconds.
"""

import html
import re
import subprocess
from pathlib import Path

import pytest

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
    epochs = re.findall(r"Epoch (\d)/5 - accuracy: (0\.\d{4})", body)
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
                 "dlbook.text.decode_sequence", "dlbook.validation.k_fold_validate",
                 "dlbook.history.smooth_curve", "dlbook.history.best_epoch",
                 "dlbook.plotting.plot_history", "dlbook.models.build_imdb_model",
                 "dlbook.models.build_reuters_model",
                 "dlbook.models.build_boston_model"):
        assert f'id="{name}"' in content, name


def test_chapter_3_enforces_its_floors():
    source = (ROOT / "book" / "ch03_getting_started.md").read_text(encoding="utf-8")
    for floor in ("assert imdb_acc >= 0.86", "assert reuters_acc >= 0.76",
                  "assert test_mae <= 3.0"):
        assert floor in source, f"chapter 3 lost its check {floor!r}"
