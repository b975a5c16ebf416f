from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from loupe.cli import main

SALES = "region,amount,day\nNorth,10,2024-01-02\nSouth,-3,2024-01-03\nNorth,5,\n=cmd,1,2024-01-04\n"
PIPELINE = [{"verb": "groupby", "by": ["region"], "aggs": [{"fn": "sum", "column": "amount"}]}]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "sales.csv"
    path.write_text(SALES, encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(PIPELINE), encoding="utf-8")
    return path


def test_run_writes_csv_to_stdout(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(data), str(data.parent / "p.json")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["region,sum_amount", "'=cmd,1", "North,15", "South,-3"]


@pytest.mark.parametrize("ext", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_run_writes_the_format_of_the_extension(data: Path, ext: str) -> None:
    from loupe.read import read_file

    out = data.parent / f"out.{ext}"
    assert main(["run", str(data), json.dumps(PIPELINE), "-o", str(out)]) == 0
    table = read_file(str(out))
    assert table.column_names == ["region", "sum_amount"]
    assert table.rows[1:] == [("North", 15), ("South", -3)]


def test_raw_csv_and_inline_pipeline(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps = '[{"verb": "filter", "expr": "amount < 5"}, {"verb": "select", "columns": ["region"]}]'
    assert main(["run", str(data), steps, "--raw"]) == 0
    assert capsys.readouterr().out.splitlines() == ["region", "South", "=cmd"]


def test_join_with_a_second_file(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data.parent / "managers.csv").write_text("region,manager\nNorth,Ann\n", encoding="utf-8")
    steps = json.dumps(
        [
            {"verb": "join", "table": "managers", "on": ["region"]},
            {"verb": "select", "columns": ["amount", "manager"]},
        ]
    )
    assert main(["run", str(data), steps, "--with", str(data.parent / "managers.csv")]) == 0
    assert capsys.readouterr().out.splitlines() == ["amount,manager", "10,Ann", "5,Ann"]


def test_sql_shows_the_query(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(data), json.dumps(PIPELINE), "--sql"]) == 0
    assert 'GROUP BY "region"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["{data}", '[{"verb": "filter", "column": "amont", "value": 1}]'],
            'step 1 (filter), field \'column\', column "amont"). Hint: did you mean "amount"?',
        ),
        (["{data}", "[{"], "not valid JSON"),
        (["{data}", "missing.json"], "cannot read pipeline"),
        (["{dir}/nope.csv", "[]"], "cannot open"),
        (["{data}", "[]", "-o", "{dir}/out.parquet"], "output format"),
        (["{data}", "[]", "-o", "{dir}/no/such/dir/out.csv"], "cannot write"),
    ],
)
def test_bad_input_exits_1_with_the_error_on_stderr(
    data: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    argv = ["run", *(a.replace("{data}", str(data)).replace("{dir}", str(data.parent)) for a in args)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("loupe: ") and message in err


@pytest.mark.parametrize("argv", [[], ["run"], ["frobnicate"], ["run", "a", "b", "--format", "pdf"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_profile(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sales: 4 rows, 3 columns")
    assert "amount  integer  0      4         -3" in out
    assert main(["profile", str(data), "--json"]) == 0
    profile = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in profile["columns"]] == ["region", "amount", "day"]


def test_python_dash_m_entry_point(data: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "py")}
    ok = subprocess.run(
        [sys.executable, "-m", "loupe", "run", str(data), json.dumps(PIPELINE)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "region,sum_amount"
    bad = subprocess.run(
        [sys.executable, "-m", "loupe", "run", str(data), "[5]"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 1 and "step 1" in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "loupe"], capture_output=True, text=True, env=env)
    assert usage.returncode == 2
