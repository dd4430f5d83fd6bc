"""What reading a legacy (council-made) return produces: plain, immutable results.

The reader fills these; the import service and the accuracy benchmark consume them.
A non-empty ``flags`` on a row means "needs review" — such a row is never imported
without the user confirming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from nesds_desktop.domain.judgements import Judgement

MatchedBy = Literal["reference", "text", "none"]

# What a column of a legacy return can hold, with the words the import wizard shows for each.
FIELD_LABELS: dict[str, str] = {
    "ref": "Reference",
    "statement": "Criterion text",
    "standard_column": "Standard (per row)",
    "level": "Level of the criterion",
    "judgement": "Judgement",
    "notes": "Notes",
    "evidence": "Evidence",
    "action": "Action",
    "owner": "Owner",
    "due": "Due date",
}
# Fields one column at most can hold; the others may span several columns (joined line by line).
SINGLE_COLUMN_FIELDS = frozenset({"ref", "statement", "standard_column", "level", "judgement", "owner", "due"})


@dataclass(frozen=True)
class LegacyRow:
    """One data row as found in the spreadsheet, before any matching."""

    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    ref_text: str
    statement_text: str
    judgement_text: str
    notes: str
    evidence: str
    action: str
    owner: str
    due: date | None


@dataclass(frozen=True)
class RowMatch:
    """A row matched (or not) to a catalogue criterion, with its judgement read."""

    row: LegacyRow
    criterion_ref: str | None
    match_confidence: float  # 0..1
    matched_by: MatchedBy
    judgement: Judgement | None
    judgement_confidence: float  # 0..1
    flags: tuple[str, ...]  # non-empty means "needs review"

    @property
    def needs_review(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class SheetOverride:
    """What a person set for one sheet in place of what the reader detected; None means "detect"."""

    standard_code: str | None = None
    header_row: int | None = None  # 1-based
    columns: Mapping[str, tuple[int, ...]] | None = None
    """Field -> 0-based column positions; when given it is the whole mapping (a field left out is not read)."""
    skip: bool = False  # leave the sheet out altogether

    @property
    def is_default(self) -> bool:
        return self == SheetOverride()


@dataclass(frozen=True)
class SheetReading:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, str]  # field name -> the header text found
    standard_code: str | None
    matches: tuple[RowMatch, ...]
    column_positions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Field -> the 0-based columns read for it."""
    header_cells: tuple[str, ...] = ()
    """The text of every cell of the header row, so a person can map the columns themselves."""
    detected_standard: str | None = None
    """The standard the reader found by itself (``standard_code`` may be a person's choice)."""


@dataclass(frozen=True)
class LegacyReading:
    file: str
    authority_hint: str | None
    round_hint: str | None
    sheets: tuple[SheetReading, ...]
    problems: tuple[str, ...]
    macros_present: bool
    unread_sheets: tuple[str, ...] = ()
    """Visible sheets with content but no header row found: a person may give one."""
    sheet_tops: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    """The text of the first rows of each visible sheet, so a person can see where the header is."""
