"""The chart builder's description (loupe.render.chart_form), the default chart, and time grain "auto"
(loupe.render.grain): the form offers every field the renderer reads and nothing it would refuse."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.errors import SpecError
from loupe.render.chart import CHART_TYPES, validate_chart
from loupe.render.chart_form import CHART_FIELDS, chart_form, default_chart
from loupe.render.grain import readable_unit, resolve_grain
from loupe.render.spec import _FIELDS, parse_chart
from loupe.sample import sample_csv
from loupe.table import Column

DAY = 86_400.0
SAMPLE_COLUMNS = [
    Column("date", "date"),
    Column("region", "text"),
    Column("product", "text"),
    Column("channel", "text"),
    Column("units", "integer"),
    Column("unit_price", "float"),
    Column("revenue", "float"),
    Column("discount", "float"),
    Column("returned", "boolean"),
]
FORM = {t["name"]: t for t in chart_form()["types"]}


def test_every_chart_type_has_a_form_with_labelled_fields() -> None:
    assert list(FORM) == list(CHART_TYPES)
    json.dumps(chart_form())  # it crosses the worker boundary
    groups = {g["name"] for g in chart_form()["groups"]}
    for chart_type in FORM.values():
        assert chart_type["label"] and chart_type["description"]
        names = [f["name"] for f in chart_type["fields"]]
        assert len(names) == len(set(names)), chart_type["name"]
        for field in chart_type["fields"]:
            assert field["label"] and field["help"] and field["group"] in groups, field
            assert field["kind"] != "choice" or field["choices"], field
            # The page shows what leaving a field out means: its default, or the words for none.
            assert field["required"] or "default" in field or field.get("unset"), field


def test_the_forms_cover_every_spec_field_the_renderer_reads() -> None:
    shown = {f.name.split(".")[0] for fields in CHART_FIELDS.values() for f in fields}
    # "series" is a synonym of "color"; "locale" is the page's language, sent with every request.
    assert shown | {"type", "series", "locale"} == set(_FIELDS)


def value_for(field: dict[str, Any], used: list[str]) -> Any:
    """A value the form could send for this field, other than the renderer's default."""
    kind = field["kind"]
    if kind == "column":
        types = field.get("types") or [c.type for c in SAMPLE_COLUMNS]
        prefer = field.get("prefer", [])
        fitting = [c for c in SAMPLE_COLUMNS if c.type in types and c.name not in used]
        fitting.sort(key=lambda c: c.type not in prefer)
        return fitting[0].name
    if kind == "choice":
        values = [c["value"] for c in field["choices"] if c["value"] != field.get("default")]
        return values[-1]
    if kind == "integer":
        return field.get("minimum", 1) + 4 if "default" not in field else field["default"] // 2
    if kind == "bool":
        return True
    if kind == "forecast":
        return {"horizon": 3}
    if kind == "number":
        return 1234.5
    if kind == "range":  # as the page sends "2023-01-01..2023-12-31" and "2024-01-01.."
        return ["2023-01-01", "2023-12-31"] if field["name"].endswith("before") else ["2024-01-01", None]
    return "USD" if field["name"] == "currency" else f"My {field['name']}"


@pytest.mark.parametrize("chart_type", list(CHART_TYPES))
def test_a_spec_with_every_field_of_the_form_draws(chart_type: str, tmp_path: Path) -> None:
    """Every field the form offers for a type, set at once to a non-default value, is accepted and
    drawn on the sample: the description never offers what the renderer would refuse."""
    spec: dict[str, Any] = {"type": chart_type}
    for field in FORM[chart_type]["fields"]:
        head, _, key = field["name"].partition(".")  # "compare.before": the key of an object field
        into = spec.setdefault(head, {}) if key else spec
        if field["name"] == "x" and chart_type in ("line", "area"):
            spec["x"] = "date"  # a forecast needs dates along x
        elif field["name"] == "format":
            spec["format"] = "currency"
        elif field["name"] == "compare.column":
            into[key] = "date"  # the sample's one date column, which the ranges are of
        else:
            used = [v for k, v in spec.items() if k in ("x", "y", "color", "value")]
            into[key or head] = value_for(field, used)
    validate_chart(spec, SAMPLE_COLUMNS)
    data = tmp_path / "sales.csv"
    data.write_text(sample_csv(), encoding="utf-8")
    assert api.handle("open", {"session": f"form-{chart_type}", "path": str(data)})["ok"]
    reply = api.handle("chart", {"session": f"form-{chart_type}", "chart": spec})
    assert reply["ok"], (spec, reply.get("error"))
    assert reply["result"]["chart"][0] == "svg"


@pytest.mark.parametrize("chart_type", list(CHART_TYPES))
def test_every_choice_the_form_offers_parses(chart_type: str) -> None:
    for field in FORM[chart_type]["fields"]:
        for choice in field.get("choices", []):
            base: dict[str, Any] = {"type": chart_type, "x": "a", "y": "b"}
            if chart_type == "changes":
                base["compare"] = {"before": "b > 1", "after": "b <= 1"}
            if chart_type == "heatmap":
                base["value"] = "c"
            head, _, key = field["name"].partition(".")
            if head == "alert":  # a rule needs its number too
                base["alert"] = {"op": choice["value"], "value": 1}
            else:
                base[head] = {**base.get(head, {}), key: choice["value"]} if key else choice["value"]
            parse_chart(base, list(CHART_TYPES))


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (SAMPLE_COLUMNS, {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}),
        (
            [Column("n", "integer"), Column("city", "text")],
            {"type": "bar", "x": "city", "y": "n", "agg": "sum"},
        ),
        ([Column("ok", "boolean")], {"type": "bar", "x": "ok", "agg": "count"}),
        (
            [Column("day", "date"), Column("total_cost", "float"), Column("id", "integer")],
            {"type": "line", "x": "day", "y": "total_cost", "agg": "sum", "time_unit": "auto"},
        ),
        ([Column("at", "datetime")], {"type": "line", "x": "at", "agg": "count", "time_unit": "auto"}),
        ([Column("height", "float")], {"type": "histogram", "x": "height"}),
        ([], None),
    ],
)
def test_default_chart(columns: list[Column], expected: dict[str, Any] | None) -> None:
    chart = default_chart(columns)
    assert chart == expected
    if chart is not None:
        validate_chart(chart, columns)


@pytest.mark.parametrize(
    ("days", "distinct", "most", "unit"),
    [
        (730, 731, 120, "week"),  # two years of days, as a line: weeks
        (730, 731, 40, "month"),  # the same as bars (at most 40): months
        (730, 25, 120, "month"),  # monthly data stays monthly, never weeks
        (30, 31, 120, "day"),  # a month of days reads as days
        (3, 73, 120, "hour"),  # three days of hourly readings
        (20 * 365, 7306, 120, "quarter"),  # twenty years of days
        (200 * 365, 73_000, 120, "year"),
        (0.01, 10, 120, None),  # a few moments seconds apart: no calendar unit
        (0, 1, 120, None),  # one moment
    ],
)
def test_readable_unit(days: float, distinct: int, most: int, unit: str | None) -> None:
    assert readable_unit(0, days * DAY, distinct, most) == unit


@pytest.mark.parametrize(
    ("chart_type", "stats", "unit"),
    [
        ("line", {"min_x": "2023-01-01", "max_x": "2024-12-31", "distinct_x": 731}, "week"),
        ("column", {"min_x": "2023-01-01", "max_x": "2024-12-31", "distinct_x": 731}, "month"),
        ("line", {"min_x": "North", "max_x": "West", "distinct_x": 5}, None),  # names are not dates
        ("line", None, None),  # no stats: no bucketing
    ],
)
def test_resolve_grain(chart_type: str, stats: dict[str, Any] | None, unit: str | None) -> None:
    spec = parse_chart({"type": chart_type, "x": "date", "time_unit": "auto"}, list(CHART_TYPES))
    assert resolve_grain(spec, stats).time_unit == unit


def test_a_wider_bar_limit_allows_a_finer_grain() -> None:
    spec = parse_chart({"type": "column", "x": "date", "time_unit": "auto", "limit": 200}, list(CHART_TYPES))
    assert (
        resolve_grain(spec, {"min_x": "2023-01-01", "max_x": "2024-12-31", "distinct_x": 731}).time_unit
        == "week"
    )


@pytest.fixture(scope="module")
def sales(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = tmp_path_factory.mktemp("grain") / "sales.csv"
    data.write_text(sample_csv(), encoding="utf-8")
    reply = api.handle("open", {"session": "grain", "path": str(data)})
    assert reply["ok"]
    return dict(reply["result"])


def test_opening_a_table_returns_its_default_chart(sales: dict[str, Any]) -> None:
    assert sales["default_chart"] == {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}


def week_start(day: str) -> str:
    moment = dt.date.fromisoformat(day)
    return (moment - dt.timedelta(days=moment.weekday())).isoformat()


BUCKETS = {"week": week_start, "month": lambda day: day[:7]}


@pytest.mark.parametrize(("chart_type", "unit"), [("line", "week"), ("column", "month")])
def test_auto_grain_on_the_samples_two_years_of_days(
    sales: dict[str, Any], chart_type: str, unit: str
) -> None:
    """Two years of days become weeks on a line and months as columns, one point per bucket."""
    points = len({BUCKETS[unit](row.split(",", 1)[0]) for row in sample_csv().splitlines()[1:]})
    chart = {"type": chart_type, "x": "date", "y": "revenue", "time_unit": "auto"}
    reply = api.handle("view", {"session": "grain", "chart": chart, "limit": 1})
    result = reply["result"]
    assert result["chart_time_unit"] == unit
    table = api.handle("chart", {"session": "grain", "chart": chart})["result"]["table"]
    caption = next(n for n in table[2:] if isinstance(n, list) and n[0] == "caption")
    assert caption[2] == f"Sum of revenue by {unit}"
    body = next(n for n in table[2:] if isinstance(n, list) and n[0] == "tbody")
    assert len([row for row in body[2:] if isinstance(row, list)]) == points


def test_auto_grain_on_a_column_that_holds_no_dates_says_so(sales: dict[str, Any]) -> None:
    reply = api.handle(
        "chart", {"session": "grain", "chart": {"type": "line", "x": "units", "time_unit": "auto"}}
    )
    assert not reply["ok"]
    assert reply["error"]["field"] == "time_unit"
    with pytest.raises(SpecError):
        validate_chart({"type": "line", "x": "units", "time_unit": "auto"}, SAMPLE_COLUMNS)


def test_the_page_can_fetch_the_chart_form() -> None:
    reply = api.handle("chart_form", {})
    assert reply["ok"]
    assert [t["name"] for t in reply["result"]["types"]] == list(CHART_TYPES)
