"""``make screenshots``: render the main screens offscreen into docs/ (never edited by hand).

A small, realistic workshop is made in a temporary store first: Havering's ICT assessment
for 2006/07 part-way through, with notes, evidence references and actions, beside a few
other assessments so the list has something to filter.  Everything is drawn at 1366x768.
For the merge dialog a copy travels to a service head's computer and comes back changed;
the release migration dialog previews moving the workshop to nesds-2007.1 (not applied).
The legacy import wizard reads a few generated council returns and one whose headings
no vocabulary names, whose header row and columns are then given on the Sheets tab.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QWidget

from nesds_desktop.app import attach_store
from nesds_desktop.domain.assessments import (
    Action,
    ActionPriority,
    ActionState,
    AssessmentState,
    EvidenceReference,
    Round,
)
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.exchange_service import ExchangeService
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store
from nesds_desktop.ui.dialogs.legacy_import_wizard import LegacyImportWizard
from nesds_desktop.ui.dialogs.merge_dialog import MergeDialog
from nesds_desktop.ui.dialogs.release_migration_dialog import ReleaseMigrationDialog
from nesds_desktop.ui.feedback import ConsoleFeedback
from nesds_desktop.ui.main_window import MainWindow

SIZE = (1366, 768)  # the commonest laptop and projector resolution in councils


def _find(window: MainWindow, text_start: str) -> QModelIndex:
    proxy = window.browser.proxy
    matches = proxy.match(proxy.index(0, 0), 0, text_start, 1, _match_flags())
    if not matches:
        raise LookupError(text_start)
    return matches[0]


def _match_flags() -> Qt.MatchFlag:
    return Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path}")


RELEASE = "nesds-2006.1"
CURRENT_REF = "ICT-2-P2"  # the criterion the workshop is on in the pictures

# Havering's ICT workshop, part-way: sections 1 and 2 discussed, section 3 begun.
_JUDGEMENTS = {
    "ICT-1-M1": Judgement.MET,
    "ICT-1-M2": Judgement.MET,
    "ICT-1-M3": Judgement.MET,
    "ICT-1-P1": Judgement.MET,
    "ICT-1-P2": Judgement.PARTLY_MET,
    "ICT-1-P3": Judgement.NOT_MET,
    "ICT-1-E1": Judgement.NOT_MET,
    "ICT-1-E2": Judgement.NOT_APPLICABLE,
    "ICT-2-M1": Judgement.MET,
    "ICT-2-M2": Judgement.MET,
    "ICT-2-M3": Judgement.MET,
    "ICT-2-P1": Judgement.MET,
    "ICT-3-M1": Judgement.MET,
    "ICT-3-M2": Judgement.PARTLY_MET,
}
_NOTES = {
    "ICT-1-M1": "ICT strategy 2006-09 adopted by Cabinet on 15 March 2006; refreshed each year by the ICT board.",
    "ICT-1-P2": "PRINCE2 used on the larger projects only; the smaller ones have no project board.",
    "ICT-1-P3": "No post-implementation reviews since the CRM went live in 2005.",
    "ICT-2-M2": "Nightly backups to tape; tapes go to the Romford depot safe. Test restore logged each quarter.",
    "ICT-2-P2": "Desktop replacement funded to 2008 in the capital programme; servers and network equipment "
    "are replaced when they fail. Head of ICT to bring the asset register to the next meeting.",
    "ICT-3-M2": "FOI officer named; subject access requests are logged, but not all within 40 days.",
}
_EVIDENCE = {
    "ICT-1-M1": [EvidenceReference("ICT strategy 2006-09", "intranet: /ict/strategy-2006-09.pdf")],
    "ICT-2-M2": [EvidenceReference("Backup and restore log, Q2 2006/07", "ICT service desk, Town Hall")],
    "ICT-2-P2": [
        EvidenceReference("Capital programme 2006/07 to 2008/09, ICT lines", "Cabinet report, 21 February 2006"),
        EvidenceReference("ICT asset register", "ICT infrastructure team, shared drive I:/assets"),
    ],
}
_ACTIONS = [
    Action(
        "Carry out post-implementation reviews of the CRM and the revenues system",
        criterion_ref="ICT-1-P3",
        owner="ICT Programme Manager",
        due=date(2007, 3, 31),
        priority=ActionPriority.HIGH,
        saving_cashable=Decimal("0"),
        saving_non_cashable=Decimal("8500.00"),
    ),
    Action(
        "Extend the replacement programme to servers and network equipment",
        criterion_ref="ICT-2-P2",
        owner="Head of ICT",
        due=date(2007, 6, 30),
        priority=ActionPriority.MEDIUM,
        state=ActionState.IN_PROGRESS,
        saving_cashable=Decimal("24000.00"),
        saving_non_cashable=Decimal("6000.00"),
    ),
    Action(
        "Log and chase every subject access request against the 40-day limit",
        criterion_ref="ICT-3-M2",
        owner="Information Governance Officer",
        due=date(2007, 1, 31),
        priority=ActionPriority.HIGH,
        saving_non_cashable=Decimal("2500.00"),
    ),
    Action(
        "Run every ICT project over £50,000 with a PRINCE2 project board",
        criterion_ref="ICT-1-P2",
        owner="ICT Programme Manager",
        due=date(2007, 9, 30),
        priority=ActionPriority.LOW,
        saving_cashable=Decimal("15000.00"),
    ),
]


def make_workshop(service: WorkbookService) -> int:
    """Authorities and assessments for the pictures; returns the id of the one being scored."""
    havering = service.add_authority(
        Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")
    )
    essex = service.add_authority(
        Authority("Essex County Council", AuthorityType.COUNTY, Region.EAST_OF_ENGLAND, "E10000012")
    )
    barking = service.add_authority(
        Authority("London Borough of Barking and Dagenham", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000002")
    )
    earlier = service.create_assessment(
        AssessmentDetails(havering.id, RELEASE, "ICT", Round(2005), "Pat Morgan", state=AssessmentState.SUBMITTED)
    )
    for ref, judgement in list(_JUDGEMENTS.items())[:9]:
        service.set_judgement(earlier.id, ref, judgement)
    service.create_assessment(
        AssessmentDetails(essex.id, RELEASE, "ICT", Round(2006), "Chris Lee", state=AssessmentState.AGREED)
    )
    service.create_assessment(AssessmentDetails(barking.id, RELEASE, "CS", Round(2006), "Pat Morgan"))
    workshop = service.create_assessment(
        AssessmentDetails(
            havering.id,
            RELEASE,
            "ICT",
            Round(2006),
            facilitator="Pat Morgan, Improvement Officer",
            participants="Head of ICT, ICT Programme Manager, Head of Customer Services, Information Governance",
            workshop_start=date(2006, 11, 14),
        )
    )
    for ref, judgement in _JUDGEMENTS.items():
        service.set_judgement(workshop.id, ref, judgement)
    for ref, notes in _NOTES.items():
        service.set_notes(workshop.id, ref, notes)
    for ref, references in _EVIDENCE.items():
        for reference in references:
            service.add_evidence(workshop.id, ref, reference)
    for action in _ACTIONS:
        service.add_action(workshop.id, action)
    return workshop.id


def copy_sent_back(window: MainWindow, workshop_id: int, folder: Path) -> Path:
    """The workshop sent to the Head of ICT, edited there, and sent back; one edit clashes with ours."""
    assert window.service is not None and window.exchange is not None
    sent, returned = folder / "havering-ict-2006-07.nesds", folder / "havering-ict-2006-07 (Head of ICT).nesds"
    window.exchange.export([workshop_id], sent)
    store = open_store(folder / "head-of-ict")
    try:
        catalogue_service.load_bundled_releases(store)
        theirs = WorkbookService(store, "Sam Okafor, Head of ICT")
        exchange = ExchangeService.for_workbook(theirs)
        copy_id = exchange.apply(exchange.preview(sent)).assessment_ids[0]
        theirs.set_judgement(copy_id, "ICT-2-P2", Judgement.PARTLY_MET)
        theirs.set_notes(
            copy_id,
            "ICT-2-P2",
            "Desktops are replaced every four years from the capital programme; servers from 2007/08. "
            "The asset register is attached to the ICT board minutes of 9 January 2007.",
        )
        theirs.set_judgement(copy_id, "ICT-3-M3", Judgement.MET)
        theirs.set_notes(copy_id, "ICT-3-M3", "Leavers' accounts are closed on the day HR tells ICT.")
        theirs.add_evidence(copy_id, "ICT-3-M3", EvidenceReference("Leavers procedure", "intranet: /ict/leavers"))
        exchange.export([copy_id], returned)
    finally:
        store.close()
    # Meanwhile the workshop settled the same criterion differently.
    window.service.set_judgement(workshop_id, "ICT-2-P2", Judgement.NOT_MET)
    return returned


def legacy_import(window: MainWindow, folder: Path, out_dir: Path) -> None:
    """The import wizard on a folder of council returns; the Sheets tab fixing one the reader could not."""
    from openpyxl import Workbook

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from legacy_corpus.generator import generate_corpus

    folder.mkdir()
    for generated in generate_corpus(2006, 4):
        (folder / generated.file_name).write_bytes(generated.data)
    book = Workbook()
    sheet = book.active
    assert sheet is not None and window.service is not None
    sheet.title = "Housing"
    sheet.append(["Westmoor District Council", "", "", ""])
    sheet.append(["Housing e-standard: where we stand, 2006/07", "", "", ""])
    sheet.append([])
    sheet.append(["Q", "What we must do", "Where we are", "Said at the workshop"])
    criteria = window.service.release(RELEASE).standard("HSG").sections[0].criteria
    for number, (criterion, said) in enumerate(zip(criteria, ["Yes", "Partly", "No", "Yes", "Yes"], strict=False), 1):
        sheet.append([f"HSG 1.{number}", criterion.statement, said, "Agreed at the December workshop"])
    book.save(folder / "Westmoor housing 2006-07.xlsx")

    wizard = LegacyImportWizard(window.service, window.feedback, window, folder)
    wizard.resize(1366, 720)
    wizard.show()
    wizard.files_page.add_paths([folder])
    wizard.next()
    page = wizard.review_page
    page.files.setCurrentRow(0)
    _save(wizard, out_dir / "legacy-import-rows.png")
    odd = [p.path.name for p in wizard.previews].index("Westmoor housing 2006-07.xlsx")
    page.files.setCurrentRow(odd)
    page.tabs.setCurrentWidget(page.sheets)
    page.sheets.header_row.setValue(4)
    for position, field_name in enumerate(["ref", "statement", "judgement", "notes"]):
        combo = page.sheets.column_combo(position)
        combo.setCurrentIndex(combo.findData(field_name))
    _save(wizard, out_dir / "legacy-import-sheets.png")
    page.sheets.read_button.click()
    page.tabs.setCurrentIndex(0)
    _save(wizard, out_dir / "legacy-import-read-again.png")
    wizard.reject()


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(feedback=ConsoleFeedback())
    window.resize(*SIZE)
    window.show()
    with tempfile.TemporaryDirectory() as data:
        if attach_store(window, data) != 0 or window.service is None:
            return 1
        window.data_dir = Path("~/.local/share/NeSDS Workbook")  # show the usual folder, not the temporary one
        criterion = _find(window, "ICT-3-P2")
        window.browser.tree.expand(criterion.parent().parent())
        window.browser.tree.expand(criterion.parent())
        window.browser.tree.setCurrentIndex(criterion)
        window.browser.tree.scrollTo(criterion)
        window._on_release_changed("")  # refresh the status text with the folder shown above
        _save(window, out_dir / "main-window.png")
        about = window.show_about()
        about.resize(640, 560)
        _save(about, out_dir / "about.png")
        about.close()

        window.service.author = "Pat Morgan"  # the name stamped on the edits shown
        workshop_id = make_workshop(window.service)
        window.show_assessment_list()
        window.assessment_list.refresh()
        window.assessment_list.select(workshop_id)
        _save(window, out_dir / "assessment-list.png")

        dialog = window.new_assessment()
        if dialog is None:
            return 1
        dialog.authority_combo.setCurrentIndex(dialog.authority_combo.findText("Essex County Council"))
        dialog.standard_combo.setCurrentIndex(dialog.standard_combo.findData("CS"))
        dialog.round_edit.setText("2006/07")
        dialog.participants_edit.setText("Head of Customer Services, Contact Centre Manager, Head of Revenues")
        dialog.start_edit.setDate(QDate(2006, 12, 5))
        dialog.end_edit.setDate(QDate(2006, 12, 5))
        _save(dialog, out_dir / "new-assessment.png")
        dialog.reject()

        view = window.open_assessment(workshop_id)
        if view is None:
            return 1
        view.select_criterion(CURRENT_REF)
        _save(window, out_dir / "workbook.png")
        view.show_actions()
        _save(window, out_dir / "action-register.png")
        view.show_criteria()

        presentation = window.toggle_presentation()
        presentation.resize(*SIZE)
        _save(presentation, out_dir / "presentation.png")
        presentation.close()

        assert window.exchange is not None
        returned = copy_sent_back(window, workshop_id, Path(data))
        merge = MergeDialog.for_file(window.exchange, returned, window.feedback, window)
        if merge is None:
            return 1
        merge.show()
        merge.conflict_list.setCurrentRow(0)
        _save(merge, out_dir / "merge-dialog.png")
        merge.reject()

        migration_service = window.migration_service()
        newer = window.newer_releases(workshop_id)
        if migration_service is None or not newer:
            return 1
        migration = ReleaseMigrationDialog(migration_service, workshop_id, newer, window.feedback, window)
        migration.show()
        _save(migration, out_dir / "release-migration.png")
        migration.reject()

        legacy_import(window, Path(data) / "legacy", out_dir)
        window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")))
