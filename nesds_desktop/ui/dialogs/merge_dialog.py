"""Opening an assessment file: what will be added and taken, and each conflict side by side.

The service has already worked out the preview (nothing is written until **Apply**).  The
dialog lists what happens to each assessment in the file, then every conflict: mine (this
computer) and theirs (the file), each with who changed it and when, and the version both
started from.  The user chooses per item (Alt+M keeps mine, Alt+T takes theirs, and the
next unresolved conflict comes up), or all one way; Apply stays disabled until every
conflict has a choice, so nothing is overwritten silently.  Errors go through Feedback.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.services.exchange_service import (
    AppliedMerge,
    ConflictKey,
    ConflictView,
    ExchangeError,
    ExchangeService,
    MergePreview,
    Side,
    Version,
)
from nesds_desktop.ui.feedback import Feedback

_MARK = {None: "?  Not chosen", Side.MINE: "◀  Keep mine", Side.THEIRS: "▶  Take theirs"}


def when(moment: datetime) -> str:
    """A time of change as people read it, in this computer's time zone: "3 May 2006 at 10:12"."""
    local = moment.astimezone()
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


class MergeDialog(QDialog):
    def __init__(
        self, service: ExchangeService, preview: MergePreview, feedback: Feedback, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.preview = preview
        self.feedback = feedback
        self.choices: dict[ConflictKey, Side] = {}
        #: What the merge did, once applied (the window pushes it onto the undo stack).
        self.applied: AppliedMerge | None = None
        self._conflicts: list[ConflictView] = list(preview.conflicts)
        self.setWindowTitle(f"Open {preview.source.name}")
        self.setAccessibleName("Open assessment file")

        layout = QVBoxLayout(self)
        self.summary_label = QLabel(self._summary_html())
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("What opening the file does")
        layout.addWidget(self.summary_label)

        taken = [line for plan in preview.plans for line in plan.taken]
        self.taken_view: QPlainTextEdit | None = None
        if taken:
            taken_label = QLabel(f"Changes made only in the file, ta&ken automatically ({len(taken)}):")
            self.taken_view = QPlainTextEdit()
            self.taken_view.setReadOnly(True)
            self.taken_view.setAccessibleName("Changes taken automatically")
            self.taken_view.setPlainText(
                "\n".join(
                    f"{t.label}: {t.before} → {t.after}  ({t.author or 'unknown'}, {when(t.changed_at)})" for t in taken
                )
            )
            self.taken_view.setMaximumHeight(80 if self._conflicts else 260)
            taken_label.setBuddy(self.taken_view)
            layout.addWidget(taken_label)
            layout.addWidget(self.taken_view)

        self.conflict_list = QListWidget()
        self.conflict_list.setAccessibleName("Conflicts")
        self.mine_radio = QRadioButton("Keep &mine")
        self.theirs_radio = QRadioButton("Take &theirs")
        self.mine_text = _version_view("Mine")
        self.theirs_text = _version_view("Theirs")
        self.base_label = QLabel()
        self.base_label.setWordWrap(True)
        self.base_label.setTextFormat(Qt.TextFormat.RichText)
        self.base_label.setAccessibleName("Before either change")
        self.all_mine_button = QPushButton("Keep all m&ine")
        self.all_theirs_button = QPushButton("Take all t&heirs")
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Conflicts resolved")
        self.side_group = QButtonGroup(self)
        self.side_group.addButton(self.mine_radio)
        self.side_group.addButton(self.theirs_radio)
        if self._conflicts:
            layout.addWidget(self._conflict_panel(), 1)
        else:
            layout.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("&Apply" if preview.merges else "&Add to the store")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        self.side_group.buttonClicked.connect(self._on_side_clicked)
        self.all_mine_button.clicked.connect(lambda: self.choose_all(Side.MINE))
        self.all_theirs_button.clicked.connect(lambda: self.choose_all(Side.THEIRS))
        for conflict in self._conflicts:
            QListWidgetItem(self._item_text(conflict), self.conflict_list)
        if self._conflicts:
            self.conflict_list.setCurrentRow(0)
        self._update_progress()
        self.resize(960, 640 if self._conflicts else max(260, self.sizeHint().height()))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        # Start where the work is: the first conflict, else the button that confirms.
        (self.conflict_list if self._conflicts else self.apply_button).setFocus()

    # -- building -----------------------------------------------------------------------------
    def _summary_html(self) -> str:
        preview = self.preview
        manifest = preview.file.manifest
        by = f" by {escape(manifest.created_by)}" if manifest.created_by else ""
        lines = [
            f"<p><b>{escape(preview.source.name)}</b> was written{by} on {escape(when(manifest.created_at))} "
            f"with {escape(manifest.application)}.</p><ul>"
        ]
        for plan in preview.plans:
            if plan.is_new:
                lines.append(f"<li>Add <b>{escape(plan.title)}</b>, which this store does not hold yet.</li>")
            elif not plan.changes_anything:
                lines.append(f"<li><b>{escape(plan.title)}</b>: nothing new in the file.</li>")
            else:
                lines.append(
                    f"<li>Merge into <b>{escape(plan.title)}</b>: {len(plan.taken)} change(s) made only in the file "
                    f"are taken; {plan.joined} made the same on both sides; "
                    f"<b>{len(plan.conflicts)} conflict(s)</b> to resolve.</li>"
                )
        lines += [
            f"<li>Catalogue release {escape(r)} comes with the file and is added.</li>" for r in preview.releases_to_add
        ]
        lines += [
            f"<li>{escape(name)} is added to the register of authorities.</li>" for name in preview.authorities_to_add
        ]
        lines += [f"<li>{escape(note)}</li>" for note in preview.notes]
        lines += [f"<li>{escape(note)}</li>" for plan in preview.plans for note in plan.notes]
        if preview.merges:
            ending = "<b>Apply</b>; each merge can then be undone (Ctrl+Z) as one step"
        else:
            ending = "<b>Add to the store</b>"
        lines.append(f"</ul><p>Nothing is changed until you choose {ending}.</p>")
        return "".join(lines)

    def _conflict_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(
            "&Conflicts: changed on both sides differently. Choose which version to keep for each "
            "(lines that differ are in bold)."
        )
        heading.setBuddy(self.conflict_list)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        rows = min(len(self._conflicts), 5)
        self.conflict_list.setFixedHeight(self.conflict_list.fontMetrics().height() * rows + 4 * rows + 8)
        layout.addWidget(self.conflict_list)
        layout.addWidget(self.base_label)
        sides = QHBoxLayout()
        for title, text, radio in (
            ("Mine (in this computer's store)", self.mine_text, self.mine_radio),
            ("Theirs (in the file)", self.theirs_text, self.theirs_radio),
        ):
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(text, 1)
            box_layout.addWidget(radio)
            sides.addWidget(box, 1)
        layout.addLayout(sides, 1)
        row = QHBoxLayout()
        row.addWidget(self.all_mine_button)
        row.addWidget(self.all_theirs_button)
        row.addStretch(1)
        row.addWidget(self.progress_label)
        layout.addLayout(row)
        return panel

    def _item_text(self, conflict: ConflictView) -> str:
        several = len({c.key[0] for c in self._conflicts}) > 1
        where = f"{conflict.assessment_title}: " if several else ""
        return f"{_MARK[self.choices.get(conflict.key)]}   {where}{conflict.label}"

    # -- choosing -----------------------------------------------------------------------------
    @property
    def current_conflict(self) -> ConflictView | None:
        row = self.conflict_list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _show_conflict(self, row: int) -> None:
        if not 0 <= row < len(self._conflicts):
            return
        conflict = self._conflicts[row]
        base = conflict.base
        self.base_label.setText(
            f"<b>{escape(conflict.label)}</b>. Before either change: {_version_html(base, inline=True)}"
            if base
            else f"<b>{escape(conflict.label)}</b>. Each side added it on its own."
        )
        self.mine_text.setHtml(_version_html(conflict.mine, other=conflict.theirs))
        self.theirs_text.setHtml(_version_html(conflict.theirs, other=conflict.mine))
        self.mine_text.setAccessibleDescription(conflict.mine.summary)
        self.theirs_text.setAccessibleDescription(conflict.theirs.summary)
        chosen = self.choices.get(conflict.key)
        self.side_group.setExclusive(False)
        self.mine_radio.setChecked(chosen is Side.MINE)
        self.theirs_radio.setChecked(chosen is Side.THEIRS)
        self.side_group.setExclusive(True)

    def _on_side_clicked(self, button: QAbstractButton) -> None:
        self.choose(Side.MINE if button is self.mine_radio else Side.THEIRS)

    def choose(self, side: Side) -> None:
        """Settle the current conflict, then move on to the next one still open."""
        conflict = self.current_conflict
        if conflict is None:
            return
        self.choices[conflict.key] = side
        row = self.conflict_list.currentRow()
        item = self.conflict_list.item(row)
        item.setText(self._item_text(conflict))
        self._update_progress()
        following = [r for r in range(row + 1, len(self._conflicts)) if self._conflicts[r].key not in self.choices]
        earlier = [r for r in range(row) if self._conflicts[r].key not in self.choices]
        target = (following or earlier or [row])[0]
        if target != row:
            self.conflict_list.setCurrentRow(target)
        else:
            self._show_conflict(row)

    def choose_all(self, side: Side) -> None:
        for index, conflict in enumerate(self._conflicts):
            self.choices[conflict.key] = side
            self.conflict_list.item(index).setText(self._item_text(conflict))
        self._show_conflict(self.conflict_list.currentRow())
        self._update_progress()
        self.apply_button.setFocus()

    def _update_progress(self) -> None:
        done = sum(1 for c in self._conflicts if c.key in self.choices)
        total = len(self._conflicts)
        self.progress_label.setText(f"{done} of {total} conflict(s) resolved")
        self.apply_button.setEnabled(done == total)
        self.apply_button.setToolTip("" if done == total else "Choose a version for every conflict first")

    # -- applying -----------------------------------------------------------------------------
    def accept(self) -> None:
        if any(c.key not in self.choices for c in self._conflicts):
            return
        try:
            self.applied = self.service.apply(self.preview, self.choices)
        except ExchangeError as error:
            self.feedback.error("The file was not opened", f"{error}\n\nNothing in the store was changed.")
            if error.reason == "stale":
                self.reject()
            return
        except Exception as error:  # a locked or damaged store
            self.feedback.error(
                "The file was not opened",
                f"The store could not be written: {error}\n\nNothing in the store was changed.",
            )
            return
        super().accept()

    @classmethod
    def for_file(
        cls, service: ExchangeService, path: Path, feedback: Feedback, parent: QWidget | None = None
    ) -> MergeDialog | None:
        """The dialog for ``path``, or None after telling the user why the file cannot be opened."""
        try:
            preview = service.preview(path)
        except ExchangeError as error:
            feedback.error(f"{path.name} cannot be opened", f"{error}\n\nNothing in the store was changed.")
            return None
        except Exception as error:  # the store cannot be read
            feedback.error(f"{path.name} cannot be opened", f"The store could not be read: {error}")
            return None
        if preview.nothing_to_do:
            feedback.information(
                "Nothing new", f"{path.name} holds nothing this store does not already have; nothing was changed."
            )
            return None
        return cls(service, preview, feedback, parent)


def _version_view(side: str) -> QTextBrowser:
    # Read-only and scrollable: a long note or action is never clipped, and Tab reaches it.
    view = QTextBrowser()
    view.setOpenLinks(False)
    view.setAccessibleName(f"{side}: version")
    view.setMinimumWidth(280)
    view.setMinimumHeight(120)
    return view


def _version_html(version: Version | None, *, inline: bool = False, other: Version | None = None) -> str:
    """The version in words; lines that differ from ``other`` in bold (marked, not coloured)."""
    if version is None:
        return ""
    who = escape(version.author) if version.author else "someone (name not recorded)"
    if inline:
        return f"{escape(version.summary)} ({who}, {escape(when(version.changed_at))})"
    differing = set(version.lines) - set(other.lines) if other is not None else set()
    lines = "<br>".join(f"<b>{escape(line)}</b>" if line in differing else escape(line) for line in version.lines)
    if version.removed:
        lines = "<b>Removed</b>"
    return f"<p>{lines}</p><p><i>Changed by {who} on {escape(when(version.changed_at))}</i></p>"
