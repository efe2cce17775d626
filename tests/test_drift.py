"""dlbook_site.drift: a doctored copy of a site fails on a figure out of its
range over seeds, and lists a changed output, chapter by chapter."""

import json
import shutil

import nbformat
import pytest

from benchmarks.seeds import SCHEMA
from dlbook_site.drift import main
from dlbook_site.fresh_notebook import DOWNLOAD_MENU

SEEDS = {"schema": SCHEMA, "results": {"acc": {"min": 0.87, "max": 0.88}}}


def _site(folder, value=0.875, printed="loss 0.31\n"):
    (folder / "_sources").mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps({"results": [
        {"key": "acc", "value": value, "page": "ch02.html", "chapter": "ch02"}]}))
    (folder / "ch02.html").write_text(
        f'<ul class="{DOWNLOAD_MENU}"><li><a href="_sources/ch02.ipynb">'
        ".ipynb</a></li></ul>")
    cells = [nbformat.v4.new_code_cell("fit()", outputs=[nbformat.v4.new_output(
        "stream", name="stdout", text=printed)])]
    nbformat.write(nbformat.v4.new_notebook(cells=cells),
                   folder / "_sources" / "ch02.ipynb")
    return folder


@pytest.fixture
def published(tmp_path):
    seeds = tmp_path / "seeds.json"
    seeds.write_text(json.dumps(SEEDS))
    return _site(tmp_path / "published"), seeds


def _run(published, seeds, site, capsys, monkeypatch, tmp_path):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(["--published", str(published), "--site", str(site),
                 "--seeds", str(seeds)])
    return code, capsys.readouterr().out, summary.read_text()


def test_an_identical_build_passes_with_nothing_changed(
        published, capsys, monkeypatch, tmp_path):
    site, seeds = published
    copy = shutil.copytree(site, tmp_path / "new")
    code, out, summary = _run(site, seeds, copy, capsys, monkeypatch, tmp_path)
    assert code == 0 and out.strip() == summary.strip()
    assert "## ch02: 0 changed outputs" in out


def test_a_figure_outside_its_seed_range_fails_the_run(
        published, capsys, monkeypatch, tmp_path):
    site, seeds = published
    doctored = _site(tmp_path / "new", value=0.86)
    code, out, _ = _run(site, seeds, doctored, capsys, monkeypatch, tmp_path)
    assert code == 1
    assert ("acc: 0.8600 (published: 0.8750), outside its range over seeds, "
            "0.8700 to 0.8800") in out


def test_a_figure_outside_its_range_that_did_not_change_is_no_drift(
        tmp_path, capsys, monkeypatch):
    seeds = tmp_path / "seeds.json"
    seeds.write_text(json.dumps(SEEDS))
    site = _site(tmp_path / "published", value=0.86)
    copy = shutil.copytree(site, tmp_path / "new")
    code, out, _ = _run(site, seeds, copy, capsys, monkeypatch, tmp_path)
    assert code == 0, out


def test_a_changed_output_is_listed_by_chapter_and_passes(
        published, capsys, monkeypatch, tmp_path):
    site, seeds = published
    doctored = _site(tmp_path / "new", value=0.879, printed="loss 0.29\n")
    code, out, _ = _run(site, seeds, doctored, capsys, monkeypatch, tmp_path)
    assert code == 0
    assert "acc: 0.8750 → 0.8790" in out
    assert "## ch02: 1 changed outputs\n\n- `fit()`: `-loss 0.31` `+loss 0.29`" in out


def test_a_folder_without_a_site_names_the_fix(published, tmp_path, capsys):
    site, seeds = published
    with pytest.raises(SystemExit):
        main(["--published", str(tmp_path), "--site", str(site),
              "--seeds", str(seeds)])
    assert "holds no built site" in capsys.readouterr().err
