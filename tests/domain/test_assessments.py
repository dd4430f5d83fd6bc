"""Rounds, evidence references, actions and their savings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nesds_desktop.domain.assessments import (
    Action,
    ActionPriority,
    ActionState,
    AssessmentError,
    AssessmentState,
    EvidenceReference,
    Round,
    SavingsTotals,
    pounds,
    total_savings,
)


@pytest.mark.parametrize(
    ("text", "start_year"),
    [("2006/07", 2006), (" 2005/06 ", 2005), ("1999/00", 1999), ("2009/10", 2009)],
)
def test_rounds_are_parsed(text: str, start_year: int) -> None:
    assert Round.parse(text) == Round(start_year)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2006/08", "2006/08 is not a round: the years must be consecutive, e.g. 2006/07"),
        ("2006/06", "the years must be consecutive, e.g. 2006/07"),
        ("1999/01", "the years must be consecutive, e.g. 1999/00"),
        ("2006-07", "'2006-07' is not a round; write it as a year and the next, e.g. 2006/07"),
        ("2006/2007", "is not a round; write it as a year and the next"),
        ("06/07", "is not a round; write it as a year and the next"),
        ("2006", "is not a round"),
        ("", "'' is not a round"),
        ("２００６/07", "is not a round; write it"),  # full-width digits
    ],
)
def test_bad_rounds_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(AssessmentError) as raised:
        Round.parse(text)
    assert message in str(raised.value)


@given(st.integers(1000, 9998))
def test_a_round_reads_back_from_its_label(start_year: int) -> None:
    round_ = Round(start_year)
    assert Round.parse(round_.label) == round_
    assert str(round_) == round_.label
    assert len(round_.label) == 7


def test_round_label_dates_and_neighbours() -> None:
    round_ = Round(2006)
    assert round_.label == "2006/07"
    assert (round_.first_day, round_.last_day) == (date(2006, 4, 1), date(2007, 3, 31))
    assert round_.next() == Round(2007)
    assert round_.previous() == Round(2005)
    assert sorted([Round(2007), Round(2005), Round(2006)]) == [Round(2005), Round(2006), Round(2007)]


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2006, 4, 1), "2006/07"),
        (date(2007, 3, 31), "2006/07"),
        (date(2007, 1, 15), "2006/07"),
        (date(2006, 3, 31), "2005/06"),
    ],
)
def test_the_round_containing_a_day_is_its_financial_year(day: date, label: str) -> None:
    assert Round.containing(day).label == label


def test_a_round_needs_a_four_digit_year() -> None:
    with pytest.raises(AssessmentError, match="a round's first year must have four digits, not 999"):
        Round(999)


def test_states_and_labels() -> None:
    assert [s.label for s in AssessmentState] == ["Draft", "Agreed", "Submitted"]
    assert [p.label for p in ActionPriority] == ["High", "Medium", "Low"]
    assert sorted(ActionPriority, key=lambda p: p.sort_key) == [
        ActionPriority.HIGH,
        ActionPriority.MEDIUM,
        ActionPriority.LOW,
    ]
    assert [s.label for s in ActionState] == ["Not started", "In progress", "Completed", "Cancelled"]
    assert [s for s in ActionState if s.is_open] == [ActionState.NOT_STARTED, ActionState.IN_PROGRESS]
    assert AssessmentState("submitted") is AssessmentState.SUBMITTED


def test_evidence_reference_is_tidied_and_needs_a_title() -> None:
    reference = EvidenceReference("  ICT strategy 2005 ", " \\\\fileserver\\ict\\strategy.pdf ")
    assert reference == EvidenceReference("ICT strategy 2005", "\\\\fileserver\\ict\\strategy.pdf")
    assert EvidenceReference("Cabinet minutes").location == ""
    with pytest.raises(AssessmentError, match="an evidence reference needs a title"):
        EvidenceReference(" ", "somewhere")


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        (Decimal("1250"), Decimal("1250.00")),
        (Decimal("0.5"), Decimal("0.50")),
        (3, Decimal("3.00")),
        ("£1,234.56", Decimal("1234.56")),
        (" 66507 ", Decimal("66507.00")),
        ("0", Decimal("0.00")),
    ],
)
def test_pounds_accepts_decimal_int_and_text(value: Decimal | int | str, amount: Decimal) -> None:
    result = pounds(value)
    assert result == amount
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("-1"), "a saving cannot be negative (given £-1)"),
        ("£-20", "a saving cannot be negative"),
        (Decimal("10.005"), "£10.005 has a fraction of a penny; give pounds and whole pence"),
        ("twelve", "'twelve' is not a sum of money; write pounds and pence, e.g. 1250.00"),
        ("", "is not a sum of money"),
        (Decimal("NaN"), "is not a sum of money"),
        ("Infinity", "is not a sum of money"),
        (Decimal("1e40"), "is too large to be a saving"),
        (12.5, "a sum of money must be a Decimal, whole number or text, not float"),
        (True, "not bool"),
    ],
)
def test_pounds_refuses_what_is_not_money(value: object, message: str) -> None:
    with pytest.raises(AssessmentError) as raised:
        pounds(value)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_an_action_keeps_its_details_and_savings_in_pence() -> None:
    action = Action(
        " Adopt the ICT strategy at Cabinet ",
        criterion_ref="ICT-1-M1",
        owner=" Head of ICT ",
        due=date(2007, 3, 31),
        priority=ActionPriority.HIGH,
        saving_cashable=Decimal("30593.22"),
        saving_non_cashable=Decimal("35913.78"),
    )
    assert action.description == "Adopt the ICT strategy at Cabinet"
    assert action.owner == "Head of ICT"
    assert action.state is ActionState.NOT_STARTED
    assert action.saving_total == Decimal("66507.00")
    assert replace(action, state=ActionState.COMPLETED).state is ActionState.COMPLETED


def test_an_action_may_serve_the_whole_standard() -> None:
    assert Action("Train all staff").criterion_ref is None
    assert Action("Train all staff", criterion_ref="  ").criterion_ref is None
    assert Action("Train all staff").saving_total == Decimal("0.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": "  "}, "an action needs a description"),
        ({"saving_cashable": Decimal("-5")}, "cashable saving: a saving cannot be negative (given £-5)"),
        ({"saving_non_cashable": Decimal("0.001")}, "non-cashable saving: £0.001 has a fraction of a penny"),
    ],
)
def test_a_bad_action_says_what_is_wrong(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"description": "Publish a customer access strategy", **changes}
    with pytest.raises(AssessmentError) as raised:
        Action(**fields)  # type: ignore[arg-type]
    assert str(raised.value).startswith(message)


def test_savings_are_totalled_without_cancelled_actions_unless_asked() -> None:
    actions = [
        Action("A", saving_cashable=Decimal("100.10"), saving_non_cashable=Decimal("50")),
        Action("B", saving_cashable=Decimal("0.20"), state=ActionState.COMPLETED),
        Action("C", saving_non_cashable=Decimal("999.99"), state=ActionState.CANCELLED),
    ]
    totals = total_savings(actions)
    assert totals == SavingsTotals(Decimal("100.30"), Decimal("50.00"), actions=2)
    assert totals.total == Decimal("150.30")
    assert totals.cashable_share == Decimal("0.6673")
    with_cancelled = total_savings(actions, include_cancelled=True)
    assert with_cancelled == SavingsTotals(Decimal("100.30"), Decimal("1049.99"), actions=3)


def test_no_savings_have_no_cashable_share() -> None:
    assert total_savings([]) == SavingsTotals()
    assert SavingsTotals().cashable_share is None


def test_the_domain_documents_example_split() -> None:
    # DOMAIN.md: £66,507 identified for 2005/06, 46% cashable, 54% non-cashable.
    totals = total_savings(
        [Action("Shared print contract", saving_cashable=Decimal(30593), saving_non_cashable=Decimal(35914))]
    )
    assert totals.total == Decimal("66507.00")
    assert totals.cashable_share is not None
    assert round(totals.cashable_share * 100) == 46


@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)), max_size=30))
def test_totals_are_exact_to_the_penny(pence_pairs: list[tuple[int, int]]) -> None:
    actions = [
        Action(f"Action {i}", saving_cashable=Decimal(c) / 100, saving_non_cashable=Decimal(n) / 100)
        for i, (c, n) in enumerate(pence_pairs)
    ]
    totals = total_savings(actions)
    assert totals.cashable * 100 == sum(c for c, _ in pence_pairs)
    assert totals.non_cashable * 100 == sum(n for _, n in pence_pairs)
    assert totals.actions == len(pence_pairs)
