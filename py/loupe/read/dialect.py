"""Sniff a delimited file from its first lines: the delimiter, title lines above the table, and
whether the table's first row is a header."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence

from loupe.read.kinds import cell_kind
from loupe.read.options import DELIMITERS

SNIFF_CHARS = 64 * 1024
SNIFF_RECORDS = 200
MAX_PREAMBLE = 10  # title lines above a table ("Account statement", "Exported 2024-05-01")
DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}


def sniff_delimiter(text: str, filename: str = "", quotechar: str = '"', *, tab_first: bool = False) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields (> 1).

    A .tsv/.tab extension (or `tab_first`: the user chose the TSV format) makes tab win whenever
    it splits anything; otherwise ties go to comma, tab, semicolon, pipe in that order.

    >>> sniff_delimiter("a;b\\n1,5;2\\n")
    ';'
    """
    sample = _sample(text)
    tab_first = tab_first or filename.lower().endswith((".tsv", ".tab"))
    if tab_first and _max_width(sample, "\t", quotechar) > 1:
        return "\t"
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        score = _score(sample, delimiter, quotechar)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sniff_preamble(records: Sequence[Sequence[str]]) -> int:
    """How many leading records are title lines, not the table: at most MAX_PREAMBLE of them, each
    at most half as wide as the table below, which must start right after them with a row that is
    clearly a header (text over numbers or dates), so prose with stray delimiters is left alone.

    >>> sniff_preamble([["Sales report"], ["a", "b"], ["1", "2"], ["3", "4"]])
    1
    """
    sample = records[:SNIFF_RECORDS]
    if len(sample) < 3:
        return 0
    width = Counter(map(len, sample)).most_common(1)[0][0]
    count = 0
    while count < min(MAX_PREAMBLE, len(sample) - 2) and len(sample[count]) <= width // 2:
        count += 1
    if not count or len(sample[count]) not in (width, width - 1):
        return 0
    return count if _evidence(sample[count:])[0] else 0


def sniff_header(records: Sequence[Sequence[str]]) -> bool:
    """Whether the first record names the columns.

    Evidence for a header: a column whose first cell is text while the cells below are all numbers,
    dates or booleans. Evidence against: a typed first cell with cells of the same kind below.
    Without either (all text), assume a header when the first row has no empty or repeated cells.

    >>> sniff_header([["id", "when"], ["1", "2024-01-02"]]), sniff_header([["1", "x"], ["2", "y"]])
    (True, False)
    """
    if not records:
        return True
    first, rest = records[0], records[1:SNIFF_RECORDS]
    for_header, against = _evidence(records)
    if for_header:
        return True
    if against:
        return False
    cells = [c.strip() for c in first]
    if not rest:  # a lone row: names, unless it holds numbers or dates
        return all(cell_kind(c) in ("text", "empty") for c in cells)
    return all(cells) and len(set(cells)) == len(cells)


def _evidence(records: Sequence[Sequence[str]]) -> tuple[bool, bool]:
    """(for, against) the first record being a header, column by column."""
    first, rest = records[0], records[1:SNIFF_RECORDS]
    for_header = against = False
    for j, top in enumerate(first):
        below = {cell_kind(r[j]) for r in rest if j < len(r)} - {"empty"}
        kind = cell_kind(top)
        if kind == "text" and below and "text" not in below:
            for_header = True
        elif kind == "text" and below == {"text"} and _shaped_below(top, [r[j] for r in rest if j < len(r)]):
            for_header = True  # a name over values of one shape, whatever their type: not data
        elif kind not in ("text", "empty") and below == {kind}:
            against = True
    return for_header, against


_DIGITS, _LETTERS = re.compile(r"[0-9]+"), re.compile(r"[^\W\d_]+")


def _shape(cell: str) -> str:
    """'10/13/98' -> '9/9/9', 'Jan 1 2000' -> 'a 9 9': what a cell looks like, not what it is."""
    return _LETTERS.sub("a", _DIGITS.sub("9", cell.strip()))


def _shaped_below(top: str, below: list[str]) -> bool:
    """Cells below that all share one shape with digits in it, under a top cell without digits."""
    shapes = {_shape(c) for c in below if c.strip()}
    return len(shapes) == 1 and len(below) >= 2 and "9" in next(iter(shapes)) and "9" not in _shape(top)


def _sample(text: str) -> list[str]:
    """Whole first lines: a cut inside a quoted field spoils only the last record, so drop it."""
    head = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in head:
        head = head[: head.rindex("\n")]
    return head.splitlines(keepends=True)


def _records(sample: list[str], delimiter: str, quotechar: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO("".join(sample), newline=""), delimiter=delimiter, quotechar=quotechar)
    out: list[list[str]] = []
    try:
        for record in reader:
            if record:
                out.append(record)
            if len(out) >= SNIFF_RECORDS:
                break
    except csv.Error:
        pass  # judged on what parsed; the real read reports the error with its line
    return out


def _max_width(sample: list[str], delimiter: str, quotechar: str) -> int:
    return max((len(r) for r in _records(sample, delimiter, quotechar)), default=0)


def _score(sample: list[str], delimiter: str, quotechar: str) -> tuple[float, int]:
    """(share of records with the most common width, that width); 0 when it never splits, or when
    the first row (the header, usually) is split differently: "note\\nhello; world" is one column."""
    records = _records(sample, delimiter, quotechar)
    records = records[sniff_preamble(records) :]
    widths = Counter(len(r) for r in records)
    if not widths:
        return (0.0, 0)
    width, count = widths.most_common(1)[0]
    if width < 2 or len(records[0]) not in (width, width - 1):
        return (0.0, 0)
    if len(records[0]) == width - 1 and any(r[-1] for r in records[1:] if len(r) == width):
        return (0.0, 0)  # one short header is only fine if the rows end in an empty field
    return (round(count / sum(widths.values()), 2), width)
