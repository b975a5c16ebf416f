"""Insight: trends, forecasts and outliers in pure Python, explained in words.

Pure functions over lists of numbers (no numpy: the same code runs in the page and the CLI).
Every refusal is a LoupeError with a hint.
"""

from __future__ import annotations

from loupe.insight.forecast import Backtest, Forecast, forecast
from loupe.insight.grid import regular, season_for
from loupe.insight.loess import loess
from loupe.insight.outliers import Flag, flag
from loupe.insight.trend import LinearTrend, linear_trend, trend_words

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
