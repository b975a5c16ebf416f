"""The examples in loupe.render docstrings run and stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import loupe.render
import pytest

MODULES = sorted(m.name for m in pkgutil.iter_modules(loupe.render.__path__, "loupe.render."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_public_api_is_sorted_and_complete() -> None:
    assert loupe.render.__all__ == sorted(loupe.render.__all__)
    for name in loupe.render.__all__:
        assert hasattr(loupe.render, name)


def test_every_chart_field_is_documented() -> None:
    from loupe.render import spec

    doc = spec.__doc__ or ""
    missing = [name for name in spec._FIELDS if f"`{name}`" not in doc]
    assert missing == []
