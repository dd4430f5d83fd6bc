"""Compare: one authority beside its peers, over its rounds, and across its standards.

Three pages: **Peers** (the level distribution per section with this authority marked,
the same numbers as a table, the gap criteria and each peer), **Progress** (level per
section per round, criteria newly met and newly lost, actions completed and overdue) and
**Portfolio** (every standard's level for one authority in one round).

Why the charts are painted with QPainter rather than drawn with QtCharts: QtCharts is in
PySide6-Addons, about 60 MB more in every installer on top of PySide6-Essentials (about
85 MB), for two simple charts, stacked horizontal bars and a grid of bars, that take a
couple of hundred lines to paint.  Painting also lets each bar carry its text (counts,
level names) for a chart readable without colour, and renders the same offscreen for the
screenshots and tests.  Every chart has a table with the same numbers beside it.

The view is thin: every figure comes from :class:`ComparisonService`; pickers only choose
what to ask for.  Construct it with the service and the window's Feedback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.authorities import AuthorityType, Region
from nesds_desktop.domain.comparison import BANDS, PeerComparison, Portfolio, Progress
from nesds_desktop.domain.level_rule import LEVEL_RULE
from nesds_desktop.services.comparison_service import ComparisonError, ComparisonService, PeerFilter
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.models.comparison_models import Cell, RowsTableModel
from nesds_desktop.ui.views.comparison_charts import DistributionChart, DistributionRow, ProgressChart, ProgressRow

NO_AUTHORITY = "(none: peers only)"
ALL_TYPES = "All types"
ALL_REGIONS = "All regions"


def _table(model: RowsTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


def _labelled(text: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(text)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


def _compact(combo: QComboBox, characters: int) -> QComboBox:
    """Size the combo by a set number of characters, not its longest item, so the row fits 1366 px."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


def _notes_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _Pickers:
    """Fills the combo boxes from the service; each page uses the ones it needs."""

    def __init__(self, service: ComparisonService) -> None:
        self.service = service

    def authority(self, allow_none: bool) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName("Authority")
        if allow_none:
            combo.addItem(NO_AUTHORITY, None)
        for record in self.service.authorities():
            combo.addItem(record.name, record.id)
        return _compact(combo, 16)

    def standard(self) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName("Standard")
        for code, title in self.service.standards():
            combo.addItem(f"{code} {title}", code)
            combo.setItemData(combo.count() - 1, f"{code} {title}", Qt.ItemDataRole.ToolTipRole)
        return _compact(combo, 18)

    def round(self) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName("Round")
        for label in self.service.rounds():
            combo.addItem(label, label)
        return combo


class PeersPage(QWidget):
    def __init__(self, service: ComparisonService, feedback: Feedback, pickers: _Pickers) -> None:
        super().__init__()
        self.service = service
        self.feedback = feedback
        self.result: PeerComparison | None = None
        self.authority = pickers.authority(allow_none=True)
        self.standard = pickers.standard()
        self.round = pickers.round()
        self.type = QComboBox()
        self.type.setAccessibleName("Authority type of peers")
        self.type.addItem(ALL_TYPES, None)
        for kind in AuthorityType:
            self.type.addItem(kind.label, kind.value)  # Qt hands enum data back as plain text
        self.region = QComboBox()
        self.region.setAccessibleName("Region of peers")
        self.region.addItem(ALL_REGIONS, None)
        for region in Region:
            self.region.addItem(region.label, region.value)
        _compact(self.type, 12)
        _compact(self.region, 12)
        self.anonymise = QCheckBox("A&nonymise peers")
        self.export_button = QPushButton("E&xport to Excel…")

        self.chart = DistributionChart()
        self.notes = _notes_label()
        self.levels_model = RowsTableModel(self)
        self.gaps_model = RowsTableModel(self)
        self.peers_model = RowsTableModel(self)
        self.tables = QTabWidget()
        self.tables.addTab(_table(self.levels_model, "Levels among peers"), "&Levels table")
        self.tables.addTab(_table(self.gaps_model, "Gap criteria"), "Gap criter&ia")
        self.tables.addTab(_table(self.peers_model, "Each peer"), "Each &peer")

        pickers_row = QHBoxLayout()
        pickers_row.addWidget(_labelled("&Authority:", self.authority))
        pickers_row.addWidget(_labelled("&Standard:", self.standard))
        pickers_row.addWidget(_labelled("&Round:", self.round))
        pickers_row.addWidget(_labelled("&Type:", self.type))
        pickers_row.addWidget(_labelled("Re&gion:", self.region))
        pickers_row.addWidget(self.anonymise)
        pickers_row.addStretch(1)
        pickers_row.addWidget(self.export_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.tables)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([330, 250])
        layout = QVBoxLayout(self)
        layout.addLayout(pickers_row)
        layout.addWidget(self.notes)
        layout.addWidget(splitter, 1)

        for combo in (self.authority, self.standard, self.round, self.type, self.region):
            combo.currentIndexChanged.connect(self.refresh)
        self.anonymise.toggled.connect(self.refresh)
        self.export_button.clicked.connect(self.export)

    def _filter(self) -> PeerFilter:
        kind, region = self.type.currentData(), self.region.currentData()
        return PeerFilter(AuthorityType(kind) if kind else None, Region(region) if region else None)

    def refresh(self) -> None:
        code, round_label = self.standard.currentData(), self.round.currentData()
        if code is None or round_label is None:
            self._show(None, "There are no assessments to compare yet.")
            return
        try:
            result = self.service.peer_comparison(
                code, round_label, self.authority.currentData(), self._filter(), self.anonymise.isChecked()
            )
        except ComparisonError as exc:
            self._show(None, f"{exc}.")
            return
        self._show(result, " ".join(result.notes))

    def _show(self, result: PeerComparison | None, notes: str) -> None:
        self.result = result
        self.notes.setText(notes)
        if result is None:
            self.chart.set_rows([])
            for model in (self.levels_model, self.gaps_model, self.peers_model):
                model.set_rows((), [])
            return
        parts = [(f"{s.number} {s.title}", s.distribution) for s in result.sections]
        parts.append(("Overall (standard)", result.overall))
        subject = result.subject_name or ""
        self.chart.set_rows([DistributionRow(label, d.counts, d.subject) for label, d in parts], subject)
        mine = [subject] if result.subject_name else []
        self.levels_model.set_rows(
            ["Section", *mine, "Peers", *BANDS, "Not applicable", *(["Position"] if mine else [])],
            [
                [label, *([Cell(d.subject or "Not assessed", marked=True)] if mine else []), d.peers,
                 *(d.counts[band] for band in BANDS), d.not_applicable, *([d.position_text] if mine else [])]
                for label, d in parts
            ],
        )  # fmt: skip
        self.gaps_model.set_rows(
            ["Criterion", "Level", "Statement", subject or "This authority", "Peers meeting"],
            [
                [g.criterion.ref, g.criterion.level.label, Cell(g.criterion.statement, g.criterion.statement),
                 g.judgement.label, g.share_text]
                for g in result.gaps
            ],
        )  # fmt: skip
        numbers = [s.number for s in result.sections]
        extra = [] if result.anonymised else ["Type", "Region"]
        self.peers_model.set_rows(
            ["Peer", *extra, "Overall", *(f"Section {n}" for n in numbers)],
            [
                [p.label, *([p.authority_type, p.region] if extra else []), p.overall,
                 *(p.sections[n] for n in numbers)]
                for p in result.peers
            ],
        )  # fmt: skip
        self.tables.setTabText(1, f"Gap criter&ia ({len(result.gaps)})")

    def export(self) -> None:
        code, round_label = self.standard.currentData(), self.round.currentData()
        if code is None or round_label is None:
            self.feedback.information("Export comparison", "There are no assessments to compare yet.")
            return
        suggested = f"{code}-{round_label.replace('/', '-')}-comparison.xlsx"
        target = self.feedback.choose_save_file("Export comparison", Path(suggested), "Excel workbook (*.xlsx)")
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        try:
            exported = self.service.export_workbook(
                target, code, round_label, self.authority.currentData(), self._filter(), self.anonymise.isChecked(),
                date.today(),
            )  # fmt: skip
        except ComparisonError as exc:
            self.feedback.error("Export comparison", str(exc))
            return
        self.feedback.information("Export comparison", f"Written to {exported.path}: {', '.join(exported.sheets)}.")


class ProgressPage(QWidget):
    def __init__(self, service: ComparisonService, pickers: _Pickers) -> None:
        super().__init__()
        self.service = service
        self.result: Progress | None = None
        self.authority = pickers.authority(allow_none=False)
        self.standard = pickers.standard()
        self.chart = ProgressChart()
        self.notes = _notes_label()
        self.rounds_model = RowsTableModel(self)
        self.changes_model = RowsTableModel(self)
        self.actions_model = RowsTableModel(self)
        self.tables = QTabWidget()
        self.tables.addTab(_table(self.rounds_model, "Levels per round"), "&Levels per round")
        self.tables.addTab(_table(self.changes_model, "Criteria newly met or lost"), "Newly &met or lost")
        self.tables.addTab(_table(self.actions_model, "Overdue actions"), "&Overdue actions")
        pickers_row = QHBoxLayout()
        pickers_row.addWidget(_labelled("&Authority:", self.authority))
        pickers_row.addWidget(_labelled("&Standard:", self.standard))
        pickers_row.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.tables)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 280])
        layout = QVBoxLayout(self)
        layout.addLayout(pickers_row)
        layout.addWidget(self.notes)
        layout.addWidget(splitter, 1)
        self.authority.currentIndexChanged.connect(self.refresh)
        self.standard.currentIndexChanged.connect(self.refresh)

    def refresh(self, as_of: date | None = None) -> None:
        authority_id, code = self.authority.currentData(), self.standard.currentData()
        result: Progress | None = None
        notes = "There are no assessments yet."
        if authority_id is not None and code is not None:
            try:
                result = self.service.progress(authority_id, code, as_of if isinstance(as_of, date) else None)
                notes = " ".join(result.notes)
            except ComparisonError as exc:
                notes = f"{exc}."
        self.result = result
        self.notes.setText(notes)
        if result is None:
            self.chart.set_rows([], [])
            for model in (self.rounds_model, self.changes_model, self.actions_model):
                model.set_rows((), [])
            return
        numbers = sorted(result.section_titles)
        rounds = [r.round_label for r in result.rounds]
        rows = [ProgressRow(f"{n} {result.section_titles[n]}", tuple(r.sections.get(n, "") for r in result.rounds))
                for n in numbers]  # fmt: skip
        rows.append(ProgressRow("Overall (standard)", tuple(r.overall for r in result.rounds)))
        self.chart.set_rows(rounds, rows)
        self.rounds_model.set_rows(
            ["Round", "Overall", *(f"Section {n}" for n in numbers), "Criteria met", "Actions", "Completed",
             f"Overdue at {result.as_of:%d %b %Y}"],
            [
                [r.round_label, Cell(r.overall, marked=True), *(r.sections.get(n, "") for n in numbers),
                 f"{r.met} of {r.applicable}", r.actions, r.completed, len(r.overdue)]
                for r in result.rounds
            ],
        )  # fmt: skip
        changes = []
        for change in result.changes:
            between = f"{change.from_round} to {change.to_round}"
            changes += [[between, "✓ Newly met", ref] for ref in change.newly_met]
            changes += [[between, "✗ Newly lost", ref] for ref in change.newly_lost]
            if not change.newly_met and not change.newly_lost:
                changes.append([between, "No change", ""])
        self.changes_model.set_rows(["Between rounds", "Change", "Criterion"], changes)
        self.actions_model.set_rows(
            ["Round", "Criterion", "Action", "Owner", "Due"],
            [[r.round_label, a.criterion_ref or "Whole standard", a.description, a.owner, f"{a.due:%d %b %Y}"]
             for r in result.rounds for a in r.overdue],
        )  # fmt: skip


class PortfolioPage(QWidget):
    def __init__(self, service: ComparisonService, pickers: _Pickers) -> None:
        super().__init__()
        self.service = service
        self.result: Portfolio | None = None
        self.authority = pickers.authority(allow_none=False)
        self.round = pickers.round()
        self.notes = _notes_label()
        self.model = RowsTableModel(self)
        self.table = _table(self.model, "Levels of every standard")
        self.table.verticalHeader().setDefaultSectionSize(30)
        rule = QLabel(f"The level rule: {LEVEL_RULE}")
        rule.setWordWrap(True)
        pickers_row = QHBoxLayout()
        pickers_row.addWidget(_labelled("&Authority:", self.authority))
        pickers_row.addWidget(_labelled("&Round:", self.round))
        pickers_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers_row)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(rule)
        self.authority.currentIndexChanged.connect(self.refresh)
        self.round.currentIndexChanged.connect(self.refresh)

    def refresh(self) -> None:
        authority_id, round_label = self.authority.currentData(), self.round.currentData()
        if authority_id is None or round_label is None:
            self.result = None
            self.notes.setText("There are no assessments yet.")
            self.model.set_rows((), [])
            return
        result = self.service.portfolio(authority_id, round_label)
        self.result = result
        counts = ", ".join(f"{result.count(band)} {band}" for band in BANDS)
        self.notes.setText(f"{result.authority_name}, {round_label}: {counts}.")
        self.model.set_rows(
            ["Standard", "Level", *BANDS, "Answered", "State"],
            [
                [f"{e.standard_code} {e.standard_title}", Cell(e.band or "Not assessed", marked=True),
                 *(Cell(f"● {band}", marked=True) if e.band == band else "" for band in BANDS),
                 f"{e.answered} of {e.total}" if e.band else "", e.state]
                for e in result.entries
            ],
        )  # fmt: skip


class ComparisonView(QWidget):
    """The three comparison pages in tabs; ``refresh()`` rereads everything from the service."""

    def __init__(self, service: ComparisonService, feedback: Feedback, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.feedback = feedback
        pickers = _Pickers(service)
        self.peers = PeersPage(service, feedback, pickers)
        self.progress = ProgressPage(service, pickers)
        self.portfolio = PortfolioPage(service, pickers)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.peers, "P&eers")
        self.tabs.addTab(self.progress, "Pr&ogress")
        self.tabs.addTab(self.portfolio, "Port&folio")
        self.tabs.setAccessibleName("Comparisons")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.refresh()

    def set_authority(self, authority_id: int) -> None:
        """Show one authority on every page (e.g. the one whose assessment is open)."""
        for combo in (self.peers.authority, self.progress.authority, self.portfolio.authority):
            index = combo.findData(authority_id)
            if index >= 0:
                combo.setCurrentIndex(index)

    def refresh(self) -> None:
        self.peers.refresh()
        self.progress.refresh()
        self.portfolio.refresh()
