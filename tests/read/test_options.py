"""Open options from the UI: validated once, every bad field named."""

from __future__ import annotations

import pytest
from loupe.errors import ReadError
from loupe.read import ReadOptions, read_bytes
from loupe.read.options import coerce_options


def test_defaults_detect_everything() -> None:
    options = ReadOptions()
    assert (options.delimiter, options.header, options.encoding) == (None, None, None)
    assert (options.ragged, options.types, options.null_values) == ("fail", "infer", None)


def test_from_mapping_round_trip() -> None:
    raw = {
        "format": "csv",
        "delimiter": ";",
        "header": False,
        "encoding": "cp1252",
        "quotechar": "'",
        "ragged": "pad",
        "types": {"zip": "text"},
        "null_values": ["", "?"],
        "decimal": ",",
        "date_order": "dmy",
        "sheet": "Data",
        "table": "t",
        "skip_bad_lines": True,
        "max_bytes": 1000,
        "max_field_bytes": 100,
    }
    options = ReadOptions.from_mapping(raw)
    assert options.types == {"zip": "text"}
    assert options.null_values == ("", "?")
    assert options.max_bytes == 1000


def test_none_means_detect() -> None:
    assert ReadOptions.from_mapping({"delimiter": None, "header": None}) == ReadOptions()


@pytest.mark.parametrize(
    ("raw", "field", "text"),
    [
        ({"delimeter": ","}, "delimeter", 'did you mean "delimiter"?'),
        ({"delimiter": ",,"}, "delimiter", "a single character"),
        ({"delimiter": "\n"}, "delimiter", "a single character"),
        ({"header": "yes"}, "header", "true or false"),
        ({"ragged": "pda"}, "ragged", 'did you mean "pad"?'),
        ({"types": {"zip": "txt"}}, "types", 'did you mean "text"?'),
        ({"types": "auto"}, "types", '"infer", "text"'),
        ({"null_values": "NA"}, "null_values", "a list of strings"),
        ({"max_bytes": 0}, "max_bytes", "a positive whole number"),
        ({"max_bytes": True}, "max_bytes", "a positive whole number"),
        ({"format": "xls"}, "format", "'csv'"),
    ],
)
def test_bad_options_name_the_field(raw: dict[str, object], field: str, text: str) -> None:
    with pytest.raises(ReadError) as caught:
        ReadOptions.from_mapping(raw)
    assert caught.value.field == field
    assert text in str(caught.value)


def test_coerce_accepts_both_forms() -> None:
    options = ReadOptions(delimiter=";")
    assert coerce_options(options) is options
    assert coerce_options({"delimiter": ";"}) == options
    assert coerce_options(None) == ReadOptions()


def test_forced_type_for_unknown_column_is_named() -> None:
    with pytest.raises(ReadError, match='did you mean "amount"') as caught:
        read_bytes(b"amount\n1\n", "x.csv", options={"types": {"amont": "integer"}})
    assert caught.value.field == "types"


@pytest.mark.parametrize("size", [10, 11])
def test_max_bytes(size: int) -> None:
    data = b"a\n12345678"  # 10 bytes
    if size < len(data):
        with pytest.raises(ReadError, match="limit"):
            read_bytes(data, "x.csv", options={"max_bytes": size})
    else:
        assert read_bytes(data, "x.csv", options={"max_bytes": size}).rows == [(12345678,)]


def test_max_bytes_refused() -> None:
    with pytest.raises(ReadError, match="over the") as caught:
        read_bytes(b"a\n1\n2\n", "x.csv", options={"max_bytes": 3})
    assert caught.value.field == "max_bytes"
