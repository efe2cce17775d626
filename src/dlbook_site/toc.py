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


def chapter_numbers(env) -> dict[str, int]:
    """Each chapter's number: its place in the root's numbered toctree.

    The book numbers its chapters with ``:numbered:`` on the root's toctree
    of chapters, as Sphinx does its section numbers (one numbered toctree,
    numbered from 1); this reads the same order from the root's table of
    contents, which Sphinx has once the root document is read.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from sphinx import addnodes
    >>> from docutils import nodes
    >>> toc = nodes.bullet_list()
    >>> toc += addnodes.toctree(entries=[(None, "api")])
    >>> toc += addnodes.toctree(entries=[(None, "ch1"), (None, "ch2")], numbered=1)
    >>> env = SimpleNamespace(config=SimpleNamespace(root_doc="index"),
    ...                       tocs={"index": toc})
    >>> chapter_numbers(env)
    {'ch1': 1, 'ch2': 2}
    """
    from sphinx import addnodes

    numbers: dict[str, int] = {}
    toc = env.tocs.get(env.config.root_doc)
    if toc is None:
        return numbers
    for toctree in toc.findall(addnodes.toctree):
        if toctree.get("numbered"):
            for _, docname in toctree["entries"]:
                numbers.setdefault(docname, len(numbers) + 1)
    return numbers


def numbered_title(env, docname: str) -> str:
    """A document's title, after its chapter number if it has one: "3. Keras"."""
    title = env.titles[docname].astext() if docname in env.titles else docname
    number = chapter_numbers(env).get(docname)
    return f"{number}. {title}" if number else title
