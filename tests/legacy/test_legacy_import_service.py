"""The legacy import service: safety checks, bounded parsing, preview, apply, report, remembered words."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from legacy_files import Rows, ict_return_rows, release, write_ods, write_xls, write_xlsx
from openpyxl import load_workbook
from sqlmodel import select

from nesds_desktop.catalogue.workbook_safety import MEBIBYTE, SafetyLimits
from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.legacy_import_service import (
    FileStatus,
    LegacyImportError,
    RowKey,
    apply_legacy_import,
    expand_paths,
    preview_legacy_imports,
    remember_vocabulary,
    remembered_vocabulary,
    write_import_report,
)
from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService
from nesds_desktop.storage.store import Store
from nesds_desktop.storage.tables import ChangeRow


@pytest.fixture
def service(store: Store) -> Iterator[WorkbookService]:
    catalogue_service.load_bundled_releases(store)
    yield WorkbookService(store, "Import tester")


ANSWERS = ["Yes", "No", "Partly", "Largely", "N/A", "banana"]


def ict_return(path: Path) -> Path:
    return write_xlsx(path, {"ICT": ict_return_rows(ANSWERS)}, merge=[("ICT", "A1:D1")])


def test_preview_writes_nothing_and_apply_records_only_unflagged_rows(tmp_path: Path, service: WorkbookService) -> None:
    (preview,) = preview_legacy_imports(service, [ict_return(tmp_path / "ict.xlsx")])
    assert preview.status is FileStatus.READY
    assert len(preview.ready_rows) == 4 and len(preview.review_rows) == 2
    assert service.list_authorities() == [] and service.list_assessments() == []

    applied = apply_legacy_import(service, preview)
    assert (applied.authority, applied.round_label, applied.imported) == ("Anytown Borough Council", "2006/07", 4)
    assert {left.row for left in applied.left} == {8, 10}  # Largely (ambiguous) and banana (unknown)
    (summary,) = service.list_assessments()
    assert (summary.standard_code, summary.round) == ("ICT", Round(2006))
    criteria = release().standard("ICT").sections[0].criteria
    snapshot = service.open(summary.id)
    assert [snapshot.answer(c.ref).judgement for c in criteria[:6]] == [
        Judgement.MET, Judgement.NOT_MET, Judgement.PARTLY_MET, Judgement.NOT_YET_ASSESSED,
        Judgement.NOT_APPLICABLE, Judgement.NOT_YET_ASSESSED]
    assert snapshot.answer(criteria[0].ref).notes == "note 1"
    with service.store.session() as session:
        changes = session.exec(select(ChangeRow).where(ChangeRow.assessment_pk == summary.id)).all()
    assert len(changes) >= 8 and {c.author for c in changes} == {"Import tester"}  # every edit is logged


def test_confirmed_rows_are_imported_and_a_second_import_reuses_the_assessment(
    tmp_path: Path, service: WorkbookService
) -> None:
    path = ict_return(tmp_path / "ict.xlsx")  # the file says 2006/07: read against nesds-2007.1's ICT
    (as_written,) = preview_legacy_imports(service, [path])
    assert (as_written.read_for_round, as_written.release_of["ICT"]) == ("2006/07", "nesds-2007.1")
    with pytest.raises(LegacyImportError, match=r"matched against nesds-2007.1, but round 2005/06 is assessed "
                                                r"against nesds-2006.1; read the file again for round 2005/06"):
        apply_legacy_import(service, as_written, authority="Westshire County Council", round_label="2005/06")
    assert service.list_assessments() == []
    (preview,) = preview_legacy_imports(service, [path], round_label="2005/06")
    assert (preview.read_for_round, preview.release_of["ICT"]) == ("2005/06", "nesds-2006.1")
    largely = RowKey("ICT", 8)
    applied = apply_legacy_import(service, preview, confirmed=[largely], authority="Westshire County Council",
                                  round_label="2005/06")
    assert applied.imported == 5 and [left.row for left in applied.left] == [10]
    (summary,) = service.list_assessments(AssessmentFilter(round_label="2005/06"))
    assert summary.authority.name == "Westshire County Council"
    assert service.open(summary.id).answer(release().standard("ICT").sections[0].criteria[3].ref).judgement \
        is Judgement.PARTLY_MET
    apply_legacy_import(service, preview, authority="westshire county council", round_label="2005/06")
    assert len(service.list_assessments()) == 1 and len(service.list_authorities()) == 1


def test_a_file_without_authority_or_round_needs_them_given(tmp_path: Path, service: WorkbookService) -> None:
    rows: Rows = [["Ref", "Met?"], ["ICT-1-M1", "Yes"]]
    (preview,) = preview_legacy_imports(service, [write_xlsx(tmp_path / "plain.xlsx", {"Sheet1": rows})])
    with pytest.raises(LegacyImportError, match="which authority"):
        apply_legacy_import(service, preview)
    with pytest.raises(LegacyImportError, match="which round"):
        apply_legacy_import(service, preview, authority="Anytown Borough Council")
    assert service.list_assessments() == []


def test_a_user_mapping_is_remembered_and_used_for_the_next_file(tmp_path: Path, service: WorkbookService) -> None:
    path = ict_return(tmp_path / "ict.xlsx")
    (before,) = preview_legacy_imports(service, [path])
    assert before.matches[5].judgement is None
    remember_vocabulary(service, {"Banana": Judgement.NOT_MET, "largely": Judgement.MET})
    assert remembered_vocabulary(service) == {"banana": Judgement.NOT_MET, "largely": Judgement.MET}
    (after,) = preview_legacy_imports(service, [path])
    assert [(m.judgement, m.flags) for m in after.matches[3:6:2]] == [(Judgement.MET, ()), (Judgement.NOT_MET, ())]
    assert len(after.ready_rows) == 6


# -- bad input ------------------------------------------------------------------------------------------


def _bad(service: WorkbookService, path: Path, limits: SafetyLimits | None = None) -> str:
    previews = preview_legacy_imports(service, [path], limits=limits) if limits else preview_legacy_imports(
        service, [path])
    (preview,) = previews
    assert preview.failed and preview.message.startswith(str(path))
    assert "Traceback" not in preview.message
    return preview.message


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, service: WorkbookService) -> None:
    path = ict_return(tmp_path / "big.xlsx")
    assert "larger than the limit" in _bad(service, path, SafetyLimits(max_file_bytes=path.stat().st_size - 1))


def test_a_zip_bomb_is_refused(tmp_path: Path, service: WorkbookService) -> None:
    path = ict_return(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet9.xml", b"<row/>" * (4 * MEBIBYTE))
    assert "zip bomb" in _bad(service, path)


def test_an_encrypted_xls_is_refused(tmp_path: Path, service: WorkbookService) -> None:
    path = write_xls(tmp_path / "locked.xls", {"ICT": ict_return_rows(ANSWERS)})
    data = bytearray(path.read_bytes())
    bof = data.find(bytes.fromhex("0908100000060500"))
    struct.pack_into("<H", data, bof + 20, 0x002F)  # the record after BOF becomes FILEPASS
    path.write_bytes(bytes(data))
    assert "protected with a password" in _bad(service, path)


def test_an_encrypted_xlsx_is_refused(tmp_path: Path, service: WorkbookService) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]

    plain = ict_return(tmp_path / "plain.xlsx")
    encrypted = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        OOXMLFile(source).encrypt("Havering2006", target)
    assert "protected with a password" in _bad(service, encrypted)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("notes.xlsx", b"Ref,Met?\nICT-1-M1,Yes\n", "is not a spreadsheet"),
     ("web.xls", b"<html><table><tr><td>Ref</td></tr></table></html>", "web page"),
     ("empty.ods", b"", "is empty")],
)
def test_files_that_are_not_spreadsheets_are_refused(
    tmp_path: Path, service: WorkbookService, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _bad(service, path)


def test_a_macro_workbook_named_xlsx_is_read_and_its_macros_reported(tmp_path: Path, service: WorkbookService) -> None:
    path = ict_return(tmp_path / "macros.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    (preview,) = preview_legacy_imports(service, [path])
    assert preview.status is FileStatus.READY and preview.macros_present
    assert "macros" in preview.message and "not run" in preview.message
    assert preview.reading is not None and any("macros" in p for p in preview.reading.problems)


def test_a_file_that_takes_too_long_is_stopped_and_the_next_file_is_read(
    tmp_path: Path, service: WorkbookService
) -> None:
    criteria = [c for s in release().standards for c in s.criteria()]
    rows: Rows = [["Ref", "Criterion", "Met?", "Comments"]]
    rows += [[criteria[i % len(criteria)].ref, criteria[i % len(criteria)].statement, "Yes", "x" * 200]
             for i in range(60_000)]
    slow = write_xlsx(tmp_path / "a-huge.xlsx", {"All": rows})
    small = ict_return(tmp_path / "b-small.xlsx")
    slow_preview, small_preview = preview_legacy_imports(service, [slow, small], timeout=0.5)
    assert slow_preview.status is FileStatus.FAILED and "took longer than 0.5 seconds" in slow_preview.message
    assert small_preview.status is FileStatus.READY and len(small_preview.ready_rows) == 4


# -- folders, report, own returns --------------------------------------------------------------------------


def test_a_folder_expands_to_its_spreadsheets(tmp_path: Path) -> None:
    for name in ("b.xls", "a.xlsx", "c.ods", "d.xlsm", "e.xlsb"):
        (tmp_path / name).write_bytes(b"x")
    for name in ("notes.txt", "~$a.xlsx", ".hidden.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    other = tmp_path / "other.csv"
    assert [p.name for p in expand_paths([tmp_path, other])] == [
        "a.xlsx", "b.xls", "c.ods", "d.xlsm", "e.xlsb", "other.csv"]


def test_the_report_says_what_came_in_and_what_was_left(tmp_path: Path, service: WorkbookService) -> None:
    good = ict_return(tmp_path / "ict.xlsx")
    odd = write_ods(tmp_path / "ict.ods", {"ICT": ict_return_rows(ANSWERS)})
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    previews = preview_legacy_imports(service, [good, odd, bad])
    applied = {good: apply_legacy_import(service, previews[0])}
    report = write_import_report(tmp_path / "report.xlsx", previews, applied)
    workbook = load_workbook(report)
    files = [[c.value for c in row] for row in workbook["Files"].iter_rows(min_row=2)]
    assert [(f[0], f[1], f[5]) for f in files] == [(str(good), "ready", 4), (str(odd), "ready", 0),
                                                  (str(bad), "rejected", 0)]
    rows = [[c.value for c in row] for row in workbook["Rows"].iter_rows(min_row=2)]
    outcomes = [(r[0], r[2], r[10]) for r in rows if r[0] == "ict.xlsx"]
    assert outcomes[0] == ("ict.xlsx", 5, "imported")
    assert outcomes[5][2].startswith("left: the judgement was not understood")
    assert all(r[10] == "not imported (preview only)" for r in rows if r[0] == "ict.ods")


def test_a_return_exported_by_this_application_is_imported_exactly(tmp_path: Path, service: WorkbookService) -> None:
    from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
    from nesds_desktop.domain.records import AssessmentDetails
    from nesds_desktop.returns import layout
    from nesds_desktop.services.return_service import export_return

    authority = service.add_authority(Authority("Anytown Borough Council", AuthorityType.DISTRICT, Region.SOUTH_EAST))
    summary = service.create_assessment(
        AssessmentDetails(authority.id, release().release_id, "ICT", Round(2006)))
    path = tmp_path / "exported.xlsx"
    export_return(service, [summary.id], path)
    workbook = load_workbook(path)
    sheet = next(ws for ws in workbook.worksheets if ws.title not in layout.RESERVED_SHEETS)
    headings = [c.value for c in sheet[layout.HEADING_ROW]]
    sheet.cell(row=layout.FIRST_CRITERION_ROW, column=headings.index(layout.JUDGEMENT.heading) + 1).value = "Met"
    first_ref = sheet.cell(row=layout.FIRST_CRITERION_ROW, column=headings.index(layout.REFERENCE.heading) + 1).value
    workbook.save(path)

    (preview,) = preview_legacy_imports(service, [path])
    assert preview.status is FileStatus.OWN_RETURN and preview.own_return is not None
    applied = apply_legacy_import(service, preview)
    assert applied.imported == 1
    assert service.open(summary.id).answer(str(first_ref)).judgement is Judgement.MET
    assert len(service.list_assessments()) == 1


def test_a_blank_judgement_never_clears_one_already_recorded(tmp_path: Path, service: WorkbookService) -> None:
    first: Rows = [["Anytown Borough Council 2006/07", ""], ["Ref", "Met?"], ["ICT-1-M1", "Yes"]]
    second: Rows = [["Anytown Borough Council 2006/07", "", ""], ["Ref", "Met?", "Comments"],
                    ["ICT-1-M1", "", "Checked again"]]
    (one,) = preview_legacy_imports(service, [write_xlsx(tmp_path / "one.xlsx", {"ICT": first})])
    apply_legacy_import(service, one)
    (two,) = preview_legacy_imports(service, [write_xlsx(tmp_path / "two.xlsx", {"ICT": second})])
    apply_legacy_import(service, two)
    (summary,) = service.list_assessments()
    answer = service.open(summary.id).answer("ICT-1-M1")
    assert (answer.judgement, answer.notes) == (Judgement.MET, "Checked again")


def test_evidence_and_actions_with_owners_and_dates_come_across_once(
    tmp_path: Path, service: WorkbookService
) -> None:
    criteria = release().standard("BEN").sections[1].criteria
    rows: Rows = [["Westmoor District Council benefits return 2006/07", "", "", "", "", "", ""],
                  ["Status", "Lead officer", "Evidence", "Criterion", "No.", "By when", "Action required"]]
    rows += [
        ["Achieved", "J. Smith", "Service plan 2006", criteria[0].statement, "2.1", 39172, ""],
        ["In progress", "A. Patel", "", criteria[1].statement, "2.2", "30/09/2007", "Draft the take-up policy"],
        ["Not started", "", "", criteria[2].statement, "2.3", "", ""],
    ]
    path = write_xls(tmp_path / "benefits.xls", {"Benefits": rows})
    (preview,) = preview_legacy_imports(service, [path])
    applied = apply_legacy_import(service, preview)
    assert applied.imported == 3
    (summary,) = service.list_assessments()
    snapshot = service.open(summary.id)
    assert [(e.criterion_ref, e.reference.title) for e in snapshot.evidence] == [(criteria[0].ref, "Service plan 2006")]
    (action,) = [item.action for item in snapshot.actions]
    assert (action.description, action.criterion_ref, action.owner, action.due) == (
        "Draft the take-up policy", criteria[1].ref, "A. Patel", date(2007, 9, 30))
    # An owner and date with no action to hang on stay in the notes; the action's are not repeated there.
    assert snapshot.answer(criteria[0].ref).notes == "Owner: J. Smith\nBy: 2007-03-31"
    assert snapshot.answer(criteria[1].ref).notes == ""

    (again,) = preview_legacy_imports(service, [path])
    apply_legacy_import(service, again)
    repeated = service.open(summary.id)
    assert (len(repeated.evidence), len(repeated.actions)) == (1, 1)


@pytest.mark.parametrize(("registered", "written", "filed_under"), [
    ("Fife Council", "Fife", "Fife Council"),
    ("Royal Borough of Kingston upon Thames", "Kingston", "Royal Borough of Kingston upon Thames"),
    ("Tameside Metropolitan Borough Council", "TAMESIDE", "Tameside Metropolitan Borough Council"),
    ("Hertfordshire County Council", "Hertfordshire County Council", "Hertfordshire County Council"),
    ("Kent County Council", "Kentish Town", "Kentish Town"),  # another place: a new authority
])
def test_a_place_name_alone_finds_the_registered_authority(
    tmp_path: Path, service: WorkbookService, registered: str, written: str, filed_under: str
) -> None:
    from nesds_desktop.domain.authorities import Authority, AuthorityType, Region

    service.add_authority(Authority(registered, AuthorityType.COUNTY, Region.SOUTH_EAST))
    (preview,) = preview_legacy_imports(service, [ict_return(tmp_path / "ict.xlsx")])
    applied = apply_legacy_import(service, preview, authority=written)
    (summary,) = service.list_assessments()
    assert summary.authority.name == filed_under
    assert len(service.list_authorities()) == (1 if filed_under == registered else 2)
    if written != registered and filed_under == registered:
        assert f"filed under {registered}" in applied.messages[0]


def test_the_report_names_a_file_read_but_not_imported_and_why(tmp_path: Path, service: WorkbookService) -> None:
    rows = ict_return_rows(["Yes", "No"], title="ICT self-assessment")  # names no authority and no round
    path = write_xlsx(tmp_path / "return.xlsx", {"ICT": rows})
    (preview,) = preview_legacy_imports(service, [path])
    with pytest.raises(LegacyImportError) as refused:
        apply_legacy_import(service, preview)
    report = write_import_report(tmp_path / "report.xlsx", [preview], {}, {path: str(refused.value)})
    workbook = load_workbook(report)
    (line,) = [[c.value for c in row] for row in workbook["Files"].iter_rows(min_row=2)]
    assert (line[1], line[2], line[5], line[6]) == ("failed", str(refused.value), 0, 2)
    assert "does not say which authority" in line[2]
    outcomes = [row[10] for row in workbook["Rows"].iter_rows(min_row=2, values_only=True)]
    assert outcomes == [f"left: the file was not imported: {refused.value}"] * 2
