"""Write an Excel return (.xlsx): a cover, one sheet per standard, the actions, hidden metadata.

The return must read well on screen and on paper, stay editable in Excel or LibreOffice
(a drop-down on each judgement), and come back: the hidden metadata sheet records what
was exported so the reader can tell exactly what a person changed.

Every cell holds a value, never a formula: totals are worked out here, so the workbook
reads the same in any locale and any program.  Text is always written as text, so a
note that starts with ``=``, ``+``, ``-`` or ``@`` stays a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from nesds_desktop._version import APP_NAME, __version__
from nesds_desktop.domain.assessments import ActionState, total_savings
from nesds_desktop.domain.catalogue import Criterion, ReleaseInfo, Section
from nesds_desktop.domain.level_rule import StandardResult
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import ActionItem, AssessmentSnapshot, AuthorityRecord
from nesds_desktop.returns import layout

ProgressCallback = Callable[[int, int], None]

# Arial 10 is the house style of most council spreadsheets; rows are sized for it.
_FONT_NAME = "Arial"
_LINE_HEIGHT = 12.75
_CHARACTERS_PER_WIDTH = 1.15
_MAX_ROW_HEIGHT = 409.0  # the tallest row Excel allows
_MONEY_FORMAT = '"£"#,##0.00'
_SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")

_NAVY = "1F3864"
_THIN = Side(style="thin", color="A6A6A6")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(name=_FONT_NAME, size=10)
_BOLD = Font(name=_FONT_NAME, size=10, bold=True)
_MUTED = Font(name=_FONT_NAME, size=10, italic=True, color="595959")
_WRAP = Alignment(wrap_text=True, vertical="top")
_NUMBER = Alignment(vertical="top", horizontal="right")
_HEADING_FILL = PatternFill("solid", start_color=_NAVY)
_BAND_FILL = PatternFill("solid", start_color="D9E1F2")
_EDITABLE_FILL = PatternFill("solid", start_color="FFF2CC")  # pale yellow: "you may change this"

# Named cell styles (they show in Excel's Cell Styles gallery): one lookup per cell instead of
# four style assignments, which keeps a ten-standard return well under half a second.
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"font": Font(name=_FONT_NAME, size=16, bold=True, color=_NAVY)},
    "subtitle": {"font": Font(name=_FONT_NAME, size=12, bold=True, color=_NAVY)},
    "label": {"font": _BOLD, "alignment": _WRAP},
    "text": {"font": _BODY, "alignment": _WRAP},
    "note": {"font": _MUTED},
    "heading": {
        "font": Font(name=_FONT_NAME, size=10, bold=True, color="FFFFFF"),
        "alignment": Alignment(wrap_text=True, vertical="center"),
        "border": _GRID,
        "fill": _HEADING_FILL,
    },
    "cell": {"font": _BODY, "alignment": _WRAP, "border": _GRID},
    "cell bold": {"font": _BOLD, "alignment": _WRAP, "border": _GRID},
    "cell band": {"font": _BOLD, "alignment": _WRAP, "border": _GRID, "fill": _BAND_FILL},
    "cell editable": {"font": _BODY, "alignment": _WRAP, "border": _GRID, "fill": _EDITABLE_FILL},
    "cell muted": {"font": _MUTED, "alignment": _WRAP, "border": _GRID},
    "date": {"font": _BODY, "alignment": Alignment(vertical="top", horizontal="left"), "border": _GRID,
             "number_format": "dd mmm yyyy"},
    "date muted": {"font": _MUTED, "alignment": Alignment(vertical="top", horizontal="left"), "border": _GRID,
                   "number_format": "dd mmm yyyy"},
    "money": {"font": _BODY, "alignment": _NUMBER, "border": _GRID, "number_format": _MONEY_FORMAT},
    "money bold": {"font": _BOLD, "alignment": _NUMBER, "border": _GRID, "number_format": _MONEY_FORMAT},
    "money muted": {"font": _MUTED, "alignment": _NUMBER, "border": _GRID, "number_format": _MONEY_FORMAT},
    "money total": {
        "font": _BOLD,
        "alignment": _NUMBER,
        "border": Border(top=Side(style="thin", color="000000"), bottom=Side(style="double", color="000000")),
        "number_format": _MONEY_FORMAT,
    },
}
_STYLE_PREFIX = "NeSDS "
_NONE = "\u2013"  # an en dash where an action has no owner or date

# Standard, title or section, level, three shares (or answered, state, facilitator), explanation or participants.
_COVER_WIDTHS = (16, 32, 14, 15, 15, 15, 40, 16)
# The printable area of landscape A4 inside the margins _print_setup sets, in points.
_PRINTABLE_WIDTH = 842 - 2 * 0.5 * 72
_PRINTABLE_HEIGHT = 595 - 2 * 0.75 * 72
_JUDGEMENT_LIST = ",".join(j.label for j in layout.JUDGEMENT_CHOICES)
_GUIDANCE = (
    "You may change the shaded columns of each standard's sheet, Judgement (choose from the list) and "
    f"Evidence notes, in Excel or LibreOffice. When the workbook is imported into {APP_NAME}, exactly those "
    "changes are recorded, each in the assessment's history; changes to other columns are not imported. "
    f"The hidden sheet \u201c{layout.METADATA_SHEET}\u201d lets {APP_NAME} see what was changed: please do not "
    "change or delete it."
)


class ReturnWriteError(ValueError):
    """The return cannot be written as asked; the message says why."""


@dataclass(frozen=True)
class ReturnAssessment:
    """One assessment in a return, with its level and the release it was assessed against."""

    snapshot: AssessmentSnapshot
    result: StandardResult
    release: ReleaseInfo


@dataclass(frozen=True)
class ReturnDocument:
    """What goes in a return: one authority's assessments in one round, one per standard."""

    assessments: tuple[ReturnAssessment, ...]
    exported_at: datetime
    exported_by: str = ""

    @property
    def authority(self) -> AuthorityRecord:
        return self.assessments[0].snapshot.summary.authority

    @property
    def round_label(self) -> str:
        return self.assessments[0].snapshot.summary.round.label


@dataclass(frozen=True)
class WrittenReturn:
    sheets: tuple[str, ...]
    criteria: int
    actions: int
    cut_short: tuple[str, ...] = field(default=())
    """Texts too long for a spreadsheet cell, shortened, e.g. "ICT-1-M2 evidence notes"."""


def write_return(document: ReturnDocument, target: Path, progress: ProgressCallback | None = None) -> WrittenReturn:
    """Write ``document`` to ``target`` (.xlsx).  The caller decides where; this writes straight there."""
    _check_document(document)
    writer = _Writer(document, progress)
    return writer.write(target)


def standard_sheet_name(code: str) -> str:
    """The sheet a standard's criteria go on: its code, made a legal and unreserved sheet name."""
    name = _NOT_IN_SHEET_NAMES.sub("_", code).strip("'")[:_SHEET_NAME_LIMIT] or "Standard"
    return f"{name[: _SHEET_NAME_LIMIT - 1]}_" if name in layout.RESERVED_SHEETS else name


def _check_document(document: ReturnDocument) -> None:
    if not document.assessments:
        raise ReturnWriteError("a return needs at least one assessment")
    first = document.assessments[0].snapshot.summary
    codes: set[str] = set()
    for item in document.assessments:
        summary = item.snapshot.summary
        if summary.authority.id != first.authority.id or summary.round != first.round:
            raise ReturnWriteError(
                "a return covers one authority in one round; "
                f"{summary.title} does not belong with {first.title}"
            )
        if summary.standard_code in codes:
            raise ReturnWriteError(
                f"a return holds one assessment per standard; {summary.standard_code} is given twice"
            )
        codes.add(summary.standard_code)


class _Writer:
    def __init__(self, document: ReturnDocument, progress: ProgressCallback | None) -> None:
        self.document = document
        self.progress = progress
        self.steps = len(document.assessments) + 3
        self.done = 0
        self.cut_short: list[str] = []
        self.metadata: list[list[str]] = []
        self.sheet_names = _unique_sheet_names([a.snapshot.summary.standard_code for a in document.assessments])

    def _step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.steps)

    def write(self, target: Path) -> WrittenReturn:
        document = self.document
        workbook = Workbook()
        _default_font(workbook)
        for name, spec in _STYLES.items():
            workbook.add_named_style(NamedStyle(name=_STYLE_PREFIX + name, **spec))
        _set_properties(workbook, document)
        cover = workbook.active
        cover.title = layout.COVER_SHEET
        self._cover(cover)
        self._step()
        self.metadata = [
            [layout.RECORD_FORMAT, layout.FORMAT_NAME, layout.FORMAT_VERSION],
            [layout.RECORD_EXPORT, __version__, document.exported_at.isoformat(), document.exported_by],
        ]
        criteria = 0
        for item, name in zip(document.assessments, self.sheet_names, strict=True):
            criteria += self._standard_sheet(workbook.create_sheet(name), item, name)
            self._step()
        actions = self._actions_sheet(workbook.create_sheet(layout.ACTIONS_SHEET))
        self._step()
        self._metadata_sheet(workbook.create_sheet(layout.METADATA_SHEET))
        workbook.active = 0
        workbook.save(target)
        self._step()
        return WrittenReturn(tuple(workbook.sheetnames), criteria, actions, tuple(self.cut_short))

    # -- cover ---------------------------------------------------------------------------------
    def _cover(self, sheet: Worksheet) -> None:
        document = self.document
        authority = document.authority.authority
        cover = _Cover(sheet)
        cover.line("NeSDS e-Standards self-assessment return", "title", 24)
        cover.line(authority.name, "subtitle", 18)
        cover.gap()
        standards = [f"{a.snapshot.summary.standard_code} {a.snapshot.summary.standard_title}"
                     for a in document.assessments]
        releases = sorted({f"{a.release.title} {a.release.version} ({a.release.release_id})"
                           for a in document.assessments})
        facts: list[tuple[str, str]] = [
            ("Authority", authority.name),
            ("Authority type", authority.type.label),
            ("GSS code", authority.gss_code or "not known"),
            ("Region", authority.region.label),
            ("Round", document.round_label),
            ("Standards" if len(standards) > 1 else "Standard", "\n".join(standards)),
            ("Catalogue release", "\n".join(releases)),
            ("Exported", _when(document.exported_at, document.exported_by)),
            ("Making changes", _GUIDANCE),
        ]
        if len(document.assessments) == 1:
            facts.insert(6, ("Level achieved", document.assessments[0].result.level_label))
        for label, value in facts:
            cover.fact(label, value)

        totals = total_savings(a.action for item in document.assessments for a in item.snapshot.actions)
        note = f"From {totals.actions} action(s); cancelled actions are not counted."
        if totals.cashable_share is not None:
            note += f" Cashable share: {totals.cashable_share * 100:.0f}%."
        cover.money_table(
            "Efficiency savings identified",
            (("Cashable", totals.cashable), ("Non-cashable", totals.non_cashable), ("Total", totals.total)),
            note,
        )
        cover.table(
            "Assessments in this return",
            ("Standard", "Title", "Level achieved", "Criteria answered", "State", "Facilitator", "Participants",
             "Workshop"),
            [
                (
                    (s.standard_code, s.standard_title, item.result.level_label, f"{s.answered} of {s.total}",
                     s.state.label, s.facilitator, s.participants, _workshop(s.workshop_start, s.workshop_end)),
                    False,
                )
                for item in document.assessments
                for s in (item.snapshot.summary,)
            ],
        )
        section_rows: list[tuple[tuple[str, ...], bool]] = []
        for item in document.assessments:
            code, result = item.snapshot.summary.standard_code, item.result
            for section in result.sections:
                shares = tuple(share.share_text for share in section.shares)
                values = (code, f"{section.number}. {section.title}", section.level_label, *shares,
                          section.explanation)
                section_rows.append((values, False))
            shares = tuple(share.share_text for share in result.shares)
            section_rows.append(((code, "Standard overall", result.level_label, *shares, result.explanation), True))
        cover.table(
            "Level achieved by section",
            ("Standard", "Section", "Level achieved", *(f"{level.label} met" for level in Level), "Why this level"),
            section_rows,
        )
        _print_setup(sheet, document, "Cover", landscape=True, title_rows=None)

    # -- a standard's criteria -----------------------------------------------------------------
    def _standard_sheet(self, sheet: Worksheet, item: ReturnAssessment, name: str) -> int:
        snapshot = item.snapshot
        summary = snapshot.summary
        columns = layout.CRITERIA_COLUMNS
        widths = tuple(c.width for c in columns)
        last_column = get_column_letter(len(columns))
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        _text(sheet, 1, 1, f"{summary.standard_code} {summary.standard_title}", "title")
        sheet.row_dimensions[1].height = 24
        _text(sheet, 2, 1, f"{summary.authority.name} · round {summary.round.label} · "
                           f"level achieved: {item.result.level_label}", "subtitle")
        sheet.row_dimensions[2].height = 18
        _text(sheet, 3, 1, item.result.explanation, "text")
        sheet.merge_cells(f"A3:{last_column}3")
        sheet.row_dimensions[3].height = _height([item.result.explanation], [sum(widths)])
        _heading_row(sheet, layout.HEADING_ROW, [c.heading for c in columns])
        self.metadata.append([
            layout.RECORD_ASSESSMENT, summary.uid, summary.standard_code, name, item.release.release_id,
            item.release.content_hash, summary.authority.uid, summary.round.label,
        ])

        styles = ["cell editable" if column.editable else "cell" for column in columns]
        row = layout.FIRST_CRITERION_ROW
        for section in snapshot.standard.sections:
            for criterion in section.criteria:
                values = self._criterion_values(snapshot, section, criterion)
                for index, (style, value) in enumerate(zip(styles, values, strict=True), start=1):
                    _text(sheet, row, index, value, style)
                sheet.row_dimensions[row].height = _height(values, widths)
                answer = snapshot.answer(criterion.ref)
                self.metadata.append([
                    layout.RECORD_CRITERION, summary.uid, criterion.ref, answer.judgement.value,
                    layout.digest(layout.cell_form(answer.notes)),
                    layout.fixed_digest(
                        [layout.cell_form(v) for c, v in zip(columns, values, strict=True) if c in layout.FIXED_COLUMNS]
                    ),
                ])
                row += 1
        last_row = row - 1
        judgement_column = get_column_letter(columns.index(layout.JUDGEMENT) + 1)
        if last_row >= layout.FIRST_CRITERION_ROW:
            validation = DataValidation(
                type="list",
                formula1=f'"{_JUDGEMENT_LIST}"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle="Judgement",
                error=f"Choose a judgement from the list: {_JUDGEMENT_LIST.replace(',', ', ')}.",
            )
            validation.add(f"{judgement_column}{layout.FIRST_CRITERION_ROW}:{judgement_column}{last_row}")
            sheet.add_data_validation(validation)
        sheet.auto_filter.ref = f"A{layout.HEADING_ROW}:{last_column}{max(last_row, layout.HEADING_ROW)}"
        sheet.freeze_panes = f"B{layout.FIRST_CRITERION_ROW}"
        _print_setup(sheet, self.document, f"{summary.standard_code} {summary.standard_title}", landscape=True,
                     title_rows=f"{layout.HEADING_ROW}:{layout.HEADING_ROW}")
        return last_row - layout.FIRST_CRITERION_ROW + 1

    def _criterion_values(self, snapshot: AssessmentSnapshot, section: Section, criterion: Criterion) -> list[str]:
        answer = snapshot.answer(criterion.ref)
        evidence = [
            f"{e.reference.title} \u2014 {e.reference.location}" if e.reference.location else e.reference.title
            for e in snapshot.evidence_for(criterion.ref)
        ]
        if len(evidence) > 1:
            evidence = [f"\u2022 {item}" for item in evidence]
        linked = snapshot.actions_for(criterion.ref)
        # Several actions are numbered, and their owners and dates carry the same numbers, since a
        # wrapped description no longer lines up with the owner beside it.
        numbers = [f"{n}. " if len(linked) > 1 else "" for n in range(1, len(linked) + 1)]
        owners = [a.action.owner or _NONE for a in linked]
        dates = [_day(a.action.due) if a.action.due else _NONE for a in linked]
        notes = self._fitted(answer.notes, f"{criterion.ref} evidence notes")
        return [
            criterion.ref,
            f"{section.number}. {section.title}",
            criterion.level.label,
            criterion.statement,
            answer.judgement.label,
            notes,
            self._fitted("\n".join(evidence), f"{criterion.ref} evidence references"),
            self._fitted("\n".join(n + _action_line(a) for n, a in zip(numbers, linked, strict=True)),
                         f"{criterion.ref} linked actions"),
            "\n".join(n + owner for n, owner in zip(numbers, owners, strict=True)),
            "\n".join(n + day for n, day in zip(numbers, dates, strict=True)),
        ]

    def _fitted(self, text: str, what: str) -> str:
        if layout.is_cut_short(text):
            self.cut_short.append(what)
        return layout.cell_form(text)

    # -- actions -------------------------------------------------------------------------------
    def _actions_sheet(self, sheet: Worksheet) -> int:
        document = self.document
        headings: tuple[tuple[str, int], ...] = (
            ("Standard", 10), ("Criterion", 11), ("Action", 46), ("Owner", 22), ("Due date", 12),
            ("Priority", 9), ("State", 11), ("Cashable saving (£)", 13), ("Non-cashable saving (£)", 14),
            ("Total saving (£)", 13),
        )
        widths = tuple(width for _heading, width in headings)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        last_column = get_column_letter(len(headings))
        _text(sheet, 1, 1, "Improvement actions and efficiency savings", "title")
        sheet.row_dimensions[1].height = 24
        _text(sheet, 2, 1, f"{document.authority.name} · round {document.round_label} · savings are "
                           "estimates in pounds a year", "subtitle")
        sheet.row_dimensions[2].height = 18
        _heading_row(sheet, layout.HEADING_ROW, [heading for heading, _width in headings])
        row = layout.FIRST_CRITERION_ROW
        every: list[ActionItem] = []
        for item in document.assessments:
            code = item.snapshot.summary.standard_code
            for action_item in _in_catalogue_order(item):
                action = action_item.action
                every.append(action_item)
                # A cancelled action is listed, greyed, and left out of the totals.
                muted = " muted" if action.state is ActionState.CANCELLED else ""
                texts = (code, action.criterion_ref or "whole standard", self._fitted(action.description, "an action"),
                         action.owner, None, action.priority.label, action.state.label)
                for column, value in enumerate(texts, start=1):
                    _text(sheet, row, column, value, f"cell{muted}")
                sheet.cell(row=row, column=5, value=action.due).style = f"{_STYLE_PREFIX}date{muted}"
                for column, amount in enumerate(
                    (action.saving_cashable, action.saving_non_cashable, action.saving_total), start=8
                ):
                    _money(sheet, row, column, amount, f"money{muted}")
                sheet.row_dimensions[row].height = _height([str(t or "") for t in texts], widths)
                row += 1
        last_row = row - 1
        sheet.auto_filter.ref = f"A{layout.HEADING_ROW}:{last_column}{max(last_row, layout.HEADING_ROW)}"
        if not every:
            _text(sheet, row, 1, "No actions have been recorded.", "note")
            row += 1
        totals = total_savings(a.action for a in every)
        total_row = row + 1
        _text(sheet, total_row, 3, f"Total of {totals.actions} action(s); cancelled actions are not counted",
              "label")
        sheet.merge_cells(start_row=total_row, start_column=3, end_row=total_row, end_column=7)
        for column, amount in enumerate((totals.cashable, totals.non_cashable, totals.total), start=8):
            _money(sheet, total_row, column, amount, "money total")
        sheet.freeze_panes = f"A{layout.FIRST_CRITERION_ROW}"
        _print_setup(sheet, document, "Actions", landscape=True,
                     title_rows=f"{layout.HEADING_ROW}:{layout.HEADING_ROW}")
        return len(every)

    # -- metadata ------------------------------------------------------------------------------
    def _metadata_sheet(self, sheet: Worksheet) -> None:
        rows = [
            layout.metadata_row([layout.cell_form(value) for value in values])
            for values in (
                [f"{APP_NAME} uses this sheet to see what was changed in the return. Please do not edit or delete it."],
                *self.metadata,
            )
        ]
        rows.append([layout.RECORD_CHECKSUM, layout.metadata_checksum(rows)])
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                _text(sheet, number, column, value)
        sheet.sheet_state = "hidden"


class _Cover:
    """Lays out the cover row by row, keeping count of how full the printed page is.

    Print titles repeat rows at the top of every page, which suits one table per sheet
    but not the cover's several tables; so when a table runs on to a new page, the
    cover breaks the page itself and writes the table's headings again.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1
        for index, width in enumerate(_COVER_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        self.last_column = len(_COVER_WIDTHS)
        # Printed as wide as the page: the scale is the printable width over the columns' width.
        columns_points = sum(7 * width + 5 for width in _COVER_WIDTHS) * 0.75
        scale = min(1.0, _PRINTABLE_WIDTH / columns_points)
        # Slack, as programs round the scale down and measure columns a little differently.
        self.capacity = 0.9 * _PRINTABLE_HEIGHT / scale
        self.used = 0.0

    def _advance(self, height: float) -> None:
        self.sheet.row_dimensions[self.row].height = height
        self.used += height
        self.row += 1

    def _new_page(self) -> None:
        self.sheet.row_breaks.append(Break(id=self.row - 1))
        self.used = 0.0

    def line(self, text: str, style: str, height: float) -> None:
        _text(self.sheet, self.row, 1, text, style)
        self._advance(height)

    def gap(self) -> None:
        if self.used:
            self._advance(_LINE_HEIGHT)

    def fact(self, label: str, value: str) -> None:
        _text(self.sheet, self.row, 1, label, "label")
        _text(self.sheet, self.row, 2, value, "text")
        self.sheet.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=self.last_column)
        self._advance(_height([value], [sum(_COVER_WIDTHS[1:])]))

    def money_table(self, title: str, amounts: Sequence[tuple[str, Decimal]], note: str) -> None:
        headings = ("Saving", "£ a year")
        heading_height = _heading_height(headings, _COVER_WIDTHS)
        if self.used + 18 + heading_height + len(amounts) * (_LINE_HEIGHT + 3) + _LINE_HEIGHT > self.capacity:
            self._new_page()
        self.gap()
        self.line(title, "subtitle", 18)
        self._heading(headings, heading_height)
        for label, amount in amounts:
            total = label == "Total"
            _text(self.sheet, self.row, 1, label, "cell bold" if total else "cell")
            _money(self.sheet, self.row, 2, amount, "money bold" if total else "money")
            self._advance(_LINE_HEIGHT + 3)
        self.line(note, "note", _LINE_HEIGHT + 2)

    def table(self, title: str, headings: Sequence[str], rows: Sequence[tuple[Sequence[str], bool]]) -> None:
        """A table as wide as the cover, its last column spanning the columns left over.

        Rows are given as (values, emphasised); the third column (the level) is always bold.
        """
        merged = len(headings) < self.last_column
        widths = [*_COVER_WIDTHS[: len(headings) - 1], sum(_COVER_WIDTHS[len(headings) - 1:])]
        heights = [_height(values, widths) for values, _emphasised in rows]
        heading_height = _heading_height(headings, widths)
        if self.used + _LINE_HEIGHT + 18 + heading_height + (heights[0] if heights else 0) > self.capacity:
            self._new_page()
        self.gap()
        self.line(title, "subtitle", 18)
        self._heading(headings, heading_height, merged)
        for (values, emphasised), height in zip(rows, heights, strict=True):
            if self.used + height > self.capacity:
                self._new_page()
                self._heading(headings, heading_height, merged)
            for column, value in enumerate(values, start=1):
                style = "cell band" if emphasised else "cell bold" if column == 3 else "cell"
                _text(self.sheet, self.row, column, value, style)
            if merged:
                self._merge_last(len(values), "cell band" if emphasised else "cell")
            self._advance(height)

    def _heading(self, headings: Sequence[str], height: float, merged: bool = False) -> None:
        for column, heading in enumerate(headings, start=1):
            _text(self.sheet, self.row, column, heading, "heading")
        if merged:
            self._merge_last(len(headings), "heading")
        self._advance(height)

    def _merge_last(self, first: int, style: str) -> None:
        for column in range(first + 1, self.last_column + 1):
            self.sheet.cell(row=self.row, column=column).style = _STYLE_PREFIX + style
        self.sheet.merge_cells(start_row=self.row, start_column=first, end_row=self.row, end_column=self.last_column)


# -- helpers ------------------------------------------------------------------------------------


def _text(sheet: Worksheet, row: int, column: int, value: str | None, style: str | None = None) -> None:
    """Put text in a cell as text: never a formula, with ``_xHHHH_`` kept literal."""
    cell = sheet.cell(row=row, column=column)
    text = layout.cell_form(value or "")
    if text:
        cell.value = layout.excel_escaped(text)
        cell.data_type = "s"
    if style is not None:
        cell.style = _STYLE_PREFIX + style


def _money(sheet: Worksheet, row: int, column: int, amount: Decimal, style: str) -> None:
    sheet.cell(row=row, column=column, value=amount).style = _STYLE_PREFIX + style


def _heading_row(sheet: Worksheet, row: int, headings: Sequence[str]) -> None:
    widths = []
    for column, heading in enumerate(headings, start=1):
        _text(sheet, row, column, heading, "heading")
        widths.append(int(sheet.column_dimensions[get_column_letter(column)].width or 10))
    sheet.row_dimensions[row].height = _heading_height(headings, widths)


def _heading_height(headings: Sequence[str], widths: Sequence[int]) -> float:
    # Bold text is a little wider than the body text the widths are judged by.
    return _height(headings, [int(0.95 * width) for width in widths]) + 4


def _lines(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in a column ``width`` wide."""
    if not text:
        return 1
    # A column width counts digits of the default font (Arial 10); text averages a little more characters than
    # that (about 1.2 in Arial), fewer in a wider stand-in font such as DejaVu Sans: err towards taller rows.
    capacity = max(1, int(width * _CHARACTERS_PER_WIDTH))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) <= capacity:
                used += 1 + len(word)
                continue
            if not used and len(word) <= capacity:
                used = len(word)
                continue
            # The word starts a new line; one longer than a line is broken across lines.
            if used:
                lines += 1
            full, rest = divmod(len(word), capacity)
            lines += full - 1 if rest == 0 else full
            used = rest or capacity
    return lines


def _height(values: Sequence[str], widths: Sequence[int]) -> float:
    # Spreadsheet programs do not grow rows to fit wrapped text when they open a file.
    lines = max(_lines(value, width) for value, width in zip(values, widths, strict=False))
    return min(_LINE_HEIGHT * lines + 3, _MAX_ROW_HEIGHT)


def _print_setup(sheet: Worksheet, document: ReturnDocument, what: str, *, landscape: bool,
                 title_rows: str | None) -> None:
    """A4, as wide as the page, the heading row on every page, who and what in the running header."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    header = sheet.oddHeader
    header.left.text = _header_text(document.authority.name)
    header.left.size, header.left.font = 9, f"{_FONT_NAME},Bold"
    header.right.text = _header_text(f"NeSDS return {document.round_label} \u00b7 {what}")
    header.right.size, header.right.font = 9, _FONT_NAME
    footer = sheet.oddFooter
    footer.left.text = _header_text(f"Exported {document.exported_at:%d %B %Y} by {APP_NAME}")
    footer.left.size, footer.left.font = 8, _FONT_NAME
    footer.right.text = "Page &P of &N"
    footer.right.size, footer.right.font = 8, _FONT_NAME


def _header_text(text: str) -> str:
    # "&" starts a code in a running header ("&P" is the page number); a literal one is doubled.
    return text.replace("&", "&&")


def _default_font(workbook: Workbook) -> None:
    """Make Arial 10 the workbook's default font, the one column widths are measured in.

    openpyxl offers no public way to change it; without it a program lacking Calibri
    measures columns in a wider stand-in font and wrapped text no longer fits the rows.
    """
    from openpyxl.utils.indexed_list import IndexedList

    default = Font(name=_FONT_NAME, size=10, family=2)
    workbook._fonts = IndexedList([default])
    workbook._named_styles["Normal"].font = default


def _set_properties(workbook: Workbook, document: ReturnDocument) -> None:
    codes = ", ".join(a.snapshot.summary.standard_code for a in document.assessments)
    properties = workbook.properties
    properties.title = f"NeSDS return: {document.authority.name}, {document.round_label}"
    properties.subject = f"NeSDS e-Standards self-assessment: {codes}"
    properties.creator = document.exported_by or APP_NAME
    properties.lastModifiedBy = document.exported_by or APP_NAME
    properties.keywords = "NeSDS; e-Standards; self-assessment; return"
    properties.language = "en-GB"
    properties.description = f"Exported by {APP_NAME} {__version__}"
    properties.created = properties.modified = document.exported_at.replace(tzinfo=None)


def _unique_sheet_names(codes: Sequence[str]) -> list[str]:
    names: list[str] = []
    for code in codes:
        name = standard_sheet_name(code)
        base, number = name, 2
        while name.casefold() in {n.casefold() for n in names}:
            suffix = f" ({number})"
            name = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
            number += 1
        names.append(name)
    return names


def _in_catalogue_order(item: ReturnAssessment) -> list[ActionItem]:
    """Actions in the order of the criteria they serve; whole-standard actions last."""
    order = {c.ref: index for index, c in enumerate(item.snapshot.standard.criteria())}
    return sorted(item.snapshot.actions, key=lambda a: order.get(a.action.criterion_ref or "", len(order)))


def _action_line(item: ActionItem) -> str:
    action = item.action
    return f"{action.description} ({action.priority.label} priority, {action.state.label.lower()})"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _workshop(start: date | None, end: date | None) -> str:
    if start is None:
        return "not recorded"
    if end is None or end == start:
        return _day(start)
    return f"{_day(start)} to {_day(end)}"


def _when(moment: datetime, who: str) -> str:
    text = f"{moment.day} {moment:%B %Y, %H:%M}"
    return f"{text} by {who}" if who else text
