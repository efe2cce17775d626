"""What readers install: the dlbook package alone, with no Sphinx code in it."""

from pathlib import Path

import tomllib
from setuptools import find_packages

from dlbook_site.oldest_versions import imported_modules

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dlbook"
BUILD_ONLY = ("sphinx", "docutils", "dlbook_site", "benchmarks")


def _installed_packages():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    return find_packages(where=str(ROOT / find["where"][0]),
                         include=find.get("include", ("*",)))


def test_pip_installs_dlbook_and_not_the_site_build_code():
    packages = _installed_packages()
    assert "dlbook" in packages
    assert all(p == "dlbook" or p.startswith("dlbook.") for p in packages), packages
    assert (ROOT / "src" / "dlbook_site").is_dir()  # it exists, beside it


def test_no_module_of_dlbook_imports_build_code():
    for path in sorted(PACKAGE.rglob("*.py")):
        for name in sorted(imported_modules(path)):
            assert name.split(".")[0] not in BUILD_ONLY, (
                f"{path.relative_to(ROOT)} imports {name}: readers who pip "
                "install dlbook have no build code; keep it in src/dlbook_site")
