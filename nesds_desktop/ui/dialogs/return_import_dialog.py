"""File > Import > Edited Return: what the return would change, before anything is written.

The service has read the return and compared it with the store (nothing is written yet).
The dialog lists the changes that **Apply** makes, the conflicts left out (changed in the
return and in the store since the export), and every warning.  A legacy return, or one
with nothing to apply, can be read but not applied: Apply stays disabled and says why.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from nesds_desktop.services.return_service import AnswerChange, ReturnImportPreview


class ReturnImportDialog(QDialog):
    def __init__(self, preview: ReturnImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"Import {preview.path.name}")
        self.setAccessibleName("Import an edited return")

        layout = QVBoxLayout(self)
        self.summary_label = QLabel(summary_html(preview))
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("What importing the return does")
        layout.addWidget(self.summary_label)

        self.changes_view = self._section(
            layout, f"&Changes to apply ({len(_lines(preview.changes))}):", _lines(preview.changes)
        )
        self.conflicts_view = self._section(
            layout, f"C&onflicts, not applied ({len(_lines(preview.conflicts))}):", _lines(preview.conflicts)
        )
        self.warnings_view = self._section(layout, f"&Warnings ({len(preview.warnings)}):", list(preview.warnings))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("&Apply")
        self.apply_button.setEnabled(preview.can_apply)
        if not preview.can_apply:
            self.apply_button.setToolTip(
                "A legacy return cannot be applied" if preview.legacy else "The return changes nothing"
            )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(860, 600)

    def _section(self, layout: QVBoxLayout, title: str, lines: list[str]) -> QPlainTextEdit | None:
        if not lines:
            return None
        label = QLabel(title)
        view = QPlainTextEdit("\n".join(lines))
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        view.setAccessibleName(title.replace("&", "").rstrip(":"))
        label.setBuddy(view)
        layout.addWidget(label)
        layout.addWidget(view, 1)
        return view

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.apply_button.isEnabled():
            self.apply_button.setFocus()
        else:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setFocus()

    def accept(self) -> None:
        if self.preview.can_apply:
            super().accept()


def summary_html(preview: ReturnImportPreview) -> str:
    name = escape(preview.path.name)
    if preview.legacy:
        return (
            f"<p><b>{name}</b> is read as a <b>legacy return</b>: it cannot be matched to the assessments "
            "in this store as they are now, so nothing in it can be applied. The warnings below say why.</p>"
        )
    titles = "".join(f"<li>{escape(s.title)}</li>" for s in preview.assessments)
    changes = len(_lines(preview.changes))
    if changes:
        ending = "<p>Nothing is changed until you choose <b>Apply</b>.</p>"
    else:
        ending = "<p>The return changes nothing in the store: there is nothing to apply.</p>"
    return (
        f"<p><b>{name}</b> holds the return for:</p><ul>{titles}</ul>"
        f"<p>{_count(changes, 'change')} to apply to {_count(len(preview.changes), 'criterion', 'criteria')}; "
        f"{_count(len(_lines(preview.conflicts)), 'conflict')} left out; "
        f"{_count(preview.unchanged, 'criterion', 'criteria')} unchanged.</p>{ending}"
    )


def _lines(changes: tuple[AnswerChange, ...]) -> list[str]:
    return [line for change in changes for line in change.describe()]


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"
