"""Assessments read whole for an assessment file, and written back from one (import or merge).

Items are handed out with their current row content and every ``change_log`` entry, in the
content shapes :mod:`assessment_repository` logs (kept equal by a test).  The assessment's
details (round, facilitator, participants, workshop dates, state) are logged here too, as
item kind ``assessment`` keyed by the assessment's uid, so that they can be merged like any
other item.  Writes go through SQLAlchemy Core: an import of a whole assessment is a few
executemany calls.  Callers own the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlmodel import Session, SQLModel
from sqlmodel import select as orm_select

from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.records import AuthorityRecord
from nesds_desktop.storage.tables import (
    ActionRow,
    AssessmentRow,
    AuthorityRow,
    CatalogueRelease,
    ChangeRow,
    EvidenceRow,
    JudgementRow,
)

DETAILS = "details"
JUDGEMENT = "judgement"
EVIDENCE = "evidence"
ACTION = "action"
#: How each kind is named in ``change_log.item_kind`` (the first three as assessment_repository names them).
LOG_KIND = {DETAILS: "assessment", JUDGEMENT: "judgement", EVIDENCE: "evidence", ACTION: "action"}
_KIND_OF_LOG = {log: kind for kind, log in LOG_KIND.items()}
_DETAIL_COLUMNS = ("round_label", "facilitator", "participants", "workshop_start", "workshop_end", "state")


def _table(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


_ITEM_TABLE: dict[str, type[SQLModel]] = {JUDGEMENT: JudgementRow, EVIDENCE: EvidenceRow, ACTION: ActionRow}


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class LogEntry:
    revision: int
    author: str
    changed_at: datetime
    content: dict[str, Any] | None


@dataclass(frozen=True)
class StoredItem:
    kind: str
    uid: str
    position: int
    content: dict[str, Any] | None
    """The item as its row holds it now (log shape); None when there is no row (removed)."""
    entries: tuple[LogEntry, ...]
    """Its change_log entries, oldest first."""


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    uid: str
    authority_id: int
    authority_uid: str
    release_id: str
    standard_code: str
    created_at: datetime
    updated_at: datetime
    items: tuple[StoredItem, ...]


# -- content shapes ---------------------------------------------------------------------------


def details_content(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "round": row["round_label"],
        "facilitator": row["facilitator"],
        "participants": row["participants"],
        "workshop_start": _iso(row["workshop_start"]),
        "workshop_end": _iso(row["workshop_end"]),
        "state": row["state"],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _row_content(kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    if kind == JUDGEMENT:
        return {
            "ref": row["criterion_ref"],
            "judgement": row["value"],
            "notes": row["notes"],
            "to_confirm": bool(row["to_confirm"]),
        }
    if kind == EVIDENCE:
        return {"ref": row["criterion_ref"], "title": row["title"], "location": row["location"]}
    return {
        "ref": row["criterion_ref"],
        "description": row["description"],
        "owner": row["owner"],
        "due": _iso(row["due"]),
        "priority": row["priority"],
        "state": row["state"],
        "saving_cashable_pence": row["saving_cashable_pence"],
        "saving_non_cashable_pence": row["saving_non_cashable_pence"],
    }


def _row_values(kind: str, content: Mapping[str, Any]) -> dict[str, Any]:
    if kind == JUDGEMENT:
        return {
            "criterion_ref": content["ref"],
            "value": content["judgement"],
            "notes": content["notes"],
            "to_confirm": bool(content["to_confirm"]),
        }
    if kind == EVIDENCE:
        return {"criterion_ref": content["ref"], "title": content["title"], "location": content["location"]}
    if kind == ACTION:
        return {
            "criterion_ref": content["ref"],
            "description": content["description"],
            "owner": content["owner"],
            "due": _date(content["due"]),
            "priority": content["priority"],
            "state": content["state"],
            "saving_cashable_pence": content["saving_cashable_pence"],
            "saving_non_cashable_pence": content["saving_non_cashable_pence"],
        }
    return {
        "round_label": content["round"],
        "facilitator": content["facilitator"],
        "participants": content["participants"],
        "workshop_start": _date(content["workshop_start"]),
        "workshop_end": _date(content["workshop_end"]),
        "state": content["state"],
    }


# -- reading ----------------------------------------------------------------------------------


def assessment_id_by_uid(session: Session, uid: str) -> int | None:
    table = _table(AssessmentRow)
    found = session.execute(select(table.c.id).where(table.c.uid == uid)).scalar()
    return int(found) if found is not None else None


def read_assessment(session: Session, assessment_id: int) -> StoredAssessment:
    """The assessment, every live item, and every item the change log knows (removed ones too)."""
    assessments, authorities, releases = _table(AssessmentRow), _table(AuthorityRow), _table(CatalogueRelease)
    head = (
        session.execute(
            select(assessments, authorities.c.uid.label("authority_uid"), releases.c.release_id)
            .join(authorities, authorities.c.id == assessments.c.authority_pk)
            .join(releases, releases.c.id == assessments.c.release_pk)
            .where(assessments.c.id == assessment_id)
        )
        .mappings()
        .first()
    )
    if head is None:
        raise LookupError(f"assessment {assessment_id}")
    log = _table(ChangeRow)
    entries: dict[tuple[str, str], list[LogEntry]] = defaultdict(list)
    for row in session.execute(
        select(log.c.item_kind, log.c.item_uid, log.c.revision, log.c.author, log.c.changed_at, log.c.content)
        .where(log.c.assessment_pk == assessment_id)
        .order_by(log.c.id)
    ):
        kind = _KIND_OF_LOG.get(row.item_kind)
        if kind is not None:  # other kinds (archived answers, release moves) do not travel
            entries[(kind, row.item_uid)].append(
                LogEntry(row.revision, row.author, _aware(row.changed_at), row.content)
            )
    head_values = dict(head)
    details = tuple(entries.pop((DETAILS, head_values["uid"]), ()))
    items = [StoredItem(DETAILS, head_values["uid"], 0, details_content(head_values), details)]
    for kind, model in _ITEM_TABLE.items():
        table = _table(model)
        for mapping in session.execute(select(table).where(table.c.assessment_pk == assessment_id)).mappings():
            values = dict(mapping)
            uid = values["uid"]
            position = int(values.get("position", 0) or 0)
            found = tuple(entries.pop((kind, uid), ()))
            items.append(StoredItem(kind, uid, position, _row_content(kind, values), found))
    for (kind, uid), left in sorted(entries.items()):
        if kind in (EVIDENCE, ACTION):  # removed: the history still carries the removal
            items.append(StoredItem(kind, uid, _last_position(left), None, tuple(left)))
    return StoredAssessment(
        id=assessment_id,
        uid=head["uid"],
        authority_id=head["authority_pk"],
        authority_uid=head["authority_uid"],
        release_id=head["release_id"],
        standard_code=head["standard_code"],
        created_at=_aware(head["created_at"]),
        updated_at=_aware(head["updated_at"]),
        items=tuple(items),
    )


def _last_position(entries: Sequence[LogEntry]) -> int:
    # A removed item's place is not logged; 0 is as good as any for an item no longer shown.
    return 0


def authority_by_uid(session: Session, uid: str) -> AuthorityRecord | None:
    row = session.exec(orm_select(AuthorityRow).where(AuthorityRow.uid == uid)).first()
    return _authority(row) if row else None


def matching_authority(session: Session, authority: Authority) -> AuthorityRecord | None:
    """The register's entry for the same council under another uid: same GSS code, else same name and type."""
    candidates = list(session.exec(orm_select(AuthorityRow)).all())
    if authority.gss_code:
        same_code = next((r for r in candidates if r.gss_code == authority.gss_code), None)
        if same_code is not None:
            return _authority(same_code)
    wanted = authority.name.casefold()
    for row in candidates:
        if (
            row.name.casefold() == wanted
            and row.type == authority.type.value
            and (row.gss_code is None or authority.gss_code is None)
        ):
            return _authority(row)
    return None


def _authority(row: AuthorityRow) -> AuthorityRecord:
    assert row.id is not None
    return AuthorityRecord(
        row.id, row.uid, Authority(row.name, AuthorityType(row.type), Region(row.region), row.gss_code)
    )


def release_hash(session: Session, release_id: str) -> str | None:
    table = _table(CatalogueRelease)
    found = session.execute(select(table.c.content_hash).where(table.c.release_id == release_id)).scalar()
    return str(found) if found is not None else None


def uids_elsewhere(session: Session, kind: str, uids: Iterable[str], assessment_uid: str) -> list[str]:
    """Of ``uids``, those a row of another assessment already has (uids are unique store-wide)."""
    wanted = list(uids)
    if not wanted:
        return []
    table, assessments = _table(_ITEM_TABLE[kind]), _table(AssessmentRow)
    found: list[str] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found += (
            session.execute(
                select(table.c.uid)
                .join(assessments, assessments.c.id == table.c.assessment_pk)
                .where(table.c.uid.in_(chunk), assessments.c.uid != assessment_uid)
            )
            .scalars()
            .all()
        )
    return found


def is_release_used(session: Session, release_id: str) -> bool:
    assessments, releases = _table(AssessmentRow), _table(CatalogueRelease)
    count = session.execute(
        select(func.count())
        .select_from(assessments)
        .join(releases, releases.c.id == assessments.c.release_pk)
        .where(releases.c.release_id == release_id)
    ).scalar()
    return bool(count)


def is_authority_used(session: Session, authority_id: int) -> bool:
    table = _table(AssessmentRow)
    return bool(session.execute(select(func.count()).where(table.c.authority_pk == authority_id)).scalar())


def last_change_id(session: Session, assessment_id: int) -> int:
    log = _table(ChangeRow)
    return int(session.execute(select(func.max(log.c.id)).where(log.c.assessment_pk == assessment_id)).scalar() or 0)


# -- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemWrite:
    """Put one item as ``content`` says (None: remove its row) and log ``new_entries`` for it."""

    kind: str
    uid: str
    position: int
    content: dict[str, Any] | None
    stamp: LogEntry
    """Whose and when the item's row says it is (the newest entry of its history)."""
    new_entries: tuple[LogEntry, ...]


@dataclass(frozen=True)
class NewAssessmentRow:
    uid: str
    authority_id: int
    release_id: str
    standard_code: str
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    level_label: str
    answered: int
    total: int


def insert_assessment(session: Session, new: NewAssessmentRow) -> int:
    releases = _table(CatalogueRelease)
    release_pk = session.execute(select(releases.c.id).where(releases.c.release_id == new.release_id)).scalar()
    if release_pk is None:
        raise LookupError(f"catalogue release {new.release_id}")
    table = _table(AssessmentRow)
    values = {
        "uid": new.uid,
        "authority_pk": new.authority_id,
        "release_pk": release_pk,
        "standard_code": new.standard_code,
        **_row_values(DETAILS, new.details),
        "level_label": new.level_label,
        "answered": new.answered,
        "total": new.total,
        "created_at": _aware(new.created_at),
        "updated_at": _aware(new.updated_at),
    }
    return int(session.execute(insert(table).returning(table.c.id), [values]).scalar_one())


def write_items(session: Session, assessment_id: int, writes: Sequence[ItemWrite]) -> list[int]:
    """Apply every write; returns the ids of the change_log rows added, in order."""
    by_kind: dict[str, list[ItemWrite]] = defaultdict(list)
    for write in writes:
        by_kind[write.kind].append(write)
    for write in by_kind.pop(DETAILS, []):
        if write.content is None:
            raise ValueError("an assessment's details cannot be removed")
        assessments = _table(AssessmentRow)
        session.execute(
            update(assessments).where(assessments.c.id == assessment_id).values(**_row_values(DETAILS, write.content))
        )
    for kind, chosen in by_kind.items():
        _write_rows(session, assessment_id, kind, chosen)
    log_rows = [
        {
            "assessment_pk": assessment_id,
            "item_kind": LOG_KIND[write.kind],
            "item_uid": write.uid,
            "revision": entry.revision,
            "author": entry.author,
            "changed_at": _aware(entry.changed_at),
            "content": entry.content,
        }
        for write in writes
        for entry in write.new_entries
    ]
    if not log_rows:
        return []
    log = _table(ChangeRow)
    return [
        int(i)
        for i in session.execute(insert(log).returning(log.c.id, sort_by_parameter_order=True), log_rows).scalars()
    ]


def _write_rows(session: Session, assessment_id: int, kind: str, writes: Sequence[ItemWrite]) -> None:
    table = _table(_ITEM_TABLE[kind])
    uids = [w.uid for w in writes]
    existing: set[str] = set()
    for start in range(0, len(uids), 500):
        existing.update(
            session.execute(
                select(table.c.uid).where(
                    table.c.assessment_pk == assessment_id, table.c.uid.in_(uids[start : start + 500])
                )
            ).scalars()
        )
    removals = [w.uid for w in writes if w.content is None and w.uid in existing]
    if removals:
        session.execute(delete(table).where(table.c.assessment_pk == assessment_id, table.c.uid.in_(removals)))
    inserts: list[dict[str, Any]] = []
    for write in writes:
        if write.content is None:
            continue
        values = {
            **_row_values(kind, write.content),
            "changed_by": write.stamp.author,
            "changed_at": _aware(write.stamp.changed_at),
            "revision": write.stamp.revision,
        }
        if kind != JUDGEMENT:
            values["position"] = write.position
        if write.uid in existing:
            session.execute(
                update(table).where(table.c.assessment_pk == assessment_id, table.c.uid == write.uid).values(**values)
            )
        else:
            inserts.append({"uid": write.uid, "assessment_pk": assessment_id, **values})
    if inserts:
        session.execute(insert(table), inserts)


# -- exact rows, for undo ---------------------------------------------------------------------


def row_snapshots(session: Session, assessment_id: int, kind: str, uids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Every column of the rows of ``uids`` that exist (details: the assessment row's details)."""
    wanted = list(uids)
    if kind == DETAILS:
        table = _table(AssessmentRow)
        row = session.execute(select(table).where(table.c.id == assessment_id)).mappings().first()
        return {row["uid"]: {c: row[c] for c in _DETAIL_COLUMNS}} if row and row["uid"] in wanted else {}
    table = _table(_ITEM_TABLE[kind])
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        for row in session.execute(
            select(table).where(table.c.assessment_pk == assessment_id, table.c.uid.in_(wanted[start : start + 500]))
        ).mappings():
            found[row["uid"]] = dict(row)
    return found


def snapshot_content(kind: str, snapshot: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What a snapshot holds, in log shape (stamps and ids left out): for comparing states."""
    if snapshot is None:
        return None
    return details_content(snapshot) if kind == DETAILS else _row_content(kind, snapshot)


def put_rows(session: Session, assessment_id: int, kind: str, rows: Mapping[str, Mapping[str, Any] | None]) -> None:
    """Make each uid's row exactly its snapshot (None: no row), keeping or reusing its id."""
    if kind == DETAILS:
        table = _table(AssessmentRow)
        for snapshot in rows.values():
            if snapshot is not None:
                session.execute(update(table).where(table.c.id == assessment_id).values(**dict(snapshot)))
        return
    table = _table(_ITEM_TABLE[kind])
    for uid, snapshot in rows.items():
        current = session.execute(
            select(table.c.id).where(table.c.assessment_pk == assessment_id, table.c.uid == uid)
        ).scalar()
        if snapshot is None:
            if current is not None:
                session.execute(delete(table).where(table.c.id == current))
            continue
        values = dict(snapshot)
        if current is not None:
            values.pop("id", None)
            session.execute(update(table).where(table.c.id == current).values(**values))
            continue
        taken = session.execute(select(table.c.id).where(table.c.id == values.get("id"))).scalar()
        if taken is not None:
            values.pop("id", None)  # the old id went to another row: a new one will do
        session.execute(insert(table), [values])


def delete_change_rows(session: Session, ids: Sequence[int]) -> None:
    log = _table(ChangeRow)
    for start in range(0, len(ids), 500):
        session.execute(delete(log).where(log.c.id.in_(list(ids[start : start + 500]))))


def change_rows_after(session: Session, assessment_id: int, after_id: int) -> int:
    log = _table(ChangeRow)
    return int(
        session.execute(select(func.count()).where(log.c.assessment_pk == assessment_id, log.c.id > after_id)).scalar()
        or 0
    )


def delete_assessment(session: Session, assessment_id: int) -> None:
    # The change log, judgements, evidence and actions go with it (ON DELETE CASCADE), but SQLite
    # honours that only with foreign keys on, which the engine sets; delete them outright anyway.
    for model in (ChangeRow, JudgementRow, EvidenceRow, ActionRow):
        table = _table(model)
        session.execute(delete(table).where(table.c.assessment_pk == assessment_id))
    table = _table(AssessmentRow)
    session.execute(delete(table).where(table.c.id == assessment_id))


def delete_authority(session: Session, authority_id: int) -> None:
    table = _table(AuthorityRow)
    session.execute(delete(table).where(table.c.id == authority_id))


def delete_release(session: Session, release_id: str) -> None:
    table = _table(CatalogueRelease)
    session.execute(delete(table).where(table.c.release_id == release_id))


def set_level(
    session: Session,
    assessment_id: int,
    level_label: str,
    answered: int,
    total: int,
    updated_at: datetime | None = None,
) -> None:
    table = _table(AssessmentRow)
    values: dict[str, Any] = {"level_label": level_label, "answered": answered, "total": total}
    if updated_at is not None:
        values["updated_at"] = _aware(updated_at)
    session.execute(update(table).where(table.c.id == assessment_id).values(**values))


def assessment_row(session: Session, assessment_id: int) -> dict[str, Any] | None:
    table = _table(AssessmentRow)
    row = session.execute(select(table).where(table.c.id == assessment_id)).mappings().first()
    return dict(row) if row else None
