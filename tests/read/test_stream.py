"""load_file streams a large CSV into the engine: the same table, notes and errors as read_bytes + load."""

from __future__ import annotations

from pathlib import Path

import pytest
from loupe.engine import Engine
from loupe.errors import LoupeError
from loupe.read import load_file, read_bytes, slices, stream
from loupe.read.slices import SlicedFile

DATA = Path(__file__).resolve().parents[1] / "data"
N = 1200  # rows in generated files: past the 1000-cell sample, several chunks


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A prefix just past the type sample and tiny chunks, so small files exercise every stage."""
    monkeypatch.setattr(stream, "PREFIX", 1000)
    monkeypatch.setattr(stream, "CHUNK", 37)
    monkeypatch.setattr(slices, "SLICE_BYTES", 100)  # multi-byte characters split across slices


def stored(engine: Engine, name: str) -> list[tuple[object, ...]]:
    columns = engine.schema(name)
    picks = ", ".join(f'"{c.name}", typeof("{c.name}")' for c in columns)
    return list(engine._conn.execute(f'SELECT {picks} FROM "{name}" ORDER BY rowid'))


def both(data: bytes, filename: str, **options: object) -> tuple[object, object]:
    """(what read_bytes + Engine.load give, what load_file gives): tables or error texts."""
    results = []
    for way in ("whole", "stream"):
        engine = Engine()
        try:
            if way == "whole":
                table = read_bytes(data, filename, options=options)
                engine.load(table)
                info = table.info()
            else:
                info = load_file(engine, data, filename, options=options)
        except LoupeError as exc:
            results.append(("error", str(exc), exc.hint, exc.row))
            continue
        results.append((info, stored(engine, info.name)))
    return results[0], results[1]


def lines(header: str, row: object, late: dict[int, str] | None = None, n: int = N) -> bytes:
    """A CSV of n rows from `row(i)`, with some rows replaced (late surprises)."""
    out = [header]
    for i in range(n):
        out.append((late or {}).get(i, row(i)))  # type: ignore[operator]
    return ("\n".join(out) + "\n").encode()


GENERATED = {
    "plain": lines("id,x,d,b,t", lambda i: f"{i},{i / 4},2024-01-{i % 28 + 1:02d},{i % 2 == 0},w{i}"),
    "int widens to float late": lines("id,x", lambda i: f"{i},{i}", {1150: "1150,2.5"}),
    "int widens to text late": lines("id,x", lambda i: f"{i},{i}", {1190: "1190,abc"}),
    "big int late": lines("id,x", lambda i: f"{i},{i}", {1100: "1100,99999999999999999999"}),
    "big int late then float": lines(
        "id,x", lambda i: f"{i},{i}", {5: "5,99999999999999999999", 1100: "1,1.5"}
    ),
    "null marker late": lines("id,x", lambda i: f"{i},{i}", {1001: "1001,NA", 1102: "1102,"}),
    "null markers early and late": lines(
        "id,x", lambda i: f"{i},{'-' if i % 100 == 0 else i}", {1101: "1,n/a"}
    ),
    "text keeps NA": lines("id,t", lambda i: f"{i},w{i}", {1105: "1105,NA", 1106: "1106,"}),
    "date then bad date": lines("d", lambda i: f"2024-01-{i % 28 + 1:02d},x", {1111: "2024-02-30,x"}),
    "ragged late": lines("a,b", lambda i: f"{i},{i}", {1111: "1,2,3"}),
    "blank lines": lines("a,b", lambda i: f"{i},{i}" if i % 50 else "", {1111: ""}),
    "trailing delimiters": lines("a,b", lambda i: f"{i},{i},"),
    "trailing delimiter stops": lines("a,b", lambda i: f"{i},{i},", {1111: "1,2,3"}),
    "empty column then value": lines("a,b", lambda i: f"{i},", {1150: "1150,7"}),
    "empty column throughout": lines("a,b", lambda i: f"{i},"),
    "empty column with markers": lines("a,b", lambda i: f"{i},NA"),
    "nulls first then numbers": lines("a,b", lambda i: f"{i}," if i < 1000 else f"{i},{i}"),
    "grouped thousands late": lines("a,b", lambda i: f'{i},"{i}"', {1190: '1,"1,234"'}),
    "unclosed quote late": lines("a,b", lambda i: f"{i},x", {1190: '1,"oops'}),
    "stray quote late": lines("a,b", lambda i: f"{i},x", {1190: '1,x"y"z'}),
    "quoted newlines": lines("a,b", lambda i: f'{i},"line\nnext, ""q"""'),
    "crlf": lines("a,b", lambda i: f"{i},{i}\r"),
    "booleans then text": lines("a,b", lambda i: f"{i},{i % 3 == 0}", {1180: "1,maybe"}),
    "floats with inf late": lines("a,b", lambda i: f"{i},{i}.5", {1180: "1,1e999"}),
    "leading zero late": lines("a,b", lambda i: f"{i},{i + 1}", {1180: "1,007"}),
    "title line": b"Report 2024\n" + lines("a,b", lambda i: f"{i},{i}.5"),
    "no header": lines("1,2", lambda i: f"{i},{i}"),
    "one column": lines("a", lambda i: f"{i}" if i % 7 else ""),
    "semicolon decimal comma": lines("a;b", lambda i: f"{i};{i},5", {1180: "1;2,25"}),
    "semicolon comma late": lines("a;b", lambda i: f"{i};{i}", {1180: "1;2,25"}),
    "duplicate names": lines("a,a,", lambda i: f"{i},{i},x"),
    "non-ASCII text": lines("id,t", lambda i: f"{i},Zürich € 東京 {i}"),
    "NUL byte late": lines("a,b", lambda i: f"{i},x", {1190: "1,x\x00y"}),
    "cp1252 byte late": lines("a,b", lambda i: f"{i},caf{i}") + b"1,caf\xe9\n",
    "UTF-16 with BOM": lines("a,b", lambda i: f"{i},ß{i}").decode().encode("utf-16"),
    "UTF-8 BOM": b"\xef\xbb\xbf" + lines("a,b", lambda i: f"{i},{i}"),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_stream_matches_whole_read_on_tricky_files(case: str) -> None:
    whole, streamed = both(GENERATED[case], "t.csv")
    assert streamed == whole


@pytest.mark.parametrize(
    "options",
    [
        {"null_values": ["-999"]},
        {"types": "text"},
        {"types": {"x": "float"}},
        {"ragged": "pad"},
        {"header": False},
    ],
)
def test_stream_matches_whole_read_with_options(options: dict[str, object]) -> None:
    data = lines("id,x", lambda i: f"{i},{-999 if i % 9 == 0 else i}", {1150: "1,2,3"})
    whole, streamed = both(data, "t.csv", **options)
    assert streamed == whole


@pytest.mark.parametrize("path", sorted(p.name for p in DATA.iterdir() if p.is_file()))
def test_stream_matches_whole_read_on_fixtures(path: str) -> None:
    whole, streamed = both((DATA / path).read_bytes(), path)
    assert streamed == whole


@pytest.mark.parametrize(
    "case", ["plain", "null marker late", "trailing delimiters", "quoted newlines", "crlf"]
)
def test_streaming_really_streams_and_keeps_every_row(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def whole_read(*args: object) -> None:
        raise AssertionError("fell back to reading the whole file")

    monkeypatch.setattr(stream, "read_text", whole_read)
    engine = Engine()
    info = load_file(engine, GENERATED[case], "plain.csv")
    assert engine.count(engine.query(info.name)) == N


@pytest.mark.parametrize("case", ["non-ASCII text", "UTF-16 with BOM", "UTF-8 BOM"])
def test_other_encodings_stream_too(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "read_text", lambda *args: pytest.fail("read the whole file"))
    engine = Engine()
    assert engine.count(engine.query(load_file(engine, GENERATED[case], "t.csv").name)) == N


@pytest.mark.parametrize("case", ["plain", "ragged late", "NUL byte late"])
def test_the_fingerprint_is_the_sha256_of_the_file_however_it_was_read(case: str, tmp_path: Path) -> None:
    """Streamed, read again whole after a late surprise, or refused: the same SHA-256 as the bytes."""
    import hashlib

    path = tmp_path / "t.csv"
    path.write_bytes(GENERATED[case])
    file = SlicedFile(str(path), fingerprint=True)
    if case == "NUL byte late":
        with pytest.raises(LoupeError, match="does not look like a text table"):
            load_file(Engine(), file, "t.csv")
    else:
        load_file(Engine(), file, "t.csv", options={"ragged": "pad"})
    assert file.sha256() == hashlib.sha256(GENERATED[case]).hexdigest()


def test_streamed_types_and_count() -> None:
    engine = Engine()
    info = load_file(engine, GENERATED["plain"], "plain.csv")
    assert info.row_count == N
    assert [c.type for c in info.columns] == ["integer", "float", "date", "boolean", "text"]
    assert engine.count(engine.query("plain")) == N


def test_a_failed_load_keeps_the_earlier_table(tmp_path: Path) -> None:
    engine = Engine()
    load_file(engine, b"a\n1\n", "t.csv")
    with pytest.raises(LoupeError):
        load_file(engine, GENERATED["ragged late"], "t.csv")
    assert engine.execute(engine.query("t")).rows == [(1,)]


def test_load_file_reads_a_path(tmp_path: Path) -> None:
    path = tmp_path / "Sales 2024.csv"
    path.write_bytes(GENERATED["plain"])
    info = load_file(Engine(), str(path))
    assert (info.name, info.row_count) == ("sales_2024", N)


def test_a_streamed_read_reports_its_progress_up_to_the_end(tmp_path: Path) -> None:
    from loupe.progress import reporting

    path = tmp_path / "long.csv"
    path.write_text("i,s\n" + "".join(f"{i},row {i}\n" for i in range(N)), encoding="utf-8")
    seen: list[tuple[str, float]] = []
    with reporting(lambda stage, fraction: seen.append((stage, fraction))):
        info = load_file(Engine(), str(path), "long.csv")
    assert info.row_count == N
    fractions = [f for stage, f in seen if stage == "reading"]
    assert len(fractions) > 10  # one report a slice of the text
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] < 0.5
    load_file(Engine(), str(path), "long.csv")  # nobody listening: no reporter, no error
    assert len(seen) == len(fractions)
