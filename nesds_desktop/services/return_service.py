"""Excel returns: export one authority's assessments in one round, and import the edited return.

Import is in two steps so a person sees before anything is written: :func:`preview_return_import`
reads the file and lists the changes; :func:`apply_return_import` makes exactly those
changes through :class:`WorkbookService`, so each is committed and logged like an edit
made in the window.

A change is compared three ways: as exported, as returned, and as it is in the store
now.  When the store moved on since the export for a judgement or notes the return also
changed, applying the return would overwrite someone's words: such a change is listed
as a conflict and not applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nesds_desktop.catalogue.workbook_safety import WorkbookRejectedError, check_workbook
from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.records import AssessmentSummary
from nesds_desktop.services.workbook_service import AssessmentFilter, NotFoundError, WorkbookService

if TYPE_CHECKING:
    from nesds_desktop.returns.return_reader import ReturnedChange

__all__ = [
    "AnswerChange",
    "AppliedReturn",
    "ExportedReturn",
    "ReturnError",
    "ReturnImportPreview",
    "apply_return_import",
    "export_return",
    "preview_return_import",
    "return_assessment_ids",
]

ProgressCallback = Callable[[int, int], None]


class ReturnError(Exception):
    """An export or import that cannot go ahead; the message says why in words a user can act on."""


@dataclass(frozen=True)
class ExportedReturn:
    path: Path
    assessments: int
    criteria: int
    actions: int
    sheets: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerChange:
    """One criterion's change from a return: (now in the store, in the return) per field, None if unchanged."""

    assessment_id: int
    standard_code: str
    ref: str
    judgement: tuple[Judgement, Judgement] | None = None
    notes: tuple[str, str] | None = None

    def describe(self) -> list[str]:
        lines = []
        if self.judgement is not None:
            before, after = self.judgement
            lines.append(f"{self.ref}: judgement {before.label} \u2192 {after.label}")
        if self.notes is not None:
            before_notes, after_notes = self.notes
            lines.append(f"{self.ref}: evidence notes {_quoted(before_notes)} \u2192 {_quoted(after_notes)}")
        return lines


@dataclass(frozen=True)
class ReturnImportPreview:
    path: Path
    legacy: bool
    warnings: tuple[str, ...]
    changes: tuple[AnswerChange, ...] = ()
    """What applying will do."""
    conflicts: tuple[AnswerChange, ...] = ()
    """Changed in the return and, since the export, in the store too: not applied."""
    assessments: tuple[AssessmentSummary, ...] = ()
    unchanged: int = 0
    """Criteria read from the return with nothing to apply."""

    @property
    def can_apply(self) -> bool:
        return not self.legacy and bool(self.changes)


@dataclass(frozen=True)
class AppliedReturn:
    applied: int
    """Fields changed (a judgement and notes of one criterion count two)."""
    skipped: tuple[str, ...] = field(default=())
    """Changes left out because the store changed between preview and apply."""
    criteria: int = 0
    """Criteria with at least one field changed."""


# -- export -------------------------------------------------------------------------------------


def return_assessment_ids(service: WorkbookService, authority_id: int, round_: Round) -> list[int]:
    """The assessments that make an authority's whole return for a round: the latest one per standard,
    in catalogue order."""
    latest: dict[str, AssessmentSummary] = {}
    for summary in service.list_assessments(AssessmentFilter(authority_id=authority_id, round_label=round_.label)):
        kept = latest.get(summary.standard_code)
        if kept is None or summary.updated_at > kept.updated_at:
            latest[summary.standard_code] = summary
    return [s.id for s in sorted(latest.values(), key=lambda s: _catalogue_position(service, s))]


def export_return(
    service: WorkbookService,
    assessment_ids: Sequence[int],
    path: Path,
    *,
    progress: ProgressCallback | None = None,
) -> ExportedReturn:
    """Write the return for ``assessment_ids`` (one authority, one round) to ``path`` (.xlsx).

    The file is written beside ``path`` under a temporary name and renamed into place,
    so a failure never leaves a half-written return; an existing file is replaced.
    """
    from nesds_desktop.returns.return_writer import (
        ReturnAssessment,
        ReturnDocument,
        ReturnWriteError,
        write_return,
    )

    if path.suffix.lower() != ".xlsx":
        raise ReturnError(f"{path}: a return is written as an Excel workbook; give the file name the ending .xlsx")
    if not path.parent.is_dir():
        raise ReturnError(f"{path}: the folder {path.parent} does not exist")
    summaries = _summaries_for_return(service, assessment_ids)
    items = []
    for summary in summaries:
        snapshot = service.open(summary.id)
        result = assess_standard(snapshot.standard, snapshot.judgements())
        items.append(ReturnAssessment(snapshot, result, service.release(summary.release_id).info))
    document = ReturnDocument(tuple(items), datetime.now(UTC), service.author)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        written = write_return(document, temporary, progress)
        temporary.replace(path)
    except ReturnWriteError as exc:
        raise ReturnError(str(exc)) from exc
    except PermissionError as exc:
        raise ReturnError(
            f"{path}: the return could not be written: the file may be open in a spreadsheet program, or the "
            "folder may be read-only; close the file or choose another folder and try again"
        ) from exc
    except OSError as exc:
        raise ReturnError(f"{path}: the return could not be written: {exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    warnings = tuple(
        f"{what} is longer than a spreadsheet cell holds, so it is cut short in the return"
        for what in written.cut_short
    )
    return ExportedReturn(path, len(items), written.criteria, written.actions, written.sheets, warnings)


def _summaries_for_return(service: WorkbookService, assessment_ids: Sequence[int]) -> list[AssessmentSummary]:
    ids = list(dict.fromkeys(assessment_ids))
    if not ids:
        raise ReturnError("choose at least one assessment for the return")
    summaries = []
    for assessment_id in ids:
        try:
            summaries.append(service.get_assessment(assessment_id))
        except NotFoundError:
            raise ReturnError(f"there is no assessment {assessment_id}") from None
    authorities = {s.authority.id for s in summaries}
    rounds = {s.round for s in summaries}
    if len(authorities) > 1 or len(rounds) > 1:
        listed = "; ".join(f"{s.id}: {s.authority.name}, {s.standard_code}, {s.round.label}" for s in summaries)
        raise ReturnError(
            "a return covers one authority in one round, but these assessments are for "
            f"{_count(len(authorities), 'authority', 'authorities')} and {_count(len(rounds), 'round', 'rounds')} "
            f"({listed}); export a separate return for each authority and round"
        )
    seen: dict[str, AssessmentSummary] = {}
    for summary in summaries:
        other = seen.get(summary.standard_code)
        if other is not None:
            raise ReturnError(
                f"a return holds one assessment per standard, but assessments {other.id} and {summary.id} are "
                f"both for {summary.standard_code}; choose one of them"
            )
        seen[summary.standard_code] = summary
    return sorted(summaries, key=lambda s: _catalogue_position(service, s))


def _catalogue_position(service: WorkbookService, summary: AssessmentSummary) -> tuple[int, str]:
    codes = [s.code for s in service.release(summary.release_id).standards]
    return (codes.index(summary.standard_code) if summary.standard_code in codes else len(codes), summary.standard_code)


# -- import -------------------------------------------------------------------------------------


def preview_return_import(service: WorkbookService, path: Path) -> ReturnImportPreview:
    """What importing the return at ``path`` would change; nothing is written."""
    from nesds_desktop.returns.return_reader import ReturnReadError, read_return

    try:
        checked = check_workbook(path)
        reading = read_return(checked.data, str(path))
    except (WorkbookRejectedError, ReturnReadError) as exc:
        raise ReturnError(str(exc)) from exc
    if reading.legacy:
        return ReturnImportPreview(path, True, reading.warnings)
    warnings = list(reading.warnings)
    assessments: dict[str, AssessmentSummary] = {}
    for returned in reading.assessments:
        summary = _find_assessment(service, returned.uid, returned.standard_code, returned.round_label)
        if summary is None:
            return _legacy(path, f"The assessment this return was exported from ({returned.standard_code}, round "
                                 f"{returned.round_label}) is not in this workbook's store")
        if summary.release_id != returned.release_id:
            return _legacy(path, f"The {returned.standard_code} assessment now uses catalogue release "
                                 f"{summary.release_id}, not {returned.release_id} as when the return was exported")
        if summary.authority.uid != returned.authority_uid:
            return _legacy(path, f"The {returned.standard_code} assessment belongs to another authority now")
        assessments[returned.uid] = summary

    changes: list[AnswerChange] = []
    conflicts: list[AnswerChange] = []
    answers = {uid: service.open(summary.id) for uid, summary in assessments.items()}
    for returned_change in reading.changes:
        summary = assessments[returned_change.assessment_uid]
        current = answers[returned_change.assessment_uid].answer(returned_change.ref)
        change, conflict = _compare(summary, returned_change, current.judgement, current.notes)
        if change is not None:
            changes.append(change)
        if conflict is not None:
            conflicts.append(conflict)
    if conflicts:
        refs = ", ".join(c.ref for c in conflicts)
        warnings.append(
            f"Changed both in the return and in the workbook since the export, so not applied: {refs}. "
            "Compare them and make the change by hand."
        )
    applied_refs = {c.ref for c in changes} | {c.ref for c in conflicts}
    unchanged = reading.criteria_read - len(applied_refs)
    return ReturnImportPreview(
        path, False, tuple(warnings), tuple(changes), tuple(conflicts), tuple(assessments.values()), unchanged
    )


def _legacy(path: Path, reason: str) -> ReturnImportPreview:
    return ReturnImportPreview(path, True, (f"{reason}. It is treated as a legacy return: nothing in it is applied.",))


def _find_assessment(service: WorkbookService, uid: str, code: str, round_label: str) -> AssessmentSummary | None:
    for summary in service.list_assessments(AssessmentFilter(standard_code=code, round_label=round_label)):
        if summary.uid == uid:
            return summary
    return None


def _compare(
    summary: AssessmentSummary, returned: ReturnedChange, judgement_now: Judgement, notes_now: str
) -> tuple[AnswerChange | None, AnswerChange | None]:
    """Split a returned change into what can be applied and what conflicts with the store."""
    apply_judgement = conflict_judgement = None
    apply_notes = conflict_notes = None
    if returned.judgement is not None and returned.judgement is not judgement_now:
        pair = (judgement_now, returned.judgement)
        if judgement_now is returned.exported.judgement:
            apply_judgement = pair
        else:
            conflict_judgement = pair
    if returned.notes is not None and not _same_notes(returned.notes, notes_now):
        notes_pair = (notes_now, returned.notes)
        if returned.exported.same_as_exported(notes_now):
            apply_notes = notes_pair
        else:
            conflict_notes = notes_pair
    base = (summary.id, summary.standard_code, returned.ref)
    change = AnswerChange(*base, apply_judgement, apply_notes) if apply_judgement or apply_notes else None
    conflict = (
        AnswerChange(*base, conflict_judgement, conflict_notes) if conflict_judgement or conflict_notes else None
    )
    return change, conflict


def _same_notes(returned: str, now: str) -> bool:
    from nesds_desktop.returns.layout import normalised

    return normalised(now) == returned


def apply_return_import(service: WorkbookService, preview: ReturnImportPreview) -> AppliedReturn:
    """Make the changes ``preview`` lists, each through ``service`` (so each is committed and logged).

    A change whose "before" no longer matches the store (someone edited it after the
    preview) is skipped and reported rather than overwriting that edit.
    """
    if preview.legacy:
        raise ReturnError(f"{preview.path} is a legacy return; nothing in it can be applied")
    applied = criteria = 0
    skipped: list[str] = []
    for change in preview.changes:
        current = service.answer(change.assessment_id, change.ref)
        before_count = applied
        if change.judgement is not None:
            before, after = change.judgement
            if current.judgement is before:
                service.set_judgement(change.assessment_id, change.ref, after)
                applied += 1
            else:
                skipped.append(f"{change.ref}: the judgement was changed in the workbook after the preview")
        if change.notes is not None:
            before_notes, after_notes = change.notes
            if current.notes == before_notes:
                service.set_notes(change.assessment_id, change.ref, after_notes)
                applied += 1
            else:
                skipped.append(f"{change.ref}: the evidence notes were changed in the workbook after the preview")
        criteria += applied > before_count
    return AppliedReturn(applied, tuple(skipped), criteria)


def _quoted(text: str, limit: int = 60) -> str:
    if not text:
        return "(none)"
    flat = " ".join(text.split())
    return f"\u201c{flat[:limit]}\u2026\u201d" if len(flat) > limit else f"\u201c{flat}\u201d"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
