"""dlbook_site.oldest_versions, on the project's own pyproject.toml and tests."""

import tomllib
from packaging.requirements import Requirement

from dlbook_site.oldest_versions import (
    NOT_THE_PACKAGE,
    lower_bounds,
    package_tests,
)
from tests.conftest import ROOT


def test_every_declared_dependency_is_pinned_at_its_lower_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [Requirement(r) for r in
                [*project["dependencies"],
                 *project["optional-dependencies"]["notebook"]]]
    pinned = [Requirement(r) for r in lower_bounds(ROOT / "pyproject.toml")]
    assert [r.name for r in pinned] == [r.name for r in declared]
    for wanted, got in zip(declared, pinned, strict=True):
        bounds = [s.version for s in wanted.specifier if s.operator == ">="]
        assert str(got.specifier) == (f"=={bounds[0]}" if bounds else "")
        # The pin lies in the declared range.
        assert not bounds or wanted.specifier.contains(bounds[0])


def test_the_package_tests_cover_its_modules_and_leave_out_the_site():
    selected = package_tests(ROOT / "tests")
    # Each module of the package with a test file of its own is tested...
    modules = {p.stem for p in (ROOT / "src" / "dlbook").glob("*.py")}
    own = {p for p in (ROOT / "tests").glob("test_*.py")
           if p.stem.removeprefix("test_") in modules}
    assert own and own <= set(selected)
    # ... and no selected file needs the site's build code.
    for path in selected:
        text = path.read_text(encoding="utf-8")
        assert not any(f"import {name}" in text or f"from {name}" in text
                       for name in NOT_THE_PACKAGE), path.name
