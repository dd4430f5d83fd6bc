"""Read back a return this application exported and say what a person changed in it.

Only two columns of a standard's sheet are imported: Judgement and Evidence notes.  Each
is compared with what was exported, as recorded on the hidden metadata sheet; a cell
that reads as it was written is not a change.  Rows are found by their reference, so a
sorted or filtered sheet reads the same.

When the metadata sheet is missing, fails its checksum or no longer fits the workbook
(a standard's sheet or its columns are gone), nobody can say what was changed: the
return is reported as a *legacy* return, with the reason, and no change is given.

The caller checks the file is a safe workbook first and hands over the checked bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns import layout

CellValue = str | int | float | bool | date | datetime | time | timedelta

# The heading row is looked for this far down a standard's sheet (it is written on row 4).
_HEADING_SEARCH_ROWS = 20
# A warning names at most this many references, then "and N more".
_REFS_NAMED = 8


class ReturnReadError(ValueError):
    """The file cannot be read as a spreadsheet at all; the message says why."""


@dataclass(frozen=True)
class ReturnedAssessment:
    """An assessment as the metadata sheet identifies it."""

    uid: str
    standard_code: str
    sheet_name: str
    release_id: str
    release_hash: str
    authority_uid: str
    round_label: str


@dataclass(frozen=True)
class ExportedAnswer:
    """A criterion's answer as it was exported: the judgement, and a digest of the notes."""

    judgement: Judgement
    notes_digest: str

    def left_as_exported(self, notes_read: str) -> bool:
        """True when ``notes_read`` (normalised text read from the return) are the notes as written."""
        return layout.digest(notes_read) == self.notes_digest

    def same_as_exported(self, notes_in_store: str) -> bool:
        """True when ``notes_in_store`` would be exported exactly as these notes were."""
        return layout.digest(layout.cell_form(notes_in_store)) == self.notes_digest


@dataclass(frozen=True)
class ReturnedChange:
    """A criterion whose judgement or notes differ in the return from what was exported."""

    assessment_uid: str
    standard_code: str
    ref: str
    exported: ExportedAnswer
    judgement: Judgement | None = None
    """The judgement in the return; None when it was left as exported."""
    notes: str | None = None
    """The notes in the return (normalised); None when they were left as exported."""


@dataclass(frozen=True)
class ReturnReading:
    legacy: bool
    """True when the return's metadata no longer matches it: nothing in it can be applied."""
    warnings: tuple[str, ...]
    assessments: tuple[ReturnedAssessment, ...] = ()
    changes: tuple[ReturnedChange, ...] = ()
    exported_at: str = ""
    exported_with: str = ""
    """The version of the application that exported it."""
    criteria_read: int = 0


def read_return(data: bytes, name: str = "the return") -> ReturnReading:
    """Read a return from ``data`` (.xlsx, or the same return saved as .ods or .xls)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with CalamineWorkbook.from_filelike(BytesIO(data)) as workbook:
            sheets: dict[str, list[list[CellValue]]] = {}
            for sheet_name in workbook.sheet_names:
                if sheet_name == layout.COVER_SHEET:
                    continue  # nothing on the cover is read back
                rows: list[list[CellValue]] = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
                sheets[sheet_name] = rows
    except PasswordError as exc:
        raise ReturnReadError(f"{name} is protected with a password; remove the password and try again") from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise ReturnReadError(f"{name} could not be read as a spreadsheet: {exc}") from exc
    return _Reading(sheets).result()


def cell_text(value: CellValue | None) -> str:
    """A cell's value as normalised text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return layout.normalised(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value)


class _LegacyReturnError(Exception):
    """The metadata no longer matches the workbook; the message says how."""


class _Reading:
    def __init__(self, sheets: dict[str, list[list[CellValue]]]) -> None:
        self.sheets = sheets
        self.warnings: list[str] = []
        self.assessments: list[ReturnedAssessment] = []
        self.exported: dict[tuple[str, str], tuple[ExportedAnswer, str]] = {}
        self.exported_at = ""
        self.exported_with = ""

    def result(self) -> ReturnReading:
        try:
            self._read_metadata()
            changes, read = self._read_changes()
        except _LegacyReturnError as exc:
            message = f"{exc}. It is treated as a legacy return: nothing in it is applied."
            return ReturnReading(True, (message,))
        return ReturnReading(
            False, tuple(self.warnings), tuple(self.assessments), tuple(changes), self.exported_at,
            self.exported_with, read,
        )

    # -- the metadata sheet --------------------------------------------------------------------
    def _read_metadata(self) -> None:
        if layout.METADATA_SHEET not in self.sheets:
            raise _LegacyReturnError(
                f"The workbook has no sheet \u201c{layout.METADATA_SHEET}\u201d: it was not exported by "
                "NeSDS Workbook, or the sheet was deleted or renamed"
            )
        rows = [_trimmed(row) for row in self.sheets[layout.METADATA_SHEET]]
        rows = [row for row in rows if row]
        checksum_at = next(
            (i for i in range(len(rows) - 1, -1, -1) if rows[i][0] == layout.RECORD_CHECKSUM), None
        )
        if checksum_at is None or len(rows[checksum_at]) < 2:
            raise _LegacyReturnError(f"The sheet \u201c{layout.METADATA_SHEET}\u201d has no checksum")
        if layout.metadata_checksum(rows[:checksum_at]) != rows[checksum_at][1]:
            raise _LegacyReturnError(
                f"The sheet \u201c{layout.METADATA_SHEET}\u201d was changed after the return was exported "
                "(its checksum does not match)"
            )
        records = rows[:checksum_at]
        formats = [r for r in records if r[0] == layout.RECORD_FORMAT]
        if len(formats) != 1 or len(formats[0]) < 3 or formats[0][1] != layout.FORMAT_NAME:
            raise _LegacyReturnError("The metadata does not describe an NeSDS Workbook return")
        if formats[0][2] != layout.FORMAT_VERSION:
            raise _LegacyReturnError(
                f"The return is in format version {formats[0][2]}, which this version of NeSDS Workbook "
                f"does not read (it reads version {layout.FORMAT_VERSION}); a newer version may"
            )
        for record in records:
            kind = record[0]
            if kind == layout.RECORD_EXPORT:
                padded = [*record, "", "", ""]
                self.exported_with, self.exported_at = padded[1], padded[2]
            elif kind == layout.RECORD_ASSESSMENT:
                self._assessment_record(record)
            elif kind == layout.RECORD_CRITERION:
                self._criterion_record(record)
        if not self.assessments:
            raise _LegacyReturnError("The metadata names no assessment")

    def _assessment_record(self, record: list[str]) -> None:
        if len(record) < 8:
            raise _LegacyReturnError("An assessment's entry in the metadata is incomplete")
        self.assessments.append(ReturnedAssessment(*record[1:8]))

    def _criterion_record(self, record: list[str]) -> None:
        if len(record) < 6:
            raise _LegacyReturnError("A criterion's entry in the metadata is incomplete")
        uid, ref, value, notes_digest, fixed = record[1:6]
        try:
            judgement = Judgement(value)
        except ValueError:
            raise _LegacyReturnError(f"The metadata gives {ref} the unknown judgement {value!r}") from None
        self.exported[uid, ref] = (ExportedAnswer(judgement, notes_digest), fixed)

    # -- the standards' sheets -----------------------------------------------------------------
    def _read_changes(self) -> tuple[list[ReturnedChange], int]:
        changes: list[ReturnedChange] = []
        read = 0
        for assessment in self.assessments:
            sheet = self.sheets.get(assessment.sheet_name)
            if sheet is None:
                raise _LegacyReturnError(
                    f"The sheet \u201c{assessment.sheet_name}\u201d ({assessment.standard_code}) is missing: "
                    "it was deleted or renamed"
                )
            found, count = self._sheet_changes(assessment, sheet)
            changes.extend(found)
            read += count
        return changes, read

    def _sheet_changes(
        self, assessment: ReturnedAssessment, rows: list[list[CellValue]]
    ) -> tuple[list[ReturnedChange], int]:
        columns = _heading_columns(rows, assessment.sheet_name)
        heading_row = columns.pop("")
        fixed_columns = [columns.get(c.heading) for c in layout.FIXED_COLUMNS]
        if None in fixed_columns:
            missing = [c.heading for c, i in zip(layout.FIXED_COLUMNS, fixed_columns, strict=True) if i is None]
            self.warnings.append(
                f"Sheet \u201c{assessment.sheet_name}\u201d: the column(s) {', '.join(missing)} are missing, so "
                "changes to the information columns cannot be checked; only judgements and notes are read"
            )
        reference, judgement_at, notes_at = (columns[c.heading] for c in (layout.REFERENCE, layout.JUDGEMENT,
                                                                          layout.NOTES))
        by_ref: dict[str, list[list[CellValue]]] = {}
        for row in rows[heading_row + 1:]:
            ref = cell_text(_at(row, reference)).strip()
            if ref:
                by_ref.setdefault(ref, []).append(row)

        wanted = [(ref, exported) for (uid, ref), exported in self.exported.items() if uid == assessment.uid]
        changes: list[ReturnedChange] = []
        missing_rows: list[str] = []
        doubled: list[str] = []
        other_columns: list[str] = []
        for ref, (exported, fixed) in wanted:
            found = by_ref.get(ref, [])
            if len(found) != 1:
                (missing_rows if not found else doubled).append(ref)
                continue
            row = found[0]
            judgement_text = cell_text(_at(row, judgement_at))
            judgement = layout.judgement_from_text(judgement_text)
            if judgement is None:
                self.warnings.append(
                    f"{ref}: \u201c{judgement_text.strip()}\u201d is not a judgement, so its judgement is left "
                    "as it is; choose one from the list"
                )
            notes = cell_text(_at(row, notes_at))
            new_judgement = judgement if judgement is not None and judgement is not exported.judgement else None
            new_notes = None if exported.left_as_exported(notes) else notes
            if new_judgement is not None or new_notes is not None:
                changes.append(
                    ReturnedChange(assessment.uid, assessment.standard_code, ref, exported, new_judgement, new_notes)
                )
            if None not in fixed_columns:
                values = [cell_text(_at(row, i)) for i in fixed_columns if i is not None]
                if layout.fixed_digest(values) != fixed:
                    other_columns.append(ref)
        sheet = f"Sheet \u201c{assessment.sheet_name}\u201d"
        if missing_rows:
            left = "it is" if len(missing_rows) == 1 else "they are"
            self.warnings.append(f"{sheet}: no row for {_named(missing_rows)}; left as {left}")
        if doubled:
            self.warnings.append(
                f"{sheet}: more than one row for {_named(doubled)}, so nothing in those rows is imported"
            )
        extra = sorted(set(by_ref) - {ref for ref, _exported in wanted})
        if extra:
            self.warnings.append(f"{sheet}: rows for references not in this return are ignored: {_named(extra)}")
        if other_columns:
            self.warnings.append(
                f"{sheet}: columns other than Judgement and Evidence notes were changed for {_named(other_columns)}; "
                "only judgements and notes are imported"
            )
        return changes, len(wanted) - len(missing_rows) - len(doubled)


def _heading_columns(rows: list[list[CellValue]], sheet_name: str) -> dict[str, int]:
    """Column index by heading, found in the first rows; the heading row's index under the key ""."""
    needed = {c.heading.casefold(): c.heading for c in (layout.REFERENCE, layout.JUDGEMENT, layout.NOTES)}
    known = {c.heading.casefold(): c.heading for c in layout.CRITERIA_COLUMNS}
    for number, row in enumerate(rows[:_HEADING_SEARCH_ROWS]):
        texts = [" ".join(cell_text(value).split()).casefold() for value in row]
        if all(heading in texts for heading in needed):
            columns = {known[text]: index for index, text in enumerate(texts) if text in known}
            columns[""] = number
            return columns
    raise _LegacyReturnError(
        f"The sheet \u201c{sheet_name}\u201d has no heading row with the columns "
        f"{', '.join(needed.values())}"
    )


def _trimmed(row: Sequence[CellValue]) -> list[str]:
    return layout.metadata_row([cell_text(value) for value in row])


def _at(row: Sequence[CellValue], index: int) -> CellValue | None:
    return row[index] if index < len(row) else None


def _named(refs: Sequence[str]) -> str:
    if len(refs) <= _REFS_NAMED + 1:
        return ", ".join(refs)
    return f"{', '.join(refs[:_REFS_NAMED])} and {len(refs) - _REFS_NAMED} more"
