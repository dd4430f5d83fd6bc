"""Every message box, question and file dialog goes through here, so tests can answer them.

``Feedback`` shows real dialogs; ``ConsoleFeedback`` never blocks (smoke runs, benchmarks,
screenshots); ``RecordingFeedback`` records what would have been shown and answers
questions from a script, so a test can take every way out of a dialog.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

OPEN_FOLDER = "Open the &folder"


def plain(text: str) -> str:
    """A button or menu text without its mnemonic marker: "&Open backup" -> "Open backup"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


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

    def ask(self, title: str, text: str, choices: Sequence[str], *, details: str = "") -> str | None:
        """The choice the user picks (as given, mnemonic and all); None when the box is dismissed.

        The first choice is the default (Enter); Escape dismisses.
        """
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self.parent)
        if details:
            box.setInformativeText(details)
        buttons = [box.addButton(choice, QMessageBox.ButtonRole.ActionRole) for choice in choices]
        if buttons:
            box.setDefaultButton(buttons[0])
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        for choice, button in zip(choices, buttons, strict=True):
            if clicked is button:
                return choice
        return None

    def confirm(self, title: str, text: str, *, yes: str = "&Yes", no: str = "&No") -> bool:
        return self.ask(title, text, [yes, no]) == yes

    def choose_folder(self, title: str, start: Path | None = None) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self.parent, title, str(start or ""))
        return Path(chosen) if chosen else None

    def choose_open_file(self, title: str, start: Path | None = None, filters: str = "") -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self.parent, title, str(start or ""), filters)
        return Path(chosen) if chosen else None

    def choose_open_files(self, title: str, start: Path | None = None, filters: str = "") -> list[Path]:
        """Several files at once; an empty list when the dialog is dismissed."""
        chosen, _ = QFileDialog.getOpenFileNames(self.parent, title, str(start or ""), filters)
        return [Path(name) for name in chosen]

    def choose_save_file(self, title: str, start: Path | None = None, filters: str = "") -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self.parent, title, str(start or ""), filters)
        return Path(chosen) if chosen else None

    def offer_folder(self, title: str, text: str, folder: Path) -> None:
        """Say a file was written, offering to show the folder that holds it (Enter) or to close."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, self.parent)
        show = box.addButton(OPEN_FOLDER, QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(show)
        box.exec()
        if box.clickedButton() is show:
            self.open_folder(folder)

    def open_folder(self, folder: Path) -> None:
        """Show the folder in the desktop's file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class ConsoleFeedback(Feedback):
    """For unattended runs (smoke checks, benchmarks): messages go to standard error, never block.

    Questions are answered "dismissed" and no file is chosen, the safe way out of every dialog.
    """

    def __init__(self) -> None:
        super().__init__(None)

    def error(self, title: str, text: str) -> None:
        print(f"error: {title}: {text}", file=sys.stderr)

    def warning(self, title: str, text: str) -> None:
        print(f"warning: {title}: {text}", file=sys.stderr)

    def information(self, title: str, text: str) -> None:
        print(f"{title}: {text}", file=sys.stderr)

    def ask(self, title: str, text: str, choices: Sequence[str], *, details: str = "") -> str | None:
        print(f"question: {title}: {text} (not answered: running unattended)", file=sys.stderr)
        return None

    def choose_folder(self, title: str, start: Path | None = None) -> Path | None:
        return None

    def choose_open_file(self, title: str, start: Path | None = None, filters: str = "") -> Path | None:
        return None

    def choose_open_files(self, title: str, start: Path | None = None, filters: str = "") -> list[Path]:
        return []

    def choose_save_file(self, title: str, start: Path | None = None, filters: str = "") -> Path | None:
        return None

    def offer_folder(self, title: str, text: str, folder: Path) -> None:
        print(f"{title}: {text}", file=sys.stderr)


class RecordingFeedback(Feedback):
    """For tests: records every message as (kind, title, text); answers from ``answers`` in order.

    A question takes the next answer, which must be one of its choices (mnemonics may be
    left out) or None for "dismissed"; a file or folder request takes the next answer as a
    path (a request for several files takes a list of paths, or one path).  With no answer
    left, questions are dismissed and nothing is chosen.
    """

    def __init__(self, answers: Iterable[str | Path | list[Path] | None] = ()) -> None:
        super().__init__(None)
        self.messages: list[tuple[str, str, str]] = []
        self.answers: deque[str | Path | list[Path] | None] = deque(answers)

    def error(self, title: str, text: str) -> None:
        self.messages.append(("error", title, text))

    def warning(self, title: str, text: str) -> None:
        self.messages.append(("warning", title, text))

    def information(self, title: str, text: str) -> None:
        self.messages.append(("information", title, text))

    def ask(self, title: str, text: str, choices: Sequence[str], *, details: str = "") -> str | None:
        self.messages.append(("question", title, f"{text}\n{details}".strip()))
        if not self.answers:
            return None
        answer = self.answers.popleft()
        if answer is None:
            return None
        for choice in choices:
            if plain(choice) == plain(str(answer)):
                return choice
        raise AssertionError(f"{answer!r} is not one of the choices offered: {[plain(c) for c in choices]}")

    def _path(self, kind: str, title: str) -> Path | None:
        self.messages.append((kind, title, ""))
        if not self.answers:
            return None
        answer = self.answers.popleft()
        if isinstance(answer, list):
            raise AssertionError(f"{title!r} asks for one path, not the list {answer!r}")
        return None if answer is None else Path(answer)

    def choose_folder(self, title: str, start: Path | None = None) -> Path | None:
        return self._path("choose folder", title)

    def choose_open_file(self, title: str, start: Path | None = None, filters: str = "") -> Path | None:
        return self._path("choose file", title)

    def choose_open_files(self, title: str, start: Path | None = None, filters: str = "") -> list[Path]:
        self.messages.append(("choose files", title, ""))
        answer = self.answers.popleft() if self.answers else None
        if answer is None:
            return []
        return [Path(p) for p in answer] if isinstance(answer, list) else [Path(answer)]

    def choose_save_file(self, title: str, start: Path | None = None, filters: str = "") -> Path | None:
        return self._path("choose save file", title)

    def offer_folder(self, title: str, text: str, folder: Path) -> None:
        """Recorded as an "information" message; answer "Open the folder" to have it (recorded as) opened."""
        self.messages.append(("information", title, text))
        answer = self.answers.popleft() if self.answers else None
        if answer is None or plain(str(answer)) == "Close":
            return
        if plain(str(answer)) != plain(OPEN_FOLDER):
            raise AssertionError(f"{answer!r} is not one of the choices offered: {[plain(OPEN_FOLDER), 'Close']}")
        self.open_folder(folder)

    def open_folder(self, folder: Path) -> None:
        self.messages.append(("open folder", str(folder), ""))

    def kinds(self) -> list[str]:
        return [kind for kind, _title, _text in self.messages]
