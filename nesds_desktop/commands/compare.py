"""``nesds-desktop compare``: a peer comparison (and one authority's progress) as an Excel workbook.

    nesds-desktop compare --standard S --round R [--authority A] [--type T] [--region G]
                          [--anonymise] -o FILE.xlsx [--force]

``--authority`` takes an id (``assessment list`` shows authorities), a GSS code or a name;
with it the workbook also holds that authority's position, its gap criteria and a
progress sheet.  ``--anonymise`` replaces peers' names by "Authority A", "Authority B", ...
for anything that leaves the building.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from nesds_desktop.commands.store_option import open_store_or_report

EXIT_OK = 0
EXIT_PROBLEMS = 1
# AuthorityType's values, written out so that building the parser imports nothing.
TYPE_CHOICES = ("county", "district", "unitary", "metropolitan_borough", "london_borough", "welsh_unitary",
                "scottish_unitary")  # fmt: skip


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    compare = commands.add_parser(
        "compare",
        help="compare authorities' levels for a standard and round; write an Excel workbook",
        description="Write an Excel workbook comparing the levels of a standard in a round among authorities: "
        "the distribution per section and overall, and, for one authority, its position, the criteria most "
        "peers meet that it does not, and its progress over rounds.",
    )
    compare.add_argument("--standard", required=True, metavar="CODE", type=str.upper, help="standard code, e.g. ICT")
    compare.add_argument("--round", required=True, metavar="R", help="round, e.g. 2006/07")
    compare.add_argument("--authority", metavar="A", help="the authority to compare: id, GSS code or name")
    compare.add_argument("--type", choices=TYPE_CHOICES, metavar="T",
                         help=f"only peers of this authority type: {', '.join(TYPE_CHOICES)}")
    compare.add_argument("--region", metavar="G", help="only peers in this region, e.g. 'South East' or Wales")
    compare.add_argument("--anonymise", action="store_true", help="name peers Authority A, B, ... not by name")
    compare.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx", help="the workbook to write")
    compare.add_argument("--force", action="store_true", help="replace FILE.xlsx if it exists")
    compare.set_defaults(handler=_compare)




def _compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.domain.assessments import AssessmentError, Round
    from nesds_desktop.domain.authorities import AuthorityError, AuthorityType, Region
    from nesds_desktop.services.comparison_service import ComparisonError, ComparisonService, PeerFilter

    try:
        round_label = Round.parse(args.round).label
        region = Region.from_label(args.region) if args.region else None
    except (AssessmentError, AuthorityError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    if args.output.exists() and not args.force:
        print(f"error: {args.output} already exists; choose another name, or give --force to replace it", file=err)
        return EXIT_PROBLEMS
    peers = PeerFilter(AuthorityType(args.type) if args.type else None, region)
    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        service = ComparisonService(store)
        authority = service.find_authority(args.authority) if args.authority else None
        exported = service.export_workbook(
            args.output, args.standard, round_label, authority.id if authority else None, peers, args.anonymise
        )
    except ComparisonError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    finally:
        store.close()
    comparison = exported.comparison
    for note in comparison.notes[1:]:
        print(f"note: {note}", file=err)
    who = f" for {comparison.subject_name}" if comparison.subject_name else ""
    print(f"comparison{who} written to {exported.path}: {comparison.standard_code} in {comparison.round_label}, "
          f"{comparison.overall.peers + comparison.overall.not_applicable} peer(s), {len(comparison.gaps)} gap "
          f"criteria; sheets {', '.join(exported.sheets)}", file=out)
    return EXIT_OK
