"""The explorer's step examples (public/step-examples.json) run on the sample: one per registered verb."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from loupe import api
from loupe.sample import sample_csv
from loupe.verbs import REGISTRY

EXAMPLES: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "public" / "step-examples.json").read_text(encoding="utf-8")
)


def test_every_registered_verb_has_an_example() -> None:
    assert set(EXAMPLES) == set(REGISTRY)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("examples")
    (folder / "targets.csv").write_text("region,target\nNorth,1000\nSouth,900\n", encoding="utf-8")
    (folder / "sales.csv").write_text(sample_csv(), encoding="utf-8")
    for name in ("targets.csv", "sales.csv"):  # sales last: it is the current table
        reply = api.handle("open", {"session": "examples", "path": str(folder / name), "filename": name})
        assert reply["ok"], reply
    return "examples"


@pytest.mark.parametrize("verb", sorted(EXAMPLES))
def test_example_runs_on_the_sample(session: str, verb: str) -> None:
    reply = api.handle("view", {"session": session, "pipeline": [EXAMPLES[verb]], "limit": 5})
    assert reply["ok"], reply.get("error")
    assert reply["result"]["row_count"] > 0
