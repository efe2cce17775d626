"""benchmarks.seeds and dlbook_site.spread: spreads over seeds, floors, and
what the site says about them, on tiny made-up measurements."""

import json
import re
import statistics

import pytest

import benchmarks.seeds as seeds_module
from benchmarks.seeds import (
    FLOOR_MARGIN_MIN,
    FLOOR_MARGIN_SDS,
    chapter_seeds,
    figure_entry,
    floor_of,
    measure,
    read_seeds,
)
from dlbook.results import make_result
from dlbook_site.spread import (
    INK,
    check_against_seeds,
    comparison,
    spread_figure_node,
    stale_chapters,
    svg_size,
)

ACCURACIES = [0.880, 0.884, 0.886, 0.882, 0.881]
MAES = [2.6, 2.9, 2.7, 2.8, 2.75]


@pytest.mark.parametrize(("values", "higher"), [(ACCURACIES, True), (MAES, False)])
def test_a_floor_lies_beyond_the_worst_seed_by_the_stated_margin(values, higher):
    floor = floor_of(values, higher)
    worst = min(values) if higher else max(values)
    margin = worst - floor if higher else floor - worst
    assert margin >= FLOOR_MARGIN_MIN * worst
    assert margin >= FLOOR_MARGIN_SDS * statistics.stdev(values)


def test_identical_seeds_still_get_a_margin():
    assert floor_of([0.9, 0.9, 0.9], True) < 0.9
    assert floor_of([3.0, 3.0, 3.0], False) > 3.0


def _run(*pairs, modules=...):
    return {"results": [make_result(k, v, description="d", metric="m")
                        for k, v in pairs], "failed_checks": [], "seconds": 1.0,
            "modules": {"dlbook": "0" * 64} if modules is ... else modules}


def test_figure_entry_gathers_each_figure_over_seeds():
    runs = [(0, _run(("a", 0.8), ("b", 2.0))), (1, _run(("a", 0.9), ("b", 3.0)))]
    entries = figure_entry("ch", runs)
    assert entries["a"]["values"] == {"0": 0.8, "1": 0.9}
    assert entries["a"]["min"] == 0.8 and entries["a"]["max"] == 0.9
    assert entries["a"]["mean"] == pytest.approx(0.85)
    assert entries["b"]["chapter"] == "ch"


def test_a_figure_missing_under_one_seed_is_an_error():
    runs = [(0, _run(("a", 0.8), ("b", 2.0))), (1, _run(("a", 0.9)))]
    with pytest.raises(RuntimeError, match=r"b was recorded under seeds \['0'\]"):
        figure_entry("ch", runs)


def test_the_slow_chapters_run_fewer_seeds():
    assert chapter_seeds("ch01_introduction") == [0, 1, 2, 3, 4]
    assert len(chapter_seeds("ch05_convnets")) < 5


@pytest.mark.parametrize(("text", "match"), [
    (None, "no seed measurement"), ("{", "not valid JSON"),
    ('{"schema": 99}', "not a schema-2"),
])
def test_a_bad_seeds_file_names_the_fix(tmp_path, text, match):
    path = tmp_path / "seeds.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(ValueError, match=match) as error:
        read_seeds(path)
    assert "make seeds" in str(error.value)


def test_measure_again_keeps_the_other_chapters(tmp_path, monkeypatch):
    book = tmp_path / "book"
    book.mkdir()
    for name in ("ch01", "ch02"):
        (book / f"{name}.md").write_text(
            "---\nfile_format: mystnb\n---\n# T\n\n```{code-cell} ipython3\n"
            f"x = '{name}'\n```\n")
    values = {"ch01": 0.8, "ch02": 0.7}
    monkeypatch.setattr(seeds_module, "run_chapter", lambda path, seed, scratch:
                        _run((path.stem, values[path.stem] + seed / 100)))
    monkeypatch.setattr(seeds_module, "lock_digest", lambda: "p" * 16)
    monkeypatch.setattr("benchmarks.measure.machine", lambda: {"cpus": 2})
    out = tmp_path / "seeds.json"
    measure(sorted(book.glob("*.md")), 2, out, log=lambda line: None)
    values["ch02"] = 0.5
    report = measure([book / "ch02.md"], 3, out, log=lambda line: None)
    assert report["results"]["ch01"]["values"] == {"0": 0.8, "1": 0.81}
    assert report["results"]["ch02"]["values"] == {"0": 0.5, "1": 0.51, "2": 0.52}
    assert json.loads(out.read_text()) == report
    assert report["chapters"]["ch02"]["seeds"] == [0, 1, 2]


# --- dlbook_site.spread --------------------------------------------------------


def _entry(values, reference=None, higher=True):
    return {"values": dict(enumerate(values)), "min": min(values),
            "max": max(values), "reference": reference,
            "higher_is_better": higher, "floor": floor_of(values, higher),
            "chapter": "ch"}


@pytest.mark.parametrize(("reference", "where"), [
    (0.9, "above all five"), (0.87, "below all five"),
    (0.883, "within the range of our five seeds"),
])
def test_the_comparison_says_where_the_published_figure_lies(reference, where):
    sentence = comparison(_entry(ACCURACIES, reference))
    assert sentence.startswith(f"{reference:g} lies {where}")
    assert "0.8800" in sentence and "0.8860" in sentence


def test_the_build_names_figures_under_their_floor_or_never_measured():
    seeds = {"results": {"a": _entry(ACCURACIES), "m": _entry(MAES, higher=False)}}
    results = [("ch", make_result("a", 0.5, description="d", metric="acc")),
               ("ch", make_result("m", 2.0, description="d", metric="mae",
                                  higher_is_better=False)),
               ("ch9", make_result("new", 1.0, description="d", metric="m"))]
    below, missing = check_against_seeds(results, seeds)
    assert len(below) == 1 and below[0].startswith("a: d reached acc 0.5000")
    assert missing == ['new (ch9): no spread over seeds in seeds.json; run '
                       '`make seeds SEEDSFLAGS="--chapters ch9"`.']
    worse = [("ch", make_result("m", 9.0, description="d", metric="mae",
                                higher_is_better=False))]
    assert check_against_seeds(worse, seeds)[0][0].startswith("m: d reached mae")


def test_only_a_code_edit_or_an_imported_modules_edit_makes_a_chapter_stale(
        tmp_path):
    from benchmarks.seeds import chapter_notebook, code_digest
    from dlbook_site.dependencies import source_digest
    from dlbook_site.inputs import inputs_digest

    (tmp_path / "book").mkdir()
    package = tmp_path / "src" / "dlbook"
    package.mkdir(parents=True)
    for module in ("a", "b"):
        (package / f"{module}.py").write_text("A = 1\n")
    (tmp_path / "requirements.lock").write_text("keras==3\n")
    chapters = {}
    for name, module in (("ch1", "a"), ("ch2", "b")):
        path = tmp_path / "book" / f"{name}.md"
        path.write_text("---\nfile_format: mystnb\n---\nProse.\n\n"
                        f"```{{code-cell}} ipython3\nimport dlbook.{module}\n```\n")
        chapters[name] = {
            "code_digest": code_digest(chapter_notebook(path)),
            "modules": {f"dlbook.{module}": source_digest(package / f"{module}.py")}}
    seeds = {"lock_digest": inputs_digest(tmp_path, chapters=False, package=False),
             "chapters": chapters}
    assert stale_chapters(seeds, tmp_path) == []
    chapter = tmp_path / "book" / "ch1.md"
    chapter.write_text(chapter.read_text().replace("Prose.", "Other prose."))
    assert stale_chapters(seeds, tmp_path) == []
    (package / "b.py").write_text("A = 2\n")  # only ch2 imported it
    assert stale_chapters(seeds, tmp_path) == ["ch2"]
    chapter.write_text(chapter.read_text().replace("import", "x = 1\nimport"))
    assert stale_chapters(seeds, tmp_path) == ["ch1", "ch2"]
    (tmp_path / "requirements.lock").write_text("keras==4\n")
    assert stale_chapters(seeds, tmp_path)[0] == "the lock"
    del chapters["ch2"]["modules"]  # measured without a record of its imports
    (package / "b.py").write_text("A = 1\n")
    assert "ch2" in stale_chapters(seeds, tmp_path)


def test_a_chapter_records_the_modules_its_kernel_imported_over_its_seeds(
        tmp_path, monkeypatch):
    book = tmp_path / "book"
    book.mkdir()
    (book / "ch01.md").write_text(
        "---\nfile_format: mystnb\n---\n# T\n\n```{code-cell} ipython3\nx = 1\n```\n")
    imports = iter([{"dlbook": "1", "dlbook.a": "2"}, {"dlbook": "1", "dlbook.b": "3"},
                    None, {"dlbook": "1"}])
    monkeypatch.setattr(seeds_module, "run_chapter", lambda path, seed, scratch:
                        _run(("k", 0.5 + seed), modules=next(imports)))
    monkeypatch.setattr(seeds_module, "lock_digest", lambda: "p" * 16)
    monkeypatch.setattr("benchmarks.measure.machine", lambda: {"cpus": 2})
    out = tmp_path / "seeds.json"
    report = measure([book / "ch01.md"], 2, out, log=lambda line: None)
    assert report["chapters"]["ch01"]["modules"] == {
        "dlbook": "1", "dlbook.a": "2", "dlbook.b": "3"}
    assert report["lock_digest"] == "p" * 16
    # a seed whose record is missing leaves the chapter without one: stale
    report = measure([book / "ch01.md"], 2, out, log=lambda line: None)
    assert report["chapters"]["ch01"]["modules"] is None


def test_the_dot_plot_is_a_lazily_loaded_svg_image(tmp_path):
    rows = [{"label": "IMDB (test accuracy)", "values": ACCURACIES,
             "build": 0.880, "floor": 0.875, "reference": 0.885},
            {"label": "Boston <k$>", "values": MAES, "build": 2.6,
             "floor": 3.13, "reference": None}]
    node = spread_figure_node(rows, "Chapter 3 <seeds>", 'Alt "text"',
                              tmp_path / "_images", "../")
    html = node.astext()
    image, = re.findall(r"<img [^>]*>", html)
    assert 'loading="lazy"' in image and 'alt="Alt &quot;text&quot;"' in image
    width, height = (int(re.search(f' {a}="([0-9]+)"', image).group(1))
                     for a in ("width", "height"))
    src = re.search(r'src="([^"]+)"', image).group(1)
    assert src.startswith("../_images/spread-")
    svg = (tmp_path / src.removeprefix("../")).read_text()
    assert INK in svg and svg_size(svg) == (width, height) and width > height > 0
    assert "<figcaption>Chapter 3 &lt;seeds&gt;</figcaption>" in html
    # the same figure is the same file
    again = spread_figure_node(rows, "c", "a", tmp_path / "_images").astext()
    assert re.findall(r"spread-\w+\.svg", again) == re.findall(
        r"spread-\w+\.svg", html)
