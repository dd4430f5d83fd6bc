"""Moving a stored assessment to a newer catalogue release: preview first, then migrate.

The preview says, for every criterion of the newer release, whether the assessment's
answer is carried over as it was, carried over to be confirmed (the criterion was
reworded, moved, split or merged), or whether the criterion starts unanswered; and
which answers are archived with the assessment (retired criteria, merged criteria whose
partner's answer was carried, references the release never had).  Nothing is lost:
archived answers stay in the store with the release they were given under, and their
evidence references and actions stay with them.

The crosswalks between releases are found in the bundled catalogue's ``crosswalks``
folder; several in a row (2006.1 -> 2007.1 -> 2008.1) are followed one after another.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

from sqlmodel import Session, col, select

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.crosswalk import CROSSWALK_FOLDER, crosswalk_file_name, load_crosswalk
from nesds_desktop.catalogue.problems import CatalogueError
from nesds_desktop.domain.catalogue import Release, ReleaseSummary, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.release_migration import (
    ArchiveReason,
    ChangeKind,
    CrosswalkEntry,
    CrosswalkInconsistentError,
    Outcome,
    apply_plan,
    plan_migration,
)
from nesds_desktop.services.workbook_service import WorkbookError
from nesds_desktop.storage import assessment_repository, catalogue_repository, migration_repository
from nesds_desktop.storage.migration_repository import (
    ArchivedAnswerRecord,
    ArchivedJudgement,
    CarriedJudgement,
    CarriedTo,
    Repointing,
    RepointReport,
    archived_ref,
    is_archived_ref,
    is_empty,
)
from nesds_desktop.storage.store import Store
from nesds_desktop.storage.tables import ActionRow, EvidenceRow, JudgementRow

__all__ = [
    "ArchiveReason",
    "ArchivedAnswerRecord",
    "ArchivedPreview",
    "ChangeKind",
    "CriterionPreview",
    "ItemMoves",
    "MigrationPreview",
    "Outcome",
    "ReleaseMigrationError",
    "ReleaseMigrationService",
]


class ReleaseMigrationError(WorkbookError):
    """A migration that cannot be made; the message says why (and nothing was changed)."""


# -- what the preview shows ---------------------------------------------------------------


@dataclass(frozen=True)
class CriterionPreview:
    """One criterion of the newer release and what it will start with."""

    new_ref: str
    outcome: Outcome
    changes: tuple[ChangeKind, ...]  # what happened to it on each crosswalk followed
    sources: tuple[str, ...]  # the references it comes from in the assessment's current release
    carried_from: str | None = None
    judgement: Judgement | None = None
    notes: str = ""
    note: str = ""  # why it changed, from the crosswalk

    @property
    def changed_by(self) -> tuple[ChangeKind, ...]:
        """The changes that make a carried answer need confirming, each once."""
        return tuple(dict.fromkeys(kind for kind in self.changes if kind.needs_confirmation))

    @property
    def reason(self) -> str:
        """Why the answer is to be confirmed, in words: "moved from ICT-4-M2"."""
        kinds = self.changed_by or tuple(k for k in self.changes if k is not ChangeKind.UNCHANGED)
        words = ", then ".join(kind.value for kind in dict.fromkeys(kinds))
        # Both parts of a split say where they came from, though the first keeps the reference.
        if self.sources and (self.sources != (self.new_ref,) or ChangeKind.SPLIT in kinds):
            words += f" from {' and '.join(self.sources)}"
        return words


@dataclass(frozen=True)
class ArchivedPreview:
    """An answer that will be archived with the assessment."""

    old_ref: str
    archived_ref: str
    judgement: Judgement
    notes: str
    reason: ArchiveReason
    merged_into: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ItemMoves:
    """What happens to evidence references or actions."""

    unchanged: int = 0
    moved: int = 0  # to a criterion with another reference
    copied: int = 0  # extra copies for the parts of a split criterion (evidence only)
    archived: int = 0  # stay with an archived answer, labelled with its archived reference


@dataclass(frozen=True)
class MigrationPreview:
    assessment_id: int
    assessment_title: str
    standard_code: str
    from_release: str
    to_release: str
    path: tuple[str, ...]  # every release on the way, from first to last
    criteria: tuple[CriterionPreview, ...]
    archived: tuple[ArchivedPreview, ...]
    evidence: ItemMoves
    actions: ItemMoves
    level_before: str
    level_after: str
    applied: bool = False
    report: RepointReport | None = field(default=None, compare=False)

    def with_outcome(self, outcome: Outcome) -> tuple[CriterionPreview, ...]:
        return tuple(c for c in self.criteria if c.outcome is outcome)

    @property
    def carried(self) -> tuple[CriterionPreview, ...]:
        return self.with_outcome(Outcome.CARRIED)

    @property
    def to_confirm(self) -> tuple[CriterionPreview, ...]:
        return self.with_outcome(Outcome.CARRIED_TO_CONFIRM)

    @property
    def new(self) -> tuple[CriterionPreview, ...]:
        return self.with_outcome(Outcome.NEW_UNANSWERED)

    @property
    def not_answered_before(self) -> tuple[CriterionPreview, ...]:
        return self.with_outcome(Outcome.NOT_ANSWERED_BEFORE)

    def counts(self) -> dict[str, int]:
        counts = {outcome.value: len(self.with_outcome(outcome)) for outcome in Outcome}
        counts["archived"] = len(self.archived)
        return counts


# -- the service --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hop:
    old: Standard
    new: Standard
    entries: tuple[CrosswalkEntry, ...]


@dataclass(frozen=True)
class _Given:
    """An answer as stored, on its way through the crosswalks."""

    ref: str  # in the assessment's current release
    judgement: Judgement
    notes: str

    @property
    def empty(self) -> bool:
        return is_empty(self.judgement.value, self.notes)


@dataclass(frozen=True)
class _Trail:
    """How a criterion of the release reached so far came about."""

    sources: tuple[str, ...]  # references in the assessment's current release
    changes: tuple[ChangeKind, ...]
    notes: tuple[str, ...]
    added: bool  # no criterion of the current release leads to it


class ReleaseMigrationService:
    def __init__(self, store: Store, author: str, standards_root: Path | None = None) -> None:
        self.store = store
        self.author = author
        self.standards_root = standards_root or bundled_standards_root()
        self._releases: dict[str, Release] = {}
        #: Called with the assessment id after a migration is committed.
        self.listeners: list[Callable[[int], None]] = []

    # -- reading ------------------------------------------------------------------------------
    def preview(self, assessment_id: int, to_release: str) -> MigrationPreview:
        """What :meth:`migrate` would do; changes nothing."""
        with self.store.session() as session:
            preview, _ = self._work_out(session, assessment_id, to_release)
        return preview

    def archived_answers(self, assessment_id: int) -> list[ArchivedAnswerRecord]:
        with self.store.session() as session:
            return migration_repository.archived_answers(session, assessment_id)

    def newer_releases(self, assessment_id: int) -> list[str]:
        """Releases the assessment can move to: newer, holding its standard, reached by crosswalks."""
        with self.store.session() as session:
            release_id, code = assessment_repository.assessment_release_and_standard(session, assessment_id)
            summaries = catalogue_repository.list_releases(session)
        reachable = _reachable(self._crosswalk_files(), release_id, _holding(summaries, code))
        published = next(s.info.published for s in summaries if s.info.release_id == release_id)
        return [s.info.release_id for s in summaries if s.info.release_id in reachable and s.info.published > published]

    # -- migrating ----------------------------------------------------------------------------
    def migrate(self, assessment_id: int, to_release: str) -> MigrationPreview:
        """Move the assessment to ``to_release`` in one transaction, as :meth:`preview` describes."""
        with self.store.session() as session:
            preview, plan = self._work_out(session, assessment_id, to_release)
            report = migration_repository.repoint_assessment(session, assessment_id, plan, self.author)
            new_standard = self._release(session, to_release).standard(preview.standard_code)
            judgements = assessment_repository.judgement_values(session, assessment_id)
            result = assess_standard(new_standard, judgements)
            answered = sum(
                1 for c in new_standard.criteria() if judgements.get(c.ref, Judgement.NOT_YET_ASSESSED).is_assessed
            )
            total = sum(1 for _ in new_standard.criteria())
            assessment_repository.record_level(session, assessment_id, result.level_label, answered, total)
            session.commit()
        for listener in list(self.listeners):
            listener(assessment_id)
        return replace(preview, applied=True, level_after=result.level_label, report=report)

    # -- working it out -----------------------------------------------------------------------
    def _work_out(self, session: Session, assessment_id: int, to_release: str) -> tuple[MigrationPreview, Repointing]:
        try:
            summary = assessment_repository.get_assessment(session, assessment_id)
        except assessment_repository.NotFoundError:
            raise ReleaseMigrationError(f"there is no assessment {assessment_id}") from None
        code, from_release = summary.standard_code, summary.release_id
        path = self._path(session, from_release, to_release, code)
        hops = self._hops(session, path, code)
        old_standard = hops[0].old
        rows = session.exec(select(JudgementRow).where(JudgementRow.assessment_pk == assessment_id)).all()
        given = {row.criterion_ref: _Given(row.criterion_ref, Judgement(row.value), row.notes) for row in rows}
        criteria, archived, ref_map, carried = _follow(hops, given)
        version = self._release(session, from_release).info.version
        archived_previews = tuple(
            ArchivedPreview(
                a.old_ref,
                archived_ref(a.old_ref, version),
                a_given.judgement,
                a_given.notes,
                a.reason,
                a.merged_into,
                a.note,
            )
            for a, a_given in archived
            if not a_given.empty
        )
        new_standard = hops[-1].new
        judgements_after = {c.new_ref: c.judgement for c in criteria if c.judgement is not None}
        preview = MigrationPreview(
            assessment_id=assessment_id,
            assessment_title=summary.title,
            standard_code=code,
            from_release=from_release,
            to_release=to_release,
            path=path,
            criteria=criteria,
            archived=archived_previews,
            evidence=_item_moves(_evidence_refs(session, assessment_id), ref_map, copies=True),
            actions=_item_moves(_action_refs(session, assessment_id), ref_map, copies=False),
            level_before=assess_standard(old_standard, {r: g.judgement for r, g in given.items()}).level_label,
            level_after=assess_standard(new_standard, judgements_after).level_label,
        )
        plan = Repointing(
            to_release_id=to_release,
            carried=tuple(CarriedJudgement(ref, targets) for ref, targets in carried.items()),
            archived=tuple(a for a, _ in archived),
            ref_map=ref_map,
        )
        return preview, plan

    def _release(self, session: Session, release_id: str) -> Release:
        # Releases are immutable once stored, so each is read once.
        if release_id not in self._releases:
            try:
                self._releases[release_id] = catalogue_repository.get_release(session, release_id)
            except KeyError:
                raise ReleaseMigrationError(f"release {release_id} is not in the store") from None
        return self._releases[release_id]

    def _path(self, session: Session, from_release: str, to_release: str, code: str) -> tuple[str, ...]:
        if to_release == from_release:
            raise ReleaseMigrationError(
                f"the assessment already uses release {to_release}; there is nothing to migrate"
            )
        summaries = {s.info.release_id: s for s in catalogue_repository.list_releases(session)}
        target = summaries.get(to_release)
        if target is None:
            raise ReleaseMigrationError(f"release {to_release} is not in the store")
        current = summaries[from_release]
        if target.info.published <= current.info.published:
            raise ReleaseMigrationError(
                f"release {to_release} (published {target.info.published.isoformat()}) is not newer than "
                f"{from_release} (published {current.info.published.isoformat()}); an assessment only moves forward"
            )
        if all(s.code != code for s in target.standards):
            raise ReleaseMigrationError(
                f"release {to_release} has no {code} standard, so the assessment stays on {from_release}"
            )
        path = _shortest_path(self._crosswalk_files(), from_release, to_release, _holding(summaries.values(), code))
        if path is None:
            raise ReleaseMigrationError(
                f"no crosswalk leads from {from_release} to {to_release} for the {code} standard "
                f"(looked in {self.standards_root / CROSSWALK_FOLDER})"
            )
        return path

    def _hops(self, session: Session, path: Sequence[str], code: str) -> list[_Hop]:
        hops: list[_Hop] = []
        for old_id, new_id in pairwise(path):
            file = self.standards_root / CROSSWALK_FOLDER / crosswalk_file_name(old_id, new_id)
            try:
                crosswalk = load_crosswalk(file)
            except CatalogueError as exc:
                raise ReleaseMigrationError(f"the crosswalk {file.name} cannot be used: {exc}") from None
            if (crosswalk.from_release, crosswalk.to_release) != (old_id, new_id):
                raise ReleaseMigrationError(
                    f"the crosswalk {file.name} says it leads from {crosswalk.from_release} to {crosswalk.to_release}"
                )
            old = self._release(session, old_id).standard(code)
            new = self._release(session, new_id).standard(code)
            hops.append(_Hop(old, new, crosswalk.entries_for(code)))
        return hops

    def _crosswalk_files(self) -> list[tuple[str, str]]:
        folder = self.standards_root / CROSSWALK_FOLDER
        found: list[tuple[str, str]] = []
        for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            from_id, _, to_id = file.stem.partition("__")
            if from_id and to_id and crosswalk_file_name(from_id, to_id) == file.name:
                found.append((from_id, to_id))
        return found


# -- following the crosswalks -------------------------------------------------------------


def _prefer_given(answered: Sequence[tuple[str, _Given]]) -> str:
    """When criteria merge, carry the first answer that holds something (crosswalk order)."""
    return next((ref for ref, given in answered if not given.empty), answered[0][0])


_Archived = tuple[ArchivedJudgement, _Given]


def _follow(
    hops: Sequence[_Hop], given: Mapping[str, _Given]
) -> tuple[tuple[CriterionPreview, ...], list[_Archived], dict[str, tuple[str, ...]], dict[str, tuple[CarriedTo, ...]]]:
    """Carry the answers across every hop; returns the criteria of the last release, the
    archived answers, where each current reference ends up, and where each answer goes."""
    first = hops[0].old
    trails = {c.ref: _Trail((c.ref,), (), (), added=False) for c in first.criteria()}
    ref_map: dict[str, tuple[str, ...]] = {c.ref: (c.ref,) for c in first.criteria()}
    answers: dict[str, _Given] = dict(given)
    archived: list[tuple[ArchivedJudgement, _Given, int]] = []
    forwards: list[dict[str, tuple[str, ...]]] = []
    try:
        for index, hop in enumerate(hops):
            plan = plan_migration(hop.old, hop.new, hop.entries)
            result = apply_plan(plan, answers, _prefer_given)
            for item in result.archived:
                entry = ArchivedJudgement(item.answer.ref, item.reason, item.merged_into, item.note)
                archived.append((entry, item.answer, index))
            forward: dict[str, tuple[str, ...]] = {}
            new_trails: dict[str, _Trail] = {}
            for target in plan.targets:
                for source in target.sources:
                    forward[source] = (*forward.get(source, ()), target.new_ref)
                before = [trails[s] for s in target.sources if s in trails]
                new_trails[target.new_ref] = _Trail(
                    sources=tuple(dict.fromkeys(s for t in before for s in t.sources)),
                    changes=(*dict.fromkeys(k for t in before for k in t.changes), target.change),
                    notes=tuple(n for n in (*(n for t in before for n in t.notes), target.note) if n),
                    added=not before or all(t.added for t in before),
                )
            forwards.append(forward)
            trails = new_trails
            ref_map = {ref: tuple(n for r in refs for n in forward.get(r, ())) for ref, refs in ref_map.items()}
            answers = {c.new_ref: c.answer for c in result.criteria if c.answer is not None}
    except CrosswalkInconsistentError as exc:
        raise ReleaseMigrationError(f"the crosswalk cannot be followed: {exc}") from None

    criteria = tuple(_criterion(ref, trail, answers.get(ref)) for ref, trail in trails.items())
    # A merged answer names the criterion it merged into at its hop; say where that ended up.
    resolved = [
        (replace(entry, merged_into=_forwarded(entry.merged_into, forwards[index + 1 :])), item)
        for entry, item, index in archived
    ]
    carried: dict[str, tuple[CarriedTo, ...]] = {}
    for criterion in criteria:
        answer = answers.get(criterion.new_ref)
        if answer is not None:
            goes_to = CarriedTo(criterion.new_ref, bool(criterion.changed_by))
            carried[answer.ref] = (*carried.get(answer.ref, ()), goes_to)
    return criteria, resolved, ref_map, carried


def _criterion(ref: str, trail: _Trail, item: _Given | None) -> CriterionPreview:
    note = " ".join(trail.notes)
    if item is None or item.empty:
        outcome = Outcome.NEW_UNANSWERED if trail.added else Outcome.NOT_ANSWERED_BEFORE
        return CriterionPreview(ref, outcome, trail.changes, trail.sources, note=note)
    needs = any(kind.needs_confirmation for kind in trail.changes)
    outcome = Outcome.CARRIED_TO_CONFIRM if needs else Outcome.CARRIED
    return CriterionPreview(ref, outcome, trail.changes, trail.sources, item.ref, item.judgement, item.notes, note)


def _forwarded(ref: str | None, forwards: Sequence[Mapping[str, tuple[str, ...]]]) -> str | None:
    for forward in forwards:
        if ref is None:
            return None
        ref = next(iter(forward.get(ref, ())), None)
    return ref


def _holding(summaries: Iterable[ReleaseSummary], code: str) -> set[str]:
    return {s.info.release_id for s in summaries if any(standard.code == code for standard in s.standards)}


def _shortest_path(
    edges: Sequence[tuple[str, str]], start: str, goal: str, allowed: set[str]
) -> tuple[str, ...] | None:
    """Fewest crosswalks from ``start`` to ``goal`` through releases in ``allowed``."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if here == goal:
            path = [here]
            while (back := previous[path[-1]]) is not None:
                path.append(back)
            return tuple(reversed(path))
        for from_id, to_id in edges:
            if from_id == here and to_id in allowed and to_id not in previous:
                previous[to_id] = here
                queue.append(to_id)
    return None


def _reachable(edges: Sequence[tuple[str, str]], start: str, allowed: set[str]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for from_id, to_id in edges:
            if from_id == here and to_id in allowed and to_id not in seen:
                seen.add(to_id)
                queue.append(to_id)
    return seen


def _evidence_refs(session: Session, assessment_id: int) -> list[str]:
    return list(session.exec(select(EvidenceRow.criterion_ref).where(EvidenceRow.assessment_pk == assessment_id)).all())


def _action_refs(session: Session, assessment_id: int) -> list[str]:
    refs = session.exec(
        select(ActionRow.criterion_ref).where(
            ActionRow.assessment_pk == assessment_id, col(ActionRow.criterion_ref).is_not(None)
        )
    ).all()
    return [ref for ref in refs if ref is not None]


def _item_moves(refs: Iterable[str], ref_map: Mapping[str, tuple[str, ...]], *, copies: bool) -> ItemMoves:
    unchanged = moved = copied = archived = 0
    for ref in refs:
        targets = ref_map.get(ref, ())
        if not targets:
            # Archived by an earlier migration it stays as it is; otherwise it is archived now.
            if ref not in ref_map and is_archived_ref(ref):
                unchanged += 1
            else:
                archived += 1
            continue
        if targets[0] == ref:
            unchanged += 1
        else:
            moved += 1
        copied += len(targets) - 1 if copies else 0
    return ItemMoves(unchanged, moved, copied, archived)
