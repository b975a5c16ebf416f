"""The explorer in headless Chromium: the sample shows, a CSV opens, steps change rows, the chart has one bar
per category, bad files get a clear message while the data stays, and nothing leaves the origin."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from loupe.sample import sample_csv

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))


def test_sample_is_shown_as_table_and_chart(app: Any) -> None:
    page = app.page
    assert page.locator("#row-count").inner_text() == f"{len(SAMPLE):,} rows"
    assert 10 <= page.locator("#table tbody tr").count() <= 60  # only the rows in view exist
    assert app.column("region")[:3] == [row["region"] for row in SAMPLE[:3]]
    assert page.locator("#chart svg .bar").count() == len({row["region"] for row in SAMPLE})
    assert page.locator("#boot").is_hidden()


def test_scrolling_the_table_fetches_the_rows_in_view(app: Any) -> None:
    page = app.page
    page.wait_for_function("() => document.documentElement.dataset.loupeWindow === '0'")
    page.eval_on_selector("#table", "(el) => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_function("() => document.documentElement.dataset.loupeWindow !== '0'")
    last_rows = page.locator("#table tbody tr[data-row]")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('#table tbody tr[data-row]')]"
        ".some((tr) => Number(tr.dataset.row) === n)",
        arg=len(SAMPLE) - 1,
    )
    assert app.column("date")[-1] == SAMPLE[-1]["date"]
    assert last_rows.count() < 60
    assert f"of {len(SAMPLE):,}" in page.locator("#window").inner_text()
    page.eval_on_selector("#table", "(el) => { el.scrollTop = 0; }")
    page.wait_for_function("() => document.documentElement.dataset.loupeWindow === '0'")
    assert app.column("date")[0] == SAMPLE[0]["date"]


def test_filter_and_sort_change_the_rows(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    page.select_option("#filter-column", "region")
    page.select_option("#filter-op", "==")
    page.fill("#filter-value", "North")
    app.act(lambda: page.click("#filter-form button[type=submit]"))
    north = [row for row in SAMPLE if row["region"] == "North"]
    assert page.locator("#row-count").inner_text() == f"{len(north):,} rows"
    assert set(app.column("region")) == {"North"}

    page.select_option("#sort-column", "units")
    page.select_option("#sort-dir", "desc")
    app.act(lambda: page.click("#sort-form button[type=submit]"))
    units = [int(text.replace(",", "")) for text in app.column("units")]
    assert units == sorted(units, reverse=True)
    assert units[0] == max(int(row["units"]) for row in north)
    assert page.locator("#steps li").count() == 2


def test_chart_has_one_bar_per_category_of_the_filtered_data(app: Any) -> None:
    page = app.page
    app.act(lambda: page.click("#clear-steps"))
    app.act(lambda: page.select_option("#chart-agg", "count"))
    app.act(lambda: page.select_option("#chart-x", "product"))
    counts = Counter(row["product"] for row in SAMPLE)
    bars = page.locator("#chart svg .bar")
    assert bars.count() == len(counts)
    tooltips = " ".join(bars.locator("title").all_text_contents())
    for product in counts:
        assert product in tooltips


def test_opening_a_csv_with_the_file_input(app: Any, tmp_path: Path) -> None:
    data = tmp_path / "cities.csv"
    data.write_text("city;population;founded\nLyon;522250;0043-01-01\nNantes;320732;\n", encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    assert app.page.locator("#row-count").inner_text() == "2 rows"
    assert app.column("city") == ["Lyon", "Nantes"]
    types = app.page.locator("#columns .type").all_inner_texts()
    assert types[:2] == ["text", "integer"]


def test_clicking_a_header_sorts_by_that_column(app: Any, tmp_path: Path) -> None:
    data = tmp_path / "scores.tsv"
    data.write_text("name\tscore\nAda\t3\nBob\t10\nCy\t7\n", encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    app.act(lambda: app.page.click("#table th[data-column=score]"))
    assert app.column("score") == ["3", "7", "10"]
    app.act(lambda: app.page.click("#table th[data-column=score]"))
    assert app.column("score") == ["10", "7", "3"]


def test_markup_in_data_is_shown_as_text(app: Any, tmp_path: Path) -> None:
    data = tmp_path / "markup.csv"
    data.write_text('label,n\n"<img src=x onerror=""window.pwned=1"">",1\n<b>bold</b>,2\n', encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    assert app.column("label") == ['<img src=x onerror="window.pwned=1">', "<b>bold</b>"]
    assert app.page.locator("#table img, #table b, #chart img").count() == 0
    assert app.page.evaluate("window.pwned === undefined")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "empty"),
        ("binary.csv", bytes(range(256)) * 8, "text"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5\n6,7\n", "line 3"),
    ],
)
def test_bad_files_get_a_message_and_the_data_stays(
    app: Any, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("x,y\n1,2\n3,4\n", encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(good)))
    bad = tmp_path / name
    bad.write_bytes(content)
    app.act(lambda: app.page.set_input_files("#file-input", str(bad)))
    assert expected in app.status().lower()
    assert app.column("x") == ["1", "3"]


def test_ragged_rows_can_be_padded_from_the_reading_options(app: Any, tmp_path: Path) -> None:
    # RELIABILITY 24: the ragged line is named in the page and the reading options offer pad / skip.
    data = tmp_path / "uneven.csv"
    data.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n", encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    assert "line 3" in app.status()
    assert app.page.is_visible("#options-form")
    app.page.select_option("#options-form select[name=ragged]", "pad")
    app.act(lambda: app.page.click("#options-form button[type=submit]"))
    assert app.column("a") == ["1", "4", "6"]
    assert app.column("c")[1] == "null"


def test_a_sqlite_file_offers_its_tables_and_both_can_be_joined(app: Any, tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
        db.execute("CREATE TABLE orders (id INTEGER, customer INTEGER, total REAL)")
        db.executemany("INSERT INTO customers VALUES (?, ?)", [(1, "Ada"), (2, "Bob")])
        db.executemany("INSERT INTO orders VALUES (?, ?, ?)", [(10, 1, 5.5), (11, 2, 7.0), (12, 1, 1.0)])
    db.close()
    app.act(lambda: app.page.set_input_files("#file-input", str(path)))
    assert app.column("name") == ["Ada", "Bob"]
    app.page.eval_on_selector("#read-options", "(el) => { el.open = true; }")
    assert app.page.is_visible("#part-label")
    app.page.select_option("#options-form select[name=part]", "orders")
    app.act(lambda: app.page.click("#options-form button[type=submit]"))
    assert app.column("total") == ["5.5", "7.0", "1.0"]  # one number of decimals per column
    assert app.page.locator("#tables button").all_inner_texts()[-2:] == ["customers", "orders"]


def test_a_file_with_a_bom_reads_clean_column_names(app: Any, tmp_path: Path) -> None:
    # RELIABILITY 20: the header is `id`, not `\ufeffid`: the table finds the column by that name.
    data = tmp_path / "bom.csv"
    data.write_bytes("\ufeffid,name\n1,Zoë\n".encode())
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    assert app.column("id") == ["1"]
    assert app.column("name") == ["Zoë"]


def test_a_bad_step_names_the_step_and_keeps_the_pipeline(app: Any) -> None:
    page = app.page
    page.fill("#step-json", '{"verb": "filter", "column": "nope", "op": "==", "value": 1}')
    app.act(lambda: page.click("#step-form button[type=submit]"))
    assert "step" in app.status().lower()
    assert "nope" in app.status()
    assert page.locator("#steps li.failed").count() == 1
    assert page.locator("#table tbody tr").count() > 0


def test_no_request_leaves_the_origin(app: Any) -> None:
    assert app.requests, "the page made no requests at all"
    foreign = [url for url in app.requests if not url.startswith((app.base_url, "blob:", "data:"))]
    assert foreign == []


def test_choosing_a_column_shows_its_profile(app: Any, tmp_path: Path) -> None:
    data = tmp_path / "heights.csv"
    data.write_text("name,cm\nAda,170\nBob,180\nCy,\nDee,190\n", encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    app.page.click("#columns [data-profile=cm]")
    app.page.wait_for_selector("#profile section[data-column=cm]")
    stats = dict(
        zip(
            app.page.locator("#profile dt").all_inner_texts(),
            app.page.locator("#profile dd").all_inner_texts(),
            strict=True,
        )
    )
    assert stats["rows"] == "4"
    assert stats["nulls"] == "1"
    assert stats["mean"] == "180"
    app.page.wait_for_function("() => document.querySelectorAll('#table th svg.sketch').length === 2")


@pytest.mark.parametrize(("fmt", "first_line"), [("csv", "date,region"), ("python", None), ("sql", None)])
def test_export_downloads_the_result(app: Any, fmt: str, first_line: str | None) -> None:
    page = app.page
    app.show_sample()
    page.click("#export-menu")
    with page.expect_download() as info:
        page.click(f"#export-{fmt}")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    if first_line:
        assert text.splitlines()[0].startswith(first_line)
        assert len(text.splitlines()) == len(SAMPLE) + 1
    else:
        assert "sales" in text


def test_dragging_a_header_edge_resizes_the_column_across_scrolling(app: Any) -> None:
    page = app.page
    app.show_sample()
    page.wait_for_selector("#table th[data-column=product] svg.sketch")  # the header's final form
    header = page.locator("#table th[data-column=product]")
    header.scroll_into_view_if_needed()  # a status line above (an export's "Saved ...") can push it down
    box = header.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] + 117, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    wider = header.bounding_box()
    assert wider and abs(wider["width"] - (box["width"] + 120)) < 6
    assert "aria-sort" not in (header.get_attribute("aria-sort") or "")  # the drag did not sort
    page.eval_on_selector("#table", "(el) => { el.scrollTop = 2000; }")
    page.wait_for_function("() => document.documentElement.dataset.loupeWindow !== '0'")
    after = page.locator("#table th[data-column=product]").bounding_box()
    assert after and abs(after["width"] - wider["width"]) < 2


def test_new_column_and_group_forms_build_steps(app: Any) -> None:
    page = app.page
    app.show_sample()
    app.act(lambda: page.click("#clear-steps"))
    page.select_option("#add-step-verb", label="New column")
    page.get_by_label("New column", exact=True).fill("price_band")
    page.get_by_label("Expression").fill("'high' if unit_price > 50 else 'low'")
    app.act(lambda: page.click("#add-step-submit"))
    assert set(app.column("price_band")) <= {"high", "low"}
    page.select_option("#add-step-verb", label="Group by")
    page.click('#add-step-fields [data-field="by"] [data-add-row]')
    page.get_by_label("Group by 1", exact=True).select_option("price_band")
    app.act(lambda: page.click("#add-step-submit"))  # no aggregate given: count
    assert page.locator("#row-count").inner_text() == "2 rows", app.status()
    counts = sorted(int(text.replace(",", "")) for text in app.column("count"))
    high = sum(1 for row in SAMPLE if float(row["unit_price"]) > 50)
    assert counts == sorted([high, len(SAMPLE) - high])


def test_long_text_shows_in_full_on_keyboard_focus(app: Any, tmp_path: Path) -> None:
    long_text = "word " * 60
    data = tmp_path / "long.csv"
    data.write_text(f"id,note\n1,{long_text.strip()}\n", encoding="utf-8")
    app.act(lambda: app.page.set_input_files("#file-input", str(data)))
    cell = app.page.locator("#table td.trunc")
    assert cell.inner_text().endswith("…")
    cell.focus()
    shown = app.page.evaluate(
        "() => getComputedStyle(document.querySelector('#table td.trunc'), '::after').content"
    )
    assert long_text.strip() in shown
