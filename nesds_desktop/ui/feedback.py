"""Every message box and file dialog goes through here, so tests can answer them."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class Feedback:
    """Shows messages to the user.  Tests substitute a recording subclass."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def warning(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def information(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)
