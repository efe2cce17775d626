"""benchmarks.report and benchmarks.builds: the report, its goals, the builds."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from benchmarks.builds import (
    append_text,
    build_command,
    copy_project,
    parse_log_line,
)
from benchmarks.report import (
    SCHEMA,
    GiB,
    evaluate_goals,
    format_seconds,
    read_report,
    report_markdown,
    write_report,
)
from dlbook.naive_ops import naive_vectorize_sequences
from dlbook.text import vectorize_sequences
from dlbook_site.oldest_versions import imported_modules

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _report(**extra):
    report = {
        "schema": 2, "measured_at": "2026-11-25T17:00:00+00:00",
        "commit": "0123456789abcdef", "dirty": False, "inputs_digest": "d",
        "machine": {"cpus": 2, "cpu_model": "CPU", "memory_bytes": 8 * GiB,
                    "tensorflow": "2.21.0", "keras": "3.15.0"},
        "builds": [
            {"scenario": "cold", "seconds": 901.0, "notebooks_executed": 5,
             "peak_rss_bytes": 3 * GiB, "peak_process_rss_bytes": 2 * GiB},
            {"scenario": "warm", "seconds": 2.0, "notebooks_executed": 0,
             "peak_rss_bytes": GiB, "peak_process_rss_bytes": GiB},
            {"scenario": "prose-edit", "seconds": 2.0, "notebooks_executed": 0,
             "peak_rss_bytes": GiB, "peak_process_rss_bytes": GiB},
        ],
    }
    report.update(extra)
    return report


def _goal(report, name):
    return next(g for g in evaluate_goals(report) if g["name"] == name)


def test_goals_compare_each_figure_with_its_limit():
    report = _report()
    assert _goal(report, "cold build")["met"] is False  # 901 s > 9 min
    assert _goal(report, "cold build")["measured"] == "15 min 1 s"
    assert _goal(report, "warm rebuild")["met"] is True
    assert _goal(report, "prose edit")["met"] is True
    assert _goal(report, "peak memory")["met"] is True


def test_peak_memory_is_the_largest_of_all_builds():
    report = _report()
    report["builds"][1]["peak_rss_bytes"] = 5 * GiB
    goal = _goal(report, "peak memory")
    assert goal["met"] is False and goal["measured"] == "5.00 GiB"


def test_the_exercises_cost_is_held_apart_from_the_lessons_cold_build():
    cost = {"lesson": 400.0, "exercises": 20.0, "go_further": 200.0}
    report = _report(chapters=[
        {"doc": "ch04_fundamentals", "exercise_cost": cost},
        {"doc": "ch05_convnets", "exercise_cost": dict(cost, exercises=50.0)}])
    # 901 s in all, 470 s of exercises: the lessons took 431 s.
    assert _goal(report, "cold build") == {
        "name": "cold build", "target": "at most 9 min, the exercises apart",
        "measured": "7 min 11 s without the exercises (15 min 1 s in all)",
        "met": True}
    assert _goal(report, "exercises")["met"] is False  # 70 s > 60 s
    assert _goal(report, "go-further solutions")["met"] is False  # 400 s > 4 min
    table = report_markdown(report, "exercise-cost")
    assert table[-1] == "| **book** | 800 | 70.0 | 400 |"
    assert report_markdown(_report(), "exercise-cost") == [
        "The exercises' cost was not measured."]


def test_a_prose_edit_that_executes_a_notebook_misses_its_goal():
    report = _report()
    report["builds"][2]["notebooks_executed"] = 1
    assert _goal(report, "prose edit") == {
        "name": "prose edit", "target": "executes nothing",
        "measured": "1 notebook executed", "met": False}


def test_dense_throughput_goal_counts_only_dense_models_and_names_the_worst():
    models = [
        {"name": "a", "kind": "dense", "fraction_of_matmul_bound": 0.5},
        {"name": "b", "kind": "dense", "fraction_of_matmul_bound": 0.1},
        {"name": "c", "kind": "convnet", "fraction_of_matmul_bound": 0.01},
    ]
    goal = _goal(_report(models=models), "dense models' throughput")
    assert goal["met"] is False
    assert goal["measured"] == "1 of 2 dense models; lowest 10.0% (b)"
    models[1]["fraction_of_matmul_bound"] = 0.3
    assert _goal(_report(models=models), "dense models' throughput")["met"]


def _package_edit(executed):
    chapters = [{"doc": "ch01", "seconds": 1.0, "dependencies": ["dlbook"]},
                {"doc": "ch05", "seconds": 1.0,
                 "dependencies": ["dlbook", "dlbook.convolution"]}]
    build = {"scenario": "package-edit", "seconds": 9.0, "peak_rss_bytes": GiB,
             "peak_process_rss_bytes": GiB, "notebooks_executed": len(executed),
             "executed": executed, "edited": "src/dlbook/convolution.py"}
    report = _report(chapters=chapters)
    report["builds"].append(build)
    return report


def test_a_package_edit_must_execute_exactly_the_importing_chapters():
    goal = _goal(_package_edit(["ch05"]), "package edit")
    assert goal["met"] is True
    assert goal["measured"] == "dlbook.convolution: 1 of 2 chapters executed (ch05)"
    assert _goal(_package_edit(["ch01", "ch05"]), "package edit")["met"] is False
    assert _goal(_package_edit([]), "package edit")["met"] is False


def test_the_dependency_section_lists_modules_and_the_edit():
    lines = report_markdown(_package_edit(["ch05"]), "dependencies")
    assert lines[2] == "| [ch01](ch01.md) |  |"
    assert lines[3] == "| [ch05](ch05.md) | `convolution` |"
    assert "executed 1 notebook: ch05." in lines[-1]


def test_the_time_split_sums_each_chapter_and_the_book():
    chapters = [{"doc": "ch01", "seconds": 3.0,
                 "time_split": {"training": 2.0, "other": 1.0}},
                {"doc": "ch02", "seconds": 1.0,
                 "time_split": {"training": 0.0, "other": 1.0}}]
    lines = report_markdown(_report(chapters=chapters), "time-split")
    assert lines[2] == "| Chapter | Training | Other |"
    assert lines[4] == "| [ch01](ch01.md) | 2 | 1 |"
    assert lines[-3] == "| **book** | 2 | 2 |"
    assert lines[-1] == "Of the book's 4.0 s of cell time: training 50%, other 50%."
    chapters[1]["time_split"]["other"] = 5.0  # the larger kind comes first
    assert report_markdown(_report(chapters=chapters), "time-split")[2] == (
        "| Chapter | Other | Training |")


def test_the_book_training_section_gives_the_ratio():
    work = {"flops": 2e12, "flops_per_second": 4e11, "bound_seconds": 5.0,
            "execution_seconds": 100.0, "ratio": 0.05, "not_counted": ["x"],
            "per_chapter": {"ch01": {"flops": 2e12, "trainings": 2,
                                     "bound_seconds": 5.0,
                                     "execution_seconds": 100.0, "ratio": 0.05}}}
    lines = report_markdown(_report(book_training=work), "book-training")
    assert "**Ratio: 5.0%**" in lines[0]
    assert lines[4] == "| [ch01](ch01.md) | 2 | 2.000 | 5.0 s | 1 min 40 s | 5.0% |"
    assert lines[-1] == "Not counted (no step or FLOP count): x."


def test_the_kfold_section_gives_each_settings_speed_up():
    kfold = {"samples": 404, "settings": {"chapter 3": {
        "k": 4, "epochs": 10, "batch_size": 1,
        "seconds": {"arrays": 6.0, "pipelines": 4.0}, "ratio": 1.5}}}
    lines = report_markdown(_report(kfold=kfold), "kfold")
    assert "404 training houses" in lines[0]
    assert lines[-1] == "| chapter 3 | 4 × 10 | 6.0 s | 4.0 s | 1.5× |"
    assert report_markdown(_report(), "kfold") == [
        "No K-fold feeding timing was measured."]


def test_the_hugepages_section_gives_both_settings_and_their_ratio():
    hugepages = {"megabytes": 128, "arrays": 8, "rounds": 2, "pause": 10.0,
                 "policy": "madvise",
                 "advised": {"huge pages": True, "ordinary pages": False},
                 "seconds": {"huge pages": 12.0, "ordinary pages": 0.5},
                 "ratio": 24.0}
    lines = report_markdown(_report(hugepages=hugepages), "hugepages")
    assert "8 NumPy arrays of 128 MiB" in lines[0] and "`madvise`" in lines[0]
    assert "pause of 10 s" in lines[0]
    huge, ordinary = lines[4:6]
    assert "=1`" in huge and huge.endswith(f"| yes | {format_seconds(12.0)} |")
    assert "=0`" in ordinary and ordinary.endswith(
        f"| no | {format_seconds(0.5)} |")
    assert "24.0×" in lines[-1]
    assert report_markdown(_report(), "hugepages") == [
        "No first-touch timing was measured."]


def test_the_arrays_reference_runs_the_same_folds_as_k_fold_validate():
    from sklearn.preprocessing import StandardScaler

    from benchmarks.feeding import k_fold_on_arrays
    from dlbook.crossval import k_fold_validate
    from dlbook.models import build_and_compile_boston_model

    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 13)).astype("float32")
    y = rng.normal(size=12).astype("float32")
    arrays = k_fold_on_arrays(build_and_compile_boston_model, x, y, k=3, epochs=1,
                              batch_size=4, preprocessing=StandardScaler())
    pipelines = k_fold_validate(build_and_compile_boston_model, x, y, k=3,
                                epochs=1, batch_size=4,
                                preprocessing=StandardScaler())
    assert [sorted(s) for s in arrays] == [sorted(s) for s in pipelines.scores]
    assert len(arrays) == 3


def test_missing_figures_are_not_measured_rather_than_met():
    goals = evaluate_goals({"builds": []})
    assert {g["met"] for g in goals} == {None}


def test_the_provenance_warns_only_when_the_inputs_changed():
    report = _report()
    assert not any("warning" in line
                   for line in report_markdown(report, "provenance", "d"))
    assert ":::{warning}" in report_markdown(report, "provenance", "other")


def test_build_rows_show_each_scenario():
    rows = report_markdown(_report(), "builds")[2:]
    assert rows[0] == "| cold | 15 min 1 s | 5 | 3.00 GiB | 2.00 GiB |"
    assert [row.split(" | ")[0] for row in rows] == ["| cold", "| warm",
                                                     "| prose-edit"]


def test_an_unknown_section_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="use one of provenance, goals"):
        report_markdown(_report(), "timings")


@pytest.mark.parametrize(("content", "match"), [
    (None, "run `make benchmark`"),
    ("{not json", "not valid JSON"),
    (json.dumps({"schema": 2}), "missing measured_at, commit, machine"),
    (json.dumps({"schema": 1, "measured_at": "t", "commit": "c",
                 "machine": {}}),
     r"not a schema-2 benchmark report .*schema 1\); run `make benchmark`"),
    ("[1, 2]", "no JSON object"),
])
def test_a_bad_report_is_refused_with_advice(tmp_path, content, match):
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ValueError, match=match):
        read_report(path)


def test_a_written_report_reads_back_with_sorted_keys(tmp_path):
    path = tmp_path / "out" / "report.json"
    report = _report(models=[{"name": "m", "kind": "dense"}])
    write_report(report, path)
    assert read_report(path) == report
    text = path.read_text()
    assert text.endswith("}\n") and text.index('"builds"') < text.index('"commit"')
    write_report(read_report(path), path)
    assert path.read_text() == text  # stable: the same bytes again


def test_a_report_with_a_python_object_is_refused(tmp_path):
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_report(_report(models=[{"regularizer": object()}]),
                     tmp_path / "report.json")
    with pytest.raises(ValueError, match="Out of range float"):
        write_report(_report(matmul={"seconds": float("nan")}),
                     tmp_path / "report.json")


def test_the_committed_report_is_plain_schema_2_json():
    report = read_report(BENCHMARKS / "report.json")
    assert report["schema"] == SCHEMA == 2
    assert "sources_digest" not in report and "inputs_digest" in report
    text = (BENCHMARKS / "report.json").read_text()
    assert " object at 0x" not in text and "<keras" not in text
    names = [m["name"] for m in report["models"]]
    from benchmarks.registry import book_models
    assert names == [spec.name for spec in book_models()]


def test_the_benchmarks_never_import_the_site():
    for path in sorted(BENCHMARKS.glob("*.py")):
        imported = imported_modules(path)
        assert not [m for m in imported if m.startswith("dlbook_site")], path


def test_each_build_is_make_html_with_the_real_environment():
    assert build_command(Path("/tmp/copy"), Path("/work/.venv")) == [
        "make", "--no-print-directory", "-C", "/tmp/copy", "html",
        "VENV=/work/.venv"]


def test_durations_read_naturally():
    assert [format_seconds(s) for s in (0.5, 1.25, 29.96, 60, 3599)] == [
        "500 ms", "1.2 s", "30 s", "1 min 0 s", "59 min 59 s"]


def test_log_lines_name_the_notebook_and_its_time():
    assert parse_log_line(
        "/x/book/ch03_getting_started.md: Executing notebook using local CWD "
        "[mystnb]") == ("executing", "ch03_getting_started", None)
    assert parse_log_line(
        "/x/book/ch05_convnets.md: Using cached notebook: ID=3 [mystnb]"
    ) == ("cached", "ch05_convnets", None)
    assert parse_log_line("Executed notebook in 3 seconds") is None


def test_the_copy_holds_tracked_files_only_and_edits_touch_only_the_copy(tmp_path):
    source = tmp_path / "source"
    (source / "book").mkdir(parents=True)
    (source / "book" / "ch.md").write_text("# Chapter\n")
    (source / ".gitignore").write_text("_build/\n")
    (source / "_build").mkdir()
    (source / "_build" / "cache").write_text("big")
    subprocess.run(["git", "init", "-q"], cwd=source, check=True)
    subprocess.run(["git", "add", "."], cwd=source, check=True)
    (source / "book" / "new.md").write_text("# Not yet committed\n")
    copy = copy_project(source, tmp_path / "copy")
    assert (copy / "book" / "new.md").is_file()
    assert not (copy / "_build").exists()
    # With its times: the copy's make must find the environment up to date.
    assert (copy / "book" / "ch.md").stat().st_mtime_ns == (
        source / "book" / "ch.md").stat().st_mtime_ns
    append_text(copy, "book/ch.md", "More.\n")
    assert (copy / "book" / "ch.md").read_text() == "# Chapter\nMore.\n"
    assert (source / "book" / "ch.md").read_text() == "# Chapter\n"


@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
def test_the_notes_loop_and_vectorize_sequences_agree(dtype):
    sequences = [[1, 3, 3], [], [0, 9], list(range(10))]
    assert (naive_vectorize_sequences(sequences, dimension=10, dtype=dtype)
            == vectorize_sequences(sequences, dimension=10, dtype=dtype)).all()


def test_a_model_measured_alone_takes_its_place_in_the_registrys_order():
    from benchmarks.__main__ import _merge_models

    previous = [{"name": "a", "x": 1}, {"name": "c", "x": 1}]
    merged = _merge_models(previous, [{"name": "b", "x": 2}, {"name": "a", "x": 2}],
                           order=["a", "b", "c"])
    assert merged == [{"name": "a", "x": 2}, {"name": "b", "x": 2},
                      {"name": "c", "x": 1}]
