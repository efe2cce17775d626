"""The API reference documents every module on a page of its own.

``book/api.md`` lists the modules of ``dlbook`` and of the site's build code
(``dlbook_site``) in autosummary tables and links their pages in hidden
toctrees; each module's page, ``book/api/NAME.md`` or
``book/api/site/NAME.md``, holds its ``automodule``. The modules are read
from the packages' folders, so a new module without its page fails here.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

#: Each package, and the folder of the book that holds its modules' pages.
PACKAGES = {"dlbook": "api", "dlbook_site": "api/site"}


def _modules(package: str) -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(ROOT / "src" / package)]))


def _blocks(text: str, directive: str) -> list[str]:
    """The entries of every ``directive`` block of a MyST page (its indented
    or bare lines after the options)."""
    entries = []
    for body in re.findall(r"```\{" + directive + r"\}\n(.*?)```", text, re.S):
        entries += [line.strip() for line in body.splitlines()
                    if line.strip() and not line.strip().startswith(":")]
    return entries


def _autosummary(text: str) -> list[str]:
    entries = []
    for body in re.findall(r"\.\. autosummary::\n(.*?)```", text, re.S):
        entries += [line.strip() for line in body.splitlines() if line.strip()]
    return entries


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_has_its_page_and_a_row_in_the_reference(package):
    folder = PACKAGES[package]
    overview = (BOOK / "api.md").read_text(encoding="utf-8")
    modules = _modules(package)
    assert modules, f"no module found in src/{package}"
    missing = [m for m in modules if not (BOOK / folder / f"{m}.md").is_file()
               or f".. automodule:: {package}.{m}\n" not in
               (BOOK / folder / f"{m}.md").read_text(encoding="utf-8")]
    assert not missing, (
        f"modules of {package} without a page in book/{folder}/ that "
        f"documents them with automodule: {missing}")
    listed = [e for e in _autosummary(overview) if e.startswith(f"{package}.")]
    assert sorted(listed) == [f"{package}.{m}" for m in modules]
    pages = [e for e in _blocks(overview, "toctree")
             if e.rsplit("/", 1)[0] == folder]
    assert sorted(pages) == [f"{folder}/{m}" for m in modules]
