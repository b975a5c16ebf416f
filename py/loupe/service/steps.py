"""What the page's step forms are built from: every verb's form record, and steps in words."""

from __future__ import annotations

from typing import Any

from loupe.errors import LoupeError
from loupe.pipeline import parse_step
from loupe.service.request import Request, steps_of
from loupe.verbs import REGISTRY


def verbs(request: Request) -> dict[str, Any]:
    """Every verb's form record (fields with kind, label, help; one example) for the page to build its
    forms from, and `steps` in words (null for a step that does not parse: running it says why)."""
    texts: list[str | None] = []
    for number, raw in enumerate(steps_of(request.params.get("steps")), 1):
        try:
            step = parse_step(raw, number)
        except LoupeError:
            texts.append(None)
            continue
        texts.append(REGISTRY[step.verb].describe(step.spec))
    return {"verbs": [verb.form() for verb in REGISTRY.values()], "steps_text": texts}
