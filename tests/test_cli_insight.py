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
