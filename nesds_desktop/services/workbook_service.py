"""Workshop use cases: authorities, assessments, scoring, evidence and actions.

Every call is one transaction, committed before it returns: an edit is in the store the
moment the user makes it.  Calls that change something return what undo needs to put it
back (the previous answer, the removed item and its place).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from sqlmodel import Session

from nesds_desktop.domain.assessments import Action, AssessmentState, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority
from nesds_desktop.domain.catalogue import Release, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import StandardResult, assess_standard
from nesds_desktop.domain.records import (
    ActionItem,
    AssessmentDetails,
    AssessmentSnapshot,
    AssessmentSummary,
    AuthorityRecord,
    CriterionAnswer,
    EvidenceItem,
)
from nesds_desktop.storage import assessment_repository as repo
from nesds_desktop.storage import catalogue_repository
from nesds_desktop.storage.assessment_repository import AssessmentFilter, NotFoundError
from nesds_desktop.storage.store import Store

__all__ = ["AssessmentFilter", "NotFoundError", "WorkbookError", "WorkbookService"]


class WorkbookError(ValueError):
    """A request the workbook cannot carry out; the message says why."""


class WorkbookService:
    def __init__(self, store: Store, author: str) -> None:
        self.store = store
        self.author = author
        self._releases: dict[str, Release] = {}
        #: Called with the assessment id after every committed change (the window refreshes lists).
        self.listeners: list[Callable[[int], None]] = []

    # -- plumbing -----------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self.store.session() as session:
            yield session
            session.commit()

    def _changed(self, assessment_id: int) -> None:
        for listener in list(self.listeners):
            listener(assessment_id)

    def release(self, release_id: str) -> Release:
        if release_id not in self._releases:
            with self.store.session() as session:
                self._releases[release_id] = catalogue_repository.get_release(session, release_id)
        return self._releases[release_id]

    def standard(self, release_id: str, code: str) -> Standard:
        try:
            return self.release(release_id).standard(code)
        except KeyError:
            raise WorkbookError(f"release {release_id} has no standard {code}") from None

    def _standard_of(self, session: Session, assessment_id: int) -> Standard:
        release_id, code = repo.assessment_release_and_standard(session, assessment_id)
        return self.standard(release_id, code)

    def _refresh_level(self, session: Session, assessment_id: int) -> StandardResult:
        standard = self._standard_of(session, assessment_id)
        judgements = repo.judgement_values(session, assessment_id)
        result = assess_standard(standard, judgements)
        answered = sum(1 for c in standard.criteria() if judgements.get(c.ref, Judgement.NOT_YET_ASSESSED).is_assessed)
        repo.record_level(session, assessment_id, result.level_label, answered, sum(1 for _ in standard.criteria()))
        return result

    # -- authorities --------------------------------------------------------------------------
    def list_authorities(self) -> list[AuthorityRecord]:
        with self.store.session() as session:
            return repo.list_authorities(session)

    def add_authority(self, authority: Authority) -> AuthorityRecord:
        with self._transaction() as session:
            if authority.gss_code and repo.find_authority_by_gss(session, authority.gss_code):
                raise WorkbookError(f"an authority with GSS code {authority.gss_code} is already in the register")
            return repo.add_authority(session, authority)

    def update_authority(self, authority_id: int, authority: Authority) -> AuthorityRecord:
        with self._transaction() as session:
            existing = repo.find_authority_by_gss(session, authority.gss_code) if authority.gss_code else None
            if existing and existing.id != authority_id:
                raise WorkbookError(f"GSS code {authority.gss_code} already belongs to {existing.name}")
            return repo.update_authority(session, authority_id, authority)

    # -- assessments --------------------------------------------------------------------------
    def list_assessments(self, where: AssessmentFilter | None = None) -> list[AssessmentSummary]:
        with self.store.session() as session:
            return repo.list_assessments(session, where)

    def get_assessment(self, assessment_id: int) -> AssessmentSummary:
        with self.store.session() as session:
            return repo.get_assessment(session, assessment_id)

    def create_assessment(self, details: AssessmentDetails) -> AssessmentSummary:
        standard = self.standard(details.release_id, details.standard_code)
        start, end = repo.workshop_dates(details.workshop_start, details.workshop_end)
        details = replace(details, workshop_start=start, workshop_end=end)
        result = assess_standard(standard, {})
        total = sum(1 for _ in standard.criteria())
        with self._transaction() as session:
            repo.get_authority(session, details.authority_id)
            assessment_id = repo.add_assessment(session, details, total, result.level_label)
        return self.get_assessment(assessment_id)

    def update_details(self, assessment_id: int, details: AssessmentDetails) -> AssessmentSummary:
        start, end = repo.workshop_dates(details.workshop_start, details.workshop_end)
        with self._transaction() as session:
            repo.update_assessment_details(
                session, assessment_id, replace(details, workshop_start=start, workshop_end=end)
            )
        self._changed(assessment_id)
        return self.get_assessment(assessment_id)

    def duplicate_into_round(self, assessment_id: int, new_round: Round) -> AssessmentSummary:
        """A new assessment for ``new_round`` carrying evidence, notes and open actions; earlier
        judgements come across marked "to confirm"."""
        source = self.get_assessment(assessment_id)
        if new_round == source.round:
            raise WorkbookError(f"the assessment is already in round {new_round.label}; choose another round")
        standard = self.standard(source.release_id, source.standard_code)
        details = AssessmentDetails(
            authority_id=source.authority.id,
            release_id=source.release_id,
            standard_code=source.standard_code,
            round=new_round,
            facilitator=source.facilitator,
            participants=source.participants,
            state=AssessmentState.DRAFT,
        )
        with self._transaction() as session:
            new_id = repo.add_assessment(session, details, sum(1 for _ in standard.criteria()), "No level")
            repo.copy_items(session, assessment_id, new_id, self.author, (c.ref for c in standard.criteria()))
            session.flush()
            self._refresh_level(session, new_id)
        return self.get_assessment(new_id)

    def delete_assessment(self, assessment_id: int) -> None:
        with self._transaction() as session:
            repo.delete_assessment(session, assessment_id)

    def open(self, assessment_id: int) -> AssessmentSnapshot:
        with self.store.session() as session:
            summary = repo.get_assessment(session, assessment_id)
            standard = self.standard(summary.release_id, summary.standard_code)
            return AssessmentSnapshot(
                summary=summary,
                standard=standard,
                answers=repo.answers(session, assessment_id),
                evidence=tuple(repo.evidence(session, assessment_id)),
                actions=tuple(repo.actions(session, assessment_id)),
            )

    def result(self, assessment_id: int) -> StandardResult:
        with self.store.session() as session:
            return assess_standard(
                self._standard_of(session, assessment_id), repo.judgement_values(session, assessment_id)
            )

    # -- answers ------------------------------------------------------------------------------
    def _check_ref(self, session: Session, assessment_id: int, ref: str) -> None:
        if not any(c.ref == ref for c in self._standard_of(session, assessment_id).criteria()):
            raise WorkbookError(f"{ref} is not a criterion of this assessment's standard")

    def answer(self, assessment_id: int, ref: str) -> CriterionAnswer:
        with self.store.session() as session:
            return repo.answers(session, assessment_id).get(ref) or CriterionAnswer(ref)

    def set_judgement(
        self, assessment_id: int, ref: str, judgement: Judgement
    ) -> tuple[CriterionAnswer, CriterionAnswer]:
        """Returns (before, after)."""
        with self._transaction() as session:
            self._check_ref(session, assessment_id, ref)
            before = repo.answers(session, assessment_id).get(ref) or CriterionAnswer(ref)
            after = repo.save_answer(session, assessment_id, ref, self.author, judgement=judgement)
            session.flush()
            self._refresh_level(session, assessment_id)
        self._changed(assessment_id)
        return before, after

    def set_notes(self, assessment_id: int, ref: str, notes: str) -> tuple[CriterionAnswer, CriterionAnswer]:
        with self._transaction() as session:
            self._check_ref(session, assessment_id, ref)
            before = repo.answers(session, assessment_id).get(ref) or CriterionAnswer(ref)
            if before.notes == notes:
                return before, before
            after = repo.save_answer(session, assessment_id, ref, self.author, notes=notes)
        self._changed(assessment_id)
        return before, after

    def restore_answer(self, assessment_id: int, answer: CriterionAnswer) -> None:
        with self._transaction() as session:
            repo.restore_answer(session, assessment_id, answer, self.author)
            session.flush()
            self._refresh_level(session, assessment_id)
        self._changed(assessment_id)

    # -- evidence references ------------------------------------------------------------------
    def add_evidence(self, assessment_id: int, ref: str, reference: EvidenceReference) -> EvidenceItem:
        with self._transaction() as session:
            self._check_ref(session, assessment_id, ref)
            item = repo.add_evidence(session, assessment_id, ref, reference, self.author)
        self._changed(assessment_id)
        return item

    def update_evidence(self, assessment_id: int, evidence_id: int, reference: EvidenceReference) -> EvidenceItem:
        with self._transaction() as session:
            item = repo.update_evidence(session, evidence_id, reference, self.author)
        self._changed(assessment_id)
        return item

    def remove_evidence(self, assessment_id: int, evidence_id: int) -> EvidenceItem:
        with self._transaction() as session:
            item = repo.remove_evidence(session, evidence_id, self.author)
        self._changed(assessment_id)
        return item

    def restore_evidence(self, assessment_id: int, item: EvidenceItem, position: int | None = None) -> EvidenceItem:
        """Undo of a removal: the same reference, same identity, back in its place."""
        with self._transaction() as session:
            restored = repo.restore_evidence(session, assessment_id, item, self.author, position)
        self._changed(assessment_id)
        return restored

    # -- actions ------------------------------------------------------------------------------
    def add_action(self, assessment_id: int, action: Action, position: int | None = None) -> ActionItem:
        with self._transaction() as session:
            if action.criterion_ref:
                self._check_ref(session, assessment_id, action.criterion_ref)
            item = repo.add_action(session, assessment_id, action, self.author, position=position)
        self._changed(assessment_id)
        return item

    def update_action(self, assessment_id: int, action_id: int, action: Action) -> tuple[ActionItem, ActionItem]:
        with self._transaction() as session:
            before = next((a for a in repo.actions(session, assessment_id) if a.id == action_id), None)
            if before is None:
                raise NotFoundError(f"action {action_id}")
            after = repo.update_action(session, action_id, action, self.author)
        self._changed(assessment_id)
        return before, after

    def remove_action(self, assessment_id: int, action_id: int) -> tuple[ActionItem, int]:
        with self._transaction() as session:
            removed = repo.remove_action(session, action_id, self.author)
        self._changed(assessment_id)
        return removed

    def restore_action(self, assessment_id: int, item: ActionItem, position: int) -> ActionItem:
        """Undo of a removal: the same action, same identity, back in its place."""
        with self._transaction() as session:
            restored = repo.restore_action(session, assessment_id, item, self.author, position)
        self._changed(assessment_id)
        return restored
