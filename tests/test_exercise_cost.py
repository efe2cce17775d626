"""dlbook_site.exercise_cost: a chapter's cell time split into lesson,
exercises and go-further, on tiny pages made here."""

import json

import pytest

from dlbook_site.exercise_cost import cell_parts, cost_by_part, exercise_cost
from dlbook_site.time_split import TimeSplit
from tests.pages import myst_page

PAGE = myst_page("""# A chapter

```{code-cell} ipython3
lesson = 1
```

## Exercises

```{code-cell} ipython3
from dlbook.exercises import check
```

````{solution-start} ch04-go-further-boston
:class: dropdown
````

```{code-cell} ipython3
trained = 2
```

```{code-cell} ipython3
:tags: [remove-cell]
recorded = 3
```

````{solution-end}
````

```{code-cell} ipython3

```

```{code-cell} ipython3
after = 4
```
""")


def _split(path, seconds):
    split = TimeSplit(path)
    split.cells = [{"seconds": s} for s in seconds]
    split.write()
    return path


def test_cells_are_given_their_part_of_the_page_from_the_source(tmp_path):
    source = tmp_path / "ch04.md"
    source.write_text(PAGE, encoding="utf-8")
    split = _split(tmp_path / "ch04.json", [10.0, 0.5, 60.0, 0.25, 1.0])
    assert exercise_cost(source, split) == {
        "lesson": 10.0, "exercises": 1.5, "go_further": 60.25}


def test_a_solution_of_another_kind_stays_in_the_exercises():
    md = [{"cell_type": "markdown", "source": "## Exercises"},
          {"cell_type": "markdown", "source": "````{solution-start} ch04-normalize"},
          {"cell_type": "code", "source": "x = 1"},
          {"cell_type": "markdown", "source": "````{solution-end}"}]
    assert cell_parts(md, ["ch04-go-further-boston"]) == ["exercises"]


def test_a_page_without_exercises_is_all_lesson():
    cells = [{"cell_type": "code", "source": "x = 1"},
             {"cell_type": "markdown", "source": "## Summary"},
             {"cell_type": "code", "source": "y = 2"}]
    assert cell_parts(cells, []) == ["lesson", "lesson"]


def test_a_split_of_another_version_of_the_page_is_refused_by_name():
    with pytest.raises(ValueError, match="another version of the page"):
        cost_by_part(["lesson", "exercises"], [1.0])


def test_a_missing_or_broken_split_gives_none(tmp_path):
    source = tmp_path / "ch04.md"
    source.write_text(PAGE, encoding="utf-8")
    assert exercise_cost(source, tmp_path / "missing.json") is None
    (tmp_path / "broken.json").write_text(json.dumps({"seconds": {}}))
    assert exercise_cost(source, tmp_path / "broken.json") is None
