"""The workbook for one open assessment: navigator, criterion pane, live levels, action register.

Every edit goes to the service at once (the store is always saved) and then onto this view's
undo stack as a command that can take it back.  The view reloads from the service after every
step, so what is shown is what is stored.

Keyboard first: in the navigator or the criterion pane (outside text fields) one key gives a
judgement and moves to the next criterion still to answer; :meth:`WorkbookView.shortcut_help`
lists every shortcut for the F1 overlay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.assessments import Action, EvidenceReference
from nesds_desktop.domain.catalogue import Criterion, Section
from nesds_desktop.domain.judgements import Judgement, judgement_for_key
from nesds_desktop.domain.level_rule import StandardResult, assess_standard
from nesds_desktop.domain.records import AssessmentSnapshot, CriterionAnswer
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.ui.dialogs.action_dialog import ask_action
from nesds_desktop.ui.dialogs.evidence_dialog import ask_evidence
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.models.navigator_model import (
    STATUS_COLUMN,
    ItemRole,
    NavigatorModel,
    RefRole,
    SectionNumberRole,
)
from nesds_desktop.ui.undo.commands import (
    AddActionCommand,
    AddEvidenceCommand,
    EditActionCommand,
    EditEvidenceCommand,
    ItemKeys,
    RemoveActionCommand,
    RemoveEvidenceCommand,
    judgement_command,
    notes_command,
)
from nesds_desktop.ui.views.action_register import ActionRegister
from nesds_desktop.ui.views.criterion_pane import CriterionPane
from nesds_desktop.ui.views.level_panel import LevelPanel

T = TypeVar("T")

ALL_ANSWERED = "All criteria answered"
CRITERIA_PAGE = 0
ACTIONS_PAGE = 1
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
MIN_ZOOM, MAX_ZOOM = ZOOM_STEPS[0], ZOOM_STEPS[-1]
SPLITTER_SHARES = (0.28, 0.50, 0.22)  # navigator, criterion pane, level panel (its explanation needs room)


def needs_answer(answer: CriterionAnswer) -> bool:
    """Not yet assessed, or carried from an earlier round and still to confirm."""
    return not answer.judgement.is_assessed or answer.to_confirm


def next_to_answer(refs: Sequence[str], answers: Mapping[str, CriterionAnswer], after: str | None) -> str | None:
    """The first criterion after ``after`` (wrapping round) that needs an answer; None when none does."""
    start = refs.index(after) + 1 if after in refs else 0
    for offset in range(len(refs)):
        ref = refs[(start + offset) % len(refs)]
        if ref != after and needs_answer(answers.get(ref) or CriterionAnswer(ref)):
            return ref
    return None


class Prompts:
    """The dialogs the view asks through; tests put recorded answers in their place."""

    def evidence(self, parent: QWidget, ref: str, existing: EvidenceReference | None) -> EvidenceReference | None:
        return ask_evidence(parent, ref, existing)

    def action(
        self, parent: QWidget, refs: Sequence[str], existing: Action | None, default_ref: str | None
    ) -> Action | None:
        return ask_action(parent, refs, existing, default_ref)


_TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QAbstractSpinBox)


def is_text_input(widget: QObject | None) -> bool:
    """True where typed letters are text: line and text edits, spin boxes, editable combo boxes."""
    if isinstance(widget, _TEXT_INPUTS):
        return True
    if isinstance(widget, QTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


class _ScoringKeys(QObject):
    """One key gives a judgement (M/P/N/A/U, 1/2/3/4/0); Enter in the navigator goes to the notes."""

    def __init__(self, view: WorkbookView) -> None:
        super().__init__(view)
        self._view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or is_text_input(watched):
            return False
        assert isinstance(event, QKeyEvent)
        modifiers = event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        if modifiers != Qt.KeyboardModifier.NoModifier or event.isAutoRepeat():
            return False  # a held key must not score a row of criteria
        judgement = judgement_for_key(event.text())
        if judgement is not None:
            self._view.score(judgement, advance=True)
            return True
        if watched is self._view.navigator and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._view.focus_notes()
            return True
        return False


class _NavigatorDelegate(QStyledItemDelegate):
    """Section rows in bold, in whatever size the view is zoomed to."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.data(SectionNumberRole) is not None:
            option.font.setBold(True)


class _NavigatorTree(QTreeView):
    """The navigator; the judgement column never takes so much width that the references are hidden."""

    STATUS_SHARE = 0.45

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        wanted = self.sizeHintForColumn(STATUS_COLUMN)
        available = int(self.viewport().width() * self.STATUS_SHARE)
        header = self.header()
        header.resizeSection(STATUS_COLUMN, max(min(wanted, available), 40))
        header.resizeSection(0, max(self.viewport().width() - header.sectionSize(STATUS_COLUMN), 40))


class WorkbookView(QWidget):
    currentCriterionChanged = Signal(str)  # noqa: N815  ref
    assessmentChanged = Signal()  # noqa: N815  after any committed edit or undo/redo
    zoomChanged = Signal(float)  # noqa: N815

    def __init__(
        self, service: WorkbookService, assessment_id: int, feedback: Feedback, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.feedback = feedback
        self.prompts = Prompts()
        self._assessment_id = assessment_id
        self._snapshot = service.open(assessment_id)
        self._result = assess_standard(self._snapshot.standard, self._snapshot.judgements())
        self._evidence_keys = ItemKeys()
        self._action_keys = ItemKeys()
        self._focus_after_step: str | None = None
        self._zoom = 1.0
        self._base_point_size = self.font().pointSizeF()
        self.undo_stack = QUndoStack(self)

        self.header_label = QLabel()
        self.header_label.setWordWrap(True)
        self.header_label.setAccessibleName("Assessment")

        self.navigator_model = NavigatorModel(self)
        self.navigator = _NavigatorTree()
        self.navigator.setModel(self.navigator_model)
        self.navigator.setItemDelegate(_NavigatorDelegate(self.navigator))
        self.navigator.setAccessibleName("Sections and criteria")
        self.navigator.setUniformRowHeights(True)
        self.navigator.setIndentation(14)
        self.navigator.setAllColumnsShowFocus(True)
        self.navigator.setAlternatingRowColors(True)
        self.navigator.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.navigator.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.navigator_model.set_assessment(self._snapshot.standard, self._snapshot.answers, self._result)
        self.navigator.expandAll()

        self.pane = CriterionPane()
        self.level_panel = LevelPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.pane)
        self.splitter.addWidget(self.level_panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 2)
        self._sized = False

        self.register = ActionRegister()
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.splitter, "&Criteria (Ctrl+1)")
        self.pages.addTab(self.register, "Action re&gister (Ctrl+2)")
        self.pages.setAccessibleName("Criteria or action register")

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Workbook status")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addWidget(self.header_label)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status_label)

        self._build_actions()
        self._connect()
        self._scoring_keys = _ScoringKeys(self)
        self.navigator.installEventFilter(self._scoring_keys)
        for widget in self.pane.findChildren(QWidget):
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not is_text_input(widget):
                widget.installEventFilter(self._scoring_keys)
        self.pane.installEventFilter(self._scoring_keys)

        self._refresh_shown()
        first = next_to_answer(self.navigator_model.refs(), self._snapshot.answers, None)
        refs = self.navigator_model.refs()
        if first or refs:
            self.select_criterion(first or refs[0])
        self.setFocusProxy(self.navigator)
        self.navigator.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._sized:
            # Proportions are only meaningful once the view has its real width.
            self._sized = True
            self._share_out_width()

    def _share_out_width(self) -> None:
        width = max(self.width() - 12, 900)
        self.splitter.setSizes([int(width * share) for share in SPLITTER_SHARES])

    # -- building -------------------------------------------------------------------------
    def _new_action(self, text: str, shortcuts: Sequence[str], slot: Callable[[], object], tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        # Only while focus is in this view: several assessments may be open in tabs.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        if tip:
            action.setToolTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.undo_action = self._new_action("&Undo", ["Ctrl+Z"], self.undo)
        self.redo_action = self._new_action("&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.notes_action = self._new_action("Go to the &Notes", ["F2"], self.focus_notes)
        self.navigator_action = self._new_action("Back to the Na&vigator", ["Escape"], self.focus_navigator)
        self.add_evidence_action = self._new_action("Add &Evidence Reference…", ["Ctrl+E"], self.add_evidence)
        self.add_action_action = self._new_action("Add &Action…", ["Ctrl+Shift+A"], self.add_action)
        self.zoom_in_action = self._new_action("Zoom &In", ["Ctrl+=", "Ctrl++"], self.zoom_in)
        self.zoom_out_action = self._new_action("Zoom &Out", ["Ctrl+-"], self.zoom_out)
        self.zoom_reset_action = self._new_action("&Normal Size", ["Ctrl+0"], lambda: self.set_zoom(1.0))
        self.criteria_page_action = self._new_action("&Criteria", ["Ctrl+1"], self.show_criteria)
        self.actions_page_action = self._new_action("Action &Register", ["Ctrl+2"], self.show_actions)

    def workbook_actions(self) -> list[QAction]:
        """The view's commands, for the main window's menus (their shortcuts work inside the view)."""
        return [
            self.undo_action,
            self.redo_action,
            self.notes_action,
            self.navigator_action,
            self.add_evidence_action,
            self.add_action_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.zoom_reset_action,
            self.criteria_page_action,
            self.actions_page_action,
        ]

    def _connect(self) -> None:
        selection = self.navigator.selectionModel()
        selection.currentChanged.connect(self._on_current_changed)
        self.undo_stack.indexChanged.connect(self._on_stack_changed)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda text: self._name_step(self.undo_action, "&Undo", text))
        self.undo_stack.redoTextChanged.connect(lambda text: self._name_step(self.redo_action, "&Redo", text))

        pane = self.pane
        pane.judgementChosen.connect(lambda value: self.score(Judgement(value), advance=False))
        pane.notesEdited.connect(self._commit_notes)
        pane.addEvidenceRequested.connect(self.add_evidence)
        pane.editEvidenceRequested.connect(self.edit_evidence)
        pane.removeEvidenceRequested.connect(self.remove_evidence)
        pane.addActionRequested.connect(self.add_action)
        pane.editActionRequested.connect(self.edit_action)
        pane.removeActionRequested.connect(self.remove_action)
        self.register.addRequested.connect(self.add_action)
        self.register.editRequested.connect(self.edit_action)
        self.register.removeRequested.connect(self.remove_action)

    @staticmethod
    def _name_step(action: QAction, verb: str, step: str) -> None:
        action.setText(f"{verb} {step}" if step else verb)

    # -- public API -----------------------------------------------------------------------
    def assessment_id(self) -> int:
        return self._assessment_id

    def snapshot(self) -> AssessmentSnapshot:
        """The assessment as last read from the service (after the latest committed change)."""
        return self._snapshot

    def result(self) -> StandardResult:
        return self._result

    def current_ref(self) -> str | None:
        ref = self.navigator.currentIndex().data(RefRole)
        return ref if isinstance(ref, str) else None

    def select_criterion(self, ref: str) -> None:
        index = self.navigator_model.index_for_ref(ref)
        if not index.isValid():
            return
        self.navigator.setCurrentIndex(index)
        self.navigator.scrollTo(index)

    def refresh(self) -> None:
        """Reload from the service after a change made elsewhere (e.g. the assessment details dialog)."""
        self._reload()

    def zoom(self) -> float:
        return self._zoom

    def zoom_in(self) -> None:
        self.set_zoom(next((step for step in ZOOM_STEPS if step > self._zoom + 1e-6), MAX_ZOOM))

    def zoom_out(self) -> None:
        self.set_zoom(next((step for step in reversed(ZOOM_STEPS) if step < self._zoom - 1e-6), MIN_ZOOM))

    def set_zoom(self, factor: float) -> None:
        """Scale every font in the view (1.0 is the desktop size; 2.0 suits a projector at the back)."""
        factor = min(max(factor, MIN_ZOOM), MAX_ZOOM)
        self._zoom = factor
        font = self.font()
        font.setPointSizeF(self._base_point_size * factor)
        self.setFont(font)
        self.pane.apply_zoom()
        self.level_panel.apply_zoom()
        if self._sized:
            self._share_out_width()
        self.navigator.fit_columns()
        self._say(f"Zoom {round(factor * 100)}%")
        self.zoomChanged.emit(factor)

    def flush_pending_edits(self) -> None:
        """Commit a notes edit still waiting for its debounce (call before closing the view)."""
        self.pane.flush_notes()

    def show_actions(self) -> None:
        self.flush_pending_edits()
        self.pages.setCurrentIndex(ACTIONS_PAGE)
        self.register.table.setFocus()

    def show_criteria(self) -> None:
        self.pages.setCurrentIndex(CRITERIA_PAGE)
        self.navigator.setFocus()

    def focus_notes(self) -> None:
        if self.current_ref() is None:
            self._say("Choose a criterion first: its notes are where you type.")
            return
        self.pages.setCurrentIndex(CRITERIA_PAGE)
        self.pane.notes_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_navigator(self) -> None:
        self.flush_pending_edits()
        self.show_criteria()

    def shortcut_help(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the F1 overlay."""
        scoring = [
            (f"{j.key} or {j.digit}", f"{j.label}, then move to the next criterion to answer") for j in Judgement
        ]
        return [
            *scoring,
            ("Up / Down", "Previous or next criterion in the navigator"),
            ("Enter or F2", "Go to the evidence notes (saved as you type)"),
            ("Escape", "Back to the navigator"),
            ("Tab / Shift+Tab", "Move between the navigator, judgement buttons, notes, evidence and actions"),
            ("Ctrl+E", "Add an evidence reference to the current criterion"),
            ("Ctrl+Shift+A", "Add an action"),
            ("Enter / Delete in a list", "Edit or remove the chosen evidence reference or action"),
            ("Ctrl+Z", "Undo the last change"),
            ("Ctrl+Shift+Z or Ctrl+Y", "Redo"),
            ("Ctrl+= / Ctrl+-", "Zoom in or out (for the projector)"),
            ("Ctrl+0", "Normal size"),
            ("Ctrl+1", "Criteria"),
            ("Ctrl+2", "Action register"),
        ]

    # -- scoring --------------------------------------------------------------------------
    def score(self, judgement: Judgement, advance: bool = True) -> None:
        """Give the current criterion ``judgement``; with ``advance``, move to the next one to answer."""
        ref = self.current_ref()
        if ref is None:
            self._say("Choose a criterion to score (Down arrow), then press its key.")
            return
        self.flush_pending_edits()
        answer = self._snapshot.answer(ref)
        if answer.judgement is not judgement or answer.to_confirm:
            done = self._call(
                f"{ref} could not be set to {judgement.phrase}",
                lambda: self.service.set_judgement(self._assessment_id, ref, judgement),
            )
            if done is None:
                return
            before, after = done
            self.undo_stack.push(
                judgement_command(self.service, self._assessment_id, before, after, self._after_step, self._report)
            )
        if advance:
            self._move_on_from(ref, judgement)

    def _move_on_from(self, ref: str, judgement: Judgement) -> None:
        following = next_to_answer(self.navigator_model.refs(), self._snapshot.answers, ref)
        if following is None:
            self._say(f"{ref}: {judgement.label}. {ALL_ANSWERED}.")
            return
        self.select_criterion(following)
        self._say(f"{ref}: {judgement.label}. {self._progress_text()}")

    def _progress_text(self) -> str:
        refs = self.navigator_model.refs()
        answered = sum(1 for ref in refs if self._snapshot.answer(ref).judgement.is_assessed)
        return f"{answered} of {len(refs)} answered."

    # -- notes ----------------------------------------------------------------------------
    def _commit_notes(self, ref: str, text: str) -> None:
        done = self._call(
            f"The notes of {ref} could not be saved",
            lambda: self.service.set_notes(self._assessment_id, ref, text),
        )
        if done is None:
            return
        before, after = done
        if before == after:
            return
        self.undo_stack.push(
            notes_command(self.service, self._assessment_id, before, after, self._after_step, self._report)
        )
        self._say(f"Notes of {ref} saved.")

    # -- evidence references --------------------------------------------------------------
    def add_evidence(self) -> None:
        ref = self.current_ref()
        if ref is None:
            self._say("Choose a criterion first: evidence belongs to a criterion.")
            return
        self.flush_pending_edits()
        reference = self.prompts.evidence(self, ref, None)
        if reference is None:
            return
        added = self._call(
            f"The evidence reference for {ref} could not be saved",
            lambda: self.service.add_evidence(self._assessment_id, ref, reference),
        )
        if added is not None:
            self.undo_stack.push(
                AddEvidenceCommand(
                    self.service, self._assessment_id, self._evidence_keys, added, self._after_step, self._report
                )
            )

    def edit_evidence(self, evidence_id: int) -> None:
        before = next((item for item in self._snapshot.evidence if item.id == evidence_id), None)
        if before is None:
            return
        self.flush_pending_edits()
        reference = self.prompts.evidence(self, before.criterion_ref, before.reference)
        if reference is None or reference == before.reference:
            return
        after = self._call(
            "The evidence reference could not be saved",
            lambda: self.service.update_evidence(self._assessment_id, evidence_id, reference),
        )
        if after is not None:
            self.undo_stack.push(
                EditEvidenceCommand(
                    self.service,
                    self._assessment_id,
                    self._evidence_keys,
                    before,
                    after,
                    self._after_step,
                    self._report,
                )
            )

    def remove_evidence(self, evidence_id: int) -> None:
        self.flush_pending_edits()
        removed = self._call(
            "The evidence reference could not be removed",
            lambda: self.service.remove_evidence(self._assessment_id, evidence_id),
        )
        if removed is not None:
            self.undo_stack.push(
                RemoveEvidenceCommand(
                    self.service, self._assessment_id, self._evidence_keys, removed, self._after_step, self._report
                )
            )
            self._say(f"Evidence reference “{removed.reference.title}” removed (Ctrl+Z puts it back).")

    # -- actions --------------------------------------------------------------------------
    def add_action(self) -> None:
        self.flush_pending_edits()
        refs = self.navigator_model.refs()
        action = self.prompts.action(self, refs, None, self.current_ref())
        if action is None:
            return
        added = self._call(
            "The action could not be saved", lambda: self.service.add_action(self._assessment_id, action)
        )
        if added is not None:
            self.undo_stack.push(
                AddActionCommand(
                    self.service, self._assessment_id, self._action_keys, added, self._after_step, self._report
                )
            )
            self.register.select_action(added.id)

    def edit_action(self, action_id: int) -> None:
        before = next((item for item in self._snapshot.actions if item.id == action_id), None)
        if before is None:
            return
        self.flush_pending_edits()
        action = self.prompts.action(self, self.navigator_model.refs(), before.action, before.action.criterion_ref)
        if action is None or action == before.action:
            return
        done = self._call(
            "The action could not be saved",
            lambda: self.service.update_action(self._assessment_id, action_id, action),
        )
        if done is not None:
            self.undo_stack.push(
                EditActionCommand(
                    self.service,
                    self._assessment_id,
                    self._action_keys,
                    done[0],
                    done[1],
                    self._after_step,
                    self._report,
                )
            )

    def remove_action(self, action_id: int) -> None:
        self.flush_pending_edits()
        done = self._call(
            "The action could not be removed", lambda: self.service.remove_action(self._assessment_id, action_id)
        )
        if done is not None:
            removed, position = done
            self.undo_stack.push(
                RemoveActionCommand(
                    self.service,
                    self._assessment_id,
                    self._action_keys,
                    removed,
                    position,
                    self._after_step,
                    self._report,
                )
            )
            self._say(f"Action “{removed.action.description}” removed (Ctrl+Z puts it back).")

    # -- undo and redo --------------------------------------------------------------------
    def undo(self) -> None:
        self.flush_pending_edits()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush_pending_edits()
        self.undo_stack.redo()

    def _after_step(self, ref: str | None) -> None:
        """An undo or redo went to the service: show the criterion it touched once the view reloads."""
        self._focus_after_step = ref

    def _report(self, what: str, error: Exception) -> None:
        self.feedback.error("The change could not be made", f"{what}: {error}")
        self._reload()

    def _on_stack_changed(self, _index: int) -> None:
        self._reload()
        ref, self._focus_after_step = self._focus_after_step, None
        if ref is not None and ref != self.current_ref():
            self.select_criterion(ref)
        self.assessmentChanged.emit()

    # -- loading and showing --------------------------------------------------------------
    def _call(self, failure: str, work: Callable[[], T]) -> T | None:
        """Run a service call; on failure tell the user (nothing was changed) and give None."""
        try:
            return work()
        except Exception as error:  # a refused value, or a locked or damaged store
            self.feedback.error("The change was not saved", f"{failure}: {error}")
            self._say(f"{failure}.")
            return None

    def _reload(self) -> None:
        try:
            self._snapshot = self.service.open(self._assessment_id)
        except Exception as error:
            self.feedback.error("The assessment could not be read", str(error))
            return
        self._result = assess_standard(self._snapshot.standard, self._snapshot.judgements())
        self.navigator_model.update_answers(self._snapshot.answers, self._result)
        self._refresh_shown()

    def _refresh_shown(self) -> None:
        snapshot = self._snapshot
        summary = snapshot.summary
        self.register.set_actions(snapshot.actions)
        self.pages.setTabText(ACTIONS_PAGE, f"Action re&gister ({len(snapshot.actions)}) (Ctrl+2)")
        self.header_label.setText(
            f"<b>{escape(summary.authority.name)}</b> · {summary.standard_code} {escape(summary.standard_title)} · "
            f"round {summary.round.label} · {summary.state.label} · {self._progress_text()} "
            f"Level: <b>{self._result.level_label}</b>"
        )
        self._show_current()

    def _show_current(self) -> None:
        index = self.navigator.currentIndex()
        item = index.data(ItemRole) if index.isValid() else None
        section_number: int | None = None
        if isinstance(item, Criterion):
            section = self._section_of(index)
            section_number = section.number
            self.pane.show_criterion(
                item,
                section,
                self._snapshot.answer(item.ref),
                self._snapshot.evidence_for(item.ref),
                self._snapshot.actions_for(item.ref),
            )
        else:
            # The answer area is about to be disabled: focus inside it would be lost, not moved.
            focused = QApplication.focusWidget()
            if focused is not None and self.pane.answer_area.isAncestorOf(focused):
                self.navigator.setFocus()
            if isinstance(item, Section):
                section_number = item.number
                self.pane.show_section(item, self._result.section(item.number))
            else:
                self.pane.show_nothing()
        self.level_panel.set_result(self._result, section_number)

    @staticmethod
    def _section_of(index: QModelIndex) -> Section:
        section = index.parent().data(ItemRole)
        assert isinstance(section, Section)
        return section

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.flush_pending_edits()  # the notes typed belong to the criterion being left
        self._show_current()
        ref = current.data(RefRole)
        if isinstance(ref, str):
            self.currentCriterionChanged.emit(ref)

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
