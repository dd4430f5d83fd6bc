"""``nesds-desktop migrate ASSESSMENT_ID --to RELEASE [--apply]``: move an assessment to a newer release.

Without ``--apply`` the preview is printed and nothing changes; with it the migration is
made in one transaction and a summary printed.  Services are imported inside the handler
so that ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from nesds_desktop.services.release_migration_service import ArchivedPreview, ItemMoves, MigrationPreview

EXIT_OK = 0
EXIT_PROBLEMS = 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="move an assessment to a newer catalogue release; shows a preview unless --apply is given",
        description="Move an assessment to a newer catalogue release through the crosswalks. Answers to "
        "unchanged criteria are carried over; answers to reworded, moved, split or merged criteria are carried "
        "over marked to confirm; answers to retired criteria are archived with the assessment, never deleted. "
        "Without --apply only the preview is shown.",
    )
    migrate.add_argument("assessment_id", type=int, metavar="ASSESSMENT_ID", help="the assessment's number")
    migrate.add_argument("--to", required=True, dest="to_release", metavar="RELEASE", help="e.g. nesds-2007.1")
    migrate.add_argument("--apply", action="store_true", help="make the migration (default: preview only)")
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import catalogue_service, preferences
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.release_migration_service import ReleaseMigrationError, ReleaseMigrationService
    from nesds_desktop.services.store_access import StoreError, open_data_store

    try:
        store = open_data_store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    try:
        # The newer release may have arrived with this version of the application.
        report = catalogue_service.load_bundled_releases(store)
        for problem in report.problems:
            print(f"warning: bundled catalogue: {problem}", file=err)
        service = ReleaseMigrationService(store, preferences.author_name(store))
        try:
            if args.apply:
                print_summary(service.migrate(args.assessment_id, args.to_release), out)
            else:
                print_preview(service.preview(args.assessment_id, args.to_release), out)
        except ReleaseMigrationError as exc:
            print(f"error: {exc}", file=err)
            return EXIT_PROBLEMS
    finally:
        store.close()
    return EXIT_OK


def print_preview(preview: MigrationPreview, out: TextIO) -> None:
    print(f"Preview: assessment {preview.assessment_id}, {preview.assessment_title}", file=out)
    print(f"From {preview.from_release} to {preview.to_release}, by the crosswalks {_path(preview)}", file=out)

    print(f"\nCarried over ({len(preview.carried)}):", file=out)
    for criterion in preview.carried:
        judgement = criterion.judgement
        assert judgement is not None
        print(f"  {criterion.new_ref:<10} {judgement.label}", file=out)

    print(f"\nCarried over, to confirm ({len(preview.to_confirm)}):", file=out)
    for criterion in preview.to_confirm:
        judgement = criterion.judgement
        assert judgement is not None
        print(f"  {criterion.new_ref:<10} {judgement.label} — {criterion.reason}", file=out)
        if criterion.note:
            print(f"             {criterion.note}", file=out)

    print(f"\nNew criteria, not yet answered ({len(preview.new)}):", file=out)
    for criterion in preview.new:
        print(f"  {criterion.new_ref}", file=out)
        if criterion.note:
            print(f"             {criterion.note}", file=out)

    if preview.not_answered_before:
        refs = ", ".join(c.new_ref for c in preview.not_answered_before)
        print(f"\nNot answered in {preview.from_release} either ({len(preview.not_answered_before)}): {refs}", file=out)

    print(f"\nArchived with the assessment, not deleted ({len(preview.archived)}):", file=out)
    for archived in preview.archived:
        print(
            f"  {archived.old_ref:<10} {archived.judgement.label} — "
            f"{_archive_reason(archived)}; kept as {archived.archived_ref}",
            file=out,
        )
        if archived.note:
            print(f"             {archived.note}", file=out)

    print("", file=out)
    print(f"Evidence references: {_moves(preview.evidence)}", file=out)
    print(f"Actions: {_moves(preview.actions)}", file=out)
    print(f"Level: {preview.level_before} now; {preview.level_after} after the migration.", file=out)
    print(
        f"Nothing has been changed. To migrate, run again with --apply; {preview.from_release} stays in the store.",
        file=out,
    )


def print_summary(preview: MigrationPreview, out: TextIO) -> None:
    counts = (
        f"{len(preview.carried)} carried over, {len(preview.to_confirm)} carried over to confirm, "
        f"{len(preview.new)} new and not yet answered, {len(preview.archived)} archived"
    )
    print(f"Assessment {preview.assessment_id} ({preview.assessment_title}) now uses {preview.to_release}.", file=out)
    print(f"Criteria: {counts}.", file=out)
    if preview.to_confirm:
        print(f"To confirm in the next workshop: {', '.join(c.new_ref for c in preview.to_confirm)}.", file=out)
    if preview.archived:
        kept = ", ".join(f"{a.old_ref} ({_archive_reason(a)})" for a in preview.archived)
        print(f"Archived with the assessment: {kept}.", file=out)
    print(f"Evidence references: {_moves(preview.evidence)}", file=out)
    print(f"Actions: {_moves(preview.actions)}", file=out)
    print(f"Level: {preview.level_before} before; {preview.level_after} now.", file=out)
    print(f"{preview.from_release} stays in the store for the archived answers.", file=out)


def _path(preview: MigrationPreview) -> str:
    return " -> ".join(preview.path)


def _moves(moves: ItemMoves) -> str:
    parts = [f"moved to a new reference {moves.moved}"]
    if moves.copied:
        parts.append(f"copied to the parts of split criteria {moves.copied}")
    parts.append(f"kept with archived answers {moves.archived}")
    parts.append(f"unchanged {moves.unchanged}")
    return "; ".join(parts) + "."


def _archive_reason(archived: ArchivedPreview) -> str:
    from nesds_desktop.services.release_migration_service import ArchiveReason

    if archived.reason is ArchiveReason.MERGED_NOT_CARRIED:
        return f"merged into {archived.merged_into or 'a criterion'}, which carries another criterion's answer"
    return archived.reason.label.lower()
