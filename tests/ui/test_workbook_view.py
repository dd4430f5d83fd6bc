"""The workbook view, driven by keyboard with qtbot on a real store and a real WorkbookService.

What the view shows is checked against a second store opened on the same data folder, so
every assertion about "saved" is about what another program would read from disk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from nesds_desktop.domain.assessments import Action, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import AssessmentDetails, CriterionAnswer
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.workbook_service import WorkbookError, WorkbookService
from nesds_desktop.storage.store import Store, open_store
from nesds_desktop.ui.dialogs.evidence_dialog import EvidenceDialog
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.models.navigator_model import STATUS_COLUMN
from nesds_desktop.ui.views.criterion_pane import NOTES_DELAY_MS
from nesds_desktop.ui.views.workbook_view import ALL_ANSWERED, Prompts, WorkbookView, next_to_answer

RELEASE = "nesds-2006.1"


class RecordingFeedback(Feedback):
    def __init__(self) -> None:
        super().__init__(None)
        self.messages: list[tuple[str, str, str]] = []

    def error(self, title: str, text: str) -> None:
        self.messages.append(("error", title, text))

    def warning(self, title: str, text: str) -> None:
        self.messages.append(("warning", title, text))

    def information(self, title: str, text: str) -> None:
        self.messages.append(("information", title, text))


class ScriptedPrompts(Prompts):
    """Answers the evidence and action dialogs from queues, and records what was asked."""

    def __init__(self) -> None:
        self.evidence_answers: list[EvidenceReference | None] = []
        self.action_answers: list[Action | None] = []
        self.asked: list[tuple[str, object]] = []

    def evidence(self, parent: QWidget, ref: str, existing: EvidenceReference | None) -> EvidenceReference | None:
        self.asked.append((ref, existing))
        return self.evidence_answers.pop(0)

    def action(self, parent: QWidget, refs: object, existing: Action | None, default_ref: str | None) -> Action | None:
        self.asked.append((default_ref or "", existing))
        return self.action_answers.pop(0)


class KeyPressCounter(QObject):
    """Counts key presses as first delivered (to the focus widget), not again as they propagate."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched is QApplication.focusWidget():
            self.count += 1
        return False


@pytest.fixture
def service(store: Store) -> WorkbookService:
    catalogue_service.load_bundled_releases(store)
    return WorkbookService(store, "Jo Facilitator")


@pytest.fixture
def assessment_id(service: WorkbookService) -> int:
    authority = service.add_authority(
        Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")
    )
    return service.create_assessment(AssessmentDetails(authority.id, RELEASE, "ICT", Round(2006))).id


@pytest.fixture
def reader(data_dir: Path, service: WorkbookService) -> Iterator[WorkbookService]:
    """A second store on the same folder: what is on disk, not what the view's objects remember."""
    other = open_store(data_dir)
    yield WorkbookService(other, "reader")
    other.close()


@pytest.fixture
def feedback() -> RecordingFeedback:
    return RecordingFeedback()


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def view(
    qtbot: QtBot, service: WorkbookService, assessment_id: int, feedback: RecordingFeedback, prompts: ScriptedPrompts
) -> Iterator[WorkbookView]:
    workbook = WorkbookView(service, assessment_id, feedback)
    workbook.prompts = prompts
    qtbot.addWidget(workbook)
    workbook.resize(1366, 768)
    workbook.show()
    qtbot.waitExposed(workbook)
    workbook.activateWindow()
    qtbot.waitUntil(workbook.isActiveWindow)
    yield workbook
    assert feedback.messages == [], "no error message expected"


def ict_refs(service: WorkbookService) -> list[str]:
    return [c.ref for c in service.standard(RELEASE, "ICT").criteria()]


def stored(reader: WorkbookService, assessment_id: int, ref: str) -> CriterionAnswer:
    return reader.answer(assessment_id, ref)


def press(qtbot: QtBot, key: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key, to whichever widget has focus: exactly what the keyboard would do."""
    focused = QApplication.focusWidget()
    assert focused is not None, "something must have focus"
    qtbot.keyClick(focused, key, modifier)  # type: ignore[no-untyped-call]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


# -- scoring by keyboard ----------------------------------------------------------------------


def test_ten_criteria_scored_with_one_key_each(
    view: WorkbookView, qtbot: QtBot, service: WorkbookService, reader: WorkbookService, assessment_id: int
) -> None:
    refs = ict_refs(service)
    keys = ["M", "P", "N", "A", "1", "2", "3", "4", "m", "p"]
    expected = [Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET, Judgement.NOT_APPLICABLE] * 2 + [
        Judgement.MET,
        Judgement.PARTLY_MET,
    ]
    assert view.navigator.hasFocus()
    assert view.current_ref() == refs[0]
    counter = KeyPressCounter()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(counter)
    try:
        for position, key in enumerate(keys):
            assert view.current_ref() == refs[position]
            press(qtbot, key)
            assert counter.count == position + 1
    finally:
        app.removeEventFilter(counter)

    assert counter.count == 10, "one key event per criterion"
    assert view.current_ref() == refs[10], "moved on to the next unanswered criterion"
    for ref, judgement in zip(refs[:10], expected, strict=True):
        assert stored(reader, assessment_id, ref).judgement is judgement
        assert stored(reader, assessment_id, ref).changed_by == "Jo Facilitator"
    assert stored(reader, assessment_id, refs[10]).judgement is Judgement.NOT_YET_ASSESSED
    assert reader.get_assessment(assessment_id).answered == 10
    assert view.undo_stack.count() == 10
    first = view.navigator_model.index_for_ref(refs[0])
    assert first.siblingAtColumn(STATUS_COLUMN).data() == "✓ Met"
    assert "10 of 58 answered" in view.status_label.text()


def test_level_panel_and_navigator_show_levels_live(view: WorkbookView, qtbot: QtBot, service: WorkbookService) -> None:
    section = service.standard(RELEASE, "ICT").sections[0]
    minimum = [c.ref for c in section.criteria_at(Level.MINIMUM)]
    section_index = view.navigator_model.index_for_section(section.number)
    heading = f"{section.number}. {section.title}"
    assert section_index.siblingAtColumn(STATUS_COLUMN).data() == "No level"
    assert f"{heading}\nLevel: No level" in view.level_panel.sections_view.toPlainText()

    for ref in minimum:
        view.select_criterion(ref)
        press(qtbot, "M")

    assert section_index.siblingAtColumn(STATUS_COLUMN).data() == "Minimum"
    panel_text = view.level_panel.sections_view.toPlainText()
    assert f"{heading}\nLevel: Minimum" in panel_text
    assert f"Minimum: {len(minimum)} of {len(minimum)} met (100%)" in panel_text
    assert "Minimum, not Progressing, because" in panel_text
    # The standard stays without a level until every section reaches Minimum, and says why.
    standard_text = view.level_panel.standard_view.toPlainText()
    assert "No level" in standard_text and "not yet assessed" in standard_text
    assert view.result().section(section.number).level is Level.MINIMUM


def test_last_answer_says_all_criteria_answered(
    qtbot: QtBot, service: WorkbookService, assessment_id: int, feedback: RecordingFeedback
) -> None:
    refs = ict_refs(service)
    for ref in refs[:-1]:
        service.set_judgement(assessment_id, ref, Judgement.MET)
    view = WorkbookView(service, assessment_id, feedback)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    assert view.current_ref() == refs[-1], "opens on the one criterion left to answer"
    press(qtbot, "N")
    assert view.current_ref() == refs[-1], "nothing left: it stays"
    assert ALL_ANSWERED in view.status_label.text()
    assert service.answer(assessment_id, refs[-1]).judgement is Judgement.NOT_MET
    assert feedback.messages == []


def test_next_to_answer_wraps_round_and_counts_to_confirm() -> None:
    refs = ["A-1", "A-2", "A-3", "A-4"]
    answers = {
        "A-1": CriterionAnswer("A-1"),
        "A-2": CriterionAnswer("A-2", Judgement.MET),
        "A-3": CriterionAnswer("A-3", Judgement.MET, to_confirm=True),
        "A-4": CriterionAnswer("A-4", Judgement.NOT_MET),
    }
    assert next_to_answer(refs, answers, "A-1") == "A-3"
    assert next_to_answer(refs, answers, "A-3") == "A-1", "wraps round to the start"
    assert next_to_answer(refs, answers, "A-4") == "A-1"
    assert next_to_answer(refs, {**answers, "A-1": CriterionAnswer("A-1", Judgement.MET)}, "A-3") is None
    assert next_to_answer(refs, {}, None) == "A-1"


def test_carried_judgements_are_marked_and_confirmed_by_one_key(
    qtbot: QtBot, service: WorkbookService, assessment_id: int, feedback: RecordingFeedback
) -> None:
    refs = ict_refs(service)
    service.set_judgement(assessment_id, refs[0], Judgement.MET)
    service.set_judgement(assessment_id, refs[1], Judgement.NOT_MET)
    next_round = service.duplicate_into_round(assessment_id, Round(2007))
    view = WorkbookView(service, next_round.id, feedback)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    status = view.navigator_model.index_for_ref(refs[0]).siblingAtColumn(STATUS_COLUMN)
    assert status.data() == "✓ Met · ⚑ to confirm"
    assert view.current_ref() == refs[0], "a carried judgement still needs confirming"
    press(qtbot, "M")
    assert status.data() == "✓ Met"
    assert service.answer(next_round.id, refs[0]).to_confirm is False
    assert view.current_ref() == refs[1]
    assert feedback.messages == []


def test_keys_typed_in_the_notes_are_text_not_judgements(
    view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None
    press(qtbot, Qt.Key.Key_Return)
    assert view.pane.notes_edit.hasFocus(), "Enter in the navigator goes to the notes"
    type_text(qtbot, view.pane.notes_edit, "MAP 1234 PNU")
    assert view.pane.notes_edit.toPlainText() == "MAP 1234 PNU"
    assert view.current_ref() == ref, "typing did not move on"
    press(qtbot, Qt.Key.Key_Escape)
    assert view.navigator.hasFocus(), "Escape goes back to the navigator"
    answer = stored(reader, assessment_id, ref)
    assert answer.notes == "MAP 1234 PNU"
    assert answer.judgement is Judgement.NOT_YET_ASSESSED


# -- notes ------------------------------------------------------------------------------------


def test_notes_are_saved_within_a_second_of_the_last_keystroke(
    view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None
    press(qtbot, Qt.Key.Key_F2)
    assert view.pane.notes_edit.hasFocus()
    type_text(qtbot, view.pane.notes_edit, "Strategy adopted March 2006")
    typed_at = time.monotonic()
    assert stored(reader, assessment_id, ref).notes == "", "not before the pause"
    qtbot.waitUntil(lambda: stored(reader, assessment_id, ref).notes == "Strategy adopted March 2006", timeout=1000)
    elapsed = time.monotonic() - typed_at
    assert NOTES_DELAY_MS / 1000 - 0.05 <= elapsed < 1.0
    assert view.pane.notes_edit.hasFocus(), "saving does not take the focus away"
    assert view.undo_stack.count() == 1


def test_notes_are_saved_on_leaving_the_field(
    view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None
    view.focus_notes()
    type_text(qtbot, view.pane.notes_edit, "Minutes seen")
    press(qtbot, Qt.Key.Key_Tab)  # Tab leaves the notes (it is not typed into them)
    assert not view.pane.notes_edit.hasFocus()
    assert stored(reader, assessment_id, ref).notes == "Minutes seen", "saved at once, no wait"


def test_flush_pending_edits_saves_notes_before_closing(
    view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None
    view.focus_notes()
    type_text(qtbot, view.pane.notes_edit, "Said just before closing")
    view.flush_pending_edits()
    assert stored(reader, assessment_id, ref).notes == "Said just before closing"
    view.flush_pending_edits()
    assert view.undo_stack.count() == 1, "nothing new to commit the second time"


def test_notes_stay_with_their_criterion_when_moving_on(
    view: WorkbookView, qtbot: QtBot, service: WorkbookService, reader: WorkbookService, assessment_id: int
) -> None:
    first, second = ict_refs(service)[:2]
    view.focus_notes()
    type_text(qtbot, view.pane.notes_edit, "About the first")
    view.select_criterion(second)  # e.g. the presentation window or a click moves on
    assert stored(reader, assessment_id, first).notes == "About the first"
    assert stored(reader, assessment_id, second).notes == ""
    assert view.pane.notes_edit.toPlainText() == ""


# -- undo and redo ----------------------------------------------------------------------------


def test_undo_and_redo_a_judgement(
    view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None
    assert view.undo_stack.isClean()
    changes: list[None] = []
    view.assessmentChanged.connect(lambda: changes.append(None))
    press(qtbot, "P")
    assert stored(reader, assessment_id, ref).judgement is Judgement.PARTLY_MET
    assert not view.undo_stack.isClean()
    assert view.undo_action.text() == f"&Undo Set {ref} to Partly met"

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(reader, assessment_id, ref).judgement is Judgement.NOT_YET_ASSESSED
    assert view.current_ref() == ref, "undo shows the criterion it changed"
    assert view.undo_stack.isClean()
    status = view.navigator_model.index_for_ref(ref).siblingAtColumn(STATUS_COLUMN)
    assert status.data() == "? Not yet assessed"

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored(reader, assessment_id, ref).judgement is Judgement.PARTLY_MET
    assert status.data() == "◐ Partly met"
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(reader, assessment_id, ref).judgement is Judgement.PARTLY_MET
    assert len(changes) == 5, "one signal per committed edit, undo and redo"


def test_undo_and_redo_notes(view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int) -> None:
    ref = view.current_ref()
    assert ref is not None
    view.focus_notes()
    type_text(qtbot, view.pane.notes_edit, "First words")
    press(qtbot, Qt.Key.Key_Escape)
    view.focus_notes()
    type_text(qtbot, view.pane.notes_edit, ", then more")
    press(qtbot, Qt.Key.Key_Escape)
    assert stored(reader, assessment_id, ref).notes == "First words, then more"
    assert view.undo_stack.count() == 2, "each committed notes change is one step"

    view.undo()
    assert stored(reader, assessment_id, ref).notes == "First words"
    assert view.pane.notes_edit.toPlainText() == "First words"
    view.undo()
    assert stored(reader, assessment_id, ref).notes == ""
    view.redo()
    view.redo()
    assert stored(reader, assessment_id, ref).notes == "First words, then more"
    assert view.pane.notes_edit.toPlainText() == "First words, then more"


def test_undo_and_redo_evidence_references(
    view: WorkbookView, qtbot: QtBot, prompts: ScriptedPrompts, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None

    def titles() -> list[tuple[str, str]]:
        return [(e.reference.title, e.reference.location) for e in reader.open(assessment_id).evidence_for(ref)]

    prompts.evidence_answers.append(EvidenceReference("ICT strategy", "S:/ICT/strategy.pdf"))
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert titles() == [("ICT strategy", "S:/ICT/strategy.pdf")]
    assert view.pane.evidence_list.count() == 1

    [added] = view.snapshot().evidence_for(ref)
    prompts.evidence_answers.append(EvidenceReference("ICT strategy 2006", "S:/ICT/strategy-2006.pdf"))
    view.edit_evidence(added.id)
    assert titles() == [("ICT strategy 2006", "S:/ICT/strategy-2006.pdf")]
    assert prompts.asked[-1] == (ref, EvidenceReference("ICT strategy", "S:/ICT/strategy.pdf"))

    view.pane.evidence_list.setFocus()
    view.pane.evidence_list.setCurrentRow(0)
    press(qtbot, Qt.Key.Key_Delete)
    assert titles() == []

    view.undo()
    assert titles() == [("ICT strategy 2006", "S:/ICT/strategy-2006.pdf")], "removal undone"
    view.undo()
    assert titles() == [("ICT strategy", "S:/ICT/strategy.pdf")], "edit undone on the item put back"
    view.undo()
    assert titles() == []
    for _ in range(3):
        view.redo()
    assert titles() == []
    view.undo()
    assert titles() == [("ICT strategy 2006", "S:/ICT/strategy-2006.pdf")]
    view.undo()
    assert titles() == [("ICT strategy", "S:/ICT/strategy.pdf")]


def test_undo_and_redo_actions(
    view: WorkbookView, qtbot: QtBot, prompts: ScriptedPrompts, reader: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()

    def descriptions() -> list[tuple[str, Decimal]]:
        return [(a.action.description, a.action.saving_cashable) for a in reader.open(assessment_id).actions]

    prompts.action_answers.append(Action("Adopt an ICT strategy", ref, "Head of ICT", saving_cashable=Decimal(500)))
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert prompts.asked[-1] == (ref, None), "the dialog offers the current criterion"
    assert descriptions() == [("Adopt an ICT strategy", Decimal("500.00"))]
    assert view.pane.action_list.count() == 1

    [added] = view.snapshot().actions
    prompts.action_answers.append(Action("Adopt an ICT strategy by March", ref, saving_cashable=Decimal(750)))
    view.edit_action(added.id)
    assert descriptions() == [("Adopt an ICT strategy by March", Decimal("750.00"))]

    view.undo()  # edit
    view.undo()  # add
    assert descriptions() == []
    view.redo()  # add again: a new row in the store
    view.redo()  # the edit follows the action to its new id
    assert descriptions() == [("Adopt an ICT strategy by March", Decimal("750.00"))]

    [current] = view.snapshot().actions
    view.remove_action(current.id)
    assert descriptions() == []
    view.undo()
    assert descriptions() == [("Adopt an ICT strategy by March", Decimal("750.00"))]
    view.redo()
    assert descriptions() == []


def test_a_refused_change_is_reported_and_not_put_on_the_stack(
    view: WorkbookView,
    qtbot: QtBot,
    service: WorkbookService,
    feedback: RecordingFeedback,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = view.current_ref()

    def locked(*_: object) -> None:
        raise WorkbookError("the store is locked by another program")

    monkeypatch.setattr(service, "set_judgement", locked)
    press(qtbot, "M")
    assert view.undo_stack.count() == 0
    assert view.current_ref() == ref, "does not move on when the judgement was not saved"
    [(kind, _title, text)] = feedback.messages
    assert kind == "error" and ref is not None and ref in text and "locked" in text
    feedback.messages.clear()


# -- navigation, pages, zoom, shortcuts -------------------------------------------------------


def test_pages_switch_by_keyboard(view: WorkbookView, qtbot: QtBot) -> None:
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert view.pages.currentWidget() is view.register
    assert view.register.table.hasFocus()
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert view.pages.currentWidget() is view.splitter
    assert view.navigator.hasFocus()
    view.show_actions()
    assert view.pages.currentWidget() is view.register


def test_current_criterion_signal_and_select(view: WorkbookView, qtbot: QtBot, service: WorkbookService) -> None:
    refs = ict_refs(service)
    seen: list[str] = []
    view.currentCriterionChanged.connect(seen.append)
    press(qtbot, Qt.Key.Key_Down)
    view.select_criterion(refs[5])
    assert seen == [refs[1], refs[5]]
    assert view.pane.header_label.text().startswith(refs[5])
    criterion = next(c for c in service.standard(RELEASE, "ICT").criteria() if c.ref == refs[5])
    assert view.pane.statement_label.text() == criterion.statement
    assert criterion.guidance[:40] in view.pane.details.toPlainText()


def test_zoom_scales_the_fonts(view: WorkbookView, qtbot: QtBot) -> None:
    base = view.font().pointSizeF()
    statement = view.pane.statement_label.font().pointSizeF()
    zooms: list[float] = []
    view.zoomChanged.connect(zooms.append)
    press(qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.1)
    view.set_zoom(2.0)
    assert view.font().pointSizeF() == pytest.approx(base * 2)
    assert view.navigator.font().pointSizeF() == pytest.approx(base * 2)
    assert view.pane.statement_label.font().pointSizeF() == pytest.approx(statement * 2)
    press(qtbot, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.75)
    view.set_zoom(10)
    assert view.zoom() == 3.0
    press(qtbot, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.0 and view.font().pointSizeF() == pytest.approx(base)
    assert zooms == [pytest.approx(1.1), 2.0, 1.75, 3.0, 1.0]


def test_shortcut_help_lists_every_shortcut(view: WorkbookView) -> None:
    help_keys = " ".join(keys for keys, _ in view.shortcut_help())
    for action in view.workbook_actions():
        for sequence in action.shortcuts():
            text = sequence.toString()
            assert text in help_keys or text in {"Ctrl++"}, f"{text} ({action.text()}) missing from the help"
    for judgement in Judgement:
        assert f"{judgement.key} or {judgement.digit}" in help_keys
    assert all(description for _, description in view.shortcut_help())


def test_judgement_buttons_show_their_keys_and_a_click_does_not_move_on(
    view: WorkbookView, qtbot: QtBot, reader: WorkbookService, assessment_id: int
) -> None:
    texts = [button.text() for button in view.pane.judgement_buttons.values()]
    assert texts == ["✓ Met [M]", "◐ Partly met [P]", "✗ Not met [N]", "– Not applicable [A]", "? Not yet assessed [U]"]
    ref = view.current_ref()
    assert ref is not None
    qtbot.mouseClick(view.pane.judgement_buttons[Judgement.NOT_MET], Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert stored(reader, assessment_id, ref).judgement is Judgement.NOT_MET
    assert view.current_ref() == ref
    assert view.pane.judgement_buttons[Judgement.NOT_MET].isChecked()
    view.navigator.setCurrentIndex(view.navigator_model.index_for_section(2))
    assert view.current_ref() is None
    assert not any(button.isChecked() for button in view.pane.judgement_buttons.values())
    assert not view.pane.answer_area.isEnabled()
    press(qtbot, "M")
    assert "Choose a criterion" in view.status_label.text()
    assert view.undo_stack.count() == 1


def test_scoring_keys_work_from_the_criterion_pane_buttons(
    view: WorkbookView, qtbot: QtBot, service: WorkbookService, reader: WorkbookService, assessment_id: int
) -> None:
    refs = ict_refs(service)
    view.pane.judgement_buttons[Judgement.MET].setFocus()
    press(qtbot, "3")
    assert stored(reader, assessment_id, refs[0]).judgement is Judgement.NOT_MET
    assert view.current_ref() == refs[1]


def test_evidence_dialog_refuses_a_blank_title(qtbot: QtBot) -> None:
    dialog = EvidenceDialog("ICT-1-M1")
    qtbot.addWidget(dialog)
    dialog.location_edit.setText("S:/ICT")
    dialog.accept()
    assert dialog.result() != EvidenceDialog.DialogCode.Accepted
    assert "needs a title" in dialog.error_label.text()
    dialog.title_edit.setText("  ICT strategy ")
    dialog.accept()
    assert dialog.reference() == EvidenceReference("ICT strategy", "S:/ICT")


def test_an_undo_the_store_refuses_is_reported_and_dropped(
    view: WorkbookView,
    qtbot: QtBot,
    service: WorkbookService,
    reader: WorkbookService,
    feedback: RecordingFeedback,
    assessment_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = view.current_ref()
    assert ref is not None
    press(qtbot, "M")
    assert view.undo_stack.count() == 1

    def locked(*_: object) -> None:
        raise WorkbookError("the store is locked by another program")

    monkeypatch.setattr(service, "restore_answer", locked)
    view.undo()
    [(kind, _title, text)] = feedback.messages
    assert kind == "error" and f"Undo Set {ref} to Met" in text and "locked" in text
    assert view.undo_stack.count() == 0, "a step that cannot be undone is not kept"
    assert stored(reader, assessment_id, ref).judgement is Judgement.MET, "and the view shows what is stored"
    assert view.snapshot().answer(ref).judgement is Judgement.MET
    feedback.messages.clear()


def test_refresh_shows_a_change_made_elsewhere(
    view: WorkbookView, service: WorkbookService, assessment_id: int
) -> None:
    ref = view.current_ref()
    assert ref is not None
    service.set_notes(assessment_id, ref, "Added by the service head by email")
    assert view.pane.notes_edit.toPlainText() == ""
    view.refresh()
    assert view.pane.notes_edit.toPlainText() == "Added by the service head by email"
    assert view.snapshot().answer(ref).notes == "Added by the service head by email"
