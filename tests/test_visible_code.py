"""dlbook_site.visible_code: hidden cells define nothing the visible code reads."""

from pathlib import Path

import pytest

from dlbook_site.inputs import notebooks
from dlbook_site.visible_code import (
    CodeCell,
    cell_names,
    chapter_cells,
    hidden_names_read,
    main,
)

ROOT = Path(__file__).resolve().parents[1]


def _cells(*sources):
    """Cells from (source, hidden) pairs."""
    return [CodeCell(src, hidden, i) for i, (src, hidden) in enumerate(sources)]


def _problems(*sources):
    return [(p.name, p.cell, p.by) for p in hidden_names_read(_cells(*sources))]


def test_a_name_only_a_hidden_cell_defines_is_reported_with_both_cells():
    assert _problems(("x = 1", False), ("n = x * 2", True),
                     ("print(n + x)", False)) == [("n", 2, 1)]


def test_a_visible_rebinding_after_the_hidden_one_is_fine():
    assert _problems(("n = 1", True), ("n = 2", False), ("print(n)", False)) == []


def test_a_hidden_rebinding_of_a_visible_name_is_reported():
    # The copied code would read the visible value, not the hidden one.
    assert _problems(("n = 1", False), ("n = n + 1", True),
                     ("print(n)", False)) == [("n", 2, 1)]


def test_hidden_cells_may_read_anything_the_visible_ones_define():
    assert _problems(("n = 1", False), ("assert n == 1", True)) == []


def test_a_visible_function_reading_a_hidden_global_is_reported():
    assert _problems(("limit = 3", True),
                     ("def ok(x):\n    return x < limit", False)) == [("limit", 1, 0)]


def test_names_bound_before_they_are_read_in_the_same_cell_are_local():
    source = ("for units in (1, 2):\n    net = units * 2\n    print(net)\n"
              "with open('f') as handle:\n    text = handle.read()\n"
              "try:\n    pass\nexcept ValueError as error:\n    print(error)\n")
    reads, binds = cell_names(source)
    assert reads == set()
    assert {"units", "net", "handle", "text", "error"} <= binds


def test_augmented_assignment_reads_the_name_first():
    assert _problems(("total = 0", True), ("total += 1", False)) == [("total", 1, 0)]


def test_a_functions_parameters_and_locals_are_neither_read_nor_bound():
    reads, binds = cell_names("def f(x, rate=r):\n    keep = x >= rate\n"
                              "    return x * keep / g")
    assert reads == {"r", "g"} and binds == {"f"}
    assert _problems(("x = 1", True), ("def f(x):\n    return x", False)) == []


def test_imports_and_definitions_bind_and_builtins_are_never_reads():
    reads, binds = cell_names(
        "import numpy as np\nfrom os import path\nclass A:\n    pass\n"
        "print(len(np.zeros(2)), path, A)")
    assert reads == set() and binds == {"np", "path", "A"}


def test_chapter_cells_reads_remove_cell_tags(tmp_path):
    page = tmp_path / "ch.md"
    page.write_text(
        "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n---\n# T\n\n"
        "```{code-cell} ipython3\nx = 1\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\nhidden = x\n```\n\n"
        "```{code-cell} ipython3\nprint(hidden)\n```\n")
    cells = chapter_cells(page)
    assert [c.hidden for c in cells] == [False, True, False]
    assert main([str(page)]) == 1


@pytest.mark.parametrize("page", notebooks(ROOT), ids=lambda p: p.stem)
def test_every_chapters_visible_code_runs_without_its_hidden_cells(page):
    problems = hidden_names_read(chapter_cells(page))
    assert not problems, "\n".join(map(str, problems))
