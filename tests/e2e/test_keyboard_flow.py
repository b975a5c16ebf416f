"""Open -> filter -> chart -> export with the keyboard alone (issue 10): only Tab, Shift+Tab, Enter and
typing, never a click or element.focus(). Every stop the keyboard passes shows where the focus is (an
outline or a shadow), and every control used has an accessible name."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

CITIES = ["Oslo", "Bergen", "Tromsø"]
ROWS = [{"city": CITIES[i % 3], "product": f"P{i:02d}", "sales": str(10 * i + 5)} for i in range(30)]
MAX_STOPS = 400  # Tab presses before a control counts as unreachable

# Which element has the focus, and whether it is shown: an outline that is drawn, or a box shadow.
FOCUS = """() => {
    const node = document.activeElement;
    if (!node || node === document.body) return null;
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return { id: node.id, tag: node.tagName, text: (node.textContent || "").trim().slice(0, 40),
             visible: outline || style.boxShadow !== "none" };
}"""


def tab_to(page: Any, selector: str, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab when `back`) until `selector` has the focus; each stop passed shows its focus."""
    for _ in range(MAX_STOPS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue  # the page itself between the last and the first control
        assert focus["visible"], f"no visible focus on {focus} on the way to {selector}"
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            expect(page.locator(selector)).to_have_accessible_name(re.compile(r"\w"))
            return
    raise AssertionError(f"{selector} cannot be reached with {'Shift+Tab' if back else 'Tab'}")


def choose(app: Any, selector: str, text: str) -> None:
    """Tab to a select and pick an option by typing the start of its label; a new choice redraws the chart."""
    page = app.page
    tab_to(page, selector)
    before, old = app.renders(), page.locator(selector).input_value()
    page.keyboard.type(text)
    if page.locator(selector).input_value() != old:
        app.wait_ready(after=before)


def test_open_filter_chart_and_export_with_the_keyboard_alone(app: Any, tmp_path: Path) -> None:
    page = app.page
    data = tmp_path / "cities.csv"
    with data.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["city", "product", "sales"])
        writer.writeheader()
        writer.writerows(ROWS)
    app.fresh()
    page.evaluate("() => document.activeElement?.blur()")  # the keyboard starts at the top of the page

    # Open: the "Open a file" button opens the browser's file chooser (which itself cannot be driven).
    # The wait starts before the keys: Playwright intercepts choosers only a round trip after it is asked.
    with page.expect_file_chooser() as chooser:
        tab_to(page, "#open-file")
        page.keyboard.press("Enter")
    app.act(lambda: chooser.value.set_files(str(data)))
    assert page.locator("#row-count").inner_text() == "30 rows"

    # Filter: the Filter form's column, operator (= stays) and value; Enter adds the step.
    tab_to(page, "#filter-column")
    page.keyboard.type("city")
    assert page.locator("#filter-column").input_value() == "city"
    tab_to(page, "#filter-op")
    assert page.locator("#filter-op").input_value() == "=="
    tab_to(page, "#filter-value")
    page.keyboard.type("Oslo")
    app.act(lambda: page.keyboard.press("Enter"))
    assert page.locator("#row-count").inner_text() == "10 rows"
    assert page.locator("#steps li").count() == 1

    # Chart: a column chart of sales by city, from the chart form's selects.
    choose(app, "#chart-type", "column")
    choose(app, "#chart-x", "city")
    choose(app, "#chart-y", "sales")
    spec = json.loads(page.locator("#chart-json").input_value())
    assert (spec["type"], spec["x"], spec["y"]) == ("column", "city", "sales")
    assert page.locator("#chart svg").count() == 1

    # Export: back up to the Export menu, open it with Enter; CSV is its first item.
    tab_to(page, "#export-menu", back=True)
    page.keyboard.press("Enter")
    expect(page.locator("#export-csv")).to_be_focused()
    expect(page.locator("#export-csv")).to_have_accessible_name("CSV")
    assert page.evaluate(FOCUS)["visible"]
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows == [row for row in ROWS if row["city"] == "Oslo"]
    app.assert_clean()
