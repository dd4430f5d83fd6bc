"""Write a comparison as an Excel workbook (.xlsx): peers, this authority, gaps, progress.

House style as in :mod:`return_writer`: values only, never formulas (shares are worked
out here), and every text cell forced to text so a name starting with "=" stays a name.
Sheets: "Distribution" (peers per band, per section and overall, counts and shares),
"This authority" (its band per section beside the peers' and its position), "Gaps",
"Peers" (one row per peer, anonymised when asked), "Progress" (when given).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from nesds_desktop._version import APP_NAME
from nesds_desktop.domain.comparison import BANDS, Distribution, PeerComparison, Progress

_FONT = "Arial"
_BODY = Font(name=_FONT, size=10)
_BOLD = Font(name=_FONT, size=10, bold=True)
_TITLE = Font(name=_FONT, size=14, bold=True, color="1F3864")
_HEADING = Font(name=_FONT, size=10, bold=True, color="FFFFFF")
_HEADING_FILL = PatternFill("solid", start_color="1F3864")
_WRAP = Alignment(wrap_text=True, vertical="top")
_PERCENT = "0%"

SHEET_DISTRIBUTION = "Distribution"
SHEET_SUBJECT = "This authority"
SHEET_GAPS = "Gaps"
SHEET_PEERS = "Peers"
SHEET_PROGRESS = "Progress"


def write_comparison_workbook(comparison: PeerComparison, target: Path, progress: Progress | None = None) -> list[str]:
    """Write the workbook to ``target``; returns the sheet names."""
    workbook = Workbook()
    workbook.properties.creator = APP_NAME
    workbook.properties.title = f"{comparison.standard_code} peer comparison {comparison.round_label}"
    first = workbook.active
    first.title = SHEET_DISTRIBUTION
    _distribution(first, comparison)
    if comparison.subject_name is not None:
        _subject(workbook.create_sheet(SHEET_SUBJECT), comparison)
        _gaps(workbook.create_sheet(SHEET_GAPS), comparison)
    _peers(workbook.create_sheet(SHEET_PEERS), comparison)
    if progress is not None:
        _progress(workbook.create_sheet(SHEET_PROGRESS), progress)
    workbook.save(target)
    return list(workbook.sheetnames)


def _text(sheet: Worksheet, row: int, column: int, value: str, font: Font = _BODY) -> Cell:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # forced: text never becomes a formula
    cell.font = font
    cell.alignment = _WRAP
    return cell


def _number(sheet: Worksheet, row: int, column: int, value: float | int | None, percent: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.font = _BODY
    if percent:
        cell.number_format = _PERCENT


def _header(sheet: Worksheet, row: int, titles: Sequence[str], widths: Sequence[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = _text(sheet, row, column, title, _HEADING)
        cell.fill = _HEADING_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def _title(sheet: Worksheet, comparison: PeerComparison, what: str) -> int:
    _text(sheet, 1, 1, f"{comparison.standard_code} {comparison.standard_title}: {what}, {comparison.round_label}",
          _TITLE)  # fmt: skip
    row = 2
    for note in comparison.notes:
        _text(sheet, row, 1, note)
        row += 1
    return row + 1


def _distribution(sheet: Worksheet, comparison: PeerComparison) -> None:
    row = _title(sheet, comparison, "levels among peers")
    titles = ["Section", "Peers", *BANDS, "Not applicable", *(f"{band} (share)" for band in BANDS)]
    _header(sheet, row, titles, [34, 8, *[11] * len(BANDS), 14, *[13] * len(BANDS)])
    parts: list[tuple[str, Distribution]] = [
        (f"{s.number} {s.title}", s.distribution) for s in comparison.sections
    ]
    parts.append(("Standard (overall)", comparison.overall))
    for label, distribution in parts:
        row += 1
        _text(sheet, row, 1, label, _BOLD if label.startswith("Standard") else _BODY)
        _number(sheet, row, 2, distribution.peers)
        for offset, band in enumerate(BANDS):
            _number(sheet, row, 3 + offset, distribution.counts[band])
            _number(sheet, row, 4 + len(BANDS) + offset, distribution.share(band), percent=True)
        _number(sheet, row, 3 + len(BANDS), distribution.not_applicable)


def _subject(sheet: Worksheet, comparison: PeerComparison) -> None:
    row = _title(sheet, comparison, f"{comparison.subject_name} beside its peers")
    titles = ["Section", "This authority", "Peers lower", "Peers level", "Peers higher", "Most common among peers",
              "Position"]  # fmt: skip
    _header(sheet, row, titles, [34, 16, 12, 12, 12, 22, 50])
    parts = [(f"{s.number} {s.title}", s.distribution) for s in comparison.sections]
    parts.append(("Standard (overall)", comparison.overall))
    for label, distribution in parts:
        row += 1
        _text(sheet, row, 1, label)
        _text(sheet, row, 2, distribution.subject or "Not assessed")
        _number(sheet, row, 3, distribution.below)
        _number(sheet, row, 4, distribution.same)
        _number(sheet, row, 5, distribution.above)
        common = max(BANDS, key=lambda band: (distribution.counts[band], -BANDS.index(band)))
        _text(sheet, row, 6, common if distribution.peers else "")
        _text(sheet, row, 7, distribution.position_text)


def _gaps(sheet: Worksheet, comparison: PeerComparison) -> None:
    row = _title(sheet, comparison, "criteria most peers meet that this authority does not")
    _header(sheet, row, ["Criterion", "Level", "Statement", "This authority", "Peers meeting", "Peers it applies to",
                         "Share of peers meeting"], [12, 12, 60, 16, 14, 16, 14])  # fmt: skip
    for gap in comparison.gaps:
        row += 1
        _text(sheet, row, 1, gap.criterion.ref)
        _text(sheet, row, 2, gap.criterion.level.label)
        _text(sheet, row, 3, gap.criterion.statement)
        _text(sheet, row, 4, gap.judgement.label)
        _number(sheet, row, 5, gap.peers_meeting)
        _number(sheet, row, 6, gap.peers_applicable)
        _number(sheet, row, 7, gap.share, percent=True)
    if not comparison.gaps:
        _text(sheet, row + 1, 1, "No criterion is met by most peers and not by this authority.")


def _peers(sheet: Worksheet, comparison: PeerComparison) -> None:
    row = _title(sheet, comparison, "each peer's levels")
    sections = [f"Section {s.number}" for s in comparison.sections]
    extra = [] if comparison.anonymised else ["Type", "Region"]
    _header(sheet, row, ["Peer", *extra, "Overall", *sections],
            [26, *[22] * len(extra), 14, *[14] * len(sections)])  # fmt: skip
    for peer in comparison.peers:
        row += 1
        values = [peer.label, *([peer.authority_type, peer.region] if extra else []), peer.overall]
        values += [peer.sections[s.number] for s in comparison.sections]
        for column, value in enumerate(values, start=1):
            _text(sheet, row, column, value)


def _progress(sheet: Worksheet, progress: Progress) -> None:
    _text(sheet, 1, 1, f"{progress.standard_code} {progress.standard_title}: progress over rounds", _TITLE)
    row = 2
    for note in (*progress.notes, f"Actions overdue as of {progress.as_of:%d %B %Y}."):
        _text(sheet, row, 1, note)
        row += 1
    row += 1
    numbers = sorted(progress.section_titles)
    _header(sheet, row, ["Round", "Release", "Overall", *(f"{n} {progress.section_titles[n]}" for n in numbers),
                         "Criteria met", "Applicable", "Actions", "Completed", "Overdue"],
            [10, 14, 13, *[16] * len(numbers), 12, 11, 9, 11, 9])  # fmt: skip
    for item in progress.rounds:
        row += 1
        _text(sheet, row, 1, item.round_label)
        _text(sheet, row, 2, item.release_id)
        _text(sheet, row, 3, item.overall)
        for offset, number in enumerate(numbers):
            _text(sheet, row, 4 + offset, item.sections.get(number, "Not in this release"))
        column = 4 + len(numbers)
        for offset, value in enumerate((item.met, item.applicable, item.actions, item.completed, len(item.overdue))):
            _number(sheet, row, column + offset, value)
    row += 2
    _header_row = row
    for column, title in enumerate(("From", "To", "Newly met", "Newly lost"), start=1):
        _text(sheet, _header_row, column, title, _BOLD)
    for change in progress.changes:
        row += 1
        _text(sheet, row, 1, change.from_round)
        _text(sheet, row, 2, change.to_round)
        _text(sheet, row, 3, ", ".join(change.newly_met) or "none")
        _text(sheet, row, 4, ", ".join(change.newly_lost) or "none")
