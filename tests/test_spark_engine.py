"""The Spark engine gives SQLite's answers or refuses: the explorer's step examples on the sample, each
verb's own example, the benchmark's workload (small size) and random pipelines, run on SQLite and on Spark
(local mode, one session for the whole run) from the same tables; the command line's `--engine spark`,
`sql --dialect spark` and a `spark-job` run by spark-submit. (Every verb's own table of cases runs on Spark
in tests/verbs.) Skipped without loupe[spark] or a Java runtime."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe.cli import main
from loupe.engine import Engine
from loupe.errors import LoupeError
from loupe.read import read_file
from loupe.table import Table
from loupe.verbs import REGISTRY

pytest.importorskip("pyspark")
pytest.importorskip("sqlglot")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("the Spark engine needs a Java runtime", allow_module_level=True)

from loupe.spark_engine import NotOnSpark, SparkEngine, to_spark

from tests.agreement import (
    EXAMPLES,
    MANY,
    WORKLOAD,
    assert_same_result,
    assert_stops_at_the_budget,
    sample_tables,
)
from tests.test_cli_engines import ORDERS, PIPELINES
from tests.test_pipeline import steps
from tests.verbs.conftest import REGIONS, SALES

pytestmark = pytest.mark.spark


def agree(tables: list[Table], pipeline: Any, source: str, *, refused: str = "skip") -> None:
    """Run `pipeline` on SQLite and Spark over the same tables; the columns and every row agree, or
    Spark refuses it with NotOnSpark (`refused`: "skip" reports that, "accept" counts it as alike)."""
    lite, spark = Engine(), SparkEngine()
    for table in tables:
        lite.load(table)
        spark.load(table)
    try:
        want = lite.run(pipeline, source)
    except LoupeError as exc:  # refused on SQLite (a column the table lacks): refused on Spark too
        with pytest.raises(LoupeError) as caught:
            spark.run(pipeline, source)
        assert isinstance(caught.value, type(exc) | NotOnSpark)
        return
    try:
        got = spark.run(pipeline, source)
    except NotOnSpark as exc:
        if refused == "skip":
            pytest.skip(str(exc))
        return
    assert_same_result(got, want, "spark")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> list[Table]:
    return sample_tables(tmp_path_factory.mktemp("sample"))


@pytest.mark.parametrize("verb", sorted(EXAMPLES))
def test_step_examples_agree_on_the_sample(sample: list[Table], verb: str) -> None:
    agree(sample, [EXAMPLES[verb]], "sales")


@pytest.mark.parametrize("verb", sorted(REGISTRY))
def test_each_verbs_own_example_agrees(verb: str) -> None:
    agree([SALES, REGIONS], [dict(REGISTRY[verb].example)], "sales")


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Table:
    from bench import make_data

    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    make_data.write(1000, path)
    return read_file(str(path), name="t")


@pytest.mark.parametrize("query", WORKLOAD, ids=[q["name"] for q in WORKLOAD])
def test_benchmark_workload_agrees(orders: Table, query: dict[str, Any]) -> None:
    agree([orders], query["loupe"], "t")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps(), min_size=1, max_size=3))
def test_random_pipelines_agree_or_fail_alike(spec: list[dict[str, Any]]) -> None:
    agree([SALES, Table("other", REGIONS.columns, REGIONS.rows)], spec, "sales", refused="accept")


def test_a_runaway_query_stops_at_the_budget() -> None:
    # The query's jobs run in a job group that the budget's thread cancels; the same message as SQLite's.
    engine = SparkEngine()
    engine.load(MANY)
    assert_stops_at_the_budget(engine, 1.0, within=30.0)


def test_sqlite_functions_become_spark_functions_or_a_refusal() -> None:
    sql, params = to_spark(
        'SELECT loupe_median("a"), loupe_first("b", "__loupe_seq__"), loupe_mod("c", 2), '
        '"e" LIKE :p0, "x" IN (SELECT value FROM json_each(:p1)), row_number() OVER () FROM "t"',
        {"p0": "%a%", "p1": "[1, 2.5, true]"},
    )
    assert "MEDIAN(CAST(" in sql and "MIN_BY(" in sql and "ILIKE" in sql
    assert "MONOTONICALLY_INCREASING_ID()" in sql  # row_number needs an order on Spark
    assert params == {"p0": "%a%", "p1_0": 1, "p1_1": 2.5, "p1_2": 1}
    # No Spark built-in parses numbers as people write them: Loupe's own function, as a Python UDF.
    sql, _ = to_spark('SELECT loupe_parse_number("a", NULL), loupe_outlier_fences("a", :m, :t) FROM "t"', {})
    assert "LOUPE_PY_PARSE_NUMBER(" in sql and "LOUPE_PY_OUTLIER_FENCES(COLLECT_LIST(" in sql
    with pytest.raises(NotOnSpark, match="substr with a negative length") as caught:
        SparkEngine().lookup("SELECT substr(:p0, 2, -1)", {"p0": "abc"})
    assert caught.value.hint is not None and "sqlite or duckdb" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (" 12 ", "int", 12),
        ("1.9", "int", 1),
        ("1e3", "int", 1000),
        ("1_000", "int", None),
        ("-7", "float", -7.0),
        (".5", "float", 0.5),
        ("inf", "float", None),
        ("0x10", "float", None),
        ("Yes", "bool", 1),
        (" f ", "bool", 0),
        ("maybe", "bool", None),
        ("٤٢", "int", 42),  # Arabic-Indic digits, as Python's int reads them (a Python UDF)
        ("١.٥", "float", 1.5),
    ],
)
def test_text_converts_as_python_reads_it(text: str, kind: str, value: Any) -> None:
    engine = SparkEngine()
    sql = f"SELECT loupe_{kind}(:p0)"
    assert engine.lookup(sql, {"p0": text}) == Engine().lookup(sql, {"p0": text}) == [(value,)]


@pytest.mark.parametrize("value", [1.0, 2.9, 1e30, 0.1 + 0.2, -0.0, 1e-5, 123456.789, 2.0 / 3.0, None])
def test_reals_as_text_read_as_sqlite_writes_them(value: float | None) -> None:
    sql = "SELECT CAST(:v AS TEXT)"
    assert SparkEngine().lookup(sql, {"v": value}) == Engine().lookup(sql, {"v": value})


def test_text_folds_as_python_casefold() -> None:
    # Spark's lower keeps ς (casefold: σ, done by translate); ß and ligatures fold to two letters, by
    # Python's own casefold in a UDF.
    engine = SparkEngine()
    sql = "SELECT loupe_casefold(:p0)"
    for text in ("ÉCOLE ΟΔΟΣ", "İstanbul", "Straße", "ﬁnal ŉ"):
        assert engine.lookup(sql, {"p0": text}) == [(text.casefold(),)], text


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("SELECT loupe_parse_number(:p0, NULL)", {"p0": "$1,200"}),
        ("SELECT loupe_parse_number(:p0, :p1)", {"p0": "1,5", "p1": ","}),
        ("SELECT loupe_parse_number(:p0, NULL)", {"p0": "(1.234,50 €)"}),
        ("SELECT loupe_parse_number(:p0, NULL)", {"p0": 7}),
        ("SELECT loupe_parse_date(:p0, NULL, NULL)", {"p0": "Jan 1, 2000"}),
        ("SELECT loupe_parse_date(:p0, NULL, :p1)", {"p0": "13/10/98", "p1": "dmy"}),
        ("SELECT loupe_parse_date(:p0, :p1, NULL)", {"p0": "10/13/98", "p1": "%m/%d/%y"}),
        ("SELECT loupe_parse_datetime(:p0, NULL, NULL)", {"p0": "2014-7-1 9:05 PM"}),
        ("SELECT loupe_parse_datetime(:p0, NULL, NULL)", {"p0": "no date"}),
    ],
)
def test_text_parses_as_loupe_parses_it(sql: str, params: dict[str, Any]) -> None:
    assert SparkEngine().lookup(sql, params) == Engine().lookup(sql, params)


@pytest.fixture
def orders_csv(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_run_on_spark_writes_what_sqlite_writes(orders_csv: Path, tmp_path: Path, name: str) -> None:
    spec = json.dumps(PIPELINES[name])
    lite, spark = tmp_path / "lite.csv", tmp_path / "spark.csv"
    assert main(["run", str(orders_csv), spec, "-o", str(lite)]) == 0
    assert main(["run", str(orders_csv), spec, "--engine", "spark", "-o", str(spark)]) == 0
    assert spark.read_text() == lite.read_text()
    assert len(lite.read_text().splitlines()) > 1


def test_sql_prints_spark_sql(orders_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = json.dumps(PIPELINES["filter text, derive, select"])
    assert main(["sql", str(orders_csv), spec, "--dialect", "spark"]) == 0
    out = capsys.readouterr().out
    assert "ILIKE '%rush%'" in out and "`orders`" in out and "ROUND(" in out


def _spark_submit() -> str | None:
    import pyspark

    path = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    return str(path) if path.exists() else shutil.which("spark-submit")


def test_a_spark_job_run_by_spark_submit_writes_what_sqlite_writes(orders_csv: Path, tmp_path: Path) -> None:
    submit = _spark_submit()
    if submit is None:
        pytest.skip("no spark-submit")
    # parse_number is Loupe's own function (a Python UDF): the job registers it from this Loupe.
    spec = json.dumps(
        [
            *PIPELINES["group and sort"],
            {"verb": "derive", "as": "big", "expr": "sum_amount > 10"},
            {"verb": "derive", "as": "n", "expr": "parse_number('$1,200') + sum_amount"},
        ]
    )
    job, out, lite = tmp_path / "job.py", tmp_path / "out", tmp_path / "lite.csv"
    assert main(["spark-job", str(orders_csv), spec, "-o", str(job)]) == 0
    assert 'PYTHON = ["loupe_py_parse_number"]' in job.read_text()
    import loupe

    here = str(Path(loupe.__file__).parents[1])
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYTHONPATH": here}
    done = subprocess.run(
        [submit, "--master", "local[2]", str(job), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (part,) = out.glob("part-*.csv")
    assert main(["run", str(orders_csv), spec, "-o", str(lite)]) == 0
    got = list(csv.reader(io.StringIO(part.read_text())))
    want = list(csv.reader(io.StringIO(lite.read_text())))
    assert got[0] == want[0] and len(got) == len(want) == 4
    for g, w in zip(got[1:], want[1:], strict=True):
        assert g[0] == w[0] and g[3] == w[3] in ("true", "false")
        assert [float(x) for x in g[1:3] + g[4:]] == [float(x) for x in w[1:3] + w[4:]]


def test_a_spark_job_reads_json_and_json_lines_as_loupe_does(tmp_path: Path) -> None:
    submit = _spark_submit()
    if submit is None:
        pytest.skip("no spark-submit")
    rows = list(csv.DictReader(io.StringIO(ORDERS)))
    orders, targets = tmp_path / "orders.jsonl", tmp_path / "targets.json"
    typed = [
        {
            "region": r["region"],
            "amount": int(r["amount"]),
            "price": float(r["price"]) if r["price"] else None,
            "day": r["day"],
            "paid": r["paid"] == "true",
            "note": r["note"] or None,
        }
        for r in rows
    ]
    orders.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in typed), encoding="utf-8")
    targets.write_text(json.dumps([{"region": "North", "target": 1.5}, {"region": "East", "target": 2}]))
    spec = json.dumps(
        [
            {"verb": "join", "table": "targets", "on": ["region"], "how": "left"},
            {"verb": "derive", "as": "over", "expr": "amount > target * 5"},
            {"verb": "sort", "by": [{"column": "day"}]},
        ]
    )
    job, out, lite = tmp_path / "job.py", tmp_path / "out", tmp_path / "lite.csv"
    assert main(["spark-job", str(orders), spec, "--with", str(targets), "-o", str(job)]) == 0
    done = subprocess.run(
        [submit, "--master", "local[2]", str(job), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (part,) = out.glob("part-*.csv")
    assert main(["run", str(orders), spec, "--with", str(targets), "-o", str(lite)]) == 0
    got = list(csv.reader(io.StringIO(part.read_text())))
    want = list(csv.reader(io.StringIO(lite.read_text())))
    assert len(got) == len(want) == 6 and got[0] == want[0]
    for g, w in zip(got[1:], want[1:], strict=True):
        assert [_number(x) for x in g] == [_number(x) for x in w]


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text


def test_round_agrees_with_sqlite_or_refuses_near_a_tie() -> None:
    import random

    from loupe.table import Column

    pick = random.Random(15)
    values = [
        round(pick.uniform(-1000, 1000), pick.randint(0, 6)) + pick.choice([0.0, 1e-9]) for _ in range(300)
    ]
    table = Table("v", (Column("x", "float"),), [(v,) for v in values])
    lite, spark = Engine(), SparkEngine()
    lite.load(table)
    spark.load(table)
    for n in (0, 1, 2, 3):
        sql = f'SELECT round("x", {n}) FROM "v"'
        try:
            got = spark.lookup(sql, {})
        except NotOnSpark:
            continue  # one of the values is within a few units in the last place of a tie
        assert got == lite.lookup(sql, {}), n
    for tie, n in [(2.675, 2), (0.125, 2), (2.5, 0), (1.005, 2), (0.49999999999999994, 0)]:
        sql = f"SELECT round(:p0, {n})"
        try:
            assert spark.lookup(sql, {"p0": tie}) == lite.lookup(sql, {"p0": tie}), (tie, n)
        except NotOnSpark:
            assert tie == 0.49999999999999994  # the one that is not a decimal tie
