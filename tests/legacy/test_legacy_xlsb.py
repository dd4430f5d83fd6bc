"""Legacy returns saved as Excel Binary Workbooks (.xlsb) import: reader, service and ``import returns``.

No library writes .xlsb, so tests/helpers/xlsb.py writes the files record by record.  The first
tests prove those files are real: calamine (the importer's reader) and LibreOffice, an
independent reader, both read back exactly what was written.  The rest import an ICT return
saved as .xlsb and check it reads as the same rows saved as .xlsx, and that damaged .xlsb files
fail cleanly, naming the file, writing nothing.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from helpers.xlsb import BRT_CELL_ISST, BRT_END_SHEET, BRT_END_SHEET_DATA, BRT_ROW_HDR, CellValue, record, write_xlsb
from legacy_files import ict_return_rows, release, standards, write_xlsx
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from nesds_desktop.catalogue.workbook_safety import WorkbookKind, check_workbook
from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns.legacy.model import LegacyReading
from nesds_desktop.returns.legacy.reader import read_legacy_workbook
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.legacy_import_service import (
    FileStatus,
    LegacyImportError,
    apply_legacy_import,
    preview_legacy_imports,
)
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store, open_store

ANSWERS = ["Yes", "No", "Partly", "Largely", "N/A", "banana"]
ICT_CRITERIA = release().standard("ICT").sections[0].criteria
LONG_TEXT = "Evidence: " + "the council's ICT strategy, page by page. " * 400  # > 16 KB: a 3-byte record size
SHEETS: dict[str, list[list[CellValue]]] = {
    "Données ✓": [
        ["Café £ ✓", None, 3, 2.5, True, False],
        [],  # a row without cells
        [None, "second", "", -7, 0.1, 1_234_567_890_123],  # blanks between cells; an int too big for an RK
        ["Café £ ✓", None, None, None, None, "last"],  # the same text again
    ],
    "Long": [[LONG_TEXT, 536_870_911, -536_870_912]],  # the largest and smallest RK integers
    "Empty": [],
}


@pytest.fixture
def service(store: Store) -> Iterator[WorkbookService]:
    catalogue_service.load_bundled_releases(store)
    yield WorkbookService(store, "Import tester")


def expected_grid(rows: list[list[CellValue]]) -> list[list[CellValue]]:
    """What calamine should read: a rectangle from A1 to the last cell with a value, blanks as "",
    and whole numbers too big for an RK (written as doubles) as floats."""
    used = [(r, c) for r, row in enumerate(rows) for c, value in enumerate(row) if value not in (None, "")]
    if not used:
        return []
    height, width = max(r for r, _ in used) + 1, max(c for _, c in used) + 1
    padded = [[*row[:width], *[None] * (width - len(row))] for row in [*rows, *[[]] * height][:height]]
    return [[as_read(value) for value in row] for row in padded]


def as_read(value: CellValue) -> CellValue:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**29) <= value < 2**29:
        return float(value)
    return value


def typed(grid: Sequence[Sequence[object]]) -> list[list[tuple[type, object]]]:
    """Cells with their types, since 3 == 3.0 == True would hide a wrong type."""
    return [[(type(value), value) for value in row] for row in grid]


def ict_return_xlsb(path: Path) -> Path:
    return write_xlsb(path, {"ICT": ict_return_rows(ANSWERS)})


def read(path: Path) -> LegacyReading:
    return read_legacy_workbook(path.read_bytes(), path.name, standards())


def replace_part(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the package ``source`` with one part changed (a well-formed zip, so only the part is bad)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in original.infolist():
            data = original.read(entry.filename)
            copy.writestr(entry.filename, change(data) if entry.filename == part else data)
    return target


# -- the files are real .xlsb ------------------------------------------------------------------------


def test_records_carry_their_type_and_size_seven_bits_a_byte() -> None:
    assert record(BRT_ROW_HDR, bytes(17))[:2] == b"\x00\x11"
    assert record(0x009C, bytes(200))[:4] == b"\x9c\x01\xc8\x01"  # BrtBundleSh: two type and two size bytes
    assert record(BRT_CELL_ISST, bytes(20_000))[:4] == b"\x07\xa0\x9c\x01"  # 20,000 = 0x20 + 0x1C<<7 + 1<<14


@pytest.mark.parametrize("shared_strings", [True, False], ids=["shared-strings", "inline-strings"])
def test_calamine_reads_back_exactly_what_was_written(tmp_path: Path, shared_strings: bool) -> None:
    path = write_xlsb(tmp_path / "values.xlsb", SHEETS, shared_strings=shared_strings)
    with zipfile.ZipFile(path) as package:
        assert ("xl/sharedStrings.bin" in package.namelist()) is shared_strings
    with CalamineWorkbook.from_path(str(path)) as workbook:
        assert workbook.sheet_names == list(SHEETS)
        assert all(meta.visible == SheetVisibleEnum.Visible for meta in workbook.sheets_metadata)
        for name, rows in SHEETS.items():
            got = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            assert typed(got) == typed(expected_grid(rows)), name


@pytest.mark.slow
def test_libreoffice_reads_the_same_values(tmp_path: Path) -> None:
    """A second, independent reader: LibreOffice's .xlsb import, each sheet saved as CSV."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program, "LibreOffice (package libreoffice-calc-nogui) is needed for this test"
    path = write_xlsb(tmp_path / "values.xlsb", SHEETS)
    out = tmp_path / "csv"
    # Comma, double quote, UTF-8, from line 1, ..., the values rather than as shown, every sheet (-1).
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    result = subprocess.run(
        [program, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr

    def as_text(value: CellValue) -> str:
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    for name, rows in SHEETS.items():
        with (out / f"values-{name}.csv").open(encoding="utf-8", newline="") as handle:
            got = [row for row in csv.reader(handle) if row]  # an empty sheet is one empty line
        assert got == [[as_text(v) for v in row] for row in expected_grid(rows)], name


# -- the reader: the same return as .xlsb and .xlsx --------------------------------------------------


def test_an_xlsb_return_reads_like_the_same_rows_saved_as_xlsx(tmp_path: Path) -> None:
    rows = ict_return_rows(ANSWERS)
    xlsb = read(write_xlsb(tmp_path / "ict.xlsb", {"ICT": rows}))
    xlsx = read(write_xlsx(tmp_path / "ict.xlsx", {"ICT": rows}))
    assert xlsb.problems == () and not xlsb.macros_present
    (sheet,) = xlsb.sheets
    assert (sheet.sheet, sheet.header_row, sheet.standard_code) == ("ICT", 4, "ICT")
    assert sheet.columns == {"ref": "Ref", "statement": "Criterion", "judgement": "Met?", "notes": "Comments"}
    # "Largely" is read as partly met but flagged as ambiguous; "banana" is no judgement at all.
    assert [(m.row.row, m.criterion_ref, m.judgement, bool(m.flags)) for m in sheet.matches] == [
        (5 + n, ICT_CRITERIA[n].ref, judgement, flagged)
        for n, (judgement, flagged) in enumerate([
            (Judgement.MET, False), (Judgement.NOT_MET, False), (Judgement.PARTLY_MET, False),
            (Judgement.PARTLY_MET, True), (Judgement.NOT_APPLICABLE, False), (None, True)])
    ]
    assert [m.row.notes for m in sheet.matches] == [f"note {n}" for n in range(1, 7)]
    assert (xlsb.authority_hint, xlsb.round_hint) == ("Anytown Borough Council", "2006/07")
    assert xlsb.sheets == xlsx.sheets
    assert (xlsb.authority_hint, xlsb.round_hint, xlsb.sheet_tops) == (
        xlsx.authority_hint, xlsx.round_hint, xlsx.sheet_tops)


def test_inline_strings_read_the_same_as_shared_ones(tmp_path: Path) -> None:
    rows = ict_return_rows(ANSWERS)
    shared = read(write_xlsb(tmp_path / "shared.xlsb", {"ICT": rows}))
    inline = read(write_xlsb(tmp_path / "inline.xlsb", {"ICT": rows}, shared_strings=False))
    assert inline.sheets == shared.sheets and inline.problems == ()


# -- the service and the command line -----------------------------------------------------------------


def test_the_service_checks_previews_and_imports_an_xlsb_return(tmp_path: Path, service: WorkbookService) -> None:
    path = ict_return_xlsb(tmp_path / "ict.xlsb")
    assert check_workbook(path).kind is WorkbookKind.XLSB
    (preview,) = preview_legacy_imports(service, [path])
    assert preview.status is FileStatus.READY, preview.message
    assert (len(preview.ready_rows), len(preview.review_rows)) == (4, 2)
    assert service.list_assessments() == []  # a preview writes nothing

    applied = apply_legacy_import(service, preview)
    assert (applied.authority, applied.round_label, applied.imported) == ("Anytown Borough Council", "2006/07", 4)
    assert {left.row for left in applied.left} == {8, 10}  # Largely (ambiguous) and banana (unknown)
    (summary,) = service.list_assessments()
    assert (summary.standard_code, summary.round, summary.authority.name) == (
        "ICT", Round(2006), "Anytown Borough Council")
    answers = [service.answer(summary.id, c.ref) for c in ICT_CRITERIA[:6]]
    assert [a.judgement for a in answers] == [
        Judgement.MET, Judgement.NOT_MET, Judgement.PARTLY_MET, Judgement.NOT_YET_ASSESSED,
        Judgement.NOT_APPLICABLE, Judgement.NOT_YET_ASSESSED]
    assert [a.notes for a in answers[:3]] == ["note 1", "note 2", "note 3"]


def import_returns(data_dir: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data_dir), "import", "returns", *map(str, paths)],
        capture_output=True, text=True, check=False, timeout=300,
    )


@pytest.mark.slow
def test_import_returns_reads_an_xlsb_file(tmp_path: Path) -> None:
    path = ict_return_xlsb(tmp_path / "ict.xlsb")
    data_dir = tmp_path / "data"
    result = import_returns(data_dir, path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"done   {path}: 4 criteria imported for Anytown Borough Council, round 2006/07; " \
           "2 row(s) left for review" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "1 file(s): 1 read, 0 failed"
    store = open_store(data_dir)
    try:
        service = WorkbookService(store, "")
        (summary,) = service.list_assessments()
        assert service.answer(summary.id, ICT_CRITERIA[2].ref).judgement is Judgement.PARTLY_MET
    finally:
        store.close()


# -- damaged files -------------------------------------------------------------------------------------

END_OF_SHEET = record(BRT_END_SHEET_DATA) + record(BRT_END_SHEET)


def cut_last_cell_short(sheet: bytes) -> bytes:
    """The sheet part stops three bytes before the end of its last cell record: a record cut short."""
    assert sheet.endswith(END_OF_SHEET)
    return sheet[: -len(END_OF_SHEET) - 3]


DAMAGE: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "sheet-cut-short": ("xl/worksheets/sheet1.bin", cut_last_cell_short),
    "workbook-garbage": ("xl/workbook.bin", lambda _: b"\xff\xfe this is not a record stream \x00\x81" * 4),
}


def damaged(tmp_path: Path, kind: str) -> Path:
    part, change = DAMAGE[kind]
    return replace_part(ict_return_xlsb(tmp_path / "good.xlsb"), tmp_path / f"{kind}.xlsb", part, change)


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_xlsb_fails_cleanly_and_writes_nothing(tmp_path: Path, service: WorkbookService, kind: str) -> None:
    path = damaged(tmp_path, kind)
    reading = read(path)  # the reader itself reports the damage rather than raising
    assert reading.sheets == () and any("could not be read" in p for p in reading.problems)

    (preview,) = preview_legacy_imports(service, [path])
    assert preview.failed and preview.message.startswith(f"{path}: ")
    assert "could not be read" in preview.message and "Traceback" not in preview.message
    with pytest.raises(LegacyImportError, match="nothing can be imported"):
        apply_legacy_import(service, preview)
    assert service.list_assessments() == [] and service.list_authorities() == []


@pytest.mark.slow
def test_import_returns_reports_damaged_xlsb_files_and_carries_on(tmp_path: Path) -> None:
    bad = [damaged(tmp_path, kind) for kind in DAMAGE]
    good = ict_return_xlsb(tmp_path / "ict.xlsb")
    data_dir = tmp_path / "data"
    result = import_returns(data_dir, *bad, good)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for path in bad:
        (line,) = [line for line in lines if str(path) in line]
        assert line.startswith(f"FAILED {path}: ") and "could not be read" in line
    assert any(line.startswith(f"done   {good}: 4 criteria imported") for line in lines)
    assert lines[-1] == "3 file(s): 1 read, 2 failed"
    store = open_store(data_dir)
    try:
        (summary,) = WorkbookService(store, "").list_assessments()  # only the good file's
        assert summary.standard_code == "ICT"
    finally:
        store.close()


def test_a_sheet_cut_short_loses_only_that_sheet(tmp_path: Path) -> None:
    """calamine raises a plain OSError ("failed to fill whole buffer") for a sheet part cut short:
    the reader reports that sheet and goes on to the next rather than giving up on the workbook."""
    rows = ict_return_rows(ANSWERS)
    path = replace_part(write_xlsb(tmp_path / "two.xlsb", {"Draft": rows, "ICT": rows}), tmp_path / "cut.xlsb",
                        "xl/worksheets/sheet1.bin", cut_last_cell_short)
    reading = read(path)
    assert [sheet.sheet for sheet in reading.sheets] == ["ICT"], reading.problems
    assert len(reading.sheets[0].matches) == 6
    assert any("'Draft' could not be read" in problem for problem in reading.problems)


def point_past_the_shared_strings(sheet: bytes) -> bytes:
    """A last row whose one cell refers to shared string 1,000,000, far past the end of the table."""
    assert sheet.endswith(END_OF_SHEET)
    row = record(BRT_ROW_HDR, (200).to_bytes(4, "little") + bytes(13))
    cell = record(BRT_CELL_ISST, bytes(8) + (1_000_000).to_bytes(4, "little"))
    return sheet[: -len(END_OF_SHEET)] + row + cell + END_OF_SHEET


def past_the_end(tmp_path: Path) -> Path:
    return replace_part(ict_return_xlsb(tmp_path / "good.xlsb"), tmp_path / "past-the-end.xlsb",
                        "xl/worksheets/sheet1.bin", point_past_the_shared_strings)


def test_a_cell_pointing_past_the_shared_strings_is_reported_not_raised(tmp_path: Path) -> None:
    """calamine panics on this file; pyo3 raises the panic as a BaseException, which ``except Exception``
    does not catch.  The reader must report it as a damaged sheet all the same."""
    try:
        reading = read(past_the_end(tmp_path))
    except Exception:
        raise
    except BaseException as exc:  # pyo3_runtime.PanicException
        pytest.fail(f"the reader let calamine's panic through: {type(exc).__name__}: {exc}")
    assert reading.sheets == ()
    assert any("'ICT' could not be read" in problem for problem in reading.problems), reading.problems


@pytest.mark.slow
def test_import_returns_reports_a_panicking_xlsb_without_a_traceback(tmp_path: Path) -> None:
    path = past_the_end(tmp_path)
    result = import_returns(tmp_path / "data", path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"FAILED {path}: "), result.stdout
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr, result.stderr
    assert "memory" not in result.stdout, result.stdout  # the file is damaged, not too big
    store = open_store(tmp_path / "data")
    try:
        assert WorkbookService(store, "").list_assessments() == []
    finally:
        store.close()
