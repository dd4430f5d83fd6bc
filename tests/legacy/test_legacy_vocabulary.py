"""Judgement words from every vocabulary DOMAIN.md lists, and dates as councils wrote them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns.legacy.reader import _date
from nesds_desktop.returns.legacy.vocabulary import read_judgement

MET, PARTLY, NOT_MET = Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET
NA, UNASSESSED = Judgement.NOT_APPLICABLE, Judgement.NOT_YET_ASSESSED

CLEAR_VOCABULARIES = {
    "Yes/No/Partly": {"Yes": MET, "No": NOT_MET, "Partly": PARTLY},
    "Y/N/P": {"Y": MET, "N": NOT_MET, "P": PARTLY},
    "Met/Partially met/Not met": {"Met": MET, "Partially met": PARTLY, "Not met": NOT_MET},
    "Achieved/In progress/Not started": {"Achieved": MET, "In progress": PARTLY, "Not started": NOT_MET},
    "Red/Amber/Green": {"Green": MET, "Amber": PARTLY, "Red": NOT_MET},
    "Fully/Partly/Not": {"Fully": MET, "Partly": PARTLY, "Not": NOT_MET},
    "ticks and crosses": {"✓": MET, "✔": MET, "✗": NOT_MET, "✘": NOT_MET},
    "not applicable": {"N/A": NA, "n/a": NA, "NA": NA, "Not applicable": NA},
    "blank": {"": UNASSESSED, "  ": UNASSESSED},
}


@pytest.mark.parametrize("vocabulary", CLEAR_VOCABULARIES)
def test_each_clear_vocabulary_is_read_in_any_case_without_a_flag(vocabulary: str) -> None:
    for word, expected in CLEAR_VOCABULARIES[vocabulary].items():
        for written in {word, word.upper(), word.lower(), f" {word.title()}. "}:
            reading = read_judgement(written)
            assert (reading.judgement, reading.flag, reading.confidence) == (expected, None, 1.0), written


AMBIGUOUS = {
    "Largely": PARTLY,
    "1": MET,
    "2": PARTLY,
    "3": NOT_MET,
    "x": NOT_MET,
    "Required": MET,
    "Good": MET,
    "Excellent": MET,
    "Developing": PARTLY,
    "Achieving": MET,
    "Level 1": NOT_MET,
    "Level 3": PARTLY,
    "Level 5": MET,
    "5": MET,
}


@pytest.mark.parametrize(("word", "chosen"), AMBIGUOUS.items())
def test_words_whose_meaning_depends_on_the_scale_are_flagged_with_the_mapping_chosen(
    word: str, chosen: Judgement
) -> None:
    reading = read_judgement(word)
    assert reading.judgement is chosen
    assert reading.flag and chosen.label in reading.flag
    assert reading.confidence < 1.0


def test_a_number_read_from_a_numeric_cell_is_the_same_word() -> None:
    assert read_judgement("2.0").judgement is PARTLY and read_judgement("2.0").flag


@pytest.mark.parametrize("word", ["banana", "see comments", "Q3", "99"])
def test_unknown_values_are_flagged_and_give_no_judgement(word: str) -> None:
    reading = read_judgement(word)
    assert reading.judgement is None
    assert reading.flag and word in reading.flag


def test_a_judgement_word_followed_by_a_remark_is_read_but_flagged() -> None:
    reading = read_judgement("Yes - policy approved March 2006")
    assert reading.judgement is MET and reading.flag


def test_a_user_mapping_overrides_known_and_unknown_words() -> None:
    mapping = {"banana": Judgement.MET, "largely": Judgement.MET, "1": Judgement.NOT_MET}
    assert read_judgement("Banana", mapping) == read_judgement("banana", mapping)
    for word, expected in (("BANANA", MET), ("Largely", MET), ("1", NOT_MET)):
        reading = read_judgement(word, mapping)
        assert (reading.judgement, reading.flag, reading.confidence) == (expected, None, 1.0)
    assert read_judgement("Yes", mapping).judgement is MET  # words the mapping does not name are unchanged


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (date(2007, 3, 31), date(2007, 3, 31)),
        (datetime(2007, 3, 31, 0, 0), date(2007, 3, 31)),
        (39172.0, date(2007, 3, 31)),  # an Excel serial number
        ("39172", date(2007, 3, 31)),
        ("31/03/2007", date(2007, 3, 31)),
        ("31/03/07", date(2007, 3, 31)),
        ("2007-03-31", date(2007, 3, 31)),
        ("31 March 2007", date(2007, 3, 31)),
        ("31 Mar 2007", date(2007, 3, 31)),
        ("March 2007", date(2007, 3, 1)),
        ("when budget allows", None),
        ("", None),
    ],
)
def test_dates_as_dates_serials_or_text(cell: object, expected: date | None) -> None:
    assert _date(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "expected", "flagged"),
    [("(✓)", PARTLY, False), ("√", MET, False), ("~", PARTLY, True), ("Not at all", NOT_MET, False),
     ("2 (see notes)", PARTLY, True), ("(✓) – action planned", PARTLY, True), ("Red - at risk", NOT_MET, True)],
)
def test_tick_variants_and_words_with_remarks(written: str, expected: Judgement, flagged: bool) -> None:
    reading = read_judgement(written)
    assert reading.judgement is expected and bool(reading.flag) is flagged
