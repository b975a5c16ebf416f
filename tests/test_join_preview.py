"""api "join_preview": what a join step would do before it is added (matched and unmatched rows on each
side, the result's rows for each kind of join), checked against running the join itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from loupe import api
from loupe.service.session import SESSIONS, Session
from loupe.table import Column, Table

ORDERS = Table(
    "orders",
    (Column("id", "integer"), Column("cust", "integer"), Column("code", "text"), Column("day", "date")),
    [
        (1, 1, "a", "2024-01-01"),
        (2, 1, "b", "2024-01-02"),
        (3, 2, "a", "2024-01-03"),
        (4, None, "a", None),
        (5, 5, None, "2024-01-05"),
    ],
)
CUSTOMERS = Table(
    "customers",
    (Column("cust", "integer"), Column("name", "text"), Column("code", "text"), Column("since", "date")),
    [
        (1, "Ann", "a", "2024-01-01"),
        (2, "Bob", "a", None),
        (2, "Bea", "b", None),
        (3, "Cid", "c", None),
        (None, "Nul", "a", None),
    ],
)
SESSION = "join-preview"


@pytest.fixture
def session() -> Iterator[Session]:
    session = SESSIONS[SESSION] = Session()
    session.engine.load(ORDERS)
    session.engine.load(CUSTOMERS)
    session.current = "orders"
    yield session
    SESSIONS.pop(SESSION, None)


def preview(steps: list[Any], join: dict[str, Any]) -> dict[str, Any]:
    return api.handle("join_preview", {"session": SESSION, "pipeline": steps, "join": join})


NE_1 = {"verb": "filter", "column": "cust", "op": "!=", "value": 1}  # != keeps the null
EQ_5 = {"verb": "filter", "column": "cust", "op": "==", "value": 5}
# steps before the join, its keys -> left matched/unmatched, right matched/unmatched, matched pairs
CASES = [
    # cust 1 twice on the left, 2 twice on the right: 2 + 2 pairs; null keys never match
    pytest.param([], ["cust"], (3, 2, 3, 2, 4), id="duplicates and null keys"),
    pytest.param([NE_1], ["cust"], (1, 2, 2, 3, 2), id="steps before the join"),
    pytest.param([], ["cust", "code"], (2, 3, 2, 3, 2), id="two keys"),
    pytest.param([], ["code", "cust"], (2, 3, 2, 3, 2), id="a null in one of two keys"),
    pytest.param([], [{"left": "id", "right": "cust"}], (3, 2, 4, 1, 4), id="differently named keys"),
    pytest.param([], [{"left": "day", "right": "since"}], (1, 4, 1, 4, 1), id="dates"),
    pytest.param([EQ_5], ["cust"], (0, 1, 0, 5, 0), id="nothing matches"),
]


@pytest.mark.parametrize(("steps", "on", "expected"), CASES)
@pytest.mark.parametrize("how", ["inner", "left", "right", "full"])
def test_join_preview_counts_what_the_join_does(
    session: Session, steps: list[Any], on: list[Any], expected: tuple[int, ...], how: str
) -> None:
    join = {"table": "customers", "on": on, "how": how}
    reply = preview(steps, join)
    assert reply["ok"], reply.get("error")
    got = reply["result"]
    names = ("left_matched", "left_unmatched", "right_matched", "right_unmatched", "pairs")
    assert tuple(got[n] for n in names) == expected
    assert got["left_rows"] == got["left_matched"] + got["left_unmatched"]
    assert got["right_rows"] == len(CUSTOMERS.rows)
    # The result's rows are what running the step gives.
    ran = session.engine.run({"version": 1, "steps": [*steps, {"verb": "join", **join}]}, source="orders")
    assert (got["how"], got["rows"]) == (how, len(ran.rows))


def keys(left: str, right: str) -> dict[str, Any]:
    return {"on": [{"left": left, "right": right}]}


REFUSED = [
    pytest.param(
        [], keys("code", "cust"), 'cannot match text "code"', "cast one side first", id="text, number"
    ),
    pytest.param(
        [{"verb": "limit", "n": 3}],
        keys("day", "name"),
        'date "day" with text',
        "are dates or both text",
        id="date",
    ),
    pytest.param(
        [], keys("id", "nope"), 'unknown column "nope"', 'columns of "customers"', id="unknown column"
    ),
    pytest.param(
        [], {"table": "custmers", "on": ["cust"]}, 'unknown table "custmers"', "customers", id="table"
    ),
    pytest.param([], {"on": []}, "'on' must list the key columns", "e.g.", id="no keys"),
]


@pytest.mark.parametrize(("steps", "join", "message", "hint"), REFUSED)
def test_join_preview_refuses_a_join_that_cannot_run(
    session: Session, steps: list[Any], join: dict[str, Any], message: str, hint: str
) -> None:
    reply = preview(steps, {"table": "customers", **join})
    assert not reply["ok"]
    error = reply["error"]
    assert message in error["message"], error
    assert hint in error["hint"], error
    assert error["step"] == len(steps) + 1  # where the form shows it: at the step being added


def test_join_preview_needs_a_join_step(session: Session) -> None:
    reply = preview([], {"verb": "filter", "column": "id"})
    assert reply["error"]["field"] == "join"


def test_trying_keys_leaves_the_views_cached_queries_alone(session: Session) -> None:
    """The form asks at every change: previews must not push the view's query out of the cache."""
    assert api.handle("view", {"session": SESSION, "pipeline": []})["ok"]
    cached = dict(session.queries)
    for suffix in range(20):
        assert preview([], {"table": "customers", "on": ["cust"], "suffix": f"_{suffix}"})["ok"]
    assert session.queries == cached
