"""Migrating answers across a crosswalk: nothing is lost, nothing is invented."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nesds_desktop.catalogue.crosswalk import crosswalk_path, load_crosswalk
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.catalogue import Criterion, Section, Standard
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.release_migration import (
    ArchiveReason,
    ChangeKind,
    CrosswalkEntry,
    CrosswalkInconsistentError,
    MigrationResult,
    Outcome,
    apply_plan,
    check_crosswalk,
    migrate_answers,
    plan_migration,
)

OLD = "nesds-2006.1"
NEW = "nesds-2007.1"


@dataclass(frozen=True)
class Answer:
    """A stand-in for a judgement: the module must not care what an answer is."""

    given_for: str
    text: str


def _standard(statements: dict[str, str], code: str = "T") -> Standard:
    criteria = tuple(Criterion(ref, Level.MINIMUM, text, "guidance") for ref, text in statements.items())
    return Standard(code, "Test standard", "summary", sections=(Section(1, "Section", "summary", criteria),))


def _entry(kind: ChangeKind, old: Sequence[str] = (), new: Sequence[str] = (), note: str = "") -> CrosswalkEntry:
    return CrosswalkEntry(kind, tuple(old), tuple(new), note)


def _answers(refs: Sequence[str]) -> dict[str, Answer]:
    return {ref: Answer(ref, f"evidence given for {ref}") for ref in refs}


def assert_nothing_lost_or_invented(result: MigrationResult[Answer], answers: dict[str, Answer]) -> None:
    """The invariant, stated once and used by every test that migrates."""
    carried = {c.carried_from for c in result.criteria if c.carried_from is not None}
    archived = {a.old_ref for a in result.archived}
    for ref, answer in answers.items():
        # Survives: carried to at least one new criterion, or archived; never both, never neither.
        assert (ref in carried) != (ref in archived), ref
        assert all(c.answer is answer for c in result.criteria if c.carried_from == ref)
        assert all(a.answer is answer for a in result.archived if a.old_ref == ref)
    for criterion in result.criteria:
        if criterion.carried_from is None:
            assert criterion.answer is None, criterion
        else:
            # Invented nothing: the answer is the one given to one of its own sources.
            assert criterion.carried_from in criterion.sources
            assert criterion.answer is answers[criterion.carried_from]
        if criterion.change is ChangeKind.ADDED:
            assert criterion.outcome is Outcome.NEW_UNANSWERED and criterion.answer is None
    assert len(result.archived) == len(archived)


# --- each kind of change --------------------------------------------------------------

OLD_TEXT = {
    "T-1-M1": "Kept as it was",
    "T-1-M2": "Said one way",
    "T-1-M3": "Sits in section one",
    "T-1-M4": "Two things in one",
    "T-1-M5": "Half of a pair",
    "T-1-M6": "Other half of a pair",
    "T-1-M7": "No longer wanted",
}
NEW_TEXT = {
    "T-1-M1": "Kept as it was",
    "T-1-M2": "Said another way",
    "T-2-M1": "Sits in section one",
    "T-1-M4": "The first thing",
    "T-1-M8": "The second thing",
    "T-1-M5": "A whole pair",
    "T-1-M9": "Something new",
}
ENTRIES = (
    _entry(ChangeKind.REWORDED, ["T-1-M2"], ["T-1-M2"], "plainer words"),
    _entry(ChangeKind.MOVED, ["T-1-M3"], ["T-2-M1"], "belongs in section two"),
    _entry(ChangeKind.SPLIT, ["T-1-M4"], ["T-1-M4", "T-1-M8"], "two things"),
    _entry(ChangeKind.MERGED, ["T-1-M5", "T-1-M6"], ["T-1-M5"], "one pair"),
    _entry(ChangeKind.RETIRED, ["T-1-M7"], [], "not wanted"),
    _entry(ChangeKind.ADDED, [], ["T-1-M9"], "new idea"),
)


def test_plan_is_a_preview_in_the_new_order_with_every_kind() -> None:
    plan = plan_migration(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES)
    assert [(t.new_ref, t.change, t.sources) for t in plan.targets] == [
        ("T-1-M1", ChangeKind.UNCHANGED, ("T-1-M1",)),
        ("T-1-M2", ChangeKind.REWORDED, ("T-1-M2",)),
        ("T-2-M1", ChangeKind.MOVED, ("T-1-M3",)),
        ("T-1-M4", ChangeKind.SPLIT, ("T-1-M4",)),
        ("T-1-M8", ChangeKind.SPLIT, ("T-1-M4",)),
        ("T-1-M5", ChangeKind.MERGED, ("T-1-M5", "T-1-M6")),
        ("T-1-M9", ChangeKind.ADDED, ()),
    ]
    assert [(r.old_ref, r.note) for r in plan.retired] == [("T-1-M7", "not wanted")]
    assert plan.counts() == {
        ChangeKind.UNCHANGED: 1,
        ChangeKind.REWORDED: 1,
        ChangeKind.MOVED: 1,
        ChangeKind.SPLIT: 2,
        ChangeKind.MERGED: 1,
        ChangeKind.RETIRED: 1,
        ChangeKind.ADDED: 1,
    }


def test_fully_answered_migration_says_what_happened_to_each_answer() -> None:
    answers = _answers(list(OLD_TEXT))
    result = migrate_answers(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES, answers)
    outcomes = {c.new_ref: (c.outcome, c.carried_from) for c in result.criteria}
    assert outcomes == {
        "T-1-M1": (Outcome.CARRIED, "T-1-M1"),
        "T-1-M2": (Outcome.CARRIED_TO_CONFIRM, "T-1-M2"),
        "T-2-M1": (Outcome.CARRIED_TO_CONFIRM, "T-1-M3"),
        "T-1-M4": (Outcome.CARRIED_TO_CONFIRM, "T-1-M4"),
        "T-1-M8": (Outcome.CARRIED_TO_CONFIRM, "T-1-M4"),
        "T-1-M5": (Outcome.CARRIED_TO_CONFIRM, "T-1-M5"),
        "T-1-M9": (Outcome.NEW_UNANSWERED, None),
    }
    assert [(a.old_ref, a.reason, a.merged_into) for a in result.archived] == [
        ("T-1-M6", ArchiveReason.MERGED_NOT_CARRIED, "T-1-M5"),
        ("T-1-M7", ArchiveReason.RETIRED, None),
    ]
    assert result.carried_to("T-1-M4") == ("T-1-M4", "T-1-M8")
    assert result.answers()["T-2-M1"] is answers["T-1-M3"]
    assert "T-1-M9" not in result.answers()
    assert [c.new_ref for c in result.to_confirm()] == ["T-1-M2", "T-2-M1", "T-1-M4", "T-1-M8", "T-1-M5"]
    assert result.counts()[Outcome.CARRIED_TO_CONFIRM] == 5
    assert_nothing_lost_or_invented(result, answers)


def test_merge_chooser_picks_the_carried_answer_and_the_rest_are_archived() -> None:
    answers = _answers(["T-1-M5", "T-1-M6"])
    result = migrate_answers(
        _standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES, answers, choose_merged=lambda answered: answered[-1][0]
    )
    merged = next(c for c in result.criteria if c.new_ref == "T-1-M5")
    assert merged.carried_from == "T-1-M6" and merged.answer is answers["T-1-M6"]
    assert [(a.old_ref, a.reason) for a in result.archived] == [("T-1-M5", ArchiveReason.MERGED_NOT_CARRIED)]
    assert_nothing_lost_or_invented(result, answers)


def test_merge_chooser_must_pick_an_answered_source() -> None:
    plan = plan_migration(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES)
    with pytest.raises(ValueError, match="not one of the answered sources of T-1-M5"):
        apply_plan(plan, _answers(["T-1-M5", "T-1-M6"]), choose_merged=lambda answered: "T-1-M1")


def test_merge_with_one_answered_source_carries_it_without_asking() -> None:
    def refuse(answered: Sequence[tuple[str, Answer]]) -> str:
        raise AssertionError("the chooser is only asked when several sources were answered")

    answers = _answers(["T-1-M6"])
    result = migrate_answers(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES, answers, choose_merged=refuse)
    assert result.answers() == {"T-1-M5": answers["T-1-M6"]}
    assert result.archived == ()


def test_unanswered_sources_give_unanswered_criteria_not_invented_answers() -> None:
    answers = _answers(["T-1-M1"])
    result = migrate_answers(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES, answers)
    assert result.answers() == {"T-1-M1": answers["T-1-M1"]}
    assert result.counts() == {
        Outcome.CARRIED: 1,
        Outcome.CARRIED_TO_CONFIRM: 0,
        Outcome.NEW_UNANSWERED: 1,
        Outcome.NOT_ANSWERED_BEFORE: 5,
    }
    assert result.archived == ()


def test_an_answer_to_an_unknown_reference_is_archived_not_dropped() -> None:
    answers = _answers(["T-1-M1", "T-9-E9"])
    result = migrate_answers(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES, answers)
    assert [(a.old_ref, a.reason) for a in result.archived] == [("T-9-E9", ArchiveReason.NOT_IN_OLD_RELEASE)]
    assert_nothing_lost_or_invented(result, answers)


def test_reused_reference_does_not_inherit_the_old_answer() -> None:
    # T-1-M3 moves away and a new criterion takes its reference: its old answer must follow the move.
    old = {"T-1-M1": "a", "T-1-M2": "b", "T-1-M3": "c"}
    new = {"T-1-M1": "a", "T-1-M2": "b", "T-2-M1": "c", "T-1-M3": "a different criterion"}
    entries = [_entry(ChangeKind.MOVED, ["T-1-M3"], ["T-2-M1"]), _entry(ChangeKind.ADDED, [], ["T-1-M3"])]
    answers = _answers(list(old))
    result = migrate_answers(_standard(old), _standard(new), entries, answers)
    assert result.answers()["T-2-M1"] is answers["T-1-M3"]
    assert "T-1-M3" not in result.answers()
    assert_nothing_lost_or_invented(result, answers)


def test_plan_refuses_an_inconsistent_crosswalk() -> None:
    with pytest.raises(CrosswalkInconsistentError) as raised:
        plan_migration(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES[:-2])
    messages = [issue.message for issue in raised.value.issues]
    assert messages == [
        "old criterion T-1-M7 is not in the new release and no entry says what happened to it",
        "new criterion T-1-M9 is not in the old release and no entry says where it comes from",
    ]
    assert "crosswalk for T is inconsistent" in str(raised.value)


def test_a_reused_reference_cannot_hide_an_unmentioned_criterion() -> None:
    # Same reference, same statement, but the new criterion is claimed by an "added" entry:
    # the old criterion would have nowhere to go, so the crosswalk must say what happened to it.
    same = {"T-1-M1": "one", "T-1-M2": "two", "T-1-M3": "three"}
    issues = check_crosswalk(_standard(same), _standard(same), [_entry(ChangeKind.ADDED, [], ["T-1-M3"])])
    assert [(i.entry, i.message) for i in issues] == [
        (
            None,
            "old criterion T-1-M3 is not named, but its reference in the new release is named by entry 1; "
            "say what happened to the old criterion",
        )
    ]


def test_a_hand_made_plan_that_would_lose_an_answer_is_refused() -> None:
    plan = plan_migration(_standard(OLD_TEXT), _standard(NEW_TEXT), ENTRIES)
    without_retirements = replace(plan, retired=())
    with pytest.raises(ValueError, match="would lose the answers to T-1-M7"):
        apply_plan(without_retirements, _answers(["T-1-M1", "T-1-M7"]))


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([_entry(ChangeKind.UNCHANGED, ["T-1-M1"], ["T-1-M1"])], (0, "unchanged criteria are not listed")),
        (
            [_entry(ChangeKind.SPLIT, ["T-1-M1", "T-1-M1"], ["T-1-M1", "T-1-M2"])],
            (0, "names old reference T-1-M1 2 times"),
        ),
        ([_entry(ChangeKind.ADDED, ["T-1-M1"], ["T-1-M2"])], (0, "an added entry takes no old references")),
        ([_entry(ChangeKind.RETIRED, ["T-1-M9"])], (0, "old reference T-1-M9 is not a criterion of the old release")),
    ],
)
def test_entry_issues_name_the_entry(entries: list[CrosswalkEntry], expected: tuple[int, str]) -> None:
    same = {"T-1-M1": "one", "T-1-M2": "two"}
    issues = check_crosswalk(_standard(same), _standard(same), entries)
    assert any(issue.entry == expected[0] and expected[1] in issue.message for issue in issues), issues


# --- the shipped releases -------------------------------------------------------------


def test_fully_answered_ict_assessment_keeps_every_answer_across_the_shipped_crosswalk(standards_root: Path) -> None:
    old = load_release(standards_root / OLD).standard("ICT")
    new = load_release(standards_root / NEW).standard("ICT")
    entries = load_crosswalk(crosswalk_path(standards_root, OLD, NEW)).entries_for("ICT")
    answers = _answers([c.ref for c in old.criteria()])
    assert len(answers) == 58

    result = migrate_answers(old, new, entries, answers)

    assert_nothing_lost_or_invented(result, answers)
    assert [c.new_ref for c in result.criteria] == [c.ref for c in new.criteria()]
    assert result.counts() == {
        Outcome.CARRIED: 43,
        Outcome.CARRIED_TO_CONFIRM: 13,  # 3 reworded, 4 moved, 2 x 2 split, 2 merged
        Outcome.NEW_UNANSWERED: 2,
        Outcome.NOT_ANSWERED_BEFORE: 0,
    }
    assert {(a.old_ref, a.reason, a.merged_into) for a in result.archived} == {
        ("ICT-4-M1", ArchiveReason.RETIRED, None),
        ("ICT-6-P3", ArchiveReason.RETIRED, None),
        ("ICT-6-M3", ArchiveReason.MERGED_NOT_CARRIED, "ICT-5-M3"),
        ("ICT-3-E3", ArchiveReason.MERGED_NOT_CARRIED, "ICT-3-E1"),
    }
    assert result.carried_to("ICT-3-M2") == ("ICT-3-M2", "ICT-3-M4")
    assert result.carried_to("ICT-2-E2") == ("ICT-2-P4",)
    # ICT-4-M3 was online payments; in 2007.1 that is ICT-4-M2 and ICT-4-M3 is a new criterion.
    assert result.carried_to("ICT-4-M3") == ("ICT-4-M2",)
    assert "ICT-4-M3" not in result.answers() and "ICT-7-E4" not in result.answers()
    carried_answers = {id(a) for a in result.answers().values()} | {id(a.answer) for a in result.archived}
    assert carried_answers == {id(a) for a in answers.values()}


# --- the invariant, over random standards, crosswalks and answers -------------------

OPS = ["unchanged", "reworded", "moved", "split", "merged", "retired"]


@dataclass(frozen=True)
class Scenario:
    old: Standard
    new: Standard
    entries: tuple[CrosswalkEntry, ...]
    answers: dict[str, Answer]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A random old standard, a random set of changes to it, the new standard and some answers.

    References freed by a move, split, merge or retirement may be reused by another criterion
    in the new release, which is where carrying answers by reference alone would go wrong.
    """
    old_refs = [f"X-1-M{i}" for i in range(1, draw(st.integers(0, 14)) + 1)]
    fresh = (f"X-2-M{i}" for i in range(1, 100))
    # Each group of old references and what happens to it; keeps=True means it keeps its own reference.
    groups: list[tuple[str, list[str], bool]] = []
    index = 0
    while index < len(old_refs):
        op = draw(st.sampled_from(OPS))
        can_merge = op == "merged" and index + 1 < len(old_refs)
        size = draw(st.integers(2, min(4, len(old_refs) - index))) if can_merge else 1
        op = "moved" if op == "merged" and size == 1 else op
        keeps = op in ("unchanged", "reworded") or (op in ("split", "merged") and draw(st.booleans()))
        groups.append((op, old_refs[index : index + size], keeps))
        index += size
    freed = [ref for op, refs, keeps in groups for ref in (refs[1:] if keeps else refs)]
    pool = draw(st.permutations(freed)) + [next(fresh) for _ in range(60)]
    pool_iter = iter(pool)

    def take(avoid: str | None = None) -> str:
        ref = next(pool_iter)
        return next(pool_iter) if ref == avoid else ref

    new_statements: dict[str, str] = {}
    entries: list[CrosswalkEntry] = []
    for op, refs, keeps in groups:
        first = refs[0]
        if op == "unchanged":
            new_statements[first] = f"statement of {first}"
            continue
        if op == "retired":
            entries.append(_entry(ChangeKind.RETIRED, refs))
            continue
        count = draw(st.integers(2, 3)) if op == "split" else 1
        targets = ([first] if keeps else []) + [take(avoid=first) for _ in range(count - (1 if keeps else 0))]
        for target in targets:
            new_statements[target] = f"{op} wording for {target} from {first}"
        entries.append(_entry(ChangeKind(op), refs, targets))
    for _ in range(draw(st.integers(0, 3))):
        added = take()
        new_statements[added] = f"added criterion {added}"
        entries.append(_entry(ChangeKind.ADDED, [], [added]))
    old = _standard({ref: f"statement of {ref}" for ref in old_refs}, "X")
    new_order = draw(st.permutations(list(new_statements)))
    new = _standard({ref: new_statements[ref] for ref in new_order}, "X")
    answered = draw(st.lists(st.sampled_from(old_refs), unique=True)) if old_refs else []
    strays = draw(st.lists(st.sampled_from(["X-9-E1", "Y-1-M1"]), unique=True))
    return Scenario(old, new, tuple(draw(st.permutations(entries))), _answers(answered + strays))


@settings(max_examples=300, database=None, deadline=None)
@given(scenarios(), st.booleans())
def test_every_old_answer_survives_and_no_answer_is_invented(scenario: Scenario, choose_last: bool) -> None:
    assert check_crosswalk(scenario.old, scenario.new, scenario.entries) == []
    chooser = (lambda answered: answered[-1][0]) if choose_last else None
    result = migrate_answers(scenario.old, scenario.new, scenario.entries, scenario.answers, chooser)
    assert_nothing_lost_or_invented(result, scenario.answers)
    assert [c.new_ref for c in result.criteria] == [c.ref for c in scenario.new.criteria()]
    for criterion in result.criteria:
        if criterion.carried_from is not None:
            expected = Outcome.CARRIED if criterion.change is ChangeKind.UNCHANGED else Outcome.CARRIED_TO_CONFIRM
            assert criterion.outcome is expected


@settings(max_examples=200, database=None, deadline=None)
@given(scenarios(), st.data())
def test_leaving_out_any_entry_is_caught(scenario: Scenario, data: st.DataObject) -> None:
    assume(scenario.entries)
    dropped = data.draw(st.integers(0, len(scenario.entries) - 1))
    rest = scenario.entries[:dropped] + scenario.entries[dropped + 1 :]
    assert check_crosswalk(scenario.old, scenario.new, rest) != []
    with pytest.raises(CrosswalkInconsistentError):
        plan_migration(scenario.old, scenario.new, rest)
