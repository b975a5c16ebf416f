"""A request's time budget: SQLite's progress handler stops any query that runs past it.

The worker runs one request at a time and nothing else can interrupt Python there (without
cross-origin isolation), so a runaway query (a cross join, a recursive view) must stop itself.
The budget is set per request (`time_budget`) and read by every connection that runs a query.
DuckDB and Spark (CPython only) have no progress handler; there a thread keeps the deadline and
calls the engine's own interrupt (`stopping`).

>>> with time_budget(2.5):
...     current()
2.5
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_BUDGET_S = 20.0
_CHECK_EVERY = 20_000  # SQLite virtual machine instructions between two looks at the clock
_AGAIN_S = 0.25  # past the deadline, seconds between two calls of an engine's interrupt

_budget: ContextVar[float | None] = ContextVar("loupe_budget", default=None)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Give every query run inside the block at most `seconds` (None: no limit)."""
    token = _budget.set(seconds)
    try:
        yield
    finally:
        _budget.reset(token)


def current() -> float | None:
    """The active request's budget in seconds, or None."""
    return _budget.get()


class Watch:
    """Whether the progress handler stopped the query (as opposed to another interrupt)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.fired = False
        self._deadline = None if seconds is None else time.monotonic() + seconds

    def __call__(self) -> int:
        # Non-zero stops the running statement; sqlite3 then raises OperationalError("interrupted").
        if self._deadline is not None and time.monotonic() > self._deadline:
            self.fired = True
            return 1
        return 0


@contextmanager
def watched(connection: sqlite3.Connection, seconds: float | None) -> Iterator[Watch]:
    """Run the block's statements on `connection` under a deadline of `seconds` from now."""
    watch = Watch(seconds)
    if seconds is None:
        yield watch
        return
    connection.set_progress_handler(watch, _CHECK_EVERY)
    try:
        yield watch
    finally:
        connection.set_progress_handler(None, 0)


@contextmanager
def stopping(seconds: float | None, stop: Callable[[], None]) -> Iterator[Watch]:
    """Run the block under a deadline of `seconds` from now, kept by another thread: past it the
    thread calls `stop` (DuckDB's interrupt, Spark's cancelJobGroup), and again every quarter
    second until the block ends, for a query (or a Spark job) that had not started at the first call.

    >>> with stopping(0.01, lambda: None) as watch:
    ...     time.sleep(0.05)
    >>> watch.fired
    True
    """
    watch = Watch(seconds)
    if seconds is None:
        yield watch
        return
    done = threading.Event()

    def keep() -> None:
        if done.wait(seconds):
            return
        watch.fired = True
        while True:
            try:
                stop()
            except Exception:  # an engine closing under us: the block reports what happened
                return
            if done.wait(_AGAIN_S):
                return

    keeper = threading.Thread(target=keep, name="loupe-budget", daemon=True)
    keeper.start()
    try:
        yield watch
    finally:
        done.set()
        keeper.join()
