"""The plain parts of an assessment: its round, state, evidence references and actions.

Money is ``Decimal`` pounds with exactly two decimal places (whole pence), never float:
savings are added up and reported to the penny, and binary fractions would drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

PENNY = Decimal("0.01")
ZERO_POUNDS = Decimal("0.00")
_ROUND_PATTERN = re.compile(r"([0-9]{4})/([0-9]{2})")


class AssessmentError(ValueError):
    """A value in an assessment is not acceptable; the message says what to fix."""


@dataclass(frozen=True, order=True)
class Round:
    """A financial year in which assessments are made, written "2006/07" (April to March)."""

    start_year: int

    def __post_init__(self) -> None:
        if not 1000 <= self.start_year <= 9998:
            raise AssessmentError(f"a round's first year must have four digits, not {self.start_year}")

    @classmethod
    def parse(cls, text: str) -> Round:
        """The round written ``text``, which must be YYYY/YY with consecutive years, e.g. "2006/07"."""
        cleaned = text.strip()
        match = _ROUND_PATTERN.fullmatch(cleaned)
        if match is None:
            raise AssessmentError(f"{text!r} is not a round; write it as a year and the next, e.g. 2006/07")
        start = int(match.group(1))
        if int(match.group(2)) != (start + 1) % 100:
            raise AssessmentError(f"{cleaned} is not a round: the years must be consecutive, e.g. {cls(start).label}")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> Round:
        """The round (financial year, 1 April to 31 March) that ``day`` falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def next(self) -> Round:
        return Round(self.start_year + 1)

    def previous(self) -> Round:
        return Round(self.start_year - 1)

    def __str__(self) -> str:
        return self.label


class AssessmentState(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ActionPriority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def sort_key(self) -> int:
        """0 for High: sorting by this puts the most urgent first."""
        return _PRIORITY_ORDER[self]


_PRIORITY_ORDER: dict[ActionPriority, int] = {p: i for i, p in enumerate(ActionPriority)}


class ActionState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        return self in {ActionState.NOT_STARTED, ActionState.IN_PROGRESS}


def pounds(value: Decimal | int | str) -> Decimal:
    """A non-negative sum of money in pounds as a Decimal to the penny.

    Accepts a Decimal, an int or text such as "£1,234.50"; refuses float (inexact),
    negative amounts and fractions of a penny, with a message saying which.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise AssessmentError(f"a sum of money must be a Decimal, whole number or text, not {type(value).__name__}")
    if isinstance(value, str):
        text = value.strip().removeprefix("£").replace(",", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise AssessmentError(f"{value!r} is not a sum of money; write pounds and pence, e.g. 1250.00") from None
    else:
        amount = Decimal(value)
    if not amount.is_finite():
        raise AssessmentError(f"{value!r} is not a sum of money")
    if amount < 0:
        raise AssessmentError(f"a saving cannot be negative (given £{amount})")
    try:
        in_pence = amount.quantize(PENNY)
    except InvalidOperation:
        raise AssessmentError(f"£{amount} is too large to be a saving") from None
    if amount != in_pence:
        raise AssessmentError(f"£{amount} has a fraction of a penny; give pounds and whole pence")
    return in_pence


@dataclass(frozen=True)
class EvidenceReference:
    """A document or record that supports a judgement, and where to find it."""

    title: str
    location: str = ""
    """Where it is: a file path, web address, or "minute book, ICT office"; may be left blank."""

    def __post_init__(self) -> None:
        title = self.title.strip()
        if not title:
            raise AssessmentError("an evidence reference needs a title")
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "location", self.location.strip())


@dataclass(frozen=True)
class Action:
    """An improvement step for a gap, with its estimated efficiency saving (pounds a year)."""

    description: str
    criterion_ref: str | None = None
    """The criterion whose gap it closes; None for an action that serves the standard as a whole."""
    owner: str = ""
    due: date | None = None
    priority: ActionPriority = ActionPriority.MEDIUM
    state: ActionState = ActionState.NOT_STARTED
    saving_cashable: Decimal = ZERO_POUNDS
    saving_non_cashable: Decimal = ZERO_POUNDS

    def __post_init__(self) -> None:
        description = self.description.strip()
        if not description:
            raise AssessmentError("an action needs a description")
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "owner", self.owner.strip())
        if self.criterion_ref is not None:
            ref = self.criterion_ref.strip()
            object.__setattr__(self, "criterion_ref", ref or None)
        for name in ("saving_cashable", "saving_non_cashable"):
            try:
                amount = pounds(getattr(self, name))
            except AssessmentError as error:
                label = name.removeprefix("saving_").replace("_", "-")
                raise AssessmentError(f"{label} saving: {error}") from None
            object.__setattr__(self, name, amount)

    @property
    def saving_total(self) -> Decimal:
        return self.saving_cashable + self.saving_non_cashable


@dataclass(frozen=True)
class SavingsTotals:
    cashable: Decimal = ZERO_POUNDS
    non_cashable: Decimal = ZERO_POUNDS
    actions: int = 0
    """How many actions were counted."""

    @property
    def total(self) -> Decimal:
        return self.cashable + self.non_cashable

    @property
    def cashable_share(self) -> Decimal | None:
        """Cashable over total, 0 to 1 to four places; None when there are no savings."""
        total = self.total
        return (self.cashable / total).quantize(Decimal("0.0001")) if total else None


def total_savings(actions: Iterable[Action], *, include_cancelled: bool = False) -> SavingsTotals:
    """The savings of ``actions`` added up; cancelled actions are left out unless asked for."""
    cashable = ZERO_POUNDS
    non_cashable = ZERO_POUNDS
    counted = 0
    for action in actions:
        if action.state is ActionState.CANCELLED and not include_cancelled:
            continue
        cashable += action.saving_cashable
        non_cashable += action.saving_non_cashable
        counted += 1
    return SavingsTotals(cashable, non_cashable, counted)
