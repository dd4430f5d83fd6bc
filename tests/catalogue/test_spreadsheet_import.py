"""Catalogue import from real workbooks (.xlsx written by openpyxl, .xls by xlwt, .ods by hand).

Each test writes the workbook a maintaining body might send, imports it, and reads
the written release back through ``catalogue check``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import spreadsheets

from nesds_desktop.catalogue.check import check_path
from nesds_desktop.catalogue.loader import read_release
from nesds_desktop.catalogue.spreadsheet_import import (
    CatalogueImport,
    CatalogueImportError,
    ReleaseOptions,
    read_catalogue_workbook,
    write_release_folder,
)
from nesds_desktop.domain.levels import Level
from nesds_desktop.services.catalogue_transfer import CatalogueTransferError, import_catalogue_workbook

Rows = spreadsheets.Rows
write_xlsx = spreadsheets.write_xlsx
write_ods = spreadsheets.write_ods
TODAY = date(2026, 11, 25)
OPTIONS = ReleaseOptions("council-2007.1", title="Council e-Standards", version="2007.1", imported_on=TODAY)

# --- a small catalogue, as a maintaining body would lay it out -----------------------------------

STANDARDS = {
    "ICT": ("Information and Communications Technology",
            "How a council runs ICT: strategy, infrastructure and the skills of its staff.", "SOCITM"),
    "CS": ("Customer Service", "How a council serves its customers across every channel.", "LGEM"),
}
SECTIONS = {
    ("ICT", 1): ("ICT strategy and governance", "How the council sets the direction for ICT."),
    ("ICT", 2): ("Infrastructure", "Networks, servers and the resilience of both."),
    ("CS", 1): ("Customer access", "The channels customers use and how well they work."),
}
# (standard, section, reference, level word, statement, guidance, evidence, signposts)
CRITERIA: list[tuple[str, int, str, str, str, str, list[str], list[str]]] = [
    ("ICT", 1, "ICT-1-M1", "Minimum", "The council has an adopted ICT strategy.",
     "Check who adopted it and when.", ["ICT strategy", "Cabinet minutes"], ["IEG statements"]),
    ("ICT", 1, "ICT-1-M2", "minimum", "A member e-champion is named.", "Look for the latest IEG return.",
     ["IEG return naming the champion"], []),
    ("ICT", 1, "ICT-1-P1", "progressing", "ICT projects are prioritised by a corporate board.",
     "The board should take real decisions.", ["Board terms of reference", "Minutes; decisions log"], []),
    ("ICT", 1, "ICT-1-E1", "EXCELLENT", "ICT investment is judged by the benefits it delivered.",
     "Benefits are tracked after projects close.", ["Benefits register"], ["Gershon efficiency review"]),
    ("ICT", 2, "ICT-2-M1", "M", "Servers are backed up every night.", "Ask for the last restore test.",
     ["Backup logs"], []),
    ("ICT", 2, "ICT-2-P1", "p", "The network is monitored around the clock.", "Monitoring must raise alerts.",
     ["Monitoring dashboard"], []),
    ("ICT", 2, "ICT-2-E1", "e", "Services fail over to a second site within four hours.",
     "A tested plan, not a hope.", ["Failover test report"], ["Business continuity planning"]),
    ("CS", 1, "CS-1-M1", "Minimum", "Customers can reach the council by telephone, in person and online.",
     "All three channels must be staffed or working.", ["Channel list"], ["Priority Service Outcomes"]),
    ("CS", 1, "CS-1-P1", "Progressing", "Most enquiries are resolved at first contact.",
     "Measure first-contact resolution.", ["Contact centre statistics"], []),
    ("CS", 1, "CS-1-E1", "Excellent", "Channel costs are known and used to shift demand.",
     "Cost per contact by channel.", ["Cost per contact analysis"], ["Varney review"]),
]


def criteria_table(headings: Sequence[str], spacers: bool = False, evidence_on_lines: bool = True) -> Rows:
    """The criteria as rows under ``headings`` (any order, any of the names below)."""
    rows: Rows = [list(headings)]
    previous: tuple[str, int] | None = None
    for code, section, ref, level, statement, guidance, evidence, signposts in CRITERIA:
        if spacers and previous is not None and previous != (code, section):
            rows.append([""] * len(headings))
        previous = (code, section)
        title, summary, maintainer = STANDARDS[code]
        section_title, section_summary = SECTIONS[(code, section)]
        values = {
            "Standard": code, "Standard title": title, "Standard summary": summary, "Maintainer": maintainer,
            "Ref.": ref, "Reference": ref, "Section": section, "Section title": section_title,
            "Section summary": section_summary, "Level": level, "Criterion": statement, "Statement": statement,
            "Guidance": guidance, "Guidance notes": guidance,
            "Evidence": ("\n" if evidence_on_lines else "; ").join(evidence), "Signposts": "\n".join(signposts),
        }
        rows.append([values[heading] for heading in headings])
    return rows


def metadata_sheets() -> dict[str, Rows]:
    return {
        "Release": [["Field", "Value"], ["Release id", "council-2007.1"], ["Title", "Council e-Standards"],
                    ["Version", "2007.1"], ["Published", date(2007, 4, 2)],
                    ["Provenance", "Agreed by the programme board on 2 April 2007."]],
        "Standards": [["Code", "Title", "Summary", "Maintainer"]]
        + [[code, *values] for code, values in STANDARDS.items()],
        "Sections": [["Standard", "Section", "Title", "Summary"]]
        + [[code, number, *values] for (code, number), values in SECTIONS.items()],
    }


def per_standard_sheets() -> dict[str, Rows]:
    """Standards one per sheet, no standard or section column, metadata on their own sheets."""
    headings = ["Reference", "Level", "Criterion", "Guidance", "Evidence", "Signposts"]
    table = criteria_table(headings)
    return {
        "Cover": [["NeSDS e-Standards 2007"], ["Issued for consultation by the programme office"]],
        **metadata_sheets(),
        "ICT": [table[0], *(row for row in table[1:] if row[0].startswith("ICT"))],
        "CS": [table[0], *(row for row in table[1:] if row[0].startswith("CS"))],
    }


# --- writing real workbooks ----------------------------------------------------------------------


def write_xls(path: Path, sheets: dict[str, Rows]) -> Path:
    return spreadsheets.write_xls(path, sheets, date_format="YYYY-MM-DD")


def imported_and_written(path: Path, tmp_path: Path, options: ReleaseOptions = OPTIONS) -> CatalogueImport:
    """Import ``path``, write the release, and prove ``catalogue check`` accepts what was written."""
    result = read_catalogue_workbook(path, options)
    assert result.problems == []
    folder = write_release_folder(result, tmp_path / "catalogue")
    problems, summaries = check_path(folder)
    assert problems == []
    assert summaries[0].startswith(f"{options.release_id}: {len(result.standards)} standards")
    assert read_release(folder).content_hash == result.content_hash
    return result


def assert_matches_sample(result: CatalogueImport) -> None:
    assert [s.code for s in result.standards] == list(STANDARDS)
    for standard in result.standards:
        assert (standard.title, standard.summary, standard.maintainer) == STANDARDS[standard.code]
        for section in standard.sections:
            assert (section.title, section.summary) == SECTIONS[(standard.code, section.number)]
    found = [(s.code, sec.number, c.ref, c.level, c.statement, c.guidance, c.evidence, c.signposts)
             for s in result.standards for sec in s.sections for c in sec.criteria]
    expected = [(code, n, ref, Level.from_letter(level[0]), st, g, ev, sp)
                for code, n, ref, level, st, g, ev, sp in CRITERIA]
    assert found == expected


# --- layouts -------------------------------------------------------------------------------------


def test_one_sheet_with_reordered_columns_under_a_title_block_with_spacer_rows(tmp_path: Path) -> None:
    headings = ["Evidence", "Level", "Criterion", "Ref.", "Standard", "Guidance notes", "Signposts", "Section",
                "Section title", "Section summary", "Standard title", "Standard summary", "Maintainer"]
    title_block: Rows = [["NeSDS e-Standards: consultation draft"], ["Prepared by the programme office"], []]
    sheet = title_block + criteria_table(headings, spacers=True)
    path = write_xlsx(tmp_path / "draft.xlsx", {"All criteria": sheet}, merge=[("All criteria", "A1:F1")])
    result = imported_and_written(path, tmp_path)
    assert result.unusable_rows == []
    assert_matches_sample(result)
    assert result.release is not None
    assert (result.release.title, result.release.version) == ("Council e-Standards", "2007.1")


def test_standards_one_per_sheet_with_release_standards_and_sections_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "per-standard.xlsx", per_standard_sheets())
    result = imported_and_written(path, tmp_path, ReleaseOptions("council-2007.1", imported_on=TODAY))
    assert_matches_sample(result)
    assert result.release is not None
    assert result.release.title == "Council e-Standards"
    assert result.release.published == date(2007, 4, 2)
    assert result.release.provenance == "Agreed by the programme board on 2 April 2007."
    assert result.notes == ["sheet 'Cover' was not used: it has no criteria, standards, sections or release table"]


def test_the_same_workbook_as_xlsx_xls_and_ods_gives_the_same_release(tmp_path: Path) -> None:
    sheets = per_standard_sheets()
    hashes = set()
    for writer, name in ((write_xlsx, "book.xlsx"), (write_xls, "book.xls"), (write_ods, "book.ods")):
        result = read_catalogue_workbook(writer(tmp_path / name, sheets), OPTIONS)
        assert result.ok and result.unusable_rows == [], name
        assert_matches_sample(result)
        hashes.add(result.content_hash)
    assert len(hashes) == 1


def test_an_ods_with_a_header_on_row_4_is_read_and_written(tmp_path: Path) -> None:
    headings = ["Standard", "Section", "Section title", "Section summary", "Level", "Reference", "Statement",
                "Guidance", "Evidence", "Signposts", "Standard title", "Standard summary", "Maintainer"]
    sheet = [["Council e-Standards"], [], [], *criteria_table(headings, spacers=True)]
    result = imported_and_written(write_ods(tmp_path / "draft.ods", {"Criteria": sheet}), tmp_path)
    assert_matches_sample(result)


def test_an_xls_with_a_header_on_row_4_is_read_and_written(tmp_path: Path) -> None:
    headings = ["Ref.", "Criterion", "Level", "Guidance", "Evidence", "Signposts"]
    sheets = metadata_sheets()
    sheets["Criteria"] = [["Council e-Standards"], ["Draft"], [], *criteria_table(headings, spacers=True)]
    result = imported_and_written(write_xls(tmp_path / "legacy.xls", sheets), tmp_path)
    assert_matches_sample(result)


def test_level_words_in_any_case_and_references_made_when_missing(tmp_path: Path) -> None:
    headings = ["Standard", "Section", "Level", "Criterion", "Guidance", "Evidence", "Signposts"]
    sheets = metadata_sheets()
    sheets["Criteria"] = criteria_table(headings)
    result = imported_and_written(write_xlsx(tmp_path / "norefs.xlsx", sheets), tmp_path)
    assert_matches_sample(result)  # the references made are the ones in CRITERIA


def test_evidence_on_one_line_is_split_at_semicolons(tmp_path: Path) -> None:
    sheets = metadata_sheets()
    sheets["Criteria"] = criteria_table(["Reference", "Level", "Criterion", "Guidance", "Evidence"],
                                        evidence_on_lines=False)
    result = imported_and_written(write_xlsx(tmp_path / "semicolons.xlsx", sheets), tmp_path)
    first = result.standards[0].sections[0].criteria[0]
    assert first.evidence == ["ICT strategy", "Cabinet minutes"]
    # "Minutes; decisions log" is one item written on one line, so it splits: the documented rule.
    assert result.standards[0].sections[0].criteria[2].evidence == ["Board terms of reference", "Minutes",
                                                                   "decisions log"]


def test_section_titles_without_numbers_are_numbered_in_order(tmp_path: Path) -> None:
    headings = ["Standard", "Section", "Level", "Criterion", "Guidance", "Evidence", "Signposts"]
    table = criteria_table(headings)
    for row in table[1:]:
        row[1] = SECTIONS[(row[0], row[1])][0]  # "Infrastructure" instead of 2
    sheets = {name: rows for name, rows in metadata_sheets().items() if name != "Sections"}
    sheets["Criteria"] = table
    sheets["Section summaries"] = [["Standard", "Section", "Section summary", "Section title"]] + [
        [code, number, summary, title] for (code, number), (title, summary) in SECTIONS.items()
    ]
    result = imported_and_written(write_xlsx(tmp_path / "titles.xlsx", sheets), tmp_path)
    assert_matches_sample(result)


def test_a_merged_standard_cell_applies_to_every_row_it_covers(tmp_path: Path) -> None:
    headings = ["Standard", "Section", "Level", "Criterion", "Guidance", "Evidence"]
    table = criteria_table(headings)
    ict_rows = [i for i, row in enumerate(table) if row[0] == "ICT"]
    for index in ict_rows[1:]:
        table[index][0] = ""
    sheets = metadata_sheets()
    sheets["Criteria"] = table
    merged = f"A{ict_rows[0] + 1}:A{ict_rows[-1] + 1}"
    result = imported_and_written(write_xlsx(tmp_path / "merged.xlsx", sheets, merge=[("Criteria", merged)]), tmp_path)
    assert [s.code for s in result.standards] == ["ICT", "CS"]
    assert result.criteria_count == len(CRITERIA)


# --- rows that cannot be used --------------------------------------------------------------------


def test_every_unusable_row_is_reported_with_sheet_row_and_reason(tmp_path: Path) -> None:
    headings = ["Standard", "Reference", "Section", "Level", "Criterion", "Guidance", "Evidence", "Signposts"]
    table = criteria_table(headings)
    good = ["ICT", "", 1, "Minimum", "A statement", "Some guidance", "Some evidence", ""]
    bad: list[tuple[dict[int, Any], str]] = [
        ({4: ""}, "has no criterion statement"),
        ({3: "High"}, "level 'High' is not Minimum, Progressing or Excellent (or M, P, E)"),
        ({1: "ICT/one/M9"}, "reference 'ICT/one/M9' does not follow the scheme CODE-SECTION-LEVELn, e.g. ICT-3-P2"),
        ({1: "ICT-1-P9"}, "level says Minimum but reference ICT-1-P9 says Progressing"),
        ({5: ""}, "has no guidance"),
        ({6: ""}, "has no evidence (at least one example of evidence is needed)"),
        ({1: "ICT-1-M1", 4: "A different statement"}, "reference ICT-1-M1 is already used on sheet 'Criteria' row 5"),
        ({0: "Parks and gardens"},
         "standard 'Parks and gardens' is neither a code (e.g. ICT) nor the title of a standard"),
        ({2: 0}, "section '0' is not a whole number from 1 to 99"),
        ({1: "CS-1-M9"}, "reference belongs to standard CS but the standard column says ICT"),
        ({2: 2, 1: "ICT-1-M9"}, "section column says 2 but reference ICT-1-M9 says section 1"),
    ]
    rows: Rows = [[], ["Criteria as agreed"], [], *table, []]
    first_bad = len(rows) + 1
    for change, _reason in bad:
        row = list(good)
        for column, value in change.items():
            row[column] = value
        rows.append(row)
    rows.append(list(headings))
    sheets = metadata_sheets()
    sheets["Criteria"] = rows
    result = read_catalogue_workbook(write_xlsx(tmp_path / "messy.xlsx", sheets), OPTIONS)
    expected = [("Criteria", first_bad + i, reason) for i, (_change, reason) in enumerate(bad)]
    expected.append(("Criteria", first_bad + len(bad), "repeats the column headings"))
    assert [(p.sheet, p.row, p.reason) for p in result.unusable_rows] == expected
    assert str(result.unusable_rows[0]) == f"sheet 'Criteria', row {first_bad}: has no criterion statement"
    # The good rows still make a valid release.
    assert result.ok
    assert_matches_sample(result)


def test_unusable_rows_on_the_standards_and_sections_sheets_are_reported(tmp_path: Path) -> None:
    sheets = per_standard_sheets()
    sheets["Standards"].append(["Parks", "Parks and open spaces", "Green spaces", ""])
    sheets["Sections"].append(["ICT", "three", "Skills", "People and skills"])
    result = read_catalogue_workbook(write_xlsx(tmp_path / "extra.xlsx", sheets), OPTIONS)
    assert [str(p) for p in result.unusable_rows] == [
        "sheet 'Standards', row 4: standard code 'Parks' is not 2 to 4 capital letters (e.g. ICT)",
        "sheet 'Sections', row 5: section 'three' does not start with its number",
    ]


# --- problems that stop the release --------------------------------------------------------------


def test_a_release_that_would_not_validate_is_not_written(tmp_path: Path) -> None:
    sheets = per_standard_sheets()
    sheets["ICT"] = [row for row in sheets["ICT"] if row[0] != "ICT-2-E1"]  # section 2 keeps only 2 criteria
    del sheets["Standards"][2]  # CS loses its title and summary
    result = read_catalogue_workbook(write_xlsx(tmp_path / "incomplete.xlsx", sheets), OPTIONS)
    assert not result.ok
    assert result.problems == [
        "standard ICT [section 2 > criteria]: has 2, but at least 3 are needed",
        "standard CS has no title or summary: add a Standards sheet (code, title, summary) or "
        "'Standard title' and 'Standard summary' columns",
    ]
    output = tmp_path / "out"
    with pytest.raises(CatalogueImportError):
        write_release_folder(result, output)
    assert not import_catalogue_workbook(tmp_path / "incomplete.xlsx", output, OPTIONS).written
    assert not output.exists()


def test_the_release_checks_of_catalogue_check_apply_before_writing(tmp_path: Path) -> None:
    sheets = per_standard_sheets()
    sheets["ICT"] = [row for row in sheets["ICT"] if row[0] != "ICT-1-E1"]  # section 1 loses its Excellent level
    path = write_xlsx(tmp_path / "no-excellent.xlsx", sheets)
    result = read_catalogue_workbook(path, OPTIONS)
    assert result.problems == [
        "standard ICT [section 1]: has no Excellent criteria; every section needs all three levels"
    ]
    outcome = import_catalogue_workbook(path, tmp_path / "out", OPTIONS)
    assert outcome.folder is None and not (tmp_path / "out").exists()


def test_titles_that_disagree_are_a_problem(tmp_path: Path) -> None:
    headings = ["Standard", "Standard title", "Reference", "Level", "Criterion", "Guidance", "Evidence"]
    sheets = metadata_sheets()
    sheets["Criteria"] = criteria_table(headings)
    sheets["Criteria"][2][1] = "Information Technology"
    result = read_catalogue_workbook(write_xlsx(tmp_path / "clash.xlsx", sheets), OPTIONS)
    assert result.problems == [
        "standard ICT: the title on sheet 'Criteria' row 3 ('Information Technology') differs from the one on "
        "sheet 'Standards' row 2 ('Information and Communications Technology'); make them the same"
    ]


def test_a_workbook_without_a_criteria_table_says_what_is_missing(tmp_path: Path) -> None:
    result = read_catalogue_workbook(write_xlsx(tmp_path / "meta.xlsx", metadata_sheets()), OPTIONS)
    assert result.problems[0].startswith("no criteria table found")


def test_release_title_and_version_are_required_from_somewhere(tmp_path: Path) -> None:
    sheets = {"Criteria": criteria_table(["Reference", "Level", "Criterion", "Guidance", "Evidence",
                                          "Standard title", "Standard summary", "Section title", "Section summary"])}
    result = read_catalogue_workbook(write_xlsx(tmp_path / "bare.xlsx", sheets), ReleaseOptions("x-1"))
    assert result.problems == ["the release has no title: give --title or fill in a Release sheet",
                               "the release has no version: give --version or fill in a Release sheet"]


# --- release metadata ----------------------------------------------------------------------------


def test_defaults_for_published_and_provenance_name_the_file_and_the_day(tmp_path: Path) -> None:
    sheets = {"Criteria": criteria_table(["Reference", "Level", "Criterion", "Guidance", "Evidence", "Signposts",
                                          "Standard title", "Standard summary", "Maintainer", "Section title",
                                          "Section summary"])}
    result = imported_and_written(write_xlsx(tmp_path / "board-draft.xlsx", sheets), tmp_path)
    assert result.release is not None
    assert result.release.published == TODAY
    assert result.release.provenance == "Imported from board-draft.xlsx on 2026-11-25"
    assert_matches_sample(result)


def test_options_win_over_the_release_sheet(tmp_path: Path) -> None:
    options = ReleaseOptions("council-2007.2", title="Revised", version="2007.2", published=date(2007, 9, 1),
                             provenance="Revised after consultation.", supersedes="council-2007.1", imported_on=TODAY)
    result = read_catalogue_workbook(write_xlsx(tmp_path / "book.xlsx", per_standard_sheets()), options)
    assert result.release is not None
    assert result.release.model_dump(exclude={"format", "standards"}) == {
        "release_id": "council-2007.2", "title": "Revised", "version": "2007.2", "published": date(2007, 9, 1),
        "provenance": "Revised after consultation.", "supersedes": "council-2007.1",
    }
    assert "the workbook names release 'council-2007.1'; it was imported as 'council-2007.2' as asked" in result.notes


# --- writing -------------------------------------------------------------------------------------


def test_an_existing_release_folder_is_never_overwritten(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", per_standard_sheets())
    existing = tmp_path / "catalogue" / OPTIONS.release_id
    existing.mkdir(parents=True)
    (existing / "release.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CatalogueTransferError, match="already exists; a release is never overwritten"):
        import_catalogue_workbook(path, tmp_path / "catalogue", OPTIONS)
    result = read_catalogue_workbook(path, OPTIONS)
    with pytest.raises(CatalogueImportError, match="already exists"):
        write_release_folder(result, tmp_path / "catalogue")
    assert (existing / "release.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in (tmp_path / "catalogue").iterdir()) == [OPTIONS.release_id]


def test_the_service_writes_a_release_that_loads(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", per_standard_sheets())
    outcome = import_catalogue_workbook(path, tmp_path / "new" / "catalogue", OPTIONS)
    assert outcome.folder == tmp_path / "new" / "catalogue" / OPTIONS.release_id
    assert sorted(p.name for p in outcome.folder.iterdir()) == ["CS.json", "ICT.json", "release.json"]
    assert read_release(outcome.folder).to_domain("imported").standard("CS").title == "Customer Service"


def test_a_bad_release_name_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(CatalogueTransferError, match=r"release name '\.\./escape' must start with"):
        import_catalogue_workbook(tmp_path / "absent.xlsx", tmp_path, ReleaseOptions("../escape"))


def test_a_single_standard_workbook_needs_no_standard_column_anywhere(tmp_path: Path) -> None:
    """One standard: sheet named by its code, a plain "No." column, sections without a standard column."""
    headings = ["Reference", "Section", "Level", "Criterion", "Guidance", "Evidence", "Signposts"]
    table = criteria_table(headings)
    rows = [["No.", *table[0][1:]]] + [[n, *row[1:]] for n, row in enumerate(table[1:], start=1) if row[0][:2] == "CS"]
    sheets: dict[str, Rows] = {
        "Release": [["Release id", "cs-2007"], ["Version", "2007"], ["Published", "02/04/2007"], ["Title", "CS"]],
        "Sections": [["Section", "Title", "Summary"], [1, *SECTIONS[("CS", 1)]]],
        "CS": [["Standard", "CS"], ["Title", STANDARDS["CS"][0]], ["Summary", STANDARDS["CS"][1]],
               ["Maintainer", "LGEM"], [], *rows],
    }
    result = imported_and_written(write_xlsx(tmp_path / "cs.xlsx", sheets), tmp_path, ReleaseOptions("cs-2007"))
    assert result.release is not None and result.release.published == date(2007, 4, 2)
    [standard] = result.standards
    assert (standard.code, standard.title, standard.maintainer) == ("CS", "Customer Service", "LGEM")
    assert [c.ref for c in standard.sections[0].criteria] == ["CS-1-M1", "CS-1-P1", "CS-1-E1"]
    assert standard.sections[0].title == "Customer access"


def test_section_titles_and_summaries_beside_each_criterion_without_section_numbers(tmp_path: Path) -> None:
    headings = ["Standard", "Section title", "Section summary", "Level", "Criterion", "Guidance", "Evidence",
                "Signposts"]
    sheets = {name: rows for name, rows in metadata_sheets().items() if name != "Sections"}
    sheets["Criteria"] = criteria_table(headings)
    result = imported_and_written(write_xlsx(tmp_path / "themes.xlsx", sheets), tmp_path)
    assert_matches_sample(result)


def test_macros_are_never_run_and_the_import_says_so(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "macros.xlsm", per_standard_sheets())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    result = read_catalogue_workbook(path, OPTIONS)
    assert result.ok
    assert "the workbook contains macros; they were not run, only cell values were read" in result.notes


def test_a_write_that_fails_its_read_back_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nesds_desktop.catalogue import spreadsheet_import
    from nesds_desktop.catalogue.loader import ReleaseRead
    from nesds_desktop.catalogue.problems import Problem

    result = read_catalogue_workbook(write_xlsx(tmp_path / "book.xlsx", per_standard_sheets()), OPTIONS)
    seen: list[Path] = []

    def failing_read_back(folder: Path) -> ReleaseRead:
        seen.append(folder)
        assert sorted(p.name for p in folder.iterdir()) == ["CS.json", "ICT.json", "release.json"]
        return ReleaseRead(folder, problems=[Problem(folder / "ICT.json", "", "disk full")])

    monkeypatch.setattr(spreadsheet_import, "read_release", failing_read_back)
    output = tmp_path / "new" / "catalogue"
    with pytest.raises(CatalogueImportError, match="did not read back correctly"):
        write_release_folder(result, output)
    assert seen and not seen[0].exists()
    assert not (tmp_path / "new").exists()
