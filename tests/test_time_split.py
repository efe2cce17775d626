"""The kernel's time split: a sampler that tells training from plotting."""

import json
import time
import types
from pathlib import Path

import pytest

from dlbook_site import time_split
from dlbook_site.time_split import KIND_NAMES, SPLIT_VARIABLE, classify, share_out

CELL = ("/tmp/ipykernel_1/123.py", "<module>")


@pytest.mark.parametrize(("frame", "kind"), [
    (("/v/keras/src/backend/tensorflow/trainer.py", "fit"), "training"),
    (("/v/tensorflow/python/eager/backprop.py", "gradient"), "training"),
    (("/v/keras/src/backend/tensorflow/trainer.py", "evaluate"), "evaluation"),
    (("/v/keras/src/backend/tensorflow/trainer.py", "predict"), "evaluation"),
    (("/v/matplotlib/figure.py", "savefig"), "plotting"),
    (("/p/src/dlbook/datasets.py", "load_imdb"), "data"),
    (("<frozen importlib._bootstrap>", "_find_and_load"), "imports"),
    (("/v/keras/src/layers/core/dense.py", "build"), "other"),
])
def test_each_kind_is_told_by_its_frames(frame, kind):
    assert classify([CELL, frame]) == kind


def test_the_outermost_match_decides():
    # fit evaluates the validation data itself: that is training time.
    stack = [CELL, ("/v/keras/src/backend/tensorflow/trainer.py", "fit"),
             ("/v/keras/src/backend/tensorflow/trainer.py", "evaluate")]
    assert classify(stack) == "training"


def test_a_cell_time_is_shared_in_proportion():
    assert share_out(4.0, {"training": 1, "other": 3}) == {
        "training": 1.0, "other": 3.0}
    assert share_out(0.5, {}) == {"other": 0.5}


def _busy_in(path, seconds):
    """Run a busy loop whose frame says it is in ``path``."""
    code = compile("def busy(seconds):\n"
                   "    end = clock() + seconds\n"
                   "    while clock() < end:\n"
                   "        pass\n", path, "exec")
    namespace = {"clock": time.perf_counter}
    exec(code, namespace)
    namespace["busy"](seconds)


def test_a_kernel_writes_its_split_after_each_cell(tmp_path):
    target = tmp_path / "split" / "ch01.json"
    events = types.SimpleNamespace(callbacks={})
    events.register = lambda name, hook: events.callbacks.setdefault(name, hook)
    split = time_split.install(types.SimpleNamespace(events=events),
                               {SPLIT_VARIABLE: str(target)})
    split.interval = 0.002
    events.callbacks["pre_run_cell"](None)
    _busy_in("/v/matplotlib/figure.py", 0.3)
    _busy_in("/cell.py", 0.1)
    events.callbacks["post_run_cell"](None)
    written = json.loads(target.read_text())
    assert set(written["seconds"]) == set(KIND_NAMES)
    assert len(written["cells"]) == 1
    seconds = written["seconds"]
    assert sum(seconds.values()) == pytest.approx(0.4, abs=0.05)
    assert seconds["plotting"] > 2 * seconds["other"] > 0


def test_without_the_variable_nothing_is_sampled():
    events = types.SimpleNamespace(register=lambda *args: pytest.fail(args))
    assert time_split.install(types.SimpleNamespace(events=events), {}) is None


def test_the_sampler_keeps_no_frame_and_so_no_array_alive():
    """A sampled frame must not outlive its call: its locals would stay too."""
    import weakref

    import numpy as np

    split = time_split.TimeSplit(Path("/nonexistent/split.json"), interval=0.002)
    split.write = lambda: None
    split.start()
    refs = []

    def work():
        big = np.ones(1000)
        refs.append(weakref.ref(big))
        _busy_in("/v/matplotlib/figure.py", 0.05)

    split.pre_run_cell()
    work()
    split.post_run_cell()  # sampling stops here, with a frame of work() last seen
    time.sleep(0.02)
    assert refs[0]() is None, "the sampler kept a finished frame alive"
