"""Steps through the forms Python describes (app/step-forms.js from api "verbs"): a group by two
columns with two aggregates, editing a step in its form (or as JSON), a bad field shown where it is,
and the step list in Python's words."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from loupe.sample import sample_csv

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))


def step_texts(app: Any, *expected: str) -> list[str]:
    """The step list once Python's sentences are in (they arrive after the view)."""
    app.page.wait_for_function(
        "(expected) => JSON.stringify([...document.querySelectorAll('#steps li .step-text')]"
        ".map((b) => b.textContent)) === JSON.stringify(expected)",
        arg=list(expected),
    )
    return [str(t) for t in app.page.locator("#steps li .step-text").all_inner_texts()]


def choose_verb(app: Any, label: str) -> None:
    page = app.page
    page.select_option("#add-step-verb", label=label)
    page.wait_for_function("() => document.querySelectorAll('#add-step-fields [data-field]').length > 0")


def field(app: Any, name: str) -> Any:
    return app.page.locator(f'#add-step-fields [data-field="{name}"]')


def test_group_by_two_columns_with_two_aggregates_through_the_form(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    choose_verb(app, "Group by")
    by, aggs = field(app, "by"), field(app, "aggs")
    by.locator("[data-add-row]").click()
    by.locator("[data-add-row]").click()
    by.locator("select").nth(0).select_option("region")
    by.locator("select").nth(1).select_option("product")
    aggs.locator("[data-add-row]").click()
    aggs.locator("[data-add-row]").click()
    aggs.get_by_label("Aggregates 1 function").select_option("sum")
    offered = aggs.get_by_label("Aggregates 1 column").locator("option").all_inner_texts()
    assert "revenue" in offered and "region" not in offered  # a sum offers the number columns
    aggs.get_by_label("Aggregates 1 column").select_option("revenue")
    aggs.get_by_label("Aggregates 2 function").select_option("count")
    app.act(lambda: page.click("#add-step-submit"))

    totals: dict[tuple[str, str], float] = defaultdict(float)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in SAMPLE:
        totals[row["region"], row["product"]] += float(row["revenue"])
        counts[row["region"], row["product"]] += 1
    assert page.locator("#row-count").inner_text() == f"{len(totals)} rows", app.status()
    first = min(totals)  # groups come out sorted by their keys
    assert (app.column("region")[0], app.column("product")[0]) == first
    assert float(app.column("sum_revenue")[0].replace(",", "")) == round(totals[first], 2)
    assert int(app.column("count")[0]) == counts[first]
    assert step_texts(app, "Group by region, product: sum of revenue, count")
    assert page.locator("#add-step-fields [data-field]").count() == 0  # the form closed once it ran


def test_edit_a_step_in_its_form_and_as_json(app: Any) -> None:
    page = app.page
    step = page.locator("#steps li").nth(0)
    step.locator('[data-act="edit"]').click()
    page.wait_for_function("() => document.querySelector('#add-step-submit').textContent === 'Update step 1'")
    by = field(app, "by")
    assert [s.input_value() for s in by.locator("select").all()] == ["region", "product"]
    # The pickers offer the columns the step reads, not the grouped result's.
    assert "units" in by.locator("select").nth(0).locator("option").all_inner_texts()
    assert field(app, "aggs").get_by_label("Aggregates 1 column").input_value() == "revenue"
    by.locator("[data-remove-row]").nth(1).click()
    app.act(lambda: page.click("#add-step-submit"))
    assert page.locator("#row-count").inner_text() == f"{len({r['region'] for r in SAMPLE})} rows"
    assert step_texts(app, "Group by region: sum of revenue, count")

    step.locator('[data-act="edit"]').click()
    page.wait_for_function("() => document.querySelector('#add-step-submit').textContent === 'Update step 1'")
    page.click("#add-step-json")  # the same step as JSON, still updating step 1
    assert page.inner_text("#step-submit") == "Update step 1"
    assert '"by": [\n  "region"\n ]' in page.input_value("#step-json")
    page.fill("#step-json", '{"verb": "groupby", "by": ["channel"]}')
    app.act(lambda: page.click("#step-submit"))
    assert step_texts(app, "Group by channel: count")


def test_a_bad_field_shows_at_the_field_and_is_fixed_in_place(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    choose_verb(app, "Filter")
    field(app, "column").locator("select").select_option("units")
    field(app, "op").locator("select").select_option(">")
    field(app, "value").locator("input").fill("lots")
    app.act(lambda: page.click("#add-step-submit"))
    error = field(app, "value").locator(".field-error")
    assert error.is_visible()
    assert "lots" in error.inner_text() and "units" in error.inner_text()
    assert field(app, "value").locator("input").get_attribute("aria-invalid") == "true"
    assert page.locator("#steps li.failed").count() == 1
    assert page.inner_text("#add-step-submit") == "Update step 1"  # fixing it replaces it

    field(app, "value").locator("input").fill("7")
    field(app, "column").locator("select").select_option("region")
    field(app, "op").locator("select").select_option("is_null")
    field(app, "expr").locator("input").fill("units >")  # now the expression is what is wrong
    app.act(lambda: page.click("#add-step-submit"))
    assert field(app, "expr").locator(".field-error").is_visible()
    assert not error.is_visible()  # the old message is gone

    field(app, "expr").locator("input").fill("")
    field(app, "column").locator("select").select_option("units")
    field(app, "op").locator("select").select_option(">")
    app.act(lambda: page.click("#add-step-submit"))
    assert page.locator("#steps li").count() == 1 and page.locator("#steps li.failed").count() == 0
    expected = sum(1 for row in SAMPLE if int(row["units"]) > 7)
    assert page.locator("#row-count").inner_text() == f"{expected:,} rows"
    assert step_texts(app, "Filter: units > 7")  # a number: the value was typed by its column


def test_the_step_list_reads_in_pythons_words(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    app.add_filter("region", "==", "North")
    page.select_option("#sort-column", "units")
    page.select_option("#sort-dir", "desc")
    app.act(lambda: page.click("#sort-form button[type=submit]"))
    page.fill(
        "#step-json",
        '{"verb": "top_n", "n": 2, "by": "product", "order": [{"column": "revenue", "desc": true}]}',
    )
    app.act(lambda: page.click("#step-submit"))
    texts = ("Filter: region = North", "Sort by units descending", "Top 2 per product by revenue descending")
    assert step_texts(app, *texts)
    app.act(lambda: page.locator("#steps li").nth(1).locator('[data-act="toggle"]').click())
    assert step_texts(app, *texts)  # switched off, it reads the same; the list marks it
    assert "off" in (page.locator("#steps li").nth(1).get_attribute("class") or "")


def step_counts(app: Any, steps: int) -> list[str]:
    """The row counts the step list shows once Python's counts for these steps are in."""
    app.page.wait_for_function(
        "(n) => document.querySelectorAll('#steps li').length === n"
        " && [...document.querySelectorAll('#steps li .step-count')].every((c) => c.dataset.count)",
        arg=steps,
    )
    return [str(t) for t in app.page.locator("#steps li .step-count").all_inner_texts()]


def test_each_step_shows_the_rows_after_it(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    app.add_filter("region", "==", "North")
    app.add_filter("units", ">", "5")
    north = [r for r in SAMPLE if r["region"] == "North"]
    many = [r for r in north if int(r["units"]) > 5]
    assert step_counts(app, 2) == [f"{len(north):,} rows", f"{len(many):,} rows"]
    # Switching the first step off changes what the second one counts.
    app.act(lambda: page.locator("#steps li").nth(0).locator('[data-act="toggle"]').click())
    everywhere = sum(1 for r in SAMPLE if int(r["units"]) > 5)
    page.wait_for_function(
        "(n) => document.querySelectorAll('#steps li .step-count')[1]?.dataset.count === String(n)",
        arg=everywhere,
    )
    assert step_counts(app, 2) == [f"{len(SAMPLE):,} rows", f"{everywhere:,} rows"]
    # A step that fails: the steps before it keep their counts, the failed one is marked and has none.
    page.fill("#step-json", '{"verb": "filter", "column": "unitz", "op": ">", "value": 1}')
    app.act(lambda: page.click("#step-submit"))
    page.wait_for_function("() => document.querySelectorAll('#steps li').length === 3")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#steps li .step-count')]"
        ".filter((c) => c.dataset.count).length === 2"
    )
    assert page.locator("#steps li").nth(2).get_attribute("class") == "step failed"
    assert page.locator("#steps li .step-count").nth(2).inner_text() == ""


def test_show_python_gives_code_that_reruns_the_steps(app: Any, tmp_path: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    app.add_filter("region", "==", "West")
    app.add_filter("units", ">=", "4")
    page.click("#python-box summary")
    page.wait_for_function(
        "() => document.querySelector('#pipeline-python').textContent.includes('\"units\"')"
    )
    code = page.inner_text("#pipeline-python")
    assert 'loupe.read_file("sales.csv", name="sales")' in code
    (tmp_path / "sales.csv").write_text(sample_csv(), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code + "print(len(result.rows))\n"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(root / "py")},
        capture_output=True,
        text=True,
        check=True,
    )
    shown = int(page.locator("#row-count").inner_text().split()[0].replace(",", ""))
    assert (
        int(done.stdout.split()[-1])
        == shown
        == sum(1 for r in SAMPLE if r["region"] == "West" and int(r["units"]) >= 4)
    )
    # The code follows the steps while it is open.
    app.act(lambda: page.locator("#steps li").nth(1).locator('[data-act="remove"]').click())
    page.wait_for_function(
        "() => !document.querySelector('#pipeline-python').textContent.includes('\"units\"')"
    )
    page.click("#python-box summary")


def test_a_step_is_dragged_to_another_place_and_undo_puts_it_back(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    app.add_filter("region", "==", "North")
    page.fill("#step-json", '{"verb": "limit", "n": 3}')
    app.act(lambda: page.click("#step-submit"))
    texts = step_texts(app, "Filter: region = North", "First 3 rows")
    items = page.locator("#steps li")
    app.act(lambda: items.nth(1).drag_to(items.nth(0)))
    assert step_texts(app, *reversed(texts))
    first_north = sum(1 for r in SAMPLE[:3] if r["region"] == "North")  # now the limit comes first
    assert page.locator("#row-count").inner_text() == f"{first_north} rows" != "3 rows"
    app.act(lambda: page.click("#undo"))
    assert step_texts(app, *texts)


def test_join_two_files_through_the_form(app: Any, tmp_path: Path) -> None:
    """Issue 10: the other table is picked from the opened ones, its keys from its own columns; a key of
    another type is refused at the field with a hint; the preview's counts come before "Add step", and the
    step gives the rows the preview said."""
    app.show_sample()
    page = app.page
    managers = tmp_path / "managers.csv"
    managers.write_text("region,manager,code\nNorth,Ann,1\nSouth,Bob,2\nAtlantis,Cid,3\n", encoding="utf-8")
    app.act(lambda: page.set_input_files("#file-input", str(managers)))
    app.act(lambda: page.click('#tables [data-table="sales"]'))
    choose_verb(app, "Join")
    table = field(app, "table").locator("select")
    assert table.input_value() == "managers"  # not the table on screen
    key = field(app, "on")
    key.locator("select[data-key=left]").select_option("region")
    right = key.locator("select[data-key=right]")
    assert right.locator("option").all_inner_texts() == ["region", "manager", "code"]
    assert right.input_value() == "region"  # the same name, picked on the right
    preview = page.locator("[data-part=join-preview]")

    def shown(state: str) -> list[str]:
        page.wait_for_function(
            "(state) => document.querySelector('[data-part=join-preview]')?.dataset.loupePreview === state",
            arg=state,
        )
        return preview.locator("p").all_inner_texts()

    matched = sum(1 for row in SAMPLE if row["region"] in ("North", "South"))
    total = len(SAMPLE)
    number = "{:,}".format
    assert shown("ready") == [
        f"Here: {number(matched)} of {number(total)} rows match, {number(total - matched)} unmatched.",
        "managers: 2 of 3 rows match, 1 unmatched.",
        f"Result (inner join): {number(matched)} rows.",
    ]
    right.select_option("code")  # text with a number: refused at the field, with what to do
    assert shown("refused") == ["No preview until the keys fit."]
    note = key.locator(".field-error")
    assert 'cannot match text "region" with integer "code"' in note.inner_text()
    assert "Hint: cast one side first" in note.inner_text()
    assert key.locator("select[aria-invalid=true]").count() == 2
    right.select_option("region")
    field(app, "how").locator("select").select_option("left")
    assert shown("ready")[-1] == f"Result (left join): {number(total)} rows."
    assert note.is_hidden()
    app.act(lambda: page.click("#add-step-submit"))
    assert page.locator("#row-count").inner_text() == f"{number(total)} rows"
    assert step_texts(app, "Join managers (left) on region") == ["Join managers (left) on region"]
    assert "manager" in app.page.locator("#table thead").inner_text()
