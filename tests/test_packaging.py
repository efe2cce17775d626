"""What readers install: the dlbook package alone, with no Sphinx code in it."""

import ast
from pathlib import Path

import tomllib
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dlbook"
BUILD_ONLY = ("sphinx", "docutils", "dlbook_site", "benchmarks")


def _installed_packages():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    return find_packages(where=str(ROOT / find["where"][0]),
                         include=find.get("include", ("*",)))


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_pip_installs_dlbook_and_not_the_site_build_code():
    packages = _installed_packages()
    assert "dlbook" in packages
    assert all(p == "dlbook" or p.startswith("dlbook.") for p in packages), packages
    assert (ROOT / "src" / "dlbook_site").is_dir()  # it exists, beside it


def test_no_module_of_dlbook_imports_build_code():
    for path in sorted(PACKAGE.rglob("*.py")):
        for name in _imports(path):
            assert name.split(".")[0] not in BUILD_ONLY, (
                f"{path.relative_to(ROOT)} imports {name}: readers who pip "
                "install dlbook have no build code; keep it in src/dlbook_site")
