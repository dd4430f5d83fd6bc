"""Turn a maintaining body's workbook into a catalogue release.

A workbook holds one or more tables, found by their column headings rather than
by position: the heading row may sit under a title block, columns may come in any
order, and spacer rows are skipped.  The tables are:

- criteria (required): a criterion statement plus a level or a reference, and
  optionally standard, section, guidance, evidence, signposts and the titles and
  summaries of the standard and the section;
- standards: code, title, summary, maintainer;
- sections: standard, section number, title, summary;
- release: "field / value" rows (release id, title, version, published, provenance).

Criteria may be on one sheet with a standard column or on one sheet per standard.
Every row that cannot be used is reported with its sheet, row number and reason.
The assembled release goes through the same validation as ``catalogue check``
before anything is written, and a release folder is never overwritten.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from nesds_desktop.catalogue.checks import check_release_content
from nesds_desktop.catalogue.hashing import content_hash
from nesds_desktop.catalogue.loader import RELEASE_FILE, read_release
from nesds_desktop.catalogue.schema import STANDARD_CODE_PATTERN, ReleaseFile, StandardFile
from nesds_desktop.catalogue.workbook_safety import (
    DEFAULT_LIMITS,
    CheckedWorkbook,
    SafetyLimits,
    WorkbookRejectedError,
    check_workbook,
)
from nesds_desktop.domain.levels import Level

CellValue = int | float | str | bool | date | datetime | time | timedelta
RELEASE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
M = TypeVar("M", bound=BaseModel)
# How far down a sheet the heading row is looked for (title blocks are a few rows at most).
HEADER_SEARCH_ROWS = 30


class CatalogueImportError(Exception):
    """The import cannot go ahead (for example the release folder already exists)."""


@dataclass(frozen=True)
class RowProblem:
    """A row of the workbook that could not be used, and why."""

    sheet: str
    row: int  # as numbered in the spreadsheet program, from 1
    reason: str

    def __str__(self) -> str:
        return f"sheet '{self.sheet}', row {self.row}: {self.reason}"


@dataclass(frozen=True)
class ReleaseOptions:
    """Release metadata given by the person importing; each wins over the workbook."""

    release_id: str
    title: str | None = None
    version: str | None = None
    published: date | None = None
    provenance: str | None = None
    supersedes: str | None = None
    imported_on: date = field(default_factory=date.today)


@dataclass
class CatalogueImport:
    """What was read from a workbook: a release (if it holds together) and every problem."""

    workbook: Path
    release: ReleaseFile | None = None
    standards: list[StandardFile] = field(default_factory=list)
    unusable_rows: list[RowProblem] = field(default_factory=list)
    # Anything here stops the release from being written.
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.release is not None and not self.problems

    @property
    def criteria_count(self) -> int:
        return sum(len(section.criteria) for standard in self.standards for section in standard.sections)

    @property
    def content_hash(self) -> str:
        assert self.release is not None
        return content_hash(self.release, self.standards)


def check_release_id(release_id: str) -> str | None:
    """Why ``release_id`` cannot name a release folder, or None when it can."""
    if RELEASE_ID_PATTERN.match(release_id):
        return None
    return (f"release name {release_id!r} must start with a lower-case letter or digit and use only "
            "lower-case letters, digits, dots and hyphens (e.g. nesds-2007.1)")


def read_catalogue_workbook(
    path: Path, options: ReleaseOptions, limits: SafetyLimits = DEFAULT_LIMITS
) -> CatalogueImport:
    """Check and read ``path``.  Raises :class:`WorkbookRejectedError` for a file that is not a safe workbook."""
    checked = check_workbook(path, limits)
    sheets = read_sheets(checked)
    result = CatalogueImport(path)
    if checked.has_macros:
        result.notes.append("the workbook contains macros; they were not run, only cell values were read")
    _Assembler(result, options).run(sheets)
    return result


# --- reading cells ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A sheet as a grid from cell A1, with merged areas filled in from their top-left cell."""

    name: str
    rows: list[list[CellValue]]
    blank: list[bool]  # judged before merged areas were filled, so a tall merged cell adds no rows

    def cell(self, row: int, column: int) -> CellValue:
        values = self.rows[row]
        return values[column] if column < len(values) else ""


def read_sheets(checked: CheckedWorkbook) -> list[Sheet]:
    """Every worksheet of a checked workbook (chart and macro sheets are left out)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

    try:
        with CalamineWorkbook.from_filelike(BytesIO(checked.data)) as workbook:
            sheets: list[Sheet] = []
            for metadata in workbook.sheets_metadata:
                if metadata.typ != SheetTypeEnum.WorkSheet:
                    continue
                sheet = workbook.get_sheet_by_name(metadata.name)
                rows: list[list[CellValue]] = sheet.to_python(skip_empty_area=False)
                blank = [all(_is_blank(value) for value in row) for row in rows]
                _fill_merged(rows, sheet.merged_cell_ranges or [])
                sheets.append(Sheet(metadata.name, rows, blank))
            return sheets
    except PasswordError as exc:
        raise WorkbookRejectedError(
            checked.path, "is protected with a password; remove the password and try again"
        ) from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise WorkbookRejectedError(checked.path, f"could not be read as a spreadsheet: {exc}") from exc


def _fill_merged(rows: list[list[CellValue]], ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for row in range(top, min(bottom, len(rows) - 1) + 1):
            for column in range(left, min(right, len(rows[row]) - 1) + 1):
                rows[row][column] = value


def _is_blank(value: CellValue) -> bool:
    return isinstance(value, str) and not value.strip()


def cell_text(value: CellValue) -> str:
    """A cell as trimmed text, with line breaks as ``\\n`` and whole numbers without ``.0``."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value)


def split_items(value: CellValue) -> list[str]:
    """Evidence or signposts: one item per line; a cell on a single line is split at semicolons.

    A line break anywhere counts, even a closing one: that is how a single item
    holding a semicolon is written ("Settled Homes; Changing Lives" plus a line break).
    """
    if not isinstance(value, str):
        value = cell_text(value)
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    parts = text.split("\n") if "\n" in text else text.split(";")
    return [part.strip() for part in parts if part.strip()]


# --- recognising tables by their headings -------------------------------------------------------


class Column(Enum):
    STANDARD = "standard"
    STANDARD_TITLE = "standard title"
    STANDARD_SUMMARY = "standard summary"
    MAINTAINER = "maintainer"
    REFERENCE = "reference"
    SECTION = "section"
    SECTION_TITLE = "section title"
    SECTION_SUMMARY = "section summary"
    LEVEL = "level"
    STATEMENT = "statement"
    GUIDANCE = "guidance"
    EVIDENCE = "evidence"
    SIGNPOSTS = "signposts"
    TITLE = "title"  # a plain "Title" means the standard's or the section's, by the table
    SUMMARY = "summary"


_HEADINGS: dict[Column, tuple[str, ...]] = {
    Column.STANDARD: ("standard", "standard code", "code", "e standard", "estandard", "e standard code"),
    Column.STANDARD_TITLE: ("standard title", "standard name", "e standard title", "service area"),
    Column.STANDARD_SUMMARY: ("standard summary", "standard description", "about the standard"),
    Column.MAINTAINER: ("maintainer", "maintained by", "maintaining body"),
    # Not "No." or "ID": in council sheets those are often plain row numbers.
    Column.REFERENCE: ("reference", "ref", "ref no", "reference number", "criterion reference", "criterion ref",
                       "criterion id"),
    Column.SECTION: ("section", "section number", "section no", "theme", "theme number"),
    Column.SECTION_TITLE: ("section title", "section name", "section heading", "theme title"),
    Column.SECTION_SUMMARY: ("section summary", "section description", "theme summary"),
    Column.LEVEL: ("level", "criterion level"),
    Column.STATEMENT: ("statement", "criterion", "criteria", "criterion statement", "criterion text", "requirement"),
    Column.GUIDANCE: ("guidance", "guidance notes", "guidance note", "notes", "explanation"),
    Column.EVIDENCE: ("evidence", "examples of evidence", "evidence examples", "example evidence",
                      "suggested evidence", "possible evidence"),
    Column.SIGNPOSTS: ("signposts", "signpost", "signposting", "links", "links and signposts", "related initiatives",
                       "see also"),
    Column.TITLE: ("title", "name"),
    Column.SUMMARY: ("summary", "description"),
}
_COLUMN_BY_HEADING = {heading: column for column, headings in _HEADINGS.items() for heading in headings}

_RELEASE_KEYS = {
    "release id": "release_id", "release": "release_id", "id": "release_id",
    "title": "title", "release title": "title",
    "version": "version",
    "published": "published", "publication date": "published", "date published": "published",
    "provenance": "provenance", "source": "provenance",
    "supersedes": "supersedes",
}
# "Title" alone could be anything; a release sheet needs at least two of these.
_RELEASE_ONLY_KEYS = {"release_id", "version", "published", "provenance", "supersedes"}


def heading_key(value: CellValue) -> str:
    """Lower-case words only, so "Ref." and "REF" and "e-Standard" compare as intended."""
    return " ".join(re.findall(r"[a-z0-9]+", cell_text(value).lower()))


class TableKind(Enum):
    CRITERIA = "criteria"
    STANDARDS = "standards"
    SECTIONS = "sections"


@dataclass(frozen=True)
class Table:
    sheet: Sheet
    kind: TableKind
    header: int  # index of the heading row
    columns: dict[Column, int]

    def value(self, row: int, column: Column) -> CellValue:
        index = self.columns.get(column)
        return "" if index is None else self.sheet.cell(row, index)

    def text(self, row: int, *columns: Column) -> str:
        """The first non-empty text among ``columns`` (e.g. "Standard title", then "Title")."""
        for column in columns:
            text = cell_text(self.value(row, column))
            if text:
                return text
        return ""

    def data_rows(self) -> Iterable[int]:
        for row in range(self.header + 1, len(self.sheet.rows)):
            if not self.sheet.blank[row]:
                yield row

    def repeats_header(self, row: int) -> bool:
        return all(heading_key(self.sheet.cell(row, i)) == heading_key(self.sheet.cell(self.header, i))
                   for i in self.columns.values())


def find_table(sheet: Sheet) -> Table | None:
    for row in range(min(len(sheet.rows), HEADER_SEARCH_ROWS)):
        columns: dict[Column, int] = {}
        for index, value in enumerate(sheet.rows[row]):
            column = _COLUMN_BY_HEADING.get(heading_key(value))
            if column is not None and column not in columns:
                columns[column] = index
        kind = _table_kind(columns)
        if kind is not None:
            return Table(sheet, kind, row, columns)
    return None


def _table_kind(columns: dict[Column, int]) -> TableKind | None:
    found = set(columns)
    titled = bool(found & {Column.TITLE, Column.STANDARD_TITLE, Column.SECTION_TITLE})
    if Column.STATEMENT in found and found & {Column.LEVEL, Column.REFERENCE}:
        return TableKind.CRITERIA
    if Column.STATEMENT in found:
        return None
    if Column.SECTION in found and (Column.TITLE in found or Column.SECTION_TITLE in found):
        return TableKind.SECTIONS
    if Column.STANDARD in found and titled and Column.SECTION not in found:
        return TableKind.STANDARDS
    return None


def key_values(sheet: Sheet, rows: Iterable[int]) -> list[tuple[int, str, CellValue]]:
    """(row, key, value) for rows laid out as a label followed by its value."""
    pairs: list[tuple[int, str, CellValue]] = []
    for row in rows:
        filled = [value for value in sheet.rows[row] if not _is_blank(value)]
        if len(filled) >= 2:
            pairs.append((row, heading_key(filled[0]), filled[1]))
    return pairs


# --- interpreting values ------------------------------------------------------------------------

_CODE = re.compile(STANDARD_CODE_PATTERN)
_CODE_AND_TITLE = re.compile(r"^([A-Za-z]{2,4})\s*[-–—:]\s*(.+)$", re.DOTALL)
_LOOSE_REFERENCE = re.compile(r"^([A-Za-z]{2,4})[\s._-]*(\d{1,2})[\s._-]*([MPEmpe])[\s._-]*(\d{1,2})$")
_NUMBERED_SECTION = re.compile(
    r"^(?:(?:section|theme)\s*)?(\d{1,2})(?:(?:\s*[.:)\-–—]\s*|\s+)(.*))?$", re.IGNORECASE | re.DOTALL
)
_BRITISH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_LEVEL_WORDS = {"minimum": Level.MINIMUM, "m": Level.MINIMUM, "progressing": Level.PROGRESSING,
                "p": Level.PROGRESSING, "excellent": Level.EXCELLENT, "e": Level.EXCELLENT}


@dataclass(frozen=True)
class Reference:
    code: str
    section: int
    level: Level
    number: int

    def __str__(self) -> str:
        return f"{self.code}-{self.section}-{self.level.letter}{self.number}"


def parse_reference(text: str) -> Reference | None:
    """ICT-3-P2, also written ict 3 p2, ICT.3.P2 or ICT3P2."""
    match = _LOOSE_REFERENCE.match(text.strip())
    if match is None or int(match[2]) == 0 or int(match[4]) == 0:
        return None
    return Reference(match[1].upper(), int(match[2]), Level.from_letter(match[3]), int(match[4]))


def parse_level(text: str) -> Level | None:
    return _LEVEL_WORDS.get(text.strip().rstrip(".").lower())


def parse_code(text: str) -> str | None:
    code = text.strip().upper()
    return code if _CODE.match(code) else None


def parse_section(value: CellValue) -> tuple[int | None, str]:
    """A section cell as (number, title): 3, "3", "Section 3", "3. Customer access", or a title alone.

    Raises ValueError for a number that cannot be a section number (0, 2.5, 100).
    """
    text = cell_text(value)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric or _NUMBER.match(text):
        number = float(value if numeric else text)  # type: ignore[arg-type]
        if number.is_integer() and 1 <= number <= 99:
            return int(number), ""
        raise ValueError(f"section {text!r} is not a whole number from 1 to 99")
    match = _NUMBERED_SECTION.match(text)
    if match and int(match[1]) >= 1:
        return int(match[1]), (match[2] or "").strip()
    return None, text


def parse_date(value: CellValue) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial date
    text = cell_text(value)
    try:
        british = _BRITISH_DATE.match(text)
        if british:
            return date(int(british[3]), int(british[2]), int(british[1]))
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# --- assembling the release ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    sheet: str
    row: int

    def __str__(self) -> str:
        return f"sheet '{self.sheet}' row {self.row}"


@dataclass
class _Facts:
    """Values for one standard or section gathered from several places; a disagreement is a problem."""

    subject: str
    values: dict[str, tuple[str, _Where]] = field(default_factory=dict)

    def give(self, name: str, value: str, where: _Where, problems: list[str]) -> None:
        if not value:
            return
        known = self.values.get(name)
        if known is None:
            self.values[name] = (value, where)
        elif known[0] != value:
            problems.append(f"{self.subject}: the {name} on {where} ({_clip(value)}) differs from the one on "
                            f"{known[1]} ({_clip(known[0])}); make them the same")

    def get(self, name: str) -> str | None:
        known = self.values.get(name)
        return known[0] if known else None


@dataclass
class _CriterionRow:
    where: _Where
    code: str
    section: int | None
    # Given beside the criterion; the title finds the section's number when the row has none.
    section_title: str
    section_summary: str
    level: Level
    number: int | None
    statement: str
    guidance: str
    evidence: list[str]
    signposts: list[str]


class _Assembler:
    def __init__(self, result: CatalogueImport, options: ReleaseOptions) -> None:
        self.result = result
        self.options = options
        self.standards: dict[str, _Facts] = {}
        self.sections: dict[tuple[str, int], _Facts] = {}
        self.criteria: list[_CriterionRow] = []
        self.references: dict[str, _Where] = {}
        self.release_values: dict[str, tuple[CellValue, _Where]] = {}

    # The order matters: standards first (their titles identify standards by name), then sections.
    def run(self, sheets: Sequence[Sheet]) -> None:
        tables: list[Table] = []
        for sheet in sheets:
            table = find_table(sheet)
            if table is not None:
                tables.append(table)
            elif not self._read_release_sheet(sheet) and not all(sheet.blank):
                self.result.notes.append(f"sheet '{sheet.name}' was not used: it has no criteria, standards, "
                                         "sections or release table")
        # A sections table without a standard column can only be placed once the criteria are known.
        sections_later = [t for t in tables if t.kind is TableKind.SECTIONS and Column.STANDARD not in t.columns]
        for kind, reader in ((TableKind.STANDARDS, self._read_standards), (TableKind.SECTIONS, self._read_sections),
                             (TableKind.CRITERIA, self._read_criteria)):
            for table in tables:
                if table.kind is kind and table not in sections_later:
                    reader(table)
        for table in sections_later:
            self._read_sections(table, sole_standard=True)
        if not any(table.kind is TableKind.CRITERIA for table in tables):
            self.result.problems.append(
                "no criteria table found: a sheet needs a heading row with a criterion (or statement) column and a "
                "level or reference column"
            )
            return
        self._build()

    def _skip(self, table: Table, row: int, reason: str) -> None:
        self.result.unusable_rows.append(RowProblem(table.sheet.name, row + 1, reason))

    def _standard(self, code: str) -> _Facts:
        return self.standards.setdefault(code, _Facts(f"standard {code}"))

    def _section(self, code: str, number: int) -> _Facts:
        return self.sections.setdefault((code, number), _Facts(f"standard {code} section {number}"))

    def _code_for_title(self, title: str) -> str | None:
        for code, facts in self.standards.items():
            known = facts.get("title")
            if known and _same_text(known, title):
                return code
        return None

    # -- release sheet --

    def _read_release_sheet(self, sheet: Sheet) -> bool:
        found: dict[str, tuple[CellValue, _Where]] = {}
        for row, key, value in key_values(sheet, range(len(sheet.rows))):
            name = _RELEASE_KEYS.get(key)
            if name is not None and name not in found:
                found[name] = (value, _Where(sheet.name, row + 1))
        if len(set(found) & _RELEASE_ONLY_KEYS) < 2:
            return False
        if self.release_values:
            self.result.notes.append(f"sheet '{sheet.name}' was not used: the release details were already read "
                                     f"from another sheet")
            return True
        self.release_values = found
        return True

    # -- standards and sections tables --

    def _read_standards(self, table: Table) -> None:
        problems = self.result.problems
        for row in table.data_rows():
            if table.repeats_header(row):
                self._skip(table, row, "repeats the column headings")
                continue
            text = table.text(row, Column.STANDARD)
            code = parse_code(text)
            if code is None:
                self._skip(table, row, f"standard code {text!r} is not 2 to 4 capital letters (e.g. ICT)" if text
                           else "has no standard code")
                continue
            where = _Where(table.sheet.name, row + 1)
            facts = self._standard(code)
            facts.give("title", table.text(row, Column.STANDARD_TITLE, Column.TITLE), where, problems)
            facts.give("summary", table.text(row, Column.STANDARD_SUMMARY, Column.SUMMARY), where, problems)
            facts.give("maintainer", table.text(row, Column.MAINTAINER), where, problems)

    def _read_sections(self, table: Table, sole_standard: bool = False) -> None:
        problems = self.result.problems
        codes = {row.code for row in self.criteria}
        for row in table.data_rows():
            if table.repeats_header(row):
                self._skip(table, row, "repeats the column headings")
                continue
            code = self._row_standard(table, row, None)
            if isinstance(code, _Reason) and sole_standard and len(codes) == 1:
                code = next(iter(codes))
            if isinstance(code, _Reason):
                self._skip(table, row, code.text)
                continue
            try:
                number, title_in_cell = parse_section(table.value(row, Column.SECTION))
            except ValueError as exc:
                self._skip(table, row, str(exc))
                continue
            if number is None:
                self._skip(table, row, f"section {title_in_cell!r} does not start with its number"
                           if title_in_cell else "has no section number")
                continue
            where = _Where(table.sheet.name, row + 1)
            facts = self._section(code, number)
            facts.give("title", table.text(row, Column.SECTION_TITLE, Column.TITLE) or title_in_cell, where, problems)
            facts.give("summary", table.text(row, Column.SECTION_SUMMARY, Column.SUMMARY), where, problems)

    def _row_standard(self, table: Table, row: int, from_reference: str | None) -> str | _Reason:
        """The standard a row belongs to: its standard column, else its reference, else the sheet."""
        text = table.text(row, Column.STANDARD)
        code: str | None = None
        if text:
            code = parse_code(text) or self._code_for_title(text)
            named = _CODE_AND_TITLE.match(text)
            if code is None and named:
                code = named[1].upper()
                self._standard(code).give("title", named[2].strip(), _Where(table.sheet.name, row + 1),
                                          self.result.problems)
            if code is None:
                return _Reason(f"standard {text!r} is neither a code (e.g. ICT) nor the title of a standard")
        if code and from_reference and code != from_reference:
            return _Reason(f"reference belongs to standard {from_reference} but the standard column says {code}")
        code = code or from_reference or self._sheet_standard(table)
        if code is None:
            return _Reason("cannot tell which standard this row belongs to: add a standard column, "
                           "a reference such as ICT-3-P2, or name the sheet with the standard's code")
        return code

    def _sheet_standard(self, table: Table) -> str | None:
        """The standard a whole sheet is about: a "Standard | ICT" line above the table, or the sheet's name."""
        sheet = table.sheet
        for _row, key, value in key_values(sheet, range(table.header)):
            if _COLUMN_BY_HEADING.get(key) is Column.STANDARD and parse_code(cell_text(value)):
                return parse_code(cell_text(value))
        if _CODE.match(sheet.name.strip()):
            return sheet.name.strip()
        return self._code_for_title(sheet.name)

    # -- criteria tables --

    def _read_criteria(self, table: Table) -> None:
        codes_on_sheet: list[str] = []
        for row in table.data_rows():
            if table.repeats_header(row):
                self._skip(table, row, "repeats the column headings")
                continue
            outcome = self._criterion(table, row)
            if isinstance(outcome, _Reason):
                self._skip(table, row, outcome.text)
                continue
            self.criteria.append(outcome)
            if outcome.code not in codes_on_sheet:
                codes_on_sheet.append(outcome.code)
        self._read_title_block(table, codes_on_sheet)

    # One check after another, each with its own reason for the person fixing the workbook.
    def _criterion(self, table: Table, row: int) -> _CriterionRow | _Reason:  # noqa: PLR0911
        where = _Where(table.sheet.name, row + 1)
        statement = table.text(row, Column.STATEMENT)
        if not statement:
            return _Reason("has no criterion statement")
        reference: Reference | None = None
        reference_text = table.text(row, Column.REFERENCE)
        if reference_text:
            reference = parse_reference(reference_text)
            if reference is None:
                return _Reason(f"reference {reference_text!r} does not follow the scheme CODE-SECTION-LEVELn, "
                               "e.g. ICT-3-P2")
        level_text = table.text(row, Column.LEVEL)
        level = parse_level(level_text) if level_text else None
        if level_text and level is None:
            return _Reason(f"level {level_text!r} is not Minimum, Progressing or Excellent (or M, P, E)")
        if reference and level and reference.level is not level:
            return _Reason(f"level says {level.label} but reference {reference} says {reference.level.label}")
        level = level or (reference.level if reference else None)
        if level is None:
            return _Reason("has no level (Minimum, Progressing or Excellent)")
        code = self._row_standard(table, row, reference.code if reference else None)
        if isinstance(code, _Reason):
            return code
        try:
            section, section_title = parse_section(table.value(row, Column.SECTION))
        except ValueError as exc:
            return _Reason(str(exc))
        section_title = table.text(row, Column.SECTION_TITLE) or section_title
        section_summary = table.text(row, Column.SECTION_SUMMARY)
        if section is None and not section_title and reference is None:
            return _Reason("has no section: add a section column or a reference such as ICT-3-P2")
        if section is not None and reference and section != reference.section:
            return _Reason(f"section column says {section} but reference {reference} says section {reference.section}")
        if section is None and reference is not None:
            section = reference.section
        guidance = table.text(row, Column.GUIDANCE)
        if not guidance:
            return _Reason("has no guidance")
        evidence = split_items(table.value(row, Column.EVIDENCE))
        if not evidence:
            return _Reason("has no evidence (at least one example of evidence is needed)")
        if reference is not None:
            key = str(reference)
            if key in self.references:
                return _Reason(f"reference {key} is already used on {self.references[key]}")
            self.references[key] = where
        problems = self.result.problems
        standard = self._standard(code)
        standard.give("title", table.text(row, Column.STANDARD_TITLE), where, problems)
        standard.give("summary", table.text(row, Column.STANDARD_SUMMARY), where, problems)
        standard.give("maintainer", table.text(row, Column.MAINTAINER), where, problems)
        if section is not None:
            facts = self._section(code, section)
            facts.give("title", section_title, where, problems)
            facts.give("summary", section_summary, where, problems)
        return _CriterionRow(where, code, section, section_title, section_summary, level,
                             reference.number if reference else None, statement, guidance, evidence,
                             split_items(table.value(row, Column.SIGNPOSTS)))

    def _read_title_block(self, table: Table, codes: list[str]) -> None:
        """Labelled values above the heading row ("Title | Customer Service") describe the sheet's standard."""
        pairs = key_values(table.sheet, range(table.header))
        if not pairs:
            return
        code = self._sheet_standard(table) or (codes[0] if len(codes) == 1 else None)
        names = {Column.STANDARD_TITLE: "title", Column.TITLE: "title", Column.STANDARD_SUMMARY: "summary",
                 Column.SUMMARY: "summary", Column.MAINTAINER: "maintainer"}
        for row, key, value in pairs:
            column = _COLUMN_BY_HEADING.get(key)
            name = names.get(column) if column else None
            if name is None:
                continue
            if code is None:
                self.result.notes.append(f"sheet '{table.sheet.name}' row {row + 1}: the {name} above the table was "
                                         "not used because the sheet holds more than one standard")
                continue
            self._standard(code).give(name, cell_text(value), _Where(table.sheet.name, row + 1), self.result.problems)

    # -- putting it together --

    def _build(self) -> None:
        self._number_untitled_sections()
        codes = list(self.standards)
        for row in self.criteria:
            if row.code not in codes:
                codes.append(row.code)
        standards: list[StandardFile] = []
        for code in codes:
            standard = self._build_standard(code)
            if standard is not None:
                standards.append(standard)
        release = self._build_release(codes)
        if release is None or len(standards) != len(codes) or self.result.problems:
            return
        paths = {standard.code: Path(f"{standard.code}.json") for standard in standards}
        for problem in check_release_content(standards, paths):
            self.result.problems.append(f"standard {problem.file.stem} [{problem.location}]: {problem.message}")
        self.result.release = release
        self.result.standards = standards

    def _number_untitled_sections(self) -> None:
        """Rows whose section cell holds only a title get that section's number, or the next free one."""
        for row in self.criteria:
            if row.section is not None:
                continue
            known = {number: facts for (code, number), facts in self.sections.items() if code == row.code}
            match = next((n for n, f in known.items() if _same_text(f.get("title") or "", row.section_title)), None)
            row.section = match if match is not None else max(known, default=0) + 1
            facts = self._section(row.code, row.section)
            facts.give("title", row.section_title, row.where, self.result.problems)
            facts.give("summary", row.section_summary, row.where, self.result.problems)

    def _build_standard(self, code: str) -> StandardFile | None:
        facts = self._standard(code)
        problems = self.result.problems
        rows = [row for row in self.criteria if row.code == code]
        if not rows:
            problems.append(f"standard {code} has no usable criteria")
            return None
        missing = [name for name in ("title", "summary") if not facts.get(name)]
        if missing:
            problems.append(f"standard {code} has no {' or '.join(missing)}: add a Standards sheet (code, title, "
                            "summary) or 'Standard title' and 'Standard summary' columns")
        numbers = sorted({number for (c, number) in self.sections if c == code})
        sections: list[dict[str, Any]] = []
        for number in numbers:
            section_rows = [row for row in rows if row.section == number]
            section = self._section(code, number)
            if not section_rows:
                problems.append(f"standard {code} section {number} has no usable criteria")
                continue
            gaps = [name for name in ("title", "summary") if not section.get(name)]
            if gaps:
                problems.append(f"standard {code} section {number} has no {' or '.join(gaps)}: add a Sections sheet "
                                "(standard, section, title, summary) or 'Section title' and 'Section summary' columns")
            sections.append({
                "number": number,
                "title": section.get("title") or "",
                "summary": section.get("summary") or "",
                "criteria": _criteria_with_references(code, number, section_rows),
            })
        content = {"code": code, "title": facts.get("title") or "", "summary": facts.get("summary") or "",
                   "maintainer": facts.get("maintainer") or "", "sections": sections}
        if missing or len(sections) != len(numbers):
            return None
        return self._validate(StandardFile, content, f"standard {code}")

    def _build_release(self, codes: list[str]) -> ReleaseFile | None:
        options, problems = self.options, self.result.problems
        given = self.release_values
        sheet_id = cell_text(given["release_id"][0]) if "release_id" in given else ""
        if sheet_id and sheet_id != options.release_id:
            self.result.notes.append(f"the workbook names release {sheet_id!r}; it was imported as "
                                     f"{options.release_id!r} as asked")

        def text(name: str) -> str | None:
            return (cell_text(given[name][0]) or None) if name in given else None

        published = options.published
        if published is None and "published" in given:
            value, where = given["published"]
            published = parse_date(value)
            if published is None:
                problems.append(f"{where}: published date {cell_text(value)!r} is not a date (use YYYY-MM-DD)")
                return None
        content = {
            "release_id": options.release_id,
            "title": options.title or text("title"),
            "version": options.version or text("version"),
            "published": published or options.imported_on,
            "provenance": options.provenance or text("provenance")
            or f"Imported from {self.result.workbook.name} on {options.imported_on.isoformat()}",
            "supersedes": options.supersedes or text("supersedes"),
            "standards": codes,
        }
        for name, option in (("title", "--title"), ("version", "--version")):
            if not content[name]:
                problems.append(f"the release has no {name}: give {option} or fill in a Release sheet")
        reason = check_release_id(options.release_id)
        if reason:
            problems.append(reason)
        if problems:
            return None
        return self._validate(ReleaseFile, content, "release")

    def _validate(self, model: type[M], content: dict[str, Any], subject: str) -> M | None:
        try:
            return model.model_validate(content)
        except ValidationError as exc:
            for error in exc.errors():
                location = _describe_location(error["loc"], content)
                message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
                context = error.get("ctx") or {}
                if error["type"] == "too_short" and "min_length" in context:
                    found = context.get("actual_length", "too few")
                    message = f"has {found}, but at least {context['min_length']} are needed"
                self.result.problems.append(f"{subject}{location}: {message}")
            return None


@dataclass(frozen=True)
class _Reason:
    text: str


def _criteria_with_references(code: str, section: int, rows: list[_CriterionRow]) -> list[dict[str, Any]]:
    """Criteria in row order; a row without a reference takes the next free number at its level."""
    used: dict[Level, int] = {}
    for row in rows:
        if row.number is not None:
            used[row.level] = max(used.get(row.level, 0), row.number)
    criteria: list[dict[str, Any]] = []
    for row in rows:
        number = row.number
        if number is None:
            number = used.get(row.level, 0) + 1
            used[row.level] = number
        criteria.append({
            "ref": str(Reference(code, section, row.level, number)),
            "level": row.level,
            "statement": row.statement,
            "guidance": row.guidance,
            "evidence": row.evidence,
            "signposts": row.signposts,
        })
    return criteria


def _describe_location(loc: Sequence[int | str], content: dict[str, Any]) -> str:
    parts: list[str] = []
    node: Any = content
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            if isinstance(node, dict) and "ref" in node:
                parts[-1] = f"criterion {node['ref']}"
            elif isinstance(node, dict) and "number" in node:
                parts[-1] = f"section {node['number']}"
            else:
                parts.append(f"item {key + 1}")
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) and isinstance(key, str) else None
    return " [" + " > ".join(parts) + "]" if parts else ""


def _clip(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- writing the release folder -----------------------------------------------------------------


def release_folder_for(output_dir: Path, release_id: str) -> Path:
    return output_dir / release_id


def write_release_folder(imported: CatalogueImport, output_dir: Path) -> Path:
    """Write ``imported`` as ``output_dir/<release_id>/``; never overwrite, never leave half a release.

    The files are written to a hidden folder beside the target, read back through
    the same checks as ``catalogue check``, and only then renamed into place.
    """
    if not imported.ok or imported.release is None:
        raise CatalogueImportError("the workbook did not give a complete release, so nothing was written")
    release = imported.release
    target = release_folder_for(output_dir, release.release_id)
    if target.exists():
        raise CatalogueImportError(f"{target} already exists; a release is never overwritten, so choose another "
                                   "release name or output folder")
    created = [parent for parent in (output_dir, *output_dir.parents) if not parent.exists()]
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = output_dir / f".{release.release_id}.{uuid.uuid4().hex}.partial"
    try:
        staging.mkdir()
        _write_json(staging / RELEASE_FILE, release)
        for standard in imported.standards:
            _write_json(staging / f"{standard.code}.json", standard)
        check = read_release(staging)
        if not check.ok or check.content_hash != imported.content_hash:
            details = "; ".join(str(problem) for problem in check.problems) or "its content hash changed"
            raise CatalogueImportError(f"the written release did not read back correctly ({details})")
        if target.exists():
            raise CatalogueImportError(f"{target} appeared while importing; it was not overwritten")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in created:  # innermost first: remove only folders this import made
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise
    return target


def _write_json(path: Path, model: BaseModel) -> None:
    text = json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
