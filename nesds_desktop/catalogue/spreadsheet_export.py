"""Write a catalogue release to a workbook that a person can read, edit and import back.

Sheets: "Release" (field / value), "Standards", "Sections" and "Criteria" (one row
per criterion).  Importing the workbook unchanged gives back the same release,
with the same content hash, so the layout below and the reading rules in
:mod:`spreadsheet_import` must agree:

- evidence and signposts are written one item per line;
- every text is written as a text value (never a formula), and Excel's escape
  sequence ``_xHHHH_`` is itself escaped so it reads back literally.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile

RELEASE_SHEET = "Release"
STANDARDS_SHEET = "Standards"
SECTIONS_SHEET = "Sections"
CRITERIA_SHEET = "Criteria"
# The most characters an Excel cell holds.
CELL_LIMIT = 32_767
# Points per line of 11 point text, and the tallest row Excel allows.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409

CellValue = str | int | date | None

_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")

# (heading, width in characters) per sheet.
_RELEASE_COLUMNS = (("Field", 18), ("Value", 110))
_STANDARDS_COLUMNS = (("Code", 8), ("Title", 40), ("Summary", 100), ("Maintainer", 16))
_SECTIONS_COLUMNS = (("Standard", 10), ("Section", 9), ("Title", 40), ("Summary", 100))
_CRITERIA_COLUMNS = (
    ("Standard", 10), ("Reference", 12), ("Section", 9), ("Level", 12),
    ("Statement", 60), ("Guidance", 70), ("Evidence", 50), ("Signposts", 40),
)


class CatalogueExportError(Exception):
    """The release cannot be written as a workbook; the message says why."""


def export_release_workbook(
    release: ReleaseFile, standards: Sequence[StandardFile], target: Path, content_hash: str | None = None
) -> None:
    """Write ``release`` to ``target`` (.xlsx), replacing it only once the new file is complete."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = f"{release.title} {release.version}"
    workbook.properties.creator = "NeSDS Workbook"
    sheet = workbook.active
    sheet.title = RELEASE_SHEET
    _fill(sheet, _RELEASE_COLUMNS, _release_rows(release, content_hash), "release")
    _fill(workbook.create_sheet(STANDARDS_SHEET), _STANDARDS_COLUMNS,
          [[s.code, s.title, s.summary, s.maintainer] for s in standards], "standards")
    _fill(workbook.create_sheet(SECTIONS_SHEET), _SECTIONS_COLUMNS,
          [[s.code, sec.number, sec.title, sec.summary] for s in standards for sec in s.sections], "sections")
    _fill(workbook.create_sheet(CRITERIA_SHEET), _CRITERIA_COLUMNS, _criteria_rows(standards), "criteria")
    _save_replacing(workbook, target)


def _release_rows(release: ReleaseFile, content_hash: str | None) -> list[list[CellValue]]:
    rows: list[list[CellValue]] = [
        ["Release id", release.release_id],
        ["Title", release.title],
        ["Version", release.version],
        ["Published", release.published],
        ["Provenance", release.provenance],
        ["Supersedes", release.supersedes or None],
        ["Format", release.format],
    ]
    if content_hash:
        rows.append(["Content hash", content_hash])
    return rows


def _criteria_rows(standards: Sequence[StandardFile]) -> list[list[CellValue]]:
    return [
        [s.code, c.ref, sec.number, c.level.label, c.statement, c.guidance,
         _item_lines(c.evidence, c.ref, "an evidence item"), _item_lines(c.signposts, c.ref, "a signpost")]
        for s in standards for sec in s.sections for c in sec.criteria
    ]


def _item_lines(items: Sequence[str], ref: str, what: str) -> str:
    for item in items:
        if "\n" in item or "\r" in item:
            raise CatalogueExportError(f"criterion {ref}: {what} holds a line break, but the workbook "
                                       f"keeps one item per line: {item!r}")
    text = "\n".join(items)
    # A single line is split at semicolons on import; a closing line break keeps one item whole.
    if len(items) == 1 and ";" in text:
        text += "\n"
    return text


def _fill(sheet: Any, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[CellValue]], what: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wrapped = Alignment(wrap_text=True, vertical="top")
    # Numbers and dates sit to the left like the text around them, not against the next column.
    plain = Alignment(wrap_text=True, vertical="top", horizontal="left")
    bold = Font(bold=True)
    shaded = PatternFill("solid", start_color="DDE4EE")
    for index, (heading, width) in enumerate(columns, start=1):
        cell = _put(sheet, 1, index, heading, what)
        cell.font, cell.fill, cell.alignment = bold, shaded, wrapped
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = _put(sheet, row_number, index, value, what)
            cell.alignment = wrapped if isinstance(value, str) or value is None else plain
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        # Spreadsheet programs do not grow rows to fit wrapped text when they open a file.
        lines = max(_lines(value, width) for value, (_heading, width) in zip(row, columns, strict=True))
        sheet.row_dimensions[row_number].height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)
    sheet.freeze_panes = "A2"
    # Printed: landscape, as wide as the page, the heading row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _lines(value: CellValue, width: int) -> int:
    """Lines ``value`` needs in a column ``width`` characters wide (erring on the generous side)."""
    if not isinstance(value, str):
        return 1
    return sum(max(1, math.ceil(len(paragraph) / width)) for paragraph in value.split("\n"))


def _put(sheet: Any, row: int, column: int, value: CellValue, what: str) -> Any:
    from openpyxl.utils.exceptions import IllegalCharacterError

    cell = sheet.cell(row=row, column=column)
    if not isinstance(value, str):
        cell.value = value
        return cell
    if len(value) > CELL_LIMIT:
        raise CatalogueExportError(f"{what} sheet row {row}: a text of {len(value):,} characters is longer than "
                                   f"a spreadsheet cell holds ({CELL_LIMIT:,})")
    try:
        cell.value = _EXCEL_ESCAPE.sub(r"_x005F_\1", value)
    except IllegalCharacterError as exc:
        raise CatalogueExportError(f"{what} sheet row {row}: the text holds a control character that a "
                                   f"spreadsheet cannot store: {value[:60]!r}") from exc
    # Text is always text: "=SUM(A1)" or "#N/A" must not become a formula or an error value.
    cell.data_type = "s"
    return cell


def _save_replacing(workbook: Any, target: Path) -> None:
    # A hidden file beside the target, so a failed save never leaves a half-written workbook.
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
    try:
        workbook.save(temporary)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
