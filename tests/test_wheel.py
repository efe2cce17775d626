"""The wheel of dlbook that the site publishes, and the site's address."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dlbook_site.notebooks import wheel_of_install_cell
from dlbook_site.wheel import WHEELS_FOLDER, build_wheel, sha256_of, site_url
from tests.conftest import snapshot
from tests.pages import myst_page

ROOT = Path(__file__).resolve().parents[1]


# --- The site's address ---------------------------------------------------------


@pytest.mark.parametrize(("repository", "expected"), [
    ("https://github.com/dlbook/dlbook", "https://dlbook.github.io/dlbook/"),
    ("https://github.com/Some-One/My.Book/", "https://some-one.github.io/My.Book/"),
    ("https://github.com/someone/dlbook.git", "https://someone.github.io/dlbook/"),
    ("https://github.com/someone/Someone.github.io", "https://someone.github.io/"),
])
def test_the_site_is_at_the_repositorys_github_pages_address(repository, expected):
    assert site_url(repository) == expected
    assert site_url(repository, "") == expected  # an empty variable is unset


@pytest.mark.parametrize("repository", [
    "https://gitlab.com/someone/dlbook",
    "https://github.example.com/someone/dlbook",
    "git@github.com:someone/dlbook.git",
    "https://github.com/someone",
    "https://github.com/someone/dlbook/tree/main",
])
def test_an_address_that_is_not_a_github_repository_needs_the_variable(repository):
    with pytest.raises(ValueError, match="Set DLBOOK_SITE_URL"):
        site_url(repository)


@pytest.mark.parametrize(("override", "expected"), [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("https://book.example.org/dl//", "https://book.example.org/dl/"),
])
def test_the_variable_wins_and_always_ends_with_a_slash(override, expected):
    assert site_url("https://gitlab.com/someone/dlbook", override) == expected


@pytest.mark.parametrize("override", ["127.0.0.1:8000", "ftp://host/", "file:///x/"])
def test_a_site_address_that_is_no_web_address_is_refused(override):
    with pytest.raises(ValueError, match="fix DLBOOK_SITE_URL"):
        site_url("https://github.com/dlbook/dlbook", override)


# --- The wheel ------------------------------------------------------------------


def _checkout(tmp_path, name="checkout"):
    """A copy of the package's sources, as another checkout would hold them."""
    copy = tmp_path / name
    (copy / "src").mkdir(parents=True)
    for path in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / path, copy / path)
    shutil.copytree(ROOT / "src" / "dlbook", copy / "src" / "dlbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


def test_the_wheel_holds_dlbook_and_no_build_code(wheel):
    names = zipfile.ZipFile(wheel.path).namelist()
    assert "dlbook/__init__.py" in names
    assert not [n for n in names if n.startswith(("dlbook_site", "benchmarks"))]
    assert not [n for n in names if n.endswith(".pyc")]
    assert wheel.path.name.startswith("dlbook-") and wheel.path.suffix == ".whl"
    assert sha256_of(wheel.path) == wheel.sha256


def test_the_same_source_gives_the_same_bytes_in_any_checkout(
        wheel, tmp_path, monkeypatch):
    # Another checkout: a file's permissions and every time stamp differ, and
    # the caller's SOURCE_DATE_EPOCH is another; the wheel must not change.
    copy = _checkout(tmp_path)
    (copy / "src" / "dlbook" / "checks.py").chmod(0o600)
    os.utime(copy / "src" / "dlbook" / "__init__.py", (1e9, 1e9))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    again = build_wheel(copy, tmp_path / "out")
    assert again.path.name == wheel.path.name
    assert again.sha256 == wheel.sha256
    assert build_wheel(copy, tmp_path / "out").sha256 == wheel.sha256


def test_another_source_gives_another_wheel(wheel, tmp_path):
    copy = _checkout(tmp_path)
    with open(copy / "src" / "dlbook" / "__init__.py", "a") as file:
        file.write("# an edit\n")
    assert build_wheel(copy, tmp_path / "out").sha256 != wheel.sha256


def _git_status():
    done = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=ROOT,
                          capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def test_the_build_writes_nothing_into_the_project(tmp_path):
    copy = _checkout(tmp_path)
    before = snapshot(copy)
    build_wheel(copy, tmp_path / "out")
    assert snapshot(copy) == before
    # Nor into this checkout (no build/, no dlbook.egg-info), ignored files too.
    status = _git_status()
    build_wheel(ROOT, tmp_path / "out")
    assert _git_status() == status


def test_a_failed_build_says_what_to_fix(tmp_path):
    copy = _checkout(tmp_path)
    pyproject = copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'version = "0.1.0"', 'version = "not a version"'))
    with pytest.raises(RuntimeError, match=r"(?s)fix what the log says.*version"):
        build_wheel(copy, tmp_path / "out")


def test_a_folder_without_pyproject_is_refused_with_advice(tmp_path):
    with pytest.raises(FileNotFoundError, match="dlbook_package_root"):
        build_wheel(tmp_path, tmp_path / "out")


# --- The extension, on a tiny Sphinx project ---------------------------------------

CONF = f"""
extensions = ["myst_nb", "dlbook_site.notebooks"]
nb_execution_mode = "off"
suppress_warnings = ["myst-nb.lexer"]
dlbook_site_url = "http://127.0.0.1:8000/"
dlbook_package_root = {str(ROOT)!r}
"""

PAGE = myst_page("""# A chapter

```{code-cell} ipython3
x = 1
```
""")


def _sphinx(tmp_path, builder="html", conf=CONF):
    source, out = tmp_path / "book", tmp_path / "build" / builder
    source.mkdir(exist_ok=True)
    (source / "conf.py").write_text(conf, encoding="utf-8")
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", builder, str(source),
         str(out)], capture_output=True, text=True)
    return run, out


def test_the_built_site_holds_the_wheel_its_notebook_installs(tmp_path, wheel):
    run, site = _sphinx(tmp_path)
    assert run.returncode == 0, run.stderr
    published = sorted((site / WHEELS_FOLDER).rglob("*.whl"))
    assert [p.relative_to(site).as_posix() for p in published] == [
        f"{WHEELS_FOLDER}/{wheel.sha256[:16]}/{wheel.path.name}"]
    assert sha256_of(published[0]) == wheel.sha256
    notebook = json.loads((site / "_sources" / "index.ipynb").read_text())
    url, sha256 = wheel_of_install_cell("".join(notebook["cells"][0]["source"]))
    assert url == "http://127.0.0.1:8000/" + published[0].relative_to(site).as_posix()
    assert sha256 == wheel.sha256


def test_other_builders_publish_no_wheel(tmp_path):
    run, out = _sphinx(tmp_path, "text")
    assert run.returncode == 0, run.stderr
    assert not list(tmp_path.rglob("*.whl"))


def test_an_html_build_without_the_sites_address_fails_with_advice(tmp_path):
    run, _ = _sphinx(tmp_path, conf=CONF.replace(
        'dlbook_site_url = "http://127.0.0.1:8000/"', ""))
    assert run.returncode != 0
    assert "dlbook_site_url" in run.stderr and "DLBOOK_SITE_URL" in run.stderr
