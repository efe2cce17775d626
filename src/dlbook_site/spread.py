"""Each headline figure against its spread over seeds (``benchmarks/seeds.json``).

``make seeds`` (``benchmarks.seeds``) runs every chapter under several
seeds and writes each figure's values, their spread and its floor. This
module brings that file to the site:

- :func:`check_against_seeds` holds each figure of the build to its floor,
  and names the figures that were never measured over seeds;
- :func:`comparison` writes the sentence that compares a published figure
  with the measured range, which chapters use through the ``seed-spread``
  role: ``{seed-spread}`imdb-key``` renders as "0.885 lies above all five
  of our seeds, which range from 0.8790 to 0.8850";
- :func:`stale_chapters` says which chapters' code or imported ``dlbook``
  modules, or whether the lock, changed since the measurement, for the
  results page's warning;
- :func:`spread_figure` draws one chapter's figures as a dot plot, an SVG
  on a transparent background; :func:`spread_figure_node` shows it as an
  image file, loaded when the reader scrolls to it (inline, the results
  page's five plots made it 140 KB heavier, all of it fetched before the
  first paint). In the dark theme the site's style sheet inverts it, like
  every figure of the book (``book/_static/dlbook.css``).

Usage, in ``conf.py``: ``extensions = [..., "dlbook_site.spread"]``; the
``dlbook_seeds_file`` setting names the file, relative to the configuration
folder.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from benchmarks.seeds import (
    FLOOR_DIGITS,
    FLOOR_MARGIN_MIN,
    FLOOR_MARGIN_SDS,
    chapter_notebook,
    code_digest,
    placement,
    read_seeds,
)
from dlbook.results import Result
from dlbook_site.dependencies import changed_modules
from dlbook_site.inputs import BOOK, inputs_digest

logger = logging.getLogger(__name__)

_COUNTS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
           8: "eight", 9: "nine", 10: "ten"}


def format_value(value: float) -> str:
    """A measured figure, to four significant digits, zeros kept.

    Examples
    --------
    >>> format_value(0.797), format_value(2.8), format_value(0.88049)
    ('0.7970', '2.800', '0.8805')
    """
    return f"{value:#.4g}"


def comparison(entry: dict) -> str:
    """The published figure against the seeds' range, as a clause.

    Examples
    --------
    >>> entry = {"reference": 0.885, "min": 0.8790, "max": 0.8850001,
    ...          "values": dict.fromkeys("01234", 0.88)}
    >>> comparison(entry)
    '0.885 lies within the range of our five seeds, 0.8790 to 0.8850'
    >>> comparison({**entry, "reference": 0.9})
    '0.9 lies above all five of our seeds, which range from 0.8790 to 0.8850'
    """
    n = len(entry["values"])
    count = _COUNTS.get(n, str(n))
    low, high = format_value(entry["min"]), format_value(entry["max"])
    where = placement(entry["reference"], entry["min"], entry["max"])
    reference = f"{entry['reference']:g}"
    if where == "inside":
        return (f"{reference} lies within the range of our {count} seeds, "
                f"{low} to {high}")
    return (f"{reference} lies {where} all {count} of our seeds, which range "
            f"from {low} to {high}")


def floor_text(entry: dict) -> str:
    """The floor with its direction: "≥ 0.87", "≤ 3.1"."""
    sign = "≥" if entry["higher_is_better"] else "≤"
    return f"{sign} {entry['floor']:g}"


def meets_floor(value: float, entry: dict) -> bool:
    """Whether a build's figure is at least as good as its floor."""
    if entry["higher_is_better"]:
        return value >= entry["floor"]
    return value <= entry["floor"]


def check_against_seeds(results: list[tuple[str, Result]], seeds: dict
                        ) -> tuple[list[str], list[str]]:
    """The figures under their floor, and those not measured over seeds.

    Returns two lists of messages, each naming the figure and the fix.

    Examples
    --------
    >>> from dlbook.results import make_result
    >>> seeds = {"results": {"a": {"chapter": "ch", "floor": 0.87,
    ...                            "higher_is_better": True}}}
    >>> r = make_result("a", 0.86, description="d", metric="m")
    >>> below, missing = check_against_seeds([("ch", r)], seeds)
    >>> below[0]
    'a: d reached m 0.8600; the floor is ≥ 0.87, below the worst of its seeds ...'
    >>> missing = check_against_seeds([("ch", make_result(
    ...     "b", 1.0, description="d", metric="m"))], seeds)[1]
    >>> print(*missing[0].split("; "), sep="\\n")
    b (ch): no spread over seeds in seeds.json
    run `make seeds SEEDSFLAGS="--chapters ch"`.
    """
    below, missing = [], []
    for docname, result in results:
        entry = seeds["results"].get(result.key)
        if entry is None:
            missing.append(
                f"{result.key} ({docname}): no spread over seeds in seeds.json; "
                f'run `make seeds SEEDSFLAGS="--chapters {docname}"`.')
        elif not meets_floor(result.value, entry):
            below.append(
                f"{result.key}: {result.description} reached {result.metric} "
                f"{result.value:.4f}; the floor is {floor_text(entry)}, below "
                "the worst of its seeds (benchmarks/seeds.json). Check what "
                "changed (data, TensorFlow version, training recipe); if the "
                "recipe changed on purpose, run `make seeds` again.")
    return below, missing


def stale_chapters(seeds: dict, root: Path) -> list[str]:
    """What changed since ``seeds.json`` was measured: "the lock" if it
    did, and the chapters whose code cells differ or one of whose imported
    ``dlbook`` modules was edited (or that have no record of them)."""
    stale = []
    if seeds.get("lock_digest") != inputs_digest(root, chapters=False,
                                                 package=False):
        stale.append("the lock")
    for name, chapter in seeds.get("chapters", {}).items():
        path = Path(root) / BOOK / f"{name}.md"
        if (not path.is_file()
                or chapter.get("code_digest") != code_digest(chapter_notebook(path))
                or changed_modules(chapter.get("modules"), root) != []):
            stale.append(name)
    return stale


def _seed_range(seeds: list[int]) -> str:
    return f"{seeds[0]} to {seeds[-1]}" if len(seeds) > 2 else " and ".join(
        map(str, seeds))


def provenance_markdown(seeds: dict, titles: dict[str, str]) -> list[str]:
    """Where and how the spreads were measured, and how floors follow.

    ``titles`` maps a chapter's page name to its short title ("Ch. 3").

    Examples
    --------
    >>> seeds = {"measured_at": "2026-12-05T09:00:00+00:00",
    ...          "machine": {"cpus": 2, "cpu_model": "X", "tensorflow": "2.21",
    ...                      "keras": "3.15"},
    ...          "chapters": {"a": {"seeds": [0, 1, 2, 3, 4], "seconds": [60] * 5,
    ...                             "failed_checks": []},
    ...                       "b": {"seeds": [0, 1, 2], "seconds": [600] * 3,
    ...                             "failed_checks": [{"seed": 2, "cell": 7,
    ...                                                "error": "AssertionError: "}]}}}
    >>> lines = provenance_markdown(seeds, {"a": "Ch. 1", "b": "Ch. 2"})
    >>> lines[0][:60]
    'Spreads measured by `make seeds` on 2026-12-05, in 35 min, o'
    >>> lines[0][-53:]
    '3.15: seeds 0 to 4 for Ch. 1, seeds 0 to 2 for Ch. 2.'
    >>> lines[-1]
    '- Ch. 2, seed 2, cell 7: AssertionError'
    """
    m = seeds["machine"]
    chapters = seeds["chapters"]
    minutes = sum(sum(c["seconds"]) for c in chapters.values()) / 60
    which = ", ".join(f"seeds {_seed_range(c['seeds'])} for {titles.get(n, n)}"
                      for n, c in chapters.items())
    lines = [
        f"Spreads measured by `make seeds` on {seeds['measured_at'][:10]}, in "
        f"{minutes:.0f} min, on a machine with {m['cpus']} CPU cores "
        f"({m['cpu_model']}), TensorFlow {m['tensorflow']} and Keras "
        f"{m['keras']}: {which}.", "",
        f"Each floor lies {FLOOR_MARGIN_SDS:g} standard deviations of its "
        "seeds beyond the worst seed (and at least "
        f"{FLOOR_MARGIN_MIN:.1%} of that seed's value), rounded outward to "
        f"{FLOOR_DIGITS} significant digits: far enough that another "
        "machine's arithmetic does not fail the build, close enough that a "
        "real loss does.",
    ]
    failed = [(n, f) for n, c in chapters.items() for f in c["failed_checks"]]
    if failed:
        lines += ["", "Checks of the chapters (hidden `assert` cells) that "
                  "failed during the measurement, which the build holds to "
                  "under its own seed; the figures above were still recorded:",
                  ""]
        lines += [f"- {titles.get(n, n)}, seed {f['seed']}, cell {f['cell']}: "
                  f"{f['error'].rstrip(': ')}" for n, f in failed]
    return lines


# --- The dot plot ----------------------------------------------------------------

#: The colour of text and axes: the light theme's text colour
#: (pydata-sphinx-theme's ``--pst-color-text-base``).
INK = "#222832"
#: Seeds, this build, the published figure and the floor: colours that keep
#: their contrast on a white and on a near-black page.
COLORS = {"seeds": "#4c8ed9", "build": "#e07b00", "published": "#c0399b",
          "floor": "#808080"}


def spread_figure(rows: list[dict], ink: str = INK) -> str:
    """One chapter's figures as an SVG dot plot, a panel per figure.

    Each row: ``label``, ``values`` (the seeds'), ``build`` (this build's
    value), ``reference`` (or None) and ``floor``. Seeds are dots, this
    build a diamond, the published figure a solid line, the floor a dotted
    one. Text and axes are drawn in ``ink``, on a transparent background.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    style = {"text.color": ink, "axes.edgecolor": ink,
             "axes.labelcolor": ink, "xtick.color": ink,
             "ytick.color": ink, "svg.fonttype": "none",
             "font.size": 9, "svg.hashsalt": "dlbook"}
    with plt.rc_context(style):
        titles = [textwrap.fill(row["label"], 88) for row in rows]
        heights = [1.0 + 0.18 * title.count("\n") for title in titles]
        fig, axes = plt.subplots(len(rows), 1, figsize=(6.4, sum(heights) + 0.45),
                                 squeeze=False,
                                 gridspec_kw={"height_ratios": heights})
        for ax, row, title in zip(axes[:, 0], rows, titles, strict=True):
            values = row["values"]
            ax.scatter(values, [0] * len(values), s=28, color=COLORS["seeds"],
                       alpha=0.8, label="seeds", zorder=3)
            ax.scatter([row["build"]], [0], s=60, marker="D", facecolor="none",
                       edgecolor=COLORS["build"], linewidth=1.6,
                       label="this build", zorder=4)
            ax.axvline(row["floor"], color=COLORS["floor"], linestyle=":",
                       linewidth=1.2, label="floor")
            if row["reference"] is not None:
                ax.axvline(row["reference"], color=COLORS["published"],
                           linewidth=1.6, label="published")
            ax.set_yticks([])
            ax.set_ylim(-1, 1)
            for side in ("left", "right", "top"):
                ax.spines[side].set_visible(False)
            ax.set_title(title, loc="left", fontsize=9)
            ax.set_facecolor("none")
        handles, labels = [], []
        for ax in axes[:, 0]:
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                if label not in labels:
                    handles.append(handle)
                    labels.append(label)
        fig.legend(handles, labels, loc="lower center", ncol=len(labels),
                   frameon=False, bbox_to_anchor=(0.5, 0))
        fig.patch.set_alpha(0)
        fig.tight_layout(rect=(0, 0.4 / (sum(heights) + 0.45), 1, 1))
        buffer = io.StringIO()
        # No date in its metadata: the same figure is the same file.
        fig.savefig(buffer, format="svg", transparent=True,
                    metadata={"Date": None})
        plt.close(fig)
    return buffer.getvalue()


def svg_size(svg: str) -> tuple[int, int]:
    """An SVG's width and height in CSS pixels, from its ``viewBox`` (which
    Matplotlib writes in points, 72 to the inch, against CSS's 96).

    Examples
    --------
    >>> svg_size('<svg width="460.8pt" height="72pt" viewBox="0 0 460.8 72">')
    (614, 96)
    """
    box = re.search(r'viewBox="([^"]+)"', svg)
    if box is None:
        raise ValueError("the SVG has no viewBox to size it by")
    width, height = (float(v) for v in box.group(1).split()[2:])
    return round(width * 96 / 72), round(height * 96 / 72)


def spread_figure_node(rows: list[dict], caption: str, alt: str,
                       folder: Path, prefix: str = "") -> nodes.raw:
    """The dot plot as an HTML figure: the SVG written into ``folder`` (the
    site's ``_images``), shown as a lazily loaded image with alt text, its
    size, and a caption.

    ``prefix`` leads from the page to the site's top folder. The file is
    named after its content, so that an unchanged figure keeps its name.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    svg = spread_figure(rows)
    name = f"spread-{hashlib.sha256(svg.encode()).hexdigest()[:16]}.svg"
    if not (folder / name).is_file():
        (folder / name).write_text(svg, encoding="utf-8")
    width, height = svg_size(svg)
    html = (f'<figure class="dlbook-spread-figure"><img '
            f'src="{prefix}{folder.name}/{name}" alt="{_escape(alt)}" '
            f'width="{width}" height="{height}" loading="lazy">'
            f"<figcaption>{_escape(caption)}</figcaption></figure>")
    return nodes.raw("", html, format="html")


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


# --- The role --------------------------------------------------------------------

def seeds_path(app: Sphinx) -> Path:
    """Where ``seeds.json`` is (the ``dlbook_seeds_file`` setting)."""
    return Path(app.confdir) / app.config.dlbook_seeds_file


class SeedSpreadRole(SphinxRole):
    """``{seed-spread}`KEY```: the published figure against KEY's seeds."""

    def run(self):
        path = seeds_path(self.env.app)
        self.env.note_dependency(str(path))
        try:
            entry = read_seeds(path)["results"].get(self.text)
        except ValueError as error:
            logger.warning(str(error), location=self.get_location())
            return [nodes.Text(self.text)], []
        if entry is None or entry.get("reference") is None:
            logger.warning(
                "seed-spread: %r has %s in %s; run `make seeds`, or name a "
                "result recorded with a published reference", self.text,
                "no spread" if entry is None else "no published figure", path,
                location=self.get_location())
            return [nodes.Text(self.text)], []
        return [nodes.inline(text=comparison(entry),
                             classes=["dlbook-seed-spread"])], []


def setup(app: Sphinx) -> dict:
    app.add_config_value("dlbook_seeds_file", "benchmarks/seeds.json", "env", str)
    app.add_role("seed-spread", SeedSpreadRole())
    return {"version": "1", "parallel_read_safe": True,
            "parallel_write_safe": True}
