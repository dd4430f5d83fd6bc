"""The level rule: levels, shares, blockers and the explanations users read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.catalogue import Criterion, Section, Standard
from nesds_desktop.domain.judgements import Judgement, judgement_for_key
from nesds_desktop.domain.level_rule import (
    LEVEL_RULE,
    Blocker,
    LevelShare,
    SectionResult,
    StandardResult,
    assess_section,
    assess_standard,
    level_label,
)
from nesds_desktop.domain.levels import Level

MET = Judgement.MET
PARTLY = Judgement.PARTLY_MET
NOT_MET = Judgement.NOT_MET
NA = Judgement.NOT_APPLICABLE
UNASSESSED = Judgement.NOT_YET_ASSESSED
M, P, E = Level.MINIMUM, Level.PROGRESSING, Level.EXCELLENT


def make_section(number: int, *, m: int = 3, p: int = 3, e: int = 3, code: str = "ICT", title: str = "") -> Section:
    criteria = [
        Criterion(f"{code}-{number}-{level.letter}{i}", level, f"Statement {i}", "Guidance")
        for level, count in ((M, m), (P, p), (E, e))
        for i in range(1, count + 1)
    ]
    return Section(number, title or f"Theme {number}", "Summary", tuple(criteria))


def scored(section: Section, default: Judgement | None = None, **answers: str) -> dict[str, Judgement]:
    """Judgements by ref from scoring keys, e.g. ``M1="M", E2="N"``; ``default`` for the rest."""
    prefix = section.criteria[0].ref.rsplit("-", 1)[0] if section.criteria else ""
    judgements = {c.ref: default for c in section.criteria if default is not None}
    for short_ref, key in answers.items():
        judgement = judgement_for_key(key)
        assert judgement is not None, key
        judgements[f"{prefix}-{short_ref}"] = judgement
    return judgements


# A section shaped like the brief's example: three Minimum, three Progressing, five Excellent.
ICT3 = make_section(3, m=3, p=3, e=5, title="Information management and security")

SECTION_TABLE: list[tuple[str, Mapping[str, Judgement], Level | None, str]] = [
    (
        "everything met",
        scored(ICT3, MET),
        E,
        "Excellent: every applicable criterion is met.",
    ),
    (
        "the brief's example",
        scored(ICT3, MET, E2="N", E4="N"),
        P,
        "Progressing, not Excellent, because ICT-3-E2 and ICT-3-E4 are not met.",
    ),
    (
        "nothing scored yet: a missing ref is not yet assessed",
        {},
        None,
        "No level: Minimum not achieved because ICT-3-M1, ICT-3-M2 and ICT-3-M3 are not yet assessed.",
    ),
    (
        "partly met does not achieve a level",
        scored(ICT3, MET, M2="P"),
        None,
        "No level: Minimum not achieved because ICT-3-M2 is partly met.",
    ),
    (
        "levels are cumulative: higher levels met do not help a missed Minimum",
        scored(ICT3, MET, M1="N"),
        None,
        "No level: Minimum not achieved because ICT-3-M1 is not met.",
    ),
    (
        "each reason named, firmest first",
        scored(ICT3, MET, P3="N", P1="P", P2="U"),
        M,
        "Minimum, not Progressing, because ICT-3-P3 is not met; ICT-3-P1 is partly met; ICT-3-P2 is not yet assessed.",
    ),
    (
        "several refs per reason",
        scored(ICT3, MET, E1="P", E2="N", E3="P", E4="N", E5="P"),
        P,
        "Progressing, not Excellent, because ICT-3-E2 and ICT-3-E4 are not met; "
        "ICT-3-E1, ICT-3-E3 and ICT-3-E5 are partly met.",
    ),
    (
        "only the next level's gaps are named, not those above it",
        scored(ICT3, MET, P2="N", E1="N", E5="P"),
        M,
        "Minimum, not Progressing, because ICT-3-P2 is not met.",
    ),
    (
        "not applicable criteria are left out",
        scored(ICT3, MET, M1="A", P2="A", E3="A"),
        E,
        "Excellent: every applicable criterion is met.",
    ),
    (
        "a level whose criteria are all not applicable counts as achieved",
        scored(ICT3, MET, P1="A", P2="A", P3="A"),
        E,
        "Excellent: every applicable criterion is met. Progressing counts as achieved because none of its "
        "criteria apply.",
    ),
    (
        "a vacuous level below the blocked one is named",
        scored(ICT3, MET, P1="A", P2="A", P3="A", E4="N"),
        P,
        "Progressing, not Excellent, because ICT-3-E4 is not met. Progressing counts as achieved because none "
        "of its criteria apply.",
    ),
    (
        "vacuous Minimum",
        scored(ICT3, MET, M1="A", M2="A", M3="A", P1="N"),
        M,
        "Minimum, not Progressing, because ICT-3-P1 is not met. Minimum counts as achieved because none of its "
        "criteria apply.",
    ),
    (
        "two vacuous levels",
        scored(ICT3, NA, P1="M", P2="M", P3="M"),
        E,
        "Excellent: every applicable criterion is met. Minimum and Excellent count as achieved because none of "
        "their criteria apply.",
    ),
    (
        "a vacuous level above a missed one is not claimed",
        scored(ICT3, NA, M1="N", P1="M"),
        None,
        "No level: Minimum not achieved because ICT-3-M1 is not met.",
    ),
    (
        "judgements for refs outside the section are ignored",
        {**scored(ICT3, MET), "ICT-4-M1": NOT_MET, "CS-3-M1": PARTLY},
        E,
        "Excellent: every applicable criterion is met.",
    ),
]


@pytest.mark.parametrize(
    ("judgements", "level", "explanation"),
    [row[1:] for row in SECTION_TABLE],
    ids=[row[0] for row in SECTION_TABLE],
)
def test_section_level_and_explanation(
    judgements: Mapping[str, Judgement], level: Level | None, explanation: str
) -> None:
    result = assess_section(ICT3, judgements)
    assert result.applies
    assert result.level is level
    assert result.explanation == explanation
    assert result.level_label == (level.label if level else "No level")
    assert result.explanation.startswith(result.level_label)


def test_blockers_are_the_next_levels_unmet_criteria_in_catalogue_order() -> None:
    result = assess_section(ICT3, scored(ICT3, MET, E4="N", E1="P", E5="U", P1="A"))
    assert result.level is P
    assert result.next_level is E
    assert result.blockers == (
        Blocker("ICT-3-E1", PARTLY),
        Blocker("ICT-3-E4", NOT_MET),
        Blocker("ICT-3-E5", UNASSESSED),
    )


def test_explicit_not_yet_assessed_is_the_same_as_missing() -> None:
    judgements = scored(ICT3, MET, P1="U")
    missing = dict(judgements)
    del missing["ICT-3-P1"]
    assert assess_section(ICT3, judgements) == assess_section(ICT3, missing)


def test_an_excellent_section_has_nothing_left_to_achieve() -> None:
    result = assess_section(ICT3, scored(ICT3, MET))
    assert result.next_level is None
    assert result.blockers == ()
    assert result.vacuous_levels == ()


def test_vacuous_levels_are_reported() -> None:
    result = assess_section(ICT3, scored(ICT3, NA, P1="M"))
    assert result.level is E
    assert result.vacuous_levels == (M, E)


def test_a_section_without_excellent_criteria_can_still_be_excellent() -> None:
    section = make_section(2, m=2, p=1, e=0)
    result = assess_section(section, scored(section, MET))
    assert result.level is E
    assert result.share(E).share is None
    assert result.explanation == (
        "Excellent: every applicable criterion is met. Excellent counts as achieved because none of its criteria apply."
    )


def test_a_section_with_every_criterion_not_applicable_does_not_apply() -> None:
    result = assess_section(ICT3, scored(ICT3, NA))
    assert not result.applies
    assert result.level is None
    assert result.next_level is None
    assert result.blockers == ()
    assert result.vacuous_levels == ()
    assert result.level_label == "Not applicable"
    assert result.explanation == (
        "Not applicable: every criterion in this section is marked not applicable, "
        "so it is left out of the standard's level."
    )


def test_a_section_with_no_criteria_does_not_apply() -> None:
    result = assess_section(make_section(9, m=0, p=0, e=0), {})
    assert not result.applies
    assert (
        result.explanation == "Not applicable: this section has no criteria, so it is left out of the standard's level."
    )


def test_shares_count_partly_met_as_half_and_leave_out_not_applicable() -> None:
    judgements = scored(ICT3, MET, M1="P", P1="N", P2="U", P3="A", E1="P", E2="P", E3="A", E4="A", E5="A")
    result = assess_section(ICT3, judgements)
    minimum, progressing, excellent = result.shares
    assert minimum == LevelShare(M, criteria=3, met=2, partly_met=1)
    assert (minimum.applicable, minimum.credit, minimum.share) == (3, 2.5, 2.5 / 3)
    assert minimum.share_text == "2.5 of 3 met (83%)"
    assert progressing == LevelShare(P, criteria=3, not_met=1, not_yet_assessed=1, not_applicable=1)
    assert (progressing.applicable, progressing.share) == (2, 0.0)
    assert progressing.share_text == "0 of 2 met (0%)"
    assert excellent == LevelShare(E, criteria=5, partly_met=2, not_applicable=3)
    assert excellent.share_text == "1 of 2 met (50%)"
    assert result.share(P) is progressing


def test_a_share_with_nothing_applicable_is_none() -> None:
    share = LevelShare(E, criteria=2, not_applicable=2)
    assert share.share is None
    assert share.share_text == "none apply"
    assert share.fully_met


def test_share_text_never_rounds_up_to_a_full_share() -> None:
    share = LevelShare(M, criteria=200, met=199, partly_met=1)
    assert share.share_text == "199.5 of 200 met (99%)"
    assert LevelShare(M, criteria=3, met=2).share_text == "2 of 3 met (66%)"
    assert LevelShare(M, criteria=4, met=4).share_text == "4 of 4 met (100%)"


def test_shares_add_up_only_at_the_same_level() -> None:
    total = LevelShare(M, 3, 1, 1, 1) + LevelShare(M, 2, 0, 0, 0, 1, 1)
    assert total == LevelShare(M, 5, 1, 1, 1, 1, 1)
    with pytest.raises(ValueError, match="cannot add a Progressing share to a Minimum share"):
        _ = LevelShare(M) + LevelShare(P)


# --- standards ---------------------------------------------------------------------------------

SECTIONS = (
    make_section(1, title="ICT strategy and governance"),
    make_section(2, title="Infrastructure and resilience"),
    make_section(3, title="Information management and security"),
)
STANDARD = Standard("ICT", "Information and Communications Technology", "Summary", sections=SECTIONS)


def all_met(standard: Standard = STANDARD) -> dict[str, Judgement]:
    return {c.ref: MET for c in standard.criteria()}


def test_a_standard_is_at_its_lowest_section_level() -> None:
    judgements = all_met() | {"ICT-2-P2": NOT_MET, "ICT-3-E1": PARTLY}
    result = assess_standard(STANDARD, judgements)
    assert [s.level for s in result.sections] == [E, M, P]
    assert result.level is M
    assert result.next_level is P
    assert [s.number for s in result.holding_back] == [2]
    assert result.blockers == (Blocker("ICT-2-P2", NOT_MET),)
    assert result.explanation == (
        "Minimum, not Progressing, because ICT-2-P2 is not met. Held back by section 2 (Infrastructure and resilience)."
    )


def test_every_section_at_the_lowest_level_holds_the_standard_back() -> None:
    judgements = all_met() | {"ICT-1-E2": NOT_MET, "ICT-3-E1": PARTLY, "ICT-3-E3": NOT_MET}
    result = assess_standard(STANDARD, judgements)
    assert result.level is P
    assert [s.number for s in result.holding_back] == [1, 3]
    assert [b.ref for b in result.blockers] == ["ICT-1-E2", "ICT-3-E1", "ICT-3-E3"]
    assert result.explanation == (
        "Progressing, not Excellent, because ICT-1-E2 and ICT-3-E3 are not met; ICT-3-E1 is partly met. "
        "Held back by sections 1 (ICT strategy and governance) and 3 (Information management and security)."
    )


def test_an_excellent_standard() -> None:
    result = assess_standard(STANDARD, all_met())
    assert result.level is E
    assert result.holding_back == ()
    assert result.blockers == ()
    assert result.explanation == "Excellent: every applicable criterion in every section is met."


def test_a_section_that_does_not_apply_is_left_out_and_named() -> None:
    judgements = all_met() | {c.ref: NA for c in SECTIONS[0].criteria} | {"ICT-3-E2": NOT_MET}
    result = assess_standard(STANDARD, judgements)
    assert result.level is P
    assert result.explanation == (
        "Progressing, not Excellent, because ICT-3-E2 is not met. Held back by section 3 "
        "(Information management and security). Section 1 (ICT strategy and governance) is left out because none "
        "of its criteria apply."
    )


def test_sections_that_do_not_apply_do_not_stop_excellent() -> None:
    judgements = all_met() | {c.ref: NA for s in SECTIONS[:2] for c in s.criteria}
    result = assess_standard(STANDARD, judgements)
    assert result.level is E
    assert result.explanation == (
        "Excellent: every applicable criterion in every section is met. Sections 1 (ICT strategy and governance) "
        "and 2 (Infrastructure and resilience) are left out because none of their criteria apply."
    )


def test_a_standard_with_every_criterion_not_applicable_has_no_level() -> None:
    result = assess_standard(STANDARD, {c.ref: NA for c in STANDARD.criteria()})
    assert not result.applies
    assert result.level is None
    assert result.level_label == "Not applicable"
    assert result.explanation == "No level: every criterion in this standard is marked not applicable."


def test_a_standard_with_no_criteria_has_no_level() -> None:
    empty = Standard("X", "Empty", "", sections=(make_section(1, m=0, p=0, e=0),))
    result = assess_standard(empty, {})
    assert not result.applies
    assert result.explanation == "No level: this standard has no criteria."
    assert assess_standard(Standard("Y", "No sections", ""), {}).explanation == result.explanation


def test_a_standard_not_yet_assessed_names_the_first_refs_and_counts_the_rest() -> None:
    standard = Standard("ICT", "ICT", "", sections=tuple(make_section(n) for n in range(1, 8)))
    result = assess_standard(standard, {})
    assert result.level is None
    assert len(result.blockers) == 21
    assert result.explanation.startswith(
        "No level: Minimum not achieved because ICT-1-M1, ICT-1-M2, ICT-1-M3, ICT-2-M1, ICT-2-M2, ICT-2-M3 "
        "and 15 more are not yet assessed. Held back by sections 1 (Theme 1), 2 (Theme 2), "
    )
    assert result.explanation.endswith("6 (Theme 6) and 7 (Theme 7).")


@pytest.mark.parametrize(("unmet", "named"), [(6, 6), (7, 7), (8, 6)])
def test_a_standard_names_up_to_seven_refs_per_reason(unmet: int, named: int) -> None:
    standard = Standard("ICT", "ICT", "", sections=tuple(make_section(n, m=1) for n in range(1, 9)))
    judgements = all_met(standard) | {f"ICT-{n}-M1": NOT_MET for n in range(1, unmet + 1)}
    explanation = assess_standard(standard, judgements).explanation
    assert sum(f"ICT-{n}-M1" in explanation for n in range(1, 9)) == named
    assert ("more are not met" in explanation) is (named < unmet)


def test_standard_shares_are_the_sums_of_section_shares() -> None:
    judgements = all_met() | {"ICT-1-M1": PARTLY, "ICT-2-M2": NA, "ICT-3-P1": NOT_MET}
    result = assess_standard(STANDARD, judgements)
    assert result.share(M) == LevelShare(M, criteria=9, met=7, partly_met=1, not_applicable=1)
    assert result.share(M).share_text == "7.5 of 8 met (93%)"
    assert result.share(P) == LevelShare(P, criteria=9, met=8, not_met=1)
    assert result.share(E) == LevelShare(E, criteria=9, met=9)


def test_section_lookup_by_number() -> None:
    result = assess_standard(STANDARD, {})
    assert result.section(2).title == "Infrastructure and resilience"
    with pytest.raises(KeyError):
        result.section(4)


def test_level_label() -> None:
    assert [level_label(level) for level in (None, M, P, E)] == ["No level", "Minimum", "Progressing", "Excellent"]
    assert level_label(E, applies=False) == "Not applicable"


def test_the_rule_users_are_shown_states_every_decision() -> None:
    for phrase in (
        "every applicable Minimum criterion is met",
        "Not applicable criteria are left out",
        "partly met does not achieve a level",
        "not yet assessed",
        "none of whose criteria apply counts as achieved",
        "lowest section level",
        "partly met as half",
    ):
        assert phrase in LEVEL_RULE


# --- the shipped catalogue -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_standards() -> tuple[Standard, ...]:
    from nesds_desktop.catalogue.bundled import bundled_standards_root

    return load_release(Path(bundled_standards_root()) / "nesds-2006.1").standards


def test_the_shipped_ict_standard(bundled_standards: tuple[Standard, ...]) -> None:
    ict = next(s for s in bundled_standards if s.code == "ICT")
    judgements = all_met(ict) | {"ICT-3-E2": NOT_MET, "ICT-3-E3": NOT_MET}
    result = assess_standard(ict, judgements)
    assert result.level is P
    assert result.explanation == (
        "Progressing, not Excellent, because ICT-3-E2 and ICT-3-E3 are not met. "
        "Held back by section 3 (Information management and security)."
    )


# --- properties ------------------------------------------------------------------------------------

RANKS = {None: -1, M: 0, P: 1, E: 2}


@st.composite
def standards(draw: st.DrawFn) -> Standard:
    sections = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        counts = draw(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)))
        section = make_section(number, m=counts[0], p=counts[1], e=counts[2], code="T")
        # Imported catalogues need not list criteria level by level.
        order = draw(st.permutations(section.criteria))
        sections.append(replace(section, criteria=tuple(order)))
    return Standard("T", "Test standard", "", sections=tuple(sections))


@st.composite
def scored_standards(draw: st.DrawFn) -> tuple[Standard, dict[str, Judgement]]:
    standard = draw(standards())
    judgements: dict[str, Judgement] = {}
    for criterion in standard.criteria():
        judgement = draw(st.sampled_from([*Judgement, None]))
        if judgement is not None:  # None: leave the ref out, which is not yet assessed
            judgements[criterion.ref] = judgement
    return standard, judgements


def expected_section_level(section: Section, judgements: Mapping[str, Judgement]) -> tuple[bool, Level | None]:
    """The rule restated as directly as possible: (applies, level)."""
    answers = [(c.level, judgements.get(c.ref, UNASSESSED)) for c in section.criteria]
    if all(j is NA for _, j in answers):
        return False, None
    level = None
    for candidate in Level:
        if any(lvl.rank <= candidate.rank and j not in {MET, NA} for lvl, j in answers):
            break
        level = candidate
    return True, level


def section_rank(result: SectionResult) -> int:
    return RANKS[result.level] if result.applies else -1


def standard_rank(result: StandardResult) -> int:
    return RANKS[result.level] if result.applies else -1


@given(scored_standards())
def test_levels_agree_with_the_rule_restated(case: tuple[Standard, dict[str, Judgement]]) -> None:
    standard, judgements = case
    result = assess_standard(standard, judgements)
    expected = [expected_section_level(section, judgements) for section in standard.sections]
    assert [(s.applies, s.level) for s in result.sections] == expected
    applicable_levels = [RANKS[level] for applies, level in expected if applies]
    assert result.applies is bool(applicable_levels)
    if applicable_levels:
        assert RANKS[result.level] == min(applicable_levels)


@given(scored_standards(), st.data())
def test_upgrading_a_judgement_to_met_never_lowers_a_level(
    case: tuple[Standard, dict[str, Judgement]], data: st.DataObject
) -> None:
    standard, judgements = case
    refs = [c.ref for c in standard.criteria()]
    if not refs:
        return
    ref = data.draw(st.sampled_from(refs))
    before = assess_standard(standard, judgements)
    after = assess_standard(standard, judgements | {ref: MET})
    assert standard_rank(after) >= standard_rank(before)
    for old, new in zip(before.sections, after.sections, strict=True):
        assert section_rank(new) >= section_rank(old)


@given(scored_standards(), st.data())
def test_marking_a_criterion_not_applicable_never_lowers_a_level_that_still_applies(
    case: tuple[Standard, dict[str, Judgement]], data: st.DataObject
) -> None:
    standard, judgements = case
    refs = [c.ref for c in standard.criteria()]
    if not refs:
        return
    ref = data.draw(st.sampled_from(refs))
    before = assess_standard(standard, judgements)
    after = assess_standard(standard, judgements | {ref: NA})
    if after.applies:
        assert standard_rank(after) >= standard_rank(before)
    for old, new in zip(before.sections, after.sections, strict=True):
        if new.applies:
            assert section_rank(new) >= section_rank(old)


@given(scored_standards(), st.data())
def test_downgrading_met_never_raises_a_level(case: tuple[Standard, dict[str, Judgement]], data: st.DataObject) -> None:
    standard, judgements = case
    met_refs = [ref for ref, j in judgements.items() if j is MET]
    if not met_refs:
        return
    ref = data.draw(st.sampled_from(met_refs))
    worse = data.draw(st.sampled_from([PARTLY, NOT_MET, UNASSESSED]))
    before = assess_standard(standard, judgements)
    after = assess_standard(standard, judgements | {ref: worse})
    assert standard_rank(after) <= standard_rank(before)


@given(scored_standards(), st.data())
def test_level_depends_only_on_what_is_met_or_not_applicable(
    case: tuple[Standard, dict[str, Judgement]], data: st.DataObject
) -> None:
    """Not met, partly met and not yet assessed block a level alike; only the explanation tells them apart."""
    standard, judgements = case
    shuffled = dict(judgements)
    for criterion in standard.criteria():
        if judgements.get(criterion.ref, UNASSESSED) not in {MET, NA}:
            shuffled[criterion.ref] = data.draw(st.sampled_from([PARTLY, NOT_MET, UNASSESSED]))
    before = assess_standard(standard, judgements)
    after = assess_standard(standard, shuffled)
    assert (after.applies, after.level) == (before.applies, before.level)
    assert [b.ref for b in after.blockers] == [b.ref for b in before.blockers]


@given(scored_standards())
def test_results_are_consistent_with_their_explanations_and_shares(
    case: tuple[Standard, dict[str, Judgement]],
) -> None:
    standard, judgements = case
    result = assess_standard(standard, judgements)
    for catalogue_section, section in zip(standard.sections, result.sections, strict=True):
        assert sum(share.criteria for share in section.shares) == len(catalogue_section.criteria)
        for share in section.shares:
            counted = share.met + share.partly_met + share.not_met + share.not_yet_assessed + share.not_applicable
            assert counted == share.criteria
            assert share.share is None or 0 <= share.share <= 1
        if not section.applies:
            assert section.explanation.startswith("Not applicable: ")
            continue
        assert section.explanation.startswith(section.level_label)
        assert (section.next_level is None) == (section.blockers == ()) == (section.level is E)
        for blocker in section.blockers:
            assert blocker.ref in section.explanation
            assert blocker.judgement in {PARTLY, NOT_MET, UNASSESSED}
        # Every level up to the achieved one is fully met; the next one is not.
        for share in section.shares:
            if section.level is not None and share.level.rank <= section.level.rank:
                assert share.fully_met
                assert (share.level in section.vacuous_levels) is (share.share is None)
        if section.next_level is not None:
            next_share = section.share(section.next_level)
            assert next_share.share is not None
            assert next_share.share < 1
    if result.applies and result.next_level is not None:
        assert result.blockers
        assert all(s.level is result.level for s in result.holding_back)
        assert result.explanation.startswith(result.level_label)


@given(scored_standards())
def test_judgements_for_other_refs_change_nothing(case: tuple[Standard, dict[str, Judgement]]) -> None:
    standard, judgements = case
    extra = {"OTHER-1-M1": NOT_MET, "T-99-M1": PARTLY, "t-1-m1": NOT_MET}
    assert assess_standard(standard, judgements | extra) == assess_standard(standard, judgements)
