"""The workbook's dialogs, filled from the keyboard against a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from nesds_desktop.app import attach_store
from nesds_desktop.domain.assessments import Action, AssessmentState, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.catalogue import ReleaseSummary
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails, AuthorityRecord
from nesds_desktop.services import catalogue_service, preferences
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store, open_store
from nesds_desktop.ui.dialogs.authority_dialog import AuthorityRegisterDialog
from nesds_desktop.ui.dialogs.duplicate_round_dialog import DuplicateRoundDialog
from nesds_desktop.ui.dialogs.new_assessment_dialog import NewAssessmentDialog
from nesds_desktop.ui.dialogs.preferences_dialog import PreferencesDialog
from nesds_desktop.ui.dialogs.shortcuts_overlay import ShortcutsOverlay, menu_shortcuts
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.main_window import MainWindow

RELEASE = "nesds-2006.1"


@pytest.fixture
def service(store: Store) -> WorkbookService:
    catalogue_service.load_bundled_releases(store)
    return WorkbookService(store, "Pat Facilitator")


@pytest.fixture
def releases(service: WorkbookService) -> list[ReleaseSummary]:
    return catalogue_service.list_releases(service.store)


@pytest.fixture
def havering(service: WorkbookService) -> AuthorityRecord:
    return service.add_authority(
        Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")
    )


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def _press(
    qtbot: QtBot, widget: object, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def _choose_east_of_england(qtbot: QtBot, register: AuthorityRegisterDialog) -> None:
    # A space in a combo box opens its list, so type the first word and step down to the region.
    _type(qtbot, register.region_combo, "East")
    while register.region_combo.currentText() != "East of England":
        _press(qtbot, register.region_combo, Qt.Key.Key_Down)


# -- the authority register ---------------------------------------------------------------------


@pytest.fixture
def register(qtbot: QtBot, service: WorkbookService) -> Iterator[AuthorityRegisterDialog]:
    dialog = AuthorityRegisterDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog


def test_an_authority_is_added_from_the_keyboard(register: AuthorityRegisterDialog, qtbot: QtBot, store: Store) -> None:
    _type(qtbot, register.name_edit, "London Borough of Havering")
    _type(qtbot, register.type_combo, "London")
    assert register.type_combo.currentText() == "London borough"
    assert register.region_combo.currentText() == "London"  # implied by the type
    _type(qtbot, register.gss_edit, "e09 000 016")
    _press(qtbot, register.gss_edit, Qt.Key.Key_Return)  # Save is the default button

    assert not register.problem_label.isVisible()
    assert "Saved London Borough of Havering" in register.saved_label.text()
    assert register.authority_names() == ["London Borough of Havering — London borough, London (E09000016)"]
    # In the store, as a second session reads it.
    second = open_store(Path(store.path).parent)
    try:
        [record] = WorkbookService(second, "someone").list_authorities()
    finally:
        second.close()
    assert record.authority == Authority(
        "London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016"
    )


def test_a_wrong_gss_code_is_explained_beside_the_form(register: AuthorityRegisterDialog, qtbot: QtBot) -> None:
    _type(qtbot, register.name_edit, "Essex County Council")
    _type(qtbot, register.type_combo, "County")
    _choose_east_of_england(qtbot, register)
    _type(qtbot, register.gss_edit, "E09000016")
    register.save_button.click()

    assert register.problem_label.isVisible()
    assert "should start E10" in register.problem_label.text()
    assert "London borough" in register.problem_label.text()
    assert register.authority_names() == []
    assert register.isVisible()  # the user fixes it and saves again

    register.gss_edit.clear()
    _type(qtbot, register.gss_edit, "E10000012")
    register.save_button.click()
    assert not register.problem_label.isVisible()
    assert register.authority_names() == ["Essex County Council — County council, East of England (E10000012)"]


def test_a_gss_code_already_registered_is_refused(
    register: AuthorityRegisterDialog, qtbot: QtBot, havering: AuthorityRecord
) -> None:
    register.reload()
    _type(qtbot, register.name_edit, "Havering again")
    _type(qtbot, register.type_combo, "London")
    _type(qtbot, register.gss_edit, "E09000016")
    assert register.save() is None
    assert "already in the register" in register.problem_label.text()
    assert len(register.authority_names()) == 1


def test_an_authority_is_edited_in_place(
    register: AuthorityRegisterDialog, qtbot: QtBot, service: WorkbookService, havering: AuthorityRecord
) -> None:
    register.reload()
    register.list.setFocus()
    _press(qtbot, register.list, Qt.Key.Key_Down)
    assert register.name_edit.text() == "London Borough of Havering"
    assert register.heading.text() == "Editing London Borough of Havering"
    register.name_edit.selectAll()
    _type(qtbot, register.name_edit, "Havering")
    register.save_button.click()
    [record] = service.list_authorities()
    assert record.id == havering.id and record.name == "Havering"
    assert record.authority.gss_code == "E09000016"


def test_a_mismatched_region_is_explained(register: AuthorityRegisterDialog, qtbot: QtBot) -> None:
    _type(qtbot, register.name_edit, "Cardiff")
    _type(qtbot, register.type_combo, "Welsh")
    assert register.region_combo.currentText() == "Wales"
    _type(qtbot, register.region_combo, "Yorkshire")
    register.save_button.click()
    assert "Wales" in register.problem_label.text() and "Yorkshire and The Humber" in register.problem_label.text()


# -- a new assessment, and its details ------------------------------------------------------------


def _new_dialog(qtbot: QtBot, service: WorkbookService, releases: list[ReleaseSummary]) -> NewAssessmentDialog:
    dialog = NewAssessmentDialog(service, releases, today=date(2006, 11, 14))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_assessment_is_created_from_the_keyboard(
    qtbot: QtBot, service: WorkbookService, releases: list[ReleaseSummary], havering: AuthorityRecord
) -> None:
    dialog = _new_dialog(qtbot, service, releases)
    assert dialog.authority_combo.currentText() == "London Borough of Havering"
    assert dialog.round_edit.text() == "2006/07"  # the financial year of "today"
    assert dialog.facilitator_edit.text() == "Pat Facilitator"
    _type(qtbot, dialog.standard_combo, "Cus")
    assert dialog.standard_combo.currentData() == "CS"
    _type(qtbot, dialog.participants_edit, "Head of Customer Services, Contact Centre Manager")
    dialog.end_edit.setFocus()
    dialog.end_edit.setSelectedSection(dialog.end_edit.sectionAt(0))
    _type(qtbot, dialog.end_edit, "15")
    _press(qtbot, dialog.participants_edit, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = dialog.saved
    assert saved is not None
    [listed] = service.list_assessments()
    assert listed.id == saved.id
    assert (listed.authority.name, listed.standard_code, listed.round.label) == (
        "London Borough of Havering",
        "CS",
        "2006/07",
    )
    assert listed.participants == "Head of Customer Services, Contact Centre Manager"
    assert (listed.workshop_start, listed.workshop_end) == (date(2006, 11, 14), date(2006, 11, 15))
    assert listed.state is AssessmentState.DRAFT and listed.release_id


def test_a_malformed_round_keeps_the_dialog_open(
    qtbot: QtBot, service: WorkbookService, releases: list[ReleaseSummary], havering: AuthorityRecord
) -> None:
    dialog = _new_dialog(qtbot, service, releases)
    dialog.round_edit.selectAll()
    _type(qtbot, dialog.round_edit, "2006/08")
    _press(qtbot, dialog.round_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.saved is None
    assert "consecutive" in dialog.problem_label.text()
    assert service.list_assessments() == []


def test_no_authority_means_no_assessment(
    qtbot: QtBot, service: WorkbookService, releases: list[ReleaseSummary]
) -> None:
    dialog = _new_dialog(qtbot, service, releases)
    dialog.accept()
    assert "choose the authority" in dialog.problem_label.text().lower()
    # The register opens from the dialog, and what is saved there is chosen here.
    register = dialog.add_authority()
    assert isinstance(register, AuthorityRegisterDialog)
    _type(qtbot, register.name_edit, "Essex County Council")
    _type(qtbot, register.type_combo, "County")
    _choose_east_of_england(qtbot, register)
    register.save()
    register.close()
    assert dialog.authority_combo.currentText() == "Essex County Council"


def test_the_same_assessment_twice_is_refused(
    qtbot: QtBot, service: WorkbookService, releases: list[ReleaseSummary], havering: AuthorityRecord
) -> None:
    service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006)))
    dialog = _new_dialog(qtbot, service, releases)
    _type(qtbot, dialog.standard_combo, "ICT")
    dialog.accept()
    assert "already has a ICT assessment in round 2006/07" in dialog.problem_label.text()
    assert len(service.list_assessments()) == 1


def test_details_change_state_and_people_but_not_the_standard(
    qtbot: QtBot, service: WorkbookService, releases: list[ReleaseSummary], havering: AuthorityRecord
) -> None:
    created = service.create_assessment(
        AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006), "Pat", "Heads of ICT", date(2006, 11, 14))
    )
    dialog = NewAssessmentDialog(service, releases, existing=created)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Assessment Details"
    assert not dialog.standard_combo.isEnabled() and not dialog.release_combo.isEnabled()
    assert dialog.standard_combo.currentData() == "ICT"
    assert dialog.start_edit.date().toPython() == date(2006, 11, 14)
    _type(qtbot, dialog.state_combo, "Agreed")
    dialog.facilitator_edit.selectAll()
    _type(qtbot, dialog.facilitator_edit, "Sam Improvement Officer")
    _press(qtbot, dialog.facilitator_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    again = service.get_assessment(created.id)
    assert again.state is AssessmentState.AGREED and again.facilitator == "Sam Improvement Officer"
    assert again.standard_code == "ICT" and again.participants == "Heads of ICT"


# -- duplicating into a new round -----------------------------------------------------------------


def test_duplicating_carries_evidence_and_actions_and_asks_to_confirm(
    qtbot: QtBot, service: WorkbookService, havering: AuthorityRecord
) -> None:
    source = service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006)))
    refs = [c.ref for c in service.standard(RELEASE, "ICT").criteria()]
    service.set_judgement(source.id, refs[0], Judgement.MET)
    service.set_notes(source.id, refs[0], "ICT strategy agreed by Cabinet, March 2006")
    service.add_evidence(source.id, refs[0], EvidenceReference("ICT strategy 2006-09", "intranet/ict/strategy.pdf"))
    service.add_action(source.id, Action("Publish the ICT strategy", criterion_ref=refs[1], owner="Head of ICT"))

    dialog = DuplicateRoundDialog(service, service.get_assessment(source.id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.round_edit.text() == "2007/08"
    _press(qtbot, dialog.round_edit, Qt.Key.Key_Return)
    assert dialog.created is not None
    copy = service.open(dialog.created.id)
    assert copy.summary.round.label == "2007/08"
    answer = copy.answer(refs[0])
    assert answer.judgement is Judgement.MET and answer.to_confirm
    assert answer.notes == "ICT strategy agreed by Cabinet, March 2006"
    assert [e.reference.title for e in copy.evidence] == ["ICT strategy 2006-09"]
    assert [a.action.description for a in copy.actions] == ["Publish the ICT strategy"]


def test_duplicating_into_a_round_already_taken_is_refused(
    qtbot: QtBot, service: WorkbookService, havering: AuthorityRecord
) -> None:
    source = service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006)))
    dialog = DuplicateRoundDialog(service, source)
    qtbot.addWidget(dialog)
    dialog.round_edit.setText("2006/07")
    dialog.accept()
    assert dialog.created is None and "already" in dialog.problem_label.text()
    dialog.round_edit.setText("2007")
    dialog.accept()
    assert "not a round" in dialog.problem_label.text()
    assert len(service.list_assessments()) == 1


# -- preferences ----------------------------------------------------------------------------------


def test_the_author_name_is_kept_and_used(qtbot: QtBot, service: WorkbookService, havering: AuthorityRecord) -> None:
    dialog = PreferencesDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.author_edit, "  Jo   Bloggs ")
    _press(qtbot, dialog.author_edit, Qt.Key.Key_Return)
    assert service.author == "Jo Bloggs"
    assert preferences.author_name(service.store) == "Jo Bloggs"
    created = service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006)))
    ref = next(service.standard(RELEASE, "ICT").criteria()).ref
    _before, after = service.set_judgement(created.id, ref, Judgement.MET)
    assert after.changed_by == "Jo Bloggs"


# -- the shortcuts overlay ------------------------------------------------------------------------


def test_the_overlay_lists_every_menu_shortcut(qtbot: QtBot, data_dir: Path) -> None:
    window = MainWindow(feedback=RecordingFeedback())
    qtbot.addWidget(window)
    assert attach_store(window, str(data_dir)) == 0
    overlay = window.show_shortcuts()
    assert isinstance(overlay, ShortcutsOverlay)
    shown = dict((what, keys) for keys, what in overlay.entries())
    for what, keys in {
        "New Assessment": "Ctrl+N",
        "Open Assessment": "Ctrl+O",
        "Close Assessment": "Ctrl+W",
        "Quit": "Ctrl+Q",
        "Presentation View": "F5",
        "Keyboard Shortcuts": "F1",
        "Open the File menu": "Alt+F",
        "Open the Assessment menu": "Alt+A",
    }.items():
        assert shown[what] == keys, what
    assert len(overlay.entries()) == len(window.window_actions()) + len(menu_shortcuts(window.menuBar()))
    assert "Ctrl+N" in overlay.text.toPlainText()
    overlay.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is overlay)
    _press(qtbot, overlay.text, Qt.Key.Key_F1)  # through the shortcut, as a user presses it
    assert not overlay.isVisible()


def test_every_command_has_a_shortcut_and_no_two_share_one(qtbot: QtBot, data_dir: Path) -> None:
    window = MainWindow(feedback=RecordingFeedback())
    qtbot.addWidget(window)
    keys: list[str] = []
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text()
    for action in window.window_actions():
        assert "&" in action.text(), action.text()
        if action is window.about_action or action is window.about_qt_action:
            continue  # opened from the Help menu by its mnemonic
        assert not action.shortcut().isEmpty(), action.text()
        keys.extend(s.toString() for s in action.shortcuts())
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    QApplication.processEvents()
