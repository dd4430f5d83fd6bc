"""Write planned sheets as real .xls (xlwt), .xlsx (openpyxl) and .ods (a minimal ODF zip written here).

Every writer gives the same bytes for the same plan, so a seeded corpus is reproducible:
openpyxl's document timestamps are fixed and the .ods zip entries carry a fixed date.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

CellValue = str | int | float | bool | date | None
FIXED_TIME = datetime(2007, 4, 2, 9, 0, 0)
DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class SheetPlan:
    """One sheet as it will be written: rows from row 1, merges as 0-based inclusive ranges."""

    name: str
    rows: list[list[CellValue]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False


def write_workbook(file_format: str, sheets: Sequence[SheetPlan]) -> bytes:
    writers = {"xls": _xls, "xlsx": _xlsx, "ods": _ods}
    return writers[file_format](sheets)


def _xls(sheets: Sequence[SheetPlan]) -> bytes:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str=DATE_FORMAT)
    for plan in sheets:
        sheet = book.add_sheet(plan.name, cell_overwrite_ok=True)
        if plan.hidden:
            sheet.visibility = 1
        covered = _covered_cells(plan.merges)
        for first_row, first_col, last_row, last_col in plan.merges:
            value = plan.rows[first_row][first_col]
            sheet.write_merge(first_row, last_row, first_col, last_col, "" if value is None else value)
        for r, row in enumerate(plan.rows):
            for c, value in enumerate(row):
                if value is None or value == "" or (r, c) in covered:
                    continue
                if isinstance(value, date):
                    sheet.write(r, c, value, dated)
                else:
                    sheet.write(r, c, value)
        for column in plan.hidden_columns:
            sheet.col(column).hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx(sheets: Sequence[SheetPlan]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "Council officer"
    for plan in sheets:
        sheet = book.create_sheet(plan.name)
        if plan.hidden:
            sheet.sheet_state = "hidden"
        for r, row in enumerate(plan.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
        for first_row, first_col, last_row, last_col in plan.merges:
            sheet.merge_cells(start_row=first_row + 1, start_column=first_col + 1,
                              end_row=last_row + 1, end_column=last_col + 1)
        for column in plan.hidden_columns:
            sheet.column_dimensions[get_column_letter(column + 1)].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(sheets: Sequence[SheetPlan]) -> bytes:
    tables = "".join(_ods_table(plan) for plan in sheets)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">'
        '<office:automatic-styles><style:style style:name="hiddentable" style:family="table">'
        '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stamp = FIXED_TIME.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.spreadsheet",
                         zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("content.xml", stamp), content, zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", stamp), manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_table(plan: SheetPlan) -> str:
    width = max((len(row) for row in plan.rows), default=1)
    spans = {(r, c): (last_r - r + 1, last_c - c + 1) for r, c, last_r, last_c in plan.merges}
    covered = _covered_cells(plan.merges)
    columns = "".join(
        '<table:table-column table:visibility="collapse"/>' if c in plan.hidden_columns else "<table:table-column/>"
        for c in range(width)
    )
    rows = []
    for r, row in enumerate(plan.rows):
        cells = []
        for c in range(max(len(row), 1)):
            value = row[c] if c < len(row) else None
            if (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
                continue
            span = spans.get((r, c))
            extra = (f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
                     if span else "")
            cells.append(_ods_cell(value, extra))
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    style = ' table:style-name="hiddentable"' if plan.hidden else ""
    return f"<table:table table:name={quoteattr(plan.name)}{style}>{columns}{''.join(rows)}</table:table>"


def _ods_cell(value: CellValue, extra: str) -> str:
    if value is None or value == "":
        return f"<table:table-cell{extra}/>"
    if isinstance(value, bool):
        word = "true" if value else "false"
        return (f'<table:table-cell{extra} office:value-type="boolean" office:boolean-value="{word}">'
                f"<text:p>{word.upper()}</text:p></table:table-cell>")
    if isinstance(value, date):
        return (f'<table:table-cell{extra} office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell{extra} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in value.split("\n"))
    return f'<table:table-cell{extra} office:value-type="string">{lines}</table:table-cell>'


def _covered_cells(merges: Sequence[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    """Cells hidden under a merge (every cell of the range but its top-left one)."""
    return {
        (r, c)
        for first_row, first_col, last_row, last_col in merges
        for r in range(first_row, last_row + 1)
        for c in range(first_col, last_col + 1)
        if (r, c) != (first_row, first_col)
    }
