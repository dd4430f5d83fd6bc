"""``nesds-desktop exchange ...``: assessment files (.nesds) that travel by email.

* ``export ASSESSMENT_ID... -o FILE.nesds [--redact]``: write assessments to a file.
* ``inspect FILE.nesds``: check a file and say what it holds; the store is not touched.
* ``import FILE.nesds [--prefer mine|theirs] [--dry-run]``: add the assessments new to the
  store and merge the others.  Conflicts stop it (exit 1, listed, nothing changed) unless
  ``--prefer`` settles them all one way.
* ``merge A B -o C [--prefer mine|theirs]``: merge two copies into a third file, no store
  involved; A is "mine".  Conflicts stop it the same way.

Services are imported inside the handlers so that ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nesds_desktop.commands.store_option import open_store_or_report

if TYPE_CHECKING:
    from nesds_desktop.services.exchange_service import ConflictView, MergePreview

EXIT_OK = 0
EXIT_PROBLEMS = 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exchange = commands.add_parser(
        "exchange",
        help="export, import and merge assessment files (.nesds) that travel by email",
        description="Assessment files carry assessments with every item's revision history, their authority and "
        "the catalogue release they were scored against. Importing adds new assessments and merges those the store "
        "already holds: changes made on one side only are taken, changes made on both sides differently are "
        "conflicts, which stop the import unless --prefer settles them.",
    )
    actions = exchange.add_subparsers(dest="exchange_command", metavar="ACTION", required=True)

    export = actions.add_parser("export", help="write assessments to a new .nesds file")
    export.add_argument("assessment_ids", type=int, nargs="+", metavar="ASSESSMENT_ID", help="the assessments' numbers")
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.nesds", help="the file to write")
    export.add_argument(
        "--redact",
        action="store_true",
        help="leave out evidence notes and people's names (such a file cannot be merged)",
    )
    export.add_argument("--force", action="store_true", help="replace FILE.nesds if it exists")
    export.set_defaults(handler=_export)

    inspect = actions.add_parser("inspect", help="check a .nesds file and say what it holds (the store is not touched)")
    inspect.add_argument("file", type=Path, metavar="FILE.nesds")
    inspect.set_defaults(handler=_inspect)

    importing = actions.add_parser(
        "import", help="add the file's new assessments to the store and merge the ones it already holds"
    )
    importing.add_argument("file", type=Path, metavar="FILE.nesds")
    _prefer_option(importing)
    importing.add_argument("--dry-run", action="store_true", help="only say what would happen; change nothing")
    importing.set_defaults(handler=_import)

    merge = actions.add_parser("merge", help="merge two copies of a file into a third (no store involved)")
    merge.add_argument("mine", type=Path, metavar="A", help="one copy (its side is 'mine')")
    merge.add_argument("theirs", type=Path, metavar="B", help="the other copy ('theirs')")
    merge.add_argument("-o", "--output", required=True, type=Path, metavar="C.nesds", help="the file to write")
    _prefer_option(merge)
    merge.add_argument("--force", action="store_true", help="replace C.nesds if it exists")
    merge.set_defaults(handler=_merge)


def _prefer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--prefer",
        choices=("mine", "theirs"),
        help="settle every conflict this way (default: list the conflicts, change nothing, exit 1)",
    )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def print_conflicts(conflicts: list[ConflictView] | tuple[ConflictView, ...], out: TextIO) -> None:
    for conflict in conflicts:
        print(f"conflict: {conflict.assessment_title}: {conflict.label}", file=out)
        if conflict.base is not None:
            print(f"  before:  {conflict.base.summary}", file=out)
        for side, version in (("mine", conflict.mine), ("theirs", conflict.theirs)):
            who = version.author or "unknown"
            print(f"  {side + ':':<8} {version.summary} ({who}, {_when(version.changed_at)})", file=out)


def print_preview(preview: MergePreview, out: TextIO) -> None:
    for release_id in preview.releases_to_add:
        print(f"catalogue release {release_id} comes with the file and will be added", file=out)
    for name in preview.authorities_to_add:
        print(f"authority {name} will be added to the register", file=out)
    for note in preview.notes:
        print(f"note: {note}", file=out)
    for plan in preview.plans:
        if plan.is_new:
            print(f"new: {plan.title}", file=out)
            continue
        print(
            f"merge into {plan.title} (assessment {plan.local_id}): {len(plan.taken)} change(s) taken, "
            f"{plan.joined} made the same on both sides, {len(plan.conflicts)} conflict(s)",
            file=out,
        )
        for line in plan.taken:
            print(f"  taken: {line.label}: {line.before} -> {line.after} ({line.author or 'unknown'})", file=out)
        for note in plan.notes:
            print(f"  note: {note}", file=out)


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import preferences
    from nesds_desktop.services.exchange_service import ExchangeError, ExchangeService

    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        service = ExchangeService(store, preferences.author_name(store))
        outcome = service.export(args.assessment_ids, args.output, redact_names=args.redact, overwrite=args.force)
    except ExchangeError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    finally:
        store.close()
    for title in outcome.titles:
        print(f"exported: {title}", file=out)
    redacted = " (notes and names left out)" if outcome.redacted else ""
    print(f"wrote {outcome.target}: {outcome.file_bytes / 1024:.0f} kB{redacted}", file=out)
    return EXIT_OK


def _inspect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services.exchange_service import ExchangeError, inspect_file

    try:
        file = inspect_file(args.file)  # the file alone: no store is opened
    except ExchangeError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    manifest = file.manifest
    print(
        f"{args.file}: assessment file, format {manifest.format_version}, written by {manifest.application}", file=out
    )
    print(f"  on {_when(manifest.created_at)} by {manifest.created_by or '(name left out)'}", file=out)
    if file.redacted:
        print("  notes and names were left out (redacted): it can be imported, not merged", file=out)
    for release in file.content.releases:
        print(f"  release {release.release_id} ({release.content_hash[:19]})", file=out)
    authorities = {a.uid: a.name for a in file.content.authorities}
    for copy in file.copies:
        details = copy.history.item("details", copy.uid)
        round_label = details.head.content.get("round") if details and details.head.content else "?"
        judgements = sum(1 for i in copy.history.items.values() if i.kind == "judgement")
        print(
            f"  assessment: {authorities[copy.authority_uid]} · {copy.standard_code} · {round_label} "
            f"({judgements} answer(s), {sum(1 for i in copy.history.items.values() if i.kind == 'evidence')} "
            f"evidence reference(s), {sum(1 for i in copy.history.items.values() if i.kind == 'action')} action(s))",
            file=out,
        )
    print("file OK", file=out)
    return EXIT_OK


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import catalogue_service, preferences
    from nesds_desktop.services.exchange_service import ExchangeError, ExchangeService, Side

    store = open_store_or_report(args, err)
    if store is None:
        return EXIT_PROBLEMS
    try:
        # A file scored against a bundled release should find it here, not bring its own.
        catalogue_service.load_bundled_releases(store)
        service = ExchangeService(store, preferences.author_name(store))
        preview = service.preview(args.file)
        print_preview(preview, out)
        if preview.nothing_to_do:
            print("nothing new: the store already holds everything in the file", file=out)
            return EXIT_OK
        if preview.conflicts and args.prefer is None:
            print_conflicts(preview.conflicts, err)
            print(
                f"{len(preview.conflicts)} conflict(s): nothing was changed. Run again with --prefer mine or "
                "--prefer theirs, or open the file in NeSDS Workbook to choose item by item.",
                file=err,
            )
            return EXIT_PROBLEMS
        if args.dry_run:
            print("dry run: nothing was changed", file=out)
            return EXIT_OK
        prefer = Side(args.prefer) if args.prefer else None
        applied = service.apply(preview, prefer=prefer)
        if preview.conflicts:
            print(f"{len(preview.conflicts)} conflict(s) settled: kept {args.prefer}", file=out)
        print(
            f"done: {len(applied.added_ids)} assessment(s) added, {len(applied.merged_ids)} merged "
            f"(ids {', '.join(str(i) for i in applied.assessment_ids) or 'none'})",
            file=out,
        )
        return EXIT_OK
    except ExchangeError as exc:
        print(f"error: {exc}", file=err)
        for detail in exc.details:
            print(f"  {detail}", file=err)
        return EXIT_PROBLEMS
    finally:
        store.close()


def _merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import getpass

    from nesds_desktop.services.exchange_service import ExchangeError, Side, merge_files

    prefer = Side(args.prefer) if args.prefer else None
    try:
        author = getpass.getuser()
    except (OSError, KeyError):
        author = ""
    try:
        outcome = merge_files(args.mine, args.theirs, args.output, author=author, prefer=prefer, overwrite=args.force)
    except ExchangeError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    if outcome.target is None:
        print_conflicts(outcome.conflicts, err)
        print(
            f"{len(outcome.conflicts)} conflict(s): {args.output} was not written. Run again with --prefer mine or "
            "--prefer theirs, or import the files into NeSDS Workbook to choose item by item.",
            file=err,
        )
        return EXIT_PROBLEMS
    settled = f", {len(outcome.conflicts)} conflict(s) settled as {args.prefer}" if outcome.conflicts else ""
    print(
        f"wrote {outcome.target}: {outcome.taken} change(s) taken from {args.theirs.name}, "
        f"{outcome.added} assessment(s) only in it added{settled}",
        file=out,
    )
    return EXIT_OK


