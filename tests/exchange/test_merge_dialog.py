"""The merge dialog, driven from the keyboard with qtbot, and the merge as one undo step."""

from __future__ import annotations

from pathlib import Path

from exchange_support import Desk, assert_every_other_edit_kept, table_dump, three_copies
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.exchange_service import Side
from nesds_desktop.ui.dialogs.merge_dialog import MergeDialog
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.undo.merge_command import MergeCommand


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _key(
    qtbot: QtBot, widget: object, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def test_the_one_conflict_is_shown_side_by_side_resolved_by_keyboard_and_undone_as_one_step(
    qtbot: QtBot, desks: list[Desk], tmp_path: Path
) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange, store = scenario.origin.exchange, scenario.origin.store
    for name in ("sam", "jo"):
        exchange.apply(exchange.preview(scenario.returned[name]))
    before = table_dump(store)
    feedback = RecordingFeedback()

    dialog = MergeDialog.for_file(exchange, scenario.returned["kim"], feedback)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    assert dialog.conflict_list.count() == 1
    assert dialog.conflict_list.hasFocus()
    assert f"{scenario.contested} judgement and notes" in dialog.conflict_list.item(0).text()
    mine, theirs = dialog.mine_text.toPlainText(), dialog.theirs_text.toPlainText()
    assert "✗ Not met" in mine and "Sam Head" in mine
    assert "– Not applicable" in theirs and "Kim Lee" in theirs
    assert "✓ Met" in dialog.base_label.text()
    assert not dialog.apply_button.isEnabled()  # nothing is overwritten without a choice
    assert dialog.progress_label.text() == "0 of 1 conflict(s) resolved"

    _key(qtbot, _focused(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Take &theirs
    key = dialog.preview.conflicts[0].key
    qtbot.waitUntil(lambda: dialog.choices.get(key) is Side.THEIRS)  # a mnemonic clicks a moment later
    assert dialog.theirs_radio.isChecked() and "Take theirs" in dialog.conflict_list.item(0).text()
    _key(qtbot, _focused(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Keep &mine
    qtbot.waitUntil(lambda: dialog.choices.get(key) is Side.MINE)
    _key(qtbot, _focused(), Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # Take all t&heirs
    qtbot.waitUntil(dialog.apply_button.hasFocus)
    assert dialog.apply_button.isEnabled() and dialog.choices[key] is Side.THEIRS
    assert table_dump(store) == before  # still nothing written

    _key(qtbot, _focused(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.applied is not None and feedback.messages == []
    assert_every_other_edit_kept(scenario, Judgement.NOT_APPLICABLE)
    after = table_dump(store)

    stack = QUndoStack()
    notified: list[str | None] = []
    reported: list[str] = []
    stack.push(
        MergeCommand(
            exchange,
            dialog.applied,
            scenario.assessment_id,
            notified.append,
            lambda what, error: reported.append(f"{what}: {error}"),
        )
    )
    assert stack.undoText() == f"Merge {scenario.returned['kim'].name}"
    assert table_dump(store) == after  # pushing does not merge a second time
    stack.undo()
    assert table_dump(store) == before
    stack.redo()
    assert (
        scenario.origin.workbook.answer(scenario.assessment_id, scenario.contested).judgement
        is Judgement.NOT_APPLICABLE
    )
    assert reported == [] and notified == [None, None]


def test_an_undo_the_service_refuses_is_reported_and_dropped(qtbot: QtBot, desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange = scenario.origin.exchange
    applied = exchange.apply(exchange.preview(scenario.returned["sam"]))
    stack = QUndoStack()
    reported: list[str] = []
    stack.push(
        MergeCommand(
            exchange,
            applied,
            scenario.assessment_id,
            lambda ref: None,
            lambda what, error: reported.append(f"{what}: {error}"),
        )
    )
    scenario.origin.workbook.set_judgement(scenario.assessment_id, scenario.contested, Judgement.PARTLY_MET)
    stack.undo()
    assert len(reported) == 1 and "changed since" in reported[0]
    assert stack.count() == 0  # the obsolete step is dropped
    answer = scenario.origin.workbook.answer(scenario.assessment_id, scenario.contested)
    assert answer.judgement is Judgement.PARTLY_MET


def test_a_bad_file_or_one_with_nothing_new_is_explained_through_feedback(
    qtbot: QtBot, desks: list[Desk], tmp_path: Path
) -> None:
    scenario = three_copies(desks, tmp_path)
    feedback = RecordingFeedback()
    bad = tmp_path / "renamed.nesds"
    bad.write_bytes(b"%PDF-1.4 not an assessment")
    assert MergeDialog.for_file(scenario.origin.exchange, bad, feedback) is None
    assert feedback.messages[-1][0] == "error" and "renamed.nesds cannot be opened" in feedback.messages[-1][1]
    assert "PDF" in feedback.messages[-1][2] and "Nothing in the store was changed" in feedback.messages[-1][2]
    assert MergeDialog.for_file(scenario.origin.exchange, scenario.sent, feedback) is None
    assert feedback.messages[-1][:2] == ("information", "Nothing new")


def test_a_new_assessment_is_added_after_confirming(qtbot: QtBot, desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    stranger = desks[1]  # Sam's desk: delete the copy, so the file brings something new
    for summary in stranger.workbook.list_assessments():
        stranger.workbook.delete_assessment(summary.id)
    dialog = MergeDialog.for_file(stranger.exchange, scenario.sent, RecordingFeedback())
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.conflict_list.count() == 0 and dialog.apply_button.isEnabled()
    assert "Add <b>London Borough of Havering" in dialog.summary_label.text()
    assert dialog.apply_button.text() == "&Add to the store"
    dialog.accept()
    assert dialog.applied is not None and dialog.applied.added_ids
    assert len(stranger.workbook.list_assessments()) == 1
