"""SQL functions Loupe registers on its connection, so compiled SQL runs the same on every SQLite.

SQLite 3.39 as built for Pyodide has no median/std aggregates and may lack the math functions;
these small pure-Python versions fill the gap. Names carry a `loupe_` prefix so they never shadow
a built-in. They return NULL instead of raising on bad input (sqrt(-1), log(0)), like SQL does.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

Number = int | float


def _num(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        f = float(value)
        return f if math.isfinite(f) else None
    return None


def _unary(fn: Callable[[float], float]) -> Callable[[object], float | None]:
    def call(value: object) -> float | None:
        x = _num(value)
        if x is None:
            return None
        try:
            out = fn(x)
        except (ValueError, OverflowError):
            return None
        return out if math.isfinite(out) else None

    return call


def _floor(value: object) -> int | None:
    x = _num(value)
    return None if x is None else math.floor(x)


def _ceil(value: object) -> int | None:
    x = _num(value)
    return None if x is None else math.ceil(x)


def _pow(base: object, exponent: object) -> float | None:
    b, e = _num(base), _num(exponent)
    if b is None or e is None:
        return None
    try:
        out = math.pow(b, e)
    except (ValueError, OverflowError):
        return None
    return out if math.isfinite(out) else None


def _log(value: object, base: object = None) -> float | None:
    x = _num(value)
    if x is None or x <= 0:
        return None
    if base is None:
        return math.log(x)
    b = _num(base)
    if b is None or b <= 0 or b == 1:
        return None
    return math.log(x, b)


def _casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def to_float(value: object) -> float | None:
    """A number from any value, or None: "1.5" -> 1.5, "abc" -> None, True -> 1.0."""
    if isinstance(value, str):
        try:
            value = float(value.strip().replace("_", "x"))
        except ValueError:
            return None
    return _num(value)


def to_int(value: object) -> int | None:
    """A whole number from any value, truncating like Python's int(); None if not a number."""
    if isinstance(value, int):
        return int(value) if abs(value) < 2**63 else None
    if isinstance(value, str):
        try:
            return int(value.strip().replace("_", "x"))
        except ValueError:
            pass
    x = to_float(value)
    return int(x) if x is not None and abs(x) < 2**63 else None


_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def to_bool(value: object) -> int | None:
    """1/0 from true/false-like values ("yes", "0", 1.0), None for anything else."""
    if isinstance(value, str):
        text = value.strip().lower()
        return 1 if text in _TRUE else 0 if text in _FALSE else None
    if isinstance(value, int | float) and value in (0, 1):
        return int(value)
    return None


def unit_hash(seed: object, n: object) -> float:
    """A deterministic pseudo-random number in [0, 1) from (seed, n): splitmix64 finaliser."""
    x = (hash_int(seed) * 0x9E3779B97F4A7C15 + hash_int(n)) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return ((x ^ (x >> 31)) >> 11) / float(1 << 53)


def hash_int(value: object) -> int:
    return value if isinstance(value, int) else 0


def iso(value: object) -> str | None:
    """The text itself if it is an ISO date or date-time, else None (SQLite's date functions
    would otherwise read a number like "42" as a Julian day)."""
    if not isinstance(value, str) or len(value) < 10 or not value[:4].isdigit():
        return None
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


_CLOCK = ("%H", "%I", "%M", "%S", "%p", "%f", "%z", "%X", "%c", "%T", "%R")


def format_has_time(fmt: str) -> bool:
    """Whether a strptime format reads a time of day: then it parses to a datetime, else a date."""
    return any(d in fmt for d in _CLOCK)


def parse_date(value: object, fmt: object = None, order: object = None) -> str | None:
    """ISO text from a date written as `fmt` (strptime: "%m/%d/%y"), or without a format in any
    form the reader knows; day/month forms (10/13/98) only with `order` "dmy"/"mdy", decided for
    the whole column by the caller (a value alone cannot say). None when it does not parse.

    >>> parse_date("10/13/98", "%m/%d/%y"), parse_date("Jan 1, 2000"), parse_date("01/02/2000")
    ('1998-10-13', '2000-01-01', None)
    """
    stamp = parse_datetime(value, fmt, order)
    if stamp is None or (not isinstance(fmt, str) and not stamp.endswith("T00:00:00")):
        return None  # without a format, a time of day is not silently dropped
    return stamp[:10]


def parse_datetime(value: object, fmt: object = None, order: object = None) -> str | None:
    """Like parse_date, to 'YYYY-MM-DDTHH:MM:SS' (a date alone at midnight)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if isinstance(fmt, str):
        try:
            return dt.datetime.strptime(text, fmt).isoformat()
        except ValueError:
            return None
    from loupe.read import dates

    if dates.LOCAL_DATE.match(text) and order not in ("dmy", "mdy"):
        return None
    try:
        return str(dates.datetimes([text], order if isinstance(order, str) else None)[0])
    except ValueError:
        return None


_CURRENCY = "$€£¥₹₽₩₪฿"
_NUMBER_TEXT = re.compile(r"[-+]?(?:[0-9]+|[0-9]{1,3}(?:[,.' \u00a0\u202f][0-9]{3})+)(?:[.,][0-9]+)?")


def parse_number(value: object, decimal: object = None) -> float | None:
    """A number from text as people write it: "$1,200" 1200, "12%" 12, "€ 3,50" 3.5, "(5)" -5,
    "1.234,50" 1234.5; `decimal` "," or "." settles "1,234" (else a thousands group).

    >>> parse_number("$1,200"), parse_number("1.234,50"), parse_number("1,5", ","), parse_number("x")
    (1200.0, 1234.5, 1.5, None)
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if not isinstance(value, str):
        return _num(value)
    text = value.strip().strip(_CURRENCY + "%").strip()
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()").strip().strip(_CURRENCY).strip()
    if not _NUMBER_TEXT.fullmatch(text):
        return None
    mark = decimal if decimal in (",", ".") else _decimal_mark(text)
    digits = "".join(c for c in text if c.isdigit() or c in "+-" or c == mark)
    out = to_float(digits.replace(",", ".") if mark == "," else digits)
    return None if out is None else -out if negative else out


def _decimal_mark(text: str) -> str:
    """The decimal mark of a number written with separators: the last of "," and "." if both
    appear, a lone separator before other than three digits ("3,50"), else "." ("1,234")."""
    last = max(text.rfind(","), text.rfind("."))
    if last < 0:
        return "."
    if "," in text and "." in text:
        return text[last]
    if text.count(text[last]) == 1 and len(text) - last - 1 != 3:
        return text[last]
    return "," if text[last] == "." else "."


def _mod(a: object, b: object) -> int | float | None:
    """Python's modulo (the sign follows the divisor); None for division by zero."""
    x, y = _num(a), _num(b)
    if x is None or y is None or y == 0:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a % b
    return x % y


SCALARS: dict[str, tuple[int, Callable[..., Any]]] = {
    "loupe_casefold": (1, _casefold),
    "loupe_lower": (1, _lower),
    "loupe_upper": (1, _upper),
    "loupe_int": (1, to_int),
    "loupe_float": (1, to_float),
    "loupe_mod": (2, _mod),
    "loupe_bool": (1, to_bool),
    "loupe_iso": (1, iso),
    "loupe_parse_date": (-1, parse_date),
    "loupe_parse_datetime": (-1, parse_datetime),
    "loupe_parse_number": (-1, parse_number),
    "loupe_unit_hash": (2, unit_hash),
    "loupe_sqrt": (1, _unary(math.sqrt)),
    "loupe_exp": (1, _unary(math.exp)),
    "loupe_floor": (1, _floor),
    "loupe_ceil": (1, _ceil),
    "loupe_pow": (2, _pow),
    "loupe_log": (-1, _log),
}


class _Collect:
    """Collects values with list.append as `step`: a C call per row, not a Python frame; the
    numbers are picked out once in finalize."""

    def __init__(self) -> None:
        self.values: list[object] = []
        self.step = self.values.append

    def numbers(self) -> list[float]:
        out: list[float] = []
        for value in self.values:
            x = _num(value)
            if x is not None:
                out.append(x)
        return out


class Median(_Collect):
    """Median of the non-null numbers (mean of the middle two for an even count)."""

    def finalize(self) -> float | None:
        values = sorted(self.numbers())
        n = len(values)
        if n == 0:
            return None
        mid = n // 2
        return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


class Std(_Collect):
    """Sample standard deviation (n - 1), two-pass around the mean for accuracy."""

    def finalize(self) -> float | None:
        values = self.numbers()
        n = len(values)
        if n < 2:
            return None
        if min(values) == max(values):
            return 0.0  # exactly: fsum(x * n) / n need not give x back (0.1 three times)
        mean = math.fsum(values) / n
        return math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (n - 1))


class DateOrder(_Collect):
    """'dmy' or 'mdy' when a column's day/month dates settle it (a value over 12), None if they
    do not or there are none, 'both' when they contradict each other (13/10/98 and 10/13/98)."""

    def finalize(self) -> str | None:
        from loupe.read import dates

        local: list[str] = []
        for value in self.values:
            match = dates.LOCAL_DATE.match(value.strip()) if isinstance(value, str) else None
            if match is not None:
                low, high = sorted((int(match.group(1)), int(match.group(3))))
                if low <= 12 and high <= 31:  # a date in some order: 13/45/98 settles nothing
                    local.append(match.group(0))
        if not local:
            return None
        order, guessed = dates.date_order(local)
        return "both" if order is None else None if guessed else order


class First:
    """The non-null value with the lowest sequence number (rows arrive in any order)."""

    def __init__(self) -> None:
        self.seq: float | None = None
        self.value: object = None

    def better(self, seq: float) -> bool:
        return self.seq is None or seq < self.seq

    def step(self, value: object, seq: object) -> None:
        if value is None or not isinstance(seq, int | float):
            return
        if self.better(float(seq)):
            self.seq, self.value = float(seq), value

    def finalize(self) -> object:
        return self.value


class Last(First):
    """The non-null value with the highest sequence number."""

    def better(self, seq: float) -> bool:
        return self.seq is None or seq > self.seq


AGGREGATES: dict[str, tuple[int, type]] = {
    "loupe_median": (1, Median),
    "loupe_std": (1, Std),
    "loupe_date_order": (1, DateOrder),
    "loupe_first": (2, First),
    "loupe_last": (2, Last),
}
