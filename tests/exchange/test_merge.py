"""The three-way merge on plain histories: each outcome, and its properties under hypothesis."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nesds_desktop.exchange.merge import (
    KIND_EVIDENCE,
    KIND_JUDGEMENT,
    AssessmentHistory,
    Entry,
    ItemHistory,
    Outcome,
    Side,
    UnresolvedConflictError,
    merge_assessment,
)

T0 = datetime(2006, 5, 3, 10, 0, tzinfo=UTC)
UID = "assessment"


def judgement(ref: str, value: str, author: str, minutes: int, revision: int = 1, notes: str = "") -> Entry:
    content = {"ref": ref, "judgement": value, "notes": notes, "to_confirm": False}
    return Entry.of(revision, author, T0 + timedelta(minutes=minutes), content)


def item(ref: str, *entries: Entry, uid: str | None = None) -> ItemHistory:
    return ItemHistory.build(KIND_JUDGEMENT, ref, uid or f"uid-{ref}", 0, entries)


def copy(*items: ItemHistory) -> AssessmentHistory:
    return AssessmentHistory.of(UID, items)


BASE = judgement("ICT-1-M1", "met", "Pat", 0)


def test_theirs_changed_only_is_taken_and_mine_changed_only_is_kept() -> None:
    theirs_edit = judgement("ICT-1-M1", "not_met", "Sam", 5, revision=2)
    mine_edit = judgement("ICT-1-M2", "partly_met", "Pat", 6, revision=2)
    base_m2 = judgement("ICT-1-M2", "met", "Pat", 1)
    mine = copy(item("ICT-1-M1", BASE), item("ICT-1-M2", base_m2, mine_edit))
    theirs = copy(item("ICT-1-M1", BASE, theirs_edit), item("ICT-1-M2", base_m2))
    result = merge_assessment(mine, theirs)
    outcomes = {i.key: i.outcome for i in result.items}
    assert outcomes == {"ICT-1-M1": Outcome.TAKEN, "ICT-1-M2": Outcome.KEPT}
    merged, _settled = result.resolve()
    assert merged.items[(KIND_JUDGEMENT, "ICT-1-M1")].head == theirs_edit
    assert merged.items[(KIND_JUDGEMENT, "ICT-1-M2")].head == mine_edit


def test_both_changed_differently_is_one_conflict_with_its_base() -> None:
    mine = copy(item("ICT-1-M1", BASE, judgement("ICT-1-M1", "partly_met", "Pat", 5, 2)))
    theirs = copy(item("ICT-1-M1", BASE, judgement("ICT-1-M1", "not_met", "Sam", 7, 2)))
    result = merge_assessment(mine, theirs)
    (conflict,) = result.conflicts
    assert conflict.base == BASE
    assert conflict.mine.author == "Pat" and conflict.theirs.author == "Sam"
    with pytest.raises(UnresolvedConflictError):
        result.resolve()
    merged, _ = result.resolve({(KIND_JUDGEMENT, "ICT-1-M1"): Side.THEIRS})
    head = merged.items[(KIND_JUDGEMENT, "ICT-1-M1")].head
    assert head.content == conflict.theirs.content and head.revision == 3
    # Both histories are kept under the resolution.
    assert set(mine.items[(KIND_JUDGEMENT, "ICT-1-M1")].entries) <= set(
        merged.items[(KIND_JUDGEMENT, "ICT-1-M1")].entries
    )


def test_the_same_change_on_both_sides_is_joined_not_a_conflict() -> None:
    mine = copy(item("ICT-1-M1", BASE, judgement("ICT-1-M1", "not_met", "Pat", 5, 2)))
    theirs = copy(item("ICT-1-M1", BASE, judgement("ICT-1-M1", "not_met", "Sam", 7, 2)))
    result = merge_assessment(mine, theirs)
    assert [i.outcome for i in result.items] == [Outcome.JOINED] and not result.conflicts


def test_removal_against_an_edit_is_a_conflict() -> None:
    added = Entry.of(1, "Pat", T0, {"ref": "ICT-1-M1", "title": "Strategy", "location": ""})
    removed = Entry.of(2, "Pat", T0 + timedelta(minutes=3), None)
    edited = Entry.of(2, "Sam", T0 + timedelta(minutes=4), {"ref": "ICT-1-M1", "title": "Strategy v2", "location": ""})
    mine = copy(ItemHistory.build(KIND_EVIDENCE, "e1", "e1", 0, [added, removed]))
    theirs = copy(ItemHistory.build(KIND_EVIDENCE, "e1", "e1", 0, [added, edited]))
    (conflict,) = merge_assessment(mine, theirs).conflicts
    assert conflict.mine.removed and not conflict.theirs.removed


def test_a_criterion_answered_on_both_sides_meets_on_one_item_whatever_its_uids() -> None:
    mine = copy(item("ICT-2-P1", judgement("ICT-2-P1", "met", "Pat", 1), uid="mine-uid"))
    theirs = copy(item("ICT-2-P1", judgement("ICT-2-P1", "not_met", "Sam", 2), uid="their-uid"))
    result = merge_assessment(mine, theirs)
    (conflict,) = result.conflicts
    assert conflict.base is None
    merged, _ = result.resolve(prefer=Side.THEIRS)
    assert merged.items[(KIND_JUDGEMENT, "ICT-2-P1")].uid == "mine-uid"


def test_merging_the_same_copy_twice_changes_nothing() -> None:
    mine = copy(item("ICT-1-M1", BASE, judgement("ICT-1-M1", "partly_met", "Pat", 5, 2)))
    theirs = copy(item("ICT-1-M1", BASE, judgement("ICT-1-M1", "not_met", "Sam", 7, 2)))
    once, _ = merge_assessment(mine, theirs).resolve(prefer=Side.MINE)
    again = merge_assessment(once, theirs)
    assert all(i.outcome is Outcome.KEPT for i in again.items)
    assert again.resolve()[0] == once


# -- properties -------------------------------------------------------------------------------

REFS = [f"ICT-1-M{n}" for n in range(1, 7)]
VALUES = ["met", "partly_met", "not_met", "not_applicable"]


def base_copy() -> AssessmentHistory:
    items = [item(ref, judgement(ref, "not_yet_assessed", "Pat", 0)) for ref in REFS[:4]]
    items.append(ItemHistory.build(KIND_EVIDENCE, "ev-0", "ev-0", 0, [
        Entry.of(1, "Pat", T0, {"ref": REFS[0], "title": "Strategy", "location": ""})
    ]))  # fmt: skip
    return copy(*items)


Edit = tuple[str, int, int]  # (item key, value index or -1 to remove evidence, minutes)


def apply_edits(start: AssessmentHistory, author: str, edits: list[Edit]) -> AssessmentHistory:
    """A copy edited by ``author``: each edit appends one revision (new items start at revision 1)."""
    items = dict(start.items)
    for step, (key, value, minutes) in enumerate(edits):
        moment = T0 + timedelta(minutes=minutes, seconds=step)
        if key.startswith("ev"):
            current = items.get((KIND_EVIDENCE, key))
            revision = current.head.revision + 1 if current else 1
            content = None if value < 0 and current else {"ref": REFS[0], "title": f"Doc {value}", "location": author}
            entries = (*(current.entries if current else ()), Entry.of(revision, author, moment, content))
            items[(KIND_EVIDENCE, key)] = ItemHistory.build(KIND_EVIDENCE, key, key, 0, entries)
        else:
            current = items.get((KIND_JUDGEMENT, key))
            revision = current.head.revision + 1 if current else 1
            entry = judgement(key, VALUES[abs(value) % 4], author, minutes, revision, notes=f"{author} {value}")
            uid = current.uid if current else f"{author}-{key}"
            items[(KIND_JUDGEMENT, key)] = ItemHistory.build(
                KIND_JUDGEMENT, key, uid, 0, (*(current.entries if current else ()), entry)
            )
    return AssessmentHistory.of(start.uid, items.values())


KEYS = [*REFS, "ev-0", "ev-1", "ev-2"]
edit_lists = st.lists(
    st.tuples(st.sampled_from(KEYS), st.integers(min_value=-1, max_value=7), st.integers(min_value=0, max_value=600)),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(mine_edits=edit_lists, their_edits=edit_lists, prefer=st.sampled_from(list(Side)))
def test_merging_the_same_copy_twice_changes_nothing_property(
    mine_edits: list[Edit], their_edits: list[Edit], prefer: Side
) -> None:
    base = base_copy()
    mine, theirs = apply_edits(base, "Pat", mine_edits), apply_edits(base, "Sam", their_edits)
    once, _ = merge_assessment(mine, theirs).resolve(prefer=prefer)
    twice = merge_assessment(once, theirs)
    assert not twice.conflicts and all(i.outcome is Outcome.KEPT for i in twice.items)
    assert twice.resolve()[0] == once
    # Mine was never lost: everything mine held is in the result's histories.
    for key, history in mine.items.items():
        assert set(history.entries) <= set(once.items[key].entries)


@settings(max_examples=100, deadline=None)
@given(edits=st.lists(edit_lists, min_size=2, max_size=4))
def test_non_conflicting_copies_merge_to_the_same_result_in_any_order(edits: list[list[Edit]]) -> None:
    # Each copy edits only items no other copy touches (so none of them conflict).
    owner: dict[str, int] = {}
    for index, edit_list in enumerate(edits):
        for key, _value, _minutes in edit_list:
            owner.setdefault(key, index)
    base = base_copy()
    copies = [
        apply_edits(base, f"Person {index}", [e for e in edit_list if owner[e[0]] == index])
        for index, edit_list in enumerate(edits)
    ]
    results = []
    for order in itertools.permutations(range(len(copies))):
        merged = base
        for index in order:
            result = merge_assessment(merged, copies[index])
            assert not result.conflicts
            merged, _ = result.resolve()
        results.append(merged)
    assert all(result == results[0] for result in results)
    for index, changed in enumerate(copies):
        for item_key, history in changed.items.items():
            if owner.get(item_key[1]) == index:
                assert results[0].items[item_key].head == history.head  # every edit is kept


@settings(max_examples=100, deadline=None)
@given(mine_edits=edit_lists, their_edits=edit_lists, prefer=st.sampled_from(list(Side)))
def test_two_people_who_resolve_alike_end_with_the_same_copy(
    mine_edits: list[Edit], their_edits: list[Edit], prefer: Side
) -> None:
    base = base_copy()
    pat, sam = apply_edits(base, "Pat", mine_edits), apply_edits(base, "Sam", their_edits)
    other = Side.THEIRS if prefer is Side.MINE else Side.MINE
    at_pat, _ = merge_assessment(pat, sam).resolve(prefer=prefer)
    at_sam, _ = merge_assessment(sam, pat).resolve(prefer=other)
    # The same content and history everywhere; only the local uid of a criterion answered on both sides differs.
    assert {k: (h.entries, h.position) for k, h in at_pat.items.items()} == {
        k: (h.entries, h.position) for k, h in at_sam.items.items()
    }
