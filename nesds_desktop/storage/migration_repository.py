"""Moving a stored assessment to another catalogue release, and the answers it archives.

:func:`repoint_assessment` carries out a plan the service has worked out (which old
answer goes to which new criterion, which is archived) on the store's rows: the
assessment's release, its judgements, evidence references and actions.  Nothing is
deleted that held anything: an answer with no place in the new release moves to
``archived_answer``; its evidence and actions stay, labelled with the archived
reference (see :func:`archived_ref`) so that they can never be mistaken for those of a
new criterion that reuses the old reference.  Every changed item is logged to
``change_log`` in the shapes :mod:`assessment_repository` uses.  Callers own the
transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.release_migration import ArchiveReason

# The change-log helpers and content shapes are shared so that a migration's history reads
# exactly like the history of edits made in the workbook.
from nesds_desktop.storage.assessment_repository import (
    KIND_ACTION,
    KIND_EVIDENCE,
    KIND_JUDGEMENT,
    NotFoundError,
    _action_content,
    _evidence_content,
    _judgement_content,
    _log,
    new_uid,
    now,
)
from nesds_desktop.storage.tables import (
    ActionRow,
    ArchivedAnswerRow,
    AssessmentRow,
    CatalogueRelease,
    ChangeRow,
    EvidenceRow,
    JudgementRow,
)

KIND_ARCHIVED_ANSWER = "archived_answer"
KIND_ASSESSMENT_RELEASE = "assessment_release"
_REF_LENGTH = 20  # the width of every criterion_ref column


class RepointError(ValueError):
    """The plan handed to :func:`repoint_assessment` would lose something; nothing was changed."""


def archived_ref(ref: str, release_version: str) -> str:
    """The label evidence and actions of an archived answer carry: "ICT-4-M1 (2006.1)".

    A newer release may reuse a retired reference for another criterion (2007.1 renumbers
    ICT-4-M2 as ICT-4-M1), so the old reference alone would attach old evidence to the new
    criterion.  The label fits the 20-character reference column in every SQL dialect.
    """
    label = f"{ref} ({release_version})"
    return label if len(label) <= _REF_LENGTH else f"{ref} (old)"


def is_archived_ref(ref: str) -> bool:
    """True for a label made by :func:`archived_ref` (a real reference never holds a space)."""
    return " (" in ref and ref.endswith(")")


def is_empty(value: str, notes: str) -> bool:
    """A judgement row that holds nothing: not yet assessed and no notes."""
    return value == Judgement.NOT_YET_ASSESSED.value and notes == ""


# -- reading archived answers -------------------------------------------------------------


@dataclass(frozen=True)
class ArchivedAnswerRecord:
    """An answer kept with the assessment: what it was given to, what it said, and why it is here."""

    id: int
    uid: str
    release_id: str
    criterion_ref: str
    archived_ref: str
    judgement: Judgement
    notes: str
    to_confirm: bool
    reason: ArchiveReason
    merged_into: str | None
    note: str
    answered_by: str
    answered_at: datetime
    archived_at: datetime
    archived_by: str


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def archived_answers(session: Session, assessment_id: int) -> list[ArchivedAnswerRecord]:
    rows = session.exec(
        select(ArchivedAnswerRow, CatalogueRelease.release_id)
        .join(CatalogueRelease, col(CatalogueRelease.id) == col(ArchivedAnswerRow.release_pk))
        .where(col(ArchivedAnswerRow.assessment_pk) == assessment_id)
        .order_by(col(ArchivedAnswerRow.id))
    ).all()
    return [_archived_record(row, release_id) for row, release_id in rows]


def _archived_record(row: ArchivedAnswerRow, release_id: str) -> ArchivedAnswerRecord:
    assert row.id is not None
    return ArchivedAnswerRecord(
        id=row.id,
        uid=row.uid,
        release_id=release_id,
        criterion_ref=row.criterion_ref,
        archived_ref=row.archived_ref,
        judgement=Judgement(row.value),
        notes=row.notes,
        to_confirm=row.to_confirm,
        reason=ArchiveReason(row.reason),
        merged_into=row.merged_into,
        note=row.note,
        answered_by=row.answered_by,
        answered_at=_aware(row.answered_at),
        archived_at=_aware(row.archived_at),
        archived_by=row.changed_by,
    )


def _archived_content(row: ArchivedAnswerRow, release_id: str, judgement_uid: str) -> dict[str, object]:
    return {
        "ref": row.criterion_ref,
        "release": release_id,
        "archived_ref": row.archived_ref,
        "judgement": row.value,
        "notes": row.notes,
        "to_confirm": row.to_confirm,
        "reason": row.reason,
        "merged_into": row.merged_into,
        "judgement_uid": judgement_uid,
    }


# -- the plan handed in by the service ----------------------------------------------------


@dataclass(frozen=True)
class CarriedTo:
    new_ref: str
    confirm: bool  # the criterion changed, so the carried answer must be confirmed


@dataclass(frozen=True)
class CarriedJudgement:
    """One old answer and the new criteria it goes to; the first keeps the row, the others get copies."""

    old_ref: str
    targets: tuple[CarriedTo, ...]


@dataclass(frozen=True)
class ArchivedJudgement:
    old_ref: str
    reason: ArchiveReason
    merged_into: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Repointing:
    """What to do to one assessment's rows.

    ``ref_map`` maps each old reference that has a place in the new release to its new
    references (the first receives actions; evidence is copied to each).  Evidence and
    actions on any other reference stay, labelled with :func:`archived_ref`.
    """

    to_release_id: str
    carried: tuple[CarriedJudgement, ...] = ()
    archived: tuple[ArchivedJudgement, ...] = ()
    ref_map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class RepointReport:
    """How many rows of each kind the migration changed."""

    judgements_moved: int = 0
    judgements_copied: int = 0
    judgements_flagged: int = 0
    judgements_archived: int = 0
    empty_judgements_removed: int = 0
    evidence_moved: int = 0
    evidence_copied: int = 0
    evidence_archived: int = 0
    actions_moved: int = 0
    actions_archived: int = 0


# -- carrying it out ----------------------------------------------------------------------


def repoint_assessment(session: Session, assessment_id: int, plan: Repointing, author: str) -> RepointReport:
    """Move the assessment to ``plan.to_release_id``; see the module docstring.

    Raises :class:`RepointError` before changing anything when the plan leaves an answer
    with nowhere to go or names a judgement the assessment does not have.
    """
    assessment = session.get(AssessmentRow, assessment_id)
    if assessment is None:
        raise NotFoundError(f"assessment {assessment_id}")
    old_release = session.get(CatalogueRelease, assessment.release_pk)
    assert old_release is not None and old_release.id is not None
    new_release = session.exec(
        select(CatalogueRelease).where(CatalogueRelease.release_id == plan.to_release_id)
    ).first()
    if new_release is None or new_release.id is None:
        raise NotFoundError(f"catalogue release {plan.to_release_id}")
    rows = {
        row.criterion_ref: row
        for row in session.exec(select(JudgementRow).where(JudgementRow.assessment_pk == assessment_id)).all()
    }
    _check_plan(plan, rows)

    report = RepointReport()
    moment = now()
    refs = _all_refs(session, assessment_id, rows)
    label = {ref: archived_ref(ref, old_release.version) for ref in refs if not is_archived_ref(ref)}
    _archive_judgements(session, assessment_id, plan, rows, old_release, label, author, moment, report)
    _carry_judgements(session, assessment_id, plan, rows, author, moment, report)
    _move_evidence(session, assessment_id, plan.ref_map, label, author, moment, report)
    _move_actions(session, assessment_id, plan.ref_map, label, author, moment, report)

    assessment.release_pk = new_release.id
    assessment.updated_at = moment
    session.add(assessment)
    _log(
        session,
        assessment_id,
        KIND_ASSESSMENT_RELEASE,
        assessment.uid,
        _next_revision(session, assessment_id, KIND_ASSESSMENT_RELEASE, assessment.uid),
        author,
        {"from_release": old_release.release_id, "to_release": new_release.release_id},
    )
    session.flush()
    return report


def _check_plan(plan: Repointing, rows: Mapping[str, JudgementRow]) -> None:
    named = [c.old_ref for c in plan.carried] + [a.old_ref for a in plan.archived]
    missing = sorted({ref for ref in named if ref not in rows})
    if missing:
        raise RepointError(f"the plan names judgements the assessment does not have: {', '.join(missing)}")
    twice = sorted({ref for ref in named if named.count(ref) > 1})
    if twice:
        raise RepointError(f"the plan names these judgements more than once: {', '.join(twice)}")
    if any(not c.targets for c in plan.carried):
        raise RepointError("a carried judgement must go to at least one new criterion")
    new_refs = [t.new_ref for c in plan.carried for t in c.targets]
    clashing = sorted({ref for ref in new_refs if new_refs.count(ref) > 1})
    if clashing:
        raise RepointError(f"more than one answer would go to {', '.join(clashing)}")
    # A row the plan does not name is removed, so it must hold nothing.
    lost = sorted(ref for ref, row in rows.items() if ref not in named and not is_empty(row.value, row.notes))
    if lost:
        raise RepointError(f"the plan would lose the answers to {', '.join(lost)}")


def _all_refs(session: Session, assessment_id: int, rows: Mapping[str, JudgementRow]) -> set[str]:
    refs = set(rows)
    refs.update(session.exec(select(EvidenceRow.criterion_ref).where(EvidenceRow.assessment_pk == assessment_id)).all())
    refs.update(
        ref
        for ref in session.exec(select(ActionRow.criterion_ref).where(ActionRow.assessment_pk == assessment_id)).all()
        if ref is not None
    )
    return refs


def _archive_judgements(
    session: Session,
    assessment_id: int,
    plan: Repointing,
    rows: Mapping[str, JudgementRow],
    old_release: CatalogueRelease,
    label: Mapping[str, str],
    author: str,
    moment: datetime,
    report: RepointReport,
) -> None:
    assert old_release.id is not None
    named = {c.old_ref for c in plan.carried} | {a.old_ref for a in plan.archived}
    for entry in plan.archived:
        row = rows[entry.old_ref]
        if is_empty(row.value, row.notes):
            _remove_judgement(session, assessment_id, row, author, report)
            continue
        archived = ArchivedAnswerRow(
            uid=new_uid(),
            assessment_pk=assessment_id,
            release_pk=old_release.id,
            criterion_ref=row.criterion_ref,
            archived_ref=label[row.criterion_ref],
            value=row.value,
            notes=row.notes,
            to_confirm=row.to_confirm,
            reason=entry.reason.value,
            merged_into=entry.merged_into,
            note=entry.note,
            answered_by=row.changed_by,
            answered_at=row.changed_at,
            archived_at=moment,
            changed_by=author,
        )
        session.add(archived)
        _log(
            session,
            assessment_id,
            KIND_ARCHIVED_ANSWER,
            archived.uid,
            1,
            author,
            _archived_content(archived, old_release.release_id, row.uid),
        )
        _log(session, assessment_id, KIND_JUDGEMENT, row.uid, row.revision + 1, author, None)
        session.delete(row)
        report.judgements_archived += 1
    for ref, row in rows.items():
        if ref not in named:  # _check_plan made sure it is empty
            _remove_judgement(session, assessment_id, row, author, report)
    session.flush()


def _remove_judgement(
    session: Session, assessment_id: int, row: JudgementRow, author: str, report: RepointReport
) -> None:
    _log(session, assessment_id, KIND_JUDGEMENT, row.uid, row.revision + 1, author, None)
    session.delete(row)
    report.empty_judgements_removed += 1


def _carry_judgements(
    session: Session,
    assessment_id: int,
    plan: Repointing,
    rows: Mapping[str, JudgementRow],
    author: str,
    moment: datetime,
    report: RepointReport,
) -> None:
    # References are reused between releases (ICT-4-M2 becomes ICT-4-M1), so rows that
    # change reference first step aside to a temporary one: the unique (assessment, ref)
    # constraint is checked statement by statement.
    flagged_before = {carried.old_ref: rows[carried.old_ref].to_confirm for carried in plan.carried}
    changing: list[tuple[JudgementRow, str, bool]] = []
    for carried in plan.carried:
        row = rows[carried.old_ref]
        first = carried.targets[0]
        to_confirm = _confirm(row, flagged_before[carried.old_ref], first)
        if first.new_ref != carried.old_ref or to_confirm != row.to_confirm:
            changing.append((row, first.new_ref, to_confirm))
            if first.new_ref != carried.old_ref:
                row.criterion_ref = f"#{row.id}"
                session.add(row)
    session.flush()
    for row, new_ref, to_confirm in changing:
        report.judgements_moved += int(row.criterion_ref != new_ref)
        report.judgements_flagged += int(to_confirm and not row.to_confirm)
        row.criterion_ref, row.to_confirm = new_ref, to_confirm
        row.changed_by, row.changed_at, row.revision = author, moment, row.revision + 1
        session.add(row)
        _log(session, assessment_id, KIND_JUDGEMENT, row.uid, row.revision, author, _judgement_content(row))
    session.flush()
    for carried in plan.carried:
        source = rows[carried.old_ref]
        for target in carried.targets[1:]:
            copy = JudgementRow(
                uid=new_uid(),
                assessment_pk=assessment_id,
                criterion_ref=target.new_ref,
                value=source.value,
                notes=source.notes,
                to_confirm=_confirm(source, flagged_before[carried.old_ref], target),
                changed_by=author,
                changed_at=moment,
                revision=1,
            )
            session.add(copy)
            _log(session, assessment_id, KIND_JUDGEMENT, copy.uid, 1, author, _judgement_content(copy))
            report.judgements_copied += 1
            report.judgements_flagged += int(copy.to_confirm)
    session.flush()


def _confirm(row: JudgementRow, flagged_before: bool, target: CarriedTo) -> bool:
    """Flag a carried answer when its criterion changed; an empty row has nothing to confirm."""
    return flagged_before or (target.confirm and not is_empty(row.value, row.notes))


def _move_evidence(
    session: Session,
    assessment_id: int,
    ref_map: Mapping[str, tuple[str, ...]],
    label: Mapping[str, str],
    author: str,
    moment: datetime,
    report: RepointReport,
) -> None:
    rows = session.exec(
        select(EvidenceRow)
        .where(EvidenceRow.assessment_pk == assessment_id)
        .order_by(col(EvidenceRow.criterion_ref), col(EvidenceRow.position), col(EvidenceRow.id))
    ).all()
    staying = [row for row in rows if ref_map.get(row.criterion_ref) == (row.criterion_ref,)]
    next_position: dict[str, int] = {}
    for row in staying:
        next_position[row.criterion_ref] = max(next_position.get(row.criterion_ref, 0), row.position + 1)

    def place(ref: str) -> int:
        position = next_position.get(ref, 0)
        next_position[ref] = position + 1
        return position

    for row in rows:
        if ref_map.get(row.criterion_ref) == (row.criterion_ref,) or _already_archived(row.criterion_ref, ref_map):
            continue
        targets = ref_map.get(row.criterion_ref) or (label[row.criterion_ref],)
        archived = not ref_map.get(row.criterion_ref)
        for target in targets[1:]:
            copy = EvidenceRow(
                uid=new_uid(),
                assessment_pk=assessment_id,
                criterion_ref=target,
                position=place(target),
                title=row.title,
                location=row.location,
                changed_by=author,
                changed_at=moment,
                revision=1,
            )
            session.add(copy)
            _log(session, assessment_id, KIND_EVIDENCE, copy.uid, 1, author, _evidence_content(copy))
            report.evidence_copied += 1
        position = place(targets[0])
        if (row.criterion_ref, row.position) == (targets[0], position):
            continue  # the first part of a split keeps its evidence where it was
        if archived:
            report.evidence_archived += 1
        elif row.criterion_ref != targets[0]:
            report.evidence_moved += 1
        row.criterion_ref, row.position = targets[0], position
        row.changed_by, row.changed_at, row.revision = author, moment, row.revision + 1
        session.add(row)
        _log(session, assessment_id, KIND_EVIDENCE, row.uid, row.revision, author, _evidence_content(row))
    session.flush()


def _move_actions(
    session: Session,
    assessment_id: int,
    ref_map: Mapping[str, tuple[str, ...]],
    label: Mapping[str, str],
    author: str,
    moment: datetime,
    report: RepointReport,
) -> None:
    rows = session.exec(select(ActionRow).where(ActionRow.assessment_pk == assessment_id)).all()
    for row in rows:
        ref = row.criterion_ref
        if ref is None or ref_map.get(ref, ())[:1] == (ref,) or _already_archived(ref, ref_map):
            continue
        targets = ref_map.get(ref) or (label[ref],)
        row.criterion_ref = targets[0]  # an action is one piece of work: it stays on the first new criterion
        row.changed_by, row.changed_at, row.revision = author, moment, row.revision + 1
        session.add(row)
        _log(session, assessment_id, KIND_ACTION, row.uid, row.revision, author, _action_content(row))
        if ref_map.get(ref):
            report.actions_moved += 1
        else:
            report.actions_archived += 1
    session.flush()


def _already_archived(ref: str, ref_map: Mapping[str, tuple[str, ...]]) -> bool:
    """Evidence or an action archived by an earlier migration stays as it is."""
    return ref not in ref_map and is_archived_ref(ref)


def _next_revision(session: Session, assessment_id: int, kind: str, uid: str) -> int:
    revisions = session.exec(
        select(ChangeRow.revision).where(
            ChangeRow.assessment_pk == assessment_id, ChangeRow.item_kind == kind, ChangeRow.item_uid == uid
        )
    ).all()
    return max(revisions, default=0) + 1
