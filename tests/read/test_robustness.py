"""Whatever bytes arrive, reading either gives a Table or a ReadError: never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loupe.errors import ReadError
from loupe.read import read_bytes

FILENAMES = st.sampled_from(["x.csv", "x.tsv", "x.json", "x.jsonl", "x.xlsx", "x.sqlite", "x.txt", "x"])
# Text made of the characters that steer the readers, so the interesting paths are reached.
STEERING = st.text(alphabet=",;|\t\n\r\"'{}[]:0123456789.-+eE/ TtrufalsNA\\x\x00é", max_size=200)


def read_or_refuse(data: bytes, filename: str, options: dict[str, object]) -> None:
    try:
        table = read_bytes(data, filename, options=options)
    except ReadError as error:
        assert (error.message and error.hint is not None) or error.field is not None, error
        return
    assert len(table.column_names) == len(table.columns)
    assert all(len(row) == len(table.columns) for row in table.rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), FILENAMES)
def test_random_bytes(data: bytes, filename: str) -> None:
    read_or_refuse(data, filename, {})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    STEERING,
    FILENAMES,
    st.fixed_dictionaries(
        {},
        optional={
            "ragged": st.sampled_from(["fail", "pad", "skip"]),
            "header": st.booleans(),
            "types": st.sampled_from(["infer", "text"]),
            "skip_bad_lines": st.booleans(),
            "decimal": st.sampled_from([".", ","]),
        },
    ),
)
def test_steering_text(text: str, filename: str, options: dict[str, object]) -> None:
    read_or_refuse(text.encode("utf-8", "surrogatepass"), filename, options)
