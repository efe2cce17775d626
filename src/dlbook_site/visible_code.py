"""Copying a page's visible code must work: hidden cells define nothing it uses.

A reader copies the code a chapter shows, in order, into their own Python.
Hidden cells (tagged ``remove-cell``) may check what the visible code did,
with ``assert``, ``glue`` or ``record_result``, but a name that a visible
cell reads must not come from one of them: the copied code would stop with
a ``NameError``, or quietly compute something else.

:func:`hidden_names_read` walks a chapter's code cells in order and reports
each name that a visible cell reads while its latest binding is in a hidden
cell. It reads the source (``ast`` for the cell's own statements, in order;
``symtable`` for the globals that its functions, lambdas and comprehensions
read), and executes nothing, so it runs in ``make test`` in a fraction of a
second per chapter. Its limits: a read is attributed to the latest binding
*before* the cell, or to the cell itself once the cell has bound the name;
names reached through ``globals()`` or ``exec``, and objects that a hidden
cell mutates in place, are not seen.

Usage: ``python -m dlbook_site.visible_code book/*.md`` prints each
problem and exits with status 1 if there is one.
"""

from __future__ import annotations

import ast
import builtins
import symtable
import sys
from dataclasses import dataclass
from pathlib import Path

#: Cell tags that keep a cell's code off the page.
HIDDEN_TAGS = frozenset({"remove-cell", "remove-input"})

_TRY = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class CodeCell:
    """One code cell: its source, whether the page shows it, its number."""

    source: str
    hidden: bool
    index: int


@dataclass(frozen=True)
class HiddenName:
    """A name that visible cell ``cell`` reads, last bound by hidden ``by``."""

    name: str
    cell: int
    by: int

    def __str__(self) -> str:
        return (f"visible cell {self.cell} reads {self.name!r}, which hidden "
                f"cell {self.by} defines: define it in a visible cell, or "
                "compute it in the hidden cell under another name")


def _bound_in(node: ast.AST) -> set[str]:
    """Names a top-level statement binds in the module's namespace."""
    names = set()
    for sub in _walk_module_scope(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            names.add(sub.id)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            for alias in sub.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
    return names


def _walk_module_scope(node: ast.AST):
    """``ast.walk`` that does not enter nested scopes' bodies.

    ``node`` itself may be a scope, such as a cell's ``def`` statement: its
    parameters and body are the function's, not the module's.
    """
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if isinstance(current, _SCOPES):
            # What a nested scope evaluates in the module's scope: decorators,
            # defaults, bases, and a comprehension's first iterable.
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
                todo += current.decorator_list + current.args.defaults
                todo += [d for d in current.args.kw_defaults if d is not None]
            elif isinstance(current, ast.Lambda):
                todo += current.args.defaults
            elif isinstance(current, ast.ClassDef):
                todo += current.decorator_list + current.bases
            else:
                todo.append(current.generators[0].iter)
            continue
        todo.extend(ast.iter_child_nodes(current))


def _nested_globals(table: symtable.SymbolTable, binds: bool) -> set[str]:
    """Module-level names that the nested scopes of ``table`` read or bind.

    ``binds=False``: the globals they read; ``binds=True``: those they assign
    through a ``global`` statement.
    """
    names = set()
    for child in table.get_children():
        for symbol in child.get_symbols():
            if binds:
                wanted = symbol.is_declared_global() and symbol.is_assigned()
            else:
                wanted = symbol.is_referenced() and symbol.is_global()
            if wanted:
                names.add(symbol.get_name())
        names |= _nested_globals(child, binds)
    return names


def cell_names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell reads from before it, and the names it binds.

    Parameters
    ----------
    source : str
        The cell's Python code.

    Returns
    -------
    reads, binds : set of str
        ``reads``: names the cell reads before binding them itself (its
        functions' global reads count unless the cell binds the name).
        ``binds``: names the cell binds at module level.

    Raises
    ------
    SyntaxError
        If ``source`` is not Python.

    Examples
    --------
    >>> reads, binds = cell_names("y = x + 1\\ndef f():\\n    return z + y")
    >>> sorted(reads), sorted(binds)
    (['x', 'z'], ['f', 'y'])
    >>> cell_names("total = 0\\ntotal += step")[0] == {"step"}
    True
    """
    tree = ast.parse(source)
    reads: set[str] = set()
    bound: set[str] = set()
    _scan(tree.body, bound, reads)
    table = symtable.symtable(source, "<cell>", "exec")
    bound |= _nested_globals(table, binds=True)
    reads |= _nested_globals(table, binds=False) - bound
    return reads - set(dir(builtins)), bound


def _stored(target: ast.AST) -> set[str]:
    """Names a loop, ``with`` or ``except`` target binds."""
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _read(node: ast.AST, bound: set[str], reads: set[str]) -> None:
    """Add the names ``node`` reads in the module scope and ``bound`` lacks."""
    for sub in _walk_module_scope(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            name = sub.id
        elif isinstance(sub, ast.AugAssign) and isinstance(sub.target, ast.Name):
            name = sub.target.id  # ``x += 1`` reads x first
        else:
            continue
        if name not in bound:
            reads.add(name)


def _scan(statements, bound: set[str], reads: set[str]) -> None:
    """Go through statements in order, compound ones part by part."""
    for st in statements:
        if isinstance(st, (ast.For, ast.AsyncFor)):
            _read(st.iter, bound, reads)
            bound |= _stored(st.target)
            _scan(st.body + st.orelse, bound, reads)
        elif isinstance(st, (ast.With, ast.AsyncWith)):
            for item in st.items:
                _read(item.context_expr, bound, reads)
                if item.optional_vars is not None:
                    bound |= _stored(item.optional_vars)
            _scan(st.body, bound, reads)
        elif isinstance(st, (ast.If, ast.While)):
            _read(st.test, bound, reads)
            _scan(st.body + st.orelse, bound, reads)
        elif isinstance(st, _TRY):
            _scan(st.body, bound, reads)
            for handler in st.handlers:
                if handler.type is not None:
                    _read(handler.type, bound, reads)
                if handler.name:
                    bound.add(handler.name)
                _scan(handler.body, bound, reads)
            _scan(st.orelse + st.finalbody, bound, reads)
        else:
            _read(st, bound, reads)
            bound |= _bound_in(st)


def hidden_names_read(cells) -> list[HiddenName]:
    """Every read of a visible cell whose latest binding is a hidden cell's.

    Parameters
    ----------
    cells : iterable of CodeCell
        A chapter's code cells, in order.

    Returns
    -------
    list of HiddenName
        Empty when the visible code, copied in order, runs on its own.

    Examples
    --------
    >>> cells = [CodeCell("x = 1", hidden=False, index=0),
    ...          CodeCell("n = x * 2", hidden=True, index=1),
    ...          CodeCell("print(n)", hidden=False, index=2)]
    >>> [str(problem.name) for problem in hidden_names_read(cells)]
    ['n']
    >>> hidden_names_read(cells[:2])
    []
    """
    last_binder: dict[str, CodeCell] = {}
    problems = []
    for cell in cells:
        reads, binds = cell_names(cell.source)
        if not cell.hidden:
            for name in sorted(reads):
                binder = last_binder.get(name)
                if binder is not None and binder.hidden:
                    problems.append(HiddenName(name, cell.index, binder.index))
        for name in binds:
            last_binder[name] = cell
    return problems


def chapter_cells(path: Path) -> list[CodeCell]:
    """The code cells of a MyST chapter, read as MyST-NB reads them.

    Parameters
    ----------
    path : Path
        A ``.md`` page with ``{code-cell}`` directives.

    Returns
    -------
    list of CodeCell
        Numbered from 0 among the code cells; ``hidden`` when a tag of
        :data:`HIDDEN_TAGS` keeps the cell's code off the page.
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(Path(path).read_text(encoding="utf-8"))
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return [CodeCell(cell.source,
                     bool(HIDDEN_TAGS & set(cell.metadata.get("tags", []))), i)
            for i, cell in enumerate(code)]


def main(argv=None) -> int:
    """Check each page given on the command line; 1 if any has a problem."""
    status = 0
    for page in argv if argv is not None else sys.argv[1:]:
        for problem in hidden_names_read(chapter_cells(Path(page))):
            print(f"{page}: {problem}")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
