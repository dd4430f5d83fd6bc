"""``nesds-desktop export return|action-plan`` and ``nesds-desktop import return``.

The documents that leave the building, and the return coming back edited:

    nesds-desktop export return ASSESSMENT_ID... -o FILE.xlsx [--force]
    nesds-desktop export action-plan ASSESSMENT_ID -o FILE.pdf [--force]
                                     [--compare [--peer-type T] [--peer-region G]]
    nesds-desktop import return FILE.xlsx [--apply]

``import return`` without ``--apply`` only lists what the return would change.
``--compare`` adds "How we compare" to the action plan: the authority beside its peers
(anonymised), the criteria most peers meet, and its progress over rounds.
Assessment ids are shown by ``nesds-desktop assessment list``.  A further document
type is one more ``documents.add_parser(...)`` in :func:`register`, with its handler
here; services are imported inside handlers so ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

# The same choices as ``compare --type`` (AuthorityType's values), written out there so that
# building the parser imports nothing heavy.
from nesds_desktop.commands.compare import TYPE_CHOICES
from nesds_desktop.commands.store_option import open_store_or_report

if TYPE_CHECKING:
    from nesds_desktop.services.action_plan_service import PeerFilter

EXIT_OK = 0
EXIT_PROBLEMS = 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", help="write an Excel return or a PDF action plan")
    documents = export.add_subparsers(dest="export_command", metavar="DOCUMENT", required=True)

    returning = documents.add_parser(
        "return",
        help="write one authority's assessments in one round as an Excel return (.xlsx)",
        description="Write an Excel return: a cover, one sheet per standard, the actions and savings. "
        "All the assessments must be of one authority in one round, one per standard.",
    )
    returning.add_argument("assessment_ids", nargs="+", type=int, metavar="ASSESSMENT_ID",
                           help="assessment id, as shown by 'assessment list'")
    returning.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx",
                           help="the workbook to write")
    returning.add_argument("--force", action="store_true", help="replace FILE.xlsx if it exists")
    returning.set_defaults(handler=_export_return)

    plan = documents.add_parser(
        "action-plan",
        help="write an assessment's action plan as a PDF",
        description="Write the action plan of one assessment: an executive summary, the gaps and actions "
        "section by section, and the evidence references.",
    )
    plan.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID",
                      help="assessment id, as shown by 'assessment list'")
    plan.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf", help="the PDF to write")
    plan.add_argument("--force", action="store_true", help="replace FILE.pdf if it exists")
    plan.add_argument("--compare", action="store_true",
                      help="add 'How we compare': peers (anonymised), criteria most peers meet, progress over rounds")
    plan.add_argument("--peer-type", choices=TYPE_CHOICES, metavar="T",
                      help=f"with --compare, only peers of this authority type: {', '.join(TYPE_CHOICES)}")
    plan.add_argument("--peer-region", metavar="G", help="with --compare, only peers in this region, e.g. 'South East'")
    plan.set_defaults(handler=_export_action_plan)

    importing = commands.add_parser("import", help="read an edited Excel return back into its assessments")
    kinds = importing.add_subparsers(dest="import_command", metavar="DOCUMENT", required=True)
    returned = kinds.add_parser(
        "return",
        help="list what an edited return changes; with --apply, record those changes",
        description="Compare a return exported by this application, and since edited in a spreadsheet, "
        "with what was exported. Only judgements and evidence notes are imported; each change is "
        "recorded in the assessment's history.",
    )
    returned.add_argument("file", type=Path, metavar="FILE.xlsx", help="the edited return")
    returned.add_argument("--apply", action="store_true", help="record the changes (without it, nothing is written)")
    returned.set_defaults(handler=_import_return)

    # ``import returns``: legacy returns in councils' own spreadsheets (commands/legacy.py).
    from nesds_desktop.commands import legacy

    legacy.register(kinds)




def _refuse_existing(path: Path, force: bool, err: TextIO) -> bool:
    if path.exists() and not force:
        print(f"error: {path} already exists; choose another name, or give --force to replace it", file=err)
        return True
    return False


def _export_return(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import preferences
    from nesds_desktop.services.return_service import ReturnError, export_return
    from nesds_desktop.services.workbook_service import WorkbookService

    if _refuse_existing(args.output, args.force, err):
        return EXIT_PROBLEMS
    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        service = WorkbookService(store, preferences.author_name(store))
        exported = export_return(service, args.assessment_ids, args.output)
    except ReturnError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    finally:
        store.close()
    for warning in exported.warnings:
        print(f"warning: {warning}", file=err)
    standards = ", ".join(sheet for sheet in exported.sheets[1:-2])
    print(f"return written to {exported.path}: {exported.assessments} assessment(s) ({standards}), "
          f"{exported.criteria} criteria, {exported.actions} action(s)", file=out)
    return EXIT_OK


def _peer_filter(args: argparse.Namespace, err: TextIO) -> PeerFilter | None:
    """The peers ``--peer-type`` and ``--peer-region`` ask for; None after saying what is wrong."""
    from nesds_desktop.domain.authorities import AuthorityError, AuthorityType, Region
    from nesds_desktop.services.action_plan_service import PeerFilter

    if (args.peer_type or args.peer_region) and not args.compare:
        print("error: --peer-type and --peer-region narrow the comparison: give --compare too", file=err)
        return None
    try:
        region = Region.from_label(args.peer_region) if args.peer_region else None
    except AuthorityError as exc:
        print(f"error: {exc}", file=err)
        return None
    return PeerFilter(AuthorityType(args.peer_type) if args.peer_type else None, region)


def _export_action_plan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services.action_plan_service import export_action_plan
    from nesds_desktop.services.workbook_service import NotFoundError, WorkbookError, WorkbookService

    peers = _peer_filter(args, err)
    if peers is None or _refuse_existing(args.output, args.force, err):
        return EXIT_PROBLEMS
    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        written = export_action_plan(
            WorkbookService(store, ""), args.assessment_id, args.output, comparison=args.compare, peers=peers
        )
    except NotFoundError:
        print(f"error: there is no assessment {args.assessment_id}", file=err)
        return EXIT_PROBLEMS
    except (WorkbookError, OSError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    finally:
        store.close()
    print(f"action plan written to {written}", file=out)
    return EXIT_OK


def _import_return(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import preferences
    from nesds_desktop.services.return_service import ReturnError, apply_return_import, preview_return_import
    from nesds_desktop.services.workbook_service import WorkbookService

    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        service = WorkbookService(store, preferences.author_name(store))
        preview = preview_return_import(service, args.file)
        for warning in preview.warnings:
            print(f"warning: {warning}", file=err)
        if preview.legacy:
            return EXIT_PROBLEMS
        for summary in preview.assessments:
            print(f"{summary.title} (assessment {summary.id})", file=out)
        for change in preview.changes:
            for line in change.describe():
                print(f"  {line}", file=out)
        fields = sum(len(change.describe()) for change in preview.changes)
        print(f"{fields} change(s) to {len(preview.changes)} criteria; {preview.unchanged} criteria unchanged"
              + (f"; {len(preview.conflicts)} conflict(s) not applied" if preview.conflicts else ""), file=out)
        if not args.apply:
            if preview.changes:
                print("nothing was written; run again with --apply to record these changes", file=out)
            return EXIT_OK
        applied = apply_return_import(service, preview)
    except ReturnError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    finally:
        store.close()
    for skipped in applied.skipped:
        print(f"warning: not applied: {skipped}", file=err)
    print(f"{applied.applied} change(s) recorded", file=out)
    return EXIT_PROBLEMS if applied.skipped else EXIT_OK
