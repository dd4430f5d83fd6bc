"""What reading a legacy (council-made) return produces: plain, immutable results.

The reader fills these; the import service and the accuracy benchmark consume them.
A non-empty ``flags`` on a row means "needs review" — such a row is never imported
without the user confirming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from nesds_desktop.domain.judgements import Judgement

MatchedBy = Literal["reference", "text", "none"]


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
class SheetReading:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, str]  # field name -> the header text found
    standard_code: str | None
    matches: tuple[RowMatch, ...]


@dataclass(frozen=True)
class LegacyReading:
    file: str
    authority_hint: str | None
    round_hint: str | None
    sheets: tuple[SheetReading, ...]
    problems: tuple[str, ...]
    macros_present: bool
