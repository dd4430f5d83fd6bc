"""Add or edit one action of the register: what, for which criterion, who, when, and the saving."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.assessments import (
    ZERO_POUNDS,
    Action,
    ActionPriority,
    ActionState,
    AssessmentError,
    pounds,
)
from nesds_desktop.ui.models.action_table_model import WHOLE_STANDARD


class ActionDialog(QDialog):
    def __init__(
        self,
        refs: Sequence[str],
        existing: Action | None = None,
        default_ref: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit action" if existing else "Add action")
        self._action: Action | None = None
        chosen_ref = existing.criterion_ref if existing else default_ref

        self.description_edit = QPlainTextEdit(existing.description if existing else "")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setAccessibleName("Description of the action")
        self.description_edit.setPlaceholderText("What will be done to close the gap")
        self.description_edit.setFixedHeight(self.description_edit.fontMetrics().lineSpacing() * 4 + 12)

        self.criterion_combo = QComboBox()
        self.criterion_combo.setAccessibleName("Criterion the action serves")
        self.criterion_combo.addItem(WHOLE_STANDARD, None)
        for ref in refs:
            self.criterion_combo.addItem(ref, ref)
        found = self.criterion_combo.findData(chosen_ref) if chosen_ref else 0
        self.criterion_combo.setCurrentIndex(max(found, 0))

        self.owner_edit = QLineEdit(existing.owner if existing else "")
        self.owner_edit.setAccessibleName("Owner")
        self.owner_edit.setPlaceholderText("Lead officer")

        self.due_check = QCheckBox("Due &by")
        self.due_edit = QDateEdit()
        self.due_edit.setAccessibleName("Due date")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("dd MMM yyyy")
        due = existing.due if existing and existing.due else None
        self.due_check.setChecked(due is not None)
        self.due_edit.setDate(_qdate(due or date.today()))
        self.due_edit.setEnabled(due is not None)
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_check)
        due_row.addWidget(self.due_edit, 1)

        self.priority_combo = QComboBox()
        self.priority_combo.setAccessibleName("Priority")
        for priority in ActionPriority:
            self.priority_combo.addItem(priority.label, priority.value)
        self.priority_combo.setCurrentIndex(
            self.priority_combo.findData((existing.priority if existing else ActionPriority.MEDIUM).value)
        )
        self.state_combo = QComboBox()
        self.state_combo.setAccessibleName("State")
        for state in ActionState:
            self.state_combo.addItem(state.label, state.value)
        self.state_combo.setCurrentIndex(
            self.state_combo.findData((existing.state if existing else ActionState.NOT_STARTED).value)
        )

        self.cashable_edit = QLineEdit(_amount_text(existing.saving_cashable if existing else ZERO_POUNDS))
        self.cashable_edit.setAccessibleName("Estimated cashable saving in pounds")
        self.non_cashable_edit = QLineEdit(_amount_text(existing.saving_non_cashable if existing else ZERO_POUNDS))
        self.non_cashable_edit.setAccessibleName("Estimated non-cashable saving in pounds")

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem with the action")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("&Description:", self.description_edit)
        form.addRow("&Criterion:", self.criterion_combo)
        form.addRow("&Owner:", self.owner_edit)
        form.addRow("", due_row)
        form.addRow("&Priority:", self.priority_combo)
        form.addRow("&State:", self.state_combo)
        form.addRow("Cas&hable saving (£ a year):", self.cashable_edit)
        form.addRow("&Non-cashable saving (£ a year):", self.non_cashable_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.description_edit.setFocus()

    def _build(self) -> Action:
        savings = []
        for label, edit in (("cashable", self.cashable_edit), ("non-cashable", self.non_cashable_edit)):
            text = edit.text().strip() or "0"
            try:
                savings.append(pounds(text))
            except AssessmentError as error:
                edit.setFocus()
                raise AssessmentError(f"{label} saving: {error}") from None
        ref = self.criterion_combo.currentData()
        return Action(
            description=self.description_edit.toPlainText(),
            criterion_ref=ref if isinstance(ref, str) else None,
            owner=self.owner_edit.text(),
            due=_pydate(self.due_edit.date()) if self.due_check.isChecked() else None,
            priority=ActionPriority(self.priority_combo.currentData()),
            state=ActionState(self.state_combo.currentData()),
            saving_cashable=savings[0],
            saving_non_cashable=savings[1],
        )

    def accept(self) -> None:
        try:
            self._action = self._build()
        except AssessmentError as error:
            # Said in the dialog, not a message box: the facilitator fixes it and carries on.
            message = str(error)
            self.error_label.setText(f"⚠ {message[:1].upper()}{message[1:]}.")
            self.error_label.show()
            if "description" in message:
                self.description_edit.setFocus()
            return
        super().accept()

    def action(self) -> Action | None:
        """What was entered, once the dialog is accepted."""
        return self._action


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _amount_text(amount: object) -> str:
    return f"{amount:.2f}" if amount else ""


def ask_action(parent: QWidget, refs: Sequence[str], existing: Action | None, default_ref: str | None) -> Action | None:
    """Show the dialog and wait: the action entered, or None when cancelled."""
    dialog = ActionDialog(refs, existing, default_ref, parent)
    try:
        return dialog.action() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
