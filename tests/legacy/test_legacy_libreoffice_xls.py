"""An exported return, edited as a person would and saved by LibreOffice as .xls (Excel 97-2003),
imports with exactly those edits through ``nesds-desktop import returns`` and the legacy import service.

The hidden metadata sheet tells the legacy importer the file is this application's own return,
so it goes through the exact return-import path.  Needs the Debian package libreoffice-calc-nogui.
One LibreOffice conversion is made for the module and each test imports it into its own store.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import ActionItem, CriterionAnswer, EvidenceItem
from nesds_desktop.returns import layout
from nesds_desktop.services.legacy_import_service import FileStatus, apply_legacy_import, preview_legacy_imports
from nesds_desktop.services.return_service import export_return
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "returns"))
from return_support import (  # type: ignore[import-not-found, unused-ignore]
    Edit,
    convert,
    criteria_rows,
    demo_service,
    edit_return,
    whole_return_ids,
)

pytestmark = pytest.mark.slow

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file every Excel 97-2003 workbook is
# (sheet, reference) -> what a person types; each judgement is a word from the cell's drop-down.
WANTED_JUDGEMENTS = {
    ("ICT", "ICT-1-M1"): Judgement.PARTLY_MET,
    ("ICT", "ICT-2-M1"): Judgement.NOT_APPLICABLE,
    ("BEN", "BEN-1-M1"): Judgement.NOT_MET,
}
TYPED_NOTES = {
    ("ICT", "ICT-1-M1"): "=Reviewed by the chief executive, not a formula",
    ("ICT", "ICT-1-M2"): "Café £1,250 agreed for the kiosk\nSecond line: signed off in March",
    ("BEN", "BEN-1-M1"): "=A1+B2\nline two, Café £ 😀",
    ("BEN", "BEN-1-M3"): "Checked at the Café £ counter",
}
EDITED = sorted(set(WANTED_JUDGEMENTS) | set(TYPED_NOTES))
# `import returns` counts criteria, before and after: a criterion whose judgement and notes both changed is one.
CRITERIA_CHANGED = len(EDITED)  # 5: 2 with a judgement and notes, 1 judgement only, 2 notes only


@dataclass(frozen=True)
class StoreState:
    answers: dict[tuple[int, str], CriterionAnswer]
    """(assessment id, criterion ref) -> the answer, for every criterion of every assessment in the store."""
    records: dict[int, tuple[tuple[EvidenceItem, ...], tuple[ActionItem, ...]]]


@dataclass(frozen=True)
class EditedReturn:
    xls: Path
    assessment_of: dict[str, int]
    """Standard code -> the exported assessment's id (the same in every copy of the demo store)."""
    before: StoreState
    judgements: dict[tuple[str, str], Judgement]
    notes: dict[tuple[str, str], str]

    def expected(self) -> dict[tuple[int, str], tuple[Judgement, str]]:
        """(assessment id, ref) -> (judgement, notes) the edited criteria should have after the import."""
        found = {}
        for code, ref in EDITED:
            key = (self.assessment_of[code], ref)
            now = self.before.answers[key]
            found[key] = (self.judgements.get((code, ref), now.judgement), self.notes.get((code, ref), now.notes))
        return found


def state_of(service: WorkbookService) -> StoreState:
    answers: dict[tuple[int, str], CriterionAnswer] = {}
    records = {}
    for summary in service.list_assessments():
        snapshot = service.open(summary.id)
        for criterion in snapshot.standard.criteria():
            answers[summary.id, criterion.ref] = snapshot.answer(criterion.ref)
        records[summary.id] = (snapshot.evidence, snapshot.actions)
    return StoreState(answers, records)


def store_state(data_dir: Path) -> StoreState:
    store = open_store(data_dir)
    try:
        return state_of(WorkbookService(store, ""))
    finally:
        store.close()


def _other_word(now: Judgement, wanted: Judgement) -> Judgement:
    """``wanted``, or another drop-down word when the demo already says that, so it is always an edit."""
    if wanted is not now:
        return wanted
    return next(j for j in layout.JUDGEMENT_CHOICES if j is not now and j.is_assessed)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> EditedReturn:
    folder = tmp_path_factory.mktemp("libreoffice-xls")
    with demo_service(folder / "export-data", tmp_path_factory) as service:
        ids = whole_return_ids(service)
        assessment_of = {service.get_assessment(i).standard_code: i for i in ids}
        exported = export_return(service, ids, folder / "return.xlsx").path
    before = store_state(folder / "export-data")
    judgements = {
        (code, ref): _other_word(before.answers[assessment_of[code], ref].judgement, wanted)
        for (code, ref), wanted in WANTED_JUDGEMENTS.items()
    }
    for (code, ref), text in TYPED_NOTES.items():
        assert before.answers[assessment_of[code], ref].notes != text

    def edits(sheet: str) -> dict[str, Edit]:
        refs = sorted({ref for code, ref in EDITED if code == sheet})
        return {ref: Edit(judgement=judgements[sheet, ref].label if (sheet, ref) in judgements else None,
                          notes=TYPED_NOTES.get((sheet, ref))) for ref in refs}

    edit_return(exported, folder / "ict-edited.xlsx", "ICT", edits("ICT"))
    edit_return(folder / "ict-edited.xlsx", folder / "Elmworth return.xlsx", "BEN", edits("BEN"))
    xls = convert(folder / "Elmworth return.xlsx", "xls:MS Excel 97", folder / "saved-by-libreoffice",
                  folder / "libreoffice-profile")
    assert xls.suffix == ".xls" and xls.read_bytes()[:8] == OLE2_SIGNATURE
    # Read independently of the application: LibreOffice kept what was typed.
    for sheet in ("ICT", "BEN"):
        rows = criteria_rows(xls, sheet)
        for ref, edit in edits(sheet).items():
            if edit.judgement is not None:
                assert rows[ref][layout.JUDGEMENT.heading] == edit.judgement
            if edit.notes is not None:
                assert rows[ref][layout.NOTES.heading] == edit.notes
    return EditedReturn(xls, assessment_of, before, judgements, dict(TYPED_NOTES))


@pytest.fixture
def fresh_data_dir(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new copy of the same demo store the return was exported from."""
    with demo_service(data_dir, tmp_path_factory):
        pass
    return data_dir


def run(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data_dir), "import", "returns", *argv],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def assert_only_the_edits_applied(edited: EditedReturn, after: StoreState) -> None:
    expected = edited.expected()
    assert after.answers.keys() == edited.before.answers.keys()
    changed = {key for key in after.answers if after.answers[key] != edited.before.answers[key]}
    assert changed == set(expected)
    for key, (judgement, notes) in expected.items():
        assert (after.answers[key].judgement, after.answers[key].notes) == (judgement, notes), key
    assert after.records == edited.before.records


def test_the_libreoffice_xls_imports_with_the_edits_through_the_command(
    edited: EditedReturn, fresh_data_dir: Path, tmp_path: Path
) -> None:
    assert store_state(fresh_data_dir) == edited.before
    xls = str(edited.xls)

    dry_report = tmp_path / "dry-run.xlsx"
    dry = run(fresh_data_dir, xls, "--dry-run", "--report", str(dry_report))
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.stdout.splitlines() == [
        f"read   {xls}: a return exported by this application; {CRITERIA_CHANGED} criteria to change "
        "(dry run: nothing written)",
        f"report written to {dry_report}",
        "1 file(s): 1 read, 0 failed",
    ]
    assert store_state(fresh_data_dir) == edited.before
    files = load_workbook(dry_report)["Files"]
    assert [cell.value for cell in files[2]][:3] == [
        xls, FileStatus.OWN_RETURN.value,
        f"{xls}: a return exported by this application; {CRITERIA_CHANGED} criteria to change",
    ]
    rows = list(load_workbook(dry_report)["Rows"].iter_rows(min_row=2, values_only=True))
    assert sorted((row[1], row[4]) for row in rows) == EDITED  # the return's changes, not its rows
    assert all(str(row[10]).startswith("not imported (preview only): ") for row in rows)

    report = tmp_path / "report.xlsx"
    applied = run(fresh_data_dir, xls, "--report", str(report))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert applied.stdout.splitlines() == [
        f"done   {xls}: this application's return; {CRITERIA_CHANGED} criteria changed",
        f"report written to {report}",
        "1 file(s): 1 read, 0 failed",
    ]
    done = load_workbook(report)
    file_line = [cell.value for cell in done["Files"][2]]
    assert file_line[3:7] == ["Elmworth Council", "2006/07", CRITERIA_CHANGED, 0]
    outcomes = {(row[1], row[4]): row[10] for row in done["Rows"].iter_rows(min_row=2, values_only=True)}
    assert sorted(outcomes) == EDITED and all(str(o).startswith("imported: ") for o in outcomes.values())
    assert "judgement Met → Partly met" in str(outcomes["ICT", "ICT-1-M1"])
    assert_only_the_edits_applied(edited, store_state(fresh_data_dir))
    after_first = store_state(fresh_data_dir)

    again = run(fresh_data_dir, xls)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines() == [
        f"done   {xls}: this application's return; 0 criteria changed",
        "1 file(s): 1 read, 0 failed",
    ]
    assert store_state(fresh_data_dir) == after_first
    again_dry = run(fresh_data_dir, xls, "--dry-run")
    assert again_dry.returncode == 0 and "this application; 0 criteria to change" in again_dry.stdout


def test_a_folder_with_the_xls_and_a_bad_file_imports_the_good_one_and_names_the_bad(
    edited: EditedReturn, fresh_data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    good = folder / edited.xls.name
    good.write_bytes(edited.xls.read_bytes())
    (folder / "bad.xlsx").write_text("These are the minutes, not a spreadsheet.\n", encoding="utf-8")

    result = run(fresh_data_dir, str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    failed = [line for line in lines if line.startswith("FAILED")]
    assert len(failed) == 1 and "bad.xlsx" in failed[0] and "not a spreadsheet" in failed[0], lines
    assert f"done   {good}: this application's return; {CRITERIA_CHANGED} criteria changed" in lines
    assert lines[-1] == "2 file(s): 1 read, 1 failed"
    assert_only_the_edits_applied(edited, store_state(fresh_data_dir))


@pytest.fixture
def service(fresh_data_dir: Path) -> Iterator[WorkbookService]:
    store = open_store(fresh_data_dir)
    try:
        yield WorkbookService(store, "Service tester")
    finally:
        store.close()


def test_the_service_previews_applies_and_then_finds_nothing_more(
    edited: EditedReturn, service: WorkbookService
) -> None:
    (preview,) = preview_legacy_imports(service, [edited.xls])
    assert preview.status is FileStatus.OWN_RETURN and not preview.failed
    own = preview.own_return
    assert own is not None and not own.legacy
    assert (own.warnings, own.conflicts) == ((), ())
    before = edited.before.answers
    found = {(c.assessment_id, c.ref): (c.judgement, c.notes) for c in own.changes}
    wanted = {}
    for (assessment, ref), (judgement, notes) in edited.expected().items():
        now = before[assessment, ref]
        wanted[assessment, ref] = (
            (now.judgement, judgement) if judgement is not now.judgement else None,
            (now.notes, notes) if notes != now.notes else None,
        )
    assert found == wanted
    exported_criteria = sum(1 for assessment, _ in before if assessment in edited.assessment_of.values())
    assert own.unchanged == exported_criteria - len(EDITED)

    applied = apply_legacy_import(service, preview)
    assert (applied.imported, applied.left) == (CRITERIA_CHANGED, ())
    assert (applied.authority, applied.round_label) == ("Elmworth Council", "2006/07")
    assert sorted(applied.assessments) == sorted(edited.assessment_of.values())
    assert_only_the_edits_applied(edited, state_of(service))

    (again,) = preview_legacy_imports(service, [edited.xls])
    assert again.status is FileStatus.OWN_RETURN
    assert again.own_return is not None and (again.own_return.changes, again.own_return.conflicts) == ((), ())
    assert again.own_return.unchanged == exported_criteria
