"""The command line on another engine: `run --engine duckdb` gives SQLite's output, scanning a CSV from
disk; `sql --dialect` prints the SQL each engine runs; Loupe works without duckdb and sqlglot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from loupe.cli import main

ROOT = Path(__file__).resolve().parents[1]
ORDERS = (
    "region,amount,price,day,paid,note\n"
    "North,10,1.5,2024-01-03,true,big order\n"
    "South,5,2.25,2024-01-01,false,\n"
    'North,7,,2024-02-10,true,"rush, fragile"\n'
    "East,12,4.0,2023-12-31,false,Apple pie\n"
    "South,3,0.5,2024-03-01,true,small\n"
)
PIPELINES = {
    "group and sort": [
        {
            "verb": "groupby",
            "by": ["region"],
            "aggs": [{"fn": "sum", "column": "amount"}, {"fn": "median", "column": "price"}],
        },
        {"verb": "sort", "by": [{"column": "sum_amount", "desc": True}]},
    ],
    "filter text, derive, select": [
        {"verb": "filter", "column": "note", "op": "contains", "value": "RUSH", "ignore_case": True},
        {"verb": "derive", "as": "total", "expr": "round(amount * price, 1)"},
        {"verb": "select", "columns": ["region", "total", "day"]},
    ],
    "dates and booleans": [
        {"verb": "filter", "column": "paid", "op": "==", "value": True},
        {"verb": "derive", "as": "month", "expr": "month(day)"},
        {"verb": "window", "fn": "running_sum", "column": "amount", "order": ["day"], "as": "running"},
    ],
}


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_run_on_duckdb_writes_what_sqlite_writes(orders: Path, tmp_path: Path, name: str) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    spec = json.dumps(PIPELINES[name])
    lite, duck = tmp_path / "lite.csv", tmp_path / "duck.csv"
    assert main(["run", str(orders), spec, "-o", str(lite)]) == 0
    assert main(["run", str(orders), spec, "--engine", "duckdb", "-o", str(duck)]) == 0
    assert duck.read_text() == lite.read_text()
    assert len(lite.read_text().splitlines()) > 1


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("duckdb", marks=pytest.mark.duckdb)])
def test_run_stops_a_runaway_pipeline_at_the_budget(
    tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine == "duckdb":
        pytest.importorskip("duckdb")
        pytest.importorskip("sqlglot")
    many = tmp_path / "many.csv"
    many.write_text("k,x\n" + "".join(f"1,{i}\n" for i in range(3000)), encoding="utf-8")
    join = {"verb": "join", "table": "many", "on": ["k"]}  # 9 million rows, then 27 billion
    spec = json.dumps([join, join])
    out = tmp_path / "out.csv"
    args = ["run", str(many), spec, "--engine", engine, "--budget", "0.5", "-o", str(out)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "loupe: the pipeline took longer than 0.5 s; it was stopped" in err
    assert "give a larger --budget" in err and not out.exists()
    assert main(["run", str(many), spec, "--budget", "0"]) == 1
    assert "--budget 0 is not a time" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("nested.jsonl", '{"a": {"b": 1}}\n{"a": {"b": 2}}\n', "Loupe renamed or flattened its keys"),
        ("lists.json", '[{"a": [1, 2]}, {"a": [3]}]', "'a' holds list values"),
        ("mixed.json", '[{"a": "x"}, {"a": 1e3}]', "'a' holds float values"),
        ("wrapped.json", '{"data": [{"a": 1}, {"a": 2}]}', "not objects at the top level"),
    ],
)
def test_spark_job_refuses_json_it_would_read_otherwise(
    tmp_path: Path, name: str, text: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sqlglot")
    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    assert main(["spark-job", str(data), "[]", "-o", str(tmp_path / "job.py")]) == 1
    err = capsys.readouterr().err
    assert "the Spark job reads JSON of flat records only" in err and problem in err
    assert "write the table as CSV first" in err and not (tmp_path / "job.py").exists()


def test_duckdb_scans_the_csv_behind_a_view(orders: Path) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    from loupe.duckdb_engine import DuckDBEngine

    engine = DuckDBEngine()
    info = engine.load_path(str(orders))
    assert (info.name, info.row_count) == ("orders", 5)
    assert [c.type for c in info.columns] == ["text", "integer", "float", "date", "boolean", "text"]
    kinds = engine._conn.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall()
    assert ("orders", "VIEW") in kinds and not any(kind == "BASE TABLE" for _, kind in kinds)


def test_sql_prints_each_dialect(orders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    spec = json.dumps(PIPELINES["filter text, derive, select"])
    assert main(["sql", str(orders), spec, "--dialect", "sqlite"]) == 0
    lite = capsys.readouterr().out
    assert main(["sql", str(orders), spec, "--dialect", "duckdb"]) == 0
    duck = capsys.readouterr().out
    assert "instr(" in lite and "LIKE '%rush%'" in lite and "round(" in lite
    assert "STRPOS(" in duck and "ILIKE '%rush%'" in duck and "LOUPE_ROUND__2(" in duck
    assert main(["run", str(orders), spec, "--sql"]) == 0
    assert capsys.readouterr().out == lite


def test_loupe_works_without_duckdb_and_says_what_to_install(orders: Path) -> None:
    # duckdb and sqlglot made unimportable: SQLite runs as ever, --engine duckdb names the extra.
    script = (
        "import sys; sys.modules['duckdb'] = None; sys.modules['sqlglot'] = None\n"
        "import loupe, loupe.api, loupe.cli\n"
        "from loupe.cli import main\n"
        f"assert main(['run', {str(orders)!r}, '[]']) == 0\n"
        f"sys.exit(main(['run', {str(orders)!r}, '[]', '--engine', 'duckdb']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 1, done.stderr
    assert 'pip install "loupe[duckdb]"' in done.stderr
    assert done.stdout.startswith("region,amount,price,day,paid,note")


def test_the_page_wheel_has_no_native_engine(tmp_path: Path) -> None:
    import zipfile

    import build

    names = zipfile.ZipFile(build.build_wheel(tmp_path)).namelist()
    assert "loupe/engine.py" in names and "loupe/cli.py" in names
    assert not [n for n in names if "duckdb" in n or "spark" in n or n.startswith("loupe/dialect")]
