"""Trend and forecast marks over line, area and scatter charts: what a reader sees and reads."""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.errors import SpecError
from loupe.render.chart import render_chart, validate_chart
from loupe.render.tree import Node, find_all, svg_document, text_of
from loupe.table import Column, Value

Snapshot = Callable[[str, str], None]


def months(n: int, start: int = 2022) -> list[str]:
    return [dt.date(start + k // 12, k % 12 + 1, 1).isoformat() for k in range(n)]


MONTHLY_COLUMNS = [Column("date", "date"), Column("sum_revenue", "float")]
MONTHLY_ROWS: list[tuple[Value, ...]] = [
    (d, round(1000 + 25 * k + 150 * math.sin(2 * math.pi * k / 12) + (k * 37 % 11) * 4, 2))
    for k, d in enumerate(months(36))
]
FORECAST_SPEC = {
    "type": "line",
    "x": "date",
    "y": "revenue",
    "time_unit": "month",
    "forecast": {"horizon": 6},
}
SCATTER_COLUMNS = [Column("price", "float"), Column("units", "float"), Column("shop", "text")]
SCATTER_ROWS: list[tuple[Value, ...]] = [
    (p, (40 - 2 * p if shop == "A" else 10 + p) + (p * 7 % 3), shop)
    for p in range(1, 16)
    for shop in ("A", "B")
]
TREND_SPEC = {"type": "scatter", "x": "price", "y": "units", "color": "shop", "trend": "linear"}


def well_formed(svg: Node) -> str:
    doc = svg_document(svg)
    ET.fromstring(doc.split("\n", 1)[1])
    return doc


def description(svg: Node) -> str:
    return text_of(find_all(svg, "desc")[0])


def notes(svg: Node) -> list[str]:
    """The notes under the chart, top to bottom."""
    found = find_all(svg, "text", "note")
    return [text_of(n) for n in sorted(found, key=lambda n: float(n[1]["y"]))]


def path_xs(node: Node) -> list[float]:
    d = str(node[1]["d"]).strip("MZ")
    return [float(p.split(",")[0]) for p in d.replace("M", "L").split("L")]


def test_forecast_draws_bands_and_a_line_past_the_last_point_and_says_so() -> None:
    svg = render_chart(FORECAST_SPEC, MONTHLY_COLUMNS, MONTHLY_ROWS)
    line = find_all(svg, "path", "line")[0]
    forecast = find_all(svg, "path", "forecast-line")[0]
    assert min(path_xs(forecast)) == pytest.approx(max(path_xs(line)), abs=0.01)  # joins the last point
    assert max(path_xs(forecast)) > max(path_xs(line)) + 20
    assert len(find_all(svg, "path", "forecast-80")) == len(find_all(svg, "path", "forecast-95")) == 1
    words = description(svg)
    assert (
        "Forecast: 6 months ahead by Holt-Winters (season 12). Backtest on the last 6 months: MAPE" in words
    )
    assert notes(svg)[0] == "Forecast: 6 months ahead by Holt-Winters (season 12)."
    assert notes(svg)[1].startswith("Backtest on the last 6 months: MAPE ")


def test_forecast_x_axis_reaches_the_horizon() -> None:
    svg = render_chart(FORECAST_SPEC, MONTHLY_COLUMNS, MONTHLY_ROWS)
    labels = [text_of(t) for t in find_all(svg, "text", "tick-label")]
    assert any("2025" in label for label in labels)  # data ends Dec 2024; the forecast runs to Jun 2025


def test_short_series_falls_back_and_a_too_short_one_becomes_a_note() -> None:
    short = render_chart(FORECAST_SPEC, MONTHLY_COLUMNS, MONTHLY_ROWS[:8])
    assert "by drift" in description(short)
    tiny = render_chart(FORECAST_SPEC, MONTHLY_COLUMNS, MONTHLY_ROWS[:2])
    assert "No forecast: a forecast needs at least 3 points, got 2." in notes(tiny)
    assert find_all(tiny, "path", "line")  # the chart itself is still drawn


def test_forecast_per_series_on_grouped_areas_and_none_on_stacked() -> None:
    columns = [Column("date", "date"), Column("region", "text"), Column("sum_revenue", "float")]
    rows = [(d, r, v + (50 if r == "N" else 0)) for d, v in MONTHLY_ROWS for r in ("N", "S")]
    grouped = {**FORECAST_SPEC, "type": "area", "color": "region", "mode": "grouped"}
    svg = render_chart(grouped, columns, rows)
    assert len(find_all(svg, "path", "forecast-line")) == 2
    assert "N: Forecast" in description(svg) and "S: Forecast" in description(svg)
    stacked = render_chart({**grouped, "mode": "stacked"}, columns, rows)
    assert not find_all(stacked, "path", "forecast-line")
    assert any("No forecast on stacked areas" in n for n in notes(stacked))


def test_scatter_trend_per_colour_group_in_its_colour() -> None:
    svg = render_chart(TREND_SPEC, SCATTER_COLUMNS, SCATTER_ROWS)
    lines = find_all(svg, "path", "trend-line")
    bands = find_all(svg, "path", "trend-band")
    assert len(lines) == len(bands) == 2
    assert {line[1]["stroke"] for line in lines} == {band[1]["fill"] for band in bands}
    words = description(svg)
    assert "A: Trend: -2.0 per 1 of price (R² 0.9" in words
    assert re.search(r"B: Trend: \+0\.9\d\d per 1 of price \(R² 0\.9\d\)", words)


def test_trend_on_a_monthly_line_reads_percent_a_month() -> None:
    svg = render_chart({**FORECAST_SPEC, "forecast": None, "trend": "linear"}, MONTHLY_COLUMNS, MONTHLY_ROWS)
    assert find_all(svg, "path", "trend-line")
    assert "% a month (R² 0." in description(svg)


def test_loess_curve_follows_the_season() -> None:
    svg = render_chart({**FORECAST_SPEC, "forecast": None, "trend": "loess"}, MONTHLY_COLUMNS, MONTHLY_ROWS)
    curve = find_all(svg, "path", "trend-line")[0]
    assert len(path_xs(curve)) == len(MONTHLY_ROWS)
    assert not find_all(svg, "path", "trend-band")
    assert "Trend: a LOESS curve through 36 points." in description(svg)


def test_trend_over_categories_is_a_note() -> None:
    columns = [Column("region", "text"), Column("sum_units", "float")]
    svg = render_chart(
        {"type": "line", "x": "region", "y": "units", "trend": "linear"}, columns, [("a", 1), ("b", 2)]
    )
    assert "No trend: region holds neither numbers nor dates." in notes(svg)


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [
        ({"type": "bar", "x": "d", "trend": "linear"}, "trend", "cannot show a trend"),
        ({"type": "line", "x": "d", "trend": "cubic"}, "trend", "unknown value"),
        ({"type": "scatter", "x": "n", "y": "n", "forecast": {"horizon": 3}}, "forecast", "cannot show"),
        ({"type": "line", "x": "d", "forecast": 6}, "forecast", "must be an object"),
        ({"type": "line", "x": "d", "forecast": {}}, "forecast", "needs a 'horizon'"),
        ({"type": "line", "x": "d", "forecast": {"horizon": 0}}, "horizon", "whole number from 1"),
        (
            {"type": "line", "x": "d", "forecast": {"horizon": 3, "seasons": 4}},
            "forecast",
            "unknown forecast",
        ),
        ({"type": "line", "x": "n", "forecast": {"horizon": 3}}, "forecast", "needs dates in x"),
    ],
)
def test_bad_insight_fields_are_spec_errors(spec: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        validate_chart(spec, [Column("d", "date"), Column("n", "float")])
    assert caught.value.field == field


def test_marks_stay_inside_the_chart() -> None:
    svg = render_chart(FORECAST_SPEC, MONTHLY_COLUMNS, MONTHLY_ROWS, width=480, height=300)
    for node in find_all(svg, "path", "forecast-95"):
        assert all(0 <= x <= 480 for x in path_xs(node))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_snapshot_forecast(theme: str, snapshot: Snapshot) -> None:
    svg = render_chart(FORECAST_SPEC, MONTHLY_COLUMNS, MONTHLY_ROWS, width=480, height=300, theme=theme)
    snapshot(f"insight-forecast-{theme}.svg", well_formed(svg))


def test_snapshot_scatter_trend(snapshot: Snapshot) -> None:
    svg = render_chart(TREND_SPEC, SCATTER_COLUMNS, SCATTER_ROWS, width=480, height=300)
    snapshot("insight-trend.svg", well_formed(svg))


def test_snapshot_loess(snapshot: Snapshot) -> None:
    spec = {**FORECAST_SPEC, "forecast": None, "trend": "loess"}
    snapshot(
        "insight-loess.svg",
        well_formed(render_chart(spec, MONTHLY_COLUMNS, MONTHLY_ROWS, width=480, height=300)),
    )


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat)),
            st.one_of(st.none(), st.floats(-1e12, 1e12), st.integers(-(10**6), 10**6)),
        ),
        max_size=40,
    ),
    horizon=st.integers(1, 24),
    trend=st.sampled_from(["linear", "loess"]),
)
def test_any_series_draws_or_explains_itself(
    rows: list[tuple[Value, Value]], horizon: int, trend: str
) -> None:
    spec = {**FORECAST_SPEC, "forecast": {"horizon": horizon}, "trend": trend}
    svg = render_chart(spec, MONTHLY_COLUMNS, sorted(rows, key=lambda r: str(r[0])))
    well_formed(svg)
