"""The Assessments tab: every assessment in the store, filtered; Enter opens the chosen one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.ui.models.assessment_list_model import AssessmentIdRole, AssessmentListModel
from nesds_desktop.ui.wording import plural

if TYPE_CHECKING:  # the services import SQLAlchemy: not before the window is shown
    from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService

ALL = "All"


class AssessmentList(QWidget):
    openRequested = Signal(int)  # noqa: N815 (Qt naming)
    newRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service: WorkbookService | None = None
        self._stale = True

        self.authority_edit = QLineEdit()
        self.authority_edit.setClearButtonEnabled(True)
        self.authority_edit.setPlaceholderText("Part of a name")
        self.authority_edit.setAccessibleName("Filter by authority")
        self.standard_combo = QComboBox()
        self.standard_combo.setAccessibleName("Filter by standard")
        self.round_combo = QComboBox()
        self.round_combo.setAccessibleName("Filter by round")
        self.state_combo = QComboBox()
        self.state_combo.setAccessibleName("Filter by state")
        self.state_combo.addItem(ALL, None)  # the states are added with the service

        bar = QHBoxLayout()
        for text, widget, stretch in (
            ("A&uthority:", self.authority_edit, 3),
            ("&Standard:", self.standard_combo, 2),
            ("&Round:", self.round_combo, 1),
            ("Sta&te:", self.state_combo, 1),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget, stretch)
            bar.addSpacing(8)

        self.model = AssessmentListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Assessments")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableView::item { padding: 2px 10px; }")  # room between columns
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("&Open")
        self.new_button = QPushButton("&New Assessment…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.authority_edit.textChanged.connect(self.refresh)
        for combo in (self.standard_combo, self.round_combo, self.state_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(self._open_index)
        self.open_button.clicked.connect(self.open_current)
        self.new_button.clicked.connect(self.newRequested)
        self.setTabOrder(self.authority_edit, self.standard_combo)
        self.setTabOrder(self.standard_combo, self.round_combo)
        self.setTabOrder(self.round_combo, self.state_combo)
        self.setTabOrder(self.state_combo, self.table)
        self.setTabOrder(self.table, self.new_button)
        self.setTabOrder(self.new_button, self.open_button)
        self.setFocusProxy(self.table)

    # -- feeding --------------------------------------------------------------------------------
    def set_service(self, service: WorkbookService) -> None:
        from nesds_desktop.domain.assessments import AssessmentState

        self.service = service
        if self.state_combo.count() == 1:
            self.state_combo.blockSignals(True)
            for state in AssessmentState:
                self.state_combo.addItem(state.label, state.value)
            self.state_combo.blockSignals(False)
        self.refresh()

    def mark_stale(self) -> None:
        """Something changed in the store: refresh now if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def current_filter(self) -> AssessmentFilter:
        from nesds_desktop.domain.assessments import AssessmentState
        from nesds_desktop.services.workbook_service import AssessmentFilter

        state = self.state_combo.currentData()
        standard = self.standard_combo.currentData()
        round_label = self.round_combo.currentData()
        return AssessmentFilter(
            standard_code=standard if isinstance(standard, str) else None,
            round_label=round_label if isinstance(round_label, str) else None,
            state=AssessmentState(state) if isinstance(state, str) else None,
            text=self.authority_edit.text(),
        )

    def refresh(self) -> None:
        if self.service is None:
            return
        self._stale = False
        everything = self.service.list_assessments()
        self._fill_choices(
            self.standard_combo,
            sorted({(s.standard_code, f"{s.standard_code} — {s.standard_title}") for s in everything}),
        )
        self._fill_choices(
            self.round_combo,
            sorted({(s.round.label, s.round.label) for s in everything}, reverse=True),
        )
        current = self.current_assessment_id()
        shown = self.service.list_assessments(self.current_filter())
        self.model.set_assessments(shown)
        if current is not None:
            self.select(current)
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        if not everything:
            self.count_label.setText("No assessments yet: press Ctrl+N to start one.")
        elif len(shown) == len(everything):
            self.count_label.setText(f"{plural(len(everything), 'assessment')}. Press Enter to open the chosen one.")
        else:
            self.count_label.setText(
                f"{plural(len(shown), 'assessment')} shown of {len(everything)}. Press Enter to open the chosen one."
            )
        self.open_button.setEnabled(bool(shown))

    def _fill_choices(self, combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        wanted = [(None, ALL), *choices]
        have = [(combo.itemData(row), combo.itemText(row)) for row in range(combo.count())]
        if have == wanted:
            return
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for value, text in wanted:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    # -- choosing -------------------------------------------------------------------------------
    def current_assessment_id(self) -> int | None:
        value = self.table.currentIndex().data(AssessmentIdRole)
        return value if isinstance(value, int) else None

    def select(self, assessment_id: int) -> bool:
        row = self.model.row_of(assessment_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def open_current(self) -> None:
        assessment_id = self.current_assessment_id()
        if assessment_id is not None:
            self.openRequested.emit(assessment_id)

    def _open_index(self, index: QModelIndex) -> None:
        value = index.data(AssessmentIdRole)
        if isinstance(value, int):
            self.openRequested.emit(value)
