"""The comparison rules on the hand-checked case (see comparison_support for the working)."""

from __future__ import annotations

from datetime import date

from comparison_support import (
    ALDER,
    ALDER_ACTIONS,
    ALDER_EARLIER,
    AS_OF,
    BRAMWICK,
    CASE,
    CRANMOOR,
    DALBY,
    EARLIER_ROUND,
    ELMHURST,
    REFS,
    ROUND,
    judgements,
    tiny_standard,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.catalogue import Criterion, Section, Standard
from nesds_desktop.domain.comparison import (
    AuthorityJudgements,
    RoundAssessment,
    anonymous_labels,
    compare_with_peers,
    levels_only,
    track_progress,
)
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.levels import Level

STANDARD = tiny_standard()


def _peer(index: int) -> AuthorityJudgements:
    case = CASE[index]
    return AuthorityJudgements(index + 1, case.name, case.judgements(), case.authority.type.value)


def _everyone() -> list[AuthorityJudgements]:
    return [_peer(i) for i in range(len(CASE))]


def test_levels_per_authority_match_the_hand_working() -> None:
    expected = {
        ALDER.name: ({1: "Minimum", 2: "No level"}, "No level"),
        BRAMWICK.name: ({1: "Excellent", 2: "Excellent"}, "Excellent"),
        CRANMOOR.name: ({1: "Progressing", 2: "Excellent"}, "Progressing"),
        DALBY.name: ({1: "No level", 2: "Minimum"}, "No level"),
        ELMHURST.name: ({1: "Excellent", 2: "Not applicable"}, "Excellent"),
    }
    for case in CASE:
        levels = levels_only(STANDARD, case.judgements())
        assert (levels.sections, levels.overall) == expected[case.name]


def test_distribution_and_position_of_one_authority_among_its_peers() -> None:
    result = compare_with_peers(STANDARD, ROUND, _everyone(), _peer(0))
    assert result.subject_name == "Alder Vale"
    assert result.subject_overall == "No level"
    assert result.subject_sections == {1: "Minimum", 2: "No level"}

    overall = result.overall
    assert overall.counts == {"No level": 1, "Minimum": 0, "Progressing": 1, "Excellent": 2}
    assert (overall.peers, overall.not_applicable) == (4, 0)
    assert (overall.below, overall.same, overall.above) == (0, 1, 3)
    assert overall.share("Excellent") == 0.5

    first, second = result.sections
    assert (first.number, first.title) == (1, "Leadership")
    assert first.distribution.counts == {"No level": 1, "Minimum": 0, "Progressing": 1, "Excellent": 2}
    assert (first.distribution.below, first.distribution.same, first.distribution.above) == (1, 0, 3)
    assert first.distribution.position_text == "higher than 1 of 4 peers, level with 0, lower than 3"
    assert second.distribution.counts == {"No level": 0, "Minimum": 1, "Progressing": 0, "Excellent": 2}
    assert second.distribution.not_applicable == 1
    assert (second.distribution.below, second.distribution.same, second.distribution.above) == (0, 0, 3)


def test_gaps_are_the_criteria_most_peers_meet_widest_first() -> None:
    result = compare_with_peers(STANDARD, ROUND, _everyone(), _peer(0))
    found = [(g.criterion.ref, g.judgement, g.peers_meeting, g.peers_applicable) for g in result.gaps]
    assert found == [
        ("T-2-M1", Judgement.PARTLY_MET, 3, 3),
        ("T-1-P1", Judgement.NOT_MET, 3, 4),
        ("T-2-P1", Judgement.NOT_MET, 2, 3),
    ]
    assert result.gaps[1].share_text == "3 of 4 peers (75%)"
    assert result.gaps[2].section_number == 2


def test_without_a_subject_there_is_no_position_and_no_gaps() -> None:
    result = compare_with_peers(STANDARD, ROUND, _everyone())
    assert result.subject_name is None and result.gaps == ()
    assert result.overall.counts == {"No level": 2, "Minimum": 0, "Progressing": 1, "Excellent": 2}
    assert result.overall.position_text == ""
    assert [row.label for row in result.peers] == ["Alder Vale", "Bramwick", "Cranmoor", "Dalby Fen", "Elmhurst"]


def test_anonymised_peers_get_stable_letters_and_lose_type_and_region() -> None:
    peers = _everyone()
    first = compare_with_peers(STANDARD, ROUND, peers, peers[0], anonymise=True)
    again = compare_with_peers(STANDARD, ROUND, list(reversed(peers)), peers[0], anonymise=True)
    assert [row.label for row in first.peers] == ["Authority A", "Authority B", "Authority C", "Authority D"]
    assert [(r.label, r.authority_id) for r in first.peers] == [(r.label, r.authority_id) for r in again.peers]
    assert all(row.authority_type == "" and row.region == "" for row in first.peers)
    assert not any(case.name in row.label for case in CASE for row in first.peers)
    assert first.subject_name == "Alder Vale"  # this authority keeps its own name


def test_anonymous_labels_run_past_z_like_spreadsheet_columns() -> None:
    labels = anonymous_labels(list(range(100, 130)))
    assert sorted(labels.values(), key=lambda t: (len(t), t))[-1] == "Authority AD"
    assert len(set(labels.values())) == 30
    assert anonymous_labels(list(range(129, 99, -1))) == labels


def test_progress_over_two_rounds_of_one_release() -> None:
    rounds = [
        RoundAssessment(EARLIER_ROUND, "r", STANDARD, judgements(ALDER_EARLIER)),
        RoundAssessment(ROUND, "r", STANDARD, ALDER.judgements(), ALDER_ACTIONS),
    ]
    progress = track_progress(rounds, AS_OF)
    earlier, later = progress.rounds
    assert (earlier.sections, earlier.overall) == ({1: "No level", 2: "No level"}, "No level")
    assert (later.sections, later.overall) == ({1: "Minimum", 2: "No level"}, "No level")
    assert (earlier.met, earlier.applicable, later.met, later.applicable) == (3, 7, 2, 7)
    (change,) = progress.changes
    assert (change.from_round, change.to_round) == (EARLIER_ROUND, ROUND)
    assert change.newly_met == ("T-1-M2",)
    assert change.newly_lost == ("T-1-P1", "T-2-P1")
    assert not change.through_crosswalk
    assert (later.actions, later.completed) == (4, 1)
    assert [(a.description, a.due) for a in later.overdue] == [("Train the team", date(2007, 1, 31))]
    # A day later in the year the second open action is overdue too; a cancelled one never is.
    assert len(track_progress(rounds, date(2008, 1, 1)).rounds[1].overdue) == 2


def test_not_yet_assessed_and_not_applicable_are_not_losses() -> None:
    before = RoundAssessment("2005/06", "r", STANDARD, dict.fromkeys(REFS, Judgement.MET))
    after_values = dict.fromkeys(REFS, Judgement.MET)
    after_values.pop("T-1-E1")  # not yet assessed
    after_values["T-2-E1"] = Judgement.NOT_APPLICABLE
    after_values["T-1-M1"] = Judgement.PARTLY_MET
    after = RoundAssessment("2006/07", "r", STANDARD, after_values)
    (change,) = track_progress([before, after], AS_OF).changes
    assert change.newly_lost == ("T-1-M1",) and change.newly_met == ()


def test_progress_across_releases_follows_the_reference_map() -> None:
    # The later release merges T-1-M1 and T-1-M2 into T-1-M9 and adds T-2-M8.
    merged = Criterion("T-1-M9", Level.MINIMUM, "Merged.", "")
    added = Criterion("T-2-M8", Level.MINIMUM, "Added.", "")
    sections = STANDARD.sections
    newer = Standard(
        STANDARD.code,
        STANDARD.title,
        "",
        sections=(
            Section(1, "Leadership", "", (merged, *sections[0].criteria[2:])),
            Section(2, "Customer access", "", (*sections[1].criteria, added)),
        ),
    )
    before = RoundAssessment("2005/06", "old", STANDARD, judgements("MNNNMMM"))
    now = {c.ref: Judgement.MET for c in newer.criteria()}
    after = RoundAssessment("2006/07", "new", newer, now)
    ref_map: dict[str, tuple[str, ...]] = {c.ref: (c.ref,) for c in newer.criteria()}
    ref_map["T-1-M9"] = ("T-1-M1", "T-1-M2")
    ref_map["T-2-M8"] = ()
    (change,) = track_progress([before, after], AS_OF, {1: ref_map}).changes
    # T-1-M9 was only half met before (T-1-M2 not met), so it is newly met; T-2-M8 is new, left out.
    assert change.newly_met == ("T-1-M9", "T-1-P1", "T-1-E1")
    assert change.newly_lost == ()
    assert change.through_crosswalk


_ICT = load_release(bundled_standards_root() / "nesds-2006.1").standard("ICT")
_ICT_REFS = [c.ref for c in _ICT.criteria()]


# Met weighted up, so higher levels and their edge cases come up often.
_VALUES = st.sampled_from([*list(Judgement), *[Judgement.MET] * 12])


@settings(max_examples=200, deadline=None)
@given(st.lists(_VALUES, min_size=len(_ICT_REFS), max_size=len(_ICT_REFS)))
def test_levels_only_agrees_with_the_level_rule(values: list[Judgement]) -> None:
    answers = dict(zip(_ICT_REFS, values, strict=True))
    fast = levels_only(_ICT, answers)
    full = assess_standard(_ICT, answers)
    assert fast.overall == full.level_label
    assert fast.sections == {s.number: s.level_label for s in full.sections}
