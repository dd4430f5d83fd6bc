"""Matching rows to criteria: references written any common way, or reworded criterion text."""

from __future__ import annotations

import random

import pytest
from legacy_files import release, standards

from nesds_desktop.returns.legacy.matching import CriterionIndex, parse_reference


@pytest.fixture(scope="module")
def index() -> CriterionIndex:
    return CriterionIndex(standards())


def third_of_section_two() -> str:
    return release().standard("ICT").sections[1].criteria[2].ref


@pytest.mark.parametrize("written", ["ICT 2.3", "ICT-2-3", "ict 2.3", "ICT2.3", "ICT/2/3", "ICT 2-3", "ICT.2.3"])
def test_a_section_and_position_reference_with_its_code(index: CriterionIndex, written: str) -> None:
    ref, confidence, flag = index.resolve_reference(written, None)
    assert ref == third_of_section_two()
    assert confidence >= 0.9 and flag is None


@pytest.mark.parametrize("written", ["2.3", "2-3", "2.3.", " 2 . 3 "])
def test_a_bare_section_and_position_needs_the_sheet_standard(index: CriterionIndex, written: str) -> None:
    assert index.resolve_reference(written, None)[0] is None
    assert index.resolve_reference(written, "ICT")[0] == third_of_section_two()


@pytest.mark.parametrize("written", ["ICT-2-P3", "ict-2-p3", "ICT 2 P3", "ICT-2-P-3", "2-P3"])
def test_the_catalogue_reference_in_any_case_and_spacing(index: CriterionIndex, written: str) -> None:
    assert index.resolve_reference(written, "ICT")[:2] == ("ICT-2-P3", 1.0)


def test_references_that_name_no_criterion(index: CriterionIndex) -> None:
    assert parse_reference("Section 2") is None
    assert index.resolve_reference("ICT 2.99", None)[0] is None
    assert index.resolve_reference("XYZ 1.1", None)[0] is None
    match = index.match("ICT 9.9", "", "ICT")
    assert match.ref is None and match.flags


def test_a_reference_to_another_standard_than_the_sheet_is_flagged(index: CriterionIndex) -> None:
    ref, _confidence, flag = index.resolve_reference("BEN 1.1", "ICT")
    assert ref == "BEN-1-M1" and flag is not None


def test_a_reference_whose_text_reads_like_another_criterion_is_flagged(index: CriterionIndex) -> None:
    other = release().standard("ICT").sections[4].criteria[1]
    match = index.match("ICT-1-M1", other.statement, "ICT")
    assert match.ref == "ICT-1-M1" and match.matched_by == "reference"
    assert any(other.ref in flag for flag in match.flags)


SYNONYMS = {"council": "authority", "approved": "agreed", "members": "councillors", "each year": "annually",
            "within": "in", "has": "holds", "plan": "strategy", "reviewed": "revised"}


def reworded(text: str, rng: random.Random) -> str:
    """A criterion as a council retyped it: synonyms, dropped words, a clause moved."""
    for old, new in SYNONYMS.items():
        if rng.random() < 0.7:
            text = text.replace(old, new)
    words = [w for w in text.split() if rng.random() > 0.15]
    if len(words) > 6 and rng.random() < 0.5:
        cut = rng.randrange(len(words) - 3)
        words = words[cut:] + words[:cut]
    return " ".join(words)


def test_every_criterion_reworded_is_found_by_its_text(index: CriterionIndex) -> None:
    rng = random.Random(2006)
    criteria = [(s.code, c) for s in standards() for c in s.criteria()]
    assert len(criteria) == 586
    wrong_unflagged = right = 0
    for code, criterion in criteria:
        for sheet_standard in (code, None):
            match = index.match("", reworded(criterion.statement, rng), sheet_standard)
            assert match.matched_by in ("text", "none")
            if match.ref == criterion.ref and not match.flags:
                right += 1
            elif not match.flags:
                wrong_unflagged += 1
    assert wrong_unflagged == 0
    assert right >= 0.99 * 2 * len(criteria)


def test_unrelated_text_is_not_matched(index: CriterionIndex) -> None:
    match = index.match("", "Tea and biscuits for the quarterly staff party", None)
    assert match.flags and (match.ref is None or match.confidence < 0.5)


def test_a_weak_text_match_is_flagged_not_accepted(index: CriterionIndex) -> None:
    criterion = release().standard("ICT").sections[0].criteria[0]
    few_words = " ".join(criterion.statement.split()[:3])
    match = index.match("", few_words, "ICT")
    assert match.flags
