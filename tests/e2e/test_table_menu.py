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


def act_of_focus(app: Any) -> str | None:
    return app.page.evaluate("() => document.activeElement.dataset.act ?? null")  # type: ignore[no-any-return]


def open_panel(app: Any, column: str, act: str) -> None:
    """Open a column's menu and the item's small form (an item ending in "…")."""
    menu_button(app, column).click()
    app.page.click(f'.popover [data-act="{act}"]')


def test_the_header_menu_is_an_aria_menu_walked_by_keyboard(app: Any) -> None:
    page = app.page
    app.show_sample()
    assert menu_button(app, "region").get_attribute("aria-haspopup") == "menu"
    menu_button(app, "region").focus()
    page.keyboard.press("Enter")
    menu = page.locator('.popover [role="menu"]')
    assert menu.is_visible() and menu.get_attribute("aria-label") == "Column region"
    assert menu_button(app, "region").get_attribute("aria-expanded") == "true"
    items = menu.locator('[role="menuitem"]')
    assert items.all_inner_texts() == [
        "Sort ascending",
        "Sort descending",
        "Filter to a value…",
        "Filter to top values…",  # a text column: its checklist, no range
        "Rename…",
        "Change type…",
        "Hide column",
        "Profile",
    ]
    assert all(item.get_attribute("tabindex") == "-1" for item in items.all())  # out of the Tab order
    assert act_of_focus(app) == "asc"  # the first item has the keyboard
    walk = [
        ("ArrowDown", "desc"),
        ("End", "profile"),
        ("ArrowDown", "asc"),  # wraps
        ("ArrowUp", "profile"),
        ("Home", "asc"),
        ("h", "hide"),  # type-ahead: the next item starting with the letter
        ("c", "cast-form"),
        ("r", "rename-form"),
    ]
    for key, act in walk:
        page.keyboard.press(key)
        assert act_of_focus(app) == act, key
    page.keyboard.type("pr")  # two letters typed quickly: "Profile", not the next "r…"
    assert act_of_focus(app) == "profile"
    page.keyboard.press("Escape")
    assert page.locator(".popover").is_hidden() and focused(app) == "menu:region"
    assert menu_button(app, "region").get_attribute("aria-expanded") == "false"
    page.keyboard.press(" ")
    assert page.locator(".popover").is_visible()
    page.keyboard.press("Tab")  # Tab closes the menu and moves on from its button
    assert page.locator(".popover").is_hidden() and focused(app) != "menu:region"
    menu_button(app, "region").focus()
    page.keyboard.press("ArrowUp")  # ArrowUp opens at the last item
    assert act_of_focus(app) == "profile"
    page.keyboard.press("Escape")
    page.locator('#table th[data-column="units"]').focus()
    page.keyboard.press("ArrowDown")  # from the header itself, too
    assert page.get_attribute('.popover [role="menu"]', "aria-label") == "Column units"
    app.act(lambda: page.keyboard.press("Enter"))  # Sort ascending has the keyboard
    assert app.column("units")[:2] == ["1", "1"] and steps(app) == 1
    assert focused(app) == "menu:units"  # back on the (redrawn) header's button


def test_a_menu_items_form_goes_back_to_the_menu_and_escape_to_the_header(app: Any) -> None:
    page = app.page
    app.show_sample()
    menu_button(app, "units").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("f")  # "Filter to a value…"
    page.keyboard.press("ArrowDown")
    assert act_of_focus(app) == "range-form"
    page.keyboard.press("Enter")
    panel = page.locator('.popover [role="dialog"]')
    assert panel.get_attribute("aria-label") == "Filter units to a range"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Lowest units"
    page.click('.popover [data-act="back"]')
    assert act_of_focus(app) == "range-form"  # back in the menu, at the item
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # from the form: closed, the keyboard on the header's button
    assert page.locator(".popover").is_hidden() and focused(app) == "menu:units"


def test_the_top_values_checklist_keeps_the_checked_values(app: Any) -> None:
    page = app.page
    app.show_sample()
    open_panel(app, "region", "checks-form")
    checks = page.locator(".popover .popover-check")
    checks.first.wait_for()
    assert checks.count() == len({r["region"] for r in SAMPLE})
    page.locator(".popover").get_by_label("North").check()
    page.locator(".popover").get_by_label("West").check()
    app.act(lambda: page.click('.popover [data-act="keep-checked"]'))
    assert rows(app) == sum(1 for r in SAMPLE if r["region"] in ("North", "West"))
    assert set(app.column("region")) <= {"North", "West"}
    open_panel(app, "region", "checks-form")
    page.locator(".popover").get_by_label("North").wait_for()
    page.locator(".popover").get_by_label("North").check()
    app.act(lambda: page.click('.popover [data-act="exclude-checked"]'))
    assert set(app.column("region")) == {"West"}


def step_texts(app: Any) -> list[str]:
    return [str(t) for t in app.page.locator("#steps li .step-text").all_inner_texts()]


def test_a_range_filter_for_numbers_and_dates_is_one_step(app: Any) -> None:
    page = app.page
    app.show_sample()
    open_panel(app, "units", "range-form")
    page.get_by_label("Lowest units").fill("3")
    page.get_by_label("Highest units").fill("5")
    app.act(lambda: page.click('.popover [data-act="range"]'))
    assert rows(app) == sum(1 for r in SAMPLE if 3 <= int(r["units"]) <= 5) and steps(app) == 1
    page.wait_for_function(
        "() => document.querySelector('#steps li .step-text')?.textContent.includes('between')"
    )
    assert step_texts(app) == ["Filter: units between 3 and 5"]
    open_panel(app, "date", "range-form")
    page.get_by_label("Lowest date").fill("2024-02-01")
    app.act(lambda: page.press('.popover [aria-label="Lowest date"]', "Enter"))  # Enter keeps the range
    expected = sum(1 for r in SAMPLE if 3 <= int(r["units"]) <= 5 and r["date"] >= "2024-02-01")
    assert rows(app) == expected and steps(app) == 2
    page.wait_for_function("() => document.querySelectorAll('#steps li .step-text').length === 2")
    assert step_texts(app)[1] == "Filter: date ≥ 2024-02-01"
    app.act(lambda: page.click("#undo"))
    assert steps(app) == 1
    # The range step edits in its form as "low, high"; an empty end is an open one.
    page.locator("#steps li").nth(0).locator('[data-act="edit"]').click()
    page.wait_for_function("() => document.querySelector('#add-step-submit').textContent === 'Update step 1'")
    value = page.locator('#add-step-fields [data-field="value"] input')
    assert value.input_value() == "3, 5"
    value.fill("4, ")
    app.act(lambda: page.click("#add-step-submit"))
    assert rows(app) == sum(1 for r in SAMPLE if int(r["units"]) >= 4), app.status()
    page.wait_for_function("() => document.querySelector('#steps li .step-text')?.textContent.includes('≥')")
    assert step_texts(app) == ["Filter: units ≥ 4"]


def test_rename_change_type_hide_and_profile_from_the_header(app: Any) -> None:
    page = app.page
    app.show_sample()
    open_panel(app, "region", "rename-form")
    page.get_by_label("New name for region").fill("area")
    app.act(lambda: page.click('.popover [data-act="rename"]'))
    assert app.column("area")[:1] == [SAMPLE[0]["region"]] and app.column("region") is None
    open_panel(app, "units", "cast-form")
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
