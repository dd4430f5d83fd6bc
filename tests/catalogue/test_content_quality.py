"""The shipped text reads as a council standard: no duplicates, no placeholders, no thin entries.

Thresholds are those the authors wrote to: a statement is one testable sentence of some
substance, guidance says what to look for, and evidence names things a council could show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from nesds_desktop.catalogue.checks import normalised_statement
from nesds_desktop.catalogue.loader import find_release_folders, load_release
from nesds_desktop.domain.catalogue import Criterion, Release

PLACEHOLDERS = re.compile(r"\b(lorem|ipsum|todo|tbc|tbd|xxx+|placeholder|fixme|example text|insert here)\b", re.I)
# American spellings a British council would not use (public text is British English).
AMERICAN = re.compile(
    r"\b(organiz\w*|prioritiz\w*|recogniz\w*|minimiz\w*|maximiz\w*|standardiz\w*|authoriz\w*|"
    r"summariz\w*|utiliz\w*|center|centers|color\w*|behavior\w*|favor\w*|labor\b|catalog\b|"
    r"license[ds]? holder|program\b|programs\b|enroll\b|fulfill\b|judgment\w*)",
    re.I,
)


@pytest.fixture(scope="module")
def releases(standards_root: Path) -> list[Release]:
    return [load_release(folder) for folder in find_release_folders(standards_root)]


def _criteria(releases: list[Release]) -> Iterator[tuple[str, Criterion]]:
    for release in releases:
        for standard in release.standards:
            for criterion in standard.criteria():
                yield release.release_id, criterion


def test_every_criterion_has_substance(releases: list[Release]) -> None:
    thin = []
    for release_id, c in _criteria(releases):
        if len(c.statement) < 60 or len(c.guidance) < 120 or len(c.evidence) < 2 or not c.signposts:
            thin.append(f"{release_id} {c.ref}")
    assert thin == []


def test_no_placeholder_text_and_british_spelling(releases: list[Release]) -> None:
    found = []
    for release_id, c in _criteria(releases):
        for text in (c.statement, c.guidance, *c.evidence, *c.signposts):
            for pattern, what in ((PLACEHOLDERS, "placeholder"), (AMERICAN, "American spelling")):
                match = pattern.search(text)
                if match:
                    found.append(f"{release_id} {c.ref}: {what} {match.group(0)!r}")
    assert found == []


def test_no_duplicate_statements_in_a_release_and_no_near_duplicates_in_a_standard(releases: list[Release]) -> None:
    # Across standards, parallel controls may share wording (revenues and benefits both need
    # role-based system access); within one standard a near-duplicate is filler.
    for release in releases:
        statements = [normalised_statement(c.statement) for s in release.standards for c in s.criteria()]
        assert len(set(statements)) == len(statements), release.release_id
        near = []
        for standard in release.standards:
            pairs = [(c.ref, normalised_statement(c.statement)) for c in standard.criteria()]
            for index, (ref, text) in enumerate(pairs):
                for other_ref, other in pairs[index + 1 :]:
                    matcher = SequenceMatcher(None, text, other)
                    # quick_ratio is an upper bound on ratio and far cheaper: screen with it first.
                    if matcher.quick_ratio() > 0.8 and (ratio := matcher.ratio()) > 0.8:
                        near.append(f"{ref} ~ {other_ref} ({ratio:.2f})")
        assert near == [], release.release_id


def test_the_checker_sees_a_planted_problem() -> None:
    # Guard: the patterns above do match what they are meant to catch.
    assert PLACEHOLDERS.search("Guidance TBC")
    assert AMERICAN.search("The organization's program")
    assert not AMERICAN.search("The organisation's programme and licence")
