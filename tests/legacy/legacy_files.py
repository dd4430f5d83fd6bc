"""Real legacy-style workbooks for the importer tests: .xlsx (openpyxl), .xls (xlwt), .ods (by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from helpers.spreadsheets import Rows, write_ods, write_xls, write_xlsx

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.catalogue import Release, Standard

__all__ = ["Rows", "write_ods", "write_xls", "write_xlsx"]


@cache
def release() -> Release:
    return load_release(bundled_standards_root() / "nesds-2006.1")


def standards() -> tuple[Standard, ...]:
    return release().standards


def ict_return_rows(answers: Sequence[str], *, title: str = "Anytown Borough Council - ICT self-assessment 2006/07"
                    ) -> Rows:
    """An ICT return: a title block, a blank row, the header on row 4, one row per criterion of section 1."""
    section = release().standard("ICT").sections[0]
    rows: Rows = [[title, "", "", ""], ["", "", "", ""], ["Prepared by the policy team", "", "", ""],
                  ["Ref", "Criterion", "Met?", "Comments"]]
    for position, (criterion, answer) in enumerate(zip(section.criteria, answers, strict=False), start=1):
        rows.append([f"ICT {section.number}.{position}", criterion.statement, answer, f"note {position}"])
    return rows
