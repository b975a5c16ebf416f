from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from loupe.engine import Engine
from loupe.errors import SpecError
from loupe.table import Column, Table


@pytest.fixture
def numbers(make_engine: Callable[[], Any]) -> Engine:
    engine = make_engine()
    engine.load(Table("n", (Column("i", "integer"),), [(i,) for i in range(1000)]))
    return engine


def sample(engine: Engine, **fields: Any) -> list[int]:
    return [r[0] for r in engine.run([{"verb": "sample", **fields}], "n").rows]  # type: ignore[misc]


def test_same_seed_same_rows_in_original_order(numbers: Engine) -> None:
    first = sample(numbers, n=50, seed=7)
    assert first == sample(numbers, n=50, seed=7)
    assert len(first) == 50 and first == sorted(first)
    assert first != sample(numbers, n=50, seed=8)


def test_fraction_is_roughly_that_share(numbers: Engine) -> None:
    got = sample(numbers, fraction=0.2, seed=1)
    assert 120 < len(got) < 280
    assert got == sample(numbers, fraction=0.2, seed=1)
    assert sample(numbers, fraction=0) == [] and len(sample(numbers, fraction=1)) == 1000


def test_n_larger_than_table(numbers: Engine) -> None:
    assert len(sample(numbers, n=5000)) == 1000


@pytest.mark.parametrize(
    "fields", [{}, {"n": 1, "fraction": 0.5}, {"fraction": 2}, {"n": -1}, {"n": 5, "seed": "x"}]
)
def test_bad_sample(run: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(SpecError):
        run({"verb": "sample", **fields})
