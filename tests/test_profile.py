from __future__ import annotations

import json
import statistics

import pytest
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.pipeline import parse_pipeline
from loupe.profile import profile_column, profile_table
from loupe.table import Column, Table

T = Table(
    "t",
    (
        Column("n", "integer"),
        Column("f", "float"),
        Column("s", "text"),
        Column("d", "date"),
        Column("b", "boolean"),
    ),
    [
        (1, 0.5, "a", "2024-01-05", True),
        (2, 1.5, "bb", "2024-01-20", False),
        (2, None, "a", "2024-03-01", True),
        (10, 2.5, "", None, None),
        (None, -1.0, None, "2024-03-09", True),
    ],
)


@pytest.fixture
def engine() -> Engine:
    e = Engine()
    e.load(T)
    return e


def test_integer_profile(engine: Engine) -> None:
    p = profile_column(engine, "t", "n")
    values = [1, 2, 2, 10]
    assert (p["count"], p["nulls"], p["distinct"], p["min"], p["max"]) == (5, 1, 3, 1, 10)
    assert p["mean"] == statistics.mean(values)
    assert p["std"] == pytest.approx(statistics.stdev(values))
    assert p["median"] == statistics.median(values)
    assert p["quantiles"]["0.25"] == pytest.approx(1.75)
    assert sum(b["count"] for b in p["histogram"]) == 4
    assert p["histogram"][0] == {"start": 1.0, "end": 2.0, "count": 1}
    assert p["top"][0] == {"value": 2, "count": 2}


def test_float_histogram_covers_the_range(engine: Engine) -> None:
    p = profile_column(engine, "t", "f")
    bins = p["histogram"]
    assert bins[0]["start"] == -1.0 and bins[-1]["end"] == pytest.approx(2.5)
    assert sum(b["count"] for b in bins) == 4 and bins[-1]["count"] == 1


def test_text_date_and_boolean(engine: Engine) -> None:
    s = profile_column(engine, "t", "s")
    assert (s["min_length"], s["max_length"], s["empty"], s["distinct"]) == (0, 2, 1, 3)
    assert s["top"][0] == {"value": "a", "count": 2}
    d = profile_column(engine, "t", "d")
    assert (d["min"], d["max"]) == ("2024-01-05", "2024-03-09")
    assert d["histogram"] == [{"key": "2024-01", "count": 2}, {"key": "2024-03", "count": 2}]
    b = profile_column(engine, "t", "b")
    assert b["top"][0] == {"value": True, "count": 3} and b["min"] is False


def test_profile_of_a_pipeline_query(engine: Engine) -> None:
    query = engine.compile(parse_pipeline([{"verb": "filter", "column": "n", "op": ">", "value": 1}]), "t")
    p = profile_column(engine, query, "n")
    assert (p["count"], p["min"], p["max"]) == (3, 2, 10)


def test_table_profile_is_json_safe(engine: Engine) -> None:
    engine.load(Table("inf", (Column("x", "float"),), [(float("inf"),), (1.0,), (float("-inf"),)]))
    for name in ("t", "inf"):
        profile = profile_table(engine, name)
        json.dumps(profile, allow_nan=False)
    assert [c["name"] for c in profile_table(engine, "t")["columns"]] == ["n", "f", "s", "d", "b"]


def test_empty_and_all_null_columns() -> None:
    e = Engine()
    e.load(Table("e", (Column("x", "float"), Column("y", "text")), [(None, None), (None, None)]))
    p = profile_column(e, "e", "x")
    assert (p["count"], p["nulls"], p["min"], p["median"], p["histogram"]) == (2, 2, None, None, [])
    e.load(Table("z", (Column("x", "integer"),), []))
    assert profile_table(e, "z")["rows"] == 0


def test_unknown_column(engine: Engine) -> None:
    with pytest.raises(SpecError, match='did you mean "n"'):
        profile_column(engine, "t", "nn")


def test_single_value_column() -> None:
    e = Engine()
    e.load(Table("one", (Column("x", "float"),), [(3.0,)] * 4))
    p = profile_column(e, "one", "x")
    assert p["histogram"] == [{"start": 3.0, "end": 4.0, "count": 4}] and p["std"] == 0.0
