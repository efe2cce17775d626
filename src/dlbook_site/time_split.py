"""Where a chapter's execution time goes: training, evaluation, data, plotting.

When the build sets :data:`SPLIT_VARIABLE` (``make benchmark`` does, for its
cold build), each chapter's kernel times every cell it runs and samples its
main thread's Python stack every :data:`INTERVAL` seconds from a second
thread. Each sample counts for the first frame on the stack, from the
outermost in, that matches one of :data:`KINDS` (inside ``Model.fit``:
training, whatever ``fit`` calls; inside ``matplotlib``: plotting...), or
for ``"other"`` (the cells' own code, building models, the demonstrations).
A cell's wall time is shared out in proportion to its samples, and the
chapter's split, in seconds, is written after every cell to the JSON file
that the variable names.

Why a sampler of its own: a profiler that hooks every Python call
(cProfile, pyinstrument) slowed chapter 1 from 22 s to 56 s under
pyinstrument, and the Python-heavy chapter 2 far more, which distorts the
very split it measures; an external one (py-spy) needs the right to trace
another process. Reading ``sys._current_frames()`` (documented in the
standard library) every 10 ms costs about a millisecond per second.

Only the standard library is used: the kernel imports this module at its
start.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

#: The environment variable naming the file where a kernel writes its split.
SPLIT_VARIABLE = "DLBOOK_TIME_SPLIT"
#: Seconds between two samples of the main thread's stack.
INTERVAL = 0.01

#: What counts as what: (kind, [(path fragment, function name or "*")]).
#: The first frame from the outermost in that matches any rule decides.
KINDS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("training", (
        ("keras/src/backend/", "fit"),
        ("keras/src/backend/", "train_on_batch"),
        ("tensorflow/python/eager/backprop.py", "gradient"),
        ("keras/src/optimizers/", "apply_gradients"),
        ("keras/src/optimizers/", "apply"),
        ("sklearn/", "fit"),
        ("sklearn/", "fit_transform"),
        ("sklearn/", "fit_predict"),
        # A tf.function that a cell calls itself (fit, evaluate and predict
        # call theirs, but they come first on the stack): in this book,
        # chapter 2's training loop from scratch.
        ("tensorflow/python/eager/polymorphic_function/", "__call__"),
    )),
    ("evaluation", (
        ("keras/src/backend/", "evaluate"),
        ("keras/src/backend/", "predict"),
        ("keras/src/backend/", "test_on_batch"),
        ("keras/src/backend/", "predict_on_batch"),
        ("sklearn/", "predict"),
        ("sklearn/", "score"),
        ("sklearn/metrics/", "*"),
    )),
    ("plotting", (
        ("matplotlib/", "*"),
        ("matplotlib_inline/", "*"),
        ("schemdraw/", "*"),
        ("dlbook/plotting.py", "*"),
        ("dlbook/diagrams.py", "*"),
    )),
    ("data", (
        ("dlbook/datasets.py", "*"),
        ("keras/src/datasets/", "*"),
        ("dlbook/text.py", "*"),
    )),
    ("imports", (
        ("<frozen importlib._bootstrap", "*"),
    )),
)
#: Every kind a split reports, "other" last.
KIND_NAMES = tuple(kind for kind, _ in KINDS) + ("other",)


def classify(stack: Iterable[tuple[str, str]]) -> str:
    """The kind of work a stack sample is doing.

    Parameters
    ----------
    stack : iterable of (str, str)
        ``(file path, function name)`` of each frame, outermost first.

    Examples
    --------
    >>> classify([("/tmp/ipykernel_1/2.py", "<module>"),
    ...           ("/v/keras/src/backend/tensorflow/trainer.py", "fit"),
    ...           ("/v/matplotlib/figure.py", "draw")])
    'training'
    >>> classify([("/tmp/ipykernel_1/2.py", "<module>"),
    ...           ("/v/matplotlib/pyplot.py", "subplots")])
    'plotting'
    >>> classify([("/tmp/ipykernel_1/2.py", "<module>")])
    'other'
    """
    for path, function in stack:
        path = path.replace("\\", "/")
        for kind, rules in KINDS:
            for fragment, name in rules:
                if fragment in path and name in ("*", function):
                    return kind
    return "other"


def share_out(seconds: float, samples: Mapping[str, int]) -> dict[str, float]:
    """Share a cell's wall time among kinds, in proportion to its samples.

    A cell with no sample (it ran in less than one interval) counts as
    ``"other"``.

    Examples
    --------
    >>> share_out(2.0, {"training": 3, "plotting": 1})
    {'training': 1.5, 'plotting': 0.5}
    >>> share_out(0.004, {})
    {'other': 0.004}
    """
    total = sum(samples.values())
    if total == 0:
        return {"other": seconds}
    return {kind: seconds * count / total for kind, count in samples.items()}


def _stack(frame) -> list[tuple[str, str]]:
    stack = []
    while frame is not None:
        stack.append((frame.f_code.co_filename, frame.f_code.co_name))
        frame = frame.f_back
    stack.reverse()
    return stack


class TimeSplit:
    """Times a kernel's cells and samples what its main thread is doing."""

    def __init__(self, path: Path, interval: float = INTERVAL):
        self.path = Path(path)
        self.interval = interval
        self.main = threading.main_thread().ident
        self.totals = dict.fromkeys(KIND_NAMES, 0.0)
        self.cells: list[dict] = []
        self._samples: dict[str, int] | None = None
        self._started = 0.0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._sample, daemon=True,
                                        name="dlbook-time-split")

    def start(self) -> None:
        self._thread.start()

    def _sample(self) -> None:
        while True:
            time.sleep(self.interval)
            with self._lock:
                if self._samples is None:
                    continue
                # No reference to a frame outlives the sample: a frame kept
                # alive keeps its locals (large arrays) alive with it.
                kind = classify(_stack(sys._current_frames().get(self.main)))
                self._samples[kind] = self._samples.get(kind, 0) + 1

    def pre_run_cell(self, info=None) -> None:
        with self._lock:
            self._samples = {}
            self._started = time.perf_counter()

    def post_run_cell(self, result=None) -> None:
        with self._lock:
            if self._samples is None:
                return
            seconds = time.perf_counter() - self._started
            split = share_out(seconds, self._samples)
            self._samples = None
        for kind, share in split.items():
            self.totals[kind] += share
        self.cells.append({"seconds": round(seconds, 4),
                           **{k: round(v, 4) for k, v in split.items()}})
        self.write()

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps({
            "interval": self.interval,
            "seconds": {k: round(v, 3) for k, v in self.totals.items()},
            "cells": self.cells,
        }, indent=1), encoding="utf-8")
        os.replace(scratch, self.path)


def read_split(path: Path) -> dict[str, float] | None:
    """A chapter's seconds by kind, as its kernel wrote them; None if absent."""
    try:
        return dict(json.loads(Path(path).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def install(ipython, environ: Mapping[str, str] | None = None) -> TimeSplit | None:
    """Split this kernel's time, if the build asked for it; else do nothing."""
    environ = os.environ if environ is None else environ
    target = environ.get(SPLIT_VARIABLE)
    if not target or ipython is None:
        return None
    split = TimeSplit(Path(target))
    ipython.events.register("pre_run_cell", split.pre_run_cell)
    ipython.events.register("post_run_cell", split.post_run_cell)
    split.start()
    return split
