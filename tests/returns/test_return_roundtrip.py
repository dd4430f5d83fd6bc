"""Export, edit in a spreadsheet as a person would, import: exactly the edits come back, nothing else."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from return_support import Edit, assessment_id, criteria_rows, demo_service, edit_return, whole_return_ids

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns import layout
from nesds_desktop.services.return_service import (
    AnswerChange,
    apply_return_import,
    export_return,
    preview_return_import,
)
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage import assessment_repository as repo

LABELS = {j.label: j for j in Judgement}

# What a person can type into a cell: any character but surrogates, control characters other
# than tab and line feed (a cell cannot hold them) and the two XML non-characters.
TYPED = st.characters(
    exclude_categories=("Cs", "Cc"), include_characters="\n\t", exclude_characters="\ufffe\uffff"
)
AWKWARD = (
    "=", "+", "-", "@", "=SUM(A1:A3)", "=1+1", "+44 1632 960000", "-3", "@risk", '"quoted"', "'apostrophe",
    "\n", "\n\n", "\t", " ", "_x0041_", "_x005F_", "<b>&amp;</b>", "£ € ¥", "😀👍🏽", "Ünïcødé café", "ﬁ ligature",
    "\u200b", "\u2028", "Ωμέγα", "中文", "עברית", "#N/A", "TRUE", "1/4/2007", "0012", "1e5",
)


@pytest.fixture
def service(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    with demo_service(data_dir, tmp_path_factory) as opened:
        yield opened


def _person_text(text: str) -> str:
    # A cell of nothing but spaces reads back as empty, so that is what typing it amounts to.
    return text if text.strip() else ""


def _fit_cell(text: str) -> str:
    # Excel counts UTF-16 units; openpyxl, standing in for Excel here, also cuts its escaped text at the limit.
    while True:
        excess = max(layout.excel_length(text), len(layout.excel_escaped(text))) - layout.CELL_LIMIT
        if excess <= 0:
            return text
        text = text[: len(text) - excess]


short_notes = st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(TYPED, max_size=20)), max_size=8).map(
    lambda parts: _person_text("".join(parts))
)
long_notes = st.tuples(
    st.lists(st.sampled_from(AWKWARD), min_size=1, max_size=6).map("".join),
    st.integers(min_value=1_000, max_value=layout.CELL_LIMIT),
).map(lambda pair: _person_text(_fit_cell((pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]])))
typed_judgement = st.sampled_from([*LABELS, "met", "PARTLY MET", " Not met ", ""])


def _judgement_of(typed: str) -> Judgement:
    found = layout.judgement_from_text(typed)
    assert found is not None
    return found


@pytest.fixture
def ict_return(service: WorkbookService, tmp_path: Path) -> tuple[int, Path]:
    ict = assessment_id(service, "ICT")
    return ict, export_return(service, [ict], tmp_path / "ict.xlsx").path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.dictionaries(
        st.sampled_from([f"ICT-{s}-{lv}{n}" for s in (1, 2, 3) for lv in "MPE" for n in (1, 2)]),
        st.builds(
            Edit,
            judgement=st.one_of(st.none(), typed_judgement),
            notes=st.one_of(st.none(), short_notes, long_notes),
        ),
        max_size=6,
    )
)
def test_the_preview_lists_exactly_what_was_edited(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path, edits: dict[str, Edit]
) -> None:
    ict, exported = ict_return
    snapshot = service.open(ict)
    edited = tmp_path / "edited.xlsx"
    edit_return(exported, edited, "ICT", edits)

    preview = preview_return_import(service, edited)

    expected = []
    for ref, edit in edits.items():
        before = snapshot.answer(ref)
        judgement = None
        if edit.judgement is not None and _judgement_of(edit.judgement) is not before.judgement:
            judgement = (before.judgement, _judgement_of(edit.judgement))
        notes = None
        if edit.notes is not None and edit.notes != before.notes:
            notes = (before.notes, edit.notes)
        if judgement or notes:
            expected.append(AnswerChange(ict, "ICT", ref, judgement, notes))
    order = [c.ref for c in snapshot.standard.criteria()]
    assert not preview.legacy and preview.warnings == () and preview.conflicts == ()
    assert list(preview.changes) == sorted(expected, key=lambda c: order.index(c.ref))
    assert preview.unchanged == len(order) - len(expected)
    # Previewing wrote nothing.
    assert service.open(ict).answers == snapshot.answers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.lists(st.one_of(short_notes, long_notes, st.text(max_size=40)), min_size=1, max_size=4))
def test_awkward_notes_in_the_workbook_export_and_read_back_unchanged(
    service: WorkbookService, tmp_path: Path, notes: list[str]
) -> None:
    ict = assessment_id(service, "ICT")
    refs = [c.ref for c in service.open(ict).standard.criteria()][: len(notes)]
    for ref, text in zip(refs, notes, strict=True):
        service.set_notes(ict, ref, text)
    path = export_return(service, [ict], tmp_path / "awkward.xlsx").path

    rows = criteria_rows(path, "ICT")
    for ref, text in zip(refs, notes, strict=True):
        assert rows[ref]["Evidence notes"] == layout.cell_form(text)
    preview = preview_return_import(service, path)
    assert (preview.legacy, preview.changes, preview.conflicts, preview.warnings) == (False, (), (), ())


def test_applying_records_exactly_the_previewed_changes_each_in_the_history(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    ict, exported = ict_return
    before = service.open(ict)
    edits = {
        "ICT-1-M1": Edit(judgement="Not met", notes="=Checked with the Head of ICT; the strategy lapsed in March"),
        "ICT-2-P1": Edit(judgement="Partly met"),
        "ICT-3-E1": Edit(notes="+ new evidence:\n- minutes of 3 May\n- \"Security policy v2\""),
        "ICT-4-M1": Edit(judgement=before.answer("ICT-4-M1").judgement.label, notes=before.answer("ICT-4-M1").notes),
    }
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", edits)
    with service.store.session() as session:
        history_before = len(repo.history(session, ict))

    preview = preview_return_import(service, tmp_path / "edited.xlsx")
    assert [c.ref for c in preview.changes] == ["ICT-1-M1", "ICT-2-P1", "ICT-3-E1"]
    applied = apply_return_import(service, preview)

    assert (applied.applied, applied.skipped) == (4, ())
    after = service.open(ict)
    assert after.answer("ICT-1-M1").judgement is Judgement.NOT_MET
    assert after.answer("ICT-1-M1").notes == edits["ICT-1-M1"].notes
    assert after.answer("ICT-2-P1").judgement is Judgement.PARTLY_MET
    assert after.answer("ICT-2-P1").notes == before.answer("ICT-2-P1").notes
    assert after.answer("ICT-3-E1").notes == edits["ICT-3-E1"].notes
    assert after.answer("ICT-3-E1").judgement is before.answer("ICT-3-E1").judgement
    assert after.answer("ICT-1-M1").changed_by == "Sam Returns"
    changed = {"ICT-1-M1", "ICT-2-P1", "ICT-3-E1"}
    assert {r: a for r, a in after.answers.items() if r not in changed} == {
        r: a for r, a in before.answers.items() if r not in changed
    }
    with service.store.session() as session:
        assert len(repo.history(session, ict)) == history_before + 4
    assert after.summary.level_label == service.result(ict).level_label
    # The same return again: everything in it is now in the workbook, so nothing is left to apply.
    assert preview_return_import(service, tmp_path / "edited.xlsx").changes == ()


def test_a_multi_standard_return_updates_each_assessment(service: WorkbookService, tmp_path: Path) -> None:
    ids = whole_return_ids(service)
    cs, htw = assessment_id(service, "CS"), assessment_id(service, "HTW")
    new_judgement = Judgement.NOT_MET if service.answer(htw, "HTW-7-E3").judgement is Judgement.MET else Judgement.MET
    exported = export_return(service, ids, tmp_path / "all.xlsx").path
    edit_return(exported, tmp_path / "step.xlsx", "CS", {"CS-1-M1": Edit(notes="Customer panel minutes")})
    edit_return(tmp_path / "step.xlsx", tmp_path / "edited.xlsx", "HTW",
                {"HTW-7-E3": Edit(judgement=new_judgement.label)})

    preview = preview_return_import(service, tmp_path / "edited.xlsx")
    assert [(c.assessment_id, c.ref) for c in preview.changes] == [(cs, "CS-1-M1"), (htw, "HTW-7-E3")]
    assert preview.unchanged == 586 - 2
    apply_return_import(service, preview)
    assert service.answer(cs, "CS-1-M1").notes == "Customer panel minutes"
    assert service.answer(htw, "HTW-7-E3").judgement is new_judgement


def test_a_criterion_changed_in_the_workbook_since_export_is_a_conflict_not_overwritten(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    ict, exported = ict_return
    service.set_notes(ict, "ICT-1-M1", "Said at the follow-up meeting")
    service.set_judgement(ict, "ICT-1-M2", Judgement.NOT_MET)
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", {
        "ICT-1-M1": Edit(notes="Written by the service head", judgement="Partly met"),
        "ICT-1-M3": Edit(notes="No conflict here"),
    })

    preview = preview_return_import(service, tmp_path / "edited.xlsx")
    assert [(c.ref, c.judgement is not None, c.notes is not None) for c in preview.changes] == [
        ("ICT-1-M1", True, False), ("ICT-1-M3", False, True),
    ]
    assert [(c.ref, c.notes) for c in preview.conflicts] == [
        ("ICT-1-M1", ("Said at the follow-up meeting", "Written by the service head")),
    ]
    assert any("ICT-1-M1" in w and "not applied" in w for w in preview.warnings)
    apply_return_import(service, preview)
    assert service.answer(ict, "ICT-1-M1").notes == "Said at the follow-up meeting"
    assert service.answer(ict, "ICT-1-M2").judgement is Judgement.NOT_MET  # changed only in the workbook: kept


def test_a_change_made_between_preview_and_apply_is_kept(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    ict, exported = ict_return
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", {"ICT-2-M1": Edit(notes="From the return")})
    preview = preview_return_import(service, tmp_path / "edited.xlsx")
    service.set_notes(ict, "ICT-2-M1", "Typed in the workshop meanwhile")
    applied = apply_return_import(service, preview)
    assert applied.applied == 0
    assert applied.skipped == ("ICT-2-M1: the evidence notes were changed in the workbook after the preview",)
    assert service.answer(ict, "ICT-2-M1").notes == "Typed in the workshop meanwhile"


def test_rows_are_found_by_reference_so_a_sorted_sheet_reads_the_same(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    _ict, exported = ict_return
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", {"ICT-7-E3": Edit(judgement="Met", notes="sorted")})
    workbook = load_workbook(tmp_path / "edited.xlsx")
    sheet = workbook["ICT"]
    first, last = layout.FIRST_CRITERION_ROW, sheet.max_row
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=first, max_row=last)]
    for offset, values in enumerate(reversed(rows)):  # sorted Z to A, as the filter's sort would
        for column, value in enumerate(values, start=1):
            sheet.cell(row=first + offset, column=column).value = value
    workbook.save(tmp_path / "sorted.xlsx")
    assert criteria_rows(tmp_path / "sorted.xlsx", "ICT")["ICT-7-E3"]["Evidence notes"] == "sorted"

    preview = preview_return_import(service, tmp_path / "sorted.xlsx")
    assert [(c.ref, c.notes is not None) for c in preview.changes] == [("ICT-7-E3", True)]
    assert preview.warnings == ()


def test_what_cannot_be_imported_is_reported_and_left_alone(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    ict, exported = ict_return
    edit_return(exported, tmp_path / "step.xlsx", "ICT", {
        "ICT-1-M1": Edit(judgement="Mostly", notes="the notes still count"),
    })
    workbook = load_workbook(tmp_path / "step.xlsx")
    sheet = workbook["ICT"]
    refs = {sheet.cell(row=r, column=1).value: r for r in range(layout.FIRST_CRITERION_ROW, sheet.max_row + 1)}
    sheet.cell(row=refs["ICT-1-M2"], column=9).value = "Someone Else"  # the owner: information only
    sheet.delete_rows(refs["ICT-2-M1"])
    sheet.cell(row=sheet.max_row + 1, column=1).value = "ICT-9-Z9"
    workbook.save(tmp_path / "edited.xlsx")

    preview = preview_return_import(service, tmp_path / "edited.xlsx")
    assert [(c.ref, c.judgement, c.notes is not None) for c in preview.changes] == [("ICT-1-M1", None, True)]
    warnings = "\n".join(preview.warnings)
    assert "ICT-1-M1: \u201cMostly\u201d is not a judgement" in warnings
    assert "no row for ICT-2-M1" in warnings
    assert "not in this return are ignored: ICT-9-Z9" in warnings
    assert "columns other than Judgement and Evidence notes were changed for ICT-1-M2" in warnings
    assert service.answer(ict, "ICT-1-M1").judgement is service.open(ict).answer("ICT-1-M1").judgement


def test_a_copied_row_makes_that_criterion_ambiguous(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    _ict, exported = ict_return
    workbook = load_workbook(exported)
    sheet = workbook["ICT"]
    copy_row = sheet.max_row + 1
    for column in range(1, 11):
        sheet.cell(row=copy_row, column=column).value = sheet.cell(row=layout.FIRST_CRITERION_ROW, column=column).value
    sheet.cell(row=copy_row, column=5).value = "Not met"
    workbook.save(tmp_path / "copied.xlsx")
    preview = preview_return_import(service, tmp_path / "copied.xlsx")
    assert preview.changes == ()
    assert any("more than one row for ICT-1-M1" in w for w in preview.warnings)


def test_a_return_copied_elsewhere_reads_the_same(
    service: WorkbookService, ict_return: tuple[int, Path], tmp_path: Path
) -> None:
    _ict, exported = ict_return
    moved = tmp_path / "sent by email" / "Kilmore ICT return (2).XLSX"
    moved.parent.mkdir()
    shutil.copyfile(exported, moved)
    preview = preview_return_import(service, moved)
    assert not preview.legacy and preview.changes == ()
