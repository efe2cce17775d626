"""The book's reading order, from its table of contents."""

from __future__ import annotations


def reading_order(env) -> list[str]:
    """The documents in the order of the table of contents, then the rest.

    Parameters
    ----------
    env : sphinx.environment.BuildEnvironment
        Needs ``config.root_doc``, ``found_docs`` and ``toctree_includes``.

    Returns
    -------
    list of str
        Document names: the root, then each toctree entry depth first, then
        any document no toctree includes, sorted.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> env = SimpleNamespace(
    ...     config=SimpleNamespace(root_doc="index"),
    ...     found_docs={"index", "ch2", "ch1", "orphan"},
    ...     toctree_includes={"index": ["ch2", "ch1", "missing"]})
    >>> reading_order(env)
    ['index', 'ch2', 'ch1', 'orphan']
    """
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order or docname not in env.found_docs:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    order.extend(sorted(set(env.found_docs) - set(order)))
    return order
