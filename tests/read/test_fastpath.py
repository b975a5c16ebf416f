"""The whole-column fast paths never accept what the exact per-cell patterns would reject."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from loupe.read import fastpath
from loupe.read.kinds import KINDS

KIND = {kind.fast: kind for kind in KINDS if kind.fast is not None}
numberish = st.lists(st.text("0123456789-+.eE nNaI_x\n٣", max_size=6), min_size=1, max_size=6)
dateish = st.lists(
    st.one_of(st.dates().map(str), st.text("0123456789-", min_size=8, max_size=11)), min_size=1, max_size=4
)


def agrees(fast: object, cells: list[str]) -> None:
    kind = KIND[fast]  # type: ignore[index]
    got = kind.fast(cells)  # type: ignore[misc]
    if got is None:
        return  # not proven: the exact path decides
    assert all(kind.pattern.fullmatch(c) for c in cells), cells
    assert got == kind.convert(cells, None), cells


@settings(max_examples=150, deadline=None)
@given(numberish)
def test_ints_agree(cells: list[str]) -> None:
    agrees(fastpath.ints, cells)


@settings(max_examples=150, deadline=None)
@given(numberish)
def test_floats_agree(cells: list[str]) -> None:
    agrees(fastpath.floats, cells)


@settings(max_examples=200, deadline=None)
@given(dateish)
def test_iso_dates_agree(cells: list[str]) -> None:
    agrees(fastpath.iso_dates, cells)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["true", "False", "TRUE", "yes", "", "1"]), min_size=1, max_size=5))
def test_booleans_agree(cells: list[str]) -> None:
    agrees(fastpath.booleans, cells)


def test_common_columns_are_proven() -> None:
    assert fastpath.ints([str(i) for i in range(-5, 1000)]) == list(range(-5, 1000))
    assert fastpath.floats(["0.5", "-0.25", "12.50", "1e-3", ".5", "0"]) == [
        0.5,
        -0.25,
        12.5,
        0.001,
        0.5,
        0.0,
    ]
    assert fastpath.iso_dates(["2024-01-31"]) == ["2024-01-31"]


def test_not_proven_cases() -> None:
    for cells in (["007"], ["-0"], ["+5"], [" 5"], ["1_000"], ["1", None], ["5\n"], [str(2**63)]):
        assert fastpath.ints(cells) is None, cells  # type: ignore[arg-type]
    for cells in (["02134"], ["00.5"], ["nan"], ["inf"], ["1", ""], ["-05"]):
        assert fastpath.floats(cells) is None, cells


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dates(), min_size=1, max_size=5))
def test_real_dates_are_proven(days: list[object]) -> None:
    cells = [str(d) for d in days]
    assert fastpath.iso_dates(cells) == cells


def test_impossible_dates_are_not_proven() -> None:
    for bad in (
        "2023-02-29",
        "1900-02-29",
        "0000-01-01",
        "2024-04-31",
        "2024-13-01",
        "2024-00-10",
        "2024-01-00",
    ):
        assert fastpath.iso_dates(["2024-01-01", bad]) is None, bad
    assert fastpath.iso_dates(["2000-02-29", "2024-02-29"]) == ["2000-02-29", "2024-02-29"]
