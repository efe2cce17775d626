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


def _make_html():
    result = subprocess.run(
        ["make", "--no-print-directory", "html"], cwd=ROOT,
        capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"make html failed:\n{log[-6000:]}"
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


def test_first_network_numbers_come_from_the_run(build_log):
    content = page("ch02_building_blocks")
    values = glued(content)
    assert len(values) >= 7, values
    body = text_of(content)
    printed = re.search(r"test accuracy: (0\.\d{4})", body)
    assert printed, "the evaluation cell's output is missing"
    test_acc = float(printed.group(1))
    assert test_acc >= 0.87
    assert f"The test accuracy is {test_acc:.3f}" in re.sub(r"\s+", " ", body)
    total = re.search(r"Total params: ([\d,]+)", body).group(1)
    assert f"The model has {total} weights" in re.sub(r"\s+", " ", body)
    assert "The training set holds 60,000 images" in re.sub(r"\s+", " ", body)
    assert 'class="cell_output' in content and "<img" in content


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
