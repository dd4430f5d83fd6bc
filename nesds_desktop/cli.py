"""The command line: ``nesds-desktop [--data-dir DIR] COMMAND ...``.

Commands run headless over :mod:`nesds_desktop.services`; with no command the
application window opens.  Heavy modules are imported inside each command so
that ``--help`` and the window start quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nesds_desktop._version import APP_NAME, __version__

if TYPE_CHECKING:
    from nesds_desktop.services.store_access import Store

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
    return parser


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

    store = _open_store(args, err)
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


def _open_store(args: argparse.Namespace, err: TextIO) -> Store | None:
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.store_access import StoreError, open_data_store

    try:
        return open_data_store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return None


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
