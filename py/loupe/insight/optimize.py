"""Nelder-Mead minimisation inside a box, for fitting smoothing parameters without scipy."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def _clip(point: Sequence[float], low: float, high: float) -> list[float]:
    return [min(high, max(low, v)) for v in point]


def nelder_mead(
    f: Callable[[list[float]], float],
    start: Sequence[float],
    *,
    low: float = 0.0,
    high: float = 1.0,
    step: float = 0.1,
    max_evals: int = 400,
    tolerance: float = 1e-8,
) -> tuple[list[float], float]:
    """The best point found and its value; every coordinate stays within [low, high].

    >>> point, value = nelder_mead(lambda p: (p[0] - 0.3) ** 2, [0.5])
    >>> round(point[0], 4)
    0.3
    """
    dims = len(start)
    simplex = [_clip(start, low, high)]
    for i in range(dims):
        vertex = list(simplex[0])
        vertex[i] = vertex[i] + step if vertex[i] + step <= high else vertex[i] - step
        simplex.append(_clip(vertex, low, high))
    values = [f(p) for p in simplex]
    evals = len(values)
    while evals < max_evals:
        order = sorted(range(dims + 1), key=lambda k: values[k])
        simplex = [simplex[k] for k in order]
        values = [values[k] for k in order]
        if abs(values[-1] - values[0]) <= tolerance * (abs(values[0]) + tolerance):
            break
        centroid = [sum(p[i] for p in simplex[:-1]) / dims for i in range(dims)]
        worst = simplex[-1]

        def toward(
            factor: float, worst: list[float] = worst, centroid: list[float] = centroid
        ) -> list[float]:
            return _clip([c + factor * (c - w) for c, w in zip(centroid, worst, strict=True)], low, high)

        reflected = toward(1.0)
        fr = f(reflected)
        evals += 1
        if fr < values[0]:
            expanded = toward(2.0)
            fe = f(expanded)
            evals += 1
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = toward(0.5 if fr < values[-1] else -0.5)
            fc = f(contracted)
            evals += 1
            if fc < min(fr, values[-1]):
                simplex[-1], values[-1] = contracted, fc
            else:
                best = simplex[0]
                simplex = [best] + [
                    [b + 0.5 * (v - b) for b, v in zip(best, p, strict=True)] for p in simplex[1:]
                ]
                values = [values[0]] + [f(p) for p in simplex[1:]]
                evals += dims
    k = min(range(len(values)), key=lambda j: values[j])
    return simplex[k], values[k]
