"""WorkbookService on a real SQLite store: every call commits, and returns what undo needs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from helpers.stores import new_catalogue_store

from nesds_desktop.domain.assessments import (
    Action,
    ActionPriority,
    ActionState,
    AssessmentState,
    EvidenceReference,
    Round,
    total_savings,
)
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import AssessmentDetails, AssessmentSummary, AuthorityRecord, CriterionAnswer
from nesds_desktop.services.workbook_service import AssessmentFilter, NotFoundError, WorkbookError, WorkbookService
from nesds_desktop.storage import assessment_repository as repo
from nesds_desktop.storage.store import open_store

AUTHOR = "Helen Whitfield"
RELEASE = "nesds-2006.1"
ROUND = Round(2006)


@pytest.fixture
def service(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    store = new_catalogue_store(data_dir, tmp_path_factory)
    yield WorkbookService(store, AUTHOR)
    store.close()


def _council(
    service: WorkbookService, name: str = "Thornbridge District Council", gss: str | None = "E07900101"
) -> AuthorityRecord:
    return service.add_authority(Authority(name, AuthorityType.DISTRICT, Region.SOUTH_WEST, gss))


def _assessment(
    service: WorkbookService, authority: AuthorityRecord, code: str = "ICT", round_: Round = ROUND
) -> AssessmentSummary:
    return service.create_assessment(
        AssessmentDetails(
            authority_id=authority.id,
            release_id=RELEASE,
            standard_code=code,
            round=round_,
            facilitator="Helen Whitfield",
            participants="Head of ICT; Web Manager",
            workshop_start=date(2006, 10, 12),
        )
    )


def _ict(service: WorkbookService) -> Standard:
    return service.standard(RELEASE, "ICT")


def _history(service: WorkbookService, assessment_id: int) -> list[tuple[str, str, int, str, object]]:
    with service.store.session() as session:
        return [
            (row.item_kind, row.item_uid, row.revision, row.author, row.content)
            for row in repo.history(session, assessment_id)
        ]


def _cached(service: WorkbookService, assessment_id: int) -> AssessmentSummary:
    (summary,) = [s for s in service.list_assessments() if s.id == assessment_id]
    return summary


def _assert_cached_level_follows_the_rule(service: WorkbookService, assessment_id: int) -> None:
    snapshot = service.open(assessment_id)
    result = assess_standard(snapshot.standard, snapshot.judgements())
    summary = _cached(service, assessment_id)
    assert summary.level_label == result.level_label == service.result(assessment_id).level_label
    criteria = list(snapshot.standard.criteria())
    assert summary.total == len(criteria)
    assert summary.answered == sum(1 for c in criteria if snapshot.answer(c.ref).judgement.is_assessed)


# -- authorities ------------------------------------------------------------------------------


def test_authorities_are_kept_and_listed_by_name(service: WorkbookService) -> None:
    b = _council(service, "Walcombe Borough Council", "E07900102")
    a = service.add_authority(Authority("London Borough of Elmworth", AuthorityType.LONDON_BOROUGH, Region.LONDON,
                                        "e09 900001"))  # fmt: skip
    listed = service.list_authorities()
    assert [r.name for r in listed] == ["London Borough of Elmworth", "Walcombe Borough Council"]
    assert listed[0] == a and listed[1] == b
    assert a.authority.gss_code == "E09900001"  # normalised before it is stored
    assert a.uid != b.uid and len(a.uid) == 36


def test_a_second_authority_with_the_same_gss_code_is_refused_and_not_stored(service: WorkbookService) -> None:
    first = _council(service)
    with pytest.raises(WorkbookError, match="E07900101 is already in the register"):
        service.add_authority(Authority("Another Name", AuthorityType.DISTRICT, Region.NORTH_WEST, "E07900101"))
    assert service.list_authorities() == [first]


def test_authorities_without_gss_codes_may_be_several(service: WorkbookService) -> None:
    _council(service, "Old Borough Council", None)
    _council(service, "Older Borough Council", None)
    assert len(service.list_authorities()) == 2


def test_updating_an_authority_cannot_take_another_ones_gss_code(service: WorkbookService) -> None:
    first = _council(service, "First District Council", "E07900111")
    second = _council(service, "Second District Council", "E07900112")
    with pytest.raises(WorkbookError, match="already belongs to First District Council"):
        service.update_authority(second.id, Authority(second.name, AuthorityType.DISTRICT, Region.SOUTH_WEST,
                                                      "E07900111"))  # fmt: skip
    renamed = service.update_authority(
        second.id, Authority("Second Borough Council", AuthorityType.DISTRICT, Region.SOUTH_WEST, "E07900112")
    )
    assert renamed.id == second.id and renamed.name == "Second Borough Council"
    assert {r.name for r in service.list_authorities()} == {first.name, "Second Borough Council"}


# -- assessments ------------------------------------------------------------------------------


def test_a_new_assessment_has_no_answers_and_no_level(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    assert summary.standard_code == "ICT" and summary.standard_title == "Information and Communications Technology"
    assert summary.round == ROUND and summary.state is AssessmentState.DRAFT
    assert summary.level_label == "No level" and summary.answered == 0
    assert summary.total == sum(1 for _ in _ict(service).criteria()) == 58
    snapshot = service.open(summary.id)
    assert snapshot.answers == {} and snapshot.evidence == () and snapshot.actions == ()
    assert snapshot.answer("ICT-1-M1").judgement is Judgement.NOT_YET_ASSESSED


def test_an_assessment_needs_a_known_standard_and_authority(service: WorkbookService) -> None:
    council = _council(service)
    with pytest.raises(WorkbookError, match="has no standard XYZ"):
        _assessment(service, council, code="XYZ")
    with pytest.raises(NotFoundError):
        service.create_assessment(AssessmentDetails(9999, RELEASE, "ICT", ROUND))
    assert service.list_assessments() == []


def test_every_call_is_committed_before_it_returns(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    service.set_judgement(summary.id, "ICT-1-M1", Judgement.MET)
    service.set_notes(summary.id, "ICT-1-M1", "Strategy approved by Cabinet, March 2006.")
    # A second, independent connection sees the edits at once: nothing waits in a session.
    connection = sqlite3.connect(service.store.path)
    try:
        rows = connection.execute(
            "SELECT criterion_ref, value, notes, changed_by FROM judgement WHERE assessment_pk = ?", (summary.id,)
        ).fetchall()
    finally:
        connection.close()
    assert rows == [("ICT-1-M1", "met", "Strategy approved by Cabinet, March 2006.", AUTHOR)]


def test_list_assessments_filters_by_authority_standard_round_state_and_text(service: WorkbookService) -> None:
    north = _council(service, "Northfold District Council", "E07900121")
    south = _council(service, "Southmere District Council", "E07900122")
    ids = {
        ("north", "ICT", 2006): _assessment(service, north, "ICT").id,
        ("north", "CS", 2006): _assessment(service, north, "CS").id,
        ("north", "ICT", 2007): _assessment(service, north, "ICT", Round(2007)).id,
        ("south", "ICT", 2006): _assessment(service, south, "ICT").id,
    }
    agreed = service.get_assessment(ids[("south", "ICT", 2006)])
    service.update_details(
        agreed.id,
        AssessmentDetails(south.id, RELEASE, "ICT", ROUND, state=AssessmentState.AGREED),
    )

    def found(where: AssessmentFilter) -> set[int]:
        return {s.id for s in service.list_assessments(where)}

    assert found(AssessmentFilter()) == set(ids.values())
    assert found(AssessmentFilter(authority_id=north.id)) == {v for k, v in ids.items() if k[0] == "north"}
    assert found(AssessmentFilter(standard_code="CS")) == {ids[("north", "CS", 2006)]}
    assert found(AssessmentFilter(round_label="2007/08")) == {ids[("north", "ICT", 2007)]}
    assert found(AssessmentFilter(state=AssessmentState.AGREED)) == {ids[("south", "ICT", 2006)]}
    assert found(AssessmentFilter(text="mere")) == {ids[("south", "ICT", 2006)]}
    # Ordered by authority, newest round first, then standard.
    assert [s.id for s in service.list_assessments()] == [
        ids[("north", "ICT", 2007)],
        ids[("north", "CS", 2006)],
        ids[("north", "ICT", 2006)],
        ids[("south", "ICT", 2006)],
    ]


def test_update_details_puts_reversed_workshop_dates_in_order(service: WorkbookService) -> None:
    council = _council(service)
    summary = _assessment(service, council)
    updated = service.update_details(
        summary.id,
        AssessmentDetails(
            council.id, RELEASE, "ICT", ROUND, facilitator="  Gareth Lloyd ", participants="Head of ICT",
            workshop_start=date(2006, 11, 2), workshop_end=date(2006, 10, 26), state=AssessmentState.SUBMITTED,
        ),
    )  # fmt: skip
    assert (updated.workshop_start, updated.workshop_end) == (date(2006, 10, 26), date(2006, 11, 2))
    assert updated.facilitator == "Gareth Lloyd" and updated.state is AssessmentState.SUBMITTED


def test_deleting_an_assessment_removes_its_items_and_history(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    service.set_judgement(summary.id, "ICT-1-M1", Judgement.MET)
    service.add_evidence(summary.id, "ICT-1-M1", EvidenceReference("ICT strategy 2006-09"))
    service.add_action(summary.id, Action("Refresh the ICT strategy"))
    service.delete_assessment(summary.id)
    assert service.list_assessments() == []
    connection = sqlite3.connect(service.store.path)
    try:
        for table in ("judgement", "evidence_reference", "assessment_action", "change_log"):
            assert connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
    finally:
        connection.close()


# -- judgements and notes ---------------------------------------------------------------------


def test_set_judgement_returns_before_and_after_and_refreshes_the_cached_level(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    before, after = service.set_judgement(summary.id, "ICT-1-M1", Judgement.MET)
    assert before == CriterionAnswer("ICT-1-M1")
    assert (after.ref, after.judgement, after.changed_by) == ("ICT-1-M1", Judgement.MET, AUTHOR)
    assert after.changed_at is not None
    assert service.answer(summary.id, "ICT-1-M1") == after
    assert _cached(service, summary.id).answered == 1
    _assert_cached_level_follows_the_rule(service, summary.id)

    before, after = service.set_judgement(summary.id, "ICT-1-M1", Judgement.PARTLY_MET)
    assert before.judgement is Judgement.MET and after.judgement is Judgement.PARTLY_MET


def test_meeting_every_minimum_criterion_gives_minimum_then_one_partly_met_takes_it_away(
    service: WorkbookService,
) -> None:
    summary = _assessment(service, _council(service))
    ict = _ict(service)
    minimum = [c.ref for c in ict.criteria() if c.level is Level.MINIMUM]
    for ref in minimum:
        service.set_judgement(summary.id, ref, Judgement.MET)
    assert _cached(service, summary.id).level_label == "Minimum"
    assert _cached(service, summary.id).answered == len(minimum)
    _assert_cached_level_follows_the_rule(service, summary.id)

    service.set_judgement(summary.id, minimum[-1], Judgement.PARTLY_MET)
    assert _cached(service, summary.id).level_label == "No level"
    assert minimum[-1] in service.result(summary.id).explanation
    _assert_cached_level_follows_the_rule(service, summary.id)


def test_a_criterion_of_another_standard_is_refused(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    with pytest.raises(WorkbookError, match="CS-1-M1 is not a criterion"):
        service.set_judgement(summary.id, "CS-1-M1", Judgement.MET)
    with pytest.raises(WorkbookError):
        service.set_notes(summary.id, "ICT-99-M1", "no such criterion")
    assert service.open(summary.id).answers == {}
    assert _history(service, summary.id) == []


def test_set_notes_keeps_the_judgement_and_unchanged_notes_write_nothing(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    service.set_judgement(summary.id, "ICT-2-M1", Judgement.NOT_MET)
    before, after = service.set_notes(summary.id, "ICT-2-M1", "No tested disaster recovery plan.")
    assert before.notes == "" and after.notes == "No tested disaster recovery plan."
    assert after.judgement is Judgement.NOT_MET
    rows = len(_history(service, summary.id))
    same_before, same_after = service.set_notes(summary.id, "ICT-2-M1", "No tested disaster recovery plan.")
    assert same_before == same_after == service.answer(summary.id, "ICT-2-M1")
    assert len(_history(service, summary.id)) == rows


def test_restore_answer_undoes_a_judgement_and_notes_exactly(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    service.set_judgement(summary.id, "ICT-1-M2", Judgement.PARTLY_MET)
    _, with_notes = service.set_notes(summary.id, "ICT-1-M2", "Draft only.")
    level_then = _cached(service, summary.id).level_label

    before, _ = service.set_judgement(summary.id, "ICT-1-M2", Judgement.MET)
    service.restore_answer(summary.id, before)
    restored = service.answer(summary.id, "ICT-1-M2")
    assert (restored.judgement, restored.notes, restored.to_confirm) == (Judgement.PARTLY_MET, "Draft only.", False)
    assert _cached(service, summary.id).level_label == level_then

    # Undo all the way back to "never answered".
    service.restore_answer(summary.id, CriterionAnswer("ICT-1-M2"))
    blank = service.answer(summary.id, "ICT-1-M2")
    assert (blank.judgement, blank.notes) == (Judgement.NOT_YET_ASSESSED, "")
    assert _cached(service, summary.id).answered == 0
    _assert_cached_level_follows_the_rule(service, summary.id)
    assert with_notes.notes == "Draft only."


def test_listeners_hear_each_committed_change_and_not_refused_ones(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    heard: list[int] = []
    service.listeners.append(heard.append)
    service.set_judgement(summary.id, "ICT-1-M1", Judgement.MET)
    service.set_notes(summary.id, "ICT-1-M1", "Seen.")
    item = service.add_evidence(summary.id, "ICT-1-M1", EvidenceReference("ICT strategy"))
    service.remove_evidence(summary.id, item.id)
    with pytest.raises(WorkbookError):
        service.set_judgement(summary.id, "NOPE-1-M1", Judgement.MET)
    assert heard == [summary.id] * 4


# -- duplicating into a new round -------------------------------------------------------------


def test_duplicate_into_round_carries_answers_to_confirm_evidence_and_open_actions(service: WorkbookService) -> None:
    source = _assessment(service, _council(service))
    service.set_judgement(source.id, "ICT-1-M1", Judgement.MET)
    service.set_notes(source.id, "ICT-1-M1", "Strategy approved March 2006.")
    service.set_judgement(source.id, "ICT-1-M2", Judgement.NOT_MET)
    service.set_notes(source.id, "ICT-1-M3", "Notes only, not yet judged.")
    service.add_evidence(source.id, "ICT-1-M1", EvidenceReference("ICT strategy 2006-09", "\\\\fs01\\ict\\strategy"))
    service.add_evidence(source.id, "ICT-1-M1", EvidenceReference("Cabinet minutes", "7 March 2006, item 9"))
    open_action = Action("Test the disaster recovery plan", "ICT-1-M2", "Head of ICT", date(2007, 3, 31),
                         ActionPriority.HIGH, ActionState.IN_PROGRESS, Decimal("1500.00"))  # fmt: skip
    service.add_action(source.id, open_action)
    service.add_action(source.id, Action("Old action", state=ActionState.COMPLETED))
    service.add_action(source.id, Action("Dropped action", state=ActionState.CANCELLED))

    copy = service.duplicate_into_round(source.id, Round(2007))
    assert copy.id != source.id and copy.round == Round(2007) and copy.state is AssessmentState.DRAFT
    assert (copy.authority.id, copy.standard_code, copy.facilitator) == (source.authority.id, "ICT", source.facilitator)
    snapshot = service.open(copy.id)
    met = snapshot.answer("ICT-1-M1")
    assert (met.judgement, met.notes, met.to_confirm) == (Judgement.MET, "Strategy approved March 2006.", True)
    assert snapshot.answer("ICT-1-M2").to_confirm and snapshot.answer("ICT-1-M2").judgement is Judgement.NOT_MET
    notes_only = snapshot.answer("ICT-1-M3")
    assert (notes_only.judgement, notes_only.notes, notes_only.to_confirm) == (
        Judgement.NOT_YET_ASSESSED, "Notes only, not yet judged.", False
    )  # fmt: skip
    assert [e.reference for e in snapshot.evidence_for("ICT-1-M1")] == [
        EvidenceReference("ICT strategy 2006-09", "\\\\fs01\\ict\\strategy"),
        EvidenceReference("Cabinet minutes", "7 March 2006, item 9"),
    ]
    assert [a.action for a in snapshot.actions] == [open_action]
    assert copy.answered == 2
    _assert_cached_level_follows_the_rule(service, copy.id)

    # Judging a carried criterion confirms it; the source is untouched.
    _, confirmed = service.set_judgement(copy.id, "ICT-1-M1", Judgement.MET)
    assert not confirmed.to_confirm
    assert not service.answer(source.id, "ICT-1-M1").to_confirm
    assert len(service.open(source.id).actions) == 3


def test_duplicating_into_the_same_round_is_refused(service: WorkbookService) -> None:
    source = _assessment(service, _council(service))
    with pytest.raises(WorkbookError, match="already in round 2006/07"):
        service.duplicate_into_round(source.id, ROUND)
    assert len(service.list_assessments()) == 1


def test_restoring_a_carried_answer_keeps_it_to_confirm(service: WorkbookService) -> None:
    source = _assessment(service, _council(service))
    service.set_judgement(source.id, "ICT-1-M1", Judgement.PARTLY_MET)
    copy = service.duplicate_into_round(source.id, Round(2007))
    before, after = service.set_judgement(copy.id, "ICT-1-M1", Judgement.MET)
    assert before.to_confirm and not after.to_confirm
    service.restore_answer(copy.id, before)
    undone = service.answer(copy.id, "ICT-1-M1")
    assert (undone.judgement, undone.to_confirm) == (Judgement.PARTLY_MET, True)


# -- evidence references and actions ----------------------------------------------------------


def test_evidence_add_update_remove_and_put_back(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    first = service.add_evidence(summary.id, "ICT-3-M1", EvidenceReference(" Information security policy ", " "))
    second = service.add_evidence(summary.id, "ICT-3-M1", EvidenceReference("Signed acceptance forms", "HR file"))
    assert first.reference == EvidenceReference("Information security policy", "")
    updated = service.update_evidence(summary.id, first.id, EvidenceReference("Security policy v3", "intranet"))
    assert updated.id == first.id and updated.uid == first.uid
    removed = service.remove_evidence(summary.id, second.id)
    assert removed == second
    assert [e.reference.title for e in service.open(summary.id).evidence] == ["Security policy v3"]
    # What undo does: add the removed reference back.
    service.add_evidence(summary.id, removed.criterion_ref, removed.reference)
    assert [e.reference.title for e in service.open(summary.id).evidence_for("ICT-3-M1")] == [
        "Security policy v3",
        "Signed acceptance forms",
    ]
    with pytest.raises(NotFoundError):
        service.update_evidence(summary.id, 987654, EvidenceReference("x"))
    with pytest.raises(WorkbookError):
        service.add_evidence(summary.id, "CS-1-M1", EvidenceReference("wrong standard"))


def test_actions_add_update_remove_and_put_back_in_place_with_totals(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    a = service.add_action(summary.id, Action("Write a records management policy", "ICT-3-P1", "Head of ICT",
                                              saving_cashable=Decimal("2500.00")))  # fmt: skip
    b = service.add_action(summary.id, Action("Roll out EDRMS", "ICT-3-P2", saving_non_cashable=Decimal("12000")))
    c = service.add_action(summary.id, Action("Cancelled idea", state=ActionState.CANCELLED,
                                              saving_cashable=Decimal("99999.99")))  # fmt: skip
    before, after = service.update_action(
        summary.id, a.id, Action("Write a records management policy", "ICT-3-P1", "Head of ICT",
                                 due=date(2007, 6, 30), state=ActionState.IN_PROGRESS,
                                 saving_cashable=Decimal("3000.50"))
    )  # fmt: skip
    assert before == a and after.id == a.id and after.action.saving_cashable == Decimal("3000.50")

    removed, position = service.remove_action(summary.id, b.id)
    assert (removed, position) == (b, 1)
    assert [x.id for x in service.open(summary.id).actions] == [a.id, c.id]
    service.add_action(summary.id, removed.action, position=position)
    actions = service.open(summary.id).actions
    assert [x.action.description for x in actions] == [
        "Write a records management policy",
        "Roll out EDRMS",
        "Cancelled idea",
    ]
    totals = total_savings(x.action for x in actions)
    assert (totals.cashable, totals.non_cashable, totals.actions) == (Decimal("3000.50"), Decimal("12000.00"), 2)
    with pytest.raises(NotFoundError):
        service.update_action(summary.id, 987654, Action("missing"))
    with pytest.raises(WorkbookError):
        service.add_action(summary.id, Action("wrong standard", "CS-1-M1"))


# -- history ----------------------------------------------------------------------------------


def test_every_edit_appends_its_new_state_to_the_change_log(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    service.set_judgement(summary.id, "ICT-1-M1", Judgement.MET)
    service.set_notes(summary.id, "ICT-1-M1", "Seen.")
    service.set_judgement(summary.id, "ICT-1-M1", Judgement.PARTLY_MET)
    evidence = service.add_evidence(summary.id, "ICT-1-M1", EvidenceReference("Strategy", "intranet"))
    service.update_evidence(summary.id, evidence.id, EvidenceReference("Strategy 2006", "intranet"))
    service.remove_evidence(summary.id, evidence.id)
    action = service.add_action(summary.id, Action("Agree the strategy", "ICT-1-M1", "Head of ICT"))
    service.update_action(summary.id, action.id, Action("Agree the strategy", "ICT-1-M1", "Chief Executive"))
    service.remove_action(summary.id, action.id)

    rows = _history(service, summary.id)
    judgement_uid = rows[0][1]
    assert [(kind, revision) for kind, _, revision, _, _ in rows] == [
        ("judgement", 1),
        ("judgement", 2),
        ("judgement", 3),
        ("evidence", 1),
        ("evidence", 2),
        ("evidence", 3),
        ("action", 1),
        ("action", 2),
        ("action", 3),
    ]
    assert {author for _, _, _, author, _ in rows} == {AUTHOR}
    assert [uid for _, uid, _, _, _ in rows[:3]] == [judgement_uid] * 3
    assert rows[2][4] == {"ref": "ICT-1-M1", "judgement": "partly_met", "notes": "Seen.", "to_confirm": False}
    assert rows[4][4] == {"ref": "ICT-1-M1", "title": "Strategy 2006", "location": "intranet"}
    assert rows[5][4] is None and rows[8][4] is None  # deletions
    content = rows[7][4]
    assert isinstance(content, dict) and content["owner"] == "Chief Executive"


def test_a_reopened_store_holds_everything_written(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    service.set_judgement(summary.id, "ICT-1-M1", Judgement.MET)
    service.add_action(summary.id, Action("Agree the strategy", "ICT-1-M1"))
    expected = service.open(summary.id)
    service.store.close()
    reopened = open_store(service.store.path.parent)
    try:
        again = WorkbookService(reopened, AUTHOR).open(summary.id)
    finally:
        reopened.close()
    assert again.answers == expected.answers and again.actions == expected.actions
    assert again.summary.level_label == expected.summary.level_label


def test_restoring_removed_items_keeps_their_identity_and_place(service: WorkbookService) -> None:
    summary = _assessment(service, _council(service))
    first = service.add_evidence(summary.id, "ICT-1-M1", EvidenceReference("ICT strategy 2006-09", "intranet"))
    service.add_evidence(summary.id, "ICT-1-M1", EvidenceReference("Cabinet minute 14/06"))
    actions = [service.add_action(summary.id, Action(f"Step {n}", "ICT-1-M1")) for n in range(3)]

    removed = service.remove_evidence(summary.id, first.id)
    restored = service.restore_evidence(summary.id, removed, position=0)
    assert restored.uid == first.uid and restored.reference == first.reference
    assert next(e.uid for e in service.open(summary.id).evidence) == first.uid

    middle, position = service.remove_action(summary.id, actions[1].id)
    back = service.restore_action(summary.id, middle, position)
    assert back.uid == actions[1].uid
    assert [a.uid for a in service.open(summary.id).actions] == [a.uid for a in actions]

    # The history reads as one item removed and put back, with rising revisions.
    revisions = [
        (rev, content is None) for _, uid, rev, _, content in _history(service, summary.id) if uid == first.uid
    ]
    assert revisions == [(1, False), (2, True), (3, False)]
