"""The chart form, built from Python's description of each chart type: it and the JSON editor show one
spec, fields the form cannot show survive a form change, and a chart that cannot be drawn says why at
the field while the last good chart stays on screen."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from loupe.sample import sample_csv

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
START = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}  # the sample's first chart


def spec_on_screen(app: Any) -> dict[str, Any]:
    return dict(json.loads(app.page.locator("#chart-json").input_value()))


def apply_json(app: Any, spec: dict[str, Any]) -> None:
    page = app.page
    if not page.locator("#chart-json").is_visible():
        page.click(".chart-json summary")
    page.fill("#chart-json", json.dumps(spec))
    app.act(lambda: page.click("#chart-json-form button[type=submit]"))


def open_more(app: Any) -> None:
    if not app.page.locator(".chart-more").evaluate("(node) => node.open"):
        app.page.click(".chart-more summary")


def chart_title(app: Any) -> str:
    return str(app.page.locator("#chart svg > title").text_content())


def test_the_form_offers_every_option_and_round_trips_with_the_json(app: Any) -> None:
    page = app.page
    app.show_sample()
    app.act(lambda: page.select_option("#chart-type", "line"))
    assert page.locator("#chart-x").input_value() == "date"  # a line starts along the dates
    open_more(app)
    for name in ("time_unit", "scale", "trend", "forecast", "title", "x_title", "y_title", "format"):
        assert page.locator(f"#chart-{name}").is_visible(), name
    # Time grain auto, where a chart over dates starts: the sample's two years of days become weeks,
    # and the form says which grain it picked.
    assert spec_on_screen(app)["time_unit"] == "auto"
    assert page.locator("#chart-time_unit option[value=auto]").text_content() == "auto (week)"
    assert chart_title(app).endswith("by week")
    app.act(lambda: page.select_option("#chart-time_unit", "quarter"))
    assert chart_title(app).endswith("by quarter")
    assert spec_on_screen(app)["time_unit"] == "quarter"
    app.act(lambda: page.fill("#chart-title", "Weekly revenue") or page.press("#chart-title", "Enter"))
    assert chart_title(app) == "Weekly revenue"
    # A spec written as JSON shows in the form's fields.
    split = {"color": "channel", "mode": "normalized"}
    apply_json(app, {"type": "column", "x": "region", "y": "units", "agg": "mean", **split})
    assert page.locator("#chart-type").input_value() == "column"
    assert page.locator("#chart-agg").input_value() == "mean"
    assert page.locator("#chart-y").input_value() == "units"
    assert page.locator("#chart-mode").input_value() == "normalized"
    assert "normalized" in (page.locator("#chart svg desc").text_content() or "")
    app.act(lambda: page.select_option("#chart-mode", "stacked"))
    assert spec_on_screen(app)["mode"] == "stacked"
    app.act(lambda: page.select_option("#chart-labels", "true"))
    assert spec_on_screen(app)["labels"] is True
    app.act(lambda: page.fill("#chart-limit", "3") or page.press("#chart-limit", "Enter"))
    assert spec_on_screen(app)["limit"] == 3
    series = page.locator("#chart svg .legend-item").count()
    assert series >= 3
    assert page.locator("#chart svg .bar").count() == 3 * series  # three regions, a bar per channel


def test_a_spec_the_form_cannot_show_keeps_its_extra_fields(app: Any) -> None:
    page = app.page
    app.show_sample()
    apply_json(app, {"type": "bar", "x": "region", "y": "revenue", "series": "channel", "locale": "de-DE"})
    app.act(lambda: page.select_option("#chart-agg", "mean"))
    assert spec_on_screen(app) == {
        "type": "bar",
        "x": "region",
        "y": "revenue",
        "series": "channel",
        "locale": "de-DE",
        "agg": "mean",
    }
    # A forecast's season has no field: changing the horizon keeps it.
    line = {"type": "line", "x": "date", "y": "revenue", "time_unit": "month", "locale": "de-DE"}
    apply_json(app, {**line, "forecast": {"horizon": 6, "season": 12}})
    open_more(app)
    app.act(lambda: page.fill("#chart-forecast", "3") or page.press("#chart-forecast", "Enter"))
    assert spec_on_screen(app)["forecast"] == {"horizon": 3, "season": 12}
    assert page.locator("#chart svg .forecast-line").count() >= 1
    # Another chart type keeps the fields no chart type's form shows, and those both types have.
    app.act(lambda: page.select_option("#chart-type", "area"))
    assert spec_on_screen(app) == {**line, "type": "area", "forecast": {"horizon": 3, "season": 12}}


def test_an_alert_rule_is_set_in_the_form_and_a_list_of_rules_is_kept(app: Any) -> None:
    page = app.page
    app.show_sample()
    apply_json(app, {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"})
    open_more(app)
    # A rule without its number is refused at the rule's field; the last chart stays.
    app.act(lambda: page.select_option("#chart-alert-op", "<"))
    assert "needs a number 'value'" in page.inner_text("#chart-alert-op-error")
    app.act(lambda: page.fill("#chart-alert-value", "1e15") or page.press("#chart-alert-value", "Enter"))
    assert spec_on_screen(app)["alert"] == {"op": "<", "value": 1e15}
    bars = page.locator("#chart svg .bar").count()
    assert f"Alert: {bars} of {bars} bars below" in (page.locator("#chart svg desc").text_content() or "")
    # Several rules are more than the form shows: touching another field keeps them as they are.
    rules = [{"op": "<", "value": 1}, {"op": ">", "value": 1e15}]
    apply_json(app, {"type": "bar", "x": "region", "y": "revenue", "agg": "sum", "alert": rules})
    app.act(lambda: page.fill("#chart-title", "Revenue") or page.press("#chart-title", "Enter"))
    assert spec_on_screen(app)["alert"] == rules
    assert chart_title(app) == "Revenue"


def test_a_chart_that_cannot_be_drawn_says_why_and_keeps_the_last_chart(app: Any) -> None:
    page = app.page
    app.show_sample()
    good = chart_title(app)
    # A misspelt column, written as JSON: the message names the field and the column it meant.
    apply_json(app, {"type": "bar", "x": "region", "y": "revenu", "agg": "sum"})
    message = page.locator("#chart-y-error")
    assert message.is_visible()
    assert "revenu" in message.inner_text() and "revenue" in message.inner_text()
    assert page.locator("#chart-y").get_attribute("aria-invalid") == "true"
    assert chart_title(app) == good, "the last good chart stays"
    assert page.locator("#chart").get_attribute("data-stale") is not None
    assert page.locator("#chart-stale").is_visible()
    # Fixed in the form: drawn again, the error gone.
    app.act(lambda: page.select_option("#chart-y", "units"))
    assert page.locator("#chart").get_attribute("data-stale") is None
    assert not page.locator("#chart-y-error").is_visible()
    assert chart_title(app) == "Sum of units by region"
    # A wrong type for a field (a time grain over names) is shown at that field, under More options.
    apply_json(app, {"type": "line", "x": "units", "y": "revenue", "time_unit": "auto"})
    assert page.locator("#chart-time_unit-error").is_visible()
    assert "dates" in page.locator("#chart-time_unit-error").inner_text()
    assert chart_title(app) == "Sum of units by region"


def test_a_step_that_removes_the_charts_column_keeps_the_chart_and_names_the_field(app: Any) -> None:
    page = app.page
    app.show_sample()
    apply_json(app, START)
    good = chart_title(app)
    total = {"fn": "sum", "column": "revenue", "as": "revenue"}
    step = {"verb": "groupby", "by": ["product"], "aggs": [total]}
    page.fill("#step-json", json.dumps(step))
    app.act(lambda: page.click("#step-submit"))
    assert page.locator("#row-count").inner_text() == "6 rows"
    assert spec_on_screen(app)["x"] == "region", "the chart is not swapped for a default"
    assert "region" in page.locator("#chart-x-error").inner_text()
    assert chart_title(app) == good
    app.act(lambda: page.select_option("#chart-x", "product"))
    assert chart_title(app) == "Sum of revenue by product"
    assert page.locator("#chart svg .bar").count() == 6


def test_switching_type_picks_columns_that_suit_it(app: Any) -> None:
    page = app.page
    app.show_sample()
    apply_json(app, START)
    app.act(lambda: page.select_option("#chart-type", "heatmap"))
    spec = spec_on_screen(app)
    assert spec["x"] == "region" and spec["y"] not in ("region", None) and spec["value"] == "revenue"
    assert page.locator("#chart svg .cell").count() > 0
    app.act(lambda: page.select_option("#chart-type", "scatter"))
    spec = spec_on_screen(app)
    assert {spec["x"], spec["y"]} <= {"units", "unit_price", "revenue", "discount"}
    assert app.status() == ""


def test_a_table_can_have_a_second_chart(app: Any) -> None:
    """The document holds several charts per table: add one, edit it, show the first one again."""
    page = app.page
    app.show_sample()
    apply_json(app, START)
    first = chart_title(app)
    charts = page.locator("#chart-list [data-chart]")
    before = charts.count()
    app.act(lambda: page.click("#add-chart"))
    assert charts.count() == before + 1
    assert charts.last.get_attribute("aria-pressed") == "true"
    app.act(lambda: page.select_option("#chart-type", "line"))
    assert charts.last.inner_text().endswith("line")
    second = chart_title(app)
    assert second != first
    app.act(lambda: charts.nth(before - 1).click())
    assert chart_title(app) == first
    assert page.locator("#chart-type").input_value() == "bar"
    app.act(lambda: charts.last.click())
    assert chart_title(app) == second


def test_a_scatter_plots_alert_rule_marks_table_rows_while_scrolling(app: Any) -> None:
    page = app.page
    app.show_sample()
    apply_json(
        app, {"type": "scatter", "x": "unit_price", "y": "revenue", "alert": {"op": ">", "value": 300}}
    )
    listed = "(selector) => [...document.querySelectorAll(selector)].map((tr) => Number(tr.dataset.row))"
    high = {i for i, row in enumerate(SAMPLE) if float(row["revenue"]) > 300}
    marked, rows = "#table tbody tr.alert", "#table tbody tr[data-row]"
    shown = page.evaluate(listed, marked)
    assert shown and set(shown) == high & set(page.evaluate(listed, rows))
    label = page.locator("#table tbody tr.alert .alert-marker").first.get_attribute("aria-label")
    assert label == "alert: revenue > 300"
    # Rows fetched by scrolling carry the marks too (the rows request sends the chart).
    page.eval_on_selector("#table", "(el) => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('#table tbody tr[data-row]')]"
        ".some((tr) => Number(tr.dataset.row) === n)",
        arg=len(SAMPLE) - 1,
    )
    assert set(page.evaluate(listed, marked)) == high & set(page.evaluate(listed, rows))
    page.eval_on_selector("#table", "(el) => { el.scrollTop = 0; }")
    page.wait_for_function("() => document.documentElement.dataset.loupeWindow === '0'")
