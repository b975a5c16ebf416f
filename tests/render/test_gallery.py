"""The gallery specs run end to end on the sales sample: steps compile in the real pipeline, SQL
aggregates, and every chart renders. This keeps chart_steps honest about the verbs it uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from loupe.engine import Engine, Result
from loupe.pipeline import compile_pipeline, parse_pipeline
from loupe.read import read_bytes
from loupe.render.chart import (
    CHART_TYPES,
    chart_stats_steps,
    chart_steps,
    chart_table,
    render_chart,
    validate_chart,
)
from loupe.render.gallery import gallery_examples, gallery_specs
from loupe.render.table import render_table
from loupe.render.tree import find_all, svg_document, text_of, to_xml
from loupe.sample import sample_csv


@pytest.fixture(scope="module")
def engine() -> Engine:
    engine = Engine()
    engine.load(read_bytes(sample_csv().encode(), "sales.csv", name="sales"))
    return engine


def run(engine: Engine, steps: list[dict[str, Any]]) -> Result:
    query = compile_pipeline(
        parse_pipeline({"version": 1, "source": "sales", "steps": steps}), engine.schemas()
    )
    return engine.execute(query)


def test_gallery_has_every_chart_type() -> None:
    assert {spec["type"] for spec in gallery_specs()} == set(CHART_TYPES)


def test_gallery_specs_use_sample_columns(engine: Engine) -> None:
    for spec in gallery_specs():
        validate_chart(spec, engine.schema("sales"))


@pytest.mark.parametrize("spec", gallery_specs(), ids=lambda s: f"{s['type']}-{s.get('title')}")
def test_gallery_spec_renders_from_sql(engine: Engine, spec: dict[str, Any]) -> None:
    columns = engine.schema("sales")
    stats = None
    stats_steps = chart_stats_steps(spec, columns)
    if stats_steps:  # as the api does: the optional one-row query first
        found = run(engine, stats_steps)
        stats = dict(zip([c.name for c in found.columns], found.rows[0], strict=True))
    result = run(engine, chart_steps(spec, columns, stats=stats))
    assert 0 < len(result.rows) <= 20_001  # aggregated or sampled, never the raw million
    svg = render_chart(spec, result.columns, result.rows)
    marks = [
        n
        for tag in ("rect", "circle", "g", "path")  # big scatter plots draw a path per colour
        for n in find_all(svg, tag)
        if "mark" in str(n[1].get("class", "")).split()
    ]
    assert marks
    assert "<script" not in svg_document(svg)
    assert find_all(chart_table(spec, result.columns, result.rows), "td")


def test_histogram_with_stats_bins_in_sql(engine: Engine) -> None:
    spec = {"type": "histogram", "x": "revenue", "bins": 20}
    columns = engine.schema("sales")
    stats_steps = chart_stats_steps(spec, columns)
    assert stats_steps is not None
    stats = run(engine, stats_steps)
    row = dict(zip([c.name for c in stats.columns], stats.rows[0], strict=True))
    binned = run(engine, chart_steps(spec, columns, stats=row))
    distinct = run(engine, chart_steps(spec, columns))
    assert len(binned.rows) <= 2 * 20 < len(distinct.rows)  # "bins" is a target, nice widths win
    a = render_chart(spec, binned.columns, binned.rows)
    b = render_chart(spec, distinct.columns, distinct.rows)
    # Both routes draw the same bars.
    assert [n[1]["height"] for n in find_all(a, "rect", "bar")] == [
        n[1]["height"] for n in find_all(b, "rect", "bar")
    ]
    total = sum(int(r[1]) for r in binned.rows)
    assert total == len(run(engine, [{"verb": "filter", "column": "revenue", "op": "not_null"}]).rows)


def test_time_unit_buckets_in_sql(engine: Engine) -> None:
    spec = {"type": "line", "x": "date", "y": "revenue", "time_unit": "month"}
    result = run(engine, chart_steps(spec, engine.schema("sales")))
    assert len(result.rows) == 24  # two years of months
    assert result.rows[0][0] == "2023-01-01"
    for unit, first in [("year", "2023-01-01"), ("quarter", "2023-01-01"), ("week", "2022-12-26")]:
        rows = run(engine, chart_steps({**spec, "time_unit": unit}, engine.schema("sales"))).rows
        assert rows[0][0] == first


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Bins of width 10 from 0: edges fall in the bin they start; the maximum closes the last.
        ([0.0, 9.999999999999998, 10.0, 10.000000000000002, 45.5, 97.0], {0.0: 2, 10.0: 2, 40.0: 1, 90.0: 1}),
        ([0.0, 0.49, 0.5, 0.51, 1.0], {0.0: 2, 0.5: 3}),
        ([-5.0, -0.1, 0.0, 4.9], {-5.0: 2, 0.0: 2}),
    ],
)
def test_histogram_sql_bins_put_edges_in_the_right_bin(
    values: list[float], expected: dict[float, int]
) -> None:
    engine = Engine()
    csv = "revenue\n" + "\n".join(repr(v) for v in values) + "\n"
    engine.load(read_bytes(csv.encode(), "t.csv", name="sales"))
    spec = {"type": "histogram", "x": "revenue", "bins": 10 if values[-1] > 10 else 2}
    stats = {"min": min(values), "max": max(values)}
    rows = run(engine, chart_steps(spec, engine.schema("sales"), stats=stats)).rows
    assert {r[0]: r[1] for r in rows} == expected


@pytest.mark.parametrize("example", gallery_examples(), ids=lambda e: str(e["title"]))
def test_gallery_examples_run_their_pipeline_then_mark_the_table_and_the_chart(
    engine: Engine, example: dict[str, Any], snapshot: Callable[[str, str], None]
) -> None:
    steps = example["pipeline"]
    result = run(engine, steps)
    rows = result.rows[: example["rows"]]
    names = result.column_names
    flag, why = names.index("unusual"), names.index("why")
    table = render_table(result.columns, rows)
    body = find_all(table, "tr")[1:]
    flagged = [i for i, row in enumerate(rows) if row[flag] is True]
    assert len(flagged) >= 2, "the example's window shows flagged rows beside unflagged ones"
    assert [i for i, tr in enumerate(body) if tr[1].get("class") == "flagged"] == flagged
    marker = find_all(body[flagged[0]], "span", "flag-marker")[0]
    assert marker[1]["aria-label"] == f"outlier: {rows[flagged[0]][why]}"
    snapshot("gallery-flagged-table.html", to_xml(table))
    spec = example["chart"]
    found = run(engine, steps + chart_steps(spec, result.columns))
    months = {str(row[0])[:7] for row in result.rows if row[flag]}
    for theme in ("light", "dark"):
        svg = render_chart(spec, found.columns, found.rows, width=640, height=360, theme=theme)
        assert len(find_all(svg, "path", "flag-mark")) == len(months)
        words = text_of(find_all(svg, "desc")[0])
        assert f"Flagged as outliers (unusual): {len(months)} of 24 months." in words
        snapshot(f"gallery-flagged-line-{theme}.svg", svg_document(svg))
