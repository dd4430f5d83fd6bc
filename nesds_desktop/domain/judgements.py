"""The answer an assessment gives for one criterion.

Keyboard scoring (the workshop is run from the keyboard, laptop on a projector):

=================  ======  =====  ======
Judgement          Letter  Digit  Symbol
=================  ======  =====  ======
Met                M       1      ✓
Partly met         P       2      ◐
Not met            N       3      ✗
Not applicable     A       4      –
Not yet assessed   U       0      ?
=================  ======  =====  ======

Letters are the initials people say aloud ("A" for n/A because N is taken by Not met;
"U" for Unassessed); digits run from best to worst along the top row and the number pad,
with 0 clearing the answer.  The UI may also map Delete/Backspace to Not yet assessed.
The symbol is there so status is never shown by colour alone.
"""

from __future__ import annotations

from enum import StrEnum


class Judgement(StrEnum):
    """A criterion's judgement; the value is what storage and files keep."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_YET_ASSESSED = "not_yet_assessed"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def phrase(self) -> str:
        """The label as it reads mid-sentence: "ICT-3-E2 is not yet assessed"."""
        return _LABELS[self].lower()

    @property
    def key(self) -> str:
        """The letter that gives this judgement when scoring."""
        return _KEYS[self][0]

    @property
    def digit(self) -> str:
        """The digit that gives this judgement when scoring."""
        return _KEYS[self][1]

    @property
    def shortcut_hint(self) -> str:
        return f"{self.key} or {self.digit}"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def is_applicable(self) -> bool:
        """False only for Not applicable, which is left out of levels and shares."""
        return self is not Judgement.NOT_APPLICABLE

    @property
    def is_assessed(self) -> bool:
        return self is not Judgement.NOT_YET_ASSESSED

    @property
    def credit(self) -> float | None:
        """Contribution to the share met: Met 1, Partly met 0.5, Not met 0.

        None for Not applicable (left out) and for Not yet assessed, which has no credit
        of its own; in a share it counts as applicable with nothing met (see level_rule).
        """
        return _CREDITS[self]


_LABELS: dict[Judgement, str] = {
    Judgement.MET: "Met",
    Judgement.PARTLY_MET: "Partly met",
    Judgement.NOT_MET: "Not met",
    Judgement.NOT_APPLICABLE: "Not applicable",
    Judgement.NOT_YET_ASSESSED: "Not yet assessed",
}

_KEYS: dict[Judgement, tuple[str, str]] = {
    Judgement.MET: ("M", "1"),
    Judgement.PARTLY_MET: ("P", "2"),
    Judgement.NOT_MET: ("N", "3"),
    Judgement.NOT_APPLICABLE: ("A", "4"),
    Judgement.NOT_YET_ASSESSED: ("U", "0"),
}

_SYMBOLS: dict[Judgement, str] = {
    Judgement.MET: "✓",
    Judgement.PARTLY_MET: "◐",
    Judgement.NOT_MET: "✗",
    Judgement.NOT_APPLICABLE: "–",
    Judgement.NOT_YET_ASSESSED: "?",
}

_CREDITS: dict[Judgement, float | None] = {
    Judgement.MET: 1.0,
    Judgement.PARTLY_MET: 0.5,
    Judgement.NOT_MET: 0.0,
    Judgement.NOT_APPLICABLE: None,
    Judgement.NOT_YET_ASSESSED: None,
}

_BY_SHORTCUT: dict[str, Judgement] = {
    shortcut: judgement for judgement, shortcuts in _KEYS.items() for shortcut in shortcuts
}


def judgement_for_key(text: str) -> Judgement | None:
    """The judgement a typed key gives (letter in either case, or digit); None if it gives none."""
    return _BY_SHORTCUT.get(text.upper()) if len(text) == 1 else None
