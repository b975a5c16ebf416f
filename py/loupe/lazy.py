"""Names a package exports but imports only when first used, so importing the package stays cheap
(the page's start-up imports what the first table needs, not every export)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` for `package`: each name in `exports` comes from its module (the
    value) on first use and is then kept in the package, so later lookups cost nothing."""
    namespace = sys.modules[package].__dict__

    def get(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return get
