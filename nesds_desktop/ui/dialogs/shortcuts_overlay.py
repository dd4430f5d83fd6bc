"""Help > Keyboard Shortcuts (F1): every shortcut of the window and of the open assessment.

Built from the live menus and the assessment view's own list, so it can never fall out of
step with what the keys really do.  Escape or F1 closes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QMenuBar, QTextBrowser, QVBoxLayout, QWidget

from nesds_desktop.ui.feedback import plain

ShortcutGroup = tuple[str, Sequence[tuple[str, str]]]


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def menu_shortcuts(menu_bar: QMenuBar) -> list[ShortcutGroup]:
    """One group per menu: (keys, command) for each command, menus reached by Alt and their letter."""
    groups: list[ShortcutGroup] = []
    for top in menu_bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        title = plain(top.text())
        entries = [(_mnemonic_keys(top.text()), f"Open the {title} menu")]
        entries.extend(_entries(menu, prefix=""))
        groups.append((f"{title} menu", entries))
    return groups


def _entries(menu: QMenu, prefix: str) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        sub = action.menu()
        if isinstance(sub, QMenu):
            entries.extend(_entries(sub, prefix=f"{prefix}{plain(action.text())} › "))
            continue
        keys = ", ".join(key_text(s) for s in action.shortcuts() if not s.isEmpty())
        entries.append((keys or "—", prefix + plain(action.text()).rstrip("…").rstrip(".")))
    return entries


def _mnemonic_keys(text: str) -> str:
    marker = text.replace("&&", "").find("&")
    cleaned = text.replace("&&", "")
    if marker < 0 or marker + 1 >= len(cleaned):
        return "—"
    return f"Alt+{cleaned[marker + 1].upper()}"


def action_shortcuts(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    return [
        (key_text(action.shortcut()), plain(action.text()).rstrip("…"))
        for action in actions
        if not action.shortcut().isEmpty()
    ]


def shortcuts_html(groups: Sequence[ShortcutGroup]) -> str:
    parts = ["<h2>Keyboard shortcuts</h2>"]
    for title, entries in groups:
        if not entries:
            continue
        rows = "".join(
            f"<tr><td style='padding: 2px 18px 2px 0;'><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
            for keys, what in entries
        )
        parts.append(f"<h3>{escape(title)}</h3><table>{rows}</table>")
    parts.append("<p>Press Escape or F1 to close this list.</p>")
    return "".join(parts)


class ShortcutsOverlay(QDialog):
    def __init__(self, groups: Sequence[ShortcutGroup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.groups = list(groups)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Keyboard shortcuts")
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        self.text.setHtml(shortcuts_html(self.groups))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close_with_f1 = QAction(self)
        close_with_f1.setShortcut(QKeySequence("F1"))
        close_with_f1.triggered.connect(self.reject)
        self.addAction(close_with_f1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def entries(self) -> list[tuple[str, str]]:
        """Every (keys, command) shown, in order."""
        return [entry for _title, group in self.groups for entry in group]
