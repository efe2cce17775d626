"""What executed output depends on: one digest for the cache, the report, CI."""

import subprocess
import sys
from pathlib import Path

import pytest

from dlbook_site.execution import cache_path, prune_stale_caches
from dlbook_site.inputs import build_inputs, inputs_digest, notebooks

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "---\nfile_format: mystnb\n---\n\n# Chapter\n"


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "src" / "dlbook").mkdir(parents=True)
    (tmp_path / "src" / "dlbook" / "models.py").write_text("UNITS = 512\n")
    (tmp_path / "requirements.lock").write_text("keras==3.15.1\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ch.md").write_text(CHAPTER)
    (tmp_path / "book" / "api.md").write_text("# API\n")
    return tmp_path


def _changes(tree, relative, text, **kwargs):
    before = inputs_digest(tree, **kwargs)
    path = tree / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return inputs_digest(tree, **kwargs) != before


@pytest.mark.parametrize("chapters", [True, False])
def test_the_package_and_the_lock_are_inputs(tree, chapters):
    assert _changes(tree, "src/dlbook/models.py", "UNITS = 256\n",
                    chapters=chapters)
    assert _changes(tree, "src/dlbook/extra.py", "", chapters=chapters)
    assert _changes(tree, "src/dlbook/sub/deep.py", "", chapters=chapters)
    assert _changes(tree, "requirements.lock", "keras==3.16.0\n",
                    chapters=chapters)


@pytest.mark.parametrize("chapters", [True, False])
def test_the_site_code_and_other_pages_are_not(tree, chapters):
    assert not _changes(tree, "src/dlbook_site/results.py", "# Sphinx only\n",
                        chapters=chapters)
    assert not _changes(tree, "book/api.md", "# API, reworded\n",
                        chapters=chapters)
    assert not _changes(tree, "conf.py", "html_title = 'x'\n", chapters=chapters)


def test_chapters_count_for_the_report_but_not_for_the_cache_key(tree):
    # MyST-NB's cache hashes a chapter's code cells itself.
    assert _changes(tree, "book/ch.md", CHAPTER + "More prose.\n")
    assert not _changes(tree, "book/ch.md", CHAPTER + "Prose.\n",
                        chapters=False)


def test_only_mystnb_pages_are_notebooks(tree):
    notes = "# Not executed\n---\nfile_format: mystnb\n"  # not front matter
    (tree / "book" / "notes.md").write_text(notes)
    assert [p.name for p in notebooks(tree)] == ["ch.md"]
    assert build_inputs(tree)[0] == tree / "book" / "ch.md"


def test_a_folder_without_the_lock_is_refused_with_advice(tmp_path):
    with pytest.raises(FileNotFoundError, match="project's top folder"):
        inputs_digest(tmp_path)


def test_make_prints_the_digest_of_this_checkout():
    """The workflow's cache key: `make inputs-digest`, no virtual environment."""
    printed = subprocess.run(
        ["make", "--no-print-directory", "-s", "inputs-digest",
         f"PYTHON={sys.executable}"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert printed == inputs_digest(ROOT)


def test_the_cache_folder_is_keyed_on_the_lock_alone(tree):
    # The package counts per chapter (dlbook_site.dependencies), not here.
    first = cache_path(tree / "cache", tree)
    assert first.parent == tree / "cache"
    (tree / "book" / "ch.md").write_text(CHAPTER + "Prose.\n")
    (tree / "src" / "dlbook" / "models.py").write_text("UNITS = 1\n")
    assert cache_path(tree / "cache", tree) == first
    (tree / "requirements.lock").write_text("keras==3.16.0\n")
    assert cache_path(tree / "cache", tree) != first


def test_stale_caches_go_and_the_current_one_stays(tmp_path):
    for key in ("a", "b", "c"):
        (tmp_path / key).mkdir()
        (tmp_path / key / "cache.db").write_text("")
    removed = prune_stale_caches(tmp_path, tmp_path / "b")
    assert [p.name for p in removed] == ["a", "c"]
    assert [p.name for p in tmp_path.iterdir()] == ["b"]
    assert prune_stale_caches(tmp_path / "missing", tmp_path) == []
