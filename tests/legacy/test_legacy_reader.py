"""Reading legacy returns from real .xlsx, .xls and .ods files of the shapes councils used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from legacy_files import Rows, ict_return_rows, release, standards, write_ods, write_xls, write_xlsx

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns.legacy.model import LegacyReading
from nesds_desktop.returns.legacy.reader import field_for_header, read_legacy_workbook

Writer = Callable[[Path, dict[str, Rows]], Path]
WRITERS: dict[str, Writer] = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}


def read(path: Path) -> LegacyReading:
    return read_legacy_workbook(path.read_bytes(), path.name, standards())


@pytest.mark.parametrize("suffix", WRITERS)
def test_header_on_row_4_under_a_title_block(tmp_path: Path, suffix: str) -> None:
    rows = ict_return_rows(["Yes", "No", "Partly"])
    path = WRITERS[suffix](tmp_path / f"return{suffix}", {"ICT": rows})
    reading = read(path)
    assert reading.problems == ()
    (sheet,) = reading.sheets
    assert sheet.header_row == 4
    assert sheet.standard_code == "ICT"
    assert sheet.columns == {"ref": "Ref", "statement": "Criterion", "judgement": "Met?", "notes": "Comments"}
    section = release().standard("ICT").sections[0]
    assert [(m.row.row, m.criterion_ref, m.judgement, m.flags) for m in sheet.matches] == [
        (5, section.criteria[0].ref, Judgement.MET, ()),
        (6, section.criteria[1].ref, Judgement.NOT_MET, ()),
        (7, section.criteria[2].ref, Judgement.PARTLY_MET, ()),
    ]
    assert sheet.matches[0].row.notes == "note 1"
    assert reading.authority_hint == "Anytown Borough Council" and reading.round_hint == "2006/07"


def test_a_merged_title_and_blank_spacer_rows_and_section_headings_are_skipped(tmp_path: Path) -> None:
    rows = ict_return_rows(["Yes", "No"])
    rows.insert(4, ["", "Section 1: Strategy and governance", "", ""])
    rows.insert(6, ["", "", "", ""])
    path = write_xlsx(tmp_path / "merged.xlsx", {"ICT": rows}, merge=[("ICT", "A1:D2")])
    (sheet,) = read(path).sheets
    assert [m.row.row for m in sheet.matches] == [6, 8]
    assert all(not m.flags for m in sheet.matches)


def test_columns_in_another_order_with_other_names(tmp_path: Path) -> None:
    criteria = release().standard("BEN").sections[1].criteria
    rows: Rows = [["Benefits e-standard return", "", "", "", "", "", ""],
                  ["Status", "Lead officer", "Evidence", "Standard", "No.", "By when", "Action required"]]
    rows += [
        ["Achieved", "J. Smith", "Service plan 2006", criteria[0].statement, "2.1", 39172, ""],
        ["In progress", "A. Patel", "", criteria[1].statement, "2.2", "30/09/2007", "Draft the policy"],
        ["Not started", "", "", criteria[2].statement, "2.3", "", ""],
    ]
    (sheet,) = read(write_xls(tmp_path / "Benefits.xls", {"Benefits": rows})).sheets
    assert sheet.header_row == 2
    assert sheet.standard_code == "BEN"
    assert set(sheet.columns) == {"judgement", "owner", "evidence", "statement", "ref", "due", "action"}
    first, second, third = sheet.matches
    assert (first.criterion_ref, first.judgement, first.row.owner, first.row.evidence, first.row.due) == (
        criteria[0].ref, Judgement.MET, "J. Smith", "Service plan 2006", date(2007, 3, 31))
    assert (second.judgement, second.row.action, second.row.due) == (
        Judgement.PARTLY_MET, "Draft the policy", date(2007, 9, 30))
    assert (third.criterion_ref, third.judgement, third.flags) == (criteria[2].ref, Judgement.NOT_MET, ())


def test_rows_without_references_are_matched_by_reworded_text(tmp_path: Path) -> None:
    criteria = release().standard("HSG").sections[2].criteria
    rows: Rows = [["Criterion", "RAG"]]
    for criterion in criteria:
        rows.append([criterion.statement.replace("council", "authority").replace("The ", ""), "Green"])
    (sheet,) = read(write_ods(tmp_path / "housing.ods", {"Housing 2005-06": rows})).sheets
    assert sheet.standard_code == "HSG"
    assert [m.criterion_ref for m in sheet.matches] == [c.ref for c in criteria]
    assert all(m.matched_by == "text" and not m.flags for m in sheet.matches)


def test_one_sheet_for_all_standards_uses_each_reference_code(tmp_path: Path) -> None:
    rows: Rows = [["Ref", "Criterion", "Judgement"], ["ICT-1-M1", "", "Met"], ["BEN 1.1", "", "Not met"],
                  ["SC 2.2", "", "Partly met"]]
    (sheet,) = read(write_xlsx(tmp_path / "all.xlsx", {"Return": rows})).sheets
    assert sheet.standard_code is None
    second_of_sc_2 = release().standard("SC").sections[1].criteria[1].ref
    assert [m.criterion_ref for m in sheet.matches] == ["ICT-1-M1", "BEN-1-M1", second_of_sc_2]


def test_unknown_values_and_two_rows_claiming_one_criterion_are_flagged(tmp_path: Path) -> None:
    rows: Rows = [["Ref", "Status"], ["ICT-1-M1", "Met"], ["ICT-1-M2", "Sort of"], ["ICT 1.1", "No"]]
    (sheet,) = read(write_xlsx(tmp_path / "dupes.xlsx", {"ICT": rows})).sheets
    first, unknown, duplicate = sheet.matches
    assert any("also claim ICT-1-M1" in f for f in first.flags)
    assert any("also claim ICT-1-M1" in f for f in duplicate.flags)
    assert unknown.judgement is None and any("Sort of" in f for f in unknown.flags)


def test_hidden_columns_are_not_read(tmp_path: Path) -> None:
    rows: Rows = [["Ref", "Status 2004/05", "Status"], ["ICT-1-M1", "No", "Yes"], ["ICT-1-M2", "No", "Partly"]]
    path = write_xlsx(tmp_path / "hidden.xlsx", {"ICT": rows}, hidden_columns=[("ICT", "B")])
    (sheet,) = read(path).sheets
    assert sheet.columns["judgement"] == "Status"
    assert [m.judgement for m in sheet.matches] == [Judgement.MET, Judgement.PARTLY_MET]


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_hidden_copy_of_a_column_is_passed_over_for_the_visible_one(tmp_path: Path, suffix: str) -> None:
    # Two columns headed alike: only which one is hidden tells the old copy from the answers.
    rows: Rows = [["Ref", "Status", "Status"], ["ICT-1-M1", "No", "Yes"], ["ICT-1-M2", "No", "Partly"]]
    path = tmp_path / f"hidden{suffix}"
    if suffix == ".xlsx":
        write_xlsx(path, {"ICT": rows}, hidden_columns=[("ICT", "B")])
    elif suffix == ".xls":
        write_xls(path, {"ICT": rows}, hidden_columns=[1])
    else:
        write_ods(path, {"ICT": rows}, hidden_columns=[1])
    (sheet,) = read(path).sheets
    assert sheet.column_positions["judgement"] == (2,)
    assert [m.judgement for m in sheet.matches] == [Judgement.MET, Judgement.PARTLY_MET]
    (shown,) = read(WRITERS[suffix](tmp_path / f"shown{suffix}", {"ICT": rows})).sheets
    assert shown.column_positions["judgement"] == (1,)  # with nothing hidden, the first is read


def test_hidden_columns_of_an_ods_are_not_read(tmp_path: Path) -> None:
    rows: Rows = [["Ref", "Status 2004/05", "Status"], ["ICT-1-M1", "No", "Yes"], ["ICT-1-M2", "No", "Partly"]]
    (sheet,) = read(write_ods(tmp_path / "hidden.ods", {"ICT": rows}, hidden_columns=[1])).sheets
    assert sheet.columns["judgement"] == "Status"
    assert [m.judgement for m in sheet.matches] == [Judgement.MET, Judgement.PARTLY_MET]


def test_hidden_sheets_are_skipped_and_reported(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows: Rows = [["Ref", "Met?"], ["ICT-1-M1", "Y"]]
    path = write_xlsx(tmp_path / "lists.xlsx", {"ICT": rows, "Lists": [["Ref", "Met?"], ["ICT-1-M2", "Y"]]})
    workbook = load_workbook(path)
    workbook["Lists"].sheet_state = "hidden"
    workbook.save(path)
    reading = read(path)
    assert [s.sheet for s in reading.sheets] == ["ICT"]
    assert any("Lists" in p and "hidden" in p for p in reading.problems)


def test_a_sheet_without_a_header_is_reported(tmp_path: Path) -> None:
    reading = read(write_xlsx(tmp_path / "memo.xlsx", {"Memo": [["Dear colleague"], ["Please find attached"]]}))
    assert reading.sheets == ()
    assert any("no recognisable header row" in p for p in reading.problems)


def test_authority_and_round_from_the_file_name(tmp_path: Path) -> None:
    rows: Rows = [["Ref", "Met?"], ["ICT-1-M1", "Y"]]
    reading = read(write_xlsx(tmp_path / "Westshire County Council ICT 2005-06.xlsx", {"Sheet1": rows}))
    assert reading.authority_hint == "Westshire County Council"
    assert reading.round_hint == "2005/06"


@pytest.mark.parametrize(
    ("header", "field"),
    [("Ref", "ref"), ("No.", "ref"), ("Criterion", "statement"), ("Standard", "statement"), ("Level", "level"),
     ("Status", "judgement"), ("Met?", "judgement"), ("Achieved", "judgement"), ("Evidence", "evidence"),
     ("Comments", "notes"), ("Action", "action"), ("Owner", "owner"), ("Lead officer", "owner"),
     ("Target date", "due"), ("By when", "due"), ("Action owner", "owner"), ("Criterion ref", "ref"),
     ("Criterion met?", "judgement"), ("Evidence / comments", "evidence"), ("Colour", None)],
)
def test_columns_are_recognised_by_their_many_names(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


def test_a_standard_column_beside_the_criterion_gives_each_row_its_standard(tmp_path: Path) -> None:
    ict, sc = release().standard("ICT"), release().standard("SC")
    rows: Rows = [["Standard", "No.", "Criterion", "Y/N"],
                  ["ICT", "2.3", ict.sections[1].criteria[2].statement, "Y"],
                  ["Social Care", "1.1", sc.sections[0].criteria[0].statement, "N"]]
    (sheet,) = read(write_xlsx(tmp_path / "all.xlsx", {"All standards": rows})).sheets
    assert sheet.columns["statement"] == "Criterion" and sheet.columns["standard_column"] == "Standard"
    assert [(m.criterion_ref, m.matched_by, m.flags) for m in sheet.matches] == [
        (ict.sections[1].criteria[2].ref, "reference", ()), (sc.sections[0].criteria[0].ref, "reference", ())]


def test_a_level_column_says_what_a_bare_reference_within_the_level_means(tmp_path: Path) -> None:
    section = release().standard("PBC").sections[1]
    progressing = [c for c in section.criteria if c.level.value == "progressing"]
    rows: Rows = [["Ref", "Band", "Status"]]
    rows += [[f"{section.number}.{n}", "Progressing", "Green"] for n in range(1, len(progressing) + 1)]
    (sheet,) = read(write_xls(tmp_path / "PBC return.xls", {"PBC": rows})).sheets
    assert sheet.columns["level"] == "Band"
    assert [m.criterion_ref for m in sheet.matches] == [c.ref for c in progressing]


def ambiguous_pair() -> tuple[str, str, str, str]:
    """(standard, level letter, positional ref, within-level ref) for a "section.n" that may mean either."""
    for standard in release().standards:
        for section in standard.sections:
            for n, criterion in enumerate(section.criteria, start=1):
                letter = criterion.level.value[0].upper()
                within = f"{standard.code}-{section.number}-{letter}{n}"
                if within != criterion.ref and any(c.ref == within for c in section.criteria):
                    return standard.code, letter, criterion.ref, within
    raise AssertionError("the catalogue has no ambiguous section.n reference")


def test_a_reference_that_may_mean_two_criteria_is_settled_by_the_text_or_flagged(tmp_path: Path) -> None:
    code, letter, positional, within = ambiguous_pair()
    section_number = positional.split("-")[1]
    ordinal = next(n for n, c in enumerate(release().standard(code).sections[int(section_number) - 1].criteria,
                                           start=1) if c.ref == positional)
    statement = {c.ref: c.statement for s in release().standards for c in s.criteria()}
    level = {"M": "Minimum", "P": "Progressing", "E": "Excellent"}[letter]
    rows: Rows = [["Ref", "Level", "Criterion", "Met?"],
                  [f"{section_number}.{ordinal}", level, "", "Yes"],
                  [f"{section_number}.{ordinal}", level, statement[positional], "Yes"],
                  [f"{section_number}.{ordinal}", level, statement[within], "Yes"]]
    (sheet,) = read(write_xlsx(tmp_path / f"{code}.xlsx", {code: rows})).sheets
    bare, by_positional_text, by_within_text = sheet.matches
    assert any("may mean" in flag for flag in bare.flags)
    assert by_positional_text.criterion_ref == positional
    assert by_within_text.criterion_ref == within
    assert not [f for f in by_positional_text.flags + by_within_text.flags if "may mean" in f]


def test_distractor_columns_and_last_years_status_are_not_read_as_answers(tmp_path: Path) -> None:
    criteria = release().standard("ICT").sections[0].criteria
    rows: Rows = [["2004/05 status", "Equality Standard level", "Ref", "Criterion", "Priority", "Status"]]
    rows += [["No", 4, c.ref, c.statement, "High", "Yes"] for c in criteria[:3]]
    (sheet,) = read(write_xls(tmp_path / "ict.xls", {"ICT": rows})).sheets
    assert sheet.columns["judgement"] == "Status" and sheet.columns["statement"] == "Criterion"
    assert [m.judgement for m in sheet.matches] == [Judgement.MET] * 3
    assert all(not m.flags for m in sheet.matches)


def test_a_data_row_full_of_judgement_words_is_not_taken_for_the_header(tmp_path: Path) -> None:
    criterion = release().standard("ICT").sections[0].criteria[0]
    rows: Rows = [["A return on whether each standard is met and achieved, with status and comments", "", ""],
                  [criterion.statement, "Met", "The standard is met in full, see the status report"],
                  ["", "", ""], ["Criterion", "Met?", "Comments"], [criterion.statement, "Yes", ""]]
    (sheet,) = read(write_xlsx(tmp_path / "ict.xlsx", {"ICT": rows})).sheets
    assert sheet.header_row == 4


@pytest.mark.parametrize(
    ("file_name", "authority", "round_label"),
    [("05-06 Fife e-standards self assessment.ods", "Fife", "2005/06"),
     ("NeSDS_e-Standards_Swansea_2005_06.xlsx", "Swansea", "2005/06"),
     ("Hertfordshire - HTW - 2005-2006 FINAL (13).xlsx", "Hertfordshire", "2005/06"),
     ("Bristol City Council - CS - 04-05 FINAL.xls", "Bristol City Council", "2004/05"),
     ("Copy of e-Standards return (16).xlsx", None, None),
     ("eStandards workshop output 31-05-06.xlsx", None, None)],
)
def test_authority_and_round_from_file_names_as_councils_wrote_them(
    tmp_path: Path, file_name: str, authority: str | None, round_label: str | None
) -> None:
    rows: Rows = [["Benefits (Housing and Council Tax Benefit)", ""], ["Ref", "Met?"], ["BEN-1-M1", "Y"]]
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": rows})
    reading = read_legacy_workbook(path.read_bytes(), file_name, standards())
    assert (reading.authority_hint, reading.round_hint) == (authority, round_label)


@pytest.mark.parametrize(
    ("title", "file_name", "authority"),
    [("KENT COUNTY COUNCIL - SOCIAL CARE E-STANDARD", "return.xlsx", "Kent County Council"),
     ("ROYAL BOROUGH OF KINGSTON UPON THAMES", "return.xlsx", "Royal Borough of Kingston upon Thames"),
     ("", "NeSDS_BEN_Norfolk_County_Council_06-07 (73).xlsx", "Norfolk County Council"),
     ("", "NeSDS_e-Standards_Mid_Suffolk_District_Council_2004-05.xlsx", "Mid Suffolk District Council"),
     ("", "NeSDS_REV_Royal_Borough_of_Kingston_upon_Thames_2005-06 (71).xls", "Royal Borough of Kingston upon Thames"),
     ("London Borough of Havering NeSDS return", "return.xlsx", "London Borough of Havering"),
     # What the sheet is about, or a heading, is not whose it is.
     ("Housing", "eStandards workshop output (1).ods", None),
     ("Planning and Building Control", "eStandards workshop output (2).ods", None),
     ("Information & Communications Technology", "eStandards workshop output (3).xlsx", None),
     ("Criterion", "eStandards workshop output (4).xlsx", None)],
)
def test_the_authority_is_found_in_capitals_and_labelled_names_and_never_taken_from_a_service(
    tmp_path: Path, title: str, file_name: str, authority: str | None
) -> None:
    rows: Rows = [[title, ""], ["Ref", "Met?"], ["BEN-1-M1", "Y"]]
    path = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": rows})
    assert read_legacy_workbook(path.read_bytes(), file_name, standards()).authority_hint == authority
