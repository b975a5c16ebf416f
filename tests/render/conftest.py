"""Snapshot fixture: compare normalised SVG/HTML text with a committed file.

Run with LOUPE_UPDATE_SNAPSHOTS=1 to (re)write the files after an intended change, then review
the diff like any other code change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"
_NUMBER = re.compile(r"-?\d+\.\d{2,}")
_TAG_START = re.compile(r"(?<=>)(?=<)")


def normalise(text: str) -> str:
    """Round decimals to one place, one element per line: stable, readable diffs."""

    def one_place(match: re.Match[str]) -> str:
        value = round(float(match.group()), 1)
        return str(int(value)) if value.is_integer() else str(value)

    return _TAG_START.sub("\n", _NUMBER.sub(one_place, text)).strip() + "\n"


@pytest.fixture
def snapshot() -> Callable[[str, str], None]:
    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        actual = normalise(text)
        if os.environ.get("LOUPE_UPDATE_SNAPSHOTS") == "1" or not path.exists():
            if not path.exists() and os.environ.get("CI"):
                pytest.fail(f"snapshot {name} is missing; run with LOUPE_UPDATE_SNAPSHOTS=1")
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"snapshot {name} changed; LOUPE_UPDATE_SNAPSHOTS=1 to accept"

    return check
