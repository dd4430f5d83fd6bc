"""Real spreadsheet files for tests: .xlsx (openpyxl), .xls (xlwt) and a minimal .ods written by hand."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Rows = list[list[Any]]


def write_xlsx(
    path: Path,
    sheets: dict[str, Rows],
    merge: Sequence[tuple[str, str]] = (),
    hidden_columns: Sequence[tuple[str, str]] = (),
) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
    for sheet_name, cells in merge:
        workbook[sheet_name].merge_cells(cells)
    for sheet_name, letter in hidden_columns:
        workbook[sheet_name].column_dimensions[letter].hidden = True
    workbook.save(path)
    return path


def write_xls(
    path: Path, sheets: dict[str, Rows], date_format: str = "DD/MM/YYYY", hidden_columns: Sequence[int] = ()
) -> Path:
    """An Excel 97-2003 workbook written by xlwt; ``hidden_columns`` (0-based) are hidden on every sheet."""
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    dated = xlwt.easyxf(num_format_str=date_format)
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for column in hidden_columns:
            sheet.col(column).hidden = True
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write(r, c, value, dated)
                elif value != "":
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: dict[str, Rows], hidden_columns: Sequence[int] = ()) -> Path:
    """A minimal valid OpenDocument spreadsheet: mimetype (stored, first), content.xml, manifest.

    ``hidden_columns`` (0-based) are collapsed on every sheet, as LibreOffice writes hidden columns.
    """

    def columns(rows: Rows) -> str:
        width = max((len(row) for row in rows), default=0)
        return "".join(
            '<table:table-column table:visibility="collapse"/>' if c in hidden_columns else "<table:table-column/>"
            for c in range(width)
        )

    def cell(value: Any) -> str:
        if value == "" or value is None:
            return "<table:table-cell/>"
        if isinstance(value, date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                    f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
        if isinstance(value, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'

    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>" + columns(rows)
        + "".join("<table:table-row>" + "".join(cell(v) for v in row or [""]) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
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
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                         zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path
