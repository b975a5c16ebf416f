"""Numbers written for people: currency and percent signs ("$1,200", "12%", "€ 3,50", "(5)").

A column is read this way only when every value carries the same sign, and the column agrees on
one decimal mark (the last of "," and "." when both appear; a lone separator before other than
three digits; else the file's decimal mark). The note says what was stripped.
"""

from __future__ import annotations

import re

from loupe.table import Value

CURRENCY = "$€£¥₹₽₩₪฿"
_SIGN = f"[{CURRENCY}%]|(?:USD|EUR|GBP|CHF|JPY)"
# (negative parentheses) (sign before) (the number) (sign after)
PATTERN = re.compile(
    rf" *(\()?(?:({_SIGN}) ?)?([-+]?(?:[0-9]{{1,3}}(?:[.,' \u00a0\u202f][0-9]{{3}})+|[0-9]+)(?:[.,][0-9]+)?)"
    rf"(?: ?({_SIGN}))?\)? *"
)
_GROUPS = {
    ".": re.compile(r"[-+]?[0-9]{1,3}(?:[,' \u00a0\u202f][0-9]{3})*(?:\.[0-9]+)?|[-+]?[0-9]+(?:\.[0-9]+)?")
}
_GROUPS[","] = re.compile(
    r"[-+]?[0-9]{1,3}(?:[.' \u00a0\u202f][0-9]{3})*(?:,[0-9]+)?|[-+]?[0-9]+(?:,[0-9]+)?"
)


class Signs(ValueError):
    """The values carry different signs ("$" and "€"): not one column of amounts."""

    def __init__(self, signs: set[str]) -> None:
        super().__init__("several signs: " + ", ".join(sorted(signs)))
        self.signs = signs


def amounts(values: list[str], decimal: str) -> tuple[list[Value], str, str]:
    """Floats from amounts with a currency or percent sign, the sign stripped, and the decimal mark.

    >>> amounts(["$1,200", "($5.50)"], "."), amounts(["€ 3,50", "1.234 €"], ".")[0]
    (([1200.0, -5.5], '$', '.'), [3.5, 1234.0])
    """
    signs: set[str] = set()
    parts: list[tuple[bool, str]] = []
    for v in values:
        match = PATTERN.fullmatch(v)
        if match is None:
            raise ValueError(f"not an amount: {v!r}")
        paren, before, number, after = match.groups()
        if (paren is None) != (not v.rstrip().endswith(")")) or (before and after):
            raise ValueError(f"not an amount: {v!r}")
        signs.add(before or after or "")
        parts.append((paren is not None, number))
    if "" in signs:
        raise ValueError("a sign on some values only")
    if len(signs) > 1:
        raise Signs(signs)
    mark = _mark([n for _, n in parts], decimal)
    groups = _GROUPS[mark]
    out: list[Value] = []
    for negative, number in parts:
        if not groups.fullmatch(number):
            raise ValueError(f"separators in {number!r} do not fit decimal mark {mark!r}")
        digits = "".join(c for c in number if c.isdigit() or c in "+-" or c == mark).replace(",", ".")
        out.append(-float(digits) if negative else float(digits))
    return out, signs.pop(), mark


def _mark(numbers: list[str], decimal: str) -> str:
    """The column's decimal mark: what its values settle, else the file's ("either": unknown)."""
    settled: set[str] = set()
    for n in numbers:
        last = max(n.rfind(","), n.rfind("."))
        if last < 0:
            continue
        if "," in n and "." in n:
            settled.add(n[last])
        elif n.count(n[last]) > 1:
            settled.add("," if n[last] == "." else ".")
        elif len(n) - last - 1 != 3:
            settled.add(n[last])
    if len(settled) > 1:
        raise ValueError("both decimal marks in one column")
    if settled:
        return settled.pop()
    if decimal == "either":  # a tab file may be American or not: $1,200 could be 1.2 or 1200
        raise ValueError("the decimal mark is not settled")
    return "," if decimal == "," else "."
