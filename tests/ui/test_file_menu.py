"""The File menu's files, through the real main window: open, drop and double-click assessment
files (merging a conflicting copy and undoing it), export a return, an action plan and an
assessment file, import an edited return, and move an assessment to a newer release.

Every file is real: written by the services or the menus, edited with openpyxl, read back.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

import pytest
from helpers.stores import RELEASE, catalogue_template, new_catalogue_store
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFileOpenEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from nesds_desktop import app as app_module
from nesds_desktop.app import assessment_file_argument, attach_store
from nesds_desktop.domain.assessments import Action, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.exchange.file_format import read_exchange_file
from nesds_desktop.returns import layout
from nesds_desktop.services.exchange_service import ExchangeService
from nesds_desktop.services.return_service import export_return
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import STORE_FILE_NAME, Store, open_store
from nesds_desktop.ui.dialogs.merge_dialog import MergeDialog
from nesds_desktop.ui.dialogs.release_migration_dialog import ReleaseMigrationDialog
from nesds_desktop.ui.dialogs.return_import_dialog import ReturnImportDialog
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.main_window import FileOpenFilter, MainWindow
from nesds_desktop.ui.views.workbook_view import WorkbookView

D = TypeVar("D", bound=QDialog)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
HAVERING = Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")


# -- helpers ------------------------------------------------------------------------------------


@dataclass
class Desk:
    """Another person's computer: a store of their own, from which files come."""

    store: Store
    workbook: WorkbookService
    exchange: ExchangeService

    def start(self, code: str = "ICT") -> int:
        authority = self.workbook.add_authority(HAVERING)
        summary = self.workbook.create_assessment(
            AssessmentDetails(authority.id, RELEASE, code, Round(2006), facilitator="Sam Head")
        )
        refs = self.refs(code)
        for ref, judgement in zip(
            refs[:4], [Judgement.MET, Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET], strict=True
        ):
            self.workbook.set_judgement(summary.id, ref, judgement)
        self.workbook.set_notes(summary.id, refs[0], "Strategy agreed by cabinet, March 2006.")
        return summary.id

    def refs(self, code: str = "ICT") -> list[str]:
        return [c.ref for c in self.workbook.standard(RELEASE, code).criteria()]


@pytest.fixture
def desk(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    store = new_catalogue_store(tmp_path / "sam", tmp_path_factory)
    workbook = WorkbookService(store, "Sam Head")
    yield Desk(store, workbook, ExchangeService.for_workbook(workbook))
    store.close()


def _store_with_catalogue(data_dir: Path, factory: pytest.TempPathFactory) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(catalogue_template(factory), data_dir / STORE_FILE_NAME)


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> MainWindow:
    _store_with_catalogue(data_dir, tmp_path_factory)
    shown = MainWindow(feedback=RecordingFeedback())
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    assert attach_store(shown, str(data_dir)) == 0
    assert shown.service is not None
    shown.service.author = "Pat Morgan"
    return shown


def _feedback(window: MainWindow) -> RecordingFeedback:
    assert isinstance(window.feedback, RecordingFeedback)
    return window.feedback


def _service(window: MainWindow) -> WorkbookService:
    assert window.service is not None
    return window.service


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _key(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(_focused(), key, modifier)  # type: ignore[no-untyped-call]


class Modal:
    """Answers the next modal ``kind`` (its exec() blocks the test) with ``then``, and says it did."""

    waiting: ClassVar[list[Modal]] = []  # stopped when the test ends, so none answers another test's dialog

    def __init__(self, kind: type[D], then: Callable[[D], None]) -> None:
        self.seen = False
        self.stopped = False
        Modal.waiting.append(self)
        self._look(kind, then, tries=1000)

    def _look(self, kind: type[D], then: Callable[[D], None], tries: int) -> None:
        def look() -> None:
            if self.stopped:
                return
            modal = QApplication.activeModalWidget()
            if isinstance(modal, kind) and modal.isVisible():
                self.seen = True
                try:
                    then(modal)
                finally:
                    if modal.isVisible():  # never leave the test blocked in exec()
                        modal.reject()
            elif tries > 0:
                self._look(kind, then, tries - 1)

        QTimer.singleShot(10, look)


@pytest.fixture(autouse=True)
def _stop_waiting_modals() -> Iterator[None]:
    yield
    for modal in Modal.waiting:
        modal.stopped = True
    Modal.waiting.clear()


def _activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = CTRL_SHIFT) -> None:
    """A window shortcut, as a user presses it: the window is active again after any dialog."""
    _activate(qtbot, window)
    _key(qtbot, key, modifier)


def _open_through_menu(qtbot: QtBot, window: MainWindow, path: Path, answer: Callable[[MergeDialog], None]) -> Modal:
    _feedback(window).answers.append(path)
    modal = Modal(MergeDialog, answer)
    _press(qtbot, window, Qt.Key.Key_O)  # File > Open File…
    assert modal.seen
    return modal


def _new_assessment(window: MainWindow, code: str = "ICT", year: int = 2006) -> int:
    service = _service(window)
    authorities = service.list_authorities()
    authority = authorities[0] if authorities else service.add_authority(HAVERING)
    summary = service.create_assessment(
        AssessmentDetails(authority.id, RELEASE, code, Round(year), facilitator="Pat Morgan")
    )
    return summary.id


def _opened(window: MainWindow, assessment_id: int) -> WorkbookView:
    view = window.open_assessment(assessment_id)
    assert view is not None
    return view


# -- opening assessment files --------------------------------------------------------------------


def test_a_file_opens_in_a_tab_then_a_conflicting_copy_merges_by_keyboard_and_is_undone(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path
) -> None:
    sams_id = desk.start()
    refs = desk.refs()
    sent = tmp_path / "havering-ict.nesds"
    desk.exchange.export([sams_id], sent)

    def add(dialog: MergeDialog) -> None:
        assert "which this store does not hold yet" in dialog.summary_label.text()
        dialog.apply_button.click()

    _open_through_menu(qtbot, window, sent, add)
    view = window.current_view()
    assert view is not None, "the new assessment opens in a tab"
    assert window.tabs.tabText(window.tabs.currentIndex()) == "London Borough of Havering · ICT · 2006/07"
    ours = view.snapshot()
    assert ours.answer(refs[0]).judgement is Judgement.MET
    assert ours.answer(refs[0]).notes == "Strategy agreed by cabinet, March 2006."
    assert view.undo_stack.count() == 0  # a new assessment is not an undo step

    # Both sides change the first criterion, differently: one conflict.
    view.select_criterion(refs[0])
    view.score(Judgement.NOT_MET, advance=False)
    desk.workbook.set_judgement(sams_id, refs[0], Judgement.NOT_APPLICABLE)
    desk.workbook.set_judgement(sams_id, refs[10], Judgement.MET)  # Sam's alone: taken without asking
    again = tmp_path / "havering-ict-from-sam.nesds"
    desk.exchange.export([sams_id], again)

    def take_theirs(dialog: MergeDialog) -> None:
        _activate(qtbot, dialog)
        assert dialog.conflict_list.count() == 1 and dialog.conflict_list.hasFocus()
        assert not dialog.apply_button.isEnabled()
        _key(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Take &theirs
        qtbot.waitUntil(dialog.apply_button.isEnabled)  # a mnemonic clicks a moment later
        _key(qtbot, Qt.Key.Key_Return)  # the default button: Apply

    _open_through_menu(qtbot, window, again, take_theirs)
    assert window.current_view() is view
    assert view.snapshot().answer(refs[0]).judgement is Judgement.NOT_APPLICABLE
    assert view.snapshot().answer(refs[10]).judgement is Judgement.MET
    assert view.undo_stack.undoText() == f"Merge {again.name}"
    assert "Ctrl+Z to undo" in window.windowTitle()

    _activate(qtbot, window)
    view.setFocus()
    _key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.snapshot().answer(refs[0]).judgement is Judgement.NOT_MET  # ours again
    assert view.snapshot().answer(refs[10]).judgement is Judgement.NOT_YET_ASSESSED
    assert _service(window).answer(view.assessment_id(), refs[0]).judgement is Judgement.NOT_MET
    assert _feedback(window).kinds() == ["choose file", "choose file"]


def test_a_file_dropped_on_the_window_is_opened_and_others_are_refused(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path
) -> None:
    sent = tmp_path / "dropped.nesds"
    desk.exchange.export([desk.start("CS")], sent)
    other = tmp_path / "notes.txt"
    other.write_text("not an assessment", encoding="utf-8")

    def drag(paths: list[Path]) -> tuple[QDragEnterEvent, QMimeData]:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        event = QDragEnterEvent(
            QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(window, event)
        return event, mime

    refused, _ = drag([other])
    assert not refused.isAccepted()
    entered, mime = drag([sent])
    assert entered.isAccepted()

    modal = Modal(MergeDialog, lambda dialog: dialog.apply_button.click())
    drop = QDropEvent(
        QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: modal.seen and window.current_view() is not None)
    view = window.current_view()
    assert view is not None and view.snapshot().summary.standard_code == "CS"
    assert [s.standard_code for s in _service(window).list_assessments()] == ["CS"]


def test_a_file_the_store_already_holds_is_explained_and_nothing_opens(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path
) -> None:
    sent = tmp_path / "twice.nesds"
    desk.exchange.export([desk.start()], sent)
    _open_through_menu(qtbot, window, sent, lambda dialog: dialog.apply_button.click())
    window.close_assessment()
    _feedback(window).answers.append(sent)
    _press(qtbot, window, Qt.Key.Key_O)
    assert ("information", "Nothing new") in [(kind, title) for kind, title, _ in _feedback(window).messages]
    assert window.current_view() is None


def test_a_double_clicked_file_starts_the_window_and_is_opened(
    qtbot: QtBot,
    desk: Desk,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent = tmp_path / "double-clicked.nesds"
    desk.exchange.export([desk.start()], sent)
    data_dir = tmp_path / "double-click-data"
    _store_with_catalogue(data_dir, tmp_path_factory)
    monkeypatch.setenv("NESDS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NESDS_SMOKE", "1")  # quits once the store is open and the file dealt with
    assert assessment_file_argument([str(sent)]) == sent
    assert assessment_file_argument([str(tmp_path / "missing.nesds")]) is None
    assert assessment_file_argument(["catalogue", "list"]) is None

    tabs: list[str] = []
    started: list[MainWindow] = []
    original = MainWindow.open_pending_files

    def recording(self: MainWindow) -> None:
        original(self)
        started.append(self)
        tabs.extend(self.tabs.tabText(i) for i in range(self.tabs.count()))

    monkeypatch.setattr(MainWindow, "open_pending_files", recording)
    modal = Modal(MergeDialog, lambda dialog: dialog.apply_button.click())
    guard = QTimer()  # never let a test hang in the event loop
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)
    guard.start(60_000)
    try:
        assert app_module.main([str(sent)]) == 0
    finally:
        guard.stop()
    for gone in started:
        gone.deleteLater()
    qtbot.wait(10)
    assert modal.seen
    assert tabs == ["Catalogue", "Assessments", "London Borough of Havering · ICT · 2006/07"]
    store = open_store(data_dir)
    try:
        assert [s.standard_code for s in WorkbookService(store, "").list_assessments()] == ["ICT"]
    finally:
        store.close()


# -- exports ------------------------------------------------------------------------------------


def test_a_return_an_action_plan_and_an_assessment_file_are_exported_through_the_menus(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    service = _service(window)
    ict = _new_assessment(window, "ICT")
    cs = _new_assessment(window, "CS")
    _new_assessment(window, "CS", 2007)  # another round: not in this return
    service.set_judgement(ict, "ICT-1-M1", Judgement.MET)
    service.set_judgement(cs, "CS-1-M1", Judgement.PARTLY_MET)
    service.add_action(ict, Action("Adopt a data protection policy", "ICT-1-M2", owner="Kim Lee"))
    view = _opened(window, ict)
    view.setFocus()
    feedback = _feedback(window)
    out = tmp_path / "out"
    out.mkdir()

    feedback.answers.extend([out / "havering-return", "Open the folder"])  # the ending is added
    _press(qtbot, window, Qt.Key.Key_X)
    written = out / "havering-return.xlsx"
    workbook = load_workbook(written, read_only=True)
    try:
        assert {"ICT", "CS"} <= set(workbook.sheetnames)
    finally:
        workbook.close()
    assert feedback.messages[-2][:2] == ("information", "Return written")
    assert "2 standards" in feedback.messages[-2][2]
    assert feedback.messages[-1] == ("open folder", str(out), "")

    feedback.answers.extend([out / "plan.pdf", "Close"])
    _press(qtbot, window, Qt.Key.Key_P)
    assert (out / "plan.pdf").read_bytes().startswith(b"%PDF-")
    assert feedback.messages[-1][:2] == ("information", "Action plan written")

    feedback.answers.extend(["Leave out notes and names", out / "havering.nesds", "Open the folder"])
    _press(qtbot, window, Qt.Key.Key_S)
    sent = read_exchange_file(out / "havering.nesds")
    assert sent.redacted and [a.standard_code for a in sent.content.assessments] == ["ICT"]
    assert feedback.messages[-4][:2] == ("question", "Export an assessment file")
    assert feedback.messages[-1] == ("open folder", str(out), "")
    assert not [m for m in feedback.messages if m[0] in ("error", "warning")]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.inherits("QProgressDialog")]


def test_nothing_is_written_when_the_save_dialog_is_dismissed(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    _opened(window, _new_assessment(window)).setFocus()
    _press(qtbot, window, Qt.Key.Key_X)  # no answer: the save dialog is dismissed
    _press(qtbot, window, Qt.Key.Key_S)  # the question is dismissed
    assert _feedback(window).kinds() == ["choose save file", "question"]


# -- importing an edited return ------------------------------------------------------------------


def _edit_return(source: Path, target: Path, sheet: str, edits: dict[str, tuple[str | None, str | None]]) -> None:
    """Type judgements and notes into the return's rows with openpyxl, as a person would in Excel."""
    workbook = load_workbook(source)
    worksheet = workbook[sheet]
    headings = [cell.value for cell in worksheet[layout.HEADING_ROW]]
    columns = {name: headings.index(name) + 1 for name in (layout.REFERENCE.heading, layout.JUDGEMENT.heading)}
    notes_column = headings.index(layout.NOTES.heading) + 1
    for row in range(layout.FIRST_CRITERION_ROW, worksheet.max_row + 1):
        ref = worksheet.cell(row=row, column=columns[layout.REFERENCE.heading]).value
        if ref in edits:
            judgement, notes = edits[ref]
            if judgement is not None:
                worksheet.cell(row=row, column=columns[layout.JUDGEMENT.heading]).value = judgement
            if notes is not None:
                worksheet.cell(row=row, column=notes_column).value = notes
    workbook.save(target)


def test_an_edited_return_is_previewed_and_applied_and_the_open_view_shows_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    service = _service(window)
    ict = _new_assessment(window)
    service.set_judgement(ict, "ICT-1-M2", Judgement.NOT_MET)
    exported = tmp_path / "return.xlsx"
    export_return(service, [ict], exported)
    edited = tmp_path / "edited.xlsx"
    _edit_return(
        exported,
        edited,
        "ICT",
        {"ICT-1-M1": ("Met", "Policy seen by the panel"), "ICT-1-M2": ("Partly met", None)},
    )
    view = _opened(window, ict)
    view.setFocus()

    def apply(dialog: ReturnImportDialog) -> None:
        assert dialog.changes_view is not None
        changes = dialog.changes_view.toPlainText()
        assert "ICT-1-M1: judgement Not yet assessed → Met" in changes
        assert "ICT-1-M1: evidence notes (none) → “Policy seen by the panel”" in changes
        assert "ICT-1-M2: judgement Not met → Partly met" in changes
        assert dialog.conflicts_view is None and dialog.apply_button.isEnabled()
        _activate(qtbot, dialog)
        assert dialog.apply_button.hasFocus()
        _key(qtbot, Qt.Key.Key_Return)

    _feedback(window).answers.append(edited)
    modal = Modal(ReturnImportDialog, apply)
    _press(qtbot, window, Qt.Key.Key_M)
    assert modal.seen
    shown = view.snapshot()
    assert shown.answer("ICT-1-M1").judgement is Judgement.MET
    assert shown.answer("ICT-1-M1").notes == "Policy seen by the panel"
    assert shown.answer("ICT-1-M2").judgement is Judgement.PARTLY_MET
    assert _feedback(window).messages[-1] == ("information", "Return imported", "3 changes from edited.xlsx applied.")


def test_a_return_from_another_store_is_legacy_and_cannot_be_applied(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path
) -> None:
    theirs = tmp_path / "theirs.xlsx"
    export_return(desk.workbook, [desk.start()], theirs)
    _edit_return(theirs, theirs, "ICT", {"ICT-1-M1": ("Not met", None)})
    seen: list[str] = []

    def look(dialog: ReturnImportDialog) -> None:
        seen.append(dialog.summary_label.text())
        assert not dialog.apply_button.isEnabled()
        assert dialog.warnings_view is not None and "legacy return" in dialog.warnings_view.toPlainText()
        dialog.accept()  # refused: the dialog stays open until Cancel
        assert dialog.isVisible()

    _feedback(window).answers.append(theirs)
    modal = Modal(ReturnImportDialog, look)
    window.import_edited_return()
    assert modal.seen and "legacy return" in seen[0]
    assert _service(window).list_assessments() == []


# -- moving to a newer release -------------------------------------------------------------------


def test_an_ict_assessment_moves_to_2007_through_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    service = _service(window)
    ict = _new_assessment(window, "ICT")
    cs = _new_assessment(window, "CS")
    for ref in ("ICT-1-M1", "ICT-1-M2", "ICT-1-M3", "ICT-1-P1", "ICT-2-M1", "ICT-4-M1"):
        service.set_judgement(ict, ref, Judgement.MET)
    _opened(window, cs)
    assert not window.migrate_action.isEnabled()  # no newer release holds CS
    view = _opened(window, ict)
    view.score(Judgement.PARTLY_MET, advance=False)  # an undo step the old release's view had
    assert window.migrate_action.isEnabled()
    view.setFocus()

    def apply(dialog: ReleaseMigrationDialog) -> None:
        assert dialog.preview is not None and dialog.preview.to_release == "nesds-2007.1"
        summary = dialog.summary_label.text()
        assert "moves from nesds-2006.1 to <b>nesds-2007.1</b>" in summary
        details = dialog.details.toPlainText()
        for heading in ("Carried over, to confirm", "New criteria, not yet answered", "Archived with the assessment"):
            assert heading in details
        assert [c.new_ref for c in dialog.preview.to_confirm] == ["ICT-1-M2"]
        assert "Reworded" in details and "ICT-4-M1" in details  # why to confirm; the retired one archived
        _activate(qtbot, dialog)
        _key(qtbot, Qt.Key.Key_Return)

    modal = Modal(ReleaseMigrationDialog, apply)
    _press(qtbot, window, Qt.Key.Key_N)
    assert modal.seen
    moved = window.current_view()
    assert moved is not None and moved is not view and moved.assessment_id() == ict
    assert moved.snapshot().summary.release_id == "nesds-2007.1"
    assert moved.undo_stack.count() == 0
    assert not window.migrate_action.isEnabled()  # nothing newer than 2007.1
    assert "now uses nesds-2007.1" in window.status_label.text()
    assert [v.assessment_id() for v in window.open_views()] == [cs, ict]


# -- the details dialog ---------------------------------------------------------------------------


def test_the_open_view_shows_details_saved_in_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    view = _opened(window, _new_assessment(window))
    assert "· Draft ·" in view.header_label.text()
    dialog = window.show_details()
    assert dialog is not None
    dialog.state_combo.setCurrentIndex(dialog.state_combo.findText("Agreed"))
    dialog.accept()
    assert "· Agreed ·" in view.header_label.text()


def test_a_file_macos_sends_by_a_file_open_event_is_opened(
    qtbot: QtBot, window: MainWindow, desk: Desk, tmp_path: Path
) -> None:
    sent = tmp_path / "from-finder.nesds"
    desk.exchange.export([desk.start()], sent)
    app = QApplication.instance()
    assert app is not None
    watcher = FileOpenFilter(window)
    app.installEventFilter(watcher)
    try:
        modal = Modal(MergeDialog, lambda dialog: dialog.apply_button.click())
        QApplication.sendEvent(app, QFileOpenEvent(str(sent)))
        qtbot.waitUntil(lambda: modal.seen and window.current_view() is not None)
    finally:
        app.removeEventFilter(watcher)
    assert [s.standard_code for s in _service(window).list_assessments()] == ["ICT"]
