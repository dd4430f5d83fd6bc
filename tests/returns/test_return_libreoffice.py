"""A real spreadsheet program, LibreOffice (headless), reads the return and edits it.

Needs the Debian packages libreoffice-calc-nogui (soffice) and poppler-utils (pdftotext).
"""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from return_support import Edit, assessment_id, convert, demo_service, edit_return, libreoffice, whole_return_ids

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.return_service import apply_return_import, export_return, preview_return_import
from nesds_desktop.services.workbook_service import WorkbookService

pytestmark = pytest.mark.slow

# LibreOffice's CSV filter: comma, double quote, UTF-8, from row 1, text as shown, every sheet to its own file.
CSV_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
AWKWARD_NOTES = {
    "ICT-1-M1": "=SUM(A1:A3) is what the finance team wrote",
    "ICT-1-M2": "+44 1632 960000 (the ICT helpdesk)",
    "ICT-1-M3": "-- see the minutes --\nitem 4: \"agreed\"\nitem 5: 'noted'",
    "ICT-2-M1": "@risk: Café Ünïcødé — £1,250 ✓ 😀",
    "ICT-2-M2": "_x0041_ stays as typed",
}


@pytest.fixture
def service(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    with demo_service(data_dir, tmp_path_factory) as opened:
        yield opened


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "libreoffice-profile"


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_libreoffice_reads_the_same_references_judgements_and_notes(
    service: WorkbookService, tmp_path: Path, profile: Path
) -> None:
    ict = assessment_id(service, "ICT")
    for ref, text in AWKWARD_NOTES.items():
        service.set_notes(ict, ref, text)
    ids = whole_return_ids(service)
    exported = export_return(service, ids, tmp_path / "return.xlsx").path
    out = tmp_path / "csv"
    out.mkdir()
    libreoffice(["--convert-to", CSV_EVERY_SHEET, "--outdir", str(out), str(exported)], profile)

    compared = 0
    for assessment in ids:
        snapshot = service.open(assessment)
        code = snapshot.summary.standard_code
        rows = _csv(out / f"return-{code}.csv")
        heading = rows[3]
        assert heading[:6] == ["Reference", "Section", "Level", "Criterion", "Judgement", "Evidence notes"]
        by_ref = {row[0]: row for row in rows[4:] if row and row[0]}
        assert list(by_ref) == [c.ref for c in snapshot.standard.criteria()]
        for criterion in snapshot.standard.criteria():
            answer = snapshot.answer(criterion.ref)
            row = by_ref[criterion.ref]
            assert (row[3], row[4], row[5]) == (criterion.statement, answer.judgement.label, answer.notes)
            compared += 1
    assert compared == 586
    ict_rows = {row[0]: row for row in _csv(out / "return-ICT.csv")}
    for ref, text in AWKWARD_NOTES.items():
        assert ict_rows[ref][5] == text
    cover = "\n".join(",".join(row) for row in _csv(out / "return-Cover.csv"))
    assert service.get_assessment(ict).authority.name in cover and "2006/07" in cover


def test_a_return_saved_by_libreoffice_still_imports_with_nothing_changed(
    service: WorkbookService, tmp_path: Path, profile: Path
) -> None:
    ict = assessment_id(service, "ICT")
    for ref, text in AWKWARD_NOTES.items():
        service.set_notes(ict, ref, text)
    exported = export_return(service, whole_return_ids(service), tmp_path / "return.xlsx").path
    resaved = convert(exported, "xlsx:Calc MS Excel 2007 XML", tmp_path / "libreoffice", profile)
    assert resaved.read_bytes() != exported.read_bytes()

    preview = preview_return_import(service, resaved)
    assert (preview.legacy, preview.changes, preview.conflicts, preview.warnings) == (False, (), (), ())
    assert preview.unchanged == 586


def test_edits_survive_a_save_in_libreoffice_and_are_applied(
    service: WorkbookService, tmp_path: Path, profile: Path
) -> None:
    ict = assessment_id(service, "ICT")
    before = service.open(ict)
    exported = export_return(service, [ict], tmp_path / "return.xlsx").path
    new_judgement = Judgement.NOT_MET if before.answer("ICT-1-M1").judgement is Judgement.MET else Judgement.MET
    edits = {
        "ICT-1-M1": Edit(judgement=new_judgement.label, notes="=Reviewed by the chief executive\n\"signed\" ✓"),
        "ICT-5-E2": Edit(notes="@ the next cabinet meeting"),
    }
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", edits)
    through_libreoffice = convert(tmp_path / "edited.xlsx", "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo", profile)

    preview = preview_return_import(service, through_libreoffice)
    assert preview.warnings == ()
    assert [(c.ref, c.judgement, c.notes) for c in preview.changes] == [
        ("ICT-1-M1", (before.answer("ICT-1-M1").judgement, new_judgement),
         (before.answer("ICT-1-M1").notes, edits["ICT-1-M1"].notes)),
        ("ICT-5-E2", None, (before.answer("ICT-5-E2").notes, "@ the next cabinet meeting")),
    ]
    apply_return_import(service, preview)
    assert service.answer(ict, "ICT-1-M1").notes == edits["ICT-1-M1"].notes
    assert service.answer(ict, "ICT-1-M1").judgement is new_judgement


@pytest.mark.parametrize("saved_as", ["ods", "xls:MS Excel 97"])
def test_a_return_saved_as_opendocument_or_excel_97_imports_too(
    service: WorkbookService, tmp_path: Path, profile: Path, saved_as: str
) -> None:
    ict = assessment_id(service, "ICT")
    exported = export_return(service, [ict], tmp_path / "return.xlsx").path
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", {"ICT-3-P1": Edit(notes="Saved again by a council")})
    converted = convert(tmp_path / "edited.xlsx", saved_as, tmp_path / "converted", profile)

    preview = preview_return_import(service, converted)
    assert not preview.legacy and preview.warnings == ()
    assert [(c.ref, c.notes[1] if c.notes else None) for c in preview.changes] == [
        ("ICT-3-P1", "Saved again by a council")
    ]


def test_the_printed_return_carries_running_headers_and_page_numbers(
    service: WorkbookService, tmp_path: Path, profile: Path
) -> None:
    ict = assessment_id(service, "ICT")
    exported = export_return(service, [ict], tmp_path / "return.xlsx").path
    pdf = convert(exported, "pdf", tmp_path / "pdf", profile)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    authority = service.get_assessment(ict).authority.name
    for number, page in enumerate(pages, start=1):
        assert authority in page and f"Page {number} of {len(pages)}" in page
    assert "NeSDS e-Standards self-assessment return" in pages[0]
    for ref in ("ICT-1-M1", "ICT-7-E3"):
        assert ref in text
    # The heading row is printed again on every page of the criteria.
    criteria_pages = [page for page in pages if "ICT-" in page and "Linked actions" in page]
    assert len(criteria_pages) >= 2
    assert "NeSDS metadata" not in text.replace("\u201cNeSDS metadata\u201d", "")
