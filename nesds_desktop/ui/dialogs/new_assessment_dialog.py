"""File > New Assessment, and Assessment > Details: who is assessed, against what, when and by whom.

The same form serves both: for a new assessment the authority, release and standard are
chosen; for an existing one they are fixed (its judgements belong to that standard) and the
state (draft, agreed, submitted) can be changed.  Problems are shown inline; the dialog
calls the service itself and stays open until the store has the assessment.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.assessments import AssessmentError, AssessmentState, Round
from nesds_desktop.domain.catalogue import ReleaseSummary
from nesds_desktop.domain.records import AssessmentDetails, AssessmentSummary
from nesds_desktop.services.workbook_service import AssessmentFilter, NotFoundError, WorkbookError, WorkbookService

DATE_FORMAT = "d MMM yyyy"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class NewAssessmentDialog(QDialog):
    def __init__(
        self,
        service: WorkbookService,
        releases: list[ReleaseSummary],
        parent: QWidget | None = None,
        existing: AssessmentSummary | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.existing = existing
        #: The assessment as stored, once the dialog has created or saved it.
        self.saved: AssessmentSummary | None = None
        self._releases = sorted(releases, key=lambda r: (len(r.standards), r.info.published), reverse=True)
        today = today or date.today()
        self.setWindowTitle("New Assessment" if existing is None else "Assessment Details")

        self.authority_combo = QComboBox()
        self.authority_combo.setAccessibleName("Authority")
        self.new_authority_button = QPushButton("New a&uthority…")
        self.new_authority_button.setAutoDefault(False)
        authority_row = QHBoxLayout()
        authority_row.addWidget(self.authority_combo, 1)
        authority_row.addWidget(self.new_authority_button)

        self.release_combo = QComboBox()
        self.release_combo.setAccessibleName("Catalogue release")
        for summary in self._releases:
            info = summary.info
            self.release_combo.addItem(f"{info.title} {info.version}", info.release_id)
        self.standard_combo = QComboBox()
        self.standard_combo.setAccessibleName("Standard")
        self.round_edit = QLineEdit(Round.containing(today).label)
        self.round_edit.setAccessibleName("Round")
        self.round_edit.setPlaceholderText("e.g. 2006/07")
        self.facilitator_edit = QLineEdit(service.author)
        self.facilitator_edit.setAccessibleName("Facilitator")
        self.participants_edit = QLineEdit()
        self.participants_edit.setAccessibleName("Participants")
        self.participants_edit.setPlaceholderText("Names and roles, separated by commas")

        self.start_edit = QDateEdit(_qdate(today))
        self.end_edit = QDateEdit(_qdate(today))
        for edit, name in ((self.start_edit, "Workshop first day"), (self.end_edit, "Workshop last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setAccessibleName(name)
        self.no_date_check = QCheckBox("No &date yet")
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.start_edit)
        to_label = QLabel("t&o")
        to_label.setBuddy(self.end_edit)
        dates_row.addWidget(to_label)
        dates_row.addWidget(self.end_edit)
        dates_row.addWidget(self.no_date_check)
        dates_row.addStretch(1)

        self.state_combo = QComboBox()
        self.state_combo.setAccessibleName("State")
        for state in AssessmentState:
            self.state_combo.addItem(state.label, state.value)

        form = QFormLayout()
        form.addRow("&Authority:", authority_row)
        form.addRow("&Release:", self.release_combo)
        form.addRow("&Standard:", self.standard_combo)
        form.addRow("Rou&nd:", self.round_edit)
        form.addRow("&Facilitator:", self.facilitator_edit)
        form.addRow("&Participants:", self.participants_edit)
        form.addRow("&Workshop:", dates_row)
        form.addRow("S&tate:", self.state_combo)
        # The label's buddy is its field, so Alt+letter reaches every field.
        for row_layout, field in ((authority_row, self.authority_combo), (dates_row, self.start_edit)):
            label = form.labelForField(row_layout)
            if isinstance(label, QLabel):
                label.setBuddy(field)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setAccessibleName("Problem")
        self.problem_label.setStyleSheet("color: #a00000; font-weight: bold;")
        self.problem_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Create" if existing is None else "&Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.release_combo.currentIndexChanged.connect(self._fill_standards)
        self.no_date_check.toggled.connect(self._on_no_date)
        self.new_authority_button.clicked.connect(self.add_authority)
        self.reload_authorities()
        self._fill_standards()
        if existing is not None:
            self._show_existing(existing)
        else:
            self.state_combo.setEnabled(False)
        self.resize(640, self.sizeHint().height())

    # -- filling --------------------------------------------------------------------------------
    def reload_authorities(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.authority_combo.currentData()
        self.authority_combo.clear()
        for record in self.service.list_authorities():
            self.authority_combo.addItem(record.name, record.id)
        row = self.authority_combo.findData(current)
        if row >= 0:
            self.authority_combo.setCurrentIndex(row)
        if not self.authority_combo.count():
            self.authority_combo.setPlaceholderText("No authority yet: add one with New authority…")

    def _fill_standards(self, _row: int = 0) -> None:
        chosen = self.standard_combo.currentData()
        self.standard_combo.clear()
        summary = self._release_summary()
        if summary is None:
            return
        for standard in summary.standards:
            self.standard_combo.addItem(f"{standard.code} — {standard.title}", standard.code)
        row = self.standard_combo.findData(chosen)
        self.standard_combo.setCurrentIndex(max(row, 0))

    def _release_summary(self) -> ReleaseSummary | None:
        release_id = self.release_combo.currentData()
        return next((r for r in self._releases if r.info.release_id == release_id), None)

    def _show_existing(self, existing: AssessmentSummary) -> None:
        self.authority_combo.setCurrentIndex(self.authority_combo.findData(existing.authority.id))
        row = self.release_combo.findData(existing.release_id)
        if row < 0:
            self.release_combo.addItem(existing.release_id, existing.release_id)
            row = self.release_combo.count() - 1
        self.release_combo.setCurrentIndex(row)
        row = self.standard_combo.findData(existing.standard_code)
        if row < 0:
            self.standard_combo.addItem(f"{existing.standard_code} — {existing.standard_title}", existing.standard_code)
            row = self.standard_combo.count() - 1
        self.standard_combo.setCurrentIndex(row)
        # The judgements belong to this release's standard: those cannot change here.
        self.release_combo.setEnabled(False)
        self.standard_combo.setEnabled(False)
        self.round_edit.setText(existing.round.label)
        self.facilitator_edit.setText(existing.facilitator)
        self.participants_edit.setText(existing.participants)
        if existing.workshop_start is None:
            self.no_date_check.setChecked(True)
        else:
            self.start_edit.setDate(_qdate(existing.workshop_start))
            self.end_edit.setDate(_qdate(existing.workshop_end or existing.workshop_start))
        self.state_combo.setCurrentIndex(self.state_combo.findData(existing.state.value))

    def _on_no_date(self, checked: bool) -> None:
        self.start_edit.setEnabled(not checked)
        self.end_edit.setEnabled(not checked)

    def add_authority(self) -> QDialog:
        """Open the register; an authority saved there is chosen here."""
        from nesds_desktop.ui.dialogs.authority_dialog import AuthorityRegisterDialog

        register = AuthorityRegisterDialog(self.service, self)
        register.authoritySaved.connect(self.reload_authorities)
        register.open()
        return register

    # -- saving ---------------------------------------------------------------------------------
    def details(self) -> AssessmentDetails:
        """What the form says; AssessmentError when something is missing or malformed."""
        authority_id = self.authority_combo.currentData()
        if not isinstance(authority_id, int):
            raise AssessmentError(
                "choose the authority being assessed (add it with New authority… if it is not listed)"
            )
        standard_code = self.standard_combo.currentData()
        release_id = self.release_combo.currentData()
        if not isinstance(standard_code, str) or not isinstance(release_id, str):
            raise AssessmentError("choose the release and the standard to assess against")
        undated = self.no_date_check.isChecked()
        return AssessmentDetails(
            authority_id=authority_id,
            release_id=release_id,
            standard_code=standard_code,
            round=Round.parse(self.round_edit.text()),
            facilitator=self.facilitator_edit.text(),
            participants=self.participants_edit.text(),
            workshop_start=None if undated else _pydate(self.start_edit.date()),
            workshop_end=None if undated else _pydate(self.end_edit.date()),
            state=AssessmentState(self.state_combo.currentData()) if self.existing else AssessmentState.DRAFT,
        )

    def _already_there(self, details: AssessmentDetails) -> AssessmentSummary | None:
        same = self.service.list_assessments(
            AssessmentFilter(
                authority_id=details.authority_id,
                standard_code=details.standard_code,
                round_label=details.round.label,
            )
        )
        return next((s for s in same if self.existing is None or s.id != self.existing.id), None)

    def accept(self) -> None:
        try:
            details = self.details()
            twin = self._already_there(details)
            if twin is not None:
                raise AssessmentError(
                    f"{twin.authority.name} already has a {twin.standard_code} assessment in round "
                    f"{twin.round.label}; open it from the Assessments list, or choose another round"
                )
            if self.existing is None:
                self.saved = self.service.create_assessment(details)
            else:
                self.saved = self.service.update_details(self.existing.id, details)
        except (AssessmentError, WorkbookError, NotFoundError) as error:
            self._show_problem(str(error))
            return
        super().accept()

    def _show_problem(self, text: str) -> None:
        text = text.strip()
        if text:
            text = text[0].upper() + text[1:]
            text = text if text.endswith(".") else f"{text}."
        self.problem_label.setText(f"⚠ {text}" if text else "")
        self.problem_label.setVisible(bool(text))
