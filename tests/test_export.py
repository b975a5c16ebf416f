from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe.engine import Engine
from loupe.export import (
    ExportError,
    format_for,
    guard_formula,
    pipeline_json,
    pipeline_sql,
    sql_literal,
    to_csv,
    to_json,
    to_jsonl,
    to_xlsx,
    unguard_formula,
    write_file,
)
from loupe.pipeline import parse_pipeline
from loupe.python_code import Source, pipeline_code
from loupe.read import read_bytes
from loupe.table import Column, Table, Value

COLUMNS = (
    Column("name", "text"),
    Column("n", "integer"),
    Column("x", "float"),
    Column("ok", "boolean"),
    Column("day", "date"),
)
ROWS: list[tuple[Value, ...]] = [
    ("plain", 1, 0.1, True, "2024-01-02"),
    ('=HYPERLINK("x")', -2, float("nan"), False, None),
    ("+1", None, float("inf"), None, "2024-02-29"),
    ("-x", 3, -0.0, True, None),
    ("@sum", 4, 1e300, False, None),
    ("\tTab", 5, None, None, None),
    ("\rcr", 6, 2.5, None, None),
    ('quote "and", comma\nnewline', 7, 3.0, None, None),
    (None, 8, 1.0, None, None),
]


def test_csv_is_spreadsheet_safe_by_default() -> None:
    cells = list(csv.reader(io.StringIO(to_csv(COLUMNS, ROWS))))
    assert cells[0] == ["name", "n", "x", "ok", "day"]
    assert [r[0] for r in cells[1:]] == [
        "plain",
        '\'=HYPERLINK("x")',
        "'+1",
        "'-x",
        "'@sum",
        "'\tTab",
        "'\rcr",
        'quote "and", comma\nnewline',
        "",
    ]
    assert cells[1] == ["plain", "1", "0.1", "true", "2024-01-02"]
    assert cells[2][1:3] == ["-2", ""]  # numbers are never prefixed; NaN is empty
    assert cells[3][2] == ""  # infinity is empty


# RELIABILITY 9: every way a spreadsheet could start a formula, and what the safe CSV writes instead.
GUARDED = [
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("\n=1+1", "'\n=1+1"),  # a leading line feed
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width ＝ ＋ － ＠, which some spreadsheets fold to ASCII
    ("\uff0b1", "'\uff0b1"),
    ("\uff0d1", "'\uff0d1"),
    ("\uff20A1", "'\uff20A1"),
    ("a;=1+1", "a;'=1+1"),  # a semicolon-locale spreadsheet reads two cells: a, =1+1
    ("a,=1+1", "a,'=1+1"),
    ("a|-1", "a|'-1"),
    ("a\t@x", "a\t'@x"),
    ("'=1", "''=1"),  # the data's own apostrophe is kept apart from the guard's
    ("'tis", "'tis"),
    ("a-b", "a-b"),
    ("x=1", "x=1"),
    ("2024-01-02", "2024-01-02"),
]


@pytest.mark.parametrize(("cell", "written"), GUARDED)
def test_safe_csv_neutralises_formulas(cell: str, written: str) -> None:
    cells = list(csv.reader(io.StringIO(to_csv((Column("c", "text"),), [(cell,)]), newline="")))
    assert cells == [["c"], [written]]
    assert unguard_formula(written) == cell
    raw = list(csv.reader(io.StringIO(to_csv((Column("c", "text"),), [(cell,)], safe=False), newline="")))
    assert raw == [["c"], [cell]]


def test_csv_raw_on_request() -> None:
    cells = list(csv.reader(io.StringIO(to_csv(COLUMNS, ROWS, safe=False))))
    assert cells[2][0] == '=HYPERLINK("x")'


def test_json_and_jsonl_are_always_valid() -> None:  # RELIABILITY 11
    records = json.loads(to_json(COLUMNS, ROWS))
    assert records[0] == {"name": "plain", "n": 1, "x": 0.1, "ok": True, "day": "2024-01-02"}
    assert records[1]["x"] is None and records[2]["x"] is None
    lines = to_jsonl(COLUMNS, ROWS).splitlines()
    assert [json.loads(line) for line in lines] == records
    assert json.loads(to_json(COLUMNS, [])) == []


# RELIABILITY 11: values JSON has no literal for, and integers a JavaScript number cannot hold.
@pytest.mark.parametrize(
    ("value", "written", "read_back"),
    [
        (float("nan"), "null", None),
        (float("inf"), "null", None),
        (float("-inf"), "null", None),
        (2**53 + 1, "9007199254740993", 2**53 + 1),
        (-(2**63), "-9223372036854775808", -(2**63)),
        (10**30, "1000000000000000000000000000000", 10**30),
        (dt.datetime(2024, 2, 29, 13, 5, 1), '"2024-02-29T13:05:01"', "2024-02-29T13:05:01"),
        (dt.date(2024, 2, 29), '"2024-02-29"', "2024-02-29"),
        (b"\x00\xff", '"00ff"', "00ff"),
    ],
    ids=["nan", "inf", "-inf", "2^53+1", "-2^63", "10^30", "datetime", "date", "bytes"],
)
def test_json_export_of_values_json_cannot_hold_as_is(value: Any, written: str, read_back: object) -> None:
    columns = (Column("v", "text"),)
    for text in (to_json(columns, [(value,)]), to_jsonl(columns, [(value,)])):
        assert '"v": ' + written in text  # big integers as their exact digits, never rounded
        records = json.loads(text) if text.lstrip().startswith("[") else [json.loads(text)]
        assert records == [{"v": read_back}]


def test_a_big_integer_survives_the_engine_into_the_json_file(tmp_path: Path) -> None:
    """RELIABILITY 11: an integer past 2^53 read from a CSV is exported exactly (a JSON number with
    all its digits) through the same path the Export button uses."""
    engine = Engine()
    engine.load(read_bytes(b"id,n\n9007199254740993,1\n-9223372036854775808,2\n", "big.csv"))
    result = engine.run([], "big")
    text = to_json(result.columns, result.rows)
    assert "9007199254740993" in text and "-9223372036854775808" in text
    assert [r["id"] for r in json.loads(text)] == [9007199254740993, -9223372036854775808]


def test_xlsx_keeps_text_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = to_xlsx(COLUMNS, ROWS, sheet="my/sheet")
    book = load_workbook(io.BytesIO(data))
    ws = book.active
    assert ws.title == "mysheet"
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("name", "n", "x", "ok", "day")
    assert values[2][0] == '=HYPERLINK("x")'
    assert ws.cell(row=3, column=1).data_type == "s"
    assert values[1][4].date().isoformat() == "2024-01-02"
    assert values[2][2] is None


def test_xlsx_round_trips_through_the_reader() -> None:
    table = read_bytes(to_xlsx(COLUMNS[:3], [r[:3] for r in ROWS if r[0] == "plain"]), "t.xlsx")
    assert table.column_names == ["name", "n", "x"]
    assert table.rows == [("plain", 1, 0.1)]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.TSV", "tsv"),
        ("a.json", "json"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.xlsx", "xlsx"),
    ],
)
def test_write_file_picks_format_from_extension(tmp_path: Path, path: str, fmt: str) -> None:
    target = tmp_path / path
    assert write_file(str(target), COLUMNS, ROWS) == fmt
    table = read_bytes(target.read_bytes(), path)
    assert table.row_count == len(ROWS)


def test_unknown_extension() -> None:
    with pytest.raises(ExportError, match="output format"):
        format_for("out.parquet")


@pytest.mark.skipif(sys.platform == "emscripten", reason="runs the script in a subprocess (none in wasm)")
def test_pipeline_as_json_sql_and_python(tmp_path: Path) -> None:
    spec = {
        "version": 1,
        "source": "t",
        "steps": [
            {"verb": "filter", "column": "name", "op": "==", "value": "it's :p0"},
            {"verb": "derive", "as": "y", "expr": "n * 2"},
        ],
    }
    pipeline = parse_pipeline(spec)
    assert json.loads(pipeline_json(pipeline)) == spec
    engine = Engine()
    engine.load(Table("t", COLUMNS, ROWS))
    query = engine.compile(pipeline)
    sql = pipeline_sql(query)
    assert "'it''s :p0'" in sql and ":p1" not in sql
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    assert engine.lookup(body.rstrip(";"), {}) == []
    # the Python script reruns the pipeline natively
    data = tmp_path / "t.csv"
    data.write_text("name,n\nit's :p0,4\nother,5\n", encoding="utf-8")
    script = tmp_path / "rerun.py"
    script.write_text(pipeline_code(spec["steps"], [Source("t", str(data))]), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "py")}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.splitlines() == ["1 rows ['name', 'n', 'y']"]


def test_sql_literal_and_column_named_like_a_parameter() -> None:
    assert [sql_literal(v) for v in (None, True, 3, 1.5, float("nan"), "a'b")] == [
        "NULL",
        "1",
        "3",
        "1.5",
        "NULL",
        "'a''b'",
    ]
    engine = Engine()
    engine.load(Table("t", (Column(":p0", "integer"),), [(1,), (2,)]))
    query = engine.compile(parse_pipeline([{"verb": "filter", "column": ":p0", "op": ">", "value": 1}]))
    assert '":p0" > 1' in pipeline_sql(query)


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
)


# The reader tidies header whitespace and treats an all-number first row as data, so names here
# start with a letter and have no whitespace.
NAME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Z")), min_size=1, max_size=12
).map(lambda s: "c" + s)


@st.composite
def tables(draw: Any) -> Table:
    names = draw(st.lists(NAME, min_size=1, max_size=4, unique_by=lambda s: s.lower()))
    kinds = draw(
        st.lists(
            st.sampled_from(["integer", "float", "text", "boolean", "date"]),
            min_size=len(names),
            max_size=len(names),
        )
    )
    values = {
        "integer": st.integers(-(2**53), 2**53),
        "float": st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f + 0.5),
        "text": TEXT.map(lambda s: "t" + s),
        "boolean": st.booleans(),
        "date": st.dates().map(lambda d: d.isoformat()),
    }
    n = draw(st.integers(1, 6))
    columns = [[draw(values[k]) for _ in range(n)] for k in kinds]
    for col in columns:  # some nulls, but never a whole column (its type could not be inferred)
        for i in draw(st.lists(st.integers(0, n - 1), max_size=n - 1, unique=True)):
            col[i] = None
    rows = [tuple(col[i] for col in columns) for i in range(n)]
    return Table("t", tuple(Column(a, b) for a, b in zip(names, kinds, strict=True)), rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_csv_export_then_import_gives_the_same_table(table: Table) -> None:
    engine = Engine()
    engine.load(table)
    result = engine.execute(engine.query("t"))
    text = to_csv(result.columns, result.rows, safe=False)
    # A one-column file has no delimiter to sniff: say what was written, as a user would.
    back = read_bytes(text.encode(), "t.csv", options={"delimiter": ",", "header": True})
    assert back.columns == table.columns
    assert back.rows == table.rows


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s))
def test_any_unicode_column_name_can_be_created_queried_and_exported(name: str) -> None:
    engine = Engine()
    engine.load(Table("t", (Column(name, "integer"),), [(1,), (2,)]))
    result = engine.run(
        [
            {"verb": "filter", "expr": f"col({json.dumps(name, ensure_ascii=False)}) > 1"},
            {"verb": "derive", "as": name, "expr": f"col({json.dumps(name, ensure_ascii=False)}) * 10"},
            {"verb": "sort", "by": [{"column": name, "desc": True}]},
        ],
        "t",
    )
    assert result.column_names == [name] and result.rows == [(20,)]
    assert json.loads(to_json(result.columns, result.rows)) == [{name: 20}]
    assert list(csv.reader(io.StringIO(to_csv(result.columns, result.rows, safe=False)))) == [[name], ["20"]]


RISKY_TEXT = st.text(alphabet=st.sampled_from("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20'';,|ax1 "), max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.one_of(RISKY_TEXT, st.text(max_size=20)))
def test_formula_guard_is_exact_and_reversible(text: str) -> None:
    # RELIABILITY 9: no part of a guarded cell starts a formula, and the guard can be undone exactly.
    guarded = guard_formula(text)
    assert unguard_formula(guarded) == text
    starts = [0] + [i + 1 for i, ch in enumerate(guarded) if ch in ",;\t|"]
    for i in starts:
        assert guarded[i : i + 1] not in set("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"), (text, guarded, i)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RISKY_TEXT.map(lambda s: s + "t"), min_size=1, max_size=6))
def test_safe_csv_reimports_to_the_same_text(values: list[str]) -> None:
    # RELIABILITY 9, 10: read back by Loupe, the safe export's text cells unguard to the original.
    columns = (Column("c", "text"),)
    text = to_csv(columns, [(v,) for v in values])
    back = read_bytes(
        text.encode(), "t.csv", options={"delimiter": ",", "header": True, "types": {"c": "text"}}
    )
    assert [unguard_formula(str(row[0])) for row in back.rows] == values
