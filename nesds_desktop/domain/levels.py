"""The three NeSDS levels and the judgements a criterion can receive."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """A level of an e-Standard, lowest first."""

    MINIMUM = "minimum"
    PROGRESSING = "progressing"
    EXCELLENT = "excellent"

    @property
    def letter(self) -> str:
        """The letter used in criterion references (M, P, E)."""
        return self.value[0].upper()

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @classmethod
    def from_letter(cls, letter: str) -> Level:
        for level in cls:
            if level.letter == letter.upper():
                return level
        raise ValueError(f"no level has the letter {letter!r}")
