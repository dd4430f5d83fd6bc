"""Read-only queries for comparisons: every peer's judgements of a standard in a round at once.

One query returns every judgement of every assessment of the standard in the round (about
23,000 rows for 400 councils on the ICT standard); the levels are worked out from them with
the level rule, which is quicker than a query per assessment and never trusts a stale cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select
from sqlmodel import Session, col

from nesds_desktop.domain.assessments import Action
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentSummary
from nesds_desktop.storage import assessment_repository as repo
from nesds_desktop.storage.assessment_repository import AssessmentFilter
from nesds_desktop.storage.tables import AssessmentRow, AuthorityRow, CatalogueRelease, JudgementRow


@dataclass
class StoredJudgements:
    """One assessment's judgements, with its authority and release."""

    assessment_id: int
    authority_id: int
    authority_name: str
    authority_type: str
    region: str
    release_id: str
    updated_at: datetime
    judgements: dict[str, Judgement] = field(default_factory=dict)


_JUDGEMENTS = {judgement.value: judgement for judgement in Judgement}


def standard_round_judgements(
    session: Session,
    standard_code: str,
    round_label: str,
    authority_type: str | None = None,
    region: str | None = None,
) -> list[StoredJudgements]:
    """Every assessment of ``standard_code`` in ``round_label`` with its judgements, in one query.

    Authorities may be narrowed by type and region (stored values).  An authority assessed
    more than once in the round keeps only its most recently changed assessment.
    """
    query = (
        select(
            col(AssessmentRow.id),
            col(AssessmentRow.updated_at),
            col(AuthorityRow.id),
            col(AuthorityRow.name),
            col(AuthorityRow.type),
            col(AuthorityRow.region),
            col(CatalogueRelease.release_id),
            col(JudgementRow.criterion_ref),
            col(JudgementRow.value),
        )
        .join(AuthorityRow, col(AuthorityRow.id) == col(AssessmentRow.authority_pk))
        .join(CatalogueRelease, col(CatalogueRelease.id) == col(AssessmentRow.release_pk))
        .outerjoin(JudgementRow, col(JudgementRow.assessment_pk) == col(AssessmentRow.id))
        .where(and_(col(AssessmentRow.standard_code) == standard_code, col(AssessmentRow.round_label) == round_label))
    )
    if authority_type:
        query = query.where(col(AuthorityRow.type) == authority_type)
    if region:
        query = query.where(col(AuthorityRow.region) == region)
    found: dict[int, StoredJudgements] = {}
    for assessment_id, updated, authority_id, name, kind, area, release_id, ref, value in session.execute(query):
        item = found.get(assessment_id)
        if item is None:
            item = found[assessment_id] = StoredJudgements(
                assessment_id, authority_id, name, kind, area, release_id, updated
            )
        if ref is not None:
            item.judgements[ref] = _JUDGEMENTS[value]
    latest: dict[int, StoredJudgements] = {}
    for item in found.values():
        kept = latest.get(item.authority_id)
        if kept is None or (item.updated_at, item.assessment_id) > (kept.updated_at, kept.assessment_id):
            latest[item.authority_id] = item
    return sorted(latest.values(), key=lambda item: (item.authority_name.casefold(), item.authority_id))


@dataclass(frozen=True)
class StoredRound:
    """One round's assessment of a standard by one authority, with its actions."""

    assessment_id: int
    round_label: str
    release_id: str
    judgements: dict[str, Judgement]
    actions: tuple[Action, ...]


def authority_history(session: Session, authority_id: int, standard_code: str) -> list[StoredRound]:
    """The authority's assessments of the standard, oldest round first (the latest changed per round)."""
    summaries = repo.list_assessments(session, AssessmentFilter(authority_id=authority_id, standard_code=standard_code))
    per_round: dict[str, AssessmentSummary] = {}
    for summary in summaries:
        kept = per_round.get(summary.round.label)
        if kept is None or (summary.updated_at, summary.id) > (kept.updated_at, kept.id):
            per_round[summary.round.label] = summary
    history = []
    for label in sorted(per_round):
        summary = per_round[label]
        history.append(
            StoredRound(
                summary.id,
                label,
                summary.release_id,
                repo.judgement_values(session, summary.id),
                tuple(item.action for item in repo.actions(session, summary.id)),
            )
        )
    return history


def round_labels(session: Session) -> list[str]:
    """Every round that has an assessment, newest first."""
    rows = session.execute(select(col(AssessmentRow.round_label)).distinct()).scalars().all()
    return sorted(rows, reverse=True)


def standards_assessed(session: Session) -> list[str]:
    rows = session.execute(select(col(AssessmentRow.standard_code)).distinct()).scalars().all()
    return sorted(rows)


def authority_rounds(session: Session, authority_id: int) -> Sequence[str]:
    rows = session.execute(
        select(col(AssessmentRow.round_label)).where(col(AssessmentRow.authority_pk) == authority_id).distinct()
    ).scalars()
    return sorted(rows, reverse=True)
