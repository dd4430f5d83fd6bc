"""What the return tests share: picking assessments, reading a return back, editing it as a person would."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from python_calamine import CalamineWorkbook

from nesds_desktop.domain.assessments import Round
from nesds_desktop.returns import layout
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.return_service import return_assessment_ids
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import STORE_FILE_NAME, open_store

AUTHOR = "Sam Returns"
ROUND = Round(2006)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Cell types a value (not a formula) may have in SpreadsheetML; "str" and "e" come only from formulas.
VALUE_CELL_TYPES = {None, "s", "inlineStr", "n", "b", "d"}


_demo_stores: dict[Path, Path] = {}


def demo_store_file(factory: pytest.TempPathFactory) -> Path:
    """A store of two invented councils, each assessed against all ten standards in 2005/06 and
    2006/07; made once per test session and copied for each test."""
    base = factory.getbasetemp()
    if base not in _demo_stores:
        folder = factory.mktemp("returns-demo-store")
        store = open_store(folder)
        try:
            assert catalogue_service.load_bundled_releases(store).problems == []
            fill_demo_store(WorkbookService(store, "Demo"), authorities=2, rounds=2, seed=2006)
        finally:
            store.close()  # the last connection closing checkpoints the WAL into the file
        _demo_stores[base] = folder / STORE_FILE_NAME
    return _demo_stores[base]


@contextmanager
def demo_service(data_dir: Path, factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    """A WorkbookService over a fresh copy of the demo store in ``data_dir``."""
    data_dir.mkdir(parents=True)
    shutil.copyfile(demo_store_file(factory), data_dir / STORE_FILE_NAME)
    store = open_store(data_dir)
    try:
        yield WorkbookService(store, AUTHOR)
    finally:
        store.close()


def whole_return_ids(service: WorkbookService, authority: int = 0) -> list[int]:
    """Every standard's assessment of one demo council in 2006/07."""
    authority_id = sorted(record.id for record in service.list_authorities())[authority]
    return return_assessment_ids(service, authority_id, ROUND)


def assessment_id(service: WorkbookService, code: str, authority: int = 0) -> int:
    for found in whole_return_ids(service, authority):
        if service.get_assessment(found).standard_code == code:
            return found
    raise LookupError(code)


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    with CalamineWorkbook.from_path(str(path)) as workbook:
        rows: list[list[Any]] = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return rows


def criteria_rows(path: Path, sheet: str) -> dict[str, dict[str, str]]:
    """A standard's sheet read independently of the application's reader: ref -> heading -> text."""
    rows = sheet_rows(path, sheet)
    headings = [str(value) for value in rows[layout.HEADING_ROW - 1]]
    found: dict[str, dict[str, str]] = {}
    for row in rows[layout.HEADING_ROW:]:
        record = {heading: str(value) for heading, value in zip(headings, row, strict=False) if heading}
        if record.get("Reference"):
            found[record["Reference"]] = record
    return found


@dataclass(frozen=True)
class XmlCell:
    sheet: str
    ref: str
    type: str | None
    has_formula: bool
    text: str


def xml_cells(path: Path) -> list[XmlCell]:
    """Every cell of every worksheet, straight from the package's XML."""
    cells: list[XmlCell] = []
    with zipfile.ZipFile(path) as package:
        shared = _shared_strings(package)
        for name in sorted(n for n in package.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
            root = ElementTree.fromstring(package.read(name))
            for cell in root.iter(f"{MAIN}c"):
                kind = cell.get("t")
                value = cell.find(f"{MAIN}v")
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
                elif kind == "s" and value is not None and value.text is not None:
                    text = shared[int(value.text)]
                else:
                    text = value.text or "" if value is not None else ""
                cells.append(XmlCell(name, cell.get("r", ""), kind, cell.find(f"{MAIN}f") is not None, text))
    return cells


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in package.namelist():
        return []
    root = ElementTree.fromstring(package.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in item.iter(f"{MAIN}t")) for item in root.iter(f"{MAIN}si")]


@dataclass(frozen=True)
class Edit:
    """What a person types into one criterion's row: a judgement label and/or notes (None: left alone)."""

    judgement: str | None = None
    notes: str | None = None


def edit_return(source: Path, target: Path, sheet: str, edits: Mapping[str, Edit]) -> None:
    """Open ``source`` in openpyxl, type ``edits`` into the sheet as a person would in Excel, save ``target``.

    Text that starts with "=" is typed with Excel's leading apostrophe, so it is text,
    not a formula: openpyxl's equivalent is a string cell.  Excel saves a typed
    "_x0041_" escaped (as "_x005F_x0041_") so that it is not read back as "A"; openpyxl
    does not, so the escape is added here as Excel would.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(source)
    worksheet = workbook[sheet]
    headings = [cell.value for cell in worksheet[layout.HEADING_ROW]]
    reference = headings.index(layout.REFERENCE.heading) + 1
    judgement = headings.index(layout.JUDGEMENT.heading) + 1
    notes = headings.index(layout.NOTES.heading) + 1
    remaining = dict(edits)
    for row in range(layout.FIRST_CRITERION_ROW, worksheet.max_row + 1):
        ref = worksheet.cell(row=row, column=reference).value
        edit = remaining.pop(ref, None) if isinstance(ref, str) else None
        if edit is None:
            continue
        if edit.judgement is not None:
            worksheet.cell(row=row, column=judgement).value = edit.judgement or None
        if edit.notes is not None:
            cell = worksheet.cell(row=row, column=notes)
            cell.value = layout.excel_escaped(edit.notes) or None
            if edit.notes:
                cell.data_type = "s"
    assert not remaining, f"no rows for {sorted(remaining)}"
    workbook.save(target)


def libreoffice(arguments: list[str], profile: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice headless with a profile of its own, so it never meets another instance's lock."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program, "LibreOffice (package libreoffice-calc-nogui) is needed for this test"
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stderr
    return result


def convert(source: Path, target_format: str, out_dir: Path, profile: Path) -> Path:
    """``source`` converted by LibreOffice; the new file's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    libreoffice(["--convert-to", target_format, "--outdir", str(out_dir), str(source)], profile)
    extension = target_format.split(":", 1)[0]
    converted = out_dir / f"{source.stem}.{extension}"
    assert converted.is_file(), f"LibreOffice did not write {converted}"
    return converted
