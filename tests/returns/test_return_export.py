"""Exporting a return: what is in it, how it is set up, and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from return_support import assessment_id, criteria_rows, demo_service, sheet_rows, whole_return_ids, xml_cells

from nesds_desktop.domain.assessments import Action, ActionState, total_savings
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.returns import layout
from nesds_desktop.returns.return_writer import standard_sheet_name
from nesds_desktop.services import return_service
from nesds_desktop.services.return_service import ReturnError, export_return
from nesds_desktop.services.workbook_service import WorkbookService


@pytest.fixture
def service(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    with demo_service(data_dir, tmp_path_factory) as opened:
        yield opened


def _flat(rows: list[list[object]]) -> str:
    return "\n".join(" | ".join(str(value) for value in row) for row in rows)


def test_a_return_has_a_cover_one_sheet_per_standard_actions_and_hidden_metadata(
    service: WorkbookService, tmp_path: Path
) -> None:
    ids = whole_return_ids(service)
    exported = export_return(service, ids, tmp_path / "return.xlsx")

    codes = [s.code for s in service.release("nesds-2006.1").standards]
    assert exported.sheets == ("Cover", *codes, "Actions", layout.METADATA_SHEET)
    assert (exported.assessments, exported.criteria) == (10, 586)
    workbook = load_workbook(exported.path)
    states = {sheet.title: sheet.sheet_state for sheet in workbook.worksheets}
    assert states.pop(layout.METADATA_SHEET) == "hidden"
    assert set(states.values()) == {"visible"}
    assert workbook.active.title == "Cover"
    assert workbook.properties.language == "en-GB"


def test_the_cover_names_the_authority_round_people_dates_release_and_levels(
    service: WorkbookService, tmp_path: Path
) -> None:
    ict = assessment_id(service, "ICT")
    summary = service.get_assessment(ict)
    path = export_return(service, [ict], tmp_path / "ict.xlsx").path
    cover = _flat(sheet_rows(path, "Cover"))

    authority = summary.authority.authority
    for expected in (authority.name, authority.type.label, authority.gss_code, authority.region.label, "2006/07",
                     "ICT Information and Communications Technology", summary.facilitator, summary.participants,
                     "NeSDS e-Standards 2006.1 (nesds-2006.1)", "Sam Returns"):
        assert expected and expected in cover, expected
    assert summary.workshop_start is not None
    assert f"{summary.workshop_start.day} {summary.workshop_start:%b %Y}" in cover
    result = service.result(ict)
    for section in result.sections:
        line = f"ICT | {section.number}. {section.title} | {section.level_label} | "
        assert line + " | ".join(s.share_text for s in section.shares) + f" | {section.explanation}" in cover
    assert f"ICT | Standard overall | {result.level_label} | " in cover
    totals = total_savings(a.action for a in service.open(ict).actions)
    rows = sheet_rows(path, "Cover")
    savings = {row[0]: row[1] for row in rows if row[0] in {"Cashable", "Non-cashable", "Total"}}
    assert savings == {"Cashable": float(totals.cashable), "Non-cashable": float(totals.non_cashable),
                       "Total": float(totals.total)}


def test_each_criterion_row_carries_the_assessment(service: WorkbookService, tmp_path: Path) -> None:
    ict = assessment_id(service, "ICT")
    snapshot = service.open(ict)
    path = export_return(service, [ict], tmp_path / "ict.xlsx").path
    rows = criteria_rows(path, "ICT")

    assert list(rows) == [c.ref for c in snapshot.standard.criteria()]
    linked_rows = 0
    for section in snapshot.standard.sections:
        for criterion in section.criteria:
            row = rows[criterion.ref]
            answer = snapshot.answer(criterion.ref)
            assert row["Section"] == f"{section.number}. {section.title}"
            assert row["Level"] == criterion.level.label
            assert row["Criterion"] == criterion.statement
            assert row["Judgement"] == answer.judgement.label
            assert row["Evidence notes"] == answer.notes
            for evidence in snapshot.evidence_for(criterion.ref):
                assert evidence.reference.title in row["Evidence references"]
                assert evidence.reference.location in row["Evidence references"]
            for linked in snapshot.actions_for(criterion.ref):
                linked_rows += 1
                assert linked.action.description in row["Linked actions"]
                assert linked.action.owner in row["Owner"]
                assert linked.action.due is not None
                assert f"{linked.action.due.day} {linked.action.due:%b %Y}" in row["Due date"]
    assert linked_rows > 0, "the demo assessment should have actions linked to criteria"


def test_judgement_cells_offer_every_judgement_in_a_drop_down(service: WorkbookService, tmp_path: Path) -> None:
    path = export_return(service, whole_return_ids(service), tmp_path / "all.xlsx").path
    workbook = load_workbook(path)
    for standard in service.release("nesds-2006.1").standards:
        sheet = workbook[standard.code]
        count = sum(1 for _ in standard.criteria())
        [validation] = sheet.data_validations.dataValidation
        assert validation.type == "list"
        assert validation.formula1 == '"Met,Partly met,Not met,Not applicable,Not yet assessed"'
        assert validation.showErrorMessage and validation.errorStyle == "stop"
        assert str(validation.sqref) == f"E5:E{4 + count}"
        assert sheet["E4"].value == "Judgement"


def test_sheets_are_set_up_for_screen_and_for_printing_on_a4(service: WorkbookService, tmp_path: Path) -> None:
    path = export_return(service, [assessment_id(service, "CS")], tmp_path / "cs.xlsx").path
    workbook = load_workbook(path)
    sheet = workbook["CS"]
    last = 4 + sum(1 for _ in service.standard("nesds-2006.1", "CS").criteria())
    assert sheet.freeze_panes == "B5"
    assert sheet.auto_filter.ref == f"A4:J{last}"
    assert [sheet.column_dimensions[c].width for c in "ABCDEFGHIJ"] == [c.width for c in layout.CRITERIA_COLUMNS]
    assert sheet["D5"].alignment.wrap_text and sheet["F5"].alignment.wrap_text
    assert sheet.row_dimensions[5].height >= 2 * 12.75  # a criterion's statement takes more than one line
    assert sheet["E5"].fill.fgColor.rgb.endswith("FFF2CC")  # editable cells are shaded
    for name in ("Cover", "CS", "Actions"):
        printed = workbook[name]
        assert printed.page_setup.orientation == "landscape"
        assert printed.page_setup.paperSize == 9  # A4
        assert (printed.page_setup.fitToWidth, printed.page_setup.fitToHeight) == (1, 0)
        assert printed.sheet_properties.pageSetUpPr.fitToPage
        assert printed.oddFooter.right.text == "Page &P of &N"
        assert printed.oddHeader.left.text == service.get_assessment(assessment_id(service, "CS")).authority.name
    assert workbook["CS"].print_title_rows == "$4:$4"
    assert workbook["Actions"].print_title_rows == "$4:$4"


def test_the_actions_sheet_adds_up_savings_leaving_out_cancelled_actions(
    service: WorkbookService, tmp_path: Path
) -> None:
    ids = whole_return_ids(service)
    ict = assessment_id(service, "ICT")
    service.add_action(ict, Action("Abandoned idea", owner="Nobody", state=ActionState.CANCELLED,
                                   saving_cashable=Decimal("99999.99")))
    path = export_return(service, ids, tmp_path / "all.xlsx").path

    actions = [item.action for i in ids for item in service.open(i).actions]
    totals = total_savings(actions)
    rows = sheet_rows(path, "Actions")
    codes = {s.code for s in service.release("nesds-2006.1").standards}
    listed = [row for row in rows[4:] if row[0] in codes]
    assert len(listed) == len(actions)
    assert any(row[2] == "Abandoned idea" and row[6] == "Cancelled" for row in listed)
    total_row = next(row for row in rows if str(row[2]).startswith("Total of"))
    assert f"Total of {totals.actions} action(s)" in total_row[2]
    assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in total_row[7:10]] == [
        totals.cashable, totals.non_cashable, totals.total,
    ]
    every = total_savings(actions, include_cancelled=True)
    assert every.cashable - totals.cashable == Decimal("99999.99")
    # The cover gives the same totals.
    cover_values = [value for row in sheet_rows(path, "Cover") for value in row]
    for amount in (totals.cashable, totals.non_cashable, totals.total):
        assert float(amount) in cover_values


def test_no_cell_of_the_demo_authoritys_whole_return_is_a_formula(service: WorkbookService, tmp_path: Path) -> None:
    ids = whole_return_ids(service)
    awkward = ["=SUM(A1:A3)", "+44 1632 960000", "-5 days late", "@risk register", "=HYPERLINK(\"http://x\")"]
    refs = [c.ref for c in service.open(ids[0]).standard.criteria()]
    for ref, text in zip(refs, awkward, strict=False):
        service.set_notes(ids[0], ref, text)
    service.add_action(ids[0], Action("=1+1 looks like a formula", owner="@owner"))
    path = export_return(service, ids, tmp_path / "all.xlsx").path

    cells = xml_cells(path)
    assert len(cells) > 10 * 586
    assert [c for c in cells if c.has_formula] == []
    assert {c.type for c in cells} <= {"inlineStr", "n", None}
    texts = {c.text for c in cells if c.type == "inlineStr"}
    assert set(awkward) <= texts and "=1+1 looks like a formula" in texts
    with pytest.raises(StopIteration):
        next(c for c in cells if c.type == "str")


def test_text_a_spreadsheet_would_decode_or_could_not_hold_is_written_as_it_reads(
    service: WorkbookService, tmp_path: Path
) -> None:
    ict = assessment_id(service, "ICT")
    notes = {
        "ICT-1-M1": "_x0041_ is not an A",
        "ICT-1-M2": "line one\r\nline two\rline three",
        "ICT-1-M3": "bell\x07 and \ufffe gone",
        "ICT-1-P1": "   ",
    }
    for ref, text in notes.items():
        service.set_notes(ict, ref, text)
    path = export_return(service, [ict], tmp_path / "ict.xlsx").path
    rows = criteria_rows(path, "ICT")
    assert rows["ICT-1-M1"]["Evidence notes"] == "_x0041_ is not an A"
    assert rows["ICT-1-M2"]["Evidence notes"] == "line one\nline two\nline three"
    assert rows["ICT-1-M3"]["Evidence notes"] == "bell and  gone"
    assert rows["ICT-1-P1"]["Evidence notes"] == ""
    # Nothing was changed in the spreadsheet, so importing it changes nothing.
    preview = return_service.preview_return_import(service, path)
    assert (preview.legacy, preview.changes, preview.warnings) == (False, (), ())


def test_notes_longer_than_a_cell_holds_are_cut_short_with_a_warning(
    service: WorkbookService, tmp_path: Path
) -> None:
    ict = assessment_id(service, "ICT")
    service.set_notes(ict, "ICT-2-M1", "evidence " * 5000)
    exported = export_return(service, [ict], tmp_path / "ict.xlsx")
    assert exported.warnings == ("ICT-2-M1 evidence notes is longer than a spreadsheet cell holds, "
                                 "so it is cut short in the return",)
    written = criteria_rows(exported.path, "ICT")["ICT-2-M1"]["Evidence notes"]
    assert len(written) == layout.CELL_LIMIT and written.endswith(layout.TRUNCATION_MARKER)
    assert return_service.preview_return_import(service, exported.path).changes == ()


def test_a_return_mixing_authorities_or_rounds_is_refused_saying_which(
    service: WorkbookService, tmp_path: Path
) -> None:
    first, other = assessment_id(service, "ICT", 0), assessment_id(service, "CS", 1)
    with pytest.raises(ReturnError, match="one authority in one round") as refused:
        export_return(service, [first, other], tmp_path / "mixed.xlsx")
    names = {service.get_assessment(i).authority.name for i in (first, other)}
    assert all(name in str(refused.value) for name in names) and "2 authorities" in str(refused.value)

    earlier = next(s.id for s in service.list_assessments() if s.round.label == "2005/06"
                   and s.authority.id == service.get_assessment(first).authority.id and s.standard_code == "CS")
    with pytest.raises(ReturnError, match="2 rounds"):
        export_return(service, [first, earlier], tmp_path / "mixed.xlsx")
    assert not (tmp_path / "mixed.xlsx").exists()


def test_other_refusals_say_what_to_do(service: WorkbookService, tmp_path: Path) -> None:
    ict = assessment_id(service, "ICT")
    with pytest.raises(ReturnError, match="at least one assessment"):
        export_return(service, [], tmp_path / "r.xlsx")
    with pytest.raises(ReturnError, match="there is no assessment 99999"):
        export_return(service, [99999], tmp_path / "r.xlsx")
    with pytest.raises(ReturnError, match=r"ending \.xlsx"):
        export_return(service, [ict], tmp_path / "r.xls")
    with pytest.raises(ReturnError, match="does not exist"):
        export_return(service, [ict], tmp_path / "missing" / "r.xlsx")
    duplicate = service.duplicate_into_round(assessment_id(service, "ICT"), service.get_assessment(ict).round.next())
    copy_back = service.duplicate_into_round(duplicate.id, service.get_assessment(ict).round)
    with pytest.raises(ReturnError, match="both for ICT"):
        export_return(service, [ict, copy_back.id], tmp_path / "r.xlsx")


def test_the_file_is_replaced_only_when_the_new_one_is_complete(
    service: WorkbookService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ict = assessment_id(service, "ICT")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "ict.xlsx"
    target.write_bytes(b"the previous return")

    def failing(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nesds_desktop.returns.return_writer._Writer.write", failing)
    with pytest.raises(ReturnError, match="could not be written: No space left on device"):
        export_return(service, [ict], target)
    assert target.read_bytes() == b"the previous return"
    assert sorted(p.name for p in folder.iterdir()) == ["ict.xlsx"]
    monkeypatch.undo()
    monkeypatch.setattr("pathlib.Path.replace", _refuse_replace)
    with pytest.raises(ReturnError, match="may be open in a spreadsheet program"):
        export_return(service, [ict], target)
    assert target.read_bytes() == b"the previous return"
    assert sorted(p.name for p in folder.iterdir()) == ["ict.xlsx"]
    monkeypatch.undo()

    steps: list[tuple[int, int]] = []
    export_return(service, [ict], target, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(p.name for p in folder.iterdir()) == ["ict.xlsx"]
    assert criteria_rows(target, "ICT")


def _refuse_replace(self: Path, target: Path) -> Path:
    raise PermissionError(13, "Permission denied", str(target))


def test_sheet_names_are_legal_and_never_take_a_reserved_name() -> None:
    assert standard_sheet_name("ICT") == "ICT"
    assert standard_sheet_name("A/B:C*?[]") == "A_B_C____"
    assert standard_sheet_name("Cover") == "Cover_"
    assert len(standard_sheet_name("X" * 40)) == 31


def test_the_levels_in_the_return_are_those_of_the_level_rule(service: WorkbookService, tmp_path: Path) -> None:
    ict = assessment_id(service, "ICT")
    for ref in ("ICT-1-M1", "ICT-2-M1"):
        service.set_judgement(ict, ref, Judgement.NOT_MET)
    snapshot = service.open(ict)
    result = assess_standard(snapshot.standard, snapshot.judgements())
    path = export_return(service, [ict], tmp_path / "ict.xlsx").path
    title_rows = sheet_rows(path, "ICT")[:3]
    assert title_rows[1][0].endswith(f"level achieved: {result.level_label}")
    assert title_rows[2][0] == result.explanation
    assert "ICT-1-M1" in result.explanation
