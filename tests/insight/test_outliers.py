"""Outliers: robust z-score (MAD) or IQR fences, per group, with a reason a person can check."""

from __future__ import annotations

import pytest
from loupe.errors import LoupeError
from loupe.insight import flag
from loupe.insight.outliers import quantile


def test_mad_flags_the_far_value_with_its_numbers() -> None:
    flags = flag([10, 11, 12, 11, 10, 50])
    assert [f.outlier for f in flags] == [False] * 5 + [True]
    # median 11, MAD 1: z = 0.6745 · 39 / 1 = 26.3
    assert flags[-1].reason == "robust z +26.3 beyond ±3.5 (median 11, MAD 1)"
    assert flags[0].reason is None


def test_threshold_moves_the_line() -> None:
    values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 20]
    assert sum(f.outlier for f in flag(values)) == 1
    assert sum(f.outlier for f in flag(values, threshold=10)) == 0
    assert sum(f.outlier for f in flag(values, threshold=1)) > 1


def test_iqr_fences_both_sides() -> None:
    # sorted -20, 1..9, 30: quartiles 2.5 and 7.5 (linear interpolation), fences -5 and 15
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, -20, 30]
    flags = flag(values, method="iqr")
    assert [v for v, f in zip(values, flags, strict=True) if f.outlier] == [-20, 30]
    assert flags[-1].reason == "above Q3 + 1.5×IQR = 15"
    assert flags[-2].reason == "below Q1 − 1.5×IQR = -5"
    assert not any(f.outlier for f in flag(values, method="iqr", threshold=5))


def test_each_group_is_judged_on_its_own() -> None:
    values = [1, 2, 1, 2, 1, 100, 101, 100, 101, 100, 2]
    groups = ["a"] * 5 + ["b"] * 5 + ["b"]
    flags = flag(values, groups)
    assert [i for i, f in enumerate(flags) if f.outlier] == [10]  # 2 is odd among the b's, not the a's


def test_mostly_equal_values_fall_back_to_mean_deviation() -> None:
    flags = flag([5, 5, 5, 5, 5, 5, 9])
    assert flags[-1].outlier and flags[-1].reason is not None and "mean deviation" in flags[-1].reason
    assert not any(f.outlier for f in flag([5, 5, 5]))


def test_missing_values_are_never_outliers() -> None:
    flags = flag([1, None, 2, "x", 1, 2, 80, float("nan")])
    assert [f.outlier for f in flags] == [False, False, False, False, False, False, True, False]


def test_quantile_interpolates_linearly() -> None:
    assert quantile([1, 2, 3, 4], 0.25) == 1.75
    assert quantile([7], 0.75) == 7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "zscore"}, "unknown outlier method"),
        ({"threshold": 0}, "positive number"),
        ({"threshold": "3"}, "positive number"),
        ({"groups": ["a"]}, "one group per value"),
    ],
)
def test_refusals(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(LoupeError, match=message):
        flag([1, 2, 3], **kwargs)  # type: ignore[arg-type]
