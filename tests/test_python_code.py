"""Show Python (api "python"): the code it writes runs on plain CPython and gives the page's result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.python_code import Source, literal, pipeline_code
from loupe.sample import sample_csv
from loupe.service.request import Request
from loupe.service.session import SESSIONS

ROOT = Path(__file__).resolve().parents[1]
STEPS: list[dict[str, Any]] = [
    {"verb": "filter", "column": "region", "op": "in", "value": ["North", "West", 'Sü\'d "x"']},
    {"verb": "derive", "as": "net", "expr": "round(revenue * (1 - coalesce(discount, 0)), 2)"},
    {"verb": "sort", "by": [{"column": "units", "desc": True}], "disabled": True},
    {"verb": "join", "table": "targets", "on": ["region"], "how": "left"},
    {"verb": "filter", "column": "target", "op": "!=", "value": None},
    {
        "verb": "groupby",
        "by": ["region", "product"],
        "aggs": [{"fn": "sum", "column": "net"}, {"fn": "max", "column": "target"}],
    },
    {"verb": "sort", "by": [{"column": "sum_net", "desc": True}]},
]


@pytest.fixture
def files(tmp_path: Path) -> Any:
    (tmp_path / "sales.csv").write_text(sample_csv(), encoding="utf-8")
    (tmp_path / "targets.csv").write_text("region;target\nNorth;1,5\nWest;2,25\n", encoding="utf-8")
    session = f"code-{tmp_path.name}"
    for name, options in (("sales.csv", None), ("targets.csv", {"delimiter": ";", "decimal": ","})):
        params = {"session": session, "path": str(tmp_path / name), "filename": name, "options": options}
        assert api.handle("open", params)["ok"]
    yield tmp_path, session
    api.handle("close", {"session": session})


def run_code(code: str, cwd: Path) -> list[list[Any]]:
    """Run the code as a user would (loupe importable, files beside it) and read its result back."""
    script = code + "import json\nprint(json.dumps([list(row) for row in result.rows]))\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT / "py")},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.skipif(sys.platform == "emscripten", reason="needs a subprocess")
def test_the_code_reruns_the_pipeline_natively_with_the_same_result(files: Any) -> None:
    folder, session = files
    sources = [
        {"table": "targets", "file": "targets.csv", "options": {"delimiter": ";", "decimal": ","}},
        {"table": "sales", "file": "sales.csv"},
    ]
    params = {"session": session, "table": "sales", "pipeline": STEPS, "sources": sources}
    reply = api.handle("python", params)
    assert reply["ok"], reply
    code = reply["result"]["python"]
    assert code.startswith("import loupe\n")
    assert 'loupe.read_file("sales.csv", name="sales")' in code  # the shown table is loaded first
    state = SESSIONS[session]
    _, query = state.query(Request.parse(params))  # what the page shows for these steps
    expected = [list(row) for row in state.engine.execute(query).rows]
    got = run_code(code, folder)
    assert got and got == expected
    assert {row[0] for row in got} == {"North", "West"}


def test_literals_are_python_that_reads_back_as_the_json() -> None:
    value = {"s": "a\"b'\\c\n\u00e9\U0001f600", "n": [1, 2.5, -0.0, 10**20, True, False, None], "e": {}}
    assert eval(literal(value)) == value
    long = [{"verb": "filter", "column": f"column number {i}", "op": "==", "value": i} for i in range(5)]
    text = literal(long)
    assert text.count("\n") == 6 and eval(text) == long


def test_a_step_that_does_not_parse_writes_no_code(files: Any) -> None:
    _, session = files
    reply = api.handle("python", {"session": session, "table": "sales", "pipeline": [{"verb": "nope"}]})
    assert not reply["ok"] and reply["error"]["step"] == 1
    with pytest.raises(Exception, match="needs the table"):
        pipeline_code([], [])
    assert 'name="t"' in pipeline_code([], [Source("t", "t.csv")])
