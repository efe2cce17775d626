"""The execution cache is keyed on the package sources and the lock file."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def conf():
    spec = importlib.util.spec_from_file_location("book_conf", ROOT / "conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "src" / "dlbook").mkdir(parents=True)
    (tmp_path / "src" / "dlbook" / "models.py").write_text("UNITS = 512\n")
    (tmp_path / "requirements.lock").write_text("keras==3.15.1\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ch.md").write_text("# Chapter\n")
    return tmp_path


def test_cache_path_uses_the_key_of_this_checkout(conf):
    assert Path(conf.nb_execution_cache_path).name == conf.execution_key(ROOT)
    assert conf.nb_execution_mode == "cache"
    assert conf.nb_execution_raise_on_error is True


def test_key_changes_with_package_sources(conf, tree):
    before = conf.execution_key(tree)
    (tree / "src" / "dlbook" / "models.py").write_text("UNITS = 256\n")
    assert conf.execution_key(tree) != before


def test_key_changes_with_a_new_module(conf, tree):
    before = conf.execution_key(tree)
    (tree / "src" / "dlbook" / "extra.py").write_text("")
    assert conf.execution_key(tree) != before


def test_key_changes_with_the_lock_file(conf, tree):
    before = conf.execution_key(tree)
    (tree / "requirements.lock").write_text("keras==3.16.0\n")
    assert conf.execution_key(tree) != before


def test_key_ignores_prose(conf, tree):
    before = conf.execution_key(tree)
    (tree / "book" / "ch.md").write_text("# Chapter, reworded\n")
    assert conf.execution_key(tree) == before


def test_key_ignores_the_sites_sphinx_extensions(conf, tree):
    before = conf.execution_key(tree)
    ext = tree / "src" / "dlbook" / "sphinxext"
    ext.mkdir()
    (ext / "results.py").write_text("# runs in Sphinx, never in a kernel\n")
    assert conf.execution_key(tree) == before


def test_one_setting_gives_the_repository_to_every_button(conf):
    options = conf.html_theme_options
    assert options["repository_url"] == conf.repository_url
    assert conf.repository_url.startswith("https://github.com/")
    for button in ("use_repository_button", "use_edit_page_button",
                   "use_issues_button", "use_download_button"):
        assert options[button] is True
