"""Catalogue export to .xlsx, and the exact round trip back through import."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nesds_desktop.catalogue.check import check_path
from nesds_desktop.catalogue.loader import ReleaseRead, read_release
from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile
from nesds_desktop.catalogue.spreadsheet_export import CatalogueExportError, export_release_workbook
from nesds_desktop.catalogue.spreadsheet_import import ReleaseOptions, read_catalogue_workbook, write_release_folder

SHIPPED = "nesds-2006.1"
# A different day from the release's own date, so a default could never pass for the real value.
LATER = ReleaseOptions(SHIPPED, imported_on=date(2031, 1, 1))


@pytest.fixture(scope="module")
def shipped(standards_root: Path) -> ReleaseRead:
    result = read_release(standards_root / SHIPPED)
    assert result.ok
    return result


def _export(release: ReleaseFile, standards: list[StandardFile], path: Path) -> Path:
    export_release_workbook(release, standards, path)
    return path


def test_the_shipped_release_exports_and_imports_back_with_the_same_content_hash(
    tmp_path: Path, shipped: ReleaseRead
) -> None:
    assert shipped.release_file is not None
    workbook = tmp_path / "nesds-2006.1.xlsx"
    export_release_workbook(shipped.release_file, shipped.standard_files, workbook, shipped.content_hash)
    result = read_catalogue_workbook(workbook, LATER)
    assert (result.problems, result.unusable_rows, result.notes) == ([], [], [])
    assert result.release == shipped.release_file
    assert result.standards == shipped.standard_files
    assert result.content_hash == shipped.content_hash
    assert result.criteria_count == 586
    folder = write_release_folder(result, tmp_path / "standards")
    problems, summaries = check_path(folder)
    assert problems == []
    assert summaries == [f"{SHIPPED}: 10 standards, 586 criteria, {shipped.content_hash} (not yet published)"]


def test_the_workbook_is_laid_out_for_people(tmp_path: Path, shipped: ReleaseRead) -> None:
    from openpyxl import load_workbook

    assert shipped.release_file is not None
    path = tmp_path / "readable.xlsx"
    export_release_workbook(shipped.release_file, shipped.standard_files, path, shipped.content_hash)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Release", "Standards", "Sections", "Criteria"]
    headings = {name: [cell.value for cell in workbook[name][1]] for name in workbook.sheetnames}
    assert headings == {
        "Release": ["Field", "Value"],
        "Standards": ["Code", "Title", "Summary", "Maintainer"],
        "Sections": ["Standard", "Section", "Title", "Summary"],
        "Criteria": ["Standard", "Reference", "Section", "Level", "Statement", "Guidance", "Evidence", "Signposts"],
    }
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        assert all(sheet.cell(row=2, column=c).alignment.wrap_text for c in range(1, sheet.max_column + 1))
    criteria = workbook["Criteria"]
    assert criteria.max_row == 587
    assert [criteria.column_dimensions[c].width for c in "ABEFG"] == [10, 12, 60, 70, 50]
    assert [c.value for c in criteria[2]][:4] == ["ICT", "ICT-1-M1", 1, "Minimum"]
    assert criteria["G2"].value == "\n".join(shipped.standard_files[0].sections[0].criteria[0].evidence)
    release = {row[0].value: row[1] for row in workbook["Release"].iter_rows(min_row=2)}
    assert release["Published"].value.date() == date(2006, 3, 31)
    assert release["Published"].number_format == "yyyy-mm-dd"
    assert release["Content hash"].value == shipped.content_hash
    assert len(workbook["Standards"]["A"]) == 11 and len(workbook["Sections"]["A"]) == 1 + sum(
        len(s.sections) for s in shipped.standard_files
    )


def test_no_cell_is_a_formula_even_when_the_text_looks_like_one(tmp_path: Path, shipped: ReleaseRead) -> None:
    from openpyxl import load_workbook

    assert shipped.release_file is not None
    tricky = {
        "statement": "=SUM(A1:A3) is what the finance team used",
        "guidance": "+44 20 7946 0000 is the helpline; -5% is the target",
        "evidence": ["-5% budget line", "@risk register", "#N/A", "_x0041_ stays literal", "=1+1"],
        "signposts": ["Sustainable Communities: Settled Homes; Changing Lives (2005)"],
    }
    release_data = shipped.release_file.model_dump()
    release_data.update(provenance="=cmd|' /C calc'!A0", standards=["ICT"])
    ict = shipped.standard_files[0].model_dump()
    ict["title"] = "@Home: Information and Communications Technology"
    ict["sections"][0]["criteria"][0].update(tricky)
    release, standard = ReleaseFile.model_validate(release_data), StandardFile.model_validate(ict)
    path = _export(release, [standard], tmp_path / "tricky.xlsx")

    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} became a formula"
    criteria = workbook["Criteria"]
    assert (criteria["E2"].value, criteria["E2"].data_type) == (tricky["statement"], "s")
    assert (criteria["F2"].value, criteria["F2"].data_type) == (tricky["guidance"], "s")
    assert workbook["Release"]["B6"].value == "=cmd|' /C calc'!A0"
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert all(b"<f>" not in archive.read(name) and b"<f " not in archive.read(name) for name in sheets)

    result = read_catalogue_workbook(path, LATER)
    assert result.problems == []
    assert result.standards[0].sections[0].criteria[0].model_dump(include=set(tricky)) == tricky
    assert result.standards[0].title == ict["title"]
    assert result.content_hash == ReleaseRead(path, release, [standard]).content_hash


_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
_PIECES = st.one_of(_CHARACTERS, st.sampled_from(["=", "+", "-", "@", ";", "\t", "_x0041_", "_x000D_", "#N/A", "  "]))
_TEXT = st.lists(_PIECES, min_size=1, max_size=12).map("".join).map(str.strip).filter(bool)
_LINES = st.lists(_PIECES | st.just("\n"), min_size=1, max_size=12).map("".join).map(str.strip).filter(bool)


def _tiny_release(texts: dict[str, Any]) -> tuple[ReleaseFile, StandardFile]:
    criteria = [
        {"ref": "AB-1-M1", "level": "minimum", "statement": texts["statement"], "guidance": texts["guidance"],
         "evidence": texts["evidence"], "signposts": texts["signposts"]},
        {"ref": "AB-1-P1", "level": "progressing", "statement": "Progress is reported each quarter.",
         "guidance": "Quarterly.", "evidence": ["Quarterly report"]},
        {"ref": "AB-1-E1", "level": "excellent", "statement": "Results are compared with other councils.",
         "guidance": "Benchmarking.", "evidence": ["Benchmark club returns"]},
    ]
    standard = StandardFile.model_validate({
        "code": "AB", "title": texts["title"], "summary": "A test standard.", "maintainer": texts["maintainer"],
        "sections": [{"number": 1, "title": "Theme", "summary": texts["summary"], "criteria": criteria}],
    })
    release = ReleaseFile.model_validate({
        "release_id": "prop-1", "title": "Property", "version": texts["version"], "published": "2007-01-01",
        "provenance": texts["provenance"], "standards": ["AB"],
    })
    return release, standard


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.fixed_dictionaries({
        "statement": _LINES, "guidance": _LINES, "title": _TEXT, "summary": _LINES, "provenance": _LINES,
        "version": _TEXT, "maintainer": _TEXT,
        "evidence": st.lists(_TEXT, min_size=1, max_size=3), "signposts": st.lists(_TEXT, max_size=3),
    })
)
def test_any_text_survives_the_round_trip_exactly(texts: dict[str, Any]) -> None:
    release, standard = _tiny_release(texts)
    with tempfile.TemporaryDirectory() as folder:
        path = _export(release, [standard], Path(folder) / "property.xlsx")
        result = read_catalogue_workbook(path, ReleaseOptions("prop-1"))
    assert result.problems == []
    assert result.release == release
    assert result.standards == [standard]


def test_an_evidence_item_with_a_line_break_cannot_be_exported(tmp_path: Path) -> None:
    texts = {"statement": "S", "guidance": "G", "title": "T", "summary": "S", "provenance": "P", "version": "1",
             "maintainer": "", "evidence": ["first line\nsecond line"], "signposts": []}
    release, standard = _tiny_release(texts)
    target = tmp_path / "broken.xlsx"
    with pytest.raises(CatalogueExportError, match="criterion AB-1-M1: an evidence item holds a line break"):
        _export(release, [standard], target)
    assert list(tmp_path.iterdir()) == []


def test_a_text_longer_than_a_cell_holds_cannot_be_exported(tmp_path: Path) -> None:
    texts = {"statement": "S", "guidance": "word " * 7000, "title": "T", "summary": "S", "provenance": "P",
             "version": "1", "maintainer": "", "evidence": ["E"], "signposts": []}
    release, standard = _tiny_release(texts)
    with pytest.raises(CatalogueExportError, match="criteria sheet row 2: a text of 34,999 characters"):
        _export(release, [standard], tmp_path / "long.xlsx")
    assert list(tmp_path.iterdir()) == []
