"""A one-sheet .xlsx workbook written with the standard library (zipfile and escaped XML), so the page
needs no package to export Excel files.

Text is an inline string (never a formula, whatever it starts with); numbers are numbers; booleans
are booleans; dates and datetimes are spreadsheet dates shown as ISO 8601; None is an empty cell. An
integer a spreadsheet's double cannot hold exactly (beyond 2^53) is written as its digits in text.

>>> import io, zipfile
>>> data = workbook("s", ["a"], [["=1+1"]])
>>> b'<c r="A2" t="inlineStr"><is><t xml:space="preserve">=1+1</t></is></c>' in zipfile.ZipFile(
...     io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
True
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import TypeAlias
from xml.sax.saxutils import escape, quoteattr

XlsxValue: TypeAlias = bool | int | float | str | dt.date | dt.datetime | None

_EXACT = 2**53  # integers past this are not exact in a spreadsheet's double
_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (with its leap-year quirk)
# XML 1.0 cannot carry these at all (a NUL in a CSV cell, a stray surrogate): they become U+FFFD.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_DATE_STYLE, _DATETIME_STYLE, _HEADER_STYLE = 1, 2, 3
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>"""
# Styles: 0 plain, 1 a date, 2 a datetime (both ISO 8601, as Loupe shows them), 3 the bold header.
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""


def sheet_name(name: str) -> str:
    """A name a spreadsheet accepts for a sheet: no [ ] : * ? / \\, at most 31 characters.

    >>> sheet_name("my/sheet"), sheet_name("")
    ('mysheet', 'data')
    """
    return _SHEET_NAME_UNSAFE.sub("", _ILLEGAL.sub("", name))[:31].strip("'") or "data"


def column_letters(index: int) -> str:
    """A 0-based column index as the sheet's letters.

    >>> column_letters(0), column_letters(25), column_letters(26), column_letters(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, text: str, style: str = "") -> str:
    body = escape(_ILLEGAL.sub("\ufffd", text))
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def _cell(ref: str, value: XlsxValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        if -_EXACT <= value <= _EXACT:
            return f'<c r="{ref}"><v>{value}</v></c>'
        return _text_cell(ref, str(value))
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        days = (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{days!r}</v></c>'
    if isinstance(value, dt.date):
        days = (value - _EPOCH.date()).days
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{days}</v></c>'
    return _text_cell(ref, str(value))


def workbook(sheet: str, header: Sequence[str], rows: Iterable[Sequence[XlsxValue]]) -> bytes:
    """The bytes of an .xlsx file with one sheet: a bold header row, then `rows`."""
    letters = [column_letters(i) for i in range(len(header))]
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
        ' state="frozen"/></sheetView></sheetViews><sheetData><row r="1">',
        *(
            _text_cell(f"{c}1", name, f' s="{_HEADER_STYLE}"')
            for c, name in zip(letters, header, strict=True)
        ),
        "</row>",
    ]
    for number, row in enumerate(rows, start=2):
        cells = "".join(_cell(f"{c}{number}", v) for c, v in zip(letters, row, strict=True))
        parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    book = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><sheets><sheet name={quoteattr(sheet_name(sheet))} sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buffer.getvalue()
