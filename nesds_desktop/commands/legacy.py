"""``nesds-desktop import returns PATH...``: bring in returns councils kept in their own spreadsheets.

    nesds-desktop import returns PATH... [--authority A] [--round R] [--dry-run] [--report FILE]

A folder stands for the spreadsheet files in it.  Each file is checked and read on its
own, so a bad file never stops the others; one summary line is printed per file, and
the exit status is non-zero when any file failed.  Only rows that need no review are
imported (the import wizard is where a person confirms the rest); ``--report`` saves
what came in and what was left, and why, as an Excel workbook.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

EXIT_OK = 0
EXIT_PROBLEMS = 1


def register(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``returns`` to the ``import`` command's documents."""
    returns = kinds.add_parser(
        "returns",
        help="import legacy returns (councils' own spreadsheets): files or folders",
        description="Read returns councils kept in their own spreadsheets (.xls, .xlsx, .xlsm, .xlsb, .ods) "
        "and record the judgements and notes that need no review. A return exported by this application is "
        "imported exactly. A bad file is reported and the others carry on.",
    )
    returns.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a workbook, or a folder of them")
    returns.add_argument("--authority", metavar="A",
                         help="the authority the returns are from (default: as each file says)")
    returns.add_argument("--round", dest="round_label", metavar="R",
                         help="the round, e.g. 2006/07 (default: as each file says)")
    returns.add_argument("--dry-run", action="store_true", help="read and report only; write nothing")
    returns.add_argument("--report", type=Path, metavar="FILE.xlsx",
                         help="save what came in and what was left, and why, as an Excel workbook")
    returns.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                         help="the longest one file may take to read (default 60)")
    returns.set_defaults(handler=_import_returns)


def _import_returns(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.domain.assessments import AssessmentError, Round
    from nesds_desktop.services import catalogue_service, preferences
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.legacy_import_service import (
        AppliedLegacyImport,
        FileStatus,
        LegacyImportError,
        apply_legacy_import,
        preview_legacy_imports,
        write_import_report,
    )
    from nesds_desktop.services.store_access import StoreError, open_data_store
    from nesds_desktop.services.workbook_service import WorkbookService

    if args.report is not None and args.report.suffix.lower() != ".xlsx":
        print(f"error: {args.report}: the report is an Excel workbook; give the file name the ending .xlsx", file=err)
        return EXIT_PROBLEMS
    try:
        round_ = Round.parse(args.round_label) if args.round_label else None
    except AssessmentError as exc:
        print(f"error: --round: {exc}", file=err)
        return EXIT_PROBLEMS
    try:
        store = open_data_store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    failures = 0
    try:
        for problem in catalogue_service.load_bundled_releases(store).problems:
            print(f"warning: bundled catalogue: {problem}", file=err)
        service = WorkbookService(store, preferences.author_name(store))
        try:
            # Each file is read against the catalogue of its round: --round, else the round it names.
            previews = preview_legacy_imports(service, args.paths, timeout=args.timeout,
                                              round_label=round_.label if round_ else None)
        except LegacyImportError as exc:
            print(f"error: {exc}", file=err)
            return EXIT_PROBLEMS
        if not previews:
            print("error: no spreadsheet files were found in the paths given", file=err)
            return EXIT_PROBLEMS
        applied: dict[Path, AppliedLegacyImport] = {}
        not_imported: dict[Path, str] = {}
        for preview in previews:
            if preview.failed:
                failures += 1
                print(f"FAILED {preview.message}", file=out)
                continue
            if args.dry_run:
                print(f"read   {preview.message} (dry run: nothing written)", file=out)
                continue
            try:
                result = apply_legacy_import(service, preview, authority=args.authority, round_label=args.round_label)
            except LegacyImportError as exc:
                failures += 1
                not_imported[preview.path] = str(exc)
                print(f"FAILED {exc}", file=out)
                continue
            applied[preview.path] = result
            for message in result.messages:
                print(f"note: {message}", file=err)
            if preview.status is FileStatus.OWN_RETURN:
                print(f"done   {preview.path}: this application's return; {result.imported} "
                      f"{'criterion' if result.imported == 1 else 'criteria'} changed", file=out)
            else:
                print(f"done   {preview.path}: {result.imported} criteria imported for {result.authority}, round "
                      f"{result.round_label}; {len(result.left)} row(s) left for review", file=out)
        if args.report is not None:
            write_import_report(args.report, previews, applied, not_imported)
            print(f"report written to {args.report}", file=out)
    finally:
        store.close()
    print(f"{len(previews)} file(s): {len(previews) - failures} read, {failures} failed", file=out)
    return EXIT_PROBLEMS if failures else EXIT_OK
