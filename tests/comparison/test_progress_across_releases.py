"""Progress across catalogue releases, through the shipped crosswalk nesds-2006.1 -> nesds-2007.1.

One authority assesses ICT in 2006/07 on nesds-2006.1 and in 2007/08 on nesds-2007.1, in a
real store holding the bundled catalogue.  The crosswalk renumbers ICT-4-M2 -> ICT-4-M1 and
ICT-4-M3 -> ICT-4-M2 (ICT-4-M1, BVPI 157, is retired), moves ICT-5-P3 -> ICT-7-P4 and
ICT-2-E2 -> ICT-2-P4, retires ICT-6-P3 and adds a new ICT-4-M3.  The answers are chosen
so that matching by reference would report changes that did not happen:

    2006/07 (nesds-2006.1)        2007/08 (nesds-2007.1)     by reference      through the crosswalk
    ICT-4-M1 Met (retired)        --                         --                retired, noted
    ICT-4-M2 Not met              ICT-4-M1 Not met           "lost" ICT-4-M1   no change
    ICT-4-M3 Met                  ICT-4-M2 Met               --                no change
    --                            ICT-4-M3 Not met (added)   "lost" ICT-4-M3   left out (new)
    ICT-5-P3 Met                  ICT-7-P4 Met               "met" ICT-7-P4    no change
    ICT-2-E2 Not met              ICT-2-P4 Met               "met" ICT-2-P4    newly met (truly)
    ICT-6-P3 Not met (retired)    --                         --                retired, noted
    ICT-1-M1 Met                  ICT-1-M1 Not met           lost              newly lost
    ICT-1-M3 Not met              ICT-1-M3 Met               met               newly met

Every other criterion is Not met in both rounds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers.stores import new_catalogue_store

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.crosswalk import crosswalk_path
from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services.comparison_service import ComparisonService
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store

OLD, NEW = "nesds-2006.1", "nesds-2007.1"
MET, NOT_MET = Judgement.MET, Judgement.NOT_MET
EARLIER = {"ICT-4-M1": MET, "ICT-4-M3": MET, "ICT-5-P3": MET, "ICT-1-M1": MET}
LATER = {"ICT-4-M2": MET, "ICT-7-P4": MET, "ICT-2-P4": MET, "ICT-1-M3": MET}


@pytest.fixture
def stored(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int]]:
    store = new_catalogue_store(tmp_path / "releases", tmp_path_factory)
    workbook = WorkbookService(store, "tester")
    authority = workbook.add_authority(
        Authority("Fernley Borough Council", AuthorityType.DISTRICT, Region.EAST_MIDLANDS, "E07900201")
    )
    for release_id, round_label, met in ((OLD, "2006/07", EARLIER), (NEW, "2007/08", LATER)):
        summary = workbook.create_assessment(
            AssessmentDetails(authority.id, release_id, "ICT", Round.parse(round_label))
        )
        for criterion in workbook.open(summary.id).standard.criteria():
            workbook.set_judgement(summary.id, criterion.ref, met.get(criterion.ref, NOT_MET))
    yield store, authority.id
    store.close()


def test_the_shipped_crosswalk_is_the_one_followed() -> None:
    assert crosswalk_path(bundled_standards_root(), OLD, NEW).is_file()


def test_renumbered_and_moved_criteria_are_not_reported_as_met_or_lost(stored: tuple[Store, int]) -> None:
    store, authority_id = stored
    progress = ComparisonService(store).progress(authority_id, "ICT", date(2008, 4, 1))
    assert [(r.round_label, r.release_id) for r in progress.rounds] == [("2006/07", OLD), ("2007/08", NEW)]
    (change,) = progress.changes
    assert change.through_crosswalk
    # Only the real changes, in the later release's references and catalogue order.
    assert change.newly_met == ("ICT-1-M3", "ICT-2-P4")
    assert change.newly_lost == ("ICT-1-M1",)
    assert any("through the crosswalk" in note for note in progress.notes)


def test_retired_criteria_are_named_in_a_note(stored: tuple[Store, int]) -> None:
    store, authority_id = stored
    progress = ComparisonService(store).progress(authority_id, "ICT", date(2008, 4, 1))
    (change,) = progress.changes
    assert "ICT-4-M1" not in change.newly_lost and "ICT-6-P3" not in change.newly_lost
    retired = [note for note in progress.notes if "retired" in note]
    assert len(retired) == 1, progress.notes
    (note,) = retired
    # Both retired criteria are named, with what was answered before they went.
    assert "ICT-4-M1 (Met in 2006/07)" in note and "ICT-6-P3 (Not met in 2006/07)" in note
    assert f"retired in {NEW}" in note
    # Added criteria are said to be left out too, so the lists' silence about them is explained.
    added = [note for note in progress.notes if "new in" in note]
    assert len(added) == 1 and "ICT-4-M3" in added[0] and "ICT-7-E4" in added[0]


def test_without_the_crosswalk_the_same_answers_would_mislead(stored: tuple[Store, int], tmp_path: Path) -> None:
    """The control: a catalogue root with no crosswalks matches by reference, and gets it wrong."""
    store, authority_id = stored
    empty_root = tmp_path / "no-crosswalks"
    empty_root.mkdir()
    progress = ComparisonService(store, standards_root=empty_root).progress(authority_id, "ICT", date(2008, 4, 1))
    (change,) = progress.changes
    assert not change.through_crosswalk
    assert "ICT-7-P4" in change.newly_met and "ICT-4-M1" in change.newly_lost and "ICT-4-M3" in change.newly_lost
    assert any("No crosswalk" in note for note in progress.notes)
