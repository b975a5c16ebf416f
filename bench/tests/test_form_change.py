"""The form benchmark's summary of one case: median, p90 and max of the changes, in the order timed."""

from __future__ import annotations

import pytest

from bench.form_change import summary


@pytest.mark.parametrize(
    ("times", "median", "p90", "highest"),
    [
        ([100.0], 100.0, 100.0, 100.0),
        ([300.0, 100.0, 200.0], 200.0, 300.0, 300.0),
        ([float(n) for n in range(10, 0, -1)], 5.5, 9.0, 10.0),  # p90 of 1..10 is the 9th, not the max
        ([10.0] * 19 + [500.0], 10.0, 10.0, 500.0),  # one stall shows in the max only
    ],
)
def test_summary(times: list[float], median: float, p90: float, highest: float) -> None:
    result = summary(times)
    assert (result["median_ms"], result["p90_ms"], result["max_ms"]) == (median, p90, highest)
    assert result["count"] == len(times) and result["runs_ms"] == times
