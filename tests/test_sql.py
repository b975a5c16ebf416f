from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st
from loupe.errors import SpecError
from loupe.sql import Params, fold, quote_ident


# RELIABILITY 26: identifiers are quoted with "…", an inner quote doubled; brackets and backticks stay text.
@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("a", '"a"'),
        ("a b", '"a b"'),
        ('say "hi"', '"say ""hi"""'),
        ("", '""'),
        ("é€😀", '"é€😀"'),
        ("x]`'", '"x]`\'"'),
    ],
)
def test_quote_ident(name: str, quoted: str) -> None:
    assert quote_ident(name) == quoted


def test_quote_ident_refuses_nul() -> None:
    with pytest.raises(SpecError, match="NUL"):
        quote_ident("a\x00b")


@given(st.text(min_size=1).filter(lambda s: "\x00" not in s))
def test_any_name_round_trips_through_sqlite(name: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE TABLE t ({quote_ident(name)} INTEGER)")
    cursor = conn.execute(f"SELECT {quote_ident(name)} FROM t")
    assert cursor.description[0][0] == name


def test_params_number_placeholders_in_order() -> None:
    p = Params()
    assert [p.add(1), p.add("x"), p.add(None)] == [":p0", ":p1", ":p2"]
    assert p.values == {"p0": 1, "p1": "x", "p2": None}


def test_fold_is_ascii_only_like_sqlite() -> None:
    assert fold("AbC") == "abc"
    assert fold("É") == "É"
