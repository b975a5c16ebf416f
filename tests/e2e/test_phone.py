"""A phone-sized screen (390 x 844): the chart and the table come first, the steps are a tab of their own;
on a wide screen both show side by side and there are no tabs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import ACTION_TIMEOUT_MS, BOOT_TIMEOUT_MS, App, new_context


@pytest.fixture(scope="module")
def phone(browser: Any, base_url: str) -> Iterator[App]:
    context = new_context(browser)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield App(page, base_url).open()
    context.close()


def test_a_phone_shows_the_chart_and_table_first_and_the_steps_in_a_tab(phone: App) -> None:
    page = phone.page
    phone.show_sample()
    chart = page.locator("#chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["y"] < 844 and box["width"] <= 390  # on the first screen, no wider
    assert page.locator("#table tbody tr").first.is_visible()
    assert page.locator("#steps-empty").is_hidden()  # the steps wait in their tab
    assert page.get_by_role("tab", name="Chart & table").get_attribute("aria-selected") == "true"
    page.get_by_role("tab", name="Steps & data").click()
    assert page.locator("#steps-empty").is_visible()
    assert page.locator("#filter-form").is_visible()
    assert chart.is_hidden()
    # A step added there shows in the chart and table tab.
    phone.add_filter("region", "==", "North")
    assert page.locator("#steps li").count() == 1
    page.get_by_role("tab", name="Steps & data").focus()
    page.keyboard.press("ArrowLeft")  # a tablist's keys move between its tabs
    assert page.get_by_role("tab", name="Chart & table").get_attribute("aria-selected") == "true"
    assert chart.is_visible()
    assert page.locator("#window").inner_text().endswith("of 901")
    assert set(phone.column("region")) == {"North"}
    phone.act(lambda: page.click("#undo"))


SAVED_MORE_THAN = "(n) => Number(document.documentElement.dataset.loupeSaved || 0) > n"


@pytest.mark.parametrize(
    ("tab", "shown", "hidden"),
    [("Steps & data", "#filter-form", "#chart svg"), ("Chart & table", "#chart svg", "#filter-form")],
)
def test_the_tab_chosen_is_remembered_through_a_reload(phone: App, tab: str, shown: str, hidden: str) -> None:
    page = phone.page
    phone.show_sample()
    steps = page.locator("#steps li").count()
    # Start from the other tab, whichever was remembered (choosing the tab on show saves nothing).
    for name in ("Chart & table" if tab == "Steps & data" else "Steps & data", tab):
        button = page.get_by_role("tab", name=name)
        saves = int(page.get_attribute("html", "data-loupe-saved") or 0)
        selected = button.get_attribute("aria-selected") == "true"
        button.click()
        if not selected:
            page.wait_for_function(SAVED_MORE_THAN, arg=saves)
    page.reload()
    phone.wait_ready(timeout=BOOT_TIMEOUT_MS)
    assert page.get_by_role("tab", name=tab).get_attribute("aria-selected") == "true"
    page.locator(shown).first.wait_for(state="visible")
    assert page.locator(hidden).is_hidden()
    # A layout choice is no edit: nothing to undo, and the document's steps are as they were.
    assert page.locator("#steps li").count() == steps
    assert page.locator("#undo").is_disabled()


def test_a_wide_screen_shows_both_panels_and_no_tabs(phone: App) -> None:
    page = phone.page
    page.set_viewport_size({"width": 1280, "height": 800})
    try:
        assert page.locator("#phone-tabs").is_hidden()
        assert page.locator("#chart svg").is_visible()
        assert page.locator("#steps-empty").is_visible() or page.locator("#steps li").count() > 0
    finally:
        page.set_viewport_size({"width": 390, "height": 844})


SAVED_TREES = """async () => {
    const db = await new Promise((ok, fail) => {
        const request = indexedDB.open('loupe');
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
    });
    const all = await new Promise((ok, fail) => {
        const request = db.transaction('documents').objectStore('documents').getAll();
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
    });
    db.close();
    all.sort((a, b) => b.updated - a.updated);
    return all[0].trees ?? null;
}"""


def test_a_save_during_a_chart_selection_keeps_no_filtered_table_for_the_reload(phone: App) -> None:
    page = phone.page
    phone.show_sample()
    page.get_by_role("tab", name="Chart & table").click()
    whole = page.locator("#row-count").inner_text()
    phone.act(lambda: page.locator("#chart svg [data-select]").first.click())
    assert page.locator("#row-count").inner_text() != whole  # the table shows the selected rows only
    # Switching the tab saves the document (a layout choice) while the selection is on.
    saves = int(page.get_attribute("html", "data-loupe-saved") or 0)
    page.get_by_role("tab", name="Steps & data").click()
    page.wait_for_function(SAVED_MORE_THAN, arg=saves)
    trees = page.evaluate(SAVED_TREES)
    # What a reload paints before Python is up is never the filtered table (a reload has no selection).
    assert trees is None or trees["row_count"] == 4631
    page.reload()
    phone.wait_ready(timeout=BOOT_TIMEOUT_MS)
    assert page.locator("#row-count").inner_text() == whole
    page.get_by_role("tab", name="Chart & table").click()
