"""The book's headline results: recorded by the chapters, enforced, published.

A chapter calls :func:`record_result` once per headline figure (a test
accuracy, a mean absolute error). The call checks the figure and stores it
in the executed notebook, as a hidden MyST-NB ``glue`` output, so that it
survives in the execution cache; :func:`notebook_results` reads the
figures back from any executed notebook. At build time the book's results
page gathers every recorded figure into one table and into ``results.json``
(the site's ``dlbook_site.results``), beside its spread over seeds
(``make seeds``), and the build fails when a figure falls below the floor
that the spread sets.

Published figures to compare with are named by a key of :data:`SOURCES`,
so that each source is cited once, in full, on the results page.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from dlbook.checks import check_real

#: Published sources of reference figures: key -> (citation, URL).
SOURCES: dict[str, tuple[str, str]] = {
    "chollet2017": (
        "François Chollet, *Deep Learning with Python*, 1st edition, "
        "Manning, 2017",
        "https://www.manning.com/books/deep-learning-with-python",
    ),
    "zalando-benchmark": (
        "Zalando Research, Fashion-MNIST benchmark "
        "(README, 'Benchmark' section)",
        "https://github.com/zalandoresearch/fashion-mnist#benchmark",
    ),
}

#: Prefix of the glue keys under which results are stored.
GLUE_PREFIX = "dlbook-result:"

#: The MIME type of a result in a notebook's outputs.
MIME_TYPE = "application/vnd.dlbook.result+json"

_KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True)
class Result:
    """One headline result of the book, as stored in ``results.json``.

    Attributes
    ----------
    key : str
        Unique, stable identifier, such as ``"imdb-test-accuracy"``.
    value : float
        The figure this build computed.
    description : str
        What was measured, in a few words (shown on the results page).
    metric : str
        The metric's name, such as ``"test accuracy"`` or ``"test MAE (k$)"``.
    higher_is_better : bool
        Whether larger values are better (accuracy) or worse (an error).
    reference : float or None
        A published figure to compare with.
    source : str or None
        Key in :data:`SOURCES` of the publication of ``reference``.
    """

    key: str
    value: float
    description: str
    metric: str
    higher_is_better: bool = True
    reference: float | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        """The result as a JSON-ready dictionary."""
        return asdict(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        # A "+json" type of our own: nbformat keeps it as JSON, also under
        # the prefix that MyST-NB's glue(display=False) adds to its name.
        return {MIME_TYPE: self.to_dict(), "text/plain": repr(self)}


def _finite(name: str, value, allow_none: bool = False) -> float | None:
    if check_real(value, name, allow_none=allow_none) is None:
        return None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}.")
    return float(value)


def make_result(
    key: str,
    value: float,
    *,
    description: str,
    metric: str,
    higher_is_better: bool = True,
    reference: float | None = None,
    source: str | None = None,
) -> Result:
    """Check the arguments of one result and return it as a :class:`Result`.

    Takes the same arguments as :func:`record_result`, which calls it; it
    stores nothing.

    Examples
    --------
    >>> r = make_result("imdb-test-accuracy", 0.88, metric="test accuracy",
    ...                 description="IMDB, dense network",
    ...                 reference=0.885, source="chollet2017")
    >>> r.reference
    0.885
    >>> make_result("Bad Key", 0.5, metric="m", description="d")
    Traceback (most recent call last):
    ...
    ValueError: key must be lower-case words joined by '-' or '_', ...
    """
    if not isinstance(key, str) or not _KEY_PATTERN.match(key):
        raise ValueError(
            "key must be lower-case words joined by '-' or '_', such as "
            f"'imdb-test-accuracy'; got {key!r}."
        )
    for name, text in (("description", description), ("metric", metric)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be a non-empty string, got {text!r}.")
    if (reference is None) != (source is None):
        raise ValueError(
            "reference and source go together: give the published figure "
            "and the key of its source in dlbook.results.SOURCES, or neither."
        )
    if source is not None and source not in SOURCES:
        raise ValueError(
            f"unknown source {source!r}; known sources: "
            f"{', '.join(sorted(SOURCES))}. Add a new one to "
            "dlbook.results.SOURCES with its full citation."
        )
    return Result(
        key=key,
        value=_finite("value", value),
        description=description.strip(),
        metric=metric.strip(),
        higher_is_better=bool(higher_is_better),
        reference=_finite("reference", reference, allow_none=True),
        source=source,
    )


def record_result(
    key: str,
    value: float,
    *,
    description: str,
    metric: str,
    higher_is_better: bool = True,
    reference: float | None = None,
    source: str | None = None,
) -> float:
    """Store a headline result for the results page.

    Call it in a chapter's (hidden) cell after computing the figure. It
    checks the arguments and stores the result in the notebook as a hidden
    glue output named ``"dlbook-result:<key>"``. The build holds each
    figure to a floor set below its worst value over seeds
    (``benchmarks/seeds.json``, written by ``make seeds``), and fails when
    the figure falls short or has not been measured over seeds.

    Parameters
    ----------
    key : str
        Unique, stable identifier: lower-case words joined by ``-`` or ``_``.
    value : float
        The figure this build computed.
    description : str
        What was measured, in a few words.
    metric : str
        The metric's name, such as ``"test accuracy"``.
    higher_is_better : bool, default=True
        False for errors (MAE, loss).
    reference : float, optional
        A published figure to compare with; needs ``source``.
    source : str, optional
        Key in :data:`SOURCES` of the publication of ``reference``.

    Returns
    -------
    float
        ``value``, as a float.

    Examples
    --------
    Outside a notebook build the glue output is simply not shown:

    >>> record_result("boston-test-mae", 2.7, metric="test MAE (k$)",
    ...               description="Boston housing", higher_is_better=False)
    2.7
    >>> record_result("boston-test-mae", float("nan"), metric="test MAE (k$)",
    ...               description="Boston housing", higher_is_better=False)
    Traceback (most recent call last):
    ...
    ValueError: value must be finite, got nan.
    """
    result = make_result(
        key,
        value,
        description=description,
        metric=metric,
        higher_is_better=higher_is_better,
        reference=reference,
        source=source,
    )
    from myst_nb import glue

    glue(GLUE_PREFIX + key, result, display=False)
    return result.value


def notebook_results(notebook) -> list[Result]:
    """The results an executed notebook recorded, in their order.

    Parameters
    ----------
    notebook : mapping
        A notebook (``nbformat`` node or its JSON as a dict) whose cells
        called :func:`record_result`.

    Returns
    -------
    list of Result

    Examples
    --------
    >>> record = make_result("k", 0.9, description="d", metric="m").to_dict()
    >>> cell = {"cell_type": "code", "outputs": [{
    ...     "output_type": "display_data",
    ...     "data": {"application/papermill.record/" + MIME_TYPE: record}}]}
    >>> [(r.key, r.value) for r in notebook_results({"cells": [cell]})]
    [('k', 0.9)]
    """
    results = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            for mime, record in output.get("data", {}).items():
                if mime.endswith(MIME_TYPE):
                    results.append(make_result(**record))
    return results
