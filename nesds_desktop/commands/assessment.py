"""``nesds-desktop assessment list``: the assessments in the store, filtered, as a table."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from nesds_desktop.domain.assessments import Round
    from nesds_desktop.domain.records import AssessmentSummary

EXIT_OK = 0
EXIT_PROBLEMS = 1
COLUMNS = ("id", "authority", "standard", "round", "state", "level", "answered")
# AssessmentState's values, written out so that building the parser imports nothing (a test keeps them in step).
STATE_CHOICES = ("draft", "agreed", "submitted")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assessment = commands.add_parser("assessment", help="list the assessments in the store")
    actions = assessment.add_subparsers(dest="assessment_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="list assessments with their level and progress, optionally filtered",
        description="List assessments: id, authority, standard, round, state, level and criteria answered.",
    )
    listing.add_argument("--authority", metavar="TEXT", default="", help="authorities whose name contains TEXT")
    listing.add_argument("--standard", metavar="CODE", type=str.upper, help="standard code, e.g. ICT")
    listing.add_argument("--round", metavar="R", type=_round, help="round, e.g. 2006/07")
    listing.add_argument("--state", choices=STATE_CHOICES, help="draft, agreed or submitted")
    listing.set_defaults(handler=_list)


def _round(text: str) -> Round:
    from nesds_desktop.domain.assessments import AssessmentError, Round

    try:
        return Round.parse(text)
    except AssessmentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.domain.assessments import AssessmentState
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.store_access import StoreError, open_data_store
    from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService

    try:
        store = open_data_store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    try:
        where = AssessmentFilter(
            standard_code=args.standard,
            round_label=args.round.label if args.round else None,
            state=AssessmentState(args.state) if args.state else None,
            text=args.authority,
        )
        found = WorkbookService(store, "").list_assessments(where)
    finally:
        store.close()
    if not found:
        print("no assessments match", file=out)
        return EXIT_OK
    for line in table_lines(found):
        print(line, file=out)
    print(f"{len(found)} assessment(s)", file=out)
    return EXIT_OK


def table_lines(assessments: Sequence[AssessmentSummary]) -> list[str]:
    """The assessments as an aligned text table, a header line first; numbers right-aligned."""
    rows = [
        (
            str(a.id),
            a.authority.name,
            a.standard_code,
            a.round.label,
            a.state.label,
            a.level_label,
            f"{a.answered}/{a.total}",
        )
        for a in assessments
    ]
    widths = [max(len(column), *(len(row[i]) for row in rows)) for i, column in enumerate(COLUMNS)]
    right_aligned = {0, len(COLUMNS) - 1}

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if i in right_aligned else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(COLUMNS), *(line(row) for row in rows)]
