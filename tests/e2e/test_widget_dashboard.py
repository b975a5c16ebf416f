"""dist/dashboard.html: a static page with no script of its own becomes a dashboard; choosing a bar in
one widget of group "sales" filters the others (a filter step appended to their own steps)."""

from __future__ import annotations

import csv
import io
from typing import Any

from loupe.sample import sample_csv

from tests.e2e.conftest import BOOT_TIMEOUT_MS, NO_SNAPSHOTS

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))
READY = """() => [...document.querySelectorAll('loupe-view')].every(
    (el) => el.dataset.loupeState === 'ready' && Number(el.dataset.loupeRenders) > 0)"""
RENDERED = "([id, n]) => Number(document.getElementById(id).dataset.loupeRenders) > n"


def renders(page: Any, id: str) -> int:
    return int(page.get_attribute(f"#{id}", "data-loupe-renders") or 0)


def cells(page: Any, column: int) -> list[str]:
    return page.eval_on_selector(
        "#orders",
        "(el, i) => [...el.shadowRoot.querySelectorAll('tbody tr')].map((tr) => tr.children[i].textContent)",
        column,
    )


def test_choosing_a_bar_filters_the_rest_of_the_group(browser: Any, base_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(NO_SNAPSHOTS)
    page = context.new_page()
    try:
        page.goto(base_url + "dashboard.html")
        page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)
        # Channels: each bar's title names its channel; pick Wholesale by keyboard (Tab to it, Enter).
        bar = page.locator("#channels svg .bar", has=page.locator("title", has_text="Wholesale"))
        before = {id: renders(page, id) for id in ("regions", "orders")}
        bar.focus()
        page.keyboard.press("Enter")
        for id, n in before.items():
            page.wait_for_function(RENDERED, arg=[id, n])
        assert set(cells(page, 3)) == {"Wholesale"}  # column 0 is the row number
        wholesale_regions = {row["region"] for row in SAMPLE if row["channel"] == "Wholesale"}
        assert page.locator("#regions svg .bar").count() == len(wholesale_regions)
        # Then a region in the (already filtered) regions chart: the table shows both filters' rows.
        before_orders = renders(page, "orders")
        page.locator("#regions svg .bar").first.click()
        page.wait_for_function(RENDERED, arg=["orders", before_orders])
        regions = set(cells(page, 2))
        assert len(regions) == 1
    finally:
        context.close()
