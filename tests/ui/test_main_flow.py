"""The workshop from end to end, through the real main window and only the keyboard.

Create an authority and an assessment through their dialogs, score ten criteria with one
key each, add an action, undo and redo, type a note and close at once, quit; then a new
window on the same data folder finds everything.  Also: both ways out of a damaged store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from nesds_desktop.app import attach_store
from nesds_desktop.domain.assessments import Action
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.store_access import restore_backup
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import BACKUP_FOLDER_NAME, STORE_FILE_NAME, open_store
from nesds_desktop.ui.dialogs.action_dialog import ActionDialog
from nesds_desktop.ui.dialogs.authority_dialog import AuthorityRegisterDialog
from nesds_desktop.ui.dialogs.new_assessment_dialog import NewAssessmentDialog
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.main_window import MainWindow
from nesds_desktop.ui.views.workbook_view import WorkbookView

D = TypeVar("D", bound=QDialog)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier

# One key per criterion: letters and digits, every judgement at least once.
SCORING_KEYS = "M1PNA23MM4"
MET, PARTLY, NOT_MET, NA = Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET, Judgement.NOT_APPLICABLE
EXPECTED = [MET, MET, PARTLY, NOT_MET, NA, PARTLY, NOT_MET, MET, MET, NA]
TITLE = "NeSDS Workbook — London Borough of Havering · ICT · 2006/07"


class KeyCounter(QObject):
    """Counts every key press the application receives (auto-repeats included, to be strict)."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and watched.isWidgetType():
            self.presses += 1
        return False


def _key(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _shown(window: QWidget, kind: type[D]) -> D:
    found = [dialog for dialog in window.findChildren(kind) if dialog.isVisible()]
    assert found, f"no {kind.__name__} is open"
    return found[-1]


def _activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _new_window(qtbot: QtBot, data_dir: Path, feedback: RecordingFeedback | None = None) -> MainWindow:
    window = MainWindow(feedback=feedback or RecordingFeedback())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    _activate(qtbot, window)
    return window


def when_shown(kind: type[D], then: Callable[[D], None], tries: int = 200) -> None:
    """Once a modal ``kind`` is running (its exec() blocks the test), call ``then`` with it."""

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            try:
                then(modal)
            finally:
                if modal.isVisible():  # never leave the test blocked in exec()
                    modal.reject()
        elif tries > 0:
            when_shown(kind, then, tries - 1)

    QTimer.singleShot(10, look)


@pytest.fixture
def key_counter() -> Iterator[KeyCounter]:
    counter = KeyCounter()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(counter)
    yield counter
    app.removeEventFilter(counter)


def test_a_workshop_by_keyboard_survives_closing_and_reopening(
    qtbot: QtBot, data_dir: Path, key_counter: KeyCounter
) -> None:
    feedback = RecordingFeedback()
    window = _new_window(qtbot, data_dir, feedback)
    assert attach_store(window, str(data_dir)) == 0

    # -- an authority, through the register (Ctrl+Shift+U) ----------------------------------
    _key(qtbot, _focused(), Qt.Key.Key_U, CTRL | SHIFT)
    register = _shown(window, AuthorityRegisterDialog)
    _activate(qtbot, register)
    assert register.name_edit.hasFocus()
    _type(qtbot, register.name_edit, "London Borough of Havering")
    _key(qtbot, register.name_edit, Qt.Key.Key_Tab)
    _type(qtbot, _focused(), "London")  # the type; the region follows it
    _key(qtbot, _focused(), Qt.Key.Key_Tab)
    _key(qtbot, _focused(), Qt.Key.Key_Tab)
    assert register.gss_edit.hasFocus()
    _type(qtbot, register.gss_edit, "E09000016")
    _key(qtbot, register.gss_edit, Qt.Key.Key_Return)
    assert register.saved_label.text() == "✓ Saved London Borough of Havering."
    _key(qtbot, register.gss_edit, Qt.Key.Key_Escape)
    assert not register.isVisible()

    # -- an assessment, through the new assessment dialog (Ctrl+N) ---------------------------
    _activate(qtbot, window)
    _key(qtbot, _focused(), Qt.Key.Key_N, CTRL)
    dialog = _shown(window, NewAssessmentDialog)
    _activate(qtbot, dialog)
    assert dialog.authority_combo.currentText() == "London Borough of Havering"
    _key(qtbot, _focused(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # Alt+S: the standard
    assert dialog.standard_combo.hasFocus()
    _type(qtbot, dialog.standard_combo, "ICT")
    _key(qtbot, _focused(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # Alt+N: the round
    assert dialog.round_edit.hasFocus()
    dialog.round_edit.selectAll()
    _type(qtbot, dialog.round_edit, "2006/07")
    _key(qtbot, _focused(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    _type(qtbot, dialog.participants_edit, "Head of ICT, ICT Strategy Manager, Head of Customer Services")
    _key(qtbot, dialog.participants_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.saved is not None

    view = window.current_view()
    assert isinstance(view, WorkbookView)
    assessment_id = view.assessment_id()
    assert window.windowTitle() == TITLE
    every_ref = [c.ref for c in view.snapshot().standard.criteria()]
    refs = every_ref[:10]
    assert view.current_ref() == refs[0]

    # -- ten criteria, one key each ----------------------------------------------------------
    _activate(qtbot, window)
    key_counter.presses = 0
    for number, key in enumerate(SCORING_KEYS):
        assert view.current_ref() == refs[number]
        _key(qtbot, _focused(), Qt.Key(ord(key)))
    assert key_counter.presses == 10
    assert view.current_ref() == every_ref[10]  # the key moved on each time, to the next to answer
    assert [view.snapshot().answer(ref).judgement for ref in refs] == EXPECTED
    assert window.windowTitle() == f"{TITLE} — 10 edits saved (Ctrl+Z to undo)"

    # -- an action, through the action dialog (Ctrl+Shift+A) ---------------------------------
    def fill_action(action_dialog: ActionDialog) -> None:
        _type(qtbot, action_dialog.description_edit, "Publish the ICT strategy on the intranet")
        action_dialog.owner_edit.setFocus()
        _type(qtbot, action_dialog.owner_edit, "Head of ICT")
        action_dialog.cashable_edit.setFocus()
        _type(qtbot, action_dialog.cashable_edit, "12500")
        _key(qtbot, action_dialog.cashable_edit, Qt.Key.Key_Return)

    when_shown(ActionDialog, fill_action)
    _key(qtbot, _focused(), Qt.Key.Key_A, CTRL | SHIFT)
    [added] = view.snapshot().actions
    assert added.action.description == "Publish the ICT strategy on the intranet"
    assert window.windowTitle() == f"{TITLE} — 11 edits saved (Ctrl+Z to undo)"

    # -- undo and redo, through the window's Edit menu keys ----------------------------------
    _activate(qtbot, window)
    view.show_criteria()
    _key(qtbot, _focused(), Qt.Key.Key_Z, CTRL)
    assert view.snapshot().actions == ()
    assert window.windowTitle() == f"{TITLE} — 10 edits saved (Ctrl+Z to undo)"
    _key(qtbot, _focused(), Qt.Key.Key_Z, CTRL)  # and the last judgement
    assert view.snapshot().answer(refs[9]).judgement is Judgement.NOT_YET_ASSESSED
    _key(qtbot, _focused(), Qt.Key.Key_Z, CTRL | SHIFT)
    _key(qtbot, _focused(), Qt.Key.Key_Y, CTRL)
    assert view.snapshot().answer(refs[9]).judgement is Judgement.NOT_APPLICABLE
    [again] = view.snapshot().actions
    assert again.action.description == "Publish the ICT strategy on the intranet"
    assert window.windowTitle() == f"{TITLE} — 11 edits saved (Ctrl+Z to undo)"

    # -- a note, and closing at once: the pending text is saved on the way out ---------------
    view.select_criterion(refs[0])
    _key(qtbot, _focused(), Qt.Key.Key_F2)
    _type(qtbot, _focused(), "ICT strategy agreed by Cabinet, March 2006")
    _key(qtbot, _focused(), Qt.Key.Key_W, CTRL)
    assert window.current_view() is None and window.open_views() == []
    assert window.windowTitle() == "NeSDS Workbook"
    _key(qtbot, _focused(), Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()
    assert [kind for kind, _t, _m in feedback.messages] == []

    # -- a new window on the same data folder finds everything -------------------------------
    reopened = _new_window(qtbot, data_dir)
    assert attach_store(reopened, str(data_dir)) == 0
    _key(qtbot, _focused(), Qt.Key.Key_O, CTRL)
    assert reopened.assessment_list.table.hasFocus()
    assert reopened.assessment_list.current_assessment_id() == assessment_id
    _key(qtbot, _focused(), Qt.Key.Key_Return)
    view_again = reopened.current_view()
    assert isinstance(view_again, WorkbookView) and view_again is not view
    assert view_again.assessment_id() == assessment_id
    snapshot = view_again.snapshot()
    assert [snapshot.answer(ref).judgement for ref in refs] == EXPECTED
    assert snapshot.answer(refs[0]).notes == "ICT strategy agreed by Cabinet, March 2006"
    [kept] = snapshot.actions
    assert kept.action == Action(
        "Publish the ICT strategy on the intranet",
        criterion_ref=kept.action.criterion_ref,
        owner="Head of ICT",
        saving_cashable=kept.action.saving_cashable,
    )
    assert str(kept.action.saving_cashable) == "12500.00"
    assert snapshot.summary.answered == 10 and snapshot.summary.participants.startswith("Head of ICT")
    assert reopened.windowTitle() == TITLE  # nothing to undo in a fresh session: no mark


def test_the_window_follows_tabs_with_undo_and_the_presentation(qtbot: QtBot, data_dir: Path) -> None:
    window = _new_window(qtbot, data_dir)
    assert attach_store(window, str(data_dir)) == 0
    service = window.service
    assert service is not None
    havering = service.add_authority(
        Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")
    )
    from datetime import date

    from nesds_desktop.domain.assessments import Round
    from nesds_desktop.domain.records import AssessmentDetails

    ict = service.create_assessment(
        AssessmentDetails(havering.id, "nesds-2006.1", "ICT", Round(2006), workshop_start=date(2006, 11, 14))
    )
    cs = service.create_assessment(AssessmentDetails(havering.id, "nesds-2006.1", "CS", Round(2006)))
    first = window.open_assessment(ict.id)
    second = window.open_assessment(cs.id)
    assert first is not None and second is not None
    assert window.tabs.count() == 4 and window.undo_group.activeStack() is second.undo_stack
    assert window.open_assessment(ict.id) is first and window.tabs.count() == 4  # not opened twice
    assert window.undo_group.activeStack() is first.undo_stack

    # Undo from the menu while a note is still waiting to be committed: the note goes in, then comes out.
    ref = first.current_ref()
    assert ref is not None
    first.score(Judgement.PARTLY_MET, advance=False)
    first.focus_notes()
    qtbot.keyClicks(first.pane.notes_edit, "Strategy refresh due in March")  # type: ignore[no-untyped-call]
    assert window.undo_action.text().startswith("&Undo") and window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert service.answer(ict.id, ref).notes == ""
    assert service.answer(ict.id, ref).judgement is Judgement.PARTLY_MET  # only the newest edit went
    window.redo_action.trigger()
    assert service.answer(ict.id, ref).notes == "Strategy refresh due in March"
    assert window.windowTitle().endswith("2 edits saved (Ctrl+Z to undo)")

    presentation = window.toggle_presentation()
    assert presentation.isVisible() and window.presentation_action.isChecked()
    assert presentation.assessment_id == ict.id and presentation.ref == first.current_ref()
    first.score(Judgement.MET, advance=True)
    assert presentation.ref == first.current_ref()  # it followed the facilitator on
    window.tabs.setCurrentWidget(second)
    assert presentation.assessment_id == cs.id
    overlay = window.show_shortcuts()
    [(title, entries)] = [group for group in overlay.groups if group[0].startswith("Assessment: ")]
    assert title == "Assessment: London Borough of Havering · CS · 2006/07"
    assert entries == second.shortcut_help() and ("M or 1", next(w for k, w in entries if k == "M or 1")) in entries
    overlay.close()
    window.show_catalogue_tab()
    assert window.undo_group.activeStack() is None and not window.close_action.isEnabled()
    assert window.windowTitle() == "NeSDS Workbook"
    window.toggle_presentation()
    assert not presentation.isVisible() and not window.presentation_action.isChecked()
    window.toggle_presentation()
    presentation.close()  # Escape or F5 in the presentation itself
    assert not window.presentation_action.isChecked() and window.presentation_larger_action.isEnabled() is False
    assert window.close_assessment(window.tabs.indexOf(second))
    assert window.open_views() == [first]


def _store_with_an_authority(data_dir: Path, name: str) -> None:
    store = open_store(data_dir)
    try:
        WorkbookService(store, "test").add_authority(Authority(name, AuthorityType.COUNTY, Region.SOUTH_EAST))
    finally:
        store.close()


def _backup_copy(data_dir: Path) -> Path:
    folder = data_dir / BACKUP_FOLDER_NAME
    folder.mkdir(exist_ok=True)
    target = folder / "store-schema-3-20061114-090000.sqlite"
    source = sqlite3.connect(data_dir / STORE_FILE_NAME)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    return target


def _damage(path: Path) -> bytes:
    damaged = b"this is not an SQLite header" + path.read_bytes()[28:]
    path.write_bytes(damaged)
    return damaged


def test_a_damaged_store_is_replaced_by_its_newest_backup(qtbot: QtBot, data_dir: Path) -> None:
    _store_with_an_authority(data_dir, "Kent County Council")
    backup = _backup_copy(data_dir)
    damaged = _damage(data_dir / STORE_FILE_NAME)

    feedback = RecordingFeedback(["Open the newest backup"])
    window = _new_window(qtbot, data_dir, feedback)
    assert attach_store(window, str(data_dir)) == 0
    kinds = [kind for kind, _t, _m in feedback.messages]
    assert kinds == ["question", "information"]
    _kind, _title, question = feedback.messages[0]
    assert "damaged" in question and backup.name in question
    # The damaged file is kept beside the store; the backup is untouched.
    [aside] = list(data_dir.glob("store.damaged-*.sqlite"))
    assert aside.read_bytes() == damaged
    assert backup.exists() and aside.name in feedback.messages[1][2]
    assert window.service is not None
    assert [a.name for a in window.service.list_authorities()] == ["Kent County Council"]


def test_restoring_moves_the_journal_aside_with_the_store(tmp_path: Path) -> None:
    # A write-ahead log left beside the restored copy would be replayed into it.
    (tmp_path / STORE_FILE_NAME).write_bytes(b"damaged")
    (tmp_path / f"{STORE_FILE_NAME}-wal").write_bytes(b"its journal")
    backup = tmp_path / "copy.sqlite"
    backup.write_bytes(b"good copy")
    aside = restore_backup(tmp_path, backup)
    assert aside.read_bytes() == b"damaged"
    assert Path(f"{aside}-wal").read_bytes() == b"its journal"
    assert not (tmp_path / f"{STORE_FILE_NAME}-wal").exists()
    assert (tmp_path / STORE_FILE_NAME).read_bytes() == b"good copy" and backup.read_bytes() == b"good copy"
    again = restore_backup(tmp_path, backup)  # a second time in the same second: a new name, nothing lost
    assert again != aside and aside.exists() and again.read_bytes() == b"good copy"


def test_a_damaged_store_can_be_left_for_another_folder(qtbot: QtBot, tmp_path: Path, data_dir: Path) -> None:
    _store_with_an_authority(data_dir, "Kent County Council")
    damaged = _damage(data_dir / STORE_FILE_NAME)
    elsewhere = tmp_path / "elsewhere"
    _store_with_an_authority(elsewhere, "Surrey County Council")

    feedback = RecordingFeedback(["Choose another data folder…", elsewhere])
    window = _new_window(qtbot, data_dir, feedback)
    assert attach_store(window, str(data_dir)) == 0
    assert [kind for kind, _t, _m in feedback.messages] == ["question", "choose folder"]
    assert "There is no backup" in feedback.messages[0][2]
    assert window.data_dir == elsewhere
    assert window.service is not None
    assert [a.name for a in window.service.list_authorities()] == ["Surrey County Council"]
    assert (data_dir / STORE_FILE_NAME).read_bytes() == damaged  # left exactly as it was
    assert not list(data_dir.glob("store.damaged-*"))


def test_quitting_from_a_damaged_store_changes_nothing(qtbot: QtBot, data_dir: Path) -> None:
    _store_with_an_authority(data_dir, "Kent County Council")
    backup = _backup_copy(data_dir)
    damaged = _damage(data_dir / STORE_FILE_NAME)
    feedback = RecordingFeedback(["Quit"])
    window = _new_window(qtbot, data_dir, feedback)
    assert attach_store(window, str(data_dir)) == 1
    assert not window.isVisible() and window.service is None
    assert (data_dir / STORE_FILE_NAME).read_bytes() == damaged
    assert backup.exists() and not list(data_dir.glob("store.damaged-*"))


def test_a_locked_store_offers_to_try_again(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_with_an_authority(data_dir, "Kent County Council")
    _backup_copy(data_dir)
    # Another program holds the store: exclusive locking keeps even readers out, WAL or not.
    holder = sqlite3.connect(data_dir / STORE_FILE_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE authority SET name = name")
    holder.execute("COMMIT")
    # Waiting five seconds for the lock is right for a user, too slow for a test.
    from nesds_desktop.storage import engine

    original = engine._configure_sqlite_connection

    def impatient(dbapi_connection: sqlite3.Connection, record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 50")
        original(dbapi_connection, record)

    monkeypatch.setattr(engine, "_configure_sqlite_connection", impatient)
    offered: list[list[str]] = []
    feedback = RecordingFeedback(["Try again"])
    window = _new_window(qtbot, data_dir, feedback)
    recorded_ask = feedback.ask

    def release_and_answer(title: str, text: str, choices: list[str], *, details: str = "") -> str | None:
        offered.append([c.replace("&", "") for c in choices])
        holder.close()  # the other program lets go while the user reads the message
        return recorded_ask(title, text, choices, details=details)

    monkeypatch.setattr(feedback, "ask", release_and_answer)
    assert attach_store(window, str(data_dir)) == 0
    [(kind, _title, text)] = feedback.messages
    assert kind == "question" and "locked" in text
    assert offered == [["Try again", "Choose another data folder…", "Quit"]]  # never a backup over a held store
    assert window.service is not None and [a.name for a in window.service.list_authorities()] == ["Kent County Council"]
    assert not list(data_dir.glob("store.damaged-*"))
