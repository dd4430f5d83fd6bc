"""Real Excel Binary Workbooks (.xlsb) for tests, written record by record as [MS-XLSB] describes.

No Python library writes .xlsb and LibreOffice cannot export it, yet councils saved returns
in it; the importer reads it with calamine.  This writer makes genuine files so that path is
tested: an Office Open XML zip package whose workbook, sheet, shared-string and style parts
are BIFF12 record streams.  Each record is a type and a size, both variable-length
(7 bits a byte, the high bit saying another byte follows), then the record's data.

What is written, per [MS-XLSB] 2.1.7 (parts) and 2.4 (records):

* ``[Content_Types].xml``, ``_rels/.rels`` and ``xl/_rels/workbook.bin.rels``;
* ``xl/workbook.bin``: BrtBeginBook, BrtWbProp, BrtBeginBundleShs, one BrtBundleSh per sheet
  (visible, its relationship id and name), BrtEndBundleShs, BrtEndBook;
* ``xl/worksheets/sheetN.bin``: BrtBeginSheet, BrtWsDim, BrtBeginSheetData, then per row with
  cells a BrtRowHdr (with its column spans) and the cells, BrtEndSheetData, BrtEndSheet;
* ``xl/sharedStrings.bin`` (BrtBeginSst, BrtSSTItem..., BrtEndSst) when strings are shared;
* ``xl/styles.bin``: a style sheet of defaults only (one font, the two fills every workbook
  has, one border, one cell style format, one cell format, the Normal style, no differential
  formats, no table styles), which every cell's style index 0 refers to.

Cells: text as BrtCellIsst (an index into the shared strings, as Excel saves) or, with
``shared_strings=False``, inline as BrtCellSt; booleans as BrtCellBool; whole numbers that fit
in 30 bits as BrtCellRk (as Excel saves them, read back as ints); every other number as
BrtCellReal (an IEEE double).  ``None`` and ``""`` leave the cell blank: no record at all,
as Excel saves a blank cell without formatting.  Not written: formulas, dates (a date is a
number with a date format), rich text, merged cells, column widths, hidden sheets, macros.
"""

from __future__ import annotations

import math
import struct
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

CellValue = str | float | int | bool | None

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELL_CHARACTERS = 32_767
MAX_SHEET_NAME = 31
_FORBIDDEN_IN_SHEET_NAMES = frozenset("[]:*?/\\")
_COLUMN_BLOCK = 1024  # a row's column spans are given per block of 1,024 columns
_RK_INT_MIN, _RK_INT_MAX = -(2**29), 2**29 - 1  # a 30-bit signed integer
_DEFAULT_ROW_HEIGHT = 300  # twips: 15 points, Excel's default for Calibri 11

# Record types, as [MS-XLSB] numbers them.
BRT_ROW_HDR = 0x0000
BRT_CELL_RK = 0x0002
BRT_CELL_BOOL = 0x0004
BRT_CELL_REAL = 0x0005
BRT_CELL_ST = 0x0006
BRT_CELL_ISST = 0x0007
BRT_SST_ITEM = 0x0013
BRT_FONT = 0x002B
BRT_FILL = 0x002D
BRT_BORDER = 0x002E
BRT_XF = 0x002F
BRT_STYLE = 0x0030
BRT_BEGIN_SHEET = 0x0081
BRT_END_SHEET = 0x0082
BRT_BEGIN_BOOK = 0x0083
BRT_END_BOOK = 0x0084
BRT_BEGIN_BUNDLE_SHS = 0x008F
BRT_END_BUNDLE_SHS = 0x0090
BRT_BEGIN_SHEET_DATA = 0x0091
BRT_END_SHEET_DATA = 0x0092
BRT_WS_DIM = 0x0094
BRT_WB_PROP = 0x0099
BRT_BUNDLE_SH = 0x009C
BRT_BEGIN_SST = 0x009F
BRT_END_SST = 0x00A0
BRT_BEGIN_STYLE_SHEET = 0x0116
BRT_END_STYLE_SHEET = 0x0117
BRT_BEGIN_FONTS = 0x0263
BRT_END_FONTS = 0x0264
BRT_BEGIN_FILLS = 0x025B
BRT_END_FILLS = 0x025C
BRT_BEGIN_BORDERS = 0x0265
BRT_END_BORDERS = 0x0266
BRT_BEGIN_CELL_STYLE_XFS = 0x0272
BRT_END_CELL_STYLE_XFS = 0x0273
BRT_BEGIN_CELL_XFS = 0x0269
BRT_END_CELL_XFS = 0x026A
BRT_BEGIN_STYLES = 0x026B
BRT_END_STYLES = 0x026C
BRT_BEGIN_DXFS = 0x01F9
BRT_END_DXFS = 0x01FA
BRT_BEGIN_TABLE_STYLES = 0x01FC
BRT_END_TABLE_STYLES = 0x01FD

_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKBOOK_CONTENT_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"


def record(record_type: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: its type (1-2 bytes) and size (1-4 bytes), 7 bits a byte, then ``data``."""
    if not 0 <= record_type < 1 << 14:
        raise ValueError(f"record type {record_type:#x} does not fit in two bytes")
    if len(data) >= 1 << 28:
        raise ValueError(f"a record of {len(data):,} bytes does not fit in four size bytes")
    return _varint(record_type) + _varint(len(data)) + data


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def wide_string(text: str) -> bytes:
    """XLWideString: the count of UTF-16 code units (4 bytes), then the text in UTF-16LE."""
    encoded = text.encode("utf-16-le")
    return struct.pack("<I", len(encoded) // 2) + encoded


def write_xlsb(path: Path, sheets: dict[str, list[list[CellValue]]], *, shared_strings: bool = True) -> Path:
    """Write ``sheets`` (name -> rows of cells, row 1 first) to ``path`` as an .xlsb workbook."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    for name in sheets:
        _check_sheet_name(name)
    if len({name.casefold() for name in sheets}) != len(sheets):
        raise ValueError("sheet names must differ other than in case")
    strings = _SharedStrings() if shared_strings else None
    sheet_parts = [_sheet_part(rows, strings) for rows in sheets.values()]

    overrides = [(f"/xl/worksheets/sheet{n}.bin", "application/vnd.ms-excel.worksheet")
                 for n in range(1, len(sheets) + 1)]
    overrides.append(("/xl/styles.bin", "application/vnd.ms-excel.styles"))
    workbook_relationships = [(f"rId{n}", "worksheet", f"worksheets/sheet{n}.bin")
                              for n in range(1, len(sheets) + 1)]
    workbook_relationships.append((f"rId{len(sheets) + 1}", "styles", "styles.bin"))
    if strings is not None:
        overrides.append(("/xl/sharedStrings.bin", "application/vnd.ms-excel.sharedStrings"))
        workbook_relationships.append((f"rId{len(sheets) + 2}", "sharedStrings", "sharedStrings.bin"))

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(overrides))
        archive.writestr("_rels/.rels", _relationships(
            [("rId1", f"{_RELATIONSHIPS}/officeDocument", "xl/workbook.bin")]))
        archive.writestr("xl/workbook.bin", _workbook_part(list(sheets)))
        archive.writestr("xl/_rels/workbook.bin.rels", _relationships(
            [(rid, f"{_RELATIONSHIPS}/{kind}", target) for rid, kind, target in workbook_relationships]))
        for number, part in enumerate(sheet_parts, start=1):
            archive.writestr(f"xl/worksheets/sheet{number}.bin", part)
        archive.writestr("xl/styles.bin", _styles_part())
        if strings is not None:
            archive.writestr("xl/sharedStrings.bin", strings.part())
    return path


def _check_sheet_name(name: str) -> None:
    if not name or len(name) > MAX_SHEET_NAME:
        raise ValueError(f"sheet name {name!r} must have 1 to {MAX_SHEET_NAME} characters")
    if _FORBIDDEN_IN_SHEET_NAMES & set(name) or name.startswith("'") or name.endswith("'"):
        raise ValueError(f"sheet name {name!r} holds a character Excel does not allow in sheet names")


# -- parts ------------------------------------------------------------------------------------------


def _content_types(overrides: Iterable[tuple[str, str]]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{_CONTENT_TYPES}">'
        f'<Default Extension="bin" ContentType="{WORKBOOK_CONTENT_TYPE}"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f"<Override PartName={quoteattr(part)} ContentType={quoteattr(kind)}/>" for part, kind in overrides)
        + "</Types>"
    )


def _relationships(relationships: Iterable[tuple[str, str, str]]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        + "".join(f"<Relationship Id={quoteattr(rid)} Type={quoteattr(kind)} Target={quoteattr(target)}/>"
                  for rid, kind, target in relationships)
        + "</Relationships>"
    )


def _workbook_part(names: Sequence[str]) -> bytes:
    """[MS-XLSB] 2.1.7.61 Workbook: the book's properties and its sheets in tab order."""
    # BrtWbProp: flags (all clear: the 1900 date system), theme version 0, no code name.
    parts = [record(BRT_BEGIN_BOOK), record(BRT_WB_PROP, struct.pack("<II", 0, 0) + wide_string("")),
             record(BRT_BEGIN_BUNDLE_SHS)]
    for number, name in enumerate(names, start=1):
        # BrtBundleSh: hsState (0 = visible), iTabID, strRelID, strName.
        data = struct.pack("<II", 0, number) + wide_string(f"rId{number}") + wide_string(name)
        parts.append(record(BRT_BUNDLE_SH, data))
    parts += [record(BRT_END_BUNDLE_SHS), record(BRT_END_BOOK)]
    return b"".join(parts)


class _SharedStrings:
    """The shared string table: each distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.references = 0

    def add(self, text: str) -> int:
        self.references += 1
        return self.index.setdefault(text, len(self.index))

    def part(self) -> bytes:
        """[MS-XLSB] 2.1.7.45 Shared Strings: BrtBeginSst (cstTotal, cstUnique), one BrtSSTItem each."""
        # BrtSSTItem holds a RichStr: flags (no runs, no phonetics), then the text.
        items = [record(BRT_SST_ITEM, b"\x00" + wide_string(text)) for text in self.index]
        return b"".join([record(BRT_BEGIN_SST, struct.pack("<II", self.references, len(self.index))), *items,
                         record(BRT_END_SST)])


def _sheet_part(rows: Sequence[Sequence[CellValue]], strings: _SharedStrings | None) -> bytes:
    """[MS-XLSB] 2.1.7.62 Worksheet: the used range, then the rows that hold cells."""
    if len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows):,} rows are more than the {MAX_ROWS:,} a sheet can hold")
    used = [(r, c) for r, row in enumerate(rows) for c, value in enumerate(row) if not _blank(value)]
    # BrtWsDim: rwFirst, rwLast, colFirst, colLast; an empty sheet is A1:A1.
    first_row, last_row = (min(r for r, _ in used), max(r for r, _ in used)) if used else (0, 0)
    first_col, last_col = (min(c for _, c in used), max(c for _, c in used)) if used else (0, 0)
    parts = [record(BRT_BEGIN_SHEET), record(BRT_WS_DIM, struct.pack("<IIII", first_row, last_row, first_col,
                                                                       last_col)),
             record(BRT_BEGIN_SHEET_DATA)]
    for row_number, row in enumerate(rows):
        if len(row) > MAX_COLUMNS:
            raise ValueError(f"row {row_number + 1} has {len(row):,} cells, more than the {MAX_COLUMNS:,} allowed")
        columns = [c for c, value in enumerate(row) if not _blank(value)]
        if not columns:
            continue  # Excel writes no row record for a row without cells or formatting
        parts.append(record(BRT_ROW_HDR, _row_header(row_number, columns)))
        parts.extend(_cell(column, row[column], strings) for column in columns)
    parts += [record(BRT_END_SHEET_DATA), record(BRT_END_SHEET)]
    return b"".join(parts)


def _row_header(row_number: int, columns: Sequence[int]) -> bytes:
    """BrtRowHdr: rw, ixfe, miyRw, three flag bytes (all clear), then the column spans.

    Each BrtColSpan gives the first and last column with cells within one block of 1,024 columns.
    """
    spans: dict[int, tuple[int, int]] = {}
    for column in columns:
        first, last = spans.get(column // _COLUMN_BLOCK, (column, column))
        spans[column // _COLUMN_BLOCK] = (min(first, column), max(last, column))
    data = struct.pack("<IIH3sI", row_number, 0, _DEFAULT_ROW_HEIGHT, b"\x00\x00\x00", len(spans))
    return data + b"".join(struct.pack("<II", first, last) for first, last in spans.values())


def _cell(column: int, value: CellValue, strings: _SharedStrings | None) -> bytes:
    # Cell: the column, then iStyleRef (24 bits, the cell format: 0 is the default) and flags.
    cell = struct.pack("<II", column, 0)
    if isinstance(value, bool):  # before int: a bool is an int in Python
        return record(BRT_CELL_BOOL, cell + bytes([value]))  # fBool
    if isinstance(value, int) and _RK_INT_MIN <= value <= _RK_INT_MAX:
        # BrtCellRk holds an RkNumber: fX100 clear, fInt set, the integer in the upper 30 bits.
        return record(BRT_CELL_RK, cell + struct.pack("<i", (value << 2) | 0b10))
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{value!r} cannot be stored in a cell: Excel numbers are finite")
        return record(BRT_CELL_REAL, cell + struct.pack("<d", number))  # Xnum
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} value {value!r} to an .xlsb cell")
    if len(value.encode("utf-16-le")) // 2 > MAX_CELL_CHARACTERS:
        raise ValueError(f"a cell holds at most {MAX_CELL_CHARACTERS:,} characters")
    if strings is None:
        return record(BRT_CELL_ST, cell + wide_string(value))  # inline XLWideString
    return record(BRT_CELL_ISST, cell + struct.pack("<I", strings.add(value)))  # index into the table


def _blank(value: CellValue) -> bool:
    return value is None or value == ""


def _styles_part() -> bytes:
    """[MS-XLSB] 2.1.7.50 Styles: a minimal style sheet, all defaults.

    One font (Calibri 11), the two fills every workbook has (none, gray125), one border (none),
    one cell style format, one cell format based on it (General: what every cell's style index 0
    means), the built-in Normal style, and empty lists of differential formats and table styles.
    """
    automatic = bytes(8)  # BrtColor: xColorType 0, automatic
    text_colour = bytes([0x06, 0x01, 0, 0, 0, 0, 0, 0])  # BrtColor: xColorType 3 (theme), theme colour 1
    # BrtFont: dyHeight (twips), grbit, bls (400: normal weight), sss, uls, bFamily (2: swiss),
    # bCharSet, unused, brtColor, bFontScheme (2: the theme's minor font), name.
    font = struct.pack("<HHHHBBBB", 220, 0, 400, 0, 0, 2, 0, 0) + text_colour + b"\x02" + wide_string("Calibri")

    def fill(pattern: int) -> bytes:
        # BrtFill: fls (the pattern), fore and back colours, then the gradient fields (unused by a
        # pattern): iGradientType, five doubles (degree, left, right, top, bottom), cNumStop.
        return struct.pack("<I", pattern) + automatic + automatic + struct.pack("<Iddddd", 0, 0, 0, 0, 0, 0) \
            + struct.pack("<I", 0)

    # BrtBorder: flags, then top, bottom, left, right and diagonal lines: style (none), reserved, colour.
    border = b"\x00" + (b"\x00\x00" + automatic) * 5

    def xf(parent: int) -> bytes:
        # BrtXF: ixfeParent (0xFFFF for a cell style format; 0, Normal's, for a cell format), iFmt (0: General),
        # iFont, iFill, ixBorder, trot, indent, flags (bottom-aligned, locked: Excel's default), xfGrbitAtr, unused.
        return struct.pack("<HHHHHBBHBB", parent, 0, 0, 0, 0, 0, 0, 0x1010, 0, 0)

    # BrtStyle: ixf, grbitObj1 (built in), iStyBuiltIn (0: Normal), iLevel (unused for Normal), name.
    normal = struct.pack("<IHBB", 0, 0x0001, 0, 0xFF) + wide_string("Normal")

    def block(begin: int, end: int, items: Sequence[tuple[int, bytes]]) -> bytes:
        return record(begin, struct.pack("<I", len(items))) + b"".join(record(t, d) for t, d in items) + record(end)

    return b"".join([
        record(BRT_BEGIN_STYLE_SHEET),
        block(BRT_BEGIN_FONTS, BRT_END_FONTS, [(BRT_FONT, font)]),
        block(BRT_BEGIN_FILLS, BRT_END_FILLS, [(BRT_FILL, fill(0)), (BRT_FILL, fill(17))]),  # none, gray125
        block(BRT_BEGIN_BORDERS, BRT_END_BORDERS, [(BRT_BORDER, border)]),
        block(BRT_BEGIN_CELL_STYLE_XFS, BRT_END_CELL_STYLE_XFS, [(BRT_XF, xf(0xFFFF))]),
        block(BRT_BEGIN_CELL_XFS, BRT_END_CELL_XFS, [(BRT_XF, xf(0))]),
        block(BRT_BEGIN_STYLES, BRT_END_STYLES, [(BRT_STYLE, normal)]),
        block(BRT_BEGIN_DXFS, BRT_END_DXFS, []),
        # BrtBeginTableStyles: the count, then the default table and pivot table styles.
        record(BRT_BEGIN_TABLE_STYLES, struct.pack("<I", 0) + wide_string("TableStyleMedium2")
               + wide_string("PivotStyleLight16")),
        record(BRT_END_TABLE_STYLES),
        record(BRT_END_STYLE_SHEET),
    ])
