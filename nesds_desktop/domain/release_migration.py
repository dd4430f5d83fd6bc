"""Moving an assessment's answers from one catalogue release to a newer one.

A crosswalk lists, per standard, what happened to each criterion that changed between
two releases: reworded, moved, split, merged, retired or added.  A criterion the
crosswalk does not mention, present in both releases with the same reference and the
same statement, is unchanged.

The rule this module keeps: **nothing is lost and nothing is invented**.  Every old
answer is carried to at least one new criterion or archived with the assessment, and a
criterion that is new in the later release starts unanswered.  Answers are generic,
keyed by old reference, so this module does not care how judgements are modelled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar, cast

from nesds_desktop.domain.catalogue import Criterion, Standard

A = TypeVar("A")


class ChangeKind(StrEnum):
    """What happened to a criterion between two releases."""

    UNCHANGED = "unchanged"  # never written in a crosswalk: it is what omission means
    REWORDED = "reworded"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"
    RETIRED = "retired"
    ADDED = "added"

    @property
    def needs_confirmation(self) -> bool:
        """A carried answer must be confirmed when the criterion it answers has changed."""
        return self in _CONFIRM

    @property
    def label(self) -> str:
        return self.value.capitalize()


_CONFIRM = frozenset({ChangeKind.REWORDED, ChangeKind.MOVED, ChangeKind.SPLIT, ChangeKind.MERGED})

# How many old and new references each kind of entry names: (exactly, or at least).
_ARITY: dict[ChangeKind, tuple[tuple[int, bool], tuple[int, bool]]] = {
    ChangeKind.REWORDED: ((1, True), (1, True)),
    ChangeKind.MOVED: ((1, True), (1, True)),
    ChangeKind.SPLIT: ((1, True), (2, False)),
    ChangeKind.MERGED: ((2, False), (1, True)),
    ChangeKind.RETIRED: ((1, False), (0, True)),
    ChangeKind.ADDED: ((0, True), (1, False)),
}


@dataclass(frozen=True)
class CrosswalkEntry:
    """One change: the old references it takes and the new references it gives."""

    kind: ChangeKind
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    note: str = ""

    def describe(self) -> str:
        """Short words for messages: "split ICT-3-M2 -> ICT-3-M2, ICT-3-M4"."""
        old = ", ".join(self.old) or "nothing"
        new = ", ".join(self.new) or "nothing"
        return f"{self.kind.value} {old} -> {new}"


@dataclass(frozen=True)
class StandardCrosswalk:
    code: str
    entries: tuple[CrosswalkEntry, ...] = ()


@dataclass(frozen=True)
class Crosswalk:
    """Every change between two releases, standard by standard."""

    from_release: str
    to_release: str
    standards: tuple[StandardCrosswalk, ...] = ()
    note: str = ""

    def entries_for(self, code: str) -> tuple[CrosswalkEntry, ...]:
        """A standard the crosswalk does not list has no changes."""
        for standard in self.standards:
            if standard.code == code:
                return standard.entries
        return ()


@dataclass(frozen=True)
class CrosswalkIssue:
    """Why a crosswalk does not describe the two standards it sits between.

    ``entry`` is the 0-based position of the entry at fault, or None when the issue is
    about a criterion no entry names.
    """

    message: str
    entry: int | None = None


class CrosswalkInconsistentError(ValueError):
    """A migration was asked for across a crosswalk that does not add up."""

    def __init__(self, code: str, issues: Sequence[CrosswalkIssue]) -> None:
        self.code = code
        self.issues = tuple(issues)
        first = issues[0].message if issues else "unknown issue"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(f"crosswalk for {code} is inconsistent: {first}{more}")


def check_crosswalk(old: Standard, new: Standard, entries: Sequence[CrosswalkEntry]) -> list[CrosswalkIssue]:
    """Every way the entries fail to account for the change from ``old`` to ``new``."""
    old_by_ref = {c.ref: c for c in old.criteria()}
    new_by_ref = {c.ref: c for c in new.criteria()}
    issues: list[CrosswalkIssue] = []
    named_old: dict[str, int] = {}
    named_new: dict[str, int] = {}
    for index, entry in enumerate(entries):
        issues.extend(CrosswalkIssue(message, index) for message in _entry_issues(entry, old_by_ref, new_by_ref))
        for side, refs, named in (("old", entry.old, named_old), ("new", entry.new, named_new)):
            for ref in dict.fromkeys(refs):
                if ref in named:
                    issues.append(
                        CrosswalkIssue(
                            f"{side} reference {ref} is already named in entry {named[ref] + 1}; "
                            "each criterion may be named once on each side",
                            index,
                        )
                    )
                else:
                    named[ref] = index
    for ref, criterion in old_by_ref.items():
        if ref in named_old:
            continue
        if ref not in new_by_ref:
            issues.append(
                CrosswalkIssue(f"old criterion {ref} is not in the new release and no entry says what happened to it")
            )
        elif ref in named_new:
            issues.append(
                CrosswalkIssue(
                    f"old criterion {ref} is not named, but its reference in the new release is named by entry "
                    f"{named_new[ref] + 1}; say what happened to the old criterion"
                )
            )
        elif new_by_ref[ref].statement != criterion.statement:
            issues.append(CrosswalkIssue(f"{ref} changed wording but the crosswalk does not say so"))
    for ref in new_by_ref:
        if ref in named_new:
            continue
        if ref not in old_by_ref:
            issues.append(
                CrosswalkIssue(f"new criterion {ref} is not in the old release and no entry says where it comes from")
            )
        elif ref in named_old:
            issues.append(
                CrosswalkIssue(
                    f"new criterion {ref} is not named, but its reference in the old release is named by entry "
                    f"{named_old[ref] + 1}; say where the new criterion comes from"
                )
            )
    return issues


def _entry_issues(entry: CrosswalkEntry, old: Mapping[str, Criterion], new: Mapping[str, Criterion]) -> list[str]:
    issues: list[str] = []
    if entry.kind is ChangeKind.UNCHANGED:
        return ["unchanged criteria are not listed in a crosswalk; leave them out"]
    (old_count, old_exact), (new_count, new_exact) = _ARITY[entry.kind]
    if not _arity_fits(len(entry.old), old_count, old_exact) or not _arity_fits(len(entry.new), new_count, new_exact):
        article = "an" if entry.kind is ChangeKind.ADDED else "a"
        issues.append(
            f"{article} {entry.kind.value} entry takes {_arity_words(old_count, old_exact, 'old')} and "
            f"{_arity_words(new_count, new_exact, 'new')}; this one names {len(entry.old)} old and {len(entry.new)} new"
        )
    for side, refs, criteria in (("old", entry.old, old), ("new", entry.new, new)):
        for ref, times in Counter(refs).items():
            if times > 1:
                issues.append(f"names {side} reference {ref} {times} times")
            if ref not in criteria:
                issues.append(f"{side} reference {ref} is not a criterion of the {side} release")
    if len(entry.old) == 1 and len(entry.new) == 1:
        old_ref, new_ref = entry.old[0], entry.new[0]
        if entry.kind is ChangeKind.REWORDED and old_ref != new_ref:
            issues.append(f"a reworded criterion keeps its reference, but {old_ref} became {new_ref}; use moved")
        if entry.kind is ChangeKind.MOVED and old_ref == new_ref:
            issues.append(f"a moved criterion gets a new reference, but {old_ref} kept its own; use reworded")
        if (
            entry.kind is ChangeKind.REWORDED
            and old_ref in old
            and new_ref in new
            and old[old_ref].statement == new[new_ref].statement
        ):
            issues.append(f"says {old_ref} was reworded, but its statement is the same in both releases")
    return issues


def _arity_fits(found: int, count: int, exact: bool) -> bool:
    return found == count if exact else found >= count


def _arity_words(count: int, exact: bool, side: str) -> str:
    if count == 0 and exact:
        return f"no {side} references"
    word = "reference" if count == 1 else "references"
    return f"{'exactly' if exact else 'at least'} {count} {side} {word}"


# --- the plan: what will happen, before any answer is looked at -------------------


@dataclass(frozen=True)
class PlannedCriterion:
    """A criterion of the new release and the old criteria its answer comes from."""

    new_ref: str
    change: ChangeKind
    sources: tuple[str, ...] = ()  # old references, in crosswalk order
    note: str = ""


@dataclass(frozen=True)
class PlannedRetirement:
    old_ref: str
    note: str = ""


@dataclass(frozen=True)
class MigrationPlan:
    """The preview: for each new criterion where its answer will come from, and what retires."""

    code: str
    old_refs: tuple[str, ...]
    targets: tuple[PlannedCriterion, ...]  # in the new standard's order
    retired: tuple[PlannedRetirement, ...]

    def counts(self) -> dict[ChangeKind, int]:
        """New criteria by kind of change; retired counts old criteria."""
        counts = dict.fromkeys(ChangeKind, 0)
        for target in self.targets:
            counts[target.change] += 1
        counts[ChangeKind.RETIRED] = len(self.retired)
        return counts


def plan_migration(old: Standard, new: Standard, entries: Sequence[CrosswalkEntry]) -> MigrationPlan:
    """Build the preview; raise :class:`CrosswalkInconsistentError` if the crosswalk does not add up."""
    issues = check_crosswalk(old, new, entries)
    if issues:
        raise CrosswalkInconsistentError(new.code, issues)
    by_new_ref: dict[str, CrosswalkEntry] = {ref: entry for entry in entries for ref in entry.new}
    targets: list[PlannedCriterion] = []
    for criterion in new.criteria():
        entry = by_new_ref.get(criterion.ref)
        if entry is None:
            targets.append(PlannedCriterion(criterion.ref, ChangeKind.UNCHANGED, (criterion.ref,)))
        else:
            targets.append(PlannedCriterion(criterion.ref, entry.kind, entry.old, entry.note))
    retired = tuple(
        PlannedRetirement(ref, entry.note) for entry in entries if entry.kind is ChangeKind.RETIRED for ref in entry.old
    )
    return MigrationPlan(new.code, tuple(c.ref for c in old.criteria()), tuple(targets), retired)


# --- applying the plan to one assessment's answers ---------------------------------


class Outcome(StrEnum):
    """What a new criterion starts with."""

    CARRIED = "carried"
    CARRIED_TO_CONFIRM = "carried_to_confirm"
    NEW_UNANSWERED = "new_unanswered"
    NOT_ANSWERED_BEFORE = "not_answered_before"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.CARRIED: "Carried over",
    Outcome.CARRIED_TO_CONFIRM: "Carried over, to confirm",
    Outcome.NEW_UNANSWERED: "New criterion, not yet answered",
    Outcome.NOT_ANSWERED_BEFORE: "Not answered in the earlier release either",
}


class ArchiveReason(StrEnum):
    """Why an old answer is kept with the assessment instead of being carried."""

    RETIRED = "retired"
    MERGED_NOT_CARRIED = "merged_not_carried"
    NOT_IN_OLD_RELEASE = "not_in_old_release"

    @property
    def label(self) -> str:
        return _ARCHIVE_LABELS[self]


_ARCHIVE_LABELS = {
    ArchiveReason.RETIRED: "Criterion retired",
    ArchiveReason.MERGED_NOT_CARRIED: "Merged; another criterion's answer was carried",
    ArchiveReason.NOT_IN_OLD_RELEASE: "Reference is not in the earlier release",
}


@dataclass(frozen=True)
class MigratedCriterion(Generic[A]):
    """One new criterion after migration: its answer, if any, and where it came from."""

    new_ref: str
    change: ChangeKind
    outcome: Outcome
    sources: tuple[str, ...] = ()
    carried_from: str | None = None
    answer: A | None = None
    note: str = ""


@dataclass(frozen=True)
class ArchivedAnswer(Generic[A]):
    """An old answer kept with the assessment because no new criterion carries it."""

    old_ref: str
    answer: A
    reason: ArchiveReason
    merged_into: str | None = None
    note: str = ""


@dataclass(frozen=True)
class MigrationResult(Generic[A]):
    plan: MigrationPlan
    criteria: tuple[MigratedCriterion[A], ...]
    archived: tuple[ArchivedAnswer[A], ...]

    def answers(self) -> dict[str, A]:
        """The new assessment's answers, keyed by new reference."""
        return {c.new_ref: cast(A, c.answer) for c in self.criteria if c.carried_from is not None}

    def to_confirm(self) -> tuple[MigratedCriterion[A], ...]:
        return tuple(c for c in self.criteria if c.outcome is Outcome.CARRIED_TO_CONFIRM)

    def carried_to(self, old_ref: str) -> tuple[str, ...]:
        """The new references that received the answer given to ``old_ref``."""
        return tuple(c.new_ref for c in self.criteria if c.carried_from == old_ref)

    def counts(self) -> dict[Outcome, int]:
        counts = dict.fromkeys(Outcome, 0)
        for criterion in self.criteria:
            counts[criterion.outcome] += 1
        return counts


MergeChooser = Callable[[Sequence[tuple[str, A]]], str]


def first_listed(answered: Sequence[tuple[str, A]]) -> str:
    """Default merge choice: the first answered source, in the order the crosswalk lists them."""
    return answered[0][0]


def apply_plan(
    plan: MigrationPlan,
    answers: Mapping[str, A],
    choose_merged: MergeChooser[A] | None = None,
) -> MigrationResult[A]:
    """Carry ``answers`` (keyed by old reference) across ``plan``.

    When several merged criteria were answered, ``choose_merged`` receives the answered
    sources as (old reference, answer) pairs in crosswalk order and returns the reference
    whose answer is carried; the others are archived.  The judgement layer can pass a
    cautious rule (for example "the least met"); the default carries the first listed.
    """
    choose = choose_merged or first_listed
    criteria: list[MigratedCriterion[A]] = []
    archived: list[ArchivedAnswer[A]] = []
    for target in plan.targets:
        if target.change is ChangeKind.ADDED:
            criteria.append(
                MigratedCriterion(
                    target.new_ref, target.change, Outcome.NEW_UNANSWERED, target.sources, note=target.note
                )
            )
            continue
        answered = [(ref, answers[ref]) for ref in target.sources if ref in answers]
        if not answered:
            criteria.append(
                MigratedCriterion(
                    target.new_ref, target.change, Outcome.NOT_ANSWERED_BEFORE, target.sources, note=target.note
                )
            )
            continue
        carried_from = choose(answered) if len(answered) > 1 else answered[0][0]
        if carried_from not in dict(answered):
            raise ValueError(f"merge choice {carried_from!r} is not one of the answered sources of {target.new_ref}")
        outcome = Outcome.CARRIED_TO_CONFIRM if target.change.needs_confirmation else Outcome.CARRIED
        criteria.append(
            MigratedCriterion(
                target.new_ref, target.change, outcome, target.sources, carried_from, answers[carried_from], target.note
            )
        )
        archived.extend(
            ArchivedAnswer(ref, answer, ArchiveReason.MERGED_NOT_CARRIED, target.new_ref, target.note)
            for ref, answer in answered
            if ref != carried_from
        )
    for retirement in plan.retired:
        if retirement.old_ref in answers:
            archived.append(
                ArchivedAnswer(
                    retirement.old_ref, answers[retirement.old_ref], ArchiveReason.RETIRED, note=retirement.note
                )
            )
    # A plan built by hand could leave an answer with nowhere to go: refuse rather than lose it.
    kept = {c.carried_from for c in criteria} | {a.old_ref for a in archived}
    lost = [ref for ref in plan.old_refs if ref in answers and ref not in kept]
    if lost:
        raise ValueError(f"the plan for {plan.code} would lose the answers to {', '.join(lost)}")
    # An answer to a reference the old release never had is kept, not silently dropped.
    known = set(plan.old_refs)
    archived.extend(
        ArchivedAnswer(ref, answer, ArchiveReason.NOT_IN_OLD_RELEASE)
        for ref, answer in answers.items()
        if ref not in known
    )
    return MigrationResult(plan, tuple(criteria), tuple(archived))


def migrate_answers(
    old: Standard,
    new: Standard,
    entries: Sequence[CrosswalkEntry],
    answers: Mapping[str, A],
    choose_merged: MergeChooser[A] | None = None,
) -> MigrationResult[A]:
    """Plan and apply in one step."""
    return apply_plan(plan_migration(old, new, entries), answers, choose_merged)
