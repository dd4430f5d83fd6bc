"""Judgements: stored values, labels, scoring keys, symbols and credit."""

from __future__ import annotations

import pytest

from nesds_desktop.domain.judgements import Judgement, judgement_for_key

TABLE = [
    # judgement, stored value, label, letter, digit, symbol, credit
    (Judgement.MET, "met", "Met", "M", "1", "✓", 1.0),
    (Judgement.PARTLY_MET, "partly_met", "Partly met", "P", "2", "◐", 0.5),
    (Judgement.NOT_MET, "not_met", "Not met", "N", "3", "✗", 0.0),
    (Judgement.NOT_APPLICABLE, "not_applicable", "Not applicable", "A", "4", "–", None),
    (Judgement.NOT_YET_ASSESSED, "not_yet_assessed", "Not yet assessed", "U", "0", "?", None),
]


@pytest.mark.parametrize("row", TABLE, ids=[row[1] for row in TABLE])
def test_each_judgement_has_its_documented_facts(row: tuple[Judgement, str, str, str, str, str, float | None]) -> None:
    judgement, value, label, letter, digit, symbol, credit = row
    assert judgement.value == value
    assert Judgement(value) is judgement  # what storage writes, it reads back
    assert judgement.label == label
    assert judgement.phrase == label.lower()
    assert judgement.key == letter
    assert judgement.digit == digit
    assert judgement.shortcut_hint == f"{letter} or {digit}"
    assert judgement.symbol == symbol
    assert judgement.credit == credit


def test_the_table_covers_every_judgement_in_menu_order() -> None:
    assert [row[0] for row in TABLE] == list(Judgement)


def test_shortcuts_and_symbols_are_all_different() -> None:
    shortcuts = [j.key for j in Judgement] + [j.digit for j in Judgement]
    assert len(set(shortcuts)) == len(shortcuts)
    assert len({j.symbol for j in Judgement}) == len(Judgement)


@pytest.mark.parametrize("judgement", list(Judgement))
def test_letter_in_either_case_and_digit_give_the_judgement(judgement: Judgement) -> None:
    assert judgement_for_key(judgement.key) is judgement
    assert judgement_for_key(judgement.key.lower()) is judgement
    assert judgement_for_key(judgement.digit) is judgement


@pytest.mark.parametrize("text", ["", " ", "X", "5", "9", "MM", "Met", "ß", "\n"])
def test_other_keys_give_no_judgement(text: str) -> None:
    assert judgement_for_key(text) is None


def test_only_not_applicable_is_left_out_and_only_not_yet_assessed_is_unassessed() -> None:
    assert [j for j in Judgement if not j.is_applicable] == [Judgement.NOT_APPLICABLE]
    assert [j for j in Judgement if not j.is_assessed] == [Judgement.NOT_YET_ASSESSED]
