"""Excel .xlsx to a Table via openpyxl (imported lazily), refusing what it cannot safely open.

Formula cells give their cached values (data_only); macros are never run. Before openpyxl sees the
file, the zip is checked against a size limit by declared sizes AND by actually decompressing, so a
zip bomb is refused rather than exhausting the tab's memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from loupe.errors import ReadError, did_you_mean
from loupe.read.detect import OLE_MAGIC
from loupe.read.dialect import sniff_header, sniff_preamble
from loupe.read.names import column_names, default_names
from loupe.read.options import ReadOptions
from loupe.read.tabulate import build_typed_table, check_width
from loupe.read.typed import Cell, text_of
from loupe.table import Table

MAX_UNPACKED = 512 << 20  # bytes of XML a workbook may expand to
_CHUNK = 1 << 20
_EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)
_SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx or CSV"


def read_xlsx(data: bytes, filename: str, options: ReadOptions) -> Table:
    """One sheet of a workbook (options.sheet, default the first) as a Table."""
    if data.startswith(OLE_MAGIC):
        raise _ole_error(data)
    notes: list[str] = []
    names_in_zip = check_zip(data, min(MAX_UNPACKED, options.max_bytes))
    if "xl/vbaProject.bin" in names_in_zip:
        notes.append("the workbook has macros; they were not run, only cell values are read")
    _check_xml(data, names_in_zip)
    workbook = _open(data)
    try:
        sheets = [ws.title for ws in workbook.worksheets]
        if not sheets:
            raise ReadError("the workbook has no worksheets", hint="open a workbook with data")
        sheet = options.sheet or sheets[0]
        if sheet not in sheets:
            raise ReadError(
                f"the workbook has no sheet {sheet!r}",
                field="sheet",
                hint=did_you_mean(sheet, sheets) or f"sheets: {', '.join(sheets)}",
            )
        worksheet = workbook[sheet]
        # The stored dimension can claim A1:XFD1048576 (formatting, or a hostile file); without it,
        # each row is only as wide as its last cell.
        worksheet.reset_dimensions()
        try:  # read-only sheets parse their XML lazily, while we iterate
            numbers, rows = _trim(worksheet.iter_rows(values_only=True))
        except Exception as exc:  # openpyxl raises many kinds for damaged sheets
            raise _unsafe(exc) or ReadError(f'sheet "{sheet}" is damaged: {exc}', hint=_SAVE_AS) from None
        uncomputed = _uncomputed(data, getattr(worksheet, "_worksheet_path", None))
    finally:
        workbook.close()
    if uncomputed:
        count, first = uncomputed
        notes.append(
            f"{count:,} formula cell{'s' if count > 1 else ''} without a saved value (first at {first}) "
            "read as empty; open and save the workbook in Excel to compute them"
        )
    if len(sheets) > 1:
        notes.append(f'sheet "{sheet}" (of {len(sheets)}: choose another in the open options)')
    if not rows:
        raise ReadError(f'sheet "{sheet}" is empty', hint="choose another sheet")
    errors = sum(1 for r in rows for c in r if isinstance(c, str) and c in _EXCEL_ERRORS)
    if errors:
        rows = [[None if isinstance(c, str) and c in _EXCEL_ERRORS else c for c in r] for r in rows]
        notes.append(f"{errors} formula error cell{'s' if errors > 1 else ''} (#DIV/0! ...) read as null")
    texts = [[text_of(c) or "" for c in r] for r in rows[:200]]
    skipped = sniff_preamble(texts)
    if skipped:  # a title in A1 above the table
        notes.append(
            f"{numbers[skipped] - 1} row{'s' if numbers[skipped] > 2 else ''} above the table skipped"
        )
        rows, numbers, texts = rows[skipped:], numbers[skipped:], texts[skipped:]
    width = max(len(r) for r in rows)
    check_width(width)
    header = options.header
    if header is None:
        header = sniff_header(texts)
    notes.append("first row is the header" if header else "no header row: columns numbered")
    if header:
        names, name_notes = column_names([*rows[0], *[None] * (width - len(rows[0]))])
        notes.extend(name_notes)
        rows, numbers = rows[1:], numbers[1:]
    else:
        names = default_names(width)
    columns: list[list[Cell]] = [[r[j] if j < len(r) else None for r in rows] for j in range(width)]
    source: dict[str, object] = {
        "format": "xlsx",
        "sheet": sheet,
        "choices": sheets,
        "header": header,
    }
    return build_typed_table(names, columns, options, notes=notes, source=source, row_of=lambda i: numbers[i])


def check_zip(data: bytes, limit: int) -> set[str]:
    """The member names of a workbook zip, after checking it unpacks to at most `limit` bytes.

    Declared sizes can lie, so every member is also decompressed and counted, stopping at the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, but also struct and value errors for mangled headers
        raise ReadError("the workbook is damaged (not a valid zip)", hint=_SAVE_AS) from None
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        _check_kind(names)
        declared = sum(m.file_size for m in members)
        if declared > limit:
            raise _bomb(declared, limit)
        total = 0
        for member in members:
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise _bomb(total, limit)
            except ReadError:
                raise
            except Exception as exc:  # BadZipFile, zlib.error, EOFError, encrypted members...
                raise ReadError(f"the workbook is damaged: {exc}", hint=_SAVE_AS) from None
    return names


def _check_kind(names: set[str]) -> None:
    if "xl/workbook.xml" in names:
        return
    if "EncryptedPackage" in names:
        raise ReadError("the workbook is password-protected", hint="remove the password first")
    if any(n.startswith("word/") for n in names):
        what = "a Word document"
    elif any(n.startswith("ppt/") for n in names):
        what = "a PowerPoint presentation"
    elif "content.xml" in names:
        what = "an OpenDocument file (.ods)"
    else:
        what = "a zip archive"
    raise ReadError(f"this is {what}, not an Excel workbook", hint=_SAVE_AS)


def _bomb(size: int, limit: int) -> ReadError:
    return ReadError(
        f"the workbook unpacks to over {size >> 20} MB, more than the {limit >> 20} MB limit",
        hint="it may be a zip bomb; if it is real, export the sheet as CSV",
    )


def _ole_error(data: bytes) -> ReadError:
    """OLE containers: legacy .xls, or an encrypted (password-protected) .xlsx."""
    if "EncryptionInfo".encode("utf-16-le") in data[: 1 << 20] or b"EncryptedPackage" in data:
        return ReadError("the workbook is password-protected", hint="remove the password first")
    return ReadError(
        "this is a legacy Excel 97-2003 (.xls) or other Office file, which is not supported",
        hint=_SAVE_AS,
    )


def _open(data: bytes) -> Any:
    try:
        import openpyxl  # lazily: start-up in the browser should not pay for it
    except ImportError:
        raise ReadError(
            "Excel support is not installed", hint="install openpyxl, or save the sheet as CSV"
        ) from None
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise _unsafe(exc) or ReadError(f"the workbook cannot be read: {exc}", hint=_SAVE_AS) from None


_UNSAFE = "the workbook contains unsafe XML (entity expansion) and was not read"
_UNSAFE_HINT = "open it in a spreadsheet program you trust and save it again, or export it as CSV"


def _check_xml(data: bytes, names: set[str]) -> None:
    """Refuse a document type declaration in any part: Office never writes one, and its entities
    are how an XML bomb expands (openpyxl's own message would only say "invalid XML")."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in names:
            if name.endswith((".xml", ".rels")):
                with archive.open(name) as member:
                    head = member.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise ReadError(_UNSAFE, hint=_UNSAFE_HINT, snippet=name)


def _unsafe(exc: BaseException) -> ReadError | None:
    """The unsafe-XML error when defusedxml refused a part (somewhere in the exception's chain)."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__module__.startswith("defusedxml"):
            return ReadError(_UNSAFE, hint=_UNSAFE_HINT)
        seen = seen.__cause__ or seen.__context__
    return None


# A cell with a formula (<f>) and no cached value (<v> missing or empty); self-closing cells excluded.
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*(?<!/)>(.*?)</c>', re.S)
_VALUE = re.compile(rb"<v>[^<]")


def _uncomputed(data: bytes, path: str | None) -> tuple[int, str] | None:
    """How many formula cells of the sheet have no cached value, and the first one's address."""
    if not path:
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read(path.lstrip("/"))
        except KeyError:
            return None
    if b"<f" not in xml:
        return None
    missing = [
        m.group(1) for m in _CELL.finditer(xml) if b"<f" in m.group(2) and not _VALUE.search(m.group(2))
    ]
    return (len(missing), missing[0].decode()) if missing else None


def _trim(rows: Iterable[Sequence[object]]) -> tuple[list[int], list[list[Cell]]]:
    """Sheet row numbers and rows without trailing empty cells; blank rows are dropped."""
    numbers: list[int] = []
    out: list[list[Cell]] = []
    for number, row in enumerate(rows, start=1):
        cells: list[Cell] = [None if c == "" else c for c in row]  # type: ignore[misc]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            numbers.append(number)
            out.append(cells)
    return numbers, out
