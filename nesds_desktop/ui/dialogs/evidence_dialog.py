"""Add or edit one evidence reference: a title, and where the document or record is."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nesds_desktop.domain.assessments import AssessmentError, EvidenceReference


class EvidenceDialog(QDialog):
    def __init__(self, ref: str, existing: EvidenceReference | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{'Edit' if existing else 'Add'} evidence reference for {ref}")
        self._reference: EvidenceReference | None = None

        self.title_edit = QLineEdit(existing.title if existing else "")
        self.title_edit.setAccessibleName("Title of the evidence")
        self.title_edit.setPlaceholderText("e.g. ICT strategy 2006–2009")
        self.location_edit = QLineEdit(existing.location if existing else "")
        self.location_edit.setAccessibleName("Where the evidence is")
        self.location_edit.setPlaceholderText("A file path, web address or place, e.g. minute book, ICT office")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem with the evidence reference")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Location or link:", self.location_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.title_edit.setFocus()

    def accept(self) -> None:
        try:
            self._reference = EvidenceReference(self.title_edit.text(), self.location_edit.text())
        except AssessmentError as error:
            # Said in the dialog, not a message box: the facilitator fixes it and carries on.
            self.error_label.setText(f"⚠ {str(error).capitalize()}.")
            self.error_label.show()
            self.title_edit.setFocus()
            return
        super().accept()

    def reference(self) -> EvidenceReference | None:
        """What was entered, once the dialog is accepted."""
        return self._reference


def ask_evidence(parent: QWidget, ref: str, existing: EvidenceReference | None) -> EvidenceReference | None:
    """Show the dialog and wait: the reference entered, or None when cancelled."""
    dialog = EvidenceDialog(ref, existing, parent)
    try:
        return dialog.reference() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
