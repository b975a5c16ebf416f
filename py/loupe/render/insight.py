"""Trend and forecast marks drawn on top of a line, area or scatter chart, and their words.

Planned in data units first (`plan_overlay`), because a forecast widens both axes: the x axis must
reach the last forecast step and the y axis the widest interval. Then `draw_overlay` turns the plan
into paths once the chart's scales exist. A trend or forecast that cannot be made (too few points,
x not dates) becomes a note under the chart instead of an error: the chart itself still stands.

Classes: `insight` on the group; `trend-line`, `trend-band`; `forecast-line`, `forecast-band
forecast-80`, `forecast-band forecast-95`. The words ("Trend: +3.2 % a month (R² 0.81)",
"Forecast: 6 months ahead by Holt-Winters (season 12)." "Backtest on the last 6 months: MAPE 4.2 %.")
go into the chart's notes, and so into its description.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from loupe.errors import LoupeError
from loupe.insight.grid import guess_grain, regular, season_for, start_of
from loupe.render.chartkit import label, number
from loupe.render.spec import ChartSpec
from loupe.render.timescale import parse_time, to_datetime
from loupe.render.tree import Node, h
from loupe.table import Value

BAND_SAMPLES = 40  # points along a linear trend's curved confidence band
LOESS_POINTS = 1000  # a longer series is thinned (evenly in x order) before smoothing
LOESS_FRAC = 2 / 3
WORDS_SHOWN = 4  # more sentences than this (several series): they go in the description only

Group = tuple[Value, list[tuple[Value, float | None]]]  # (series label, [(x, y)])


@dataclass(frozen=True)
class Layer:
    """One path: a line through `upper`, or a band between `lower` and `upper` (x in data units)."""

    kind: str  # trend-line, trend-band, forecast-line, forecast-80, forecast-95
    series: int
    upper: list[tuple[float, float]]
    lower: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Overlay:
    """What the insight adds to a chart: layers, words, and the data extent the axes must hold."""

    layers: list[Layer] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra_x: list[Value] = field(default_factory=list)
    extra_y: list[float] = field(default_factory=list)


def _x_number(value: Value, time: bool) -> float | None:
    return parse_time(value) if time else number(value)


def _iso(seconds: float, with_time: bool) -> str:
    moment = to_datetime(seconds)
    return moment.isoformat() if with_time else dt.date(moment.year, moment.month, moment.day).isoformat()


def _prefix(name: Value, several: bool) -> str:
    return f"{label(name)}: " if several else ""


def _trend(spec: ChartSpec, groups: Sequence[Group], time: bool, out: Overlay) -> None:
    # Imported when a chart asks for a trend: they import statistics, slow to load in the page.
    from loupe.insight.trend import linear_trend, trend_words

    several = len(groups) > 1
    for index, (name, pairs) in enumerate(groups):
        xs = [_x_number(x, time) for x, _ in pairs]
        ys = [y for _, y in pairs]
        try:
            if spec.trend == "loess":
                _loess(index, xs, ys, out)
                out.words.append(
                    f"{_prefix(name, several)}Trend: a LOESS curve through {len(pairs):,} points."
                )
                continue
            fit = linear_trend(xs, ys)
        except LoupeError as error:
            out.notes.append(f"{_prefix(name, several)}No trend: {error.message}.")
            continue
        known = [x for x in xs if x is not None]
        lo, hi = min(known), max(known)
        out.layers.append(Layer("trend-line", index, [(lo, fit.at(lo)), (hi, fit.at(hi))]))
        if fit.band(lo) is not None:
            steps = [lo + (hi - lo) * k / (BAND_SAMPLES - 1) for k in range(BAND_SAMPLES)]
            bands = [(x, fit.band(x) or (0.0, 0.0)) for x in steps]
            upper = [(x, b[1]) for x, b in bands]
            lower = [(x, b[0]) for x, b in bands]
            out.layers.append(Layer("trend-band", index, upper, lower))
            out.extra_y.extend(y for _, y in upper + lower)
        words = trend_words(fit, time_unit=spec.time_unit, span=hi - lo) if time else trend_words(fit)
        if not time:
            words = words.replace("per 1 of x", f"per 1 of {spec.x}")
        out.words.append(_prefix(name, several) + words + ".")


def _loess(index: int, xs: list[float | None], ys: list[float | None], out: Overlay) -> None:
    from loupe.insight.loess import loess

    pairs = sorted((x, y) for x, y in zip(xs, ys, strict=True) if x is not None and y is not None)
    if len(pairs) > LOESS_POINTS:
        stride = len(pairs) / LOESS_POINTS
        pairs = [pairs[int(k * stride)] for k in range(LOESS_POINTS)]
    span = (pairs[-1][0] - pairs[0][0]) if pairs else 0.0
    curve = loess([p[0] for p in pairs], [p[1] for p in pairs], frac=LOESS_FRAC, delta=0.01 * span)
    out.layers.append(Layer("trend-line", index, curve))
    out.extra_y.extend(y for _, y in curve)


def _forecast(spec: ChartSpec, groups: Sequence[Group], out: Overlay) -> None:
    from loupe.insight.forecast import forecast

    assert spec.horizon is not None
    moments = [parse_time(x) for _, pairs in groups for x, _ in pairs]
    known = [m for m in moments if m is not None]
    if not known:
        out.notes.append(f"No forecast: {spec.x} holds no dates.")
        return
    grain = spec.time_unit or guess_grain(known)
    with_time = grain == "hour" or any(m % 86_400 for m in known)
    season = spec.season or season_for(grain)
    several = len(groups) > 1
    future: set[float] = set()
    for index, (name, pairs) in enumerate(groups):
        try:
            first, values = regular([parse_time(x) for x, _ in pairs], [y for _, y in pairs], grain)
            result = forecast(values, horizon=spec.horizon, season=season)
            last_step = first + len(values) - 1
            xs = [start_of(last_step + k, grain) for k in range(1, spec.horizon + 1)]
        except LoupeError as error:
            out.notes.append(f"{_prefix(name, several)}No forecast: {error.message}.")
            continue
        last_value = next(v for v in reversed(values) if v is not None)
        start = (start_of(last_step, grain), last_value)
        future.update(xs)

        def path(
            ys: Sequence[float], xs: list[float] = xs, start: tuple[float, float] = start
        ) -> list[tuple[float, float]]:
            return [start, *zip(xs, ys, strict=True)]

        out.layers.append(Layer("forecast-95", index, path(result.upper95), path(result.lower95)))
        out.layers.append(Layer("forecast-80", index, path(result.upper80), path(result.lower80)))
        out.layers.append(Layer("forecast-line", index, path(result.values)))
        out.extra_y.extend([*result.upper95, *result.lower95])
        # One sentence a line: the method, the backtest, then why a simpler method was used.
        parts = result.words(grain).rstrip(".").split("; ")
        out.words.extend(_prefix(name, several) + p[:1].upper() + p[1:] + "." for p in parts)
    out.extra_x.extend(_iso(s, with_time) for s in sorted(future))


def plan_overlay(spec: ChartSpec, groups: Sequence[Group], x_kind: str) -> Overlay:
    """The trend and forecast layers for the groups (one per series), in data units.

    `x_kind` is the x Position's kind: "time", "linear", "log" or "point" (no trend on categories).
    A chart draws twice (a layout pass, then the marks), so the last few plans are remembered.
    """
    frozen = tuple((name, tuple(pairs)) for name, pairs in groups)
    return _plan(spec, frozen, x_kind)


@functools.lru_cache(maxsize=4)
def _plan(
    spec: ChartSpec, groups: tuple[tuple[Value, tuple[tuple[Value, float | None], ...]], ...], x_kind: str
) -> Overlay:
    out = Overlay()
    if spec.trend is not None:
        if x_kind == "point":
            out.notes.append(f"No trend: {spec.x} holds neither numbers nor dates.")
        else:
            _trend(spec, [(n, list(p)) for n, p in groups], x_kind == "time", out)
    if spec.horizon is not None:
        if x_kind != "time":
            out.notes.append(f"No forecast: {spec.x} holds no dates.")
        else:
            _forecast(spec, [(n, list(p)) for n, p in groups], out)
    return out


def shown_notes(overlay: Overlay) -> tuple[list[str], list[str]]:
    """(sentences for the visible notes, sentences for the description only)."""
    if len(overlay.words) > WORDS_SHOWN:
        return overlay.notes, overlay.words
    return overlay.words + overlay.notes, []


_STYLE = {
    "trend-line": {"fill": "none", "stroke-width": 2, "stroke-dasharray": "6 3"},
    "trend-band": {"fill-opacity": 0.15, "stroke": "none"},
    "forecast-line": {"fill": "none", "stroke-width": 2, "stroke-dasharray": "4 3"},
    "forecast-80": {"fill-opacity": 0.25, "stroke": "none"},
    "forecast-95": {"fill-opacity": 0.12, "stroke": "none"},
}
_CLASS = {
    "trend-line": "trend-line",
    "trend-band": "trend-band",
    "forecast-line": "forecast-line",
    "forecast-80": "forecast-band forecast-80",
    "forecast-95": "forecast-band forecast-95",
}


def draw_overlay(
    overlay: Overlay,
    x_px: Callable[[float], float | None],
    y_px: Callable[[float], float],
    colour: Callable[[int], str],
) -> Node | None:
    """The overlay's paths (bands first, lines on top) in one `g class="insight"`, or None."""
    if not overlay.layers:
        return None
    order = sorted(overlay.layers, key=lambda layer: layer.kind.endswith("line"))
    paths: list[Node | str | None] = []
    for layer in order:
        ring = layer.upper + list(reversed(layer.lower))
        coords = [(x_px(x), y_px(y)) for x, y in ring]
        drawn = [f"{px:.2f},{py:.2f}" for px, py in coords if px is not None]
        if len(drawn) < 2:
            continue
        d = "M" + "L".join(drawn) + ("Z" if layer.lower else "")
        style = dict(_STYLE[layer.kind])
        style["stroke" if layer.kind.endswith("line") else "fill"] = colour(layer.series)
        paths.append(h("path", {"class": _CLASS[layer.kind], "d": d, **style, "data-series": layer.series}))
    return h("g", {"class": "insight", "aria-hidden": "true"}, *paths)


def time_px(to_px: Callable[[Value], float | None]) -> Callable[[float], float | None]:
    """An x mapping in seconds for a time Position (which maps ISO strings)."""
    return lambda seconds: to_px(to_datetime(seconds).isoformat())
