"""Insight: trends, forecasts and outliers in pure Python, explained in words.

Pure functions over lists of numbers (no numpy: the same code runs in the page and the CLI).
Every refusal is a LoupeError with a hint. Names load on first use (PEP 562): the flag_outliers verb
imports loupe.insight.outliers at start-up, and that must not load the forecasting modules too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loupe.lazy import lazy_attributes

# name -> module that defines it
_EXPORTS = {
    "Backtest": "loupe.insight.forecast",
    "Flag": "loupe.insight.outliers",
    "Forecast": "loupe.insight.forecast",
    "LinearTrend": "loupe.insight.trend",
    "flag": "loupe.insight.outliers",
    "forecast": "loupe.insight.forecast",
    "linear_trend": "loupe.insight.trend",
    "loess": "loupe.insight.loess",
    "regular": "loupe.insight.grid",
    "season_for": "loupe.insight.grid",
    "trend_words": "loupe.insight.trend",
}

__all__ = [
    "Backtest",
    "Flag",
    "Forecast",
    "LinearTrend",
    "flag",
    "forecast",
    "linear_trend",
    "loess",
    "regular",
    "season_for",
    "trend_words",
]

if TYPE_CHECKING:
    from loupe.insight.forecast import Backtest, Forecast, forecast
    from loupe.insight.grid import regular, season_for
    from loupe.insight.loess import loess
    from loupe.insight.outliers import Flag, flag
    from loupe.insight.trend import LinearTrend, linear_trend, trend_words


__getattr__ = lazy_attributes(__name__, _EXPORTS)
