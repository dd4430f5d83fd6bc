"""File > Preferences: the name stamped on every edit (shown in merges and the change log)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nesds_desktop.services import preferences
from nesds_desktop.services.workbook_service import WorkbookService


class PreferencesDialog(QDialog):
    def __init__(self, service: WorkbookService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Preferences")
        explanation = QLabel(
            "Your name is recorded with every judgement, note, evidence reference and action you change, "
            "so that when copies of an assessment come back from colleagues everyone's words are credited."
        )
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.author_edit = QLineEdit(preferences.get(service.store, preferences.AUTHOR_NAME))
        self.author_edit.setAccessibleName("Your name")
        self.author_edit.setPlaceholderText(f"Left blank: {preferences.author_name(service.store)}")
        form = QFormLayout()
        form.addRow("Your &name:", self.author_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        name = " ".join(self.author_edit.text().split())
        preferences.put(self.service.store, preferences.AUTHOR_NAME, name)
        # Edits from now on carry the new name; earlier ones keep theirs.
        self.service.author = preferences.author_name(self.service.store)
        super().accept()
