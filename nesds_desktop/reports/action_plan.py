"""The action plan: the PDF for management and for publication.

Built only from plain domain data (an assessment snapshot, its level result and its savings
totals), in reading order: a one-page executive summary, then each section (level and why,
the gaps with the evidence noted so far, the actions), actions for the standard as a whole,
optionally "How we compare" (:mod:`nesds_desktop.reports.comparison_section`), and
appendices (evidence references; about the assessment and the level rule).

Everything the user typed is escaped for reportlab's paragraph mark-up (``escape`` here, or
:class:`~nesds_desktop.reports.tables.LongText` in tables), so notes containing ``<``, ``&``
or line breaks print as written; long text in tables is cut into rows that can break
across pages (see :mod:`nesds_desktop.reports.tables`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Paragraph, Spacer, Table

from nesds_desktop._version import APP_NAME, __version__
from nesds_desktop.domain.assessments import ActionState, SavingsTotals
from nesds_desktop.domain.catalogue import Criterion, Section
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import LEVEL_RULE, SectionResult, StandardResult
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import ActionItem, AssessmentSnapshot, CriterionAnswer
from nesds_desktop.reports import palette
from nesds_desktop.reports.charts import level_by_section_chart
from nesds_desktop.reports.comparison_section import ComparisonSectionData, comparison_story
from nesds_desktop.reports.fonts import FontSet, register_fonts
from nesds_desktop.reports.layout import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    DocumentInfo,
    Heading,
    ProgressCallback,
    Styles,
    build_pdf,
    keep_with_start,
    make_styles,
    table_style,
)
from nesds_desktop.reports.tables import Cell, LongText, data_table

#: How many gaps and actions the one-page executive summary lists: the first that fits.
SUMMARY_LIST_LENGTHS = ((4, 4), (4, 3), (3, 3), (3, 2), (2, 2))
# Text clipped on the summary page (the full text is in the section pages).
_SUMMARY_STATEMENT_CHARS = 140
_SUMMARY_ACTION_CHARS = 95
_GAPS = (Judgement.NOT_MET, Judgement.PARTLY_MET)


@dataclass(frozen=True)
class ActionPlanData:
    """What an action plan is built from."""

    snapshot: AssessmentSnapshot
    result: StandardResult
    savings: SavingsTotals
    produced: date
    comparison: ComparisonSectionData | None = None
    """The optional "How we compare" section; None leaves it out."""


def write_action_plan(target: BinaryIO, data: ActionPlanData, *, progress: ProgressCallback | None = None) -> int:
    """Write the action plan as PDF to ``target``; returns the number of pages."""
    fonts = register_fonts()
    builder = _Builder(data, fonts, make_styles(fonts))
    return build_pdf(target, builder.story(), document_info(data), fonts=fonts, progress=progress)


def document_info(data: ActionPlanData) -> DocumentInfo:
    summary = data.snapshot.summary
    council = summary.authority.name
    round_label = summary.round.label
    return DocumentInfo(
        title=f"{council}: {summary.standard_title} action plan {round_label}",
        author=council,
        subject=f"NeSDS e-Standards self-assessment of {summary.standard_code} {summary.standard_title}, "
        f"round {round_label}: level achieved, gaps and actions",
        creator=f"{APP_NAME} {__version__}",
        keywords=("NeSDS", "e-Standards", "action plan", summary.standard_code, round_label, council),
        header_left=council,
        header_right=f"{summary.standard_title} action plan · Round {round_label}",
        footer_left=f"NeSDS e-Standards · catalogue release {summary.release_id} · produced {long_date(data.produced)}",
    )


# -- formatting -------------------------------------------------------------------------------


def money(amount: Decimal) -> str:
    """£1,250 for whole pounds, £1,250.50 otherwise."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _clip(value: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word and marked with an ellipsis."""
    flat = " ".join(value.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if flat[limit - 1] != " ":  # the cut falls inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    return f"{cut.rstrip(',;:.-– ')}…"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


# -- choosing what the summary shows -----------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    criterion: Criterion
    section: Section
    answer: CriterionAnswer

    @property
    def judgement(self) -> Judgement:
        return self.answer.judgement


def gaps_of(snapshot: AssessmentSnapshot, section: Section | None = None) -> list[Gap]:
    """Criteria judged not met or partly met, in catalogue order."""
    sections = (section,) if section is not None else snapshot.standard.sections
    return [
        Gap(criterion, part, snapshot.answer(criterion.ref))
        for part in sections
        for criterion in part.criteria
        if snapshot.answer(criterion.ref).judgement in _GAPS
    ]


def most_important_gaps(snapshot: AssessmentSnapshot, result: StandardResult, limit: int) -> list[Gap]:
    """The gaps holding the standard back first (not met before partly met), then the rest
    lowest level first: closing those is what raises the level."""
    holding = {blocker.ref for blocker in result.blockers}
    order = {criterion.ref: index for index, criterion in enumerate(snapshot.standard.criteria())}

    def importance(gap: Gap) -> tuple[int, int, int, int]:
        return (
            0 if gap.criterion.ref in holding else 1,
            gap.criterion.level.rank,
            _GAPS.index(gap.judgement),
            order[gap.criterion.ref],
        )

    return sorted(gaps_of(snapshot), key=importance)[:limit]


def actions_due_soonest(actions: Iterable[ActionItem], limit: int) -> list[ActionItem]:
    """Open actions by due date (undated last), the higher priority first on the same day."""
    return sorted((item for item in actions if item.action.state.is_open), key=_by_due_date)[:limit]


def _by_due_date(item: ActionItem) -> tuple[bool, date, int]:
    """Undated last; on the same day, the higher priority first."""
    return (item.action.due is None, item.action.due or date.max, item.action.priority.sort_key)


def _not_yet_assessed(snapshot: AssessmentSnapshot, criteria: Iterable[Criterion]) -> list[str]:
    return [c.ref for c in criteria if snapshot.answer(c.ref).judgement is Judgement.NOT_YET_ASSESSED]


# -- the document -------------------------------------------------------------------------------


class _Builder:
    def __init__(self, data: ActionPlanData, fonts: FontSet, styles: Styles) -> None:
        self.data = data
        self.snapshot = data.snapshot
        self.result = data.result
        self.fonts = fonts
        self.styles = styles
        self._keys = 0
        section_of = {c.ref: s for s in self.snapshot.standard.sections for c in s.criteria}
        self.section_actions: dict[int, list[ActionItem]] = {s.number: [] for s in self.snapshot.standard.sections}
        self.general_actions: list[ActionItem] = []
        for item in self.snapshot.actions:
            section = section_of.get(item.action.criterion_ref or "")
            if section is None:
                self.general_actions.append(item)
            else:
                self.section_actions[section.number].append(item)

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [*self._summary(), PageBreak()]
        for section in self.snapshot.standard.sections:
            story.extend(self._section(section, self.result.section(section.number)))
        if self.general_actions:
            story.extend(self._general_actions())
        if self.data.comparison is not None:
            story.extend(comparison_story(self.data.comparison, self.fonts, self.styles))
        story.extend(self._evidence_appendix())
        story.extend(self._about_appendix())
        return story

    # -- building blocks ----------------------------------------------------------------------
    def _heading(
        self, text: str, level: int, style: ParagraphStyle | None = None, *, outline_title: str | None = None
    ) -> Heading:
        self._keys += 1
        style = style or (self.styles.h1 if level == 0 else self.styles.h2)
        title = outline_title or text
        return Heading(escape(text), style, outline_title=title, outline_level=level, key=f"heading-{self._keys}")

    def _para(self, mark_up: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(mark_up, style or self.styles.body)

    def _table(self, header: Sequence[str] | None, records: Sequence[Sequence[Cell]], widths: Sequence[float]) -> Table:
        return data_table(header, records, widths, self.styles, self.fonts)

    def _cell(self, mark_up: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(mark_up, style or self.styles.cell)

    # -- executive summary --------------------------------------------------------------------
    def _summary(self) -> list[Flowable]:
        """The executive summary, kept to one page: long text is clipped, and the lists of gaps
        and actions shortened until the page fits; only if it still does not is it scaled down."""
        s = self.styles
        summary = self.snapshot.summary
        result = self.result
        top: list[Flowable] = [
            self._para("NeSDS e-Standards self-assessment · action plan", s.eyebrow),
            self._para(escape(summary.standard_title), s.title),
            self._para(escape(f"{summary.authority.name} · Round {summary.round.label}"), s.subtitle),
            self._para(escape(self._facts_line()), s.note),
            self._heading("Executive summary", 0, s.h1_tight),
            self._key_figures(),
            Spacer(0, 5),
            self._para(escape(result.explanation), s.body),
            self._para(escape(self._savings_note()), s.body_secondary),
            self._heading("Level by section", 1),
            level_by_section_chart(result, self.fonts, s),
            Spacer(0, 3),
            self._para("Bars: the share of each level's applicable criteria met, partly met counting half.", s.note),
        ]
        room = FRAME_HEIGHT - _height(top)
        gaps_heading = self._heading("Most important gaps", 1)
        actions_heading = self._heading("Actions due soonest", 1)
        for gaps, actions in SUMMARY_LIST_LENGTHS:
            lists = [gaps_heading, *self._summary_gaps(gaps), actions_heading, *self._summary_actions(actions)]
            if _height(lists) <= room:
                break
        return [KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT, [*top, *lists], mode="shrink")]

    def _facts_line(self) -> str:
        summary = self.snapshot.summary
        parts = []
        if summary.workshop_start is not None:
            parts.append(f"Workshop {self._workshop_dates()}")
        if summary.facilitator:
            parts.append(f"Facilitator: {summary.facilitator}")
        parts.append(f"Status: {summary.state.label.lower()}")
        parts.append(f"Produced {long_date(self.data.produced)}")
        # Short items are kept whole (no-break spaces), so a wrapped line never splits a date.
        return " · ".join(part if len(part) > 40 else part.replace(" ", "\u00a0") for part in parts)

    def _workshop_dates(self) -> str:
        summary = self.snapshot.summary
        if summary.workshop_start is None:
            return "Not recorded"
        day = long_date(summary.workshop_start)
        if summary.workshop_end is not None and summary.workshop_end != summary.workshop_start:
            day = f"{day} to {long_date(summary.workshop_end)}"
        return day

    def _key_figures(self) -> Table:
        """The level and the savings totals, side by side under a blue rule."""
        s = self.styles
        savings = self.data.savings
        figures = (
            ("Level achieved", self.result.level_label),
            ("Cashable savings", money(savings.cashable)),
            ("Non-cashable savings", money(savings.non_cashable)),
            ("Total savings", money(savings.total)),
        )
        cells = [[self._cell(escape(label), s.figure_label), self._para(escape(value), s.figure_value)]
                 for label, value in figures]  # fmt: skip
        first = 134.0
        rest = (FRAME_WIDTH - first) / 3
        table = Table([cells], colWidths=[first, rest, rest, rest], hAlign="LEFT")
        table.setStyle(
            table_style(
                self.fonts,
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, -1), palette.LIGHT_FILL),
                    ("LINEABOVE", (0, 0), (-1, 0), 3, palette.ACCENT),
                    ("LINEAFTER", (0, 0), (0, 0), 0.6, palette.BORDER),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ],
            )
        )
        return table

    def _savings_note(self) -> str:
        savings = self.data.savings
        share = savings.cashable_share
        counted = _plural(savings.actions, "action")
        if share is None:
            return f"No yearly efficiency savings are estimated ({counted}; cancelled actions not counted)."
        return (
            f"Estimated yearly efficiency savings of {counted}, {share * 100:.0f}% cashable; "
            "cancelled actions not counted."
        )

    def _level_box(self, level_label: str, explanation: str, detail: str) -> Table:
        """A section's level, why, and the share met at each level, in a shaded panel."""
        s = self.styles
        box = Table(
            [
                [
                    [self._cell("Level achieved", s.figure_label), self._para(escape(level_label), s.figure_value)],
                    [self._para(escape(explanation), s.lead), self._para(escape(detail), s.note)],
                ]
            ],
            colWidths=[120, FRAME_WIDTH - 120],
            hAlign="LEFT",
        )
        box.setStyle(
            table_style(
                self.fonts,
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, -1), palette.LIGHT_FILL),
                    ("LINEBEFORE", (0, 0), (0, 0), 3, palette.ACCENT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ],
            )
        )
        return box

    def _summary_gaps(self, limit: int) -> list[Flowable]:
        s = self.styles
        all_gaps = gaps_of(self.snapshot)
        not_met = sum(1 for gap in all_gaps if gap.judgement is Judgement.NOT_MET)
        unassessed = _not_yet_assessed(self.snapshot, self.snapshot.standard.criteria())
        if not all_gaps:
            sentence = "No criterion is judged not met or partly met."
        else:
            sentence = f"{_plural(len(all_gaps), 'gap')}: {not_met} not met, {len(all_gaps) - not_met} partly met."
            if self.result.next_level is not None:
                sentence += f" First those that stop the standard reaching {self.result.next_level.label}."
        if unassessed:
            sentence += f" {_plural(len(unassessed), 'criterion', 'criteria')} not yet assessed."
        story: list[Flowable] = [self._para(escape(sentence), s.lead)]
        gaps = most_important_gaps(self.snapshot, self.result, limit)
        if gaps:
            rows = [
                [
                    self._cell(escape(gap.criterion.ref), s.cell_bold),
                    self._cell(escape(_clip(gap.criterion.statement, _SUMMARY_STATEMENT_CHARS))),
                    self._cell(escape(gap.judgement.label)),
                ]
                for gap in gaps
            ]
            story.append(self._table(["Ref", "Criterion", "Judgement"], rows, [62, 350, 70]))
        return story

    def _summary_actions(self, limit: int) -> list[Flowable]:
        s = self.styles
        soonest = actions_due_soonest(self.snapshot.actions, limit)
        open_count = sum(1 for item in self.snapshot.actions if item.action.state.is_open)
        if not soonest:
            return [self._para("No actions are open.", s.body)]
        rows = [
            [
                self._cell(short_date(item.action.due) if item.action.due else "No date"),
                self._cell(escape(_clip(item.action.description, _SUMMARY_ACTION_CHARS))),
                self._cell(escape(item.action.owner or "Not named")),
                self._cell(escape(item.action.priority.label)),
            ]
            for item in soonest
        ]
        shown = (
            f"The {len(soonest)} due soonest of {open_count} open actions"
            if len(soonest) < open_count
            else f"All {_plural(open_count, 'open action')}, by due date"
        )
        return [
            self._table(["Due", "Action", "Owner", "Priority"], rows, [64, 226, 142, 50]),
            Spacer(0, 2),
            self._para(escape(f"{shown}; every action is listed under its section."), s.note),
        ]

    # -- sections -----------------------------------------------------------------------------
    def _section(self, section: Section, result: SectionResult) -> list[Flowable]:
        s = self.styles
        story = keep_with_start(
            self._heading(f"Section {section.number}: {section.title}", 0),
            self._level_box(result.level_label, result.explanation, _shares_sentence(result)),
            # Named with the section: a page may start with these, far from the section's heading.
            self._heading(f"Gaps in section {section.number}", 1, outline_title="Gaps"),
            *self._gaps_table(section),
        )
        actions = self.section_actions[section.number]
        story += keep_with_start(
            self._heading(f"Actions for section {section.number}", 1, outline_title="Actions"),
            self._actions_table(actions)
            if actions
            else self._para("No actions are recorded for this section.", s.body),
        )
        return story

    def _gaps_table(self, section: Section) -> list[Flowable]:
        s = self.styles
        gaps = gaps_of(self.snapshot, section)
        unassessed = _not_yet_assessed(self.snapshot, section.criteria)
        story: list[Flowable] = []
        if not gaps:
            story.append(self._para("No criterion in this section is judged not met or partly met.", s.body))
        else:
            records = [
                [
                    [self._cell(escape(gap.criterion.ref), s.cell_bold),
                     self._cell(escape(gap.criterion.level.label), s.cell_secondary)],
                    self._cell(escape(gap.criterion.statement)),
                    [self._cell(escape(gap.judgement.label)),
                     *([self._cell("to be confirmed", s.cell_secondary)] if gap.answer.to_confirm else [])],
                    LongText(self._evidence_so_far(gap), empty="None noted."),
                ]
                for gap in gaps
            ]  # fmt: skip
            story.append(self._table(["Ref", "Criterion", "Judgement", "Evidence so far"], records, [62, 200, 60, 160]))
        if unassessed:
            story.append(Spacer(0, 4))
            story.append(self._para(escape(f"Not yet assessed: {', '.join(unassessed)}."), s.body_secondary))
        return story

    def _evidence_so_far(self, gap: Gap) -> str:
        """The notes, then the titles of the evidence references (plain text)."""
        parts = [gap.answer.notes.strip()] if gap.answer.notes.strip() else []
        references = self.snapshot.evidence_for(gap.criterion.ref)
        if references:
            parts.append("References: " + "; ".join(item.reference.title for item in references))
        return "\n".join(parts)

    def _actions_table(self, actions: Sequence[ActionItem]) -> Table:
        s = self.styles
        records = []
        for item in sorted(actions, key=_by_due_date):
            action = item.action
            ref = action.criterion_ref
            for_ref = self._cell(escape(f"For {ref}"), s.cell_secondary) if ref else None
            records.append(
                [
                    LongText(action.description, after=for_ref),
                    LongText(action.owner, empty="Not named"),
                    self._cell(short_date(action.due) if action.due else "No date"),
                    self._cell(escape(action.priority.label)),
                    self._cell(escape(action.state.label)),
                    self._saving_cell(action.saving_cashable, action.saving_non_cashable, action.state),
                ]
            )
        header = ["Action", "Owner", "Due", "Priority", "State", "Saving"]
        return self._table(header, records, [146, 88, 66, 46, 56, 80])

    def _saving_cell(self, cashable: Decimal, non_cashable: Decimal, state: ActionState) -> list[Flowable]:
        s = self.styles
        lines = []
        if cashable:
            lines.append(f"{money(cashable)} cashable")
        if non_cashable:
            lines.append(f"{money(non_cashable)} non-cashable")
        cell: list[Flowable] = [self._cell("<br/>".join(lines) if lines else "None")]
        if lines and state is ActionState.CANCELLED:
            cell.append(self._cell("not counted", s.cell_secondary))
        return cell

    def _general_actions(self) -> list[Flowable]:
        return keep_with_start(
            self._heading("Actions for the standard as a whole", 0),
            self._para("Actions not tied to a single criterion.", self.styles.body),
            self._actions_table(self.general_actions),
        )

    # -- appendices ---------------------------------------------------------------------------
    def _evidence_appendix(self) -> list[Flowable]:
        s = self.styles
        heading = self._heading("Appendix A: Evidence references", 0)
        order = {criterion.ref: index for index, criterion in enumerate(self.snapshot.standard.criteria())}
        items = sorted(self.snapshot.evidence, key=lambda item: (order.get(item.criterion_ref, len(order)), item.id))
        if not items:
            return [PageBreak(), heading, self._para("No evidence references are recorded.", s.body)]
        lead = (
            f"{_plural(len(items), 'document or record', 'documents and records')} cited as evidence, "
            "by criterion, with where each is held."
        )
        records = [
            [
                self._cell(escape(item.criterion_ref), s.cell_bold),
                LongText(item.reference.title),
                LongText(item.reference.location, empty="Not given"),
                self._cell(escape(self.snapshot.answer(item.criterion_ref).judgement.label)),
            ]
            for item in items
        ]
        table = self._table(["Ref", "Evidence", "Where it is held", "Judgement"], records, [62, 170, 180, 70])
        return [PageBreak(), heading, self._para(escape(lead), s.body), table]

    def _about_appendix(self) -> list[Flowable]:
        s = self.styles
        summary = self.snapshot.summary
        authority = summary.authority.authority
        facts = (
            ("Authority", authority.name),
            ("Type", authority.type.label),
            ("Region", authority.region.label),
            ("GSS code", authority.gss_code or "Not recorded"),
            ("Standard", f"{summary.standard_code} {summary.standard_title}"),
            ("Catalogue release", summary.release_id),
            ("Round", summary.round.label),
            ("Status", summary.state.label),
            ("Workshop", self._workshop_dates()),
            ("Facilitator", summary.facilitator or "Not recorded"),
            ("Participants", summary.participants or "Not recorded"),
            ("Criteria assessed", f"{summary.answered} of {summary.total}"),
            ("Produced", long_date(self.data.produced)),
        )
        records = [[self._cell(escape(label), s.cell_bold), LongText(value)] for label, value in facts]
        table = self._table(None, records, [110, FRAME_WIDTH - 110])
        return [
            *keep_with_start(self._heading("Appendix B: About this assessment", 0), table),
            *keep_with_start(self._heading("How levels are worked out", 1), self._para(escape(LEVEL_RULE), s.body)),
        ]


def _height(story: Sequence[Flowable]) -> float:
    """The height ``story`` takes in the page's frame, spaces included."""
    return float(sum(f.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story))


def _shares_sentence(result: SectionResult) -> str:
    parts = [f"{level.label} {result.share(level).share_text}" for level in Level]
    return "Share met (partly met counts half): " + "; ".join(parts) + "."
