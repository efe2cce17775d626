"""The oldest versions that ``dlbook`` declares, and the tests that try them.

``pyproject.toml`` owns the supported ranges: each dependency's lower bound
is the oldest version the book supports. ``make test-oldest``
(``tests/test_fresh_notebook.py``) installs exactly those lower bounds
(:func:`lower_bounds`) into a new environment, runs the package's own unit
tests there (:func:`package_tests`) and one chapter's notebook.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tomllib
from packaging.requirements import Requirement

#: The project's own code that is not the package: a test that imports it
#: tests the site or the benchmarks, not what a reader installs.
NOT_THE_PACKAGE = ("dlbook_site", "benchmarks")


def lower_bounds(pyproject: Path, extras: tuple[str, ...] = ("notebook",)
                 ) -> list[str]:
    """The package's dependencies pinned at their lower bounds.

    Every dependency (and those of ``extras``) with a ``>=`` bound becomes
    ``name==bound``; one without a lower bound stays as it is, for pip to
    pick.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "pyproject.toml"
    >>> _ = path.write_text('[project]\\ndependencies = ["numpy>=1.26.0,<3"]\\n'
    ...                     '[project.optional-dependencies]\\n'
    ...                     'notebook = ["ipython"]\\n')
    >>> lower_bounds(path)
    ['numpy==1.26.0', 'ipython']
    >>> _ = path.write_text('[project]\\ndependencies = ["numpy>1"]\\n')
    >>> lower_bounds(path, extras=())
    Traceback (most recent call last):
    ...
    ValueError: numpy>1 ... give it an inclusive lower bound (numpy>=X.Y.Z) ...
    """
    project = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]
    declared = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise ValueError(f"{pyproject} declares no extra {extra!r}; it has "
                             f"{sorted(optional)}.")
        declared += optional[extra]
    pinned = []
    for text in declared:
        requirement = Requirement(text)
        operators = {spec.operator for spec in requirement.specifier}
        if operators - {">=", "<", "!="}:
            raise ValueError(
                f"{text} in {pyproject}: the oldest supported version must be "
                f"clear; give it an inclusive lower bound "
                f"({requirement.name}>=X.Y.Z) and, if need be, an upper one.")
        bound = [s.version for s in requirement.specifier if s.operator == ">="]
        pinned.append(f"{requirement.name}=={bound[0]}" if bound
                      else requirement.name)
    return pinned


def imported_modules(path: Path) -> set[str]:
    """The modules a Python file imports, by their full names (absolute only).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "m.py"
    >>> _ = path.write_text("import os.path\\nfrom dlbook import checks\\n"
    ...                     "from . import sibling\\n")
    >>> sorted(imported_modules(path))
    ['dlbook', 'os.path']
    """
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def package_tests(tests: Path) -> list[Path]:
    """The test files that test the package: they import ``dlbook``, not the site.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "test_a.py").write_text("from dlbook.checks import x\\n")
    >>> _ = (folder / "test_b.py").write_text("import dlbook\\nimport dlbook_site\\n")
    >>> _ = (folder / "test_c.py").write_text("import json\\n")
    >>> [p.name for p in package_tests(folder)]
    ['test_a.py']
    """
    return [path for path in sorted(Path(tests).glob("test_*.py"))
            if "dlbook" in (imported := {name.split(".")[0] for name
                                         in imported_modules(path)})
            and not imported & set(NOT_THE_PACKAGE)]
