"""Nice ticks and nice domains, table-driven."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from loupe.render.ticks import linear_ticks, log_ticks, nice_domain, tick_step


@pytest.mark.parametrize(
    ("start", "stop", "count", "expected"),
    [
        (0, 10, 5, [0, 2, 4, 6, 8, 10]),
        (0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, 100, 4, [0, 20, 40, 60, 80, 100]),
        (-3, 3, 6, [-3, -2, -1, 0, 1, 2, 3]),
        (0.1, 0.35, 5, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]),
        (1234, 5678, 4, [2000, 3000, 4000, 5000]),
        (5, 5, 5, [5]),
        (10, 0, 5, [0, 2, 4, 6, 8, 10]),
    ],
)
def test_linear_ticks(start: float, stop: float, count: int, expected: list[float]) -> None:
    assert linear_ticks(start, stop, count) == expected


def test_ticks_have_no_float_noise() -> None:
    assert linear_ticks(0, 0.3, 3) == [0.0, 0.1, 0.2, 0.3]
    assert all(len(repr(t)) <= 5 for t in linear_ticks(0, 1, 10))


@pytest.mark.parametrize(
    ("start", "stop", "count", "expected"),
    [
        (0.2, 9.7, 5, (0, 10)),
        (3, 97, 5, (0, 100)),
        (-13, 42, 5, (-20, 50)),
        (0, 0, 5, (0, 1)),
        (5, 5, 5, (4.4, 5.6)),
        (1234, 1299, 5, (1230, 1300)),
    ],
)
def test_nice_domain(start: float, stop: float, count: int, expected: tuple[float, float]) -> None:
    assert nice_domain(start, stop, count) == expected


def test_tick_step_uses_1_2_5() -> None:
    assert tick_step(0, 100, 5) == 20
    assert tick_step(0, 100, 10) == 10
    assert tick_step(0, 100, 2) == 50
    assert tick_step(0, 0, 5) == 0


def test_log_ticks() -> None:
    assert log_ticks(1, 1000, 5) == [1, 10, 100, 1000]
    assert log_ticks(1, 100, 10) == [1, 2, 5, 10, 20, 50, 100]
    with pytest.raises(ValueError):
        log_ticks(0, 10)


@given(
    st.floats(-1e9, 1e9, allow_nan=False),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.integers(2, 10),
)
# Found by a random run: two values one float step apart gave nine ticks all equal to 999999999.9999999.
@example(1e9, 999999999.9999999, 4)
def test_nice_domain_covers_the_data_and_ends_on_ticks(a: float, b: float, count: int) -> None:
    lo, hi = nice_domain(a, b, count)
    assert lo <= min(a, b) and hi >= max(a, b)
    ticks = linear_ticks(lo, hi, count)
    assert ticks and ticks == sorted(ticks)
    assert len(ticks) <= 3 * count + 1
    assert len(set(ticks)) == len(ticks)
