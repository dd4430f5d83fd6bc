"""Demo data: deterministic, valid by the domain's rules, and consistent with the level rule."""

from __future__ import annotations

import itertools
import random
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.stores import new_catalogue_store

from nesds_desktop.domain.assessments import AssessmentState, Round
from nesds_desktop.domain.authorities import AuthorityType, Region, check_gss_code_for_type
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.services.demo_data import (
    FIRST_GSS_SERIAL,
    MAX_AUTHORITIES,
    REAL_COUNCIL_WORDS,
    DemoDataError,
    DemoSummary,
    _plan_authorities,
    fill_demo_store,
)
from nesds_desktop.services.workbook_service import WorkbookService

AUTHORITIES = 9
ROUNDS = 3
SEED = 4242
# Content tables, each with a stable order; ids are included, so insertion order must match too.
CONTENT_QUERIES = {
    "authority": "SELECT * FROM authority ORDER BY id",
    "assessment": "SELECT * FROM assessment ORDER BY id",
    "judgement": "SELECT * FROM judgement ORDER BY id",
    "evidence_reference": "SELECT * FROM evidence_reference ORDER BY id",
    "assessment_action": "SELECT * FROM assessment_action ORDER BY id",
    "change_log": "SELECT * FROM change_log ORDER BY id",
}


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return {table: connection.execute(query).fetchall() for table, query in CONTENT_QUERIES.items()}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[WorkbookService, DemoSummary]]:
    store = new_catalogue_store(tmp_path_factory.mktemp("demo") / "data", tmp_path_factory)
    service = WorkbookService(store, "test")
    summary = fill_demo_store(service, AUTHORITIES, ROUNDS, SEED)
    yield service, summary
    store.close()


def test_the_same_seed_gives_identical_content_and_another_seed_does_not(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    contents = []
    for name, seed in (("one", 7), ("two", 7), ("three", 8)):
        store = new_catalogue_store(tmp_path / name, tmp_path_factory)
        try:
            fill_demo_store(WorkbookService(store, "test"), 4, 2, seed)
        finally:
            store.close()
        contents.append(_content(store.path))
    one, two, three = contents
    assert all(one[table] for table in CONTENT_QUERIES)
    assert one == two  # every row of every table, identities and time stamps included
    assert one["authority"] != three["authority"] and one["judgement"] != three["judgement"]


def test_the_summary_counts_what_was_written(demo: tuple[WorkbookService, DemoSummary]) -> None:
    service, summary = demo
    content = _content(service.store.path)
    assert summary.authorities == len(content["authority"]) == AUTHORITIES
    assert summary.assessments == len(content["assessment"]) == AUTHORITIES * 10 * ROUNDS
    assert summary.judgements == len(content["judgement"])
    assert summary.evidence == len(content["evidence_reference"]) > 0
    assert summary.actions == len(content["assessment_action"]) > 0
    # One history row per item, as one edit through the service would leave it.
    assert len(content["change_log"]) == summary.judgements + summary.evidence + summary.actions
    assert summary.rounds == (Round(2005), Round(2006), Round(2007))
    assert summary.rounds_text == "2005/06 to 2007/08"


def test_authorities_cover_every_type_with_valid_unique_codes_and_regions(
    demo: tuple[WorkbookService, DemoSummary],
) -> None:
    service, _ = demo
    records = service.list_authorities()  # each row is rebuilt through Authority, which validates it
    authorities = [r.authority for r in records]
    assert {a.type for a in authorities} == set(AuthorityType)
    codes = [a.gss_code for a in authorities]
    assert len(set(codes)) == len(codes)
    assert len({a.name for a in authorities}) == len(authorities)
    for authority in authorities:
        assert authority.gss_code is not None
        assert check_gss_code_for_type(authority.gss_code, authority.type) == authority.gss_code
        assert int(authority.gss_code[3:]) >= FIRST_GSS_SERIAL  # outside the range issued to councils
        assert authority.region.country is authority.type.country
        assert (authority.region is Region.LONDON) == (authority.type is AuthorityType.LONDON_BOROUGH)
        if authority.type is AuthorityType.METROPOLITAN_BOROUGH:
            assert authority.region in {
                Region.NORTH_EAST,
                Region.NORTH_WEST,
                Region.YORKSHIRE_AND_THE_HUMBER,
                Region.WEST_MIDLANDS,
            }
        words = {word.casefold() for word in authority.name.replace("shire", " ").split()}
        assert not words & REAL_COUNCIL_WORDS, authority.name


def test_every_cached_level_and_count_follows_the_level_rule(demo: tuple[WorkbookService, DemoSummary]) -> None:
    service, _ = demo
    summaries = service.list_assessments()
    assert len(summaries) == AUTHORITIES * 10 * ROUNDS
    seen_levels = set()
    for summary in summaries:
        snapshot = service.open(summary.id)
        result = assess_standard(snapshot.standard, snapshot.judgements())
        criteria = list(snapshot.standard.criteria())
        assert summary.level_label == result.level_label, summary.title
        assert summary.total == len(criteria)
        assert summary.answered == sum(1 for c in criteria if snapshot.answer(c.ref).judgement.is_assessed)
        assert set(snapshot.answers) <= {c.ref for c in criteria}
        assert {e.criterion_ref for e in snapshot.evidence} <= {c.ref for c in criteria}
        seen_levels.add(summary.level_label)
    assert {"No level", "Minimum", "Progressing"} <= seen_levels


def test_each_authority_has_every_standard_in_every_round(demo: tuple[WorkbookService, DemoSummary]) -> None:
    service, _ = demo
    codes = {s.code for s in service.release("nesds-2006.1").standards}
    found: dict[tuple[int, str], set[str]] = defaultdict(set)
    for summary in service.list_assessments():
        found[(summary.authority.id, summary.round.label)].add(summary.standard_code)
    assert len(found) == AUTHORITIES * ROUNDS
    assert all(standards == codes for standards in found.values())


def test_maturity_only_grows_from_round_to_round(demo: tuple[WorkbookService, DemoSummary]) -> None:
    service, _ = demo
    order = {Judgement.NOT_MET: 0, Judgement.PARTLY_MET: 1, Judgement.MET: 2}
    history: dict[tuple[int, str], list[tuple[Round, dict[str, Judgement]]]] = defaultdict(list)
    shares: dict[Round, list[float]] = defaultdict(list)
    for summary in service.list_assessments():
        snapshot = service.open(summary.id)
        fresh = {ref: a.judgement for ref, a in snapshot.answers.items() if not a.to_confirm}
        history[(summary.authority.id, summary.standard_code)].append((summary.round, fresh))
        met = sum(1 for j in fresh.values() if j is Judgement.MET)
        applicable = sum(1 for j in fresh.values() if j.is_applicable)
        shares[summary.round].append(met / applicable)
    for rounds in history.values():
        rounds.sort(key=lambda item: item[0])
        for (_, earlier), (_, later) in itertools.pairwise(rounds):
            for ref, judgement in earlier.items():
                if ref not in later:
                    continue  # not yet reached in a workshop still under way
                if judgement is Judgement.NOT_APPLICABLE:
                    assert later[ref] is Judgement.NOT_APPLICABLE
                else:
                    assert order[later[ref]] >= order[judgement], ref
    averages = [sum(values) / len(values) for _, values in sorted(shares.items())]
    assert averages == sorted(averages) and averages[-1] > averages[0] + 0.1


def test_states_notes_evidence_and_actions_look_like_a_real_programme(
    demo: tuple[WorkbookService, DemoSummary],
) -> None:
    service, _ = demo
    latest = Round(2007)
    notes_by_judgement: dict[Judgement, int] = defaultdict(int)
    to_confirm_seen = False
    for summary in service.list_assessments():
        snapshot = service.open(summary.id)
        if summary.round != latest:
            assert summary.state in {AssessmentState.SUBMITTED, AssessmentState.AGREED}
        carried = [a for a in snapshot.answers.values() if a.to_confirm]
        if carried:
            # Only a workshop under way in the latest round still has answers to confirm.
            assert summary.round == latest and summary.state is AssessmentState.DRAFT
            to_confirm_seen = True
        workshop = summary.workshop_start
        assert workshop is not None and summary.round.first_day <= workshop <= summary.round.last_day
        for answer in snapshot.answers.values():
            assert answer.changed_by and answer.changed_at is not None
            if answer.notes and not answer.to_confirm:
                notes_by_judgement[answer.judgement] += 1
        for item in snapshot.actions:
            action = item.action
            assert action.owner and action.due is not None and action.due > workshop
            assert action.saving_cashable >= 0 and action.saving_non_cashable >= 0
            if action.criterion_ref is not None:
                # Actions are for gaps found in the workshop.
                assert snapshot.answer(action.criterion_ref).judgement in {Judgement.NOT_MET, Judgement.PARTLY_MET}
        for evidence in snapshot.evidence:
            assert evidence.reference.title
            assert snapshot.answer(evidence.criterion_ref).judgement in {Judgement.MET, Judgement.PARTLY_MET}
    assert to_confirm_seen
    assert {Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET} <= set(notes_by_judgement)


def test_adding_demo_data_again_uses_new_names_codes_and_identities(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = new_catalogue_store(tmp_path / "data", tmp_path_factory)
    try:
        service = WorkbookService(store, "test")
        fill_demo_store(service, 8, 1, 1)
        fill_demo_store(service, 8, 1, 1)  # the same seed again: nothing may clash
        authorities = service.list_authorities()
        assert len(authorities) == 16
        assert len({a.name for a in authorities}) == 16
        assert len({a.authority.gss_code for a in authorities}) == 16
        assert len(service.list_assessments()) == 16 * 10
    finally:
        store.close()


def test_progress_is_reported_for_every_authority(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    store = new_catalogue_store(tmp_path / "data", tmp_path_factory)
    calls: list[tuple[int, int]] = []
    try:
        fill_demo_store(
            WorkbookService(store, "test"), 3, 1, 5, progress=lambda done, total: calls.append((done, total))
        )
    finally:
        store.close()
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize(("authorities", "rounds", "message"), [(0, 1, "authorities"), (2, 0, "rounds")])
def test_impossible_requests_are_refused_before_anything_is_written(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, authorities: int, rounds: int, message: str
) -> None:
    store = new_catalogue_store(tmp_path / "data", tmp_path_factory)
    try:
        service = WorkbookService(store, "test")
        with pytest.raises(DemoDataError, match=message):
            fill_demo_store(service, authorities, rounds, 1)
        assert service.list_authorities() == []
    finally:
        store.close()


def test_the_largest_register_allowed_can_be_planned_twice_without_a_clash() -> None:
    first = _plan_authorities(random.Random(3), MAX_AUTHORITIES, taken_names=set(), taken_codes=set())
    assert len({a.name for a in first}) == len({a.gss_code for a in first}) == MAX_AUTHORITIES
    second = _plan_authorities(
        random.Random(3),
        MAX_AUTHORITIES,
        taken_names={a.name.casefold() for a in first},
        taken_codes={a.gss_code for a in first if a.gss_code},
    )
    assert not {a.name for a in first} & {a.name for a in second}
    assert not {a.gss_code for a in first} & {a.gss_code for a in second}
