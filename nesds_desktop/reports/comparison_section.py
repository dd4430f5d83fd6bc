"""The action plan's optional "How we compare" section: peers, their common criteria, progress.

Built from domain results the services layer worked out (:class:`PeerComparison` and
:class:`Progress` from :mod:`nesds_desktop.domain.comparison`); nothing here reads a store.

* **Beside the peers**: a chart in the house style of :mod:`.charts` (a table whose band
  columns hold bars), one row per section and one for the standard: under each band a bar
  for the share of peers in it, with the count written beside it; this authority's band
  is said in words in its own column and its bar cell is framed, so nothing relies on
  colour.  A table of the numbers follows (higher than, level with, lower than).
* **Peers are always anonymised** ("Authority A", ...): the document leaves the building.
  The peer set is described: which authorities (the type or region filter), how many,
  the round and the catalogue release.
* **Criteria most peers meet** that this authority does not, widest gap first.
* **Progress over rounds** up to this one: level per section per round, criteria met,
  actions, then the criteria newly met and newly lost between consecutive rounds, with
  the notes about crosswalks between releases.
* With no peers, each peer part is one sentence saying so, not an empty table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from nesds_desktop.domain.comparison import BANDS, Distribution, PeerComparison, Progress, RoundProgress
from nesds_desktop.domain.level_rule import NOT_APPLICABLE
from nesds_desktop.reports import palette
from nesds_desktop.reports.charts import CELL_HEIGHT, LABEL_SIZE
from nesds_desktop.reports.fonts import FontSet
from nesds_desktop.reports.layout import FRAME_WIDTH, Heading, Styles, keep_with_start, table_style
from nesds_desktop.reports.tables import Cell, LongText, data_table

HEADING = "How we compare"
#: Peers are listed one by one up to this many; beyond it only the distribution is given.
PEER_LIST_LIMIT = 40
#: The latest rounds shown side by side in the progress table (older ones are left out, said so).
ROUNDS_SHOWN = 5
SECTION_WIDTH = 138.0
SUBJECT_WIDTH = 68.0
COUNT_WIDTH = 16.0  # room for "400"; the percentages are in the numbers table
# Short band names for narrow columns; a key under the table spells them out.
SHORT_BANDS = {"No level": "None", "Minimum": "Min", "Progressing": "Prog", "Excellent": "Exc", NOT_APPLICABLE: "N/A"}


@dataclass(frozen=True)
class ComparisonSectionData:
    """What the section is built from: worked out by the services layer."""

    comparison: PeerComparison
    """This authority beside its peers, anonymised."""
    peer_set: str
    """Which authorities are peers, e.g. "All authorities" or "District councils in South East"."""
    release_id: str
    """The catalogue release the peers were compared on."""
    progress: Progress | None = None
    """This authority's rounds up to this one; None when they could not be worked out."""
    filtered: bool = False
    """True when peers were narrowed by type or region."""


def comparison_story(data: ComparisonSectionData, fonts: FontSet, styles: Styles) -> list[Flowable]:
    """The section's flowables, starting on a new page."""
    return _Section(data, fonts, styles).story()


class _Section:
    def __init__(self, data: ComparisonSectionData, fonts: FontSet, styles: Styles) -> None:
        self.data = data
        self.comparison = data.comparison
        self.fonts = fonts
        self.styles = styles
        self._keys = 0

    # -- building blocks --------------------------------------------------------------------
    def _heading(self, text: str, level: int, outline_title: str | None = None) -> Heading:
        self._keys += 1
        style = self.styles.h1 if level == 0 else self.styles.h2
        return Heading(escape(text), style, outline_title=outline_title or text, outline_level=level,
                       key=f"compare-{self._keys}")  # fmt: skip

    def _para(self, text: str, style: object | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.styles.body)

    def _cell(self, text: str, bold: bool = False) -> Paragraph:
        return Paragraph(escape(text), self.styles.cell_bold if bold else self.styles.cell)

    def _table(self, header: Sequence[str] | None, records: Sequence[Sequence[Cell]], widths: Sequence[float]) -> Table:
        return data_table(header, records, widths, self.styles, self.fonts)

    @property
    def _peer_count(self) -> int:
        return len(self.comparison.peers)

    # -- the section --------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        comparison = self.comparison
        story: list[Flowable] = [
            PageBreak(),
            self._heading(HEADING, 0),
            self._para(self._peer_set_sentence(), self.styles.lead),
        ]
        story += [self._para(note, self.styles.note) for note in self._other_notes()]
        story += self._beside_peers()
        story += self._gaps()
        if self._peer_count and len(comparison.peers) <= PEER_LIST_LIMIT:
            story += self._peer_list()
        story += self._progress()
        return story

    def _peer_set_sentence(self) -> str:
        c = self.comparison
        who = self.data.peer_set
        if not self._peer_count:
            among = f" among the peers asked for ({who})" if self.data.filtered else ""
            return (
                f"No other authority{among} has assessed {c.standard_title} in {c.round_label} against "
                f"catalogue release {self.data.release_id}, so there are no peers to compare with."
            )
        peers = "1 other authority" if self._peer_count == 1 else f"{self._peer_count} other authorities"
        return (
            f"{c.subject_name or 'This authority'} beside {peers} that assessed {c.standard_title} in "
            f"{c.round_label} against catalogue release {self.data.release_id}. Peers: {who}. "
            "Peers are not named: each is given a letter (Authority A, Authority B, ...)."
        )

    def _other_notes(self) -> list[str]:
        # The comparison's first note describes the peer set, already said in the sentence above.
        return [note for note in self.comparison.notes if not note.startswith("Peers:")]

    # -- (a) level beside the peers -------------------------------------------------------------
    def _beside_peers(self) -> list[Flowable]:
        s = self.styles
        heading = self._heading("Level beside the peers", 1)
        if not self._peer_count:
            return [heading, self._para("With no peers there is no distribution of levels to show.", s.body)]
        chart = distribution_chart(self.comparison, self.fonts, s)
        key = (
            "Bars: the share of peers at each level; the figure beside each bar is the number of peers. "
            "This authority's level is named in the second column and its cell is framed. Peers to whom a "
            "section does not apply (every criterion not applicable) are left out of that row."
        )
        return [
            *keep_with_start(heading, chart),
            Spacer(0, 3),
            self._para(key, s.note),
            *keep_with_start(self._heading("Where this authority stands", 1), self._position_table()),
        ]

    def _position_table(self) -> Table:
        rows = [self._position_row(f"{sc.number}  {sc.title}", sc.distribution) for sc in self.comparison.sections]
        rows.append(self._position_row("Standard (all sections)", self.comparison.overall, bold=True))
        header = ["Section", "This authority", "Peers", "Higher than", "Level with", "Lower than", "Not applicable"]
        return self._table(header, rows, [150, 72, 40, 54, 54, 54, 58])

    def _position_row(self, label: str, distribution: Distribution, *, bold: bool = False) -> list[Cell]:
        subject = distribution.subject or "Not assessed"
        ranked = distribution.subject not in (None, NOT_APPLICABLE) and distribution.peers > 0
        dash = "–"
        return [
            self._cell(label, bold),
            self._cell(subject, True),
            self._cell(str(distribution.peers)),
            self._cell(_count_share(distribution.below, distribution.peers) if ranked else dash),
            self._cell(_count_share(distribution.same, distribution.peers) if ranked else dash),
            self._cell(_count_share(distribution.above, distribution.peers) if ranked else dash),
            self._cell(str(distribution.not_applicable)),
        ]

    # -- (b) criteria most peers meet --------------------------------------------------------------
    def _gaps(self) -> list[Flowable]:
        s = self.styles
        heading = self._heading("Criteria most peers meet that we do not", 1, outline_title="Criteria most peers meet")
        if not self._peer_count:
            return [heading, self._para("With no peers there are no criteria to set beside theirs.", s.body)]
        gaps = self.comparison.gaps
        if not gaps:
            return [heading, self._para(
                "There is no criterion that more than half of the peers meet and this authority does not.", s.body
            )]  # fmt: skip
        lead = (
            f"{len(gaps)} {'criterion' if len(gaps) == 1 else 'criteria'} that more than half of the peers it "
            "applies to meet, and this authority does not, the widest gap first."
        )
        records = [
            [
                [self._cell(gap.criterion.ref, True), Paragraph(escape(gap.criterion.level.label), s.cell_secondary)],
                LongText(gap.criterion.statement),
                self._cell(gap.judgement.label),
                self._cell(gap.share_text),
            ]
            for gap in gaps
        ]
        table = self._table(["Ref", "Criterion", "This authority", "Peers meeting it"], records, [62, 250, 70, 100])
        return keep_with_start(heading, self._para(lead, s.body), table)

    # -- the peers one by one ------------------------------------------------------------------------
    def _peer_list(self) -> list[Flowable]:
        s = self.styles
        numbers = [sc.number for sc in self.comparison.sections]
        width = (FRAME_WIDTH - 90 - 60) / max(len(numbers), 1)
        records: list[list[Cell]] = [
            [
                self._cell(row.label, True),
                self._cell(row.overall),
                *(self._cell(SHORT_BANDS.get(row.sections.get(n, ""), "–")) for n in numbers),
            ]
            for row in self.comparison.peers
        ]
        header = ["Peer", "Standard", *(f"Section {n}" if width >= 44 else f"S{n}" for n in numbers)]
        table = self._table(header, records, [90, 60, *([width] * len(numbers))])
        return [
            *keep_with_start(self._heading("The peers one by one", 1, outline_title="Peers"), table),
            Spacer(0, 2),
            self._para(_short_band_key(), s.note),
        ]

    # -- (c) progress over rounds ---------------------------------------------------------------------
    def _progress(self) -> list[Flowable]:
        s = self.styles
        heading = self._heading("Progress over rounds", 1)
        progress = self.data.progress
        if progress is None:
            return [heading, self._para("The earlier rounds could not be read, so progress is not shown.", s.body)]
        if len(progress.rounds) < 2:
            only = progress.rounds[0].round_label if progress.rounds else self.comparison.round_label
            return [heading, self._para(
                f"{only} is the first round in which this authority assessed {progress.standard_title}: "
                "there is no earlier round to compare with.", s.body
            )]  # fmt: skip
        rounds = progress.rounds[-ROUNDS_SHOWN:]
        story: list[Flowable] = keep_with_start(heading, self._rounds_table(progress, rounds))
        story.append(Spacer(0, 2))
        key = "Levels by section are matched by section number across catalogue releases."
        if len(rounds) < len(progress.rounds):
            key += f" The latest {len(rounds)} of {len(progress.rounds)} rounds are shown."
        story.append(self._para(key, s.note))
        story += keep_with_start(self._heading("Criteria newly met and newly lost", 1), self._changes_table(progress))
        for note in progress.notes:
            story.append(self._para(note, s.note))
        return story

    def _rounds_table(self, progress: Progress, shown: Sequence[RoundProgress]) -> Table:
        titles = progress.section_titles
        numbers = sorted({*titles, *(n for r in shown for n in r.sections)})
        width = (FRAME_WIDTH - 190) / len(shown)
        records: list[list[Cell]] = []
        for number in numbers:
            records.append([
                self._cell(f"{number}  {titles.get(number, f'Section {number}')}"),
                *(self._cell(r.sections.get(number, "Not in release")) for r in shown),
            ])  # fmt: skip
        records.append([self._cell("Standard (all sections)", True), *(self._cell(r.overall, True) for r in shown)])
        records.append([self._cell("Criteria met"), *(self._cell(f"{r.met} of {r.applicable}") for r in shown)])
        records.append([
            self._cell("Actions completed"), *(self._cell(f"{r.completed} of {r.actions}") for r in shown)
        ])  # fmt: skip
        records.append([
            self._cell(f"Actions overdue on {progress.as_of.day} {progress.as_of:%b %Y}"),
            *(self._cell(str(len(r.overdue))) for r in shown),
        ])  # fmt: skip
        header = ["Section", *(f"{r.round_label} ({r.release_id})" for r in shown)]
        return self._table(header, records, [190, *([width] * len(shown))])

    def _changes_table(self, progress: Progress) -> Table:
        records: list[list[Cell]] = [
            [
                self._cell(f"{change.from_round} to {change.to_round}", True),
                LongText(", ".join(change.newly_met), empty="None"),
                LongText(", ".join(change.newly_lost), empty="None"),
                self._cell("Crosswalk between releases" if change.through_crosswalk else "Same references"),
            ]
            for change in progress.changes
        ]
        return self._table(["Rounds", "Newly met", "Newly lost", "Criteria matched by"], records, [92, 160, 140, 90])


# -- the chart ------------------------------------------------------------------------------------


def distribution_chart(comparison: PeerComparison, fonts: FontSet, styles: Styles, width: float = FRAME_WIDTH) -> Table:
    """One row per section and one for the standard: this authority's level in words, then a
    bar per band for the share of peers in it, the count beside each bar."""
    band_width = (width - SECTION_WIDTH - SUBJECT_WIDTH) / len(BANDS)
    inner = band_width - 8  # the cell's padding

    def row(label: str, distribution: Distribution, *, total: bool) -> list[object]:
        return [
            Paragraph(escape(label), styles.cell_bold if total else styles.cell),
            Paragraph(escape(distribution.subject or "Not assessed"), styles.cell_bold),
            *(
                peer_share_bar(distribution.counts.get(band, 0), distribution.peers, fonts, inner,
                               mine=band == distribution.subject)
                for band in BANDS
            ),
        ]  # fmt: skip

    header = [
        Paragraph("Section", styles.cell_head),
        Paragraph("This authority", styles.cell_head),
        *(Paragraph(escape(band), styles.cell_head) for band in BANDS),
    ]
    rows: list[list[object]] = [header]
    rows += [row(f"{sc.number}  {sc.title}", sc.distribution, total=False) for sc in comparison.sections]
    rows.append(row("Standard (all sections)", comparison.overall, total=True))
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), palette.LIGHT_FILL),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, palette.BORDER),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, palette.TEXT),
        ("LINEBELOW", (0, 1), (-1, -2), 0.4, palette.LIGHT_BORDER),
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, palette.TEXT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, palette.BORDER),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    distributions = [sc.distribution for sc in comparison.sections] + [comparison.overall]
    for index, distribution in enumerate(distributions, start=1):
        if distribution.subject in BANDS:
            column = 2 + BANDS.index(distribution.subject)
            commands.append(("BOX", (column, index), (column, index), 1.2, palette.TEXT))
    table = Table(
        rows, colWidths=[SECTION_WIDTH, SUBJECT_WIDTH, *([band_width] * len(BANDS))], repeatRows=1, hAlign="LEFT"
    )
    table.setStyle(table_style(fonts, commands))
    return table


def peer_share_bar(count: int, peers: int, fonts: FontSet, width: float, *, mine: bool = False) -> Drawing:
    """A bar ``width`` points wide filled to ``count`` of ``peers``, the count written after it."""
    drawing = Drawing(width, CELL_HEIGHT, initialFontName=fonts.regular, initialFontSize=LABEL_SIZE)
    track = width - COUNT_WIDTH - 3
    y = (CELL_HEIGHT - 7.0) / 2
    drawing.add(Rect(0, y, track, 7.0, fillColor=palette.LIGHT_FILL, strokeColor=palette.BORDER, strokeWidth=0.4))
    if peers and count:
        fill = palette.DARK_ACCENT if mine else palette.ACCENT
        drawing.add(Rect(0, y, track * count / peers, 7.0, fillColor=fill, strokeColor=None))
    font = fonts.bold if mine else fonts.regular
    drawing.add(String(width, (CELL_HEIGHT - LABEL_SIZE) / 2 + 1, str(count), fontName=font, fontSize=LABEL_SIZE,
                       fillColor=palette.TEXT, textAnchor="end"))  # fmt: skip
    return drawing


def _count_share(count: int, total: int) -> str:
    """ "3 (75%)": the share rounded down, so 100% only ever means all."""
    return f"{count} ({count * 100 // total}%)" if total else str(count)


def _short_band_key() -> str:
    return "Key: " + "; ".join(f"{short} {band}" for band, short in SHORT_BANDS.items()) + "."
