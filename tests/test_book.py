"""Build the real book with Sphinx and check what a reader gets.

These tests check structure and behaviour only: every page is built, no
executed page shows an error, every image has alt text, every value that the
prose pastes with ``{glue:text}`` and its kin was glued, the results page is
``results.json`` row for row, every result holds to its floor and every
floor is the one that its spread over seeds sets, and the
build itself behaves (a second build executes nothing, a bad cell fails it).

They match no sentence of the prose and grep no source for a literal. What
the chapters claim about their numbers, each chapter checks itself where the
number is computed: its hidden cells assert the claim, and the build
(:mod:`dlbook_site.results`) fails when a headline figure misses the floor
that its spread over seeds sets (``benchmarks/seeds.json``).

Marked slow: a cold build trains the chapters' models (minutes on 2 cores);
with a warm execution cache it takes seconds.
"""

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from benchmarks.seeds import SEEDS_FILE, floor_of, read_seeds
from dlbook_site.inputs import notebooks
from dlbook_site.results import format_value

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
HTML = ROOT / "_build" / "html"
# MyST-NB writes each executed notebook, and beside it the values that its
# cells glued (<docname>.glue.json), to jupyter_execute next to the HTML.
EXECUTED = HTML.parent / "jupyter_execute"
CHAPTERS = sorted(p.stem for p in BOOK.glob("*.md"))
NOTEBOOKS = [p.stem for p in notebooks(ROOT)]

pytestmark = pytest.mark.slow


def _run_make_html(*overrides):
    result = subprocess.run(
        ["make", "--no-print-directory", "html", *overrides], cwd=ROOT,
        capture_output=True, text=True,
    )
    return result.returncode, result.stdout + result.stderr


def _make_html():
    returncode, log = _run_make_html()
    assert returncode == 0, f"make html failed:\n{log[-6000:]}"
    return log


@pytest.fixture(scope="module")
def build_log():
    return _make_html()


def page(name):
    return (HTML / f"{name}.html").read_text(encoding="utf-8")


class _Page(HTMLParser):
    """The images and the tables of one HTML page."""

    def __init__(self, content):
        super().__init__(convert_charrefs=True)
        self.images = []  # the attributes of each <img>, as a dict
        self.tables = []  # each a list of rows, each a list of cell texts
        self._cell = None
        self.feed(content)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _results():
    return json.loads((HTML / "results.json").read_text(encoding="utf-8"))


# --- Every page, as built ------------------------------------------------------


def test_every_page_is_built(build_log):
    assert CHAPTERS, "book/ holds no pages"
    for name in CHAPTERS:
        assert (HTML / f"{name}.html").is_file(), f"{name}.md produced no page"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_executed_page_shows_an_error(build_log, name):
    content = page(name)
    # TensorFlow's logged warnings (retracing, ...) reach a cell's output as
    # stdout, which nb_output_stderr does not see: look for them by name.
    for marker in ("Traceback (most recent call last)", "output traceback",
                   "output stderr", "ipythontb", "System Message",
                   "WARNING:tensorflow", "WARNING:absl"):
        assert marker not in content, f"{name}.html holds {marker!r}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_image_has_alt_text(build_log, name):
    for image in _Page(page(name)).images:
        assert (image.get("alt") or "").strip(), (
            f"{name}.html: image without alt text: {image}")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_figure_loads_when_scrolled_to(build_log, name):
    # The chapter's own images (Sphinx copies them to _images/); the theme's
    # header logos, at the top of the page, load at once.
    figures = [image for image in _Page(page(name)).images
               if image.get("src", "").startswith("_images/")]
    assert figures, name
    for image in figures:
        assert image.get("loading") == "lazy", f"{name}.html: {image}"


# --- Glued values ----------------------------------------------------------------

# {glue}`key`, {glue:}`key`, {glue:text}`key:format`, {glue:md}`key:format`, ...
_GLUE_ROLE = re.compile(r"\{(glue(?::[\w-]*)?)\}`([^`]+)`")
# ```{glue:figure} key  or  :::{glue} key
_GLUE_DIRECTIVE = re.compile(
    r"^[ \t]*(?:`{3,}|:{3,})\{(glue(?::[\w-]*)?)\}[ \t]+(\S+)", re.M)
# The roles whose text may end in ":<format spec>" (MyST-NB splits it off
# at the last colon), and the output type each one pastes.
_FORMATTED_ROLES = {"glue:text": "text/plain", "glue:md": "text/markdown"}


def glue_references(source):
    """Each glue role or directive of a page's source, as (kind, page, key).

    ``page`` is None for the page's own values, or the document that a
    ``doc::key`` reference names.
    """
    references = [(kind, text, True) for kind, text in _GLUE_ROLE.findall(source)]
    references += [(kind, text, False)
                   for kind, text in _GLUE_DIRECTIVE.findall(source)]
    found = []
    for kind, text, is_role in references:
        doc, _, key = text.rpartition("::")
        if is_role and kind in _FORMATTED_ROLES and ":" in key:
            key = key.rsplit(":", 1)[0]
        found.append((kind, Path(doc).with_suffix("").as_posix() if doc else None,
                      key))
    return found


def test_glue_references_are_found():
    source = ("a {glue:text}`acc:.3f`, {glue}`n`, {glue:}`m` and "
              "{glue:md}`table:myst`, {glue:text}`ch02.md::acc`\n"
              "```{glue:figure} fig_a\n:name: x\n```\n:::{glue} other\n:::\n")
    assert glue_references(source) == [
        ("glue:text", None, "acc"), ("glue", None, "n"), ("glue:", None, "m"),
        ("glue:md", None, "table"), ("glue:text", "ch02", "acc"),
        ("glue:figure", None, "fig_a"), ("glue", None, "other"),
    ]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_glue_reference_is_defined(build_log, name):
    """Every value a page pastes was glued by the executed notebook it names."""
    glued = {}
    for kind, doc, key in glue_references(
            (BOOK / f"{name}.md").read_text(encoding="utf-8")):
        doc = doc or name
        if doc not in glued:
            glue_file = EXECUTED / f"{doc}.glue.json"
            assert glue_file.is_file(), (
                f"{name}.md pastes glued values, but {doc} glued none "
                f"({glue_file} is missing)")
            glued[doc] = json.loads(glue_file.read_text(encoding="utf-8"))
        assert key in glued[doc], f"{name}.md: {kind} {key!r} was never glued"
        mime = _FORMATTED_ROLES.get(kind)
        if mime:
            assert mime in glued[doc][key]["data"], (
                f"{name}.md: {kind} {key!r} has no {mime} value to paste")


# --- The results page and results.json --------------------------------------------


def test_the_results_table_is_results_json(build_log):
    recorded = _results()["results"]
    assert recorded, "no chapter recorded a result"
    header, *rows = next(
        table for table in _Page(page("results")).tables
        if table and table[0][:1] == ["Chapter"])
    assert len(rows) == len(recorded), (rows, recorded)
    for cells, result in zip(rows, recorded, strict=True):
        row = dict(zip(header, cells, strict=True))
        # Sphinx's smart quotes turn "notes'" into "notes’".
        assert row["Experiment (metric)"].replace("\u2019", "'") == (
            f"{result['description']} ({result['metric']})")
        assert row["This build"] == format_value(result["value"])
        sign, floor = row["Floor"].split()
        assert sign == ("≥" if result["higher_is_better"] else "≤"), row
        assert float(floor) == pytest.approx(result["floor"], rel=1e-5), row
        low, high = row["Range (seeds)"].split(" ")[0].split("–")
        assert float(low) == pytest.approx(result["seeds"]["min"], rel=1e-3), row
        assert float(high) == pytest.approx(result["seeds"]["max"], rel=1e-3), row
        if result["reference"] is not None:
            assert row["Published (vs range)"].endswith(
                f"({result['published_vs_seeds']})"), row
        assert (HTML / result["page"]).is_file(), result["page"]


def test_every_result_holds_to_its_floor(build_log):
    for result in _results()["results"]:
        value, floor = result["value"], result["floor"]
        holds = value >= floor if result["higher_is_better"] else value <= floor
        assert result["meets_floor"] == holds, result
        assert holds, result


def test_every_floor_is_set_by_the_spread_over_seeds(build_log):
    seeds = read_seeds(SEEDS_FILE)
    recorded = {r["key"]: r for r in _results()["results"]}
    assert set(recorded) == set(seeds["results"]), "make seeds is out of date"
    for key, entry in seeds["results"].items():
        values = list(entry["values"].values())
        assert len(values) >= 3, key
        assert entry["floor"] == floor_of(values, entry["higher_is_better"]), key
        assert recorded[key]["floor"] == entry["floor"], key
        worst = min(values) if entry["higher_is_better"] else max(values)
        # Below the worst seed (above it for an error), never at it.
        assert (entry["floor"] < worst) == entry["higher_is_better"], key


# --- The build ----------------------------------------------------------------------


def test_second_build_executes_nothing(build_log):
    log = _make_html()
    assert "Executing notebook" not in log
    assert "Cached executed notebook" not in log  # nothing was even re-read


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('assert 1 + 1 == 3, "deliberately wrong"', "deliberately wrong"),
        ('import sys\nprint("a stray warning", file=sys.stderr)',
         "stderr was found in the cell outputs"),
    ],
    ids=["cell-error", "stderr"],
)
def test_a_bad_cell_fails_the_build(tmp_path, cell, expected):
    """The real build settings turn a cell error or stray stderr into a failure."""
    source = tmp_path / "book"
    source.mkdir()
    (source / "index.md").write_text(
        "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n"
        "  display_name: Python 3\n---\n\n# Probe\n\n"
        f"```{{code-cell}} ipython3\n{cell}\n```\n"
    )
    returncode, log = _run_make_html(f"BOOK={source}", f"BUILD={tmp_path / 'build'}")
    assert returncode != 0, log[-3000:]
    assert expected in log


def test_a_missing_benchmark_report_fails_the_build_with_advice(build_log):
    returncode, log = _run_make_html(
        "SPHINXEXTRA=-D dlbook_benchmarks_report=benchmarks/missing.json")
    assert returncode != 0
    assert "no benchmark report at" in log and "run `make benchmark`" in log
    # Leave the site as the other tests expect it. The configuration changed
    # back, so every chapter is read again, its outputs served by the cache:
    # the published notebooks must still hold them.
    _make_html()
    for name in NOTEBOOKS:
        notebook = json.loads(
            (HTML / "_sources" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert any(cell.get("outputs") for cell in notebook["cells"]), name


def test_the_errata_page_links_every_correction_of_the_notes(build_log):
    """Each notes-say box of a chapter is one item of the errata page."""
    from dlbook_site.errata import CLASS

    anchors = {
        (f"{name}.html", anchor)
        for name in CHAPTERS if name != "errata"
        for anchor in re.findall(rf'id="({CLASS}-[^"]+)"', page(name))
    }
    links = set(re.findall(r'<a class="reference internal" href="([^"#]+)#'
                           rf'({CLASS}-[^"]+)"', page("errata")))
    assert anchors, "no chapter corrects the notes"
    assert links == anchors


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_exercises_notebook_runs_untouched_and_nothing_is_attempted(
        build_log, name):
    """The reader's exercises notebook, run top to bottom as downloaded.

    Its install cell is left out: it would install the wheel from the
    published site; the kernel has the build's dlbook already.
    """
    import nbclient
    import nbformat

    from dlbook.exercises import CHAPTERS, chapter_exercises
    from dlbook_site.notebooks import INSTALL_CELL_TAG

    path = HTML / "_sources" / f"{name}-exercises.ipynb"
    chapter = int(re.match(r"ch(\d\d)", name).group(1))
    if not path.is_file():
        assert chapter not in CHAPTERS, f"{name} has exercises but no notebook"
        pytest.skip(f"{name} has no exercises")
    notebook = nbformat.read(path, as_version=4)
    assert INSTALL_CELL_TAG in notebook.cells[0].metadata.get("tags", [])
    notebook.cells = notebook.cells[1:]
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(BOOK)}}).execute()
    feedback = [
        output["data"]["text/plain"]
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == "execute_result"
        and re.match(r"^[✓✗…] ch\d\d-", output["data"].get("text/plain", ""))
    ]
    labels = {re.match(r"^. (ch\d\d-[a-z0-9-]+):", f).group(1) for f in feedback}
    checked = {e.label for e in chapter_exercises(chapter) if e.checker}
    assert labels == checked, "an exercise with a checker has no check cell"
    assert all(": not attempted." in f for f in feedback), feedback
