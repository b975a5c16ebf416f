"""Menus on the data table (app/table-menu.js): a cell filters to its value or excludes it, and a column
header's menu (reached and left by keyboard) sorts, filters, renames, changes the type, hides and profiles;
each adds a step through the document store, so Undo takes it back."""

from __future__ import annotations

import csv
import io
from typing import Any

from loupe.sample import sample_csv

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))


def rows(app: Any) -> int:
    return int(app.page.locator("#row-count").inner_text().split()[0].replace(",", ""))


def steps(app: Any) -> int:
    return int(app.page.locator("#steps li").count())


def cell(app: Any, column: str, row: int = 0) -> Any:
    index = app.page.evaluate(
        "(name) => [...document.querySelectorAll('#table thead tr > *')]"
        ".findIndex((th) => th.dataset.column === name)",
        column,
    )
    return app.page.locator("#table tbody tr").nth(row).locator("> *").nth(index)


def menu_button(app: Any, column: str) -> Any:
    return app.page.locator(f'#table th[data-column="{column}"] .col-menu')


def focused(app: Any) -> str:
    """What has the keyboard: the column of a focused menu button, or the focused element's tag."""
    return str(
        app.page.evaluate(
            "() => { const a = document.activeElement;"
            " return a.matches('.col-menu') ? 'menu:' + a.closest('th').dataset.column : a.tagName; }"
        )
    )


def test_a_cell_filters_to_its_value_and_undo_takes_it_back(app: Any) -> None:
    page = app.page
    app.show_sample()
    page.select_option("#sort-column", "revenue")
    page.select_option("#sort-dir", "desc")
    app.act(lambda: page.click("#sort-form button[type=submit]"))
    top = max(float(r["revenue"]) for r in SAMPLE)
    shown = cell(app, "revenue").inner_text()
    assert shown == f"{top:,.2f}"  # formatted: the filter must use the stored value, not this text
    cell(app, "revenue").click()
    keep = page.locator('.popover [data-act="keep"]')
    page.wait_for_function("() => !document.querySelector('.popover [data-act=keep]').disabled")
    app.act(lambda: keep.click())
    assert rows(app) == sum(1 for r in SAMPLE if float(r["revenue"]) == top) and steps(app) == 2
    assert page.locator(".popover").is_hidden()

    app.act(lambda: page.click("#undo"))
    assert rows(app) == len(SAMPLE) and steps(app) == 1
    region = cell(app, "region", 2).inner_text()
    cell(app, "region", 2).click()
    page.wait_for_function("() => !document.querySelector('.popover [data-act=exclude]').disabled")
    app.act(lambda: page.click('.popover [data-act="exclude"]'))
    assert rows(app) == sum(1 for r in SAMPLE if r["region"] != region)
    assert region not in set(app.column("region"))


def test_the_header_menu_opens_and_closes_by_keyboard(app: Any) -> None:
    page = app.page
    app.show_sample()
    menu_button(app, "region").focus()
    page.keyboard.press("Enter")
    assert page.locator(".popover").is_visible()
    assert page.evaluate("() => document.activeElement.closest('.popover') !== null")
    page.keyboard.press("ArrowDown")  # the menu's buttons in order: Sort ascending, then descending
    assert page.evaluate("() => document.activeElement.dataset.act") == "desc"
    page.keyboard.press("Escape")
    assert page.locator(".popover").is_hidden() and focused(app) == "menu:region"
    page.keyboard.press(" ")
    assert page.locator(".popover").is_visible()
    page.keyboard.press("Escape")
    page.locator('#table th[data-column="units"]').focus()
    page.keyboard.press("ArrowDown")  # from the header itself, too
    assert page.get_attribute(".popover", "aria-label") == "Column units"
    app.act(lambda: page.keyboard.press("Enter"))  # Sort ascending has the keyboard
    assert app.column("units")[:2] == ["1", "1"] and steps(app) == 1
    assert focused(app) == "menu:units"  # back on the (redrawn) header's button


def test_the_top_values_checklist_keeps_the_checked_values(app: Any) -> None:
    page = app.page
    app.show_sample()
    menu_button(app, "region").click()
    checks = page.locator(".popover .popover-check")
    checks.first.wait_for()
    assert checks.count() == len({r["region"] for r in SAMPLE})
    page.locator(".popover").get_by_label("North").check()
    page.locator(".popover").get_by_label("West").check()
    app.act(lambda: page.click('.popover [data-act="keep-checked"]'))
    assert rows(app) == sum(1 for r in SAMPLE if r["region"] in ("North", "West"))
    assert set(app.column("region")) <= {"North", "West"}
    menu_button(app, "region").click()
    page.locator(".popover").get_by_label("North").wait_for()
    page.locator(".popover").get_by_label("North").check()
    app.act(lambda: page.click('.popover [data-act="exclude-checked"]'))
    assert set(app.column("region")) == {"West"}


def test_a_range_filter_for_numbers_and_dates(app: Any) -> None:
    page = app.page
    app.show_sample()
    menu_button(app, "units").click()
    page.get_by_label("Lowest units").fill("3")
    page.get_by_label("Highest units").fill("5")
    app.act(lambda: page.click('.popover [data-act="range"]'))
    assert rows(app) == sum(1 for r in SAMPLE if 3 <= int(r["units"]) <= 5) and steps(app) == 2
    menu_button(app, "date").click()
    page.get_by_label("Lowest date").fill("2024-02-01")
    app.act(lambda: page.click('.popover [data-act="range"]'))
    expected = sum(1 for r in SAMPLE if 3 <= int(r["units"]) <= 5 and r["date"] >= "2024-02-01")
    assert rows(app) == expected and steps(app) == 3
    app.act(lambda: page.click("#undo"))  # one undo takes the whole range back
    assert steps(app) == 2


def test_rename_change_type_hide_and_profile_from_the_header(app: Any) -> None:
    page = app.page
    app.show_sample()
    menu_button(app, "region").click()
    page.get_by_label("New name for region").fill("area")
    app.act(lambda: page.click('.popover [data-act="rename"]'))
    assert app.column("area")[:1] == [SAMPLE[0]["region"]] and app.column("region") is None
    menu_button(app, "units").click()
    page.get_by_label("New type for units").select_option("text")
    app.act(lambda: page.click('.popover [data-act="cast"]'))
    assert page.get_attribute('#table th[data-column="units"]', "data-type") == "text"
    menu_button(app, "discount").click()
    app.act(lambda: page.click('.popover [data-act="hide"]'))
    assert app.column("discount") is None and steps(app) == 3
    menu_button(app, "product").click()
    page.click('.popover [data-act="profile"]')
    page.wait_for_function("() => document.querySelector('#profile').dataset.column === 'product'")
    assert page.locator("#profile").is_visible()
    assert steps(app) == 3  # a profile is a look, not a step


def active_cell(app: Any) -> dict[str, Any]:
    """The focused cell of the grid: its ARIA row and column index, role, and whether it is the tab stop."""
    return dict(
        app.page.evaluate(
            """() => { const a = document.activeElement;
                 return {row: Number(a.closest('tr')?.getAttribute('aria-rowindex')),
                         col: Number(a.getAttribute('aria-colindex')), role: a.getAttribute('role'),
                         tabindex: a.getAttribute('tabindex'), text: a.textContent}; }"""
        )
    )


def test_keyboard_only_a_cell_filters_to_its_value(app: Any) -> None:
    """Issue 10: the table is a grid with one tab stop; arrows, Home/End and PageDown move the active
    cell (PageDown scrolls the window and the cell keeps the keyboard); Enter or Shift+F10 opens its
    menu, Escape gives the keyboard back, and Enter on "Filter to this value" adds the filter."""
    page = app.page
    app.show_sample()
    assert page.get_attribute("#table table", "role") == "grid"
    names = "(ths) => ths.map((t) => t.dataset.column)"
    headers = page.locator("#table thead th[data-column]").evaluate_all(names)
    region = headers.index("region") + 2  # aria-colindex: the row number is column 1
    menu_button(app, headers[-1]).focus()  # the last stop before the grid's cells
    page.keyboard.press("Tab")
    first = {"row": 2, "col": 2, "role": "gridcell", "tabindex": "0"}
    got = active_cell(app)
    assert {k: got[k] for k in first} == first, got
    page.keyboard.press("End")
    assert active_cell(app)["col"] == len(headers) + 1
    page.keyboard.press("Home")
    for _ in range(region - 2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert (active_cell(app)["row"], active_cell(app)["col"]) == (4, region)
    assert active_cell(app)["text"] == SAMPLE[2]["region"]

    before = page.get_attribute("html", "data-loupe-window")
    page.keyboard.press("PageDown")  # past the window: the table scrolls, the cell follows
    page.wait_for_function("(before) => document.documentElement.dataset.loupeWindow !== before", arg=before)
    page.wait_for_function("() => document.activeElement.getAttribute('role') === 'gridcell'")
    moved = active_cell(app)
    assert moved["row"] > 4 and moved["col"] == region and moved["tabindex"] == "0"
    assert page.locator("#table tbody [tabindex='0']").count() == 1  # one tab stop
    page.keyboard.press("Control+Home")
    page.wait_for_function("() => document.documentElement.dataset.loupeWindow === '0'")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-colindex') === '2'")
    assert active_cell(app)["row"] == 2

    for _ in range(region - 2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+F10")
    keep = page.locator('.popover [data-act="keep"]')
    page.wait_for_function("() => document.activeElement?.dataset.act === 'keep'")
    page.keyboard.press("Escape")
    assert page.locator(".popover").is_hidden()
    assert (active_cell(app)["row"], active_cell(app)["col"]) == (2, region)  # the keyboard is back
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.dataset.act === 'keep'")
    assert keep.is_visible()
    value = SAMPLE[0]["region"]
    app.act(lambda: page.keyboard.press("Enter"))
    assert rows(app) == sum(1 for r in SAMPLE if r["region"] == value) and steps(app) == 1
    assert set(app.column("region")) == {value}
