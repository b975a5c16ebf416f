"""Column and table names: unique, usable names from whatever a file holds, saying what changed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from loupe.sql import fold

MAX_NAME = 120  # characters; longer headers are usually a sentence pasted into the wrong cell
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")  # control characters (NUL!) cannot be in a name
_NOT_WORD = re.compile(r"\W+")  # Unicode letters are fine: the engine quotes every name


def column_names(raw: Sequence[object]) -> tuple[list[str], list[str]]:
    """Unique names for a header row, plus notes on what was renamed.

    SQLite compares identifiers case-insensitively (ASCII letters), so "Name" and "name" clash.

    >>> names, notes = column_names(["id", "", "ID", " Name "])
    >>> names
    ['id', 'column_2', 'ID_2', 'Name']
    """
    cleaned = [_clean(cell) for cell in raw]
    notes: list[str] = []
    empty = [i for i, name in enumerate(cleaned) if not name]
    taken = {fold(name) for name in cleaned if name}
    for i in empty:
        cleaned[i] = _fresh(f"column_{i + 1}", taken)
    if empty:
        shown = ", ".join(cleaned[i] for i in empty[:5]) + (", ..." if len(empty) > 5 else "")
        plural = "s" if len(empty) > 1 else ""
        notes.append(f"{len(empty)} empty column name{plural} filled in ({shown})")
    seen: set[str] = set()
    renamed: list[str] = []
    for i, name in enumerate(cleaned):
        key = fold(name)
        if key in seen:
            cleaned[i] = _fresh(name, taken | seen, start=2)
            renamed.append(f'"{name}" -> "{cleaned[i]}"')
            key = fold(cleaned[i])
        seen.add(key)
        taken.add(key)
    if renamed:
        plural = "s" if len(renamed) > 1 else ""
        more = ", ..." if len(renamed) > 5 else ""
        notes.append(f"duplicate column name{plural} renamed: {', '.join(renamed[:5])}{more}")
    return cleaned, notes


def default_names(count: int) -> list[str]:
    """Names for a file without a header row: column_1, column_2, ..."""
    return [f"column_{i + 1}" for i in range(count)]


def table_name(filename: str) -> str:
    """A short identifier from a file name: "Sales 2024.csv" -> "sales_2024".

    >>> table_name("data/Sales 2024 (final).csv")
    'sales_2024_final'
    """
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.split(".", 1)[0] if not base.startswith(".") else base.lstrip(".")
    name = _NOT_WORD.sub("_", stem).strip("_").lower()
    if not name:
        return "data"
    return f"t_{name}" if name[0].isdigit() else name


def _clean(cell: object) -> str:
    text = "" if cell is None else str(cell)
    text = _SPACE.sub(" ", text).strip()
    return text[:MAX_NAME].rstrip()


def _fresh(base: str, taken: set[str], start: int = 1) -> str:
    """`base`, or `base_2`, `base_3`... whichever is not taken (case-insensitively)."""
    if start == 1 and fold(base) not in taken:
        return base
    n = max(start, 2)
    while fold(f"{base}_{n}") in taken:
        n += 1
    return f"{base}_{n}"
