"""The centre of the workbook: one criterion, its guidance, and the answer being given.

The pane shows what the view hands it and reports what the user asks for through signals;
it never calls the service.  It owns the notes debounce: an edit is reported 800 ms after the
last keystroke, on leaving the field, and on :meth:`flush_notes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.catalogue import Criterion, Section
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import SectionResult
from nesds_desktop.domain.records import ActionItem, CriterionAnswer, EvidenceItem
from nesds_desktop.ui.models.action_table_model import describe_action
from nesds_desktop.ui.models.navigator_model import TO_CONFIRM_MARK

NOTES_DELAY_MS = 800
ItemIdRole = Qt.ItemDataRole.UserRole + 1


def judgement_button_text(judgement: Judgement) -> str:
    """E.g. "✓ Met [M]": the symbol, the words, and the key that gives it."""
    return f"{judgement.symbol} {judgement.label} [{judgement.key}]"


def _bullets(items: Sequence[str]) -> str:
    if not items:
        return "<p><i>None listed.</i></p>"
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def criterion_details_html(criterion: Criterion) -> str:
    return (
        f"<h3>Guidance</h3><p>{escape(criterion.guidance)}</p>"
        f"<h3>Examples of evidence</h3>{_bullets(criterion.evidence)}"
        f"<h3>Signposts</h3>{_bullets(criterion.signposts)}"
    )


class FlowLayout(QLayout):
    """Lays widgets out in a row and wraps them onto further rows when the row is too narrow."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height:
                x, y = rect.x(), y + line_height + self._gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class NotesEdit(QPlainTextEdit):
    """Evidence notes; says when focus leaves so the edit is committed then."""

    focusLeft = Signal()  # noqa: N815 (Qt naming)

    def sizeHint(self) -> QSize:  # noqa: N802
        # About four lines: when zoomed, the evidence and actions below stay in reach.
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 4 + 12)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focusLeft.emit()


class _ListKeys(QObject):
    """Enter edits and Delete removes the chosen item of an evidence or action list."""

    def __init__(self, edit: SignalInstance, remove: SignalInstance, parent: QObject) -> None:
        super().__init__(parent)
        self._edit = edit
        self._remove = remove

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QListWidget):
            return False
        assert isinstance(event, QKeyEvent)
        item = watched.currentItem()
        if item is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._edit.emit(int(item.data(ItemIdRole)))
            return True
        if event.key() == Qt.Key.Key_Delete:
            self._remove.emit(int(item.data(ItemIdRole)))
            return True
        return False


class CriterionPane(QWidget):
    judgementChosen = Signal(str)  # noqa: N815  Judgement value, from a click on a button
    notesEdited = Signal(str, str)  # noqa: N815  ref, the notes to commit
    addEvidenceRequested = Signal()  # noqa: N815
    editEvidenceRequested = Signal(int)  # noqa: N815  evidence id
    removeEvidenceRequested = Signal(int)  # noqa: N815
    addActionRequested = Signal()  # noqa: N815
    editActionRequested = Signal(int)  # noqa: N815  action id
    removeActionRequested = Signal(int)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref: str | None = None
        self._notes_ref: str | None = None
        self._notes_dirty = False
        self._loading = False

        self.header_label = QLabel()
        self.header_label.setWordWrap(True)
        self.header_label.setAccessibleName("Criterion reference and level")
        self.statement_label = QLabel()
        self.statement_label.setWordWrap(True)
        self.statement_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statement_label.setAccessibleName("Criterion statement")
        self.statement_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Guidance, examples of evidence and signposts")
        self.details.setOpenLinks(False)

        # -- the answer -------------------------------------------------------------------
        self.judgement_buttons: dict[Judgement, QPushButton] = {}
        self.judgement_group = QButtonGroup(self)
        self.judgement_group.setExclusive(True)
        # The buttons wrap onto a second line when zoomed for a projector, rather than widen the pane.
        judgement_row = FlowLayout()
        for judgement in Judgement:
            button = QPushButton(judgement_button_text(judgement))
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setToolTip(f"{judgement.label}: press {judgement.key} or {judgement.digit}")
            button.setAccessibleName(f"{judgement.label}, key {judgement.key} or {judgement.digit}")
            self.judgement_group.addButton(button)
            self.judgement_buttons[judgement] = button
            judgement_row.addWidget(button)
        self.judgement_group.buttonClicked.connect(self._on_judgement_clicked)
        self.answer_info_label = QLabel()
        self.answer_info_label.setWordWrap(True)
        self.answer_info_label.setAccessibleName("Who gave the answer and when")

        self.notes_edit = NotesEdit()
        self.notes_edit.setTabChangesFocus(True)  # Tab moves on: the workbook runs without a mouse
        self.notes_edit.setAccessibleName("Evidence notes")
        self.notes_edit.setPlaceholderText("What was said in the workshop (saved as you type)")
        notes_label = QLabel("Evidence &notes (Enter or F2; Escape to go back):")
        notes_label.setBuddy(self.notes_edit)
        self.notes_timer = QTimer(self)
        self.notes_timer.setSingleShot(True)
        self.notes_timer.setInterval(NOTES_DELAY_MS)
        self.notes_timer.timeout.connect(self.flush_notes)
        self.notes_edit.textChanged.connect(self._on_notes_typed)
        self.notes_edit.focusLeft.connect(self.flush_notes)

        self.evidence_list = _wrapping_list()
        self.evidence_list.setAccessibleName("Evidence references")
        self.add_evidence_button = QPushButton("Add… Ctrl+E")
        self.add_evidence_button.setAccessibleName("Add an evidence reference (Ctrl+E)")
        self.edit_evidence_button = QPushButton("Edit…")
        self.remove_evidence_button = QPushButton("Remove")
        self.edit_evidence_button.setAccessibleName("Edit the chosen evidence reference")
        self.remove_evidence_button.setAccessibleName("Remove the chosen evidence reference")
        evidence_box = self._list_box(
            "Evidence &references",
            self.evidence_list,
            (self.add_evidence_button, self.edit_evidence_button, self.remove_evidence_button),
        )
        self.add_evidence_button.clicked.connect(self.addEvidenceRequested)
        self.edit_evidence_button.clicked.connect(
            lambda: self._emit_chosen(self.evidence_list, self.editEvidenceRequested)
        )
        self.remove_evidence_button.clicked.connect(
            lambda: self._emit_chosen(self.evidence_list, self.removeEvidenceRequested)
        )
        self.evidence_list.itemActivated.connect(
            lambda item: self.editEvidenceRequested.emit(int(item.data(ItemIdRole)))
        )
        self.evidence_list.installEventFilter(_ListKeys(self.editEvidenceRequested, self.removeEvidenceRequested, self))

        self.action_list = _wrapping_list()
        self.action_list.setAccessibleName("Actions for this criterion")
        self.add_action_button = QPushButton("Add… Ctrl+Shift+A")
        self.add_action_button.setAccessibleName("Add an action for this criterion (Ctrl+Shift+A)")
        self.edit_action_button = QPushButton("Edit…")
        self.remove_action_button = QPushButton("Remove")
        self.edit_action_button.setAccessibleName("Edit the chosen action")
        self.remove_action_button.setAccessibleName("Remove the chosen action")
        action_box = self._list_box(
            "A&ctions for this criterion",
            self.action_list,
            (self.add_action_button, self.edit_action_button, self.remove_action_button),
        )
        self.add_action_button.clicked.connect(self.addActionRequested)
        self.edit_action_button.clicked.connect(lambda: self._emit_chosen(self.action_list, self.editActionRequested))
        self.remove_action_button.clicked.connect(
            lambda: self._emit_chosen(self.action_list, self.removeActionRequested)
        )
        self.action_list.itemActivated.connect(lambda item: self.editActionRequested.emit(int(item.data(ItemIdRole))))
        self.action_list.installEventFilter(_ListKeys(self.editActionRequested, self.removeActionRequested, self))

        self.answer_area = QWidget()
        answer_layout = QVBoxLayout(self.answer_area)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addLayout(judgement_row)
        answer_layout.addWidget(self.answer_info_label)
        answer_layout.addWidget(notes_label)
        answer_layout.addWidget(self.notes_edit, 1)
        lists = QHBoxLayout()
        lists.addWidget(evidence_box, 1)
        lists.addWidget(action_box, 1)
        answer_layout.addLayout(lists, 1)

        # Zoomed for a projector the answer may not fit: it scrolls rather than clip.
        self.answer_scroll = QScrollArea()
        self.answer_scroll.setWidget(self.answer_area)
        self.answer_scroll.setWidgetResizable(True)
        self.answer_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.answer_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.answer_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.details)
        self.splitter.addWidget(self.answer_scroll)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.header_label)
        layout.addWidget(self.statement_label)
        layout.addWidget(self.splitter, 1)
        self.apply_zoom()
        self.show_nothing()

    @staticmethod
    def _list_box(title: str, items: QListWidget, buttons: Sequence[QPushButton]) -> QGroupBox:
        box = QGroupBox(title)
        row = FlowLayout()  # wraps when zoomed, so the pane never forces the navigator narrow
        for button in buttons:
            button.setAutoDefault(False)
            row.addWidget(button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(items, 1)
        layout.addLayout(row)
        return box

    # -- fonts ----------------------------------------------------------------------------
    def apply_zoom(self) -> None:
        """Set the fonts larger than the pane's own (called after the view's font changes)."""
        statement = self.font()
        statement.setPointSizeF(statement.pointSizeF() * 1.45)
        self.statement_label.setFont(statement)
        header = self.font()
        header.setPointSizeF(header.pointSizeF() * 1.1)
        header.setBold(True)
        self.header_label.setFont(header)

    # -- what is shown --------------------------------------------------------------------
    def current_ref(self) -> str | None:
        return self._ref

    def show_nothing(self) -> None:
        self.flush_notes()
        self._ref = None
        self.header_label.setText("")
        self.statement_label.setText("Choose a criterion in the navigator.")
        self.details.clear()
        self._set_notes(None, "")
        self.answer_area.setEnabled(False)

    def show_section(self, section: Section, result: SectionResult | None) -> None:
        self.flush_notes()
        self._ref = None
        level = f" · level {result.level_label}" if result else ""
        self.header_label.setText(f"Section {section.number}{level}")
        self.statement_label.setText(section.title)
        explanation = f"<p><b>{escape(result.explanation)}</b></p>" if result else ""
        self.details.setHtml(
            f"<p>{escape(section.summary)}</p>{explanation}"
            "<p>Choose one of its criteria (Down arrow) to give a judgement.</p>"
        )
        self._set_notes(None, "")
        self.evidence_list.clear()
        self.action_list.clear()
        self.answer_info_label.clear()
        self._check(None)
        self.answer_area.setEnabled(False)

    def show_criterion(
        self,
        criterion: Criterion,
        section: Section,
        answer: CriterionAnswer,
        evidence: Sequence[EvidenceItem],
        actions: Sequence[ActionItem],
    ) -> None:
        """Show ``criterion`` (or refresh it when it is already shown) with its answer."""
        if criterion.ref != self._ref:
            self.flush_notes()
            self._ref = criterion.ref
            self.statement_label.setText(criterion.statement)
            self.details.setHtml(criterion_details_html(criterion))
        confirm = f" · {TO_CONFIRM_MARK} to confirm" if answer.to_confirm else ""
        self.header_label.setText(
            f"{criterion.ref} · {criterion.level.label} level · {answer.judgement.symbol} "
            f"{answer.judgement.label}{confirm} · Section {section.number}: {section.title}"
        )
        self._check(answer.judgement)
        if answer.changed_at is not None:
            carried = (
                " Carried from an earlier round or release: give a judgement to confirm it."
                if (answer.to_confirm)
                else ""
            )
            who = f" by {answer.changed_by}" if answer.changed_by else ""
            self.answer_info_label.setText(f"Last changed{who}, {answer.changed_at:%d %b %Y %H:%M}.{carried}")
        else:
            self.answer_info_label.setText("Not yet assessed in this workshop.")
        self._set_notes(criterion.ref, answer.notes)
        self._fill(
            self.evidence_list,
            [(item.id, _evidence_line(item)) for item in evidence],
            "No evidence references yet (Ctrl+E adds one).",
        )
        self._fill(
            self.action_list,
            [(item.id, describe_action(item.action)) for item in actions],
            "No actions yet (Ctrl+Shift+A adds one).",
        )
        self.answer_area.setEnabled(True)

    def _check(self, judgement: Judgement | None) -> None:
        # An exclusive group refuses to uncheck its last button, so a section would show one pressed.
        self.judgement_group.setExclusive(False)
        for value, button in self.judgement_buttons.items():
            button.setChecked(value is judgement)
        self.judgement_group.setExclusive(True)

    @staticmethod
    def _fill(target: QListWidget, rows: Sequence[tuple[int, str]], empty: str) -> None:
        chosen = target.currentItem()
        chosen_id = chosen.data(ItemIdRole) if chosen is not None else None
        target.clear()
        for item_id, text in rows:
            row = QListWidgetItem(text)
            row.setData(ItemIdRole, item_id)
            row.setToolTip(text)
            target.addItem(row)
            if item_id == chosen_id:
                target.setCurrentItem(row)
        target.setAccessibleDescription(empty if not rows else f"{len(rows)} item(s)")
        target.setToolTip(empty if not rows else "")
        if rows and target.currentItem() is None:
            target.setCurrentRow(0)

    @staticmethod
    def _emit_chosen(target: QListWidget, signal: SignalInstance) -> None:
        item = target.currentItem()
        if item is not None:
            signal.emit(int(item.data(ItemIdRole)))

    def _on_judgement_clicked(self, button: QAbstractButton) -> None:
        for judgement, candidate in self.judgement_buttons.items():
            if candidate is button:
                self.judgementChosen.emit(judgement.value)

    # -- notes ----------------------------------------------------------------------------
    def _set_notes(self, ref: str | None, text: str) -> None:
        if ref is not None and ref == self._notes_ref and self._notes_dirty:
            return  # the user is typing: their words win over a refresh
        self._notes_ref = ref
        if self.notes_edit.toPlainText() != text:
            self._loading = True
            try:
                self.notes_edit.setPlainText(text)
                self.notes_edit.moveCursor(self.notes_edit.textCursor().MoveOperation.End)
            finally:
                self._loading = False

    def _on_notes_typed(self) -> None:
        if self._loading or self._notes_ref is None:
            return
        self._notes_dirty = True
        self.notes_timer.start()

    def has_pending_notes(self) -> bool:
        return self._notes_dirty

    def flush_notes(self) -> None:
        """Report a notes edit not yet committed (debounce, focus out, switching criterion, closing)."""
        self.notes_timer.stop()
        if not self._notes_dirty or self._notes_ref is None:
            return
        self._notes_dirty = False
        self.notesEdited.emit(self._notes_ref, self.notes_edit.toPlainText())


class _ShortList(QListWidget):
    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 4 + 8)


def _wrapping_list() -> QListWidget:
    """A list whose long lines wrap rather than hide behind a horizontal scroll bar."""
    items = _ShortList()
    items.setWordWrap(True)
    items.setUniformItemSizes(False)
    items.setResizeMode(QListWidget.ResizeMode.Adjust)
    items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    items.setTextElideMode(Qt.TextElideMode.ElideNone)
    return items


def _evidence_line(item: EvidenceItem) -> str:
    reference = item.reference
    return f"{reference.title} — {reference.location}" if reference.location else reference.title
