"""The legacy returns import wizard, driven with qtbot over a real store and real spreadsheet files."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from nesds_desktop.app import attach_store
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.legacy_import_service import FileStatus, remembered_vocabulary
from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService
from nesds_desktop.storage.store import Store, open_store
from nesds_desktop.ui.dialogs.legacy_import_wizard import LegacyImportWizard
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "legacy"))
from legacy_files import ict_return_rows, release, write_ods, write_xls, write_xlsx  # type: ignore[import-not-found, unused-ignore]

ICT_CRITERIA = release().standard("ICT").sections[0].criteria
# Per file: the title (naming authority and round) and the answers written, in the councils' words.
FILES = {
    "anytown.xls": ("Anytown Borough Council - ICT self-assessment 2006/07", ["Yes", "No", "Partly", "N/A"]),
    "brook.xlsx": ("Brookfield District Council - ICT self-assessment 2006/07", ["No", "Yes", "Yes", "banana"]),
    "carlow.ods": ("Carlow County Council - ICT self-assessment 2007/08", ["Partly", "Partly", "No", "Yes"]),
}
EXPECTED = {"yes": Judgement.MET, "no": Judgement.NOT_MET, "partly": Judgement.PARTLY_MET,
            "n/a": Judgement.NOT_APPLICABLE}


@pytest.fixture
def service(store: Store) -> Iterator[WorkbookService]:
    catalogue_service.load_bundled_releases(store)
    yield WorkbookService(store, "Import tester")


def mixed_folder(folder: Path) -> Path:
    folder.mkdir()
    for name, (title, answers) in FILES.items():
        sheets = {"ICT": ict_return_rows(answers, title=title)}
        suffix = Path(name).suffix
        if suffix == ".xls":
            write_xls(folder / name, sheets)
        elif suffix == ".xlsx":
            write_xlsx(folder / name, sheets)
        else:
            write_ods(folder / name, sheets)
    (folder / "minutes.xlsx").write_text("Minutes of the meeting, not a spreadsheet at all.\n")
    return folder


def open_wizard(qtbot: QtBot, service: WorkbookService, feedback: RecordingFeedback) -> LegacyImportWizard:
    wizard = LegacyImportWizard(service, feedback)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def choose_and_read(wizard: LegacyImportWizard, folder: Path) -> None:
    """Page 1 by its buttons: the folder is chosen through Feedback, then Next reads every file."""
    wizard.feedback.answers.append(folder)  # type: ignore[attr-defined]
    wizard.files_page.choose_folder()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentPage() is wizard.review_page


def fresh_judgements(data_dir: Path, authority: str) -> dict[str, Judgement]:
    """What the store holds for ``authority``, read through a newly opened store and service."""
    store = open_store(data_dir)
    try:
        service = WorkbookService(store, "Checker")
        (record,) = [a for a in service.list_authorities() if a.name == authority]
        (summary,) = service.list_assessments(AssessmentFilter(authority_id=record.id))
        snapshot = service.open(summary.id)
        return {c.ref: service.answer(snapshot.summary.id, c.ref).judgement for c in ICT_CRITERIA[:4]}
    finally:
        store.close()


def test_a_mixed_folder_is_imported_and_the_bad_file_reported(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path, data_dir: Path
) -> None:
    feedback = RecordingFeedback()
    wizard = open_wizard(qtbot, service, feedback)
    choose_and_read(wizard, mixed_folder(tmp_path / "returns"))

    by_name = {p.path.name: p for p in wizard.previews}
    assert set(by_name) == {*FILES, "minutes.xlsx"}
    bad = by_name["minutes.xlsx"]
    assert bad.failed and bad.message
    page = wizard.review_page
    bad_row = [p.path.name for p in wizard.previews].index("minutes.xlsx")
    page.files.setCurrentRow(bad_row)
    bad_item = page.files.item(bad_row)
    assert bad_item is not None and "✖" in bad_item.text() and bad.message in page.message.text()
    assert not page.authority.isEnabled()
    good_row = [p.path.name for p in wizard.previews].index("anytown.xls")
    page.files.setCurrentRow(good_row)
    assert page.authority.text() == "Anytown Borough Council" and page.round.text() == "2006/07"
    assert page.rows.rowCount() == 4 and "ICT" in page.detected.toPlainText()
    criterion_cell = page.rows.item(0, 4)
    assert criterion_cell is not None and criterion_cell.text() == ICT_CRITERIA[0].ref
    assert service.list_assessments() == []  # reading wrote nothing

    wizard.next()
    assert wizard.currentPage() is wizard.confirm_page
    assert "minutes.xlsx: not imported" in wizard.confirm_page.text.toPlainText()
    wizard.next()  # Import
    assert wizard.currentPage() is wizard.summary_page
    summary = wizard.summary_page.text.toPlainText()
    assert "✖ minutes.xlsx" in summary and "✔ anytown.xls" in summary and not wizard.cancelled

    for name, (title, answers) in FILES.items():
        authority = title.split(" - ")[0]
        found = fresh_judgements(data_dir, authority)
        for criterion, answer in zip(ICT_CRITERIA, answers, strict=False):
            if answer.lower() in EXPECTED:
                assert found[criterion.ref] is EXPECTED[answer.lower()], (name, criterion.ref)
    assert fresh_judgements(data_dir, "Brookfield District Council")[ICT_CRITERIA[3].ref] is Judgement.NOT_YET_ASSESSED

    report = tmp_path / "report"
    feedback.answers.extend([report, None])
    wizard.summary_page.save_button.click()
    saved = load_workbook(tmp_path / "report.xlsx")
    files = {row[0].split("/")[-1]: row[1] for row in saved["Files"].iter_rows(min_row=2, values_only=True)}
    assert files == {"anytown.xls": "ready", "brook.xlsx": "ready", "carlow.ods": "ready",
                     "minutes.xlsx": bad.status.value}
    outcomes = [row[10] for row in saved["Rows"].iter_rows(min_row=2, values_only=True)]
    assert outcomes.count("imported") == 11 and any(o.startswith("left:") for o in outcomes)


def test_cancelling_before_the_confirm_step_writes_nothing(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    wizard = open_wizard(qtbot, service, RecordingFeedback())
    choose_and_read(wizard, mixed_folder(tmp_path / "returns"))
    wizard.review_page.word_combo("banana").setCurrentIndex(
        wizard.review_page.word_combo("banana").findData(Judgement.MET)
    )
    wizard.next()
    assert wizard.currentPage() is wizard.confirm_page
    wizard.reject()
    assert service.list_authorities() == [] and service.list_assessments() == []
    assert remembered_vocabulary(service) == {}


def test_an_unknown_word_mapped_in_the_wizard_is_remembered_for_the_next_file(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    write_xlsx(first / "brook.xlsx", {"ICT": ict_return_rows(["Yes", "banana", "No"])})
    wizard = open_wizard(qtbot, service, RecordingFeedback())
    choose_and_read(wizard, first)
    (preview,) = wizard.previews
    assert preview.matches[1].judgement is None
    combo = wizard.review_page.word_combo("banana")
    combo.setCurrentIndex(combo.findData(Judgement.PARTLY_MET))
    qtbot.mouseClick(wizard.review_page.reread, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    (preview,) = wizard.previews
    assert preview.matches[1].judgement is Judgement.PARTLY_MET  # the meaning applies at once
    wizard.next()
    wizard.next()
    assert remembered_vocabulary(service) == {"banana": Judgement.PARTLY_MET}

    second = tmp_path / "second"
    second.mkdir()
    write_ods(second / "later.ods", {"ICT": ict_return_rows(["BANANA", "Yes"],
                                                             title="Dale District Council - ICT return 2007/08")})
    later = open_wizard(qtbot, service, RecordingFeedback())
    choose_and_read(later, second)
    (preview,) = later.previews
    assert preview.status is FileStatus.READY
    assert preview.matches[0].judgement is Judgement.PARTLY_MET
    assert later.review_page.words.rowCount() == 0  # nothing left not understood


def test_a_flagged_row_ticked_is_imported_and_cancel_stops_between_files(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    write_xlsx(folder / "a.xlsx", {"ICT": ict_return_rows(["Yes", "Largely"])})
    write_xlsx(folder / "b.xlsx", {"ICT": ict_return_rows(
        ["No"], title="Brookfield District Council - ICT self-assessment 2006/07")})
    wizard = open_wizard(qtbot, service, RecordingFeedback())
    choose_and_read(wizard, folder)
    page = wizard.review_page
    page.files.setCurrentRow(0)
    tick = page.rows.item(1, 0)
    assert tick is not None
    assert tick.text() == "Review" and tick.checkState() == Qt.CheckState.Unchecked
    tick.setCheckState(Qt.CheckState.Checked)
    wizard.next()

    def cancel_after_first(_path: Path) -> None:
        assert wizard.progress is not None
        wizard.progress.cancel()

    wizard.file_imported.connect(cancel_after_first)
    wizard.next()
    assert wizard.cancelled and [p.name for p in wizard.applied] == ["a.xlsx"]
    assert "cancelled" in wizard.summary_page.text.toPlainText()
    (summary,) = service.list_assessments()
    assert service.answer(summary.id, ICT_CRITERIA[1].ref).judgement is not Judgement.NOT_YET_ASSESSED
    assert [a.name for a in service.list_authorities()] == ["Anytown Borough Council"]


def test_the_main_window_opens_the_wizard_from_file_import(qtbot: QtBot, data_dir: Path) -> None:
    window = MainWindow(feedback=RecordingFeedback())
    qtbot.addWidget(window)
    window.show()
    assert attach_store(window, str(data_dir)) == 0
    assert window.import_legacy_action.shortcut().toString() == "Ctrl+Shift+L"
    assert window.import_legacy_action.isEnabled()
    window.import_legacy_action.trigger()
    wizard = window.findChild(LegacyImportWizard)
    assert isinstance(wizard, LegacyImportWizard) and wizard.isVisible()
    wizard.reject()


def odd_headings_return(path: Path) -> Path:
    """An ICT return whose headings no council vocabulary names, so its header row is not found."""
    rows = ict_return_rows(["Yes", "No", "Partly"], title="Dale District Council - ICT self-assessment 2006/07")
    rows[3] = ["Q", "What we must do", "Where we are", "Said at the workshop"]
    return write_xls(path, {"ICT": rows})


def test_a_header_and_columns_the_reader_missed_are_given_in_the_wizard_and_imported(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    odd_headings_return(folder / "dale.xls")
    feedback = RecordingFeedback()
    wizard = open_wizard(qtbot, service, feedback)
    choose_and_read(wizard, folder)
    page, editor = wizard.review_page, wizard.review_page.sheets
    (preview,) = wizard.previews
    assert preview.status is FileStatus.FAILED and "no recognisable header row" in page.message.text()
    page.tabs.setCurrentWidget(editor)
    assert editor.isEnabled() and editor.sheet.currentText() == "ICT — no header row found"
    top_item = editor.top.item(3, 2)
    assert top_item is not None and top_item.text() == "Where we are"  # the first rows are shown

    # Double-click the header row in the first rows, then say what each column holds.
    editor.top.cellDoubleClicked.emit(3, 0)
    assert editor.header_row.value() == 4
    heading = editor.columns.item(2, 1)
    assert heading is not None and heading.text() == "Where we are"
    for position, field_name in enumerate(["ref", "statement", "judgement", "notes"]):
        combo = editor.column_combo(position)
        combo.setCurrentIndex(combo.findData(field_name))
    assert "press Read this file again" in editor.state.text()
    assert wizard.choices[preview.path].sheets["ICT"].columns == {
        "ref": (0,), "statement": (1,), "judgement": (2,), "notes": (3,)}
    assert service.list_assessments() == []

    qtbot.mouseClick(editor.read_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    (preview,) = wizard.previews
    assert preview.status is FileStatus.READY and len(preview.ready_rows) == 3
    assert page.rows.rowCount() == 3 and editor.state.text() == ""
    assert page.authority.text() == "Dale District Council" and "header on row 4" in page.detected.toPlainText()
    assert service.list_assessments() == []  # reading again wrote nothing

    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    found = fresh_judgements(data_dir, "Dale District Council")
    assert [found[c.ref] for c in ICT_CRITERIA[:3]] == [Judgement.MET, Judgement.NOT_MET, Judgement.PARTLY_MET]


def test_a_chosen_standard_and_a_sheet_left_out_are_read_again_before_going_on(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    folder = tmp_path / "two-sheets"
    folder.mkdir()
    bare: list[list[object]] = [["Ref", "Met?"], ["2.1", "Yes"], ["2.2", "No"]]
    write_xlsx(folder / "Anytown 2006-07.xlsx", {"Sheet1": bare, "Old copy": ict_return_rows(["No"])})
    feedback = RecordingFeedback()
    wizard = open_wizard(qtbot, service, feedback)
    choose_and_read(wizard, folder)
    page, editor = wizard.review_page, wizard.review_page.sheets
    (preview,) = wizard.previews
    assert [m.criterion_ref for m in preview.matches][:2] == [None, None]  # "2.1" alone names no standard
    assert editor.sheet.count() == 2 and editor.standard.currentText() == "As found (none found)"

    editor.standard.setCurrentIndex(editor.standard.findData("BEN"))
    editor.sheet.setCurrentIndex(1)
    editor.skip.setChecked(True)
    assert editor.sheet.itemText(1) == "Old copy — left out"
    # Next does not go on with a reading the person asked to change: it reads again and stays.
    wizard.next()
    assert wizard.currentPage() is page
    assert feedback.messages[-1][0] == "information" and "read again" in feedback.messages[-1][2]
    (preview,) = wizard.previews
    benefits = release().standard("BEN").sections[1].criteria
    assert [(m.row.sheet, m.criterion_ref) for m in preview.matches] == [
        ("Sheet1", benefits[0].ref), ("Sheet1", benefits[1].ref)]
    assert "standard BEN (as you chose; found none)" in page.detected.toPlainText()
    assert "left out, as chosen" in page.detected.toPlainText()

    editor.sheet.setCurrentIndex(0)
    editor.reset_button.click()  # back to what was detected: pending again until read
    assert editor.standard.currentIndex() == 0 and "press Read this file again" in editor.state.text()
    wizard.next()
    assert wizard.currentPage() is page
    (preview,) = wizard.previews
    assert preview.matches[0].criterion_ref is None


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" in a label's text, lower case; None when there is none."""
    cleaned = text.replace("&&", "")
    position = cleaned.find("&")
    return cleaned[position + 1].lower() if 0 <= position < len(cleaned) - 1 else None


def test_every_control_of_the_review_page_has_its_own_access_key(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    folder = tmp_path / "one"
    folder.mkdir()
    write_xlsx(folder / "a.xlsx", {"ICT": ict_return_rows(["Yes", "banana"])})
    wizard = open_wizard(qtbot, service, RecordingFeedback())
    choose_and_read(wizard, folder)
    page = wizard.review_page
    texts = [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
    texts += [button.text() for button in page.findChildren(QAbstractButton)]
    texts += [page.tabs.tabText(i) for i in range(page.tabs.count())]
    texts += [wizard.buttonText(b) for b in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton)]
    keys = [key for text in texts if (key := mnemonic(text)) is not None]
    assert len(keys) >= 17
    assert sorted(keys) == sorted(set(keys)), "; ".join(texts)
    # Each labelled field is reachable: its label names it by a key.
    assert {label.buddy() for label in page.findChildren(QLabel) if label.buddy() is not None} >= {
        page.authority, page.round, page.files, page.sheets.sheet, page.sheets.standard, page.sheets.header_row,
        page.sheets.columns, page.sheets.top}


def test_a_round_changed_to_one_with_other_standards_is_read_again_before_importing(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    write_xlsx(folder / "a.xlsx", {"ICT": ict_return_rows(["Yes", "No"])})  # says 2006/07: ICT of nesds-2007.1
    feedback = RecordingFeedback()
    wizard = open_wizard(qtbot, service, feedback)
    choose_and_read(wizard, folder)
    page = wizard.review_page
    (preview,) = wizard.previews
    assert preview.release_of["ICT"] == "nesds-2007.1"
    page.round.setFocus()
    page.round.selectAll()
    qtbot.keyClicks(page.round, "2005/06")  # type: ignore[no-untyped-call]
    wizard.next()
    assert wizard.currentPage() is page and "round you gave" in feedback.messages[-1][2]
    (preview,) = wizard.previews
    assert (preview.read_for_round, preview.release_of["ICT"]) == ("2005/06", "nesds-2006.1")
    wizard.next()
    wizard.next()
    (summary,) = service.list_assessments()
    assert (summary.release_id, summary.round.label) == ("nesds-2006.1", "2005/06")


def test_the_authority_field_offers_the_registered_authorities(
    qtbot: QtBot, service: WorkbookService, tmp_path: Path
) -> None:
    from nesds_desktop.domain.authorities import Authority, AuthorityType, Region

    service.add_authority(Authority("Fife Council", AuthorityType.SCOTTISH_UNITARY, Region.SCOTLAND))
    folder = tmp_path / "one"
    folder.mkdir()
    write_xlsx(folder / "a.xlsx", {"ICT": ict_return_rows(["Yes"])})
    wizard = open_wizard(qtbot, service, RecordingFeedback())
    choose_and_read(wizard, folder)
    completer = wizard.review_page.authority.completer()
    assert completer is not None
    completer.setCompletionPrefix("fif")
    assert completer.currentCompletion() == "Fife Council"
