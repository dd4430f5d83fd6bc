"""The command line: ``nesds-desktop [--data-dir DIR] COMMAND ...``.

Commands run headless over :mod:`nesds_desktop.services`; with no command the
application window opens.  Heavy modules are imported inside each command so
that ``--help`` and the window start quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from nesds_desktop._version import APP_NAME, __version__
from nesds_desktop.commands import assessment, compare, demo
from nesds_desktop.commands import exchange as exchange_command
from nesds_desktop.commands import export as export_command
from nesds_desktop.commands import migrate as migrate_command
from nesds_desktop.commands.store_option import open_store_or_report

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nesds-desktop",
        description=f"{APP_NAME}: assess council service areas against the NeSDS e-Standards. "
        "With no command, the application window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder holding the local store (default: $NESDS_DATA_DIR, else the platform's user data folder)",
    )
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    catalogue = commands.add_parser("catalogue", help="inspect and check standards catalogue releases")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", metavar="ACTION", required=True)
    check = catalogue_commands.add_parser(
        "check", help="validate a catalogue folder, release folder or standard file; exit 1 on any problem"
    )
    check.add_argument("path", nargs="?", type=Path, help="default: the catalogue bundled with the application")
    check.set_defaults(handler=_catalogue_check)
    listing = catalogue_commands.add_parser(
        "list", help="list the releases in the store, with criterion counts per level"
    )
    listing.set_defaults(handler=_catalogue_list)
    _add_catalogue_transfer_commands(catalogue_commands)
    migrate_command.register(commands)
    demo.register(commands)
    assessment.register(commands)
    export_command.register(commands)
    exchange_command.register(commands)
    compare.register(commands)
    return parser


def _add_catalogue_transfer_commands(catalogue_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importing = catalogue_commands.add_parser(
        "import",
        help="turn a maintaining body's workbook (.xlsx, .xls, .ods) into a release folder; "
        "exit 1 if any row could not be used or nothing was written",
    )
    importing.add_argument("file", type=Path, help="the workbook to import")
    importing.add_argument("--release", required=True, metavar="NAME", help="release id, e.g. nesds-2007.1")
    importing.add_argument("-o", "--output", required=True, type=Path, metavar="DIR",
                           help="catalogue folder; the release is written to DIR/NAME, which must not exist")
    importing.add_argument("--title", help="release title (default: from the workbook's Release sheet)")
    importing.add_argument("--version", dest="release_version", metavar="VERSION",
                           help="release version (default: from the workbook's Release sheet)")
    importing.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                           help="publication date (default: from the workbook, else today)")
    importing.add_argument("--provenance", metavar="TEXT",
                           help="where the text comes from (default: from the workbook, else "
                           "'Imported from FILE on DATE')")
    importing.add_argument("--supersedes", metavar="RELEASE", help="id of the release this one replaces")
    importing.set_defaults(handler=_catalogue_import)
    exporting = catalogue_commands.add_parser(
        "export", help="write a release folder to a new workbook (.xlsx) that can be edited and imported back"
    )
    exporting.add_argument("release_dir", type=Path, metavar="RELEASE_DIR",
                           help="release folder (holding release.json)")
    exporting.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx",
                           help="the workbook to create (an existing file is not replaced)")
    exporting.set_defaults(handler=_catalogue_export)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def run_command(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
    return handler(args, out or sys.stdout, err or sys.stderr)


def _catalogue_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services.catalogue_service import check_catalogue

    problems, summaries = check_catalogue(args.path)
    for line in summaries:
        print(line, file=out)
    for problem in problems:
        print(f"error: {problem}", file=err)
    if problems:
        print(f"{len(problems)} problem(s) found", file=err)
        return EXIT_PROBLEMS
    print("catalogue OK", file=out)
    return EXIT_OK


def _catalogue_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import catalogue_service

    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        report = catalogue_service.load_bundled_releases(store)
        for problem in report.problems:
            print(f"warning: bundled catalogue: {problem}", file=err)
        for release in catalogue_service.list_releases(store):
            info = release.info
            print(
                f"{info.release_id}  {info.title} {info.version}  published {info.published.isoformat()}  "
                f"[{info.source}]  {info.content_hash[:19]}",
                file=out,
            )
            print(f"  {'code':<5} {'standard':<58} {'sect':>4} {'M':>4} {'P':>4} {'E':>4} {'total':>6}", file=out)
            for s in release.standards:
                m, p, e = (s.counts[level] for level in sorted(s.counts, key=lambda lv: lv.rank))
                print(f"  {s.code:<5} {s.title:<58} {s.sections:>4} {m:>4} {p:>4} {e:>4} {s.total:>6}", file=out)
            print(f"  {len(release.standards)} standards, {release.total} criteria", file=out)
    finally:
        store.close()
    return EXIT_PROBLEMS if report.problems else EXIT_OK


def _catalogue_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import catalogue_transfer as transfer

    options = transfer.ReleaseOptions(
        release_id=args.release,
        title=args.title,
        version=args.release_version,
        published=args.published,
        provenance=args.provenance,
        supersedes=args.supersedes,
    )
    try:
        outcome = transfer.import_catalogue_workbook(args.file, args.output, options)
    except transfer.CatalogueTransferError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    imported = outcome.imported
    for note in imported.notes:
        print(f"note: {args.file}: {note}", file=err)
    for row in imported.unusable_rows:
        print(f"warning: {args.file}: {row}", file=err)
    for problem in imported.problems:
        print(f"error: {args.file}: {problem}", file=err)
    if outcome.folder is None:
        print(f"{len(imported.problems)} problem(s) found; nothing was written", file=err)
        return EXIT_PROBLEMS
    print(f"release {args.release} written to {outcome.folder}: {len(imported.standards)} standards, "
          f"{imported.criteria_count} criteria, {imported.content_hash}", file=out)
    if imported.unusable_rows:
        print(f"{len(imported.unusable_rows)} row(s) could not be used and were left out (see the warnings above)",
              file=err)
        return EXIT_PROBLEMS
    return EXIT_OK


def _catalogue_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import catalogue_transfer as transfer

    try:
        outcome = transfer.export_catalogue_workbook(args.release_dir, args.output)
    except transfer.CatalogueTransferError as exc:
        print(f"error: {exc}", file=err)
        for problem in exc.details:
            print(f"error: {problem}", file=err)
        return EXIT_PROBLEMS
    print(f"release {outcome.release_id} exported to {outcome.target}: {outcome.standards} standards, "
          f"{outcome.criteria} criteria, {outcome.content_hash}", file=out)
    return EXIT_OK




def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
