"""Every message box and file dialog goes through here, so tests can answer them."""

from __future__ import annotations

import sys

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


class ConsoleFeedback(Feedback):
    """For unattended runs (smoke checks, benchmarks): messages go to standard error, never block."""

    def __init__(self) -> None:
        super().__init__(None)

    def error(self, title: str, text: str) -> None:
        print(f"error: {title}: {text}", file=sys.stderr)

    def warning(self, title: str, text: str) -> None:
        print(f"warning: {title}: {text}", file=sys.stderr)

    def information(self, title: str, text: str) -> None:
        print(f"{title}: {text}", file=sys.stderr)
