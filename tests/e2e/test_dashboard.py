"""The dashboard and cross-filtering: every chart of the table is drawn (the one in the chart form, the
others on cards); clicking a bar selects its rows, so the table and the other charts filter to them
while the clicked chart stays whole with its bar highlighted; Escape or "Clear selection" undoes it,
and "Keep as a filter step" turns it into a step that Undo takes back. "View as table" shows what the
chart shows, and the Export menu offers the selected rows (the whole result unless ticked)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from loupe.sample import sample_csv

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
REGIONS = Counter(r["region"] for r in SAMPLE)
BY_REGION = {"type": "bar", "x": "region", "y": "revenue", "agg": "sum"}  # chart 1 (the sample's first)
BY_PRODUCT = {"type": "column", "x": "product", "agg": "count"}  # chart 2


def rows_text(n: int) -> str:
    return f"{n:,} rows"


def apply_json(app: Any, spec: dict[str, Any]) -> None:
    page = app.page
    if not page.locator("#chart-json").is_visible():
        page.click(".chart-json summary")
    page.fill("#chart-json", json.dumps(spec))
    app.act(lambda: page.click("#chart-json-form button[type=submit]"))


def counter(app: Any, name: str) -> int:
    return int(app.page.evaluate(f"() => Number(document.documentElement.dataset.{name} || 0)"))


def cross_filter(app: Any, action: Any) -> None:
    """Do something that changes the selection, and wait until the table and every chart show it."""
    before = counter(app, "loupeCrossfilter")
    action()
    app.page.wait_for_function(
        "(n) => Number(document.documentElement.dataset.loupeCrossfilter || 0) > n", arg=before
    )
    app.wait_ready()


def dashboard_drawn(app: Any, action: Any) -> None:
    """Do something that changes the document, and wait for the view and the cards to be drawn."""
    page = app.page
    before = page.evaluate("() => Number(document.querySelector('#dashboard').dataset.loupeDashboard || 0)")
    app.act(action)
    page.wait_for_function(
        "(n) => Number(document.querySelector('#dashboard').dataset.loupeDashboard || 0) > n", arg=before
    )


def card_desc(app: Any) -> str:
    return str(app.page.locator("#dashboard .dash-card svg desc").first.text_content())


def two_charts(app: Any) -> None:
    """The sample: chart 1 (revenue by region) in the chart form, chart 2 (rows by product) on a card."""
    page = app.page
    app.show_sample()
    apply_json(app, BY_REGION)
    if page.locator("#chart-list [data-chart]").count() < 2:
        app.act(lambda: page.click("#add-chart"))
        apply_json(app, BY_PRODUCT)
    dashboard_drawn(app, lambda: page.locator("#chart-list [data-chart]").first.click())
    assert page.locator("#dashboard .dash-card").count() == 1


def test_a_bar_cross_filters_the_table_and_a_second_chart(app: Any) -> None:
    page = app.page
    two_charts(app)
    whole = card_desc(app)
    assert "Kettle with 794" in whole
    assert page.locator("#row-count").inner_text() == rows_text(len(SAMPLE))
    north = page.locator("#chart svg .bar[data-select*='\"North\"']")
    cross_filter(app, lambda: north.click())
    assert page.locator("#row-count").inner_text() == rows_text(REGIONS["North"])
    products = Counter(r["product"] for r in SAMPLE if r["region"] == "North")
    top, count = products.most_common(1)[0]
    assert f"{top} with {count}" in card_desc(app)
    assert set(app.column("region")) == {"North"}
    # The clicked chart stays whole, its bar highlighted and the others dimmed.
    assert page.locator("#chart svg .bar").count() == len(REGIONS)
    assert page.locator("#chart svg.has-selection .bar.selected").count() == 1
    assert "North" in page.locator("#selection-bar").inner_text()
    # Escape restores the table and the other chart.
    cross_filter(app, lambda: page.keyboard.press("Escape"))
    assert page.locator("#row-count").inner_text() == rows_text(len(SAMPLE))
    assert card_desc(app) == whole
    assert page.locator("#selection-bar").is_hidden()
    assert page.locator("#chart svg.has-selection").count() == 0


def test_a_card_cross_filters_the_chart_in_the_form_and_clear_restores(app: Any) -> None:
    page = app.page
    two_charts(app)
    chart_desc = str(page.locator("#chart svg desc").text_content())
    kettle = page.locator("#dashboard svg .bar[data-select*='\"Kettle\"']")
    cross_filter(app, lambda: kettle.click())
    assert page.locator("#row-count").inner_text() == rows_text(794)
    assert page.locator("#chart svg desc").text_content() != chart_desc
    assert page.locator("#dashboard svg .bar").count() == 6  # the card clicked stays whole
    assert page.locator("#dashboard svg.has-selection .bar.selected").count() == 1
    cross_filter(app, lambda: page.click("#clear-selection"))
    assert page.locator("#chart svg desc").text_content() == chart_desc
    assert page.locator("#row-count").inner_text() == rows_text(len(SAMPLE))


def test_enter_on_a_focused_bar_selects_and_shift_adds_a_second(app: Any) -> None:
    page = app.page
    two_charts(app)
    page.locator("#chart svg .bar[data-select*='\"South\"']").focus()
    cross_filter(app, lambda: page.keyboard.press("Enter"))
    assert page.locator("#row-count").inner_text() == rows_text(REGIONS["South"])
    east = page.locator("#chart svg .bar[data-select*='\"East\"']")
    cross_filter(app, lambda: east.click(modifiers=["Shift"]))
    assert page.locator("#row-count").inner_text() == rows_text(REGIONS["South"] + REGIONS["East"])
    assert page.locator("#chart svg .bar.selected").count() == 2
    cross_filter(app, lambda: page.keyboard.press("Escape"))


def test_keep_as_a_filter_step_adds_a_step_that_undo_removes(app: Any) -> None:
    page = app.page
    two_charts(app)
    north = page.locator("#chart svg .bar[data-select*='\"North\"']")
    cross_filter(app, lambda: north.click())
    dashboard_drawn(app, lambda: page.click("#keep-selection"))
    assert page.locator("#steps li").count() == 1
    assert "North" in page.locator("#steps li").first.inner_text()
    assert page.locator("#row-count").inner_text() == rows_text(REGIONS["North"])
    assert page.locator("#selection-bar").is_hidden()
    # The step filters the chart too now: one bar, no highlight.
    assert page.locator("#chart svg .bar").count() == 1
    assert page.locator("#chart svg.has-selection").count() == 0
    dashboard_drawn(app, lambda: page.click("#undo"))
    assert page.locator("#steps li").count() == 0
    assert page.locator("#row-count").inner_text() == rows_text(len(SAMPLE))
    assert "Kettle with 794" in card_desc(app)


def chart_table(app: Any) -> dict[str, float]:
    """The chart's data table ("View as table"): each region's value."""
    cells = app.page.locator("#chart-table tbody tr").evaluate_all(
        "(trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))"
    )
    return {region: float(value.replace(",", "")) for region, value in cells}


def revenue_by_region(rows: list[dict[str, str]]) -> dict[str, float]:
    totals: Counter[str] = Counter()
    for r in rows:
        totals[r["region"]] += float(r["revenue"])
    return {region: round(total, 2) for region, total in totals.items()}


def test_view_as_table_shows_what_the_chart_shows_during_a_selection(app: Any) -> None:
    page = app.page
    two_charts(app)
    page.click("#chart-as-table")
    page.wait_for_function("() => document.querySelectorAll('#chart-table tbody tr').length > 0")
    assert chart_table(app) == pytest.approx(revenue_by_region(SAMPLE))
    # A card's bar filters the chart in the form, and its data table with it.
    kettle = page.locator("#dashboard svg .bar[data-select*='\"Kettle\"']")
    cross_filter(app, lambda: kettle.click())
    assert chart_table(app) == pytest.approx(
        revenue_by_region([r for r in SAMPLE if r["product"] == "Kettle"])
    )
    cross_filter(app, lambda: page.click("#clear-selection"))
    assert chart_table(app) == pytest.approx(revenue_by_region(SAMPLE))
    # A selection made in the chart itself leaves it whole (its bar highlighted): so does its table.
    page.click("#chart-as-table")
    cross_filter(app, lambda: page.locator("#chart svg .bar[data-select*='\"North\"']").click())
    page.click("#chart-as-table")
    page.wait_for_function("() => document.querySelectorAll('#chart-table tbody tr').length > 0")
    assert chart_table(app) == pytest.approx(revenue_by_region(SAMPLE))
    page.click("#chart-as-table")
    cross_filter(app, lambda: page.keyboard.press("Escape"))


def exported_rows(app: Any) -> list[dict[str, str]]:
    with app.page.expect_download() as info:
        app.page.click("#export-csv")
    return list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))


def test_the_export_menu_offers_the_selected_rows_and_defaults_to_the_whole_result(app: Any) -> None:
    page = app.page
    two_charts(app)
    page.click("#export-menu")
    assert page.locator("#export-selected").is_hidden()  # no selection: nothing to offer
    page.keyboard.press("Escape")
    cross_filter(app, lambda: page.locator("#chart svg .bar[data-select*='\"North\"']").click())
    page.click("#export-menu")
    offer = page.locator("#export-selected")
    assert offer.is_visible() and offer.get_attribute("aria-checked") == "false"
    assert f"Only the {REGIONS['North']:,} selected rows" in offer.inner_text()
    assert "North" in offer.inner_text()
    assert "whole result" in page.locator('#export-items [data-group="Data"]').inner_text().lower()
    assert len(exported_rows(app)) == len(SAMPLE)  # the default: the whole result
    page.click("#export-menu")
    page.click("#export-selected")
    assert "selected rows only" in page.locator('#export-items [data-group="Data"]').inner_text().lower()
    got = exported_rows(app)
    assert len(got) == REGIONS["North"] and {r["region"] for r in got} == {"North"}
    assert f"({REGIONS['North']:,} rows)" in page.inner_text("#status")
    # Another selection starts from the whole result again.
    cross_filter(app, lambda: page.locator("#chart svg .bar[data-select*='\"South\"']").click())
    page.click("#export-menu")
    assert page.locator("#export-selected").get_attribute("aria-checked") == "false"
    page.keyboard.press("Escape")
    cross_filter(app, lambda: page.keyboard.press("Escape"))
