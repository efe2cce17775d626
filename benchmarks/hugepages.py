"""Large NumPy arrays touched for the first time, with and without huge pages.

On Linux, NumPy asks the kernel for transparent huge pages (``madvise`` with
``MADV_HUGEPAGE``) for the memory of every large array, unless the
environment variable ``NUMPY_MADVISE_HUGEPAGE`` is ``0`` when NumPy is
imported (``hugepage_setup`` in ``numpy/__init__.py``; NumPy's reference,
"Global state"). When the kernel's policy is ``madvise``, each first touch
of such memory then faults in a whole 2 MiB page, which the kernel may first
have to assemble by compacting memory. Where that is slow, every chapter
pays for it each time it makes a large array, such as the multi-hot reviews
or the scaled images.

The Makefile sets ``NUMPY_MADVISE_HUGEPAGE=0`` for everything it runs (the
build's kernels, the tests, the benchmarks). This module measures what that
changes on the machine at hand: each setting makes the same arrays in a
fresh Python process (:func:`first_touch`), alternately, and the best of
the rounds is kept. The arrays are kept alive until the end, so each one
needs memory the process has not touched before.

Each run waits :data:`PAUSE` seconds first. Memory that another process has
just freed can come back as ready-made huge pages, and then quickly: without
the pause, the second run with huge pages was as fast as one with ordinary
pages on the 2-core machine. A machine's free memory has mostly been free
for longer than that, and so has most of what a build's kernels take.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

#: What each fresh process runs: ``python -c SCRIPT BYTES COUNT``. It makes
#: COUNT arrays of BYTES ones (uint8), times that, and reports whether the
#: kernel marked the first array's memory as advised for huge pages (the
#: ``hg`` flag in ``/proc/self/smaps`` of the mapping that holds its middle:
#: NumPy advises from the first page boundary inside the array on).
SCRIPT = """\
import json, sys, time
import numpy as np
size, count = int(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
arrays = [np.ones(size, dtype=np.uint8) for _ in range(count)]
seconds = time.perf_counter() - start
address = arrays[0].__array_interface__["data"][0] + size // 2
advised = None
try:
    with open("/proc/self/smaps") as smaps:
        inside = False
        for line in smaps:
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                low, high = (int(part, 16) for part in head.split("-"))
                inside = low <= address < high
            elif inside and head == "VmFlags:":
                advised = "hg" in line.split()[1:]
                break
except OSError:
    pass
print(json.dumps({"seconds": seconds, "advised": advised}))
"""

#: Seconds each run waits before it starts, so that the memory the previous
#: run freed has been free for a while, as most free memory has.
PAUSE = 10.0

#: The kernel's policy for transparent huge pages, where Linux shows it.
POLICY = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def first_touch(huge_pages: bool, megabytes: int = 128,
                arrays: int = 8) -> dict:
    """Make ``arrays`` arrays of ``megabytes`` MiB in a fresh process.

    Parameters
    ----------
    huge_pages : bool
        NumPy's setting in that process: ``NUMPY_MADVISE_HUGEPAGE`` 1 or 0.
    megabytes, arrays : int
        Size of each array (MiB) and how many are made and kept.

    Returns
    -------
    dict
        ``seconds`` (making all the arrays, ones written to every byte) and
        ``advised`` (whether the kernel marked the memory for huge pages;
        None where ``/proc/self/smaps`` cannot be read).
    """
    environment = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": str(int(huge_pages))}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(megabytes << 20), str(arrays)],
        env=environment, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _policy() -> str | None:
    """The selected policy (``always``, ``madvise`` or ``never``), if shown."""
    try:
        text = POLICY.read_text()
    except OSError:
        return None
    chosen = [word.strip("[]") for word in text.split() if word.startswith("[")]
    return chosen[0] if chosen else None


def huge_page_touch(megabytes: int = 128, arrays: int = 8, rounds: int = 2,
                    pause: float = PAUSE, log=None) -> dict:
    """Time first touches with and without NumPy's huge pages, alternately.

    Parameters
    ----------
    megabytes, arrays : int
        As :func:`first_touch`: 8 arrays of 128 MiB (1 GiB) by default,
        about what a chapter's data takes.
    rounds : int
        Each setting runs this many times, alternating; the best is kept.
    pause : float
        Seconds to wait before each run (:data:`PAUSE`).
    log : callable, optional
        Called with one line per run.

    Returns
    -------
    dict
        ``megabytes`` and ``arrays``, ``rounds``, ``pause``, ``policy`` (the kernel's
        transparent huge page policy), ``advised`` (per setting, whether the
        memory was marked), ``seconds`` (per setting, the best run:
        ``"huge pages"`` is NumPy's default, ``"ordinary pages"`` the
        Makefile's) and ``ratio`` (huge over ordinary: how many times as long
        NumPy's default takes).
    """
    settings = {"huge pages": True, "ordinary pages": False}
    runs = {name: [] for name in settings}
    for _ in range(rounds):
        for name, huge in settings.items():
            time.sleep(pause)
            runs[name].append(first_touch(huge, megabytes, arrays))
            if log:
                log(f"{arrays} × {megabytes} MiB, {name}: "
                    f"{runs[name][-1]['seconds']:.2f} s")
    seconds = {name: min(run["seconds"] for run in done)
               for name, done in runs.items()}
    return {
        "megabytes": megabytes, "arrays": arrays, "rounds": rounds,
        "pause": pause,
        "policy": _policy(),
        "advised": {name: done[0]["advised"] for name, done in runs.items()},
        "seconds": seconds,
        "ratio": seconds["huge pages"] / seconds["ordinary pages"],
    }
