"""api.handle: what the worker and the widget call. Structured results and errors, isolated sessions."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.engine import Engine
from loupe.sample import sample_csv
from loupe.service.session import SESSIONS

SAMPLE = list(csv.DictReader(io.StringIO(sample_csv())))


def call(method: str, **params: Any) -> dict[str, Any]:
    reply = api.handle(method, params)
    assert reply["ok"], reply.get("error")
    result: dict[str, Any] = reply["result"]
    return result


def text_of(node: Any) -> str:
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node[2:])


def find(node: Any, predicate: Any) -> list[Any]:
    if isinstance(node, str):
        return []
    found = [node] if predicate(node) else []
    for child in node[2:]:
        found.extend(find(child, predicate))
    return found


@pytest.fixture
def sales(tmp_path: Path) -> str:
    path = tmp_path / "sales.csv"
    path.write_text(sample_csv(), encoding="utf-8")
    session = f"s-{tmp_path.name}"
    opened = call("open", session=session, path=str(path), filename="sales.csv")
    assert opened["table"] == "sales"
    assert opened["row_count"] == len(SAMPLE)
    assert [c["name"] for c in opened["columns"]][:2] == ["date", "region"]
    yield session
    api.handle("close", {"session": session})


def test_view_filters_sorts_and_windows_rows(sales: str) -> None:
    pipeline = [
        {"verb": "filter", "column": "region", "op": "==", "value": "East"},
        {"verb": "sort", "by": [{"column": "revenue", "desc": True}]},
    ]
    result = call("view", session=sales, pipeline=pipeline, offset=0, limit=5)
    east = sorted((float(r["revenue"]) for r in SAMPLE if r["region"] == "East"), reverse=True)
    assert result["row_count"] == len(east)
    rows = find(result["table"], lambda n: n[0] == "tr" and "data-row" in n[1])
    assert len(rows) == 5
    assert "sort" not in result  # the table tree carries the sort state, not a separate field
    headers = find(result["table"], lambda n: n[0] == "th" and n[1].get("data-column") == "revenue")
    assert headers[0][1].get("aria-sort") == "descending"
    first_revenue = text_of(rows[0]).replace(",", "")
    assert f"{east[0]:.2f}".rstrip("0").rstrip(".") in first_revenue


def test_view_with_a_bar_chart_has_one_bar_per_category(sales: str) -> None:
    chart = {"type": "bar", "x": "product", "agg": "count"}
    result = call("view", session=sales, chart=chart)
    bars = find(result["chart"], lambda n: "bar" in str(n[1].get("class", "")).split())
    assert len(bars) == len(Counter(r["product"] for r in SAMPLE))


def test_errors_name_the_step_and_keep_the_session(sales: str) -> None:
    bad = [{"verb": "sort", "by": [{"column": "revenu"}]}]
    reply = api.handle("view", {"session": sales, "pipeline": bad})
    assert not reply["ok"]
    error = reply["error"]
    assert error["step"] == 1
    assert "revenue" in error["text"]  # did you mean
    assert call("view", session=sales)["row_count"] == len(SAMPLE)


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", '"><script>x()</script>'])
def test_an_unknown_column_with_markup_is_named_literally(sales: str, name: str) -> None:
    """RELIABILITY 5: the error repeats the name as text (the page sets it with textContent: e2e)."""
    reply = api.handle("view", {"session": sales, "pipeline": [{"verb": "sort", "by": [{"column": name}]}]})
    assert not reply["ok"]
    assert reply["error"]["column"] == name
    assert f'unknown column "{name}"' in reply["error"]["text"]
    assert call("view", session=sales)["row_count"] == len(SAMPLE)


def test_sessions_do_not_see_each_others_tables(sales: str) -> None:
    reply = api.handle("view", {"session": "someone-else", "table": "sales"})
    assert not reply["ok"]
    assert reply["error"]["code"] == "spec"


def test_bad_files_give_read_errors_with_where_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    reply = api.handle("open", {"session": "bad", "path": str(path), "filename": "ragged.csv"})
    assert not reply["ok"]
    assert reply["error"]["code"] == "read"
    assert "line 3" in reply["error"]["text"]
    assert reply["error"]["hint"]


@pytest.mark.parametrize("kind", ["csv", "sqlite"])
def test_an_open_asked_for_the_fingerprint_gives_the_files_sha256(kind: str, tmp_path: Path) -> None:
    """The page's document matches files by this SHA-256; the worker hashes what it reads."""
    import hashlib

    path = tmp_path / f"sales.{kind}"
    if kind == "csv":
        path.write_text(sample_csv(), encoding="utf-8")
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE t (a INTEGER, b TEXT)")
            db.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"x{i}") for i in range(100)])
        db.close()
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    opened = call("open", session=f"fp-{kind}", path=str(path), filename=path.name, fingerprint=True)
    assert opened["sha256"] == expected
    assert "sha256" not in call("open", session=f"fp-{kind}", path=str(path), filename=path.name)
    assert call("fingerprint", path=str(path)) == {"sha256": expected}  # before reading: no table made
    api.handle("close", {"session": f"fp-{kind}"})


def test_unknown_method_and_bad_window_are_spec_errors(sales: str) -> None:
    assert api.handle("veiw")["error"]["hint"] == 'did you mean "view"?'
    reply = api.handle("view", {"session": sales, "limit": 0})
    assert reply["error"]["field"] == "limit"


def test_handle_json_round_trips_and_is_strict_json(sales: str) -> None:
    text = api.handle_json("view", json.dumps({"session": sales, "limit": 3}))
    reply = json.loads(text)
    assert reply["ok"]
    assert "NaN" not in text


def test_every_gallery_chart_renders_with_its_table_and_svg_file(sales: str) -> None:
    for spec in call("gallery")["specs"]:
        result = call("chart", session=sales, chart=spec, svg=True, theme="dark")
        assert result["chart"][0] == "svg"
        assert result["svg"].startswith("<?xml")
        assert "<script" not in result["svg"]
        assert find(result["table"], lambda n: n[0] == "caption")


def test_every_gallery_example_runs_its_pipeline_for_the_table_and_the_chart(sales: str) -> None:
    for example in call("gallery")["examples"]:
        pipeline, limit = example["pipeline"], example["rows"]
        table = call("view", session=sales, pipeline=pipeline, limit=limit)["table"]
        rows = find(table, lambda n: n[0] == "tr" and "data-row" in n[1])
        assert len(rows) == limit
        assert any("flagged" in str(tr[1].get("class", "")) for tr in rows)
        chart = call("chart", session=sales, pipeline=pipeline, chart=example["chart"], theme="dark")["chart"]
        assert find(chart, lambda n: "flag-mark" in str(n[1].get("class", "")))


def test_chart_errors_name_the_field(sales: str) -> None:
    reply = api.handle("chart", {"session": sales, "chart": {"type": "bar", "x": "regoin"}})
    assert not reply["ok"]
    assert "region" in reply["error"]["text"]


def test_profile_of_a_column_after_the_pipeline(sales: str) -> None:
    pipeline = [{"verb": "filter", "column": "region", "op": "==", "value": "West"}]
    result = call("profile", session=sales, pipeline=pipeline, column="units")
    west = [int(r["units"]) for r in SAMPLE if r["region"] == "West"]
    assert result["profile"]["count"] == len(west)
    assert result["profile"]["max"] == max(west)
    assert text_of(result["tree"]).startswith("units")
    reply = api.handle("profile", {"session": sales, "column": "unit"})
    assert 'did you mean "units"' in reply["error"]["text"]


def test_table_headers_carry_distribution_sketches_once_asked_for(sales: str) -> None:
    def sketches(result: dict[str, Any]) -> list[Any]:
        return find(result["table"], lambda n: n[0] == "svg" and "sketch" in n[1].get("class", ""))

    first = call("view", session=sales, limit=3)
    assert not first["sketched"]
    assert sketches(first) == []  # the first paint does not wait for a whole-result profile
    asked = call("rows", session=sales, limit=3, sketches=True)
    assert asked["sketched"]
    assert len(sketches(asked)) >= 5
    again = call("view", session=sales, limit=3)  # computed once, then reused
    assert len(sketches(again)) >= 5


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_export_writes_the_whole_result_and_reads_back(sales: str, tmp_path: Path, fmt: str) -> None:
    from loupe.read import read_file

    pipeline = [{"verb": "filter", "column": "region", "op": "==", "value": "North"}]
    path = tmp_path / f"out.{fmt}"
    result = call("export", session=sales, pipeline=pipeline, format=fmt, path=str(path))
    north = [r for r in SAMPLE if r["region"] == "North"]
    assert result["rows"] == len(north)
    assert result["filename"] == f"sales.{fmt}"
    back = read_file(str(path))
    assert back.row_count == len(north)
    assert {row[back.column_names.index("region")] for row in back.rows} == {"North"}


def test_csv_export_is_spreadsheet_safe_unless_asked(tmp_path: Path) -> None:
    data = tmp_path / "risky.csv"
    data.write_text('cell\n"=HYPERLINK(""x"")"\nplain\n', encoding="utf-8")
    call("open", session="risky", path=str(data), filename="risky.csv")
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    call("export", session="risky", format="csv", path=str(safe))
    call("export", session="risky", format="csv", path=str(raw), safe=False)
    assert "'=HYPERLINK" in safe.read_text(encoding="utf-8")
    assert "'=HYPERLINK" not in raw.read_text(encoding="utf-8")


def test_pipeline_exports_as_json_sql_and_a_python_script(sales: str, tmp_path: Path) -> None:
    pipeline = [{"verb": "sort", "by": [{"column": "units", "desc": True}]}, {"verb": "limit", "n": 2}]
    for fmt in ("pipeline", "sql", "python"):
        path = tmp_path / fmt
        result = call("export", session=sales, pipeline=pipeline, format=fmt, path=str(path))
        text = path.read_text(encoding="utf-8")
        assert text.strip()
        assert result["filename"].startswith("sales")
    assert json.loads((tmp_path / "pipeline").read_text())["steps"] == pipeline
    assert "ORDER BY" in (tmp_path / "sql").read_text().upper()
    compile((tmp_path / "python").read_text(), "rerun.py", "exec")
    reply = api.handle("export", {"session": sales, "format": "cvs", "path": str(tmp_path / "x")})
    assert 'did you mean "csv"' in reply["error"]["text"]


def test_a_chart_that_no_longer_fits_reports_but_the_table_still_updates(sales: str) -> None:
    pipeline = [{"verb": "groupby", "by": ["product"], "aggs": [{"fn": "count"}]}]
    chart = {"type": "bar", "x": "region", "agg": "count"}
    result = call("view", session=sales, pipeline=pipeline, chart=chart)
    assert result["row_count"] == len({r["product"] for r in SAMPLE})
    assert "chart" not in result
    assert "region" in result["chart_error"]["text"]


@pytest.mark.parametrize(
    "pipeline",
    [[], [{"verb": "sort", "by": [{"column": "v", "desc": True}]}, {"verb": "filter", "expr": "v % 3 != 0"}]],
)
def test_windows_deep_into_a_large_result_match_the_plain_query(tmp_path: Path, pipeline: list[Any]) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        "i,v\n" + "".join(f"{i},{(i * 7919) % 100_003}\n" for i in range(60_000)), encoding="utf-8"
    )
    call("open", session="big", path=str(path), filename="big.csv")
    expected = SESSIONS["big"].engine.run({"version": 1, "steps": pipeline}, "big", offset=35_000, limit=4)
    assert len(expected.rows) == 4
    for _ in range(2):  # the second read comes from the stored result
        window = call("rows", session="big", pipeline=pipeline, offset=35_000, limit=4)
        rows = find(window["table"], lambda n: n[0] == "tr" and "data-row" in n[1])
        assert [row[1]["data-row"] for row in rows] == [35_000, 35_001, 35_002, 35_003]
        cells = [text_of(row) for row in rows]
        for cell, row in zip(cells, expected.rows, strict=True):
            assert f"{row[1]:,}" in cell
    api.handle("close", {"session": "big"})


@pytest.mark.parametrize("limit", [4, 5, 6])
def test_row_count_is_exact_whether_the_first_window_holds_all_rows_or_not(sales: str, limit: int) -> None:
    # Five regions: a window of 4 is partial, 5 is exactly full, 6 holds every row with room to spare.
    aggs = [{"column": "units", "fn": "sum", "as": "units"}]
    pipeline = [{"verb": "groupby", "by": ["region"], "aggs": aggs}]
    result = call("view", session=sales, pipeline=pipeline, offset=0, limit=limit)
    assert result["row_count"] == len({r["region"] for r in SAMPLE}) == 5
    rows = find(result["table"], lambda n: n[0] == "tr" and "data-row" in n[1])
    assert len(rows) == min(limit, 5)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('<svg onload="x()">/../a:b', "_svg onload=_x()_.._a_b"),
        ("CON", "export_CON"),
        ("..", "export"),
        ("Ventes été", "Ventes été"),
    ],
)
def test_export_file_names_built_from_table_names_are_sanitised(
    tmp_path: Path, table: str, expected: str
) -> None:
    # RELIABILITY 4 (and 3: a file name reaches the table name too): a SQLite file of several tables
    # loads the chosen one under its own name, which is data; the export's default name is sanitised.
    import sqlite3

    path = tmp_path / "shop.sqlite"
    db = sqlite3.connect(path)
    quoted = '"' + table.replace('"', '""') + '"'
    db.execute(f"CREATE TABLE {quoted} (a INTEGER, b TEXT)")
    db.execute(f"INSERT INTO {quoted} VALUES (1, 'x')")
    db.execute("CREATE TABLE other (a INTEGER)")
    db.commit()
    db.close()
    opened = call("open", session="names", path=str(path), filename="shop.sqlite", options={"table": table})
    assert opened["table"] == table
    for fmt, suffix in (
        ("csv", ".csv"),
        ("xlsx", ".xlsx"),
        ("pipeline", ".pipeline.json"),
        ("python", "_rerun.py"),
    ):
        result = call("export", session="names", table=table, format=fmt, path=str(tmp_path / fmt))
        assert result["filename"] == expected + suffix


def test_view_carries_the_notes_of_its_steps(sales: str) -> None:
    cast = {"verb": "cast", "column": "region", "to": "date", "format": "%m/%d/%y"}
    result = call("view", session=sales, pipeline=[cast])
    assert len(result["notes"]) == 1
    assert (
        result["notes"][0].startswith("step 1 (cast): ")
        and 'values of "region" could not be read as date' in (result["notes"][0])
    )
    assert call("view", session=sales, pipeline=[])["notes"] == []


# -- the time budget and memory (the supervisor's Python half) ---------------------------------------

BY_DATE = {"verb": "join", "table": "sales", "on": ["date"]}  # ~6 matches per row: ~29,000 rows
BY_REGION = {"verb": "join", "table": "sales", "on": ["region"]}  # ~930 matches per row


def test_a_runaway_step_stops_at_the_budget_and_is_named(sales: str) -> None:
    # RELIABILITY 36: the join of a join (~27 million rows) stops itself at the request's budget; the
    # step added to the last finished view is the one named, and the session still answers.
    # The one join finishes (a generous budget: a loaded machine is slow); the join added to it cannot.
    call("view", session=sales, table="sales", pipeline=[BY_DATE], limit=5, budget=600)
    reply = api.handle(
        "view", {"session": sales, "table": "sales", "pipeline": [BY_DATE, BY_REGION], "budget": 0.2}
    )
    error = reply["error"]
    assert (error["code"], error["step"], error["verb"]) == ("budget", 2, "join")
    assert error["text"].startswith("this step took longer than 0.2 s; it was stopped (step 2 (join))")
    assert "filter or group first" in error["hint"]
    assert call("view", session=sales, table="sales", pipeline=[])["row_count"] == len(SAMPLE)


def test_a_runaway_pipeline_not_extending_the_last_view_names_the_pipeline(sales: str) -> None:
    steps = [{"verb": "limit", "n": 100_000_000}, BY_DATE, BY_REGION]
    reply = api.handle("view", {"session": sales, "table": "sales", "pipeline": steps, "budget": 0.2})
    assert reply["error"]["text"].startswith("the pipeline took longer than 0.2 s; it was stopped")
    assert "step" not in reply["error"]


def test_a_database_whose_only_table_never_ends_is_stopped_and_the_old_table_stays(
    sales: str, tmp_path: Path
) -> None:
    # RELIABILITY 36: a recursive view with no bound used to run until a MemoryError (~25 s in the page).
    path = tmp_path / "forever.sqlite"
    connection = sqlite3.connect(path)
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
    connection.execute(f"CREATE VIEW forever AS {endless}")
    connection.commit()
    connection.close()
    reply = api.handle(
        "open", {"session": sales, "path": str(path), "filename": "forever.sqlite", "budget": 0.3}
    )
    assert reply["error"]["code"] == "budget"
    assert reply["error"]["text"].startswith('reading "forever" took longer than 0.3 s; it was stopped')
    assert call("view", session=sales)["row_count"] == len(SAMPLE)  # the sample is still the table


def test_the_budget_must_be_a_sensible_number(sales: str) -> None:
    for bad in ("fast", 0, -1, True, 10_000):
        error = api.handle("view", {"session": sales, "budget": bad})["error"]
        assert (error["code"], error["field"]) == ("spec", "budget")


def test_memory_error_mid_pipeline_says_not_enough_memory(
    sales: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RELIABILITY 37: a MemoryError while the result is converted (Python's side of a query).
    def out_of_memory(*args: Any) -> Any:
        raise MemoryError

    with monkeypatch.context() as patch:
        patch.setattr(Engine, "_convert", staticmethod(out_of_memory))
        error = api.handle("view", {"session": sales, "pipeline": [{"verb": "sort", "by": ["units"]}]})[
            "error"
        ]
    assert error["code"] == "memory"
    assert error["text"].startswith("not enough memory for this step; try filtering first")
    assert "bug" not in error["text"] + error["hint"]
    assert call("view", session=sales, limit=3)["row_count"] == len(SAMPLE)


OUT_OF_MEMORY_OPEN = """
import json, sys
from loupe import api
from loupe.engine import Engine
from loupe.service.session import SESSIONS
sales, big = sys.argv[1:3]
assert api.handle("open", {"session": "s", "path": sales, "filename": "sales.csv"})["ok"]
# PRAGMA hard_heap_limit can only be lowered, for the whole process: hence a process of its own.
SESSIONS["s"].engine._conn.execute("PRAGMA hard_heap_limit = 4000000")
failed = api.handle("open", {"session": "s", "path": big, "filename": "sales.csv"})
shown = api.handle("view", {"session": "s", "limit": 3})
print(json.dumps([failed, shown["result"]["row_count"], shown["result"]["columns"][0]["name"]]))
"""


@pytest.mark.skipif(sys.platform == "emscripten", reason="needs a process of its own")
def test_an_open_that_runs_out_of_memory_keeps_the_table_on_screen(sales: str, tmp_path: Path) -> None:
    # RELIABILITY 37: a real out-of-memory inside SQLite (SQLITE_NOMEM, which rolls the load back by
    # itself) while loading a file of the same table name: a message, and the old table stays.
    first, big = tmp_path / "first.csv", tmp_path / "big.csv"
    first.write_text(sample_csv(), encoding="utf-8")
    big.write_text("a,b\n" + "".join(f"{i},{'x' * 60}{i}\n" for i in range(200_000)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(api.__file__).parents[1])}
    run = subprocess.run(
        [sys.executable, "-c", OUT_OF_MEMORY_OPEN, str(first), str(big)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    failed, rows, first_column = json.loads(run.stdout)
    assert failed["error"]["code"] == "memory", failed
    assert failed["error"]["text"].startswith("not enough memory for this step; try filtering first")
    assert (rows, first_column) == (len(SAMPLE), "date")


@pytest.mark.skipif(sys.platform == "emscripten", reason="this deep a parse overflows the JS stack there")
def test_params_nested_too_deeply_get_a_message_not_a_crash() -> None:
    # RELIABILITY 41: params nested 3,000 deep as JSON text (in the page the browser refuses to copy
    # them first: the worker answers that; a fatal error there restarts the worker, RELIABILITY 39).
    reply = json.loads(api.handle_json("view", '{"pipeline": ' + "[" * 3000 + "]" * 3000 + "}"))
    assert reply["error"]["code"] == "spec" and "nested too deeply" in reply["error"]["text"]
    assert json.loads(api.handle_json("view", "null"))["error"]["code"] == "spec"


# Chart text that breaks hand-built SVG: a closing tag and a script, an ampersand, the end of a CDATA
# section, an XML comment's `--`, a NUL (XML cannot hold it: U+FFFD), and an attribute breakout.
HOSTILE_LABELS = [
    "</text><script>x()</script>",
    "Tom & Jerry",
    "]]>",
    "a -- b",
    "nul\x00here",
    '"><svg onload=x()>',
]


@pytest.mark.parametrize("chart_type", ["bar", "line", "scatter"])
def test_a_chart_of_hostile_labels_is_well_formed_svg_with_the_exact_text(
    tmp_path: Path, chart_type: str
) -> None:
    """RELIABILITY 7, 8 (and 2 for the axis title): the standalone SVG file parses as XML, holds only
    allow-listed elements and attributes (no script, foreignObject, on*), and its text is the data's."""
    import xml.etree.ElementTree as ET

    from loupe.render.tree import SVG_TAGS, is_allowed_attribute

    records = [{"<b>x": label, "n": i + 1} for i, label in enumerate(HOSTILE_LABELS)]
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    session = f"svg-{chart_type}"
    call("open", session=session, path=str(path), filename="labels.json")
    x = "n" if chart_type == "scatter" else "<b>x"
    spec = {"type": chart_type, "x": x, "y": "n", **({"color": "<b>x"} if chart_type == "scatter" else {})}
    result = call("chart", session=session, chart=spec, svg=True)
    api.handle("close", {"session": session})
    svg = result["svg"]
    root = ET.fromstring(svg.split("\n", 1)[1])  # well-formed, or this raises
    for node in root.iter():
        tag = node.tag.rpartition("}")[2]
        assert tag in SVG_TAGS, tag
        assert all(is_allowed_attribute(name) or name == "xmlns" for name in node.attrib), node.attrib
    assert "<script" not in svg and "foreignObject" not in svg
    text = "".join(root.itertext())
    for label in HOSTILE_LABELS:
        assert label.replace("\x00", "\ufffd") in text, label
    assert "<b>x" in text  # the column name, as an axis or legend title


@pytest.mark.parametrize(
    ("chart", "marks_rows"),
    [
        ({"type": "scatter", "x": "unit_price", "y": "revenue", "alert": {"op": ">", "value": 300}}, True),
        # A bar's rule tests a sum per product, which no single row has: the rows stay unmarked.
        ({"type": "bar", "x": "product", "y": "revenue", "alert": {"op": ">", "value": 300}}, False),
        ({"type": "scatter", "x": "unit_price", "y": "revenue"}, False),
    ],
)
def test_a_scatter_plots_alert_rule_marks_the_rows_of_the_table(
    sales: str, chart: dict[str, Any], marks_rows: bool
) -> None:
    for method, offset in (("view", 0), ("rows", 40)):
        result = call(method, session=sales, chart=chart, offset=offset, limit=30)
        rows = find(result["table"], lambda n: n[0] == "tr" and "data-row" in n[1])
        marked = [int(tr[1]["data-row"]) for tr in rows if "alert" in str(tr[1].get("class", "")).split()]
        expected = [i for i in range(offset, offset + 30) if float(SAMPLE[i]["revenue"]) > 300]
        assert marked == (expected if marks_rows else []), method
        if marks_rows:
            assert expected, "the sample has rows above the rule in every window"
            marker = find(rows[marked[0] - offset], lambda n: "alert-marker" in str(n[1].get("class", "")))
            assert marker[0][1]["aria-label"] == "alert: revenue > 300"
