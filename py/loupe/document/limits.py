"""How big a document may be, checked before any deep work: a link or file is untrusted input.

A real analysis is far inside these; a document outside them is a mistake or an attack, and is
refused with the limit it broke rather than parsed for seconds.
"""

from __future__ import annotations

from collections.abc import Mapping

from loupe.errors import SpecError

MAX_SOURCES = 64
MAX_TABLES = 64
MAX_CHARTS = 64
MAX_STEPS = 1000  # per table
MAX_SORT_KEYS = 64
MAX_DEPTH = 32  # objects and lists inside each other; a real document nests about 8 deep
MAX_VALUES = 200_000  # every object, list, string and number counted once
MAX_TEXT = 100_000  # characters in one string (an expression, a title)


def check_limits(obj: object) -> None:
    """Refuse a document nested deeper than MAX_DEPTH or holding more than MAX_VALUES values.

    Walks with an explicit stack (never recursion) and stops at the first limit crossed.

    >>> nested: list[object] = []
    >>> for _ in range(40):
    ...     nested = [nested]
    >>> try:
    ...     check_limits(nested)
    ... except SpecError as error:
    ...     error.message
    'the document is nested deeper than 32 levels'
    """
    stack: list[tuple[object, int]] = [(obj, 1)]
    seen = 1
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping | list | tuple):
            seen += len(value)  # counted before they are pushed: a list of ten million stops here
            if seen > MAX_VALUES:
                raise SpecError(
                    f"the document holds more than {MAX_VALUES:,} values",
                    hint="a document keeps steps and charts, never the data itself",
                )
            if depth > MAX_DEPTH:
                raise SpecError(
                    f"the document is nested deeper than {MAX_DEPTH} levels",
                    hint="a document nests about 8 levels deep; this is not one",
                )
            children = value.values() if isinstance(value, Mapping) else value
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            raise SpecError(f"the document holds a text of {len(value):,} characters, over {MAX_TEXT:,}")
