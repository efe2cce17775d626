"""The book's training work against the machine's limit, as one ratio.

Each chapter records how many steps each of its trainings took
(:func:`dlbook.provenance.record_training`); the benchmark counts each
model's training FLOPs per sample (:mod:`benchmarks.flops`) and the rate of
one large matrix product (the bound). Their product, summed over the
book, is the training work; at the bound it would take ``bound_seconds``.
Against the chapters' total execution time, that says how far the cold
build is from what the hardware allows: a ratio of 1 would be a build that
does nothing but train at the speed of a large matrix product.

Counted: the trainings that chapters record (the benchmarks' registry).
Not counted: what no chapter records (chapter 2's NumPy logistic
regression, chapter 4's one-batch probes), evaluation and prediction. A
step counts a full batch, so an epoch's last, partial batch is counted as
full (at most one batch per epoch).
"""

from __future__ import annotations


def book_training(steps: dict[str, dict], models: list[dict],
                  flops_per_second: float, chapters: list[dict]) -> dict:
    """The book's training FLOPs, their time at the bound, and the ratio.

    Parameters
    ----------
    steps : dict
        ``name -> {"doc", "steps", "batch_size"}``, from
        :func:`benchmarks.registry.read_training_steps`.
    models : list of dict
        The report's ``models``: ``name`` and ``flops_per_sample`` each.
    flops_per_second : float
        The matrix product's rate.
    chapters : list of dict
        The report's ``chapters``: ``doc`` and ``seconds`` (execution time).

    Returns
    -------
    dict
        ``flops``, ``bound_seconds``, ``execution_seconds``, ``ratio``
        (bound over execution), ``per_chapter`` (the same per chapter) and
        ``not_counted`` (trainings without a step count or FLOP count).

    Examples
    --------
    >>> work = book_training(
    ...     {"a": {"doc": "ch01", "steps": 100, "batch_size": 10}},
    ...     [{"name": "a", "flops_per_sample": 1e6}], 1e9,
    ...     [{"doc": "ch01", "seconds": 10.0}])
    >>> work["flops"], work["bound_seconds"], work["ratio"]
    (1000000000.0, 1.0, 0.1)
    """
    per_sample = {m["name"]: m.get("flops_per_sample") for m in models}
    seconds = {c["doc"]: c.get("seconds") or 0.0 for c in chapters}
    per_chapter = {doc: {"flops": 0.0, "trainings": 0} for doc in seconds}
    not_counted = []
    for name, training in sorted(steps.items()):
        flops = per_sample.get(name)
        if training.get("steps") is None or flops is None:
            not_counted.append(name)
            continue
        chapter = per_chapter.setdefault(training["doc"],
                                         {"flops": 0.0, "trainings": 0})
        chapter["flops"] += flops * training["batch_size"] * training["steps"]
        chapter["trainings"] += 1
    for doc, chapter in per_chapter.items():
        chapter["bound_seconds"] = chapter["flops"] / flops_per_second
        chapter["execution_seconds"] = seconds.get(doc, 0.0)
        chapter["ratio"] = (chapter["bound_seconds"] / chapter["execution_seconds"]
                            if chapter["execution_seconds"] else None)
    total = sum(c["flops"] for c in per_chapter.values())
    execution = sum(seconds.values())
    bound = total / flops_per_second
    return {"flops": total, "flops_per_second": flops_per_second,
            "bound_seconds": bound, "execution_seconds": execution,
            "ratio": bound / execution if execution else None,
            "per_chapter": dict(sorted(per_chapter.items())),
            "not_counted": not_counted}
