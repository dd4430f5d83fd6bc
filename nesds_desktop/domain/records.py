"""What the store hands back about authorities and assessments: plain data with identities.

``id`` is the store's key for the session; ``uid`` is the identity that travels in
assessment files and survives merges between machines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from nesds_desktop.domain.assessments import Action, AssessmentState, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority
from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement


@dataclass(frozen=True)
class AuthorityRecord:
    id: int
    uid: str
    authority: Authority

    @property
    def name(self) -> str:
        return self.authority.name


@dataclass(frozen=True)
class AssessmentDetails:
    """What the user gives when starting an assessment (and may edit later)."""

    authority_id: int
    release_id: str
    standard_code: str
    round: Round
    facilitator: str = ""
    participants: str = ""
    workshop_start: date | None = None
    workshop_end: date | None = None
    state: AssessmentState = AssessmentState.DRAFT


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    uid: str
    authority: AuthorityRecord
    release_id: str
    standard_code: str
    standard_title: str
    round: Round
    state: AssessmentState
    facilitator: str
    participants: str
    workshop_start: date | None
    workshop_end: date | None
    level_label: str
    answered: int
    total: int
    updated_at: datetime

    @property
    def title(self) -> str:
        return f"{self.authority.name} · {self.standard_code} {self.standard_title} · {self.round.label}"


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    uid: str
    criterion_ref: str
    reference: EvidenceReference


@dataclass(frozen=True)
class ActionItem:
    id: int
    uid: str
    action: Action


@dataclass(frozen=True)
class CriterionAnswer:
    ref: str
    judgement: Judgement = Judgement.NOT_YET_ASSESSED
    notes: str = ""
    to_confirm: bool = False
    """Carried from an earlier round or an older release: to be confirmed in this workshop."""
    changed_by: str = ""
    changed_at: datetime | None = None


@dataclass(frozen=True)
class AssessmentSnapshot:
    """Everything about one assessment, as the workbook window shows it."""

    summary: AssessmentSummary
    standard: Standard
    answers: dict[str, CriterionAnswer] = field(default_factory=dict)
    evidence: tuple[EvidenceItem, ...] = ()
    actions: tuple[ActionItem, ...] = ()

    def answer(self, ref: str) -> CriterionAnswer:
        return self.answers.get(ref) or CriterionAnswer(ref)

    def judgements(self) -> dict[str, Judgement]:
        return {ref: answer.judgement for ref, answer in self.answers.items()}

    def evidence_for(self, ref: str) -> tuple[EvidenceItem, ...]:
        return tuple(item for item in self.evidence if item.criterion_ref == ref)

    def actions_for(self, ref: str) -> tuple[ActionItem, ...]:
        return tuple(item for item in self.actions if item.action.criterion_ref == ref)
