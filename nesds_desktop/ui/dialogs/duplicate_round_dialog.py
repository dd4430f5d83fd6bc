"""File > Duplicate into New Round: start next year's assessment from this one.

The service copies evidence, notes and open actions and marks every earlier judgement
"to confirm"; this dialog only asks for the round and says what will happen.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nesds_desktop.domain.assessments import AssessmentError, Round
from nesds_desktop.domain.records import AssessmentSummary
from nesds_desktop.services.workbook_service import AssessmentFilter, NotFoundError, WorkbookError, WorkbookService


class DuplicateRoundDialog(QDialog):
    def __init__(self, service: WorkbookService, source: AssessmentSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.source = source
        #: The new assessment, once created.
        self.created: AssessmentSummary | None = None
        self.setWindowTitle("Duplicate into New Round")

        intro = QLabel(
            f"<p>Start a new round of <b>{escape(source.title)}</b>.</p>"
            "<p>The new assessment carries over the evidence notes, evidence references and open actions. "
            f"Every judgement from {escape(source.round.label)} comes across marked <b>to confirm</b>, "
            "so the workshop can confirm or change each one.</p>"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.round_edit = QLineEdit(source.round.next().label)
        self.round_edit.setAccessibleName("New round")
        self.round_edit.selectAll()
        form = QFormLayout()
        form.addRow("New &round:", self.round_edit)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setAccessibleName("Problem")
        self.problem_label.setStyleSheet("color: #a00000; font-weight: bold;")
        self.problem_label.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Duplicate")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        try:
            new_round = Round.parse(self.round_edit.text())
            twins = self.service.list_assessments(
                AssessmentFilter(
                    authority_id=self.source.authority.id,
                    standard_code=self.source.standard_code,
                    round_label=new_round.label,
                )
            )
            if twins:
                raise AssessmentError(
                    f"{self.source.authority.name} already has a {self.source.standard_code} assessment in round "
                    f"{new_round.label}; open it from the Assessments list, or choose another round"
                )
            self.created = self.service.duplicate_into_round(self.source.id, new_round)
        except (AssessmentError, WorkbookError, NotFoundError) as error:
            text = str(error)
            text = text[0].upper() + text[1:]
            self.problem_label.setText(f"⚠ {text}.")
            self.problem_label.show()
            return
        super().accept()
