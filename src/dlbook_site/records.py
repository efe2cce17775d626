"""What a build's kernels recorded, printed as JSON (``make execution-records``).

The benchmarks never import the site's code; they run this target in their
copy of the project after its cold build, and read from what it prints each
chapter's dependency record (:mod:`dlbook_site.dependencies`) and, if the
build was asked for one, its time split (:mod:`dlbook_site.time_split`)::

    {"dependencies": {"ch05_convnets": ["dlbook", "dlbook.checks", ...]},
     "time_split": {"ch05_convnets": {"training": 250.1, ...}},
     "exercise_cost": {"ch05_convnets": {"lesson": 300.2, "exercises": 4.1,
                                         "go_further": 61.0}}}

The exercise cost splits the same cell time by part of the page
(:mod:`dlbook_site.exercise_cost`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dlbook_site.dependencies import read_record
from dlbook_site.execution import cache_path, records_folder
from dlbook_site.exercise_cost import exercise_cost
from dlbook_site.time_split import read_split

ROOT = Path(__file__).resolve().parents[2]


def execution_records(cache_root: Path, split_folder: Path | None = None,
                      project_root: Path = ROOT) -> dict:
    """Each chapter's recorded imports, time split and exercise cost."""
    records = records_folder(cache_path(cache_root, project_root))
    dependencies = {}
    for path in sorted(records.glob("*.json")):
        modules = read_record(path)
        if modules is not None:
            dependencies[path.stem] = sorted(modules)
    splits, costs = {}, {}
    book = Path(project_root, "book")
    if split_folder is not None:
        for path in sorted(Path(split_folder).glob("*.json")):
            split = read_split(path)
            if split is not None:
                splits[path.stem] = split
            source = book / f"{path.stem}.md"
            cost = exercise_cost(source, path) if source.is_file() else None
            if cost is not None and cost["exercises"] + cost["go_further"] > 0:
                costs[path.stem] = cost
    return {"dependencies": dependencies, "time_split": splits,
            "exercise_cost": costs}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache_root", type=Path,
                        help="the folder of the keyed execution caches")
    parser.add_argument("--time-split", type=Path,
                        help="the folder where kernels wrote their time split")
    args = parser.parse_args(argv)
    print(json.dumps(execution_records(args.cache_root, args.time_split),
                     indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
