"""loupe's declared public API: sorted, complete, and every name resolves to what it says."""

from __future__ import annotations

import subprocess
import sys

import loupe
import pytest


def test_all_is_sorted_unique_and_matches_the_export_table() -> None:
    assert loupe.__all__ == sorted(set(loupe.__all__))
    assert set(loupe.__all__) == {*loupe._EXPORTS, "__version__"}


@pytest.mark.parametrize("name", [n for n in loupe.__all__ if n != "__version__"])
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(loupe, name)
    assert getattr(value, "__name__", name) == name


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError):
        loupe.nothing_here  # noqa: B018


@pytest.mark.skipif(sys.platform == "emscripten", reason="needs a subprocess")
def test_importing_loupe_does_not_load_the_engine() -> None:
    code = "import sys, loupe; print('loupe.engine' in sys.modules, 'sqlite3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": "py"})  # fmt: skip
    assert out.stdout.split() == ["False", "False"]
