"""Every chart type in the browser: the gallery draws each on the sample in both themes, and the explorer's
chart form reaches each type; marks are present, axes labelled, and markup in labels stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from loupe.render.gallery import gallery_specs

from tests.e2e.conftest import BOOT_TIMEOUT_MS, new_context

TYPES = sorted({spec["type"] for spec in gallery_specs()})


@pytest.fixture(scope="module")
def gallery(browser: Any, base_url: str) -> Any:
    context = new_context(browser)
    page = context.new_page()
    page.goto(base_url + "gallery.html")
    page.wait_for_function(
        "() => document.documentElement.dataset.loupeState === 'ready'", timeout=BOOT_TIMEOUT_MS
    )
    yield page
    context.close()


@pytest.mark.parametrize("chart_type", TYPES)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_gallery_draws_every_type_in_both_themes(gallery: Any, chart_type: str, theme: str) -> None:
    cards = gallery.locator(f"figure.card[data-type={chart_type}][data-theme={theme}]")
    assert cards.count() >= 1
    svg = cards.first.locator("svg")
    assert svg.get_attribute("role") == "img"
    assert f"theme-{theme}" in (svg.get_attribute("class") or "")
    assert svg.locator("title").first.text_content()
    assert svg.locator(".mark").count() > 0
    titles = [text for text in svg.locator(".axis-title").all_text_contents() if text.strip()]
    assert titles, "axes are labelled"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("mark", ["forecast-line", "forecast-80", "forecast-95", "trend-line", "trend-band"])
def test_gallery_draws_each_insight_in_both_themes(gallery: Any, theme: str, mark: str) -> None:
    svg = gallery.locator(f"figure.card[data-theme={theme}] svg:has(.{mark})").first
    assert svg.locator(f".{mark}").count() >= 1
    words = svg.locator("desc").text_content() or ""
    assert "Trend: " in words or "Forecast: " in words


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_gallery_shows_flagged_rows_in_the_table_and_crosses_on_the_line(gallery: Any, theme: str) -> None:
    card = gallery.locator(f"figure.card[data-example][data-theme={theme}]").first
    marked = card.locator(".example-rows tbody tr.flagged")
    assert marked.count() >= 2
    assert (marked.first.locator(".flag-marker").get_attribute("aria-label") or "").startswith(
        "outlier: robust z"
    )
    assert card.locator(".chart svg .flag-mark").count() >= 1
    assert "Flagged as outliers (unusual)" in (card.locator(".chart svg desc").text_content() or "")


def test_gallery_offers_each_chart_as_a_table(gallery: Any) -> None:
    card = gallery.locator("figure.card").first
    card.get_by_role("button", name="View as table").click()
    assert card.locator("table caption").is_visible()
    assert card.locator("table tbody tr").count() > 0


def test_chart_exports_a_standalone_svg(gallery: Any) -> None:
    card = gallery.locator("figure.card").first
    with gallery.expect_download() as info:
        card.get_by_role("button", name="SVG").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    assert 'xmlns="http://www.w3.org/2000/svg"' in text
    assert "<script" not in text


@pytest.mark.parametrize("chart_type", TYPES)
def test_explorer_chart_form_reaches_every_type(app: Any, chart_type: str) -> None:
    page = app.page
    app.show_sample()
    app.act(lambda: page.select_option("#chart-type", chart_type))
    if chart_type == "changes":  # its two sides are ranges of the date column the form picked
        assert page.input_value("#chart-compare-column") == "date"
        assert "needs 'before'" in page.inner_text("#chart-compare-before-error")
        for side, sides in (("before", "2023-01-01..2023-12-31"), ("after", "2024-01-01..")):
            box = f"#chart-compare-{side}"
            app.act(lambda box=box, sides=sides: page.fill(box, sides) or page.press(box, "Enter"))
        assert json.loads(page.input_value("#chart-json"))["compare"] == {
            "column": "date",
            "before": ["2023-01-01", "2023-12-31"],
            "after": ["2024-01-01", None],
        }
    assert app.status() == ""
    svg = page.locator("#chart svg")
    assert f"chart-{chart_type}" in (svg.get_attribute("class") or "")
    assert svg.locator(".mark").count() > 0


def test_markup_in_a_category_is_drawn_as_text(app: Any, tmp_path: Path) -> None:
    data = tmp_path / "labels.csv"
    data.write_text('name,n\n"<b>bold</b>",3\n<i>x</i>,5\n', encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    labels = " ".join(app.page.locator("#chart svg text").all_text_contents())
    assert "<b>bold</b>" in labels
    assert app.page.locator("#chart b, #chart i").count() == 0
