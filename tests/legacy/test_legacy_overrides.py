"""What a person sets in place of what was detected: standard, header row, column mapping, sheet left out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from legacy_files import Rows, ict_return_rows, release, standards, write_ods, write_xls, write_xlsx

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns.legacy.model import LegacyReading, SheetOverride
from nesds_desktop.returns.legacy.reader import read_legacy_workbook
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.legacy_import_service import FileStatus, apply_legacy_import, preview_legacy_imports
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store

Writer = Callable[[Path, dict[str, Rows]], Path]
WRITERS: dict[str, Writer] = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}


def read(path: Path, overrides: dict[str, SheetOverride] | None = None) -> LegacyReading:
    return read_legacy_workbook(path.read_bytes(), path.name, standards(), overrides=overrides)


def odd_headings_rows() -> Rows:
    """An ICT return whose headings no council vocabulary names: the reader cannot find the header."""
    rows = ict_return_rows(["Yes", "No", "Partly"])
    rows[3] = ["Q", "What we must do", "Where we are", "Said at the workshop"]
    return rows


ODD_COLUMNS = {"ref": (0,), "statement": (1,), "judgement": (2,), "notes": (3,)}


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_header_the_reader_cannot_find_can_be_given(tmp_path: Path, suffix: str) -> None:
    path = WRITERS[suffix](tmp_path / f"odd{suffix}", {"ICT": odd_headings_rows()})
    unread = read(path)
    assert unread.sheets == () and unread.unread_sheets == ("ICT",)
    assert "no recognisable header row" in unread.problems[0]
    assert unread.sheet_tops["ICT"][3] == ("Q", "What we must do", "Where we are", "Said at the workshop")

    given = read(path, {"ICT": SheetOverride(header_row=4, columns=ODD_COLUMNS)})
    (sheet,) = given.sheets
    assert given.unread_sheets == () and given.problems == ()
    assert (sheet.header_row, sheet.standard_code) == (4, "ICT")
    assert sheet.column_positions == ODD_COLUMNS
    assert sheet.columns == {"ref": "Q", "statement": "What we must do", "judgement": "Where we are",
                             "notes": "Said at the workshop"}
    criteria = release().standard("ICT").sections[0].criteria
    assert [(m.criterion_ref, m.judgement, m.row.notes, m.flags) for m in sheet.matches] == [
        (criteria[0].ref, Judgement.MET, "note 1", ()),
        (criteria[1].ref, Judgement.NOT_MET, "note 2", ()),
        (criteria[2].ref, Judgement.PARTLY_MET, "note 3", ()),
    ]


def test_a_header_row_alone_detects_the_columns_on_that_row(tmp_path: Path) -> None:
    rows = ict_return_rows(["Yes", "No"])
    rows[1] = ["Ref", "Criterion", "Met?", "Comments"]  # an old header left above the real one
    path = write_xlsx(tmp_path / "two-headers.xlsx", {"ICT": rows})
    assert read(path).sheets[0].header_row == 2
    (sheet,) = read(path, {"ICT": SheetOverride(header_row=4)}).sheets
    assert sheet.header_row == 4
    assert sheet.header_cells == ("Ref", "Criterion", "Met?", "Comments")
    assert [m.judgement for m in sheet.matches] == [Judgement.MET, Judgement.NOT_MET]


def test_a_header_row_beyond_the_sheet_is_reported_and_nothing_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "short.xlsx", {"ICT": ict_return_rows(["Yes"])})
    reading = read(path, {"ICT": SheetOverride(header_row=99)})
    assert reading.sheets == () and reading.unread_sheets == ("ICT",)
    assert reading.problems == ("the sheet 'ICT' has no row 99, so it was skipped",)


def test_a_chosen_standard_holds_for_every_row(tmp_path: Path) -> None:
    # References written as bare numbers on a sheet that names no standard: the reader cannot tell which.
    rows: Rows = [["Ref", "Met?"], ["2.1", "Yes"], ["2.2", "No"], ["2.3", "Partly"]]
    path = write_xls(tmp_path / "Sheet.xls", {"Sheet1": rows})
    (detected,) = read(path).sheets
    assert detected.standard_code is None and detected.detected_standard is None
    assert all(m.criterion_ref is None for m in detected.matches)

    (chosen,) = read(path, {"Sheet1": SheetOverride(standard_code="BEN")}).sheets
    criteria = release().standard("BEN").sections[1].criteria
    assert chosen.standard_code == "BEN" and chosen.detected_standard is None
    assert [(m.criterion_ref, m.judgement) for m in chosen.matches] == [
        (criteria[0].ref, Judgement.MET), (criteria[1].ref, Judgement.NOT_MET), (criteria[2].ref, Judgement.PARTLY_MET)]


def test_a_chosen_standard_replaces_a_wrong_detection(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ict.xlsx", {"ICT": ict_return_rows(["Yes", "No"])})
    (sheet,) = read(path, {"ICT": SheetOverride(standard_code="HSG")}).sheets
    assert (sheet.standard_code, sheet.detected_standard) == ("HSG", "ICT")
    # References naming ICT on a sheet set to Housing: each row is flagged, never silently accepted.
    assert [m.flags[0] for m in sheet.matches] == [
        "the reference 'ICT 1.1' names ICT on a sheet about HSG",
        "the reference 'ICT 1.2' names ICT on a sheet about HSG",
    ]


def test_a_column_mapping_chooses_which_column_is_read(tmp_path: Path) -> None:
    rows: Rows = [["Ref", "Criterion", "2005/06 status", "2006/07 status", "Comments"]]
    criteria = release().standard("ICT").sections[0].criteria
    rows += [[f"ICT 1.{n}", c.statement, old, new, f"note {n}"]
             for n, (c, old, new) in enumerate(zip(criteria, ["No", "No"], ["Yes", "Partly"], strict=False), 1)]
    path = write_xlsx(tmp_path / "two-years.xlsx", {"ICT": rows})
    (detected,) = read(path).sheets
    assert detected.column_positions["judgement"] == (3,)
    assert [m.judgement for m in detected.matches] == [Judgement.MET, Judgement.PARTLY_MET]

    last_year = {"ref": (0,), "statement": (1,), "judgement": (2,)}  # notes left out on purpose
    (chosen,) = read(path, {"ICT": SheetOverride(columns=last_year)}).sheets
    assert chosen.column_positions == last_year and chosen.header_row == 1
    assert [(m.judgement, m.row.notes) for m in chosen.matches] == [(Judgement.NOT_MET, ""), (Judgement.NOT_MET, "")]


def test_several_columns_can_feed_the_notes(tmp_path: Path) -> None:
    rows = ict_return_rows(["Yes"])
    rows[3].append("Officer")
    rows[4].append("Jo Bloggs")
    path = write_xlsx(tmp_path / "notes.xlsx", {"ICT": rows})
    mapping = {"ref": (0,), "statement": (1,), "judgement": (2,), "notes": (3, 4)}
    (sheet,) = read(path, {"ICT": SheetOverride(header_row=4, columns=mapping)}).sheets
    assert sheet.matches[0].row.notes == "note 1\nJo Bloggs"


def test_a_sheet_can_be_left_out(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "two.xlsx", {"ICT": ict_return_rows(["Yes"]), "Copy": ict_return_rows(["No"])})
    assert [s.sheet for s in read(path).sheets] == ["ICT", "Copy"]
    reading = read(path, {"Copy": SheetOverride(skip=True)})
    assert [s.sheet for s in reading.sheets] == ["ICT"]
    assert reading.problems == ("the sheet 'Copy' was left out, as chosen",)


def test_a_sheet_without_overrides_reads_as_before(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "ict.ods", {"ICT": ict_return_rows(["Yes", "No", "Partly"])})
    assert read(path, {"ICT": SheetOverride(), "Absent": SheetOverride(skip=True)}) == read(path)
    assert SheetOverride().is_default and not SheetOverride(header_row=1).is_default


# -- through the service: the child-process reader, preview and apply --------------------------------


@pytest.fixture
def service(store: Store) -> Iterator[WorkbookService]:
    catalogue_service.load_bundled_releases(store)
    yield WorkbookService(store, "Import tester")


def test_a_file_nothing_could_be_read_from_imports_once_its_header_is_given(
    tmp_path: Path, service: WorkbookService
) -> None:
    path = write_xls(tmp_path / "Anytown 2006-07.xls", {"ICT": odd_headings_rows()})
    (failed,) = preview_legacy_imports(service, [path])
    assert failed.status is FileStatus.FAILED and failed.reading is not None
    assert failed.reading.unread_sheets == ("ICT",)
    overrides = {path: {"ICT": SheetOverride(header_row=4, columns=ODD_COLUMNS)}}
    (ready,) = preview_legacy_imports(service, [path], overrides=overrides)
    assert ready.status is FileStatus.READY and len(ready.ready_rows) == 3
    assert service.list_assessments() == []  # reading again writes nothing

    applied = apply_legacy_import(service, ready)
    assert (applied.authority, applied.round_label, applied.imported) == ("Anytown Borough Council", "2006/07", 3)
    (summary,) = service.list_assessments()
    criteria = release().standard("ICT").sections[0].criteria
    snapshot = service.open(summary.id)
    assert [snapshot.answer(c.ref).judgement for c in criteria[:3]] == [
        Judgement.MET, Judgement.NOT_MET, Judgement.PARTLY_MET]
    assert snapshot.answer(criteria[1].ref).notes == "note 2"


def test_overrides_apply_only_to_the_file_they_were_given_for(tmp_path: Path, service: WorkbookService) -> None:
    first = write_xlsx(tmp_path / "a.xlsx", {"ICT": ict_return_rows(["Yes"])})
    second = write_xlsx(tmp_path / "b.xlsx", {"ICT": ict_return_rows(["Yes"])})
    previews = preview_legacy_imports(service, [first, second], overrides={first: {"ICT": SheetOverride(skip=True)}})
    assert [p.status for p in previews] == [FileStatus.FAILED, FileStatus.READY]
    assert "left out, as chosen" in previews[0].message
