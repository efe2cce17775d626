"""Tests of dlbook.results: recording the headline figures."""

import math

import pytest

from dlbook.results import (
    MIME_TYPE,
    SOURCES,
    make_result,
    notebook_results,
    record_result,
)

ARGS = {"description": "IMDB, dense network", "metric": "test accuracy"}


def test_a_result_keeps_what_it_was_given():
    result = make_result("imdb-test", 0.88, reference=0.885,
                         source="chollet2017", **ARGS)
    assert result.to_dict() == {
        "key": "imdb-test", "value": 0.88, "description": ARGS["description"],
        "metric": "test accuracy", "higher_is_better": True,
        "reference": 0.885, "source": "chollet2017",
    }


def test_a_floor_is_no_longer_the_chapters_to_set():
    # The build derives each floor from the spread over seeds.
    with pytest.raises(TypeError, match="floor"):
        record_result("imdb-test", 0.85, floor=0.86, **ARGS)


def test_notebook_results_reads_back_what_record_result_stored():
    import nbformat

    a = make_result("a", 0.9, **ARGS)
    b = make_result("b", 2.5, higher_is_better=False, **ARGS)
    cells = [nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={
            "application/papermill.record/" + MIME_TYPE: r.to_dict()})])
        for r in (a, b)]
    cells.append(nbformat.v4.new_markdown_cell("prose"))
    assert notebook_results(nbformat.v4.new_notebook(cells=cells)) == [a, b]


def test_record_result_returns_the_value_as_a_float():
    import numpy as np

    value = record_result("k", np.float32(0.75), **ARGS)
    assert isinstance(value, float) and value == pytest.approx(0.75)


@pytest.mark.parametrize("key", ["Imdb", "imdb test", "", "-imdb", "imdb-"])
def test_bad_keys_are_refused(key):
    with pytest.raises(ValueError, match="key must be lower-case"):
        make_result(key, 0.5, **ARGS)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_values_are_refused(value):
    with pytest.raises(ValueError, match="value must be finite"):
        make_result("k", value, **ARGS)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.9", "value must be an instance of float, not str"),
        (None, "value must be an instance of float, not NoneType"),
        (True, "value must be a real number, not bool"),
        ([0.9], "value must be an instance of float, not list"),
    ],
)
def test_non_numbers_are_refused(value, message):
    with pytest.raises(TypeError, match=message):
        make_result("k", value, **ARGS)


def test_reference_needs_a_known_source():
    with pytest.raises(ValueError, match="reference and source go together"):
        make_result("k", 0.5, reference=0.6, **ARGS)
    with pytest.raises(ValueError, match="unknown source 'nature'.*chollet2017"):
        make_result("k", 0.5, reference=0.6, source="nature", **ARGS)


def test_empty_description_is_refused():
    with pytest.raises(ValueError, match="description must be a non-empty"):
        make_result("k", 0.5, description=" ", metric="m")


def test_every_source_has_a_citation_and_an_https_address():
    for citation, url in SOURCES.values():
        assert citation.strip() and url.startswith("https://")


def test_a_result_displays_as_json_of_its_own_type():
    result = make_result("k", 0.5, **ARGS)
    bundle = result._repr_mimebundle_()
    assert MIME_TYPE.endswith("+json")
    assert bundle[MIME_TYPE]["value"] == 0.5
