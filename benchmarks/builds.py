"""Time the book's builds: cold, warm, after a prose edit, after a package edit.

Each build is ``make html`` itself, run in a private copy of the project
(the files git tracks or would track) with the real virtual environment
(``VENV=``), timed as a whole process, so the benchmark never touches the
working tree or its execution cache. The environment is make's: the copy's
Makefile puts the copy's ``src`` first on ``PYTHONPATH`` (the chapters'
kernels import the copy's ``dlbook``) and gives it its own ``KERAS_HOME``
and execution cache; the dataset mirror (``DLBOOK_DATA_DIR``) is the one
``make benchmark`` exported. The copy keeps the files' times
(``shutil.copy2``), so its make finds the environment's ``.installed``
stamp newer than ``requirements.lock`` and ``pyproject.toml`` and does not
reinstall it.

While a build runs, every process under it is sampled for its resident
memory; MyST-NB's log says which chapter is executing, and how long it took.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent

#: The edits between builds: (scenario, file, text appended to it).
PROSE_EDIT = ("book/ch01_introduction.md",
              "\nThis sentence was added by the build benchmark.\n")
#: A module that one chapter imports (chapter 5, as its dependency record
#: says): only that chapter executes again.
PACKAGE_EDIT = ("src/dlbook/convolution.py",
                "\n# This comment was added by the build benchmark.\n")
#: Where the cold build's kernels write their time split, in the copy
#: (``dlbook_time_split_folder``, :mod:`dlbook_site.time_split`).
TIME_SPLIT_FOLDER = "_build/time_split"

#: MyST-NB's log lines, which start with the notebook's path.
_EXECUTING = re.compile(r"(?P<path>\S+)\.(?:md|ipynb): Executing notebook")
_CACHED = re.compile(r"(?P<path>\S+)\.(?:md|ipynb): Using cached notebook")
_EXECUTED = re.compile(
    r"(?P<path>\S+)\.(?:md|ipynb): Executed notebook in (?P<seconds>[\d.]+) seconds"
)


def parse_log_line(line: str) -> tuple[str, str, float | None] | None:
    """What one line of the build log says about a notebook, if anything.

    Returns ``(event, doc, seconds)`` with event ``"cached"``,
    ``"executing"`` or ``"executed"`` (only that one has seconds), or None.

    Examples
    --------
    >>> parse_log_line("/p/book/ch01_introduction.md: Executed notebook in "
    ...                "21.50 seconds [mystnb]")
    ('executed', 'ch01_introduction', 21.5)
    >>> parse_log_line("reading sources... [ 50%] ch01_introduction") is None
    True
    """
    for event, pattern in (("cached", _CACHED), ("executing", _EXECUTING),
                           ("executed", _EXECUTED)):
        if match := pattern.search(line):
            seconds = match.groupdict().get("seconds")
            return (event, Path(match["path"]).name,
                    float(seconds) if seconds else None)
    return None


@dataclass
class ChapterRun:
    """One notebook that a build executed."""

    doc: str
    seconds: float | None = None
    peak_rss_bytes: int = 0
    #: The dlbook modules its kernel imported (its dependency record).
    dependencies: list[str] = field(default_factory=list)
    #: Seconds by kind of work (:mod:`dlbook_site.time_split`), when measured.
    time_split: dict[str, float] | None = None
    #: Seconds of its lesson, exercises and go-further solutions
    #: (:mod:`dlbook_site.exercise_cost`), when measured.
    exercise_cost: dict[str, float] | None = None

    def to_dict(self) -> dict:
        return {"doc": self.doc, "seconds": self.seconds,
                "peak_rss_bytes": self.peak_rss_bytes,
                "dependencies": self.dependencies,
                "time_split": self.time_split,
                "exercise_cost": self.exercise_cost}


@dataclass
class BuildRun:
    """One build, timed as a whole process."""

    scenario: str
    seconds: float
    peak_rss_bytes: int
    peak_process_rss_bytes: int
    chapters: list[ChapterRun] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    #: The file edited before this build, if any.
    edited: str | None = None
    #: What each recorded training took (cold build only):
    #: :func:`benchmarks.registry.read_training_steps`.
    trainings: dict[str, dict] = field(default_factory=dict)

    @property
    def notebooks_executed(self) -> int:
        return len(self.chapters)

    def to_dict(self) -> dict:
        return {
            "scenario": self.scenario,
            "seconds": round(self.seconds, 2),
            "notebooks_executed": self.notebooks_executed,
            "executed": [chapter.doc for chapter in self.chapters],
            "from_cache": self.cached,
            "edited": self.edited,
            "peak_rss_bytes": self.peak_rss_bytes,
            "peak_process_rss_bytes": self.peak_process_rss_bytes,
        }


def copy_project(root: Path, destination: Path) -> Path:
    """Copy the files git tracks or would track (not ``_build``, ``.venv``)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = root / name
        if source.is_file():  # a deleted but still tracked file is skipped
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def venv() -> Path:
    """The virtual environment this process runs in, or else ``ROOT/.venv``."""
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix).absolute()
    return (ROOT / ".venv").absolute()


def build_command(project: Path, environment: Path | None = None,
                  sphinx_extra: str = "") -> list[str]:
    """``make html`` in ``project``, with the environment at ``environment``.

    Examples
    --------
    >>> build_command(Path("/tmp/copy"), Path("/work/.venv"))
    ['make', '--no-print-directory', '-C', '/tmp/copy', 'html', 'VENV=/work/.venv']
    >>> build_command(Path("/c"), Path("/v"), "-D a=b")[-1]
    'SPHINXEXTRA=-D a=b'
    """
    environment = environment or venv()
    command = ["make", "--no-print-directory", "-C", str(project), "html",
               f"VENV={environment}"]
    return command + ([f"SPHINXEXTRA={sphinx_extra}"] if sphinx_extra else [])


def build_environment() -> dict[str, str]:
    """This process' environment (make's), with unbuffered Python output.

    Lines must arrive as they are written, to know which chapter runs.
    """
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _is_build_side(process: psutil.Process) -> bool:
    """Whether a process is make or Sphinx itself rather than a kernel."""
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return True
    return "sphinx-build" in command or process.name() in ("make", "sh")


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def time_build(scenario: str, project: Path, log, interval: float = 0.2,
               sphinx_extra: str = "") -> BuildRun:
    """Run one build in ``project``, sampling memory every ``interval`` s.

    Raises
    ------
    RuntimeError
        If the build fails; the message gives the end of its log.
    """
    command = build_command(project, sphinx_extra=sphinx_extra)
    chapters: dict[str, ChapterRun] = {}
    cached: list[str] = []
    current: list[str | None] = [None]
    tail: list[str] = []

    def read(stream):
        for line in stream:
            log.write(line)
            log.flush()
            tail.append(line)
            del tail[:-40]
            parsed = parse_log_line(line)
            if parsed is None:
                continue
            event, doc, seconds = parsed
            if event == "cached":
                cached.append(doc)
            elif event == "executing":
                chapters[doc] = ChapterRun(doc)
                current[0] = doc
            else:
                chapters.setdefault(doc, ChapterRun(doc)).seconds = seconds
                current[0] = None

    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=project, env=build_environment(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    reader = threading.Thread(target=read, args=(process.stdout,), daemon=True)
    reader.start()
    root = psutil.Process(process.pid)
    peak = peak_process = 0
    build_side: dict[int, bool] = {}
    while process.poll() is None:
        processes = _tree(root)
        sizes = [_rss(p) for p in processes]
        peak = max(peak, sum(sizes))
        peak_process = max([peak_process, *sizes])
        doc = current[0]
        if doc is not None and doc in chapters:
            # Everything under the build but make and Sphinx: the kernel.
            kernel = sum(size for p, size in zip(processes, sizes, strict=True)
                         if not build_side.setdefault(p.pid, _is_build_side(p)))
            chapters[doc].peak_rss_bytes = max(chapters[doc].peak_rss_bytes, kernel)
        time.sleep(interval)
    seconds = time.perf_counter() - start
    reader.join()
    if process.returncode != 0:
        raise RuntimeError(
            f"the {scenario} build failed (exit status {process.returncode}); "
            "the end of its log:\n" + "".join(tail)
        )
    return BuildRun(scenario, seconds, peak, peak_process,
                    list(chapters.values()), cached)


def append_text(project: Path, relative: str, text: str) -> None:
    """Append ``text`` to one file of the copy."""
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def execution_records(project: Path, environment: Path | None = None) -> dict:
    """What the copy's last build recorded: ``make execution-records``.

    Returns
    -------
    dict
        ``dependencies`` (chapter to the ``dlbook`` modules its kernel
        imported) and ``time_split`` (chapter to seconds by kind of work).
    """
    import json

    environment = environment or venv()
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(project),
         "execution-records", f"VENV={environment}",
         f"TIME_SPLIT={project / TIME_SPLIT_FOLDER}"],
        capture_output=True, text=True, env=build_environment(),
    )
    if done.returncode != 0:
        raise RuntimeError("`make execution-records` failed: " + done.stderr[-2000:])
    return json.loads(done.stdout)


def run_build_benchmarks(keep: Path | None = None, log=None) -> list[BuildRun]:
    """Cold, warm, prose-edit and package-edit builds, in that order.

    The cold build's kernels also split their time by kind of work
    (:mod:`dlbook_site.time_split`; its cost was within this machine's
    run-to-run noise in an A/B), and its
    chapters carry their dependency records.

    Parameters
    ----------
    keep : pathlib.Path, optional
        Folder in which to make the copy and leave it afterwards, for
        inspection; by default a temporary folder, removed at the end.
    log : file, optional
        Where the builds' output goes; by default ``sys.stderr``.
    """
    log = log or sys.stderr
    with tempfile.TemporaryDirectory(prefix="dlbook-bench-") as scratch:
        project = copy_project(ROOT, Path(keep or scratch) / "project")
        runs = []
        for scenario, edit in (("cold", None), ("warm", None),
                               ("prose-edit", PROSE_EDIT),
                               ("package-edit", PACKAGE_EDIT)):
            if edit is not None:
                append_text(project, *edit)
            print(f"[benchmark] {scenario} build ...", file=sys.stderr, flush=True)
            split = (f"-D dlbook_time_split_folder={TIME_SPLIT_FOLDER}"
                     if scenario == "cold" else "")
            run = time_build(scenario, project, log, sphinx_extra=split)
            run.edited = edit[0] if edit else None
            if scenario == "cold":
                from benchmarks.registry import read_training_steps

                run.trainings = read_training_steps(
                    project / "_build" / "jupyter_execute")
                records = execution_records(project)
                for chapter in run.chapters:
                    chapter.dependencies = records["dependencies"].get(chapter.doc, [])
                    chapter.time_split = records["time_split"].get(chapter.doc)
                    chapter.exercise_cost = records.get(
                        "exercise_cost", {}).get(chapter.doc)
            print(f"[benchmark] {scenario}: {run.seconds:.1f} s, "
                  f"{run.notebooks_executed} notebooks executed",
                  file=sys.stderr, flush=True)
            runs.append(run)
        return runs
