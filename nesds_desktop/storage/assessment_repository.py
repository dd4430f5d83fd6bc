"""Authorities, assessments and their items in the store, as domain records.

Every write stamps the item (author, time, revision) and appends the item's new state
to ``change_log``: the history that lets copies edited on other machines be merged.
Callers own the transaction: each service call commits once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, func, insert, update
from sqlmodel import Session, SQLModel, col, select

from nesds_desktop.domain.assessments import (
    Action,
    ActionPriority,
    ActionState,
    AssessmentState,
    EvidenceReference,
    Round,
)
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import (
    ActionItem,
    AssessmentDetails,
    AssessmentSummary,
    AuthorityRecord,
    CriterionAnswer,
    EvidenceItem,
)
from nesds_desktop.storage.tables import (
    ActionRow,
    AssessmentRow,
    AuthorityRow,
    CatalogueRelease,
    CatalogueStandard,
    ChangeRow,
    EvidenceRow,
    JudgementRow,
)

KIND_JUDGEMENT = "judgement"
KIND_EVIDENCE = "evidence"
KIND_ACTION = "action"


class NotFoundError(LookupError):
    """The authority, assessment or item asked for is not in the store."""


def now() -> datetime:
    return datetime.now(UTC)


def new_uid() -> str:
    return str(uuid.uuid4())


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- authorities ------------------------------------------------------------------------------


def _authority_record(row: AuthorityRow) -> AuthorityRecord:
    assert row.id is not None
    authority = Authority(row.name, AuthorityType(row.type), Region(row.region), row.gss_code)
    return AuthorityRecord(row.id, row.uid, authority)


def add_authority(session: Session, authority: Authority, uid: str | None = None) -> AuthorityRecord:
    row = AuthorityRow(
        uid=uid or new_uid(),
        name=authority.name,
        type=authority.type.value,
        region=authority.region.value,
        gss_code=authority.gss_code,
    )
    session.add(row)
    session.flush()
    return _authority_record(row)


def update_authority(session: Session, authority_id: int, authority: Authority) -> AuthorityRecord:
    row = session.get(AuthorityRow, authority_id)
    if row is None:
        raise NotFoundError(f"authority {authority_id}")
    row.name, row.type, row.region, row.gss_code = (
        authority.name,
        authority.type.value,
        authority.region.value,
        authority.gss_code,
    )
    session.add(row)
    session.flush()
    return _authority_record(row)


def list_authorities(session: Session) -> list[AuthorityRecord]:
    rows = session.exec(select(AuthorityRow).order_by(col(AuthorityRow.name))).all()
    return [_authority_record(row) for row in rows]


def get_authority(session: Session, authority_id: int) -> AuthorityRecord:
    row = session.get(AuthorityRow, authority_id)
    if row is None:
        raise NotFoundError(f"authority {authority_id}")
    return _authority_record(row)


def find_authority_by_gss(session: Session, gss_code: str) -> AuthorityRecord | None:
    row = session.exec(select(AuthorityRow).where(AuthorityRow.gss_code == gss_code)).first()
    return _authority_record(row) if row else None


# -- assessments ------------------------------------------------------------------------------


def release_pk(session: Session, release_id: str) -> int:
    pk = session.exec(select(CatalogueRelease.id).where(CatalogueRelease.release_id == release_id)).first()
    if pk is None:
        raise NotFoundError(f"catalogue release {release_id}")
    return pk


@dataclass(frozen=True)
class AssessmentFilter:
    authority_id: int | None = None
    standard_code: str | None = None
    round_label: str | None = None
    state: AssessmentState | None = None
    text: str = ""


def add_assessment(
    session: Session, details: AssessmentDetails, total: int, level_label: str, uid: str | None = None
) -> int:
    moment = now()
    row = AssessmentRow(
        uid=uid or new_uid(),
        authority_pk=details.authority_id,
        release_pk=release_pk(session, details.release_id),
        standard_code=details.standard_code,
        round_label=details.round.label,
        facilitator=details.facilitator.strip(),
        participants=details.participants.strip(),
        workshop_start=details.workshop_start,
        workshop_end=details.workshop_end,
        state=details.state.value,
        level_label=level_label,
        answered=0,
        total=total,
        created_at=moment,
        updated_at=moment,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def update_assessment_details(session: Session, assessment_id: int, details: AssessmentDetails) -> None:
    row = _assessment_row(session, assessment_id)
    row.authority_pk = details.authority_id
    row.round_label = details.round.label
    row.facilitator = details.facilitator.strip()
    row.participants = details.participants.strip()
    row.workshop_start = details.workshop_start
    row.workshop_end = details.workshop_end
    row.state = details.state.value
    row.updated_at = now()
    session.add(row)


def record_level(session: Session, assessment_id: int, level_label: str, answered: int, total: int) -> None:
    session.execute(
        update(AssessmentRow)
        .where(col(AssessmentRow.id) == assessment_id)
        .values(level_label=level_label, answered=answered, total=total, updated_at=now())
    )


def delete_assessment(session: Session, assessment_id: int) -> None:
    session.execute(delete(AssessmentRow).where(col(AssessmentRow.id) == assessment_id))


def _assessment_row(session: Session, assessment_id: int) -> AssessmentRow:
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFoundError(f"assessment {assessment_id}")
    return row


def assessment_release_and_standard(session: Session, assessment_id: int) -> tuple[str, str]:
    row = session.exec(
        select(CatalogueRelease.release_id, AssessmentRow.standard_code)
        .join(AssessmentRow, col(AssessmentRow.release_pk) == col(CatalogueRelease.id))
        .where(col(AssessmentRow.id) == assessment_id)
    ).first()
    if row is None:
        raise NotFoundError(f"assessment {assessment_id}")
    return row[0], row[1]


def list_assessments(session: Session, where: AssessmentFilter | None = None) -> list[AssessmentSummary]:
    where = where or AssessmentFilter()
    query = (
        select(AssessmentRow, AuthorityRow, CatalogueRelease.release_id, CatalogueStandard.title)
        .join(AuthorityRow, col(AuthorityRow.id) == col(AssessmentRow.authority_pk))
        .join(CatalogueRelease, col(CatalogueRelease.id) == col(AssessmentRow.release_pk))
        .join(
            CatalogueStandard,
            (col(CatalogueStandard.release_pk) == col(AssessmentRow.release_pk))
            & (col(CatalogueStandard.code) == col(AssessmentRow.standard_code)),
        )
    )
    if where.authority_id is not None:
        query = query.where(col(AssessmentRow.authority_pk) == where.authority_id)
    if where.standard_code:
        query = query.where(col(AssessmentRow.standard_code) == where.standard_code)
    if where.round_label:
        query = query.where(col(AssessmentRow.round_label) == where.round_label)
    if where.state is not None:
        query = query.where(col(AssessmentRow.state) == where.state.value)
    if where.text.strip():
        query = query.where(col(AuthorityRow.name).ilike(f"%{where.text.strip()}%"))
    query = query.order_by(
        col(AuthorityRow.name), col(AssessmentRow.round_label).desc(), col(AssessmentRow.standard_code)
    )
    return [_summary(a, auth, rid, title) for a, auth, rid, title in session.exec(query).all()]


def get_assessment(session: Session, assessment_id: int) -> AssessmentSummary:
    query = (
        select(AssessmentRow, AuthorityRow, CatalogueRelease.release_id, CatalogueStandard.title)
        .join(AuthorityRow, col(AuthorityRow.id) == col(AssessmentRow.authority_pk))
        .join(CatalogueRelease, col(CatalogueRelease.id) == col(AssessmentRow.release_pk))
        .join(
            CatalogueStandard,
            (col(CatalogueStandard.release_pk) == col(AssessmentRow.release_pk))
            & (col(CatalogueStandard.code) == col(AssessmentRow.standard_code)),
        )
        .where(col(AssessmentRow.id) == assessment_id)
    )
    found = session.exec(query).first()
    if found is None:
        raise NotFoundError(f"assessment {assessment_id}")
    return _summary(*found)


def _summary(row: AssessmentRow, authority: AuthorityRow, release_id: str, title: str) -> AssessmentSummary:
    assert row.id is not None
    return AssessmentSummary(
        id=row.id,
        uid=row.uid,
        authority=_authority_record(authority),
        release_id=release_id,
        standard_code=row.standard_code,
        standard_title=title,
        round=Round.parse(row.round_label),
        state=AssessmentState(row.state),
        facilitator=row.facilitator,
        participants=row.participants,
        workshop_start=row.workshop_start,
        workshop_end=row.workshop_end,
        level_label=row.level_label,
        answered=row.answered,
        total=row.total,
        updated_at=_aware(row.updated_at),
    )


# -- judgements and notes ---------------------------------------------------------------------


def _log(session: Session, assessment_id: int, kind: str, uid: str, revision: int, author: str, content: Any) -> None:
    session.add(
        ChangeRow(
            assessment_pk=assessment_id,
            item_kind=kind,
            item_uid=uid,
            revision=revision,
            author=author,
            changed_at=now(),
            content=content,
        )
    )


def _judgement_content(row: JudgementRow) -> dict[str, object]:
    return {"ref": row.criterion_ref, "judgement": row.value, "notes": row.notes, "to_confirm": row.to_confirm}


def answers(session: Session, assessment_id: int) -> dict[str, CriterionAnswer]:
    rows = session.exec(select(JudgementRow).where(JudgementRow.assessment_pk == assessment_id)).all()
    return {
        row.criterion_ref: CriterionAnswer(
            row.criterion_ref,
            Judgement(row.value),
            row.notes,
            row.to_confirm,
            row.changed_by,
            _aware(row.changed_at),
        )
        for row in rows
    }


def judgement_values(session: Session, assessment_id: int) -> dict[str, Judgement]:
    rows = session.exec(
        select(JudgementRow.criterion_ref, JudgementRow.value).where(JudgementRow.assessment_pk == assessment_id)
    ).all()
    return {ref: Judgement(value) for ref, value in rows}


def save_answer(
    session: Session,
    assessment_id: int,
    ref: str,
    author: str,
    *,
    judgement: Judgement | None = None,
    notes: str | None = None,
    to_confirm: bool | None = None,
) -> CriterionAnswer:
    """Change what is given (judgement, notes, to-confirm mark) of one criterion's answer."""
    row = session.exec(
        select(JudgementRow).where(JudgementRow.assessment_pk == assessment_id, JudgementRow.criterion_ref == ref)
    ).first()
    moment = now()
    if row is None:
        row = JudgementRow(uid=new_uid(), assessment_pk=assessment_id, criterion_ref=ref, changed_at=moment, revision=0)
    if judgement is not None:
        row.value = judgement.value
        # Giving a judgement in this workshop confirms whatever was carried over.
        row.to_confirm = False
    if notes is not None:
        row.notes = notes
    if to_confirm is not None:
        row.to_confirm = to_confirm
    row.changed_by = author
    row.changed_at = moment
    row.revision += 1
    session.add(row)
    _log(session, assessment_id, KIND_JUDGEMENT, row.uid, row.revision, author, _judgement_content(row))
    return CriterionAnswer(ref, Judgement(row.value), row.notes, row.to_confirm, author, moment)


def restore_answer(session: Session, assessment_id: int, answer: CriterionAnswer, author: str) -> None:
    """Put an answer back exactly as it was (undo)."""
    save_answer(
        session,
        assessment_id,
        answer.ref,
        author,
        judgement=answer.judgement,
        notes=answer.notes,
        to_confirm=answer.to_confirm,
    )
    if answer.to_confirm:
        save_answer(session, assessment_id, answer.ref, author, to_confirm=True)


# -- evidence references ----------------------------------------------------------------------


def _evidence_item(row: EvidenceRow) -> EvidenceItem:
    assert row.id is not None
    return EvidenceItem(row.id, row.uid, row.criterion_ref, EvidenceReference(row.title, row.location))


def evidence(session: Session, assessment_id: int) -> list[EvidenceItem]:
    rows = session.exec(
        select(EvidenceRow)
        .where(EvidenceRow.assessment_pk == assessment_id)
        .order_by(col(EvidenceRow.criterion_ref), col(EvidenceRow.position), col(EvidenceRow.id))
    ).all()
    return [_evidence_item(row) for row in rows]


def add_evidence(
    session: Session, assessment_id: int, ref: str, reference: EvidenceReference, author: str, uid: str | None = None
) -> EvidenceItem:
    position = session.exec(
        select(func.count()).where(EvidenceRow.assessment_pk == assessment_id, EvidenceRow.criterion_ref == ref)
    ).one()
    row = EvidenceRow(
        uid=uid or new_uid(),
        assessment_pk=assessment_id,
        criterion_ref=ref,
        position=position,
        title=reference.title,
        location=reference.location,
        changed_by=author,
        changed_at=now(),
        revision=1,
    )
    session.add(row)
    session.flush()
    _log(session, assessment_id, KIND_EVIDENCE, row.uid, 1, author, _evidence_content(row))
    return _evidence_item(row)


def _evidence_content(row: EvidenceRow) -> dict[str, object]:
    return {"ref": row.criterion_ref, "title": row.title, "location": row.location}


def update_evidence(session: Session, evidence_id: int, reference: EvidenceReference, author: str) -> EvidenceItem:
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise NotFoundError(f"evidence reference {evidence_id}")
    row.title, row.location = reference.title, reference.location
    row.changed_by, row.changed_at, row.revision = author, now(), row.revision + 1
    session.add(row)
    _log(session, row.assessment_pk, KIND_EVIDENCE, row.uid, row.revision, author, _evidence_content(row))
    return _evidence_item(row)


def remove_evidence(session: Session, evidence_id: int, author: str) -> EvidenceItem:
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise NotFoundError(f"evidence reference {evidence_id}")
    item = _evidence_item(row)
    _log(session, row.assessment_pk, KIND_EVIDENCE, row.uid, row.revision + 1, author, None)
    session.delete(row)
    return item


# -- actions ----------------------------------------------------------------------------------


def _pence(amount: Decimal) -> int:
    return int(amount * 100)


def _pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def _action_item(row: ActionRow) -> ActionItem:
    assert row.id is not None
    action = Action(
        description=row.description,
        criterion_ref=row.criterion_ref,
        owner=row.owner,
        due=row.due,
        priority=ActionPriority(row.priority),
        state=ActionState(row.state),
        saving_cashable=_pounds(row.saving_cashable_pence),
        saving_non_cashable=_pounds(row.saving_non_cashable_pence),
    )
    return ActionItem(row.id, row.uid, action)


def _action_content(row: ActionRow) -> dict[str, object]:
    return {
        "ref": row.criterion_ref,
        "description": row.description,
        "owner": row.owner,
        "due": row.due.isoformat() if row.due else None,
        "priority": row.priority,
        "state": row.state,
        "saving_cashable_pence": row.saving_cashable_pence,
        "saving_non_cashable_pence": row.saving_non_cashable_pence,
    }


def _fill_action(row: ActionRow, action: Action) -> None:
    row.criterion_ref = action.criterion_ref
    row.description = action.description
    row.owner = action.owner
    row.due = action.due
    row.priority = action.priority.value
    row.state = action.state.value
    row.saving_cashable_pence = _pence(action.saving_cashable)
    row.saving_non_cashable_pence = _pence(action.saving_non_cashable)


def actions(session: Session, assessment_id: int) -> list[ActionItem]:
    rows = session.exec(
        select(ActionRow)
        .where(ActionRow.assessment_pk == assessment_id)
        .order_by(col(ActionRow.position), col(ActionRow.id))
    ).all()
    return [_action_item(row) for row in rows]


def add_action(
    session: Session,
    assessment_id: int,
    action: Action,
    author: str,
    uid: str | None = None,
    position: int | None = None,
) -> ActionItem:
    if position is None:
        position = session.exec(select(func.count()).where(ActionRow.assessment_pk == assessment_id)).one()
    row = ActionRow(
        uid=uid or new_uid(),
        assessment_pk=assessment_id,
        position=position,
        description=action.description,
        changed_by=author,
        changed_at=now(),
        revision=1,
    )
    _fill_action(row, action)
    session.add(row)
    session.flush()
    _log(session, assessment_id, KIND_ACTION, row.uid, 1, author, _action_content(row))
    return _action_item(row)


def update_action(session: Session, action_id: int, action: Action, author: str) -> ActionItem:
    row = session.get(ActionRow, action_id)
    if row is None:
        raise NotFoundError(f"action {action_id}")
    _fill_action(row, action)
    row.changed_by, row.changed_at, row.revision = author, now(), row.revision + 1
    session.add(row)
    _log(session, row.assessment_pk, KIND_ACTION, row.uid, row.revision, author, _action_content(row))
    return _action_item(row)


def remove_action(session: Session, action_id: int, author: str) -> tuple[ActionItem, int]:
    """Delete an action; returns it and its position, so undo can put it back in place."""
    row = session.get(ActionRow, action_id)
    if row is None:
        raise NotFoundError(f"action {action_id}")
    item = _action_item(row)
    _log(session, row.assessment_pk, KIND_ACTION, row.uid, row.revision + 1, author, None)
    position = row.position
    session.delete(row)
    return item, position


def history(session: Session, assessment_id: int, item_uid: str | None = None) -> list[ChangeRow]:
    query = select(ChangeRow).where(ChangeRow.assessment_pk == assessment_id)
    if item_uid is not None:
        query = query.where(ChangeRow.item_uid == item_uid)
    return list(session.exec(query.order_by(col(ChangeRow.id))).all())


def copy_items(session: Session, source_id: int, target_id: int, author: str, refs: Iterable[str]) -> None:
    """Carry judgements (marked to confirm), notes, evidence and open actions into a new round."""
    wanted = set(refs)
    for ref, answer in answers(session, source_id).items():
        if ref not in wanted:
            continue
        save_answer(session, target_id, ref, author, judgement=answer.judgement, notes=answer.notes)
        if answer.judgement.is_assessed:
            save_answer(session, target_id, ref, author, to_confirm=True)
    for item in evidence(session, source_id):
        if item.criterion_ref in wanted:
            add_evidence(session, target_id, item.criterion_ref, item.reference, author)
    for action_item in actions(session, source_id):
        if action_item.action.state.is_open:
            add_action(session, target_id, action_item.action, author)


def set_answered(session: Session, assessment_id: int) -> int:
    count = session.exec(
        select(func.count()).where(
            JudgementRow.assessment_pk == assessment_id, JudgementRow.value != Judgement.NOT_YET_ASSESSED.value
        )
    ).one()
    return int(count)


def workshop_dates(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    if start and end and end < start:
        return end, start
    return start, end


# -- bulk writing (demonstration data, imports of many assessments) ---------------------------


@dataclass(frozen=True)
class NewAnswer:
    """A criterion's answer to be written in bulk; ``answer.changed_at`` must be given."""

    uid: str
    answer: CriterionAnswer


@dataclass(frozen=True)
class NewEvidence:
    uid: str
    criterion_ref: str
    reference: EvidenceReference
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class NewAction:
    uid: str
    action: Action
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class NewAssessment:
    """A whole assessment written at once, its identities and stamps chosen by the caller.

    ``level_label``, ``answered`` and ``total`` are cached on the assessment row as
    :func:`record_level` would cache them: the caller works them out with the level rule.
    """

    uid: str
    details: AssessmentDetails
    level_label: str
    answered: int
    total: int
    created_at: datetime
    updated_at: datetime
    answers: tuple[NewAnswer, ...] = ()
    evidence: tuple[NewEvidence, ...] = ()
    actions: tuple[NewAction, ...] = ()


def add_assessments_bulk(session: Session, assessments: Sequence[NewAssessment]) -> list[int]:
    """Write whole assessments, their items and each item's first history row; returns the new ids.

    Every item is left exactly as one edit through :func:`save_answer`, :func:`add_evidence`
    or :func:`add_action` would leave it (revision 1 and one ``change_log`` row), but rows go
    in through one executemany per table (SQLAlchemy Core, no ORM objects), which is what
    makes hundreds of thousands of judgements quick to write.  Evidence takes its position
    in the order given per criterion, actions in the order given.  The caller owns the
    transaction.
    """
    if not assessments:
        return []
    release_pks: dict[str, int] = {}
    assessment_rows: list[dict[str, Any]] = []
    for new in assessments:
        details = new.details
        if details.release_id not in release_pks:
            release_pks[details.release_id] = release_pk(session, details.release_id)
        assessment_rows.append(
            {
                "uid": new.uid,
                "authority_pk": details.authority_id,
                "release_pk": release_pks[details.release_id],
                "standard_code": details.standard_code,
                "round_label": details.round.label,
                "facilitator": details.facilitator.strip(),
                "participants": details.participants.strip(),
                "workshop_start": details.workshop_start,
                "workshop_end": details.workshop_end,
                "state": details.state.value,
                "level_label": new.level_label,
                "answered": new.answered,
                "total": new.total,
                "created_at": new.created_at,
                "updated_at": new.updated_at,
            }
        )
    assessment_table = _core_table(AssessmentRow)
    ids = [
        int(pk)
        for pk in session.execute(
            insert(assessment_table).returning(assessment_table.c.id, sort_by_parameter_order=True), assessment_rows
        ).scalars()
    ]
    judgements: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    action_rows: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for assessment_id, new in zip(ids, assessments, strict=True):
        for item in new.answers:
            answer = item.answer
            if answer.changed_at is None:
                raise ValueError(f"answer {answer.ref} of assessment {new.uid} has no time of change")
            judgements.append(
                {
                    "uid": item.uid,
                    "assessment_pk": assessment_id,
                    "criterion_ref": answer.ref,
                    "value": answer.judgement.value,
                    "notes": answer.notes,
                    "to_confirm": answer.to_confirm,
                    "changed_by": answer.changed_by,
                    "changed_at": answer.changed_at,
                    "revision": 1,
                }
            )
            content: dict[str, object] = {
                "ref": answer.ref,
                "judgement": answer.judgement.value,
                "notes": answer.notes,
                "to_confirm": answer.to_confirm,
            }
            changes.append(
                _bulk_change(assessment_id, KIND_JUDGEMENT, item.uid, answer.changed_by, answer.changed_at, content)
            )
        positions: dict[str, int] = {}
        for evidence_item in new.evidence:
            ref, reference = evidence_item.criterion_ref, evidence_item.reference
            position = positions.get(ref, 0)
            positions[ref] = position + 1
            evidence_rows.append(
                {
                    "uid": evidence_item.uid,
                    "assessment_pk": assessment_id,
                    "criterion_ref": ref,
                    "position": position,
                    "title": reference.title,
                    "location": reference.location,
                    "changed_by": evidence_item.changed_by,
                    "changed_at": evidence_item.changed_at,
                    "revision": 1,
                }
            )
            content = {"ref": ref, "title": reference.title, "location": reference.location}
            changes.append(
                _bulk_change(
                    assessment_id, KIND_EVIDENCE, evidence_item.uid, evidence_item.changed_by,
                    evidence_item.changed_at, content,
                )
            )  # fmt: skip
        for position, action_item in enumerate(new.actions):
            action = action_item.action
            content = {
                "ref": action.criterion_ref,
                "description": action.description,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else None,
                "priority": action.priority.value,
                "state": action.state.value,
                "saving_cashable_pence": _pence(action.saving_cashable),
                "saving_non_cashable_pence": _pence(action.saving_non_cashable),
            }
            action_rows.append(
                {
                    "uid": action_item.uid,
                    "assessment_pk": assessment_id,
                    "criterion_ref": action.criterion_ref,
                    "position": position,
                    "description": action.description,
                    "owner": action.owner,
                    "due": action.due,
                    "priority": action.priority.value,
                    "state": action.state.value,
                    "saving_cashable_pence": content["saving_cashable_pence"],
                    "saving_non_cashable_pence": content["saving_non_cashable_pence"],
                    "changed_by": action_item.changed_by,
                    "changed_at": action_item.changed_at,
                    "revision": 1,
                }
            )
            changes.append(
                _bulk_change(
                    assessment_id, KIND_ACTION, action_item.uid, action_item.changed_by, action_item.changed_at, content
                )
            )
    for model, rows in ((JudgementRow, judgements), (EvidenceRow, evidence_rows), (ActionRow, action_rows),
                        (ChangeRow, changes)):  # fmt: skip
        if rows:
            session.execute(insert(_core_table(model)), rows)
    return ids


def _core_table(model: type[SQLModel]) -> Table:
    # Core inserts skip the ORM's per-row bookkeeping: several times faster for bulk writes.
    return model.metadata.tables[str(model.__tablename__)]


def _bulk_change(
    assessment_id: int, kind: str, uid: str, author: str, moment: datetime, content: dict[str, object]
) -> dict[str, Any]:
    return {
        "assessment_pk": assessment_id,
        "item_kind": kind,
        "item_uid": uid,
        "revision": 1,
        "author": author,
        "changed_at": moment,
        "content": content,
    }


def count_assessments(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(AssessmentRow)).one())


# -- putting removed items back (undo) ---------------------------------------------------------


def _next_revision(session: Session, uid: str) -> int:
    latest = session.exec(select(func.max(ChangeRow.revision)).where(ChangeRow.item_uid == uid)).one()
    return int(latest or 0) + 1


def restore_evidence(
    session: Session, assessment_id: int, item: EvidenceItem, author: str, position: int | None = None
) -> EvidenceItem:
    """Put a removed evidence reference back with its identity (uid), as a new revision."""
    if position is None:
        position = session.exec(
            select(func.count()).where(
                EvidenceRow.assessment_pk == assessment_id, EvidenceRow.criterion_ref == item.criterion_ref
            )
        ).one()
    revision = _next_revision(session, item.uid)
    row = EvidenceRow(
        uid=item.uid,
        assessment_pk=assessment_id,
        criterion_ref=item.criterion_ref,
        position=position,
        title=item.reference.title,
        location=item.reference.location,
        changed_by=author,
        changed_at=now(),
        revision=revision,
    )
    session.add(row)
    session.flush()
    _log(session, assessment_id, KIND_EVIDENCE, row.uid, revision, author, _evidence_content(row))
    return _evidence_item(row)


def restore_action(session: Session, assessment_id: int, item: ActionItem, author: str, position: int) -> ActionItem:
    """Put a removed action back in its place with its identity (uid), as a new revision."""
    revision = _next_revision(session, item.uid)
    row = ActionRow(
        uid=item.uid,
        assessment_pk=assessment_id,
        position=position,
        description=item.action.description,
        changed_by=author,
        changed_at=now(),
        revision=revision,
    )
    _fill_action(row, item.action)
    session.add(row)
    session.flush()
    _log(session, assessment_id, KIND_ACTION, row.uid, revision, author, _action_content(row))
    return _action_item(row)
