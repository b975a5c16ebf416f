"""Loupe: look closely at your data, in the browser, with Python."""

from loupe.errors import LoupeError
from loupe.table import Column, Table

__all__ = ["Column", "LoupeError", "Table", "__version__"]

__version__ = "0.1.0"
