"""loupe.read declares one public surface, sorted, and every name in it exists."""

from __future__ import annotations

import inspect

import loupe.read
from loupe.read import ReadOptions, read_bytes, read_file


def test_all_is_sorted_and_complete() -> None:
    assert loupe.read.__all__ == sorted(loupe.read.__all__)
    assert loupe.read.__all__ == ["ReadOptions", "load_file", "read_bytes", "read_file"]
    assert all(hasattr(loupe.read, name) for name in loupe.read.__all__)


def test_signatures_others_code_against() -> None:
    assert str(inspect.signature(read_file)) == (
        "(path: 'str', *, name: 'str | None' = None, "
        "options: 'ReadOptions | Mapping[str, object] | None' = None) -> 'Table'"
    )
    assert str(inspect.signature(read_bytes)) == (
        "(data: 'bytes', filename: 'str', *, name: 'str | None' = None, "
        "options: 'ReadOptions | Mapping[str, object] | None' = None) -> 'Table'"
    )
    assert ReadOptions.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_every_format_has_a_reader() -> None:
    from loupe.read.options import FORMATS

    assert sorted(loupe.read.READERS) == sorted(FORMATS)
