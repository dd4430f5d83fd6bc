"""The comparison service over real stores: the hand-checked case, and demo data at a small size."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from comparison_support import ALDER, AS_OF, CODE, EARLIER_ROUND, RELEASE_ID, ROUND, store_case
from helpers.stores import new_catalogue_store

from nesds_desktop.domain.authorities import AuthorityType, Region
from nesds_desktop.domain.comparison import levels_only
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.services.comparison_service import ComparisonError, ComparisonService, PeerFilter
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService
from nesds_desktop.storage.store import Store


@pytest.fixture
def case_store(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = new_catalogue_store(tmp_path / "case", tmp_path_factory)
    store_case(store)
    yield store
    store.close()


def test_the_hand_checked_case_through_the_store(case_store: Store) -> None:
    service = ComparisonService(case_store)
    alder = next(a for a in service.authorities() if a.name == ALDER.name)
    result = service.peer_comparison(CODE, ROUND, alder.id)
    assert result.subject_overall == "No level"
    assert result.overall.counts == {"No level": 1, "Minimum": 0, "Progressing": 1, "Excellent": 2}
    assert [s.distribution.counts for s in result.sections] == [
        {"No level": 1, "Minimum": 0, "Progressing": 1, "Excellent": 2},
        {"No level": 0, "Minimum": 1, "Progressing": 0, "Excellent": 2},
    ]
    assert [(g.criterion.ref, g.peers_meeting, g.peers_applicable) for g in result.gaps] == [
        ("T-2-M1", 3, 3), ("T-1-P1", 3, 4), ("T-2-P1", 2, 3),
    ]  # fmt: skip
    assert f"against catalogue release {RELEASE_ID}" in result.notes[0]


def test_peer_filters_narrow_the_peers_but_keep_the_subject(case_store: Store) -> None:
    service = ComparisonService(case_store)
    alder = next(a for a in service.authorities() if a.name == ALDER.name)
    districts = service.peer_comparison(CODE, ROUND, alder.id, PeerFilter(authority_type=AuthorityType.DISTRICT))
    assert [row.label for row in districts.peers] == ["Bramwick", "Dalby Fen"]
    assert districts.subject_overall == "No level"
    north_west = service.peer_comparison(CODE, ROUND, alder.id, PeerFilter(region=Region.NORTH_WEST))
    # Alder is in the South East: compared with North West peers, but still shown.
    assert [row.label for row in north_west.peers] == ["Dalby Fen", "Elmhurst"]
    assert north_west.subject_sections == {1: "Minimum", 2: "No level"}
    assert "Peers: District councils that assessed" in districts.notes[0]


def test_progress_and_portfolio_through_the_store(case_store: Store) -> None:
    service = ComparisonService(case_store)
    alder = next(a for a in service.authorities() if a.name == ALDER.name)
    progress = service.progress(alder.id, CODE, AS_OF)
    assert [r.round_label for r in progress.rounds] == [EARLIER_ROUND, ROUND]
    assert [r.sections for r in progress.rounds] == [{1: "No level", 2: "No level"}, {1: "Minimum", 2: "No level"}]
    (change,) = progress.changes
    assert (change.newly_met, change.newly_lost) == (("T-1-M2",), ("T-1-P1", "T-2-P1"))
    assert (progress.rounds[1].completed, len(progress.rounds[1].overdue)) == (1, 1)

    portfolio = service.portfolio(alder.id, ROUND)
    assert portfolio.authority_name == ALDER.name
    assert [(e.standard_code, e.band, e.answered, e.total) for e in portfolio.entries] == [(CODE, "No level", 7, 7)]
    assert service.rounds() == [ROUND, EARLIER_ROUND]


def test_asking_for_what_is_not_there_says_why(case_store: Store) -> None:
    service = ComparisonService(case_store)
    with pytest.raises(ComparisonError, match="no authority has assessed TST in 2009/10"):
        service.peer_comparison(CODE, "2009/10")
    bramwick = next(a for a in service.authorities() if a.name == "Bramwick")
    with pytest.raises(ComparisonError, match="Bramwick has no assessment of ICT"):
        service.progress(bramwick.id, "ICT")


def test_demo_store_comparison_matches_the_level_rule_and_cached_levels(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = new_catalogue_store(tmp_path / "demo", tmp_path_factory)
    try:
        workbook = WorkbookService(store, "tester")
        fill_demo_store(workbook, 12, 3, seed=8)
        service = ComparisonService(store)
        summaries = workbook.list_assessments(AssessmentFilter(standard_code="ICT", round_label="2006/07"))
        assert len(summaries) == 12
        subject = summaries[0].authority
        result = service.peer_comparison("ICT", "2006/07", subject.id)
        # The overall distribution agrees with the level cached on each peer's assessment row.
        cached: dict[str, int] = {}
        for summary in summaries[1:]:
            cached[summary.level_label] = cached.get(summary.level_label, 0) + 1
        assert {k: v for k, v in result.overall.counts.items() if v} == cached
        assert result.subject_overall == summaries[0].level_label
        # Each section count agrees with the full level rule run on each assessment.
        for section in result.sections:
            expected: dict[str, int] = dict.fromkeys(section.distribution.counts, 0)
            for summary in summaries[1:]:
                label = workbook.result(summary.id).section(section.number).level_label
                if label in expected:
                    expected[label] += 1
            assert section.distribution.counts == expected
        progress = service.progress(subject.id, "ICT", date(2008, 4, 1))
        assert [r.round_label for r in progress.rounds] == ["2005/06", "2006/07", "2007/08"]
        for round_progress, summary in zip(
            progress.rounds,
            sorted(workbook.list_assessments(AssessmentFilter(authority_id=subject.id, standard_code="ICT")),
                   key=lambda s: s.round),
            strict=True,
        ):  # fmt: skip
            snapshot = workbook.open(summary.id)
            assert round_progress.overall == assess_standard(snapshot.standard, snapshot.judgements()).level_label
            assert round_progress.sections == levels_only(snapshot.standard, snapshot.judgements()).sections
        portfolio = service.portfolio(subject.id, "2007/08")
        assert len(portfolio.entries) == 10 and all(e.band is not None for e in portfolio.entries)
        anonymised = service.peer_comparison("ICT", "2006/07", subject.id, anonymise=True)
        assert {row.label for row in anonymised.peers} == {f"Authority {c}" for c in "ABCDEFGHIJK"}
    finally:
        store.close()
