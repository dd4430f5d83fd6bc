"""Catalogue transfer: a release from a maintaining body's workbook, and a release to a workbook.

Thin use cases over :mod:`nesds_desktop.catalogue`, shared by the command line and
the window.  Every refusal is a :class:`CatalogueTransferError` whose message
names the file and the problem; nothing is written when one is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nesds_desktop.catalogue.layout import is_release_folder
from nesds_desktop.catalogue.loader import read_release
from nesds_desktop.catalogue.spreadsheet_export import CatalogueExportError, export_release_workbook
from nesds_desktop.catalogue.spreadsheet_import import (
    CatalogueImport,
    CatalogueImportError,
    ReleaseOptions,
    RowProblem,
    check_release_id,
    read_catalogue_workbook,
    release_folder_for,
    write_release_folder,
)
from nesds_desktop.catalogue.workbook_safety import WorkbookRejectedError

__all__ = [
    "CatalogueImport",
    "CatalogueTransferError",
    "ExportOutcome",
    "ImportOutcome",
    "ReleaseOptions",
    "RowProblem",
    "export_catalogue_workbook",
    "import_catalogue_workbook",
]


class CatalogueTransferError(Exception):
    """An import or export that could not go ahead; ``details`` lists the problems behind it, if several."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


@dataclass(frozen=True)
class ImportOutcome:
    imported: CatalogueImport
    folder: Path | None = None  # None: the workbook had problems, so nothing was written

    @property
    def written(self) -> bool:
        return self.folder is not None


@dataclass(frozen=True)
class ExportOutcome:
    target: Path
    release_id: str
    standards: int
    criteria: int
    content_hash: str


def import_catalogue_workbook(workbook: Path, output_dir: Path, options: ReleaseOptions) -> ImportOutcome:
    """Read ``workbook`` and, when it gives a valid release, write ``output_dir/<release_id>/``.

    Unusable rows are reported in the outcome and left out; any problem that stops
    the release from validating leaves the outcome unwritten.
    """
    reason = check_release_id(options.release_id)
    if reason:
        raise CatalogueTransferError(reason)
    target = release_folder_for(output_dir, options.release_id)
    if target.exists():  # say so before spending time on the workbook
        raise CatalogueTransferError(
            f"{target} already exists; a release is never overwritten, so choose another release name or output folder"
        )
    try:
        imported = read_catalogue_workbook(workbook, options)
        if not imported.ok:
            return ImportOutcome(imported)
        return ImportOutcome(imported, write_release_folder(imported, output_dir))
    except (WorkbookRejectedError, CatalogueImportError) as exc:
        raise CatalogueTransferError(str(exc)) from exc
    except OSError as exc:
        raise CatalogueTransferError(f"{output_dir}: the release could not be written: {exc}") from exc


def export_catalogue_workbook(release_dir: Path, target: Path) -> ExportOutcome:
    """Write the release in ``release_dir`` to a new workbook ``target`` (.xlsx)."""
    if target.suffix.lower() != ".xlsx":
        raise CatalogueTransferError(f"{target}: the workbook must be an .xlsx file")
    if target.exists():
        raise CatalogueTransferError(f"{target} already exists; choose another name or remove it first")
    if not target.parent.is_dir():
        raise CatalogueTransferError(f"{target}: the folder {target.parent} does not exist")
    if not is_release_folder(release_dir):
        raise CatalogueTransferError(f"{release_dir} is not a release folder (it has no release.json)")
    result = read_release(release_dir)
    if not result.ok or result.release_file is None:
        problems = [str(problem) for problem in result.problems]
        message = f"{release_dir} has {len(problems)} problem(s); fix them before exporting"
        raise CatalogueTransferError(message, problems)
    try:
        export_release_workbook(result.release_file, result.standard_files, target, result.content_hash)
    except CatalogueExportError as exc:
        raise CatalogueTransferError(f"{target}: {exc}") from exc
    except OSError as exc:
        raise CatalogueTransferError(f"{target}: the workbook could not be written: {exc}") from exc
    criteria = sum(len(section.criteria) for standard in result.standard_files for section in standard.sections)
    return ExportOutcome(target, result.release_file.release_id, len(result.standard_files), criteria,
                         result.content_hash)
