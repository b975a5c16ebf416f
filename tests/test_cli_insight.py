"""`loupe forecast` and `loupe trend`: a table and the words, or JSON, from a data file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from loupe.cli import main


@pytest.fixture
def monthly(tmp_path: Path) -> Path:
    lines = ["date,revenue,price"]
    for k in range(36):
        for day in (3, 17):  # two rows a month: the command aggregates them like a chart would
            value = 500 + 10 * k + 80 * math.sin(2 * math.pi * k / 12) + day
            lines.append(f"{2022 + k // 12}-{k % 12 + 1:02d}-{day:02d},{value:.2f},{k % 7 + day / 10}")
    path = tmp_path / "monthly.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_forecast_prints_a_table_and_the_words(monthly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["forecast", str(monthly), "--x", "date", "--y", "revenue", "--by", "month", "--horizon", "6"]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:5] == ["month", "forecast", "of", "sum", "of"]
    assert [line.split()[0] for line in out[1:7]] == [f"2025-{m:02d}-01" for m in range(1, 7)]
    assert out[-1].startswith("Forecast: 6 months ahead by Holt-Winters (season 12); backtest on the last 6")


def test_forecast_json_has_intervals_that_nest(monthly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["forecast", str(monthly), "--x", "date", "--y", "revenue", "--by", "month", "--horizon", "3"]
    args += ["--season", "1", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["grain"] == "month" and out["method"] == "Holt's linear trend"
    for step in out["steps"]:
        assert step["low95"] < step["low80"] < step["forecast"] < step["high80"] < step["high95"]
    assert out["backtest"]["held"] == 3


def test_trend_over_months_reads_percent_a_month(monthly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trend", str(monthly), "--x", "date", "--y", "revenue", "--by", "month"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["date", "sum"]
    assert "(24 of 36 points, evenly spaced)" in out
    assert out[-1].startswith("Trend: +") and "% a month (R² 0." in out[-1]


def test_trend_over_a_number_column_and_loess(monthly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trend", str(monthly), "--x", "price", "--y", "revenue", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["words"].startswith("Trend: ") and "per 1 of price" in out["words"]
    assert len(out["points"]) == 72
    assert main(["trend", str(monthly), "--x", "price", "--y", "revenue", "--method", "loess"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Trend: a LOESS curve through 72 points."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forecast", "--x", "revenue", "--y", "revenue"], "needs dates in x"),
        (["forecast", "--x", "date", "--y", "revenue", "--horizon", "0"], "--horizon must be from 1"),
        (["trend", "--x", "price"], "needs --y"),
        (["trend", "--x", "dat", "--y", "revenue"], 'did you mean "date"'),
    ],
)
def test_bad_input_exits_1_with_a_hint(
    monthly: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main([args[0], str(monthly), *args[1:]]) == 1
    err = capsys.readouterr().err
    assert message in err and "Hint:" in err


@pytest.fixture
def regions(tmp_path: Path) -> Path:
    rows = [("2024-02-01", "North", 100), ("2024-03-31", "South", 80), ("2024-08-01", "North", 130)]
    rows += [("2024-09-30", "South", 70), ("2024-12-31", "East", 5), ("2025-01-01", "East", 1000)]
    path = tmp_path / "regions.csv"
    path.write_text("date,region,revenue\n" + "".join(f"{d},{r},{v}\n" for d, r, v in rows), encoding="utf-8")
    return path


def test_changes_prints_the_largest_change_first(regions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["changes", str(regions), "--by", "region", "--y", "revenue", "--column", "date"]
    assert main([*args, "--before", "2024-01-01..2024-06-30", "--after", "2024-07-01..2024-12-31"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        "region",
        "2024-01-01",
        "to",
        "2024-06-30",
        "2024-07-01",
        "to",
        "2024-12-31",
        "change",
        "share",
    ]
    assert [line.split()[0] for line in out[1:4]] == ["North", "South", "East"]  # +30, -10, +5
    assert out[1].split()[-3:] == ["+30.00", "120", "%"]
    assert out[-3:] == [
        "North: +30 (120 % of the rise).",
        "South: −10 (against the rise).",
        "East: +5 (20 % of the rise).",
    ]
    assert out[-4].startswith("Sum of revenue rose from 180 (2024-01-01 to 2024-06-30) to 205")


def test_changes_with_filters_as_json(regions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "changes",
        str(regions),
        "--by",
        "region",
        "--before",
        "revenue < 100",
        "--after",
        "revenue >= 100",
        "--top",
        "1",
        "--json",
    ]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == {"before": 3.0, "after": 3.0, "change": 0.0}  # counts: three rows each side
    assert [r["category"] for r in out["rows"]] == ["North", "other (2 more)"]  # +2 ties South's -2
    assert [r["share"] for r in out["rows"]] == [None, None]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--column", "date", "--before", "2024", "--after", "2025.."], "--before must be START..END"),
        (["--column", "dat", "--before", "..2024-06-30", "--after", "2024-07-01.."], "unknown column 'dat'"),
        (["--before", "revenue <", "--after", "revenue > 1"], "compare.before is not an expression"),
    ],
)
def test_changes_bad_input_says_what_is_wrong(
    regions: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["changes", str(regions), "--by", "region", *extra]) == 1
    assert message in capsys.readouterr().err
