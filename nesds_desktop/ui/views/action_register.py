"""The action register page: every action of the assessment, with the savings added up.

Like the criterion pane it only shows what it is given and asks for changes through signals.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.assessments import total_savings
from nesds_desktop.domain.records import ActionItem
from nesds_desktop.ui.models.action_table_model import DESCRIPTION, ActionIdRole, ActionTableModel, money


def totals_text(items: Sequence[ActionItem]) -> str:
    """E.g. "3 actions counted: cashable £1,250.00 · non-cashable £300.00 · total £1,550.00 (80% cashable)"."""
    totals = total_savings(item.action for item in items)
    left_out = len(items) - totals.actions
    noun = "action" if totals.actions == 1 else "actions"
    text = (
        f"Estimated savings a year, {totals.actions} {noun} counted: cashable {money(totals.cashable)} · "
        f"non-cashable {money(totals.non_cashable)} · total {money(totals.total)}"
    )
    share = totals.cashable_share
    if share is not None:
        text += f" ({int(share * 100)}% cashable)"
    if left_out:
        text += f". {left_out} cancelled left out"
    return text + "."


class ActionRegister(QWidget):
    addRequested = Signal()  # noqa: N815
    editRequested = Signal(int)  # noqa: N815  action id
    removeRequested = Signal(int)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[ActionItem] = []
        self.model = ActionTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Action register")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users reach the buttons
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        # Rows fit their wrapped description; measured again (once the layout settles) whenever a
        # column's width changes, since Qt does not re-measure wrapped rows by itself.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_rows)
        header.sectionResized.connect(self._fit_timer.start)
        self.table.doubleClicked.connect(self._edit_index)
        self.table.installEventFilter(self)

        self.add_button = QPushButton("A&dd action… (Ctrl+Shift+A)")
        self.edit_button = QPushButton("Ed&it…")
        self.edit_button.setAccessibleName("Edit the chosen action")
        self.remove_button = QPushButton("De&lete")
        self.remove_button.setAccessibleName("Delete the chosen action (undo with Ctrl+Z)")
        for button in (self.add_button, self.edit_button, self.remove_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.addRequested)
        self.edit_button.clicked.connect(lambda: self._emit_chosen(self.editRequested))
        self.remove_button.clicked.connect(lambda: self._emit_chosen(self.removeRequested))

        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.totals_label.setAccessibleName("Savings totals")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)
        layout.addLayout(buttons)
        self.set_actions([])

    def set_actions(self, items: Sequence[ActionItem]) -> None:
        self._items = list(items)
        self.model.set_actions(items)
        self.totals_label.setText(totals_text(self._items))
        self._fit_rows()
        has_rows = bool(self._items)
        self.edit_button.setEnabled(has_rows)
        self.remove_button.setEnabled(has_rows)
        if has_rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit_timer.start()

    def chosen_id(self) -> int | None:
        index = self.table.currentIndex()
        return int(index.data(ActionIdRole)) if index.isValid() else None

    def select_action(self, action_id: int) -> None:
        row = self.model.row_of(action_id)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _emit_chosen(self, signal: SignalInstance) -> None:
        chosen = self.chosen_id()
        if chosen is not None:
            signal.emit(chosen)

    def _edit_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.editRequested.emit(int(index.data(ActionIdRole)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._emit_chosen(self.editRequested)
                return True
            if plain and event.key() == Qt.Key.Key_Delete:
                self._emit_chosen(self.removeRequested)
                return True
        return super().eventFilter(watched, event)
