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


def document(*tables: dict[str, object], sources: list[dict[str, object]], view: object = None) -> str:
    doc: dict[str, object] = {"loupe": "document", "version": 1, "sources": sources, "tables": list(tables)}
    if view is not None:
        doc["view"] = view
    return json.dumps(doc)


SALES_DOC = document(
    {"name": "sales", "source": "s1", "steps": PIPELINE},
    sources=[{"id": "s1", "name": "sales.csv", "kind": "file", "table": "sales"}],
)


def test_run_a_document_writes_what_the_bare_pipeline_writes(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data.parent / "analysis.loupe.json").write_text(SALES_DOC, encoding="utf-8")
    bare, doc = data.parent / "bare.csv", data.parent / "doc.csv"
    assert main(["run", str(data), str(data.parent / "p.json"), "-o", str(bare)]) == 0
    capsys.readouterr()
    assert main(["run", str(data), str(data.parent / "analysis.loupe.json"), "-o", str(doc)]) == 0
    assert 'running table "sales" (1 step)' in capsys.readouterr().err
    assert doc.read_bytes() == bare.read_bytes()
    assert doc.read_text(encoding="utf-8").splitlines()[1:] == ["'=cmd,1", "North,15", "South,-3"]
    assert main(["run", str(data), SALES_DOC, "--sql"]) == 0
    assert 'GROUP BY "region"' in capsys.readouterr().out


def test_a_document_runs_its_active_table_with_the_other_sources_from_with(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    managers = data.parent / "people.csv"  # any file name: the document says which table it loads as
    managers.write_text("region,manager\nNorth,Ann\n", encoding="utf-8")
    steps = [
        {"verb": "join", "table": "managers", "on": ["region"]},
        {"verb": "select", "columns": ["amount", "manager"]},
    ]
    doc = document(
        {"name": "managers", "source": "m", "steps": []},
        {"name": "sales", "source": "s", "steps": steps},
        sources=[
            {"id": "m", "name": "managers.csv", "kind": "file", "table": "managers"},
            {"id": "s", "name": "sales.csv", "kind": "file", "table": "sales"},
        ],
        view={"table": "sales"},
    )
    assert main(["run", str(data), doc, "--with", str(managers)]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["amount,manager", "10,Ann", "5,Ann"]
    assert 'running table "sales" (2 steps)' in out.err
    assert main(["run", str(data), doc]) == 1
    assert (
        'table "sales" joins "managers", which source m (\'managers.csv\') loads' in capsys.readouterr().err
    )
    assert main(["run", str(data), doc, "--with", str(managers), "--with", str(managers)]) == 1
    assert "2 --with files, but the document has 1 other sources" in capsys.readouterr().err


def test_a_documents_read_options_and_part_are_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    semicolons = tmp_path / "export.txt"
    semicolons.write_text("a;b\n1;x\n2;y\n", encoding="utf-8")
    source = {
        "id": "s1",
        "name": "export.txt",
        "kind": "file",
        "options": {"delimiter": ";"},
        "table": "export",
    }
    doc = document({"name": "export", "source": "s1", "steps": [{"verb": "limit", "n": 1}]}, sources=[source])
    assert main(["run", str(semicolons), doc]) == 0
    assert capsys.readouterr().out.splitlines() == ["a,b", "1,x"]
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as connection:
        connection.executescript(
            "CREATE TABLE first (n INTEGER); CREATE TABLE second (m TEXT); INSERT INTO second VALUES ('b');"
        )
    connection.close()
    source = {"id": "s1", "name": "shop.db", "kind": "file", "part": "second", "table": "orders"}
    assert (
        main(["run", str(db), document({"name": "orders", "source": "s1", "steps": []}, sources=[source])])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["m", "b"]


def test_document_check_says_what_is_wrong_and_where(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["document", "check", SALES_DOC]) == 0
    out = capsys.readouterr().out
    assert "a valid Loupe document, version 1" in out and "tables: sales (1 step); charts: 0" in out
    bad = json.loads(SALES_DOC)
    bad["sources"][0]["kind"] = "files"
    assert main(["document", "check", json.dumps(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == "loupe: the document: sources[0].kind: unknown source kind 'files'. Hint: did you mean \"file\"?\n"
    )
    bad = json.loads(SALES_DOC)
    bad["tables"][0]["steps"][0]["verb"] = "groupyb"
    assert main(["document", "check", json.dumps(bad)]) == 1
    assert "tables[0].steps[0].verb: table \"sales\": unknown verb 'groupyb'" in capsys.readouterr().err
    newer = {**json.loads(SALES_DOC), "version": 2}
    (data.parent / "newer.loupe.json").write_text(json.dumps(newer), encoding="utf-8")
    assert main(["document", "check", str(data.parent / "newer.loupe.json")]) == 1
    assert (
        "made by a newer version of Loupe (document version 2; this Loupe reads up to 1)"
        in capsys.readouterr().err
    )
    assert main(["run", str(data), str(data.parent / "newer.loupe.json")]) == 1
    assert "made by a newer version of Loupe" in capsys.readouterr().err
    assert main(["document", "check", str(data.parent / "nope.json")]) == 1
    assert "cannot read document" in capsys.readouterr().err


def test_document_check_print_turns_a_bare_pipeline_into_a_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["document", "check", "--print", json.dumps(PIPELINE)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["loupe"] == "document" and doc["tables"][0]["steps"] == PIPELINE
    assert main(["document", "check", json.dumps(doc)]) == 0


HELPED = ("run", "profile", "sql", "report", "forecast", "trend")


@pytest.mark.parametrize("argv", [["--help"], *([name, "--help"] for name in HELPED)])
def test_help_prints_for_every_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # "--help" crashed on the forecast command's "80/95 % intervals" (argparse formats help with %).
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage:")
    if argv == ["--help"]:
        assert "forecast" in out and "80/95 % intervals" in out
