"""The answer checker must catch real disagreements and forgive only float rounding and formatting."""

from __future__ import annotations

from typing import Any

import pytest

from bench.compare import check, differences, from_table_tree, same

TREE = [
    "table",
    {"class": "loupe-table"},
    [
        "thead",
        {},
        [
            "tr",
            {},
            ["th", {"class": "rownum"}, "#"],
            ["th", {"data-column": "region"}, ["span", {}, "region"]],
            ["th", {"data-column": "total"}, ["span", {}, "total"]],
        ],
    ],
    [
        "tbody",
        {},
        ["tr", {}, ["th", {"scope": "row"}, "1"], ["td", {}, "North"], ["td", {}, "1,234.5"]],
        ["tr", {}, ["th", {"scope": "row"}, "2"], ["td", {}, 'South, "big"'], ["td", {}, ""]],
    ],
]


def test_table_tree_becomes_rows_without_the_row_numbers() -> None:
    assert from_table_tree(TREE) == {
        "columns": ["region", "total"],
        "rows": [["North", "1,234.5"], ['South, "big"', ""]],
    }


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1,234.5", 1234.5, True),
        (1_000_000.0000001, 1_000_000, True),  # float sums differ in the last digits between engines
        (1001.0, 1000, False),
        ("2,036", 2036, True),
        ("", None, True),
        ("cat-01", "cat-01", True),
        ("cat-01", "cat-02", False),
        ("12", "12.5", False),
        (True, "true", True),
    ],
)
def test_same(a: object, b: object, expected: bool) -> None:
    assert same(a, b) is expected


def test_columns_match_by_name_not_position() -> None:
    got = {"columns": ["b", "a"], "rows": [[2, 1]]}
    want = {"columns": ["a", "b"], "rows": [[1, 2]]}
    assert differences("q", "x", got, want) == []


@pytest.mark.parametrize(
    ("got", "want", "fragment"),
    [
        ({"columns": ["a"], "rows": [[1]]}, {"columns": ["b"], "rows": [[1]]}, "has columns"),
        ({"columns": ["a"], "rows": [[1]]}, {"columns": ["a"], "rows": [[1], [2]]}, "has 1 rows"),
        ({"columns": ["a"], "rows": [[3]]}, {"columns": ["a"], "rows": [[1]]}, "row 1 a"),
        ({"count": 5}, {"count": 6}, "counted 5"),
    ],
)
def test_differences_name_what_is_wrong(
    got: dict[str, object], want: dict[str, object], fragment: str
) -> None:
    problems = differences("groupby", "loupe", got, want)
    assert problems and fragment in problems[0] and problems[0].startswith("groupby: loupe")


def test_check_reports_missing_answers_and_counts_comparisons() -> None:
    answers: dict[str, dict[str, dict[str, Any]]] = {
        "duckdb": {"read": {"count": 3}, "pivot": {"columns": ["a"], "rows": [[1]]}},
        "loupe": {"read": {"count": 3}},
    }
    result = check(answers, "duckdb")
    assert not result["ok"]
    assert result["compared"] == 1
    assert result["mismatches"] == ["pivot: loupe gave no answer"]
