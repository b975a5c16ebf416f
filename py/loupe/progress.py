"""How far a long request has got, for the page's busy line ("Reading big.csv · 42 %"): readers call
report(); the worker bridge sets a reporter for each request. Natively nothing listens unless a caller
sets one, so a report costs one context-variable lookup.

>>> seen = []
>>> with reporting(lambda stage, fraction: seen.append((stage, fraction))):
...     report("reading", 0.5)
>>> seen
[('reading', 0.5)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[str, float], None]
_reporter: ContextVar[Reporter | None] = ContextVar("loupe_progress", default=None)


def report(stage: str, fraction: float) -> None:
    """Tell whoever listens that `stage` is `fraction` (0 to 1) done."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(stage, min(1.0, max(0.0, fraction)))


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Send this block's reports to `reporter`."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)
