"""Loupe's own Python functions as Spark SQL functions (Python UDFs, `loupe_py_*`), for what Spark SQL
has no exact equivalent of: parsing dates and numbers as people write them, a column's day order, outlier
fences and reasons, Unicode case folding beyond one character (ß to ss), and numbers written with digits
other than 0-9.

Each is the very function SQLite calls, so Spark's answer is SQLite's by construction; the price is speed
(rows travel to a Python worker and back, a few times slower than Spark's built-ins). SQLite's aggregates
(day order, fences) become a scalar over the group's values, collected by Spark (`collect_list`, which
skips nulls as their `step` does); both are order-free (a set, a median, an exact sum). The module needs
only loupe.sqlfuncs, so a Spark worker imports no more than that.

>>> date_order(["13/10/98", "1/2/99", None]), outlier_fences([], "mad", 3.5)
('dmy', None)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from loupe.sqlfuncs import (
    DateOrder,
    OutlierFences,
    outlier_reason,
    parse_date,
    parse_datetime,
    parse_number,
    to_float,
    to_int,
)


def casefold(value: object) -> object:
    """Python's casefold of text (SQLite's loupe_casefold)."""
    return value.casefold() if isinstance(value, str) else value


def date_order(values: Sequence[object] | None) -> str | None:
    """loupe_date_order over a group's collected values."""
    state = DateOrder()
    for value in values or ():
        state.step(value)
    return state.finalize()


def outlier_fences(values: Sequence[object] | None, method: object, threshold: object) -> str | None:
    """loupe_outlier_fences over a group's collected values (the options are the verb's constants)."""
    state = OutlierFences()
    for value in values or ():
        state.step(value, method, threshold)
    return state.finalize()


# Spark SQL name -> (the Python function, its Spark return type).
UDFS: dict[str, tuple[Callable[..., Any], str]] = {
    "loupe_py_parse_date": (parse_date, "string"),
    "loupe_py_parse_datetime": (parse_datetime, "string"),
    "loupe_py_parse_number": (parse_number, "double"),
    "loupe_py_date_order": (date_order, "string"),
    "loupe_py_outlier_fences": (outlier_fences, "string"),
    "loupe_py_outlier_reason": (outlier_reason, "string"),
    "loupe_py_casefold": (casefold, "string"),
    "loupe_py_int": (to_int, "bigint"),
    "loupe_py_float": (to_float, "double"),
}


def register(spark: Any) -> None:
    """Make the functions callable in `spark`'s SQL (a session's own; a new session registers again)."""
    for name, (function, kind) in UDFS.items():
        spark.udf.register(name, function, kind)
