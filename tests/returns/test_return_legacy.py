"""A return whose metadata no longer matches it is a legacy return: a warning, and nothing applied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from return_support import Edit, assessment_id, demo_service, edit_return

from nesds_desktop.returns import layout
from nesds_desktop.services.return_service import (
    ReturnError,
    apply_return_import,
    export_return,
    preview_return_import,
)
from nesds_desktop.services.workbook_service import WorkbookService


@pytest.fixture
def service(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    with demo_service(data_dir, tmp_path_factory) as opened:
        yield opened


@pytest.fixture
def edited_return(service: WorkbookService, tmp_path: Path) -> Path:
    """An ICT return with one real edit, which a legacy reading must not apply."""
    exported = export_return(service, [assessment_id(service, "ICT")], tmp_path / "ict.xlsx").path
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", {"ICT-1-M1": Edit(notes="edited before tampering")})
    return tmp_path / "edited.xlsx"


def _assert_legacy(service: WorkbookService, path: Path, reason: str) -> None:
    ict = assessment_id(service, "ICT")
    before = service.open(ict).answers
    preview = preview_return_import(service, path)
    assert preview.legacy and not preview.can_apply
    assert preview.changes == () and preview.conflicts == ()
    [warning] = preview.warnings
    assert reason in warning, warning
    assert warning.endswith("It is treated as a legacy return: nothing in it is applied.")
    with pytest.raises(ReturnError, match="legacy return"):
        apply_return_import(service, preview)
    assert service.open(ict).answers == before


def test_a_changed_metadata_cell_fails_the_checksum(service: WorkbookService, edited_return: Path) -> None:
    workbook = load_workbook(edited_return)
    metadata = workbook[layout.METADATA_SHEET]
    row = next(r for r in range(1, metadata.max_row + 1) if metadata.cell(row=r, column=3).value == "ICT-1-M2")
    metadata.cell(row=row, column=4).value = "not_met"
    workbook.save(edited_return)
    _assert_legacy(service, edited_return, "was changed after the return was exported (its checksum does not match)")


def test_a_deleted_metadata_sheet(service: WorkbookService, edited_return: Path) -> None:
    workbook = load_workbook(edited_return)
    del workbook[layout.METADATA_SHEET]
    workbook.save(edited_return)
    _assert_legacy(service, edited_return, "has no sheet \u201cNeSDS metadata\u201d")


def test_a_renamed_standard_sheet(service: WorkbookService, edited_return: Path) -> None:
    workbook = load_workbook(edited_return)
    workbook["ICT"].title = "ICT (final)"
    workbook.save(edited_return)
    _assert_legacy(service, edited_return, "The sheet \u201cICT\u201d (ICT) is missing")


def test_a_sheet_whose_heading_row_was_deleted(service: WorkbookService, edited_return: Path) -> None:
    workbook = load_workbook(edited_return)
    workbook["ICT"].delete_rows(layout.HEADING_ROW)
    workbook.save(edited_return)
    _assert_legacy(service, edited_return, "has no heading row with the columns Reference, Judgement, Evidence notes")


def test_a_return_in_a_newer_format_even_with_a_matching_checksum(
    service: WorkbookService, edited_return: Path
) -> None:
    workbook = load_workbook(edited_return)
    metadata = workbook[layout.METADATA_SHEET]
    rows = [[cell.value or "" for cell in row] for row in metadata.iter_rows()]
    format_row = next(i for i, row in enumerate(rows) if row[0] == layout.RECORD_FORMAT)
    rows[format_row][2] = "2"
    metadata.cell(row=format_row + 1, column=3).value = "2"
    checksum_row = len(rows)
    body = [layout.metadata_row([str(v) for v in row]) for row in rows[: checksum_row - 1]]
    metadata.cell(row=checksum_row, column=2).value = layout.metadata_checksum(body)
    workbook.save(edited_return)
    _assert_legacy(service, edited_return, "is in format version 2, which this version of NeSDS Workbook does not read")


def test_a_workbook_this_application_did_not_write(service: WorkbookService, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ICT"
    sheet.append(["Ref", "Criterion", "Met?", "Comments"])
    sheet.append(["ICT 1.1", "An ICT strategy", "Yes", "Adopted 2005"])
    workbook.save(tmp_path / "council's own.xlsx")
    _assert_legacy(service, tmp_path / "council's own.xlsx", "it was not exported by NeSDS Workbook")


def test_a_return_whose_assessment_is_not_in_this_store(service: WorkbookService, edited_return: Path) -> None:
    ict = assessment_id(service, "ICT")
    preview_first = preview_return_import(service, edited_return)
    assert preview_first.can_apply
    service.delete_assessment(ict)
    preview = preview_return_import(service, edited_return)
    assert preview.legacy and preview.changes == ()
    [warning] = preview.warnings
    assert "(ICT, round 2006/07) is not in this workbook's store" in warning


def test_files_that_are_not_spreadsheets_are_refused_naming_the_file(
    service: WorkbookService, tmp_path: Path
) -> None:
    fake = tmp_path / "return.xlsx"
    fake.write_text("Reference,Judgement\nICT-1-M1,Met\n", encoding="utf-8")
    with pytest.raises(ReturnError, match=r"return\.xlsx: is not a spreadsheet"):
        preview_return_import(service, fake)
    with pytest.raises(ReturnError, match="no such file"):
        preview_return_import(service, tmp_path / "missing.xlsx")
