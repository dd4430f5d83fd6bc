"""Judgement words councils wrote in their own returns, mapped to the app's judgements.

DOMAIN.md ("Legacy returns") lists the vocabularies.  A word whose meaning is clear in
every vocabulary it appears in is read with full confidence.  A word whose meaning
depends on the sheet's scale ("Largely", the digits 1/2/3 whose direction varied from
council to council, a bare "x", the era levels such as "Achieving") is read with the
most likely mapping but *flagged*, so a person confirms it: the aim is that no
judgement is ever wrong without being flagged.  A mapping the user sets overrides all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from nesds_desktop.domain.judgements import Judgement

MET, PARTLY, NOT_MET = Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET
NOT_APPLICABLE, UNASSESSED = Judgement.NOT_APPLICABLE, Judgement.NOT_YET_ASSESSED


@dataclass(frozen=True)
class JudgementReading:
    judgement: Judgement | None
    confidence: float
    flag: str | None  # None when the word is unambiguous


# Words that mean one thing in every vocabulary that uses them.
_CLEAR: dict[str, Judgement] = {
    **dict.fromkeys(
        ["yes", "y", "met", "fully met", "fully", "achieved", "fully achieved", "complete", "completed",
         "done", "green", "g", "true", "in place", "compliant", "fully compliant", "✓", "✔", "☑", "✅", "√",
         "tick", "ticked", "yes met", "met in full", "fully in place"],
        MET,
    ),
    **dict.fromkeys(
        ["partly", "partly met", "partially", "partially met", "partial", "p", "in progress", "amber",
         "part met", "part", "partly achieved", "partially achieved", "partly in place",
         "partially in place", "partly compliant", "partially compliant", "underway", "under way",
         "ongoing", "started", "work in progress", "wip"],
        PARTLY,
    ),
    **dict.fromkeys(
        ["no", "n", "not met", "not", "not achieved", "not started", "red", "r", "false", "✗", "✘",
         "❌", "✕", "✖", "cross", "not in place", "not compliant", "non compliant", "none", "not yet met",
         "not at all"],
        NOT_MET,
    ),
    **dict.fromkeys(["n/a", "na", "n.a", "not applicable", "n a", "not relevant"], NOT_APPLICABLE),
    **dict.fromkeys(
        ["", "not assessed", "not yet assessed", "unassessed", "tbc", "tba", "?", "to be confirmed",
         "unknown", "not known"],
        UNASSESSED,
    ),
}

# Words whose meaning depends on the scale used: the likeliest mapping, always flagged.
_AMBIGUOUS: dict[str, tuple[Judgement, str]] = {
    "largely": (PARTLY, "'Largely' sits between Fully and Partly; read as Partly met"),
    "largely met": (PARTLY, "'Largely met' sits between Met and Partly met; read as Partly met"),
    "mostly": (PARTLY, "'Mostly' sits between Fully and Partly; read as Partly met"),
    "~": (PARTLY, "'~' is read as Partly met"),
    "x": (NOT_MET, "a bare 'x' may mark a cross (Not met) or a mark meaning yes; read as Not met"),
    "a": (PARTLY, "'A' may mean Amber or n/A; read as Partly met (Amber)"),
    "-": (NOT_APPLICABLE, "a dash may mean not applicable or not answered; read as Not applicable"),
    "–": (NOT_APPLICABLE, "a dash may mean not applicable or not answered; read as Not applicable"),
    "—": (NOT_APPLICABLE, "a dash may mean not applicable or not answered; read as Not applicable"),
    # Digits: councils numbered their scales in both directions.
    "0": (NOT_MET, "the number 0 has no fixed meaning; read as Not met"),
    "1": (MET, "the number 1 may be the best or the worst score; read as Met"),
    "2": (PARTLY, "the number 2 is a middle score; read as Partly met"),
    "3": (NOT_MET, "the number 3 may be the worst or the best score; read as Not met"),
    # Era vocabularies from related frameworks.
    "required": (MET, "Priority Outcomes 'Required' is a level reached, not a judgement; read as Met"),
    "good": (MET, "Priority Outcomes 'Good' is a level reached, not a judgement; read as Met"),
    "excellent": (MET, "'Excellent' is a level reached, not a judgement; read as Met"),
    "developing": (PARTLY, "'Developing' is an era level, not a judgement; read as Partly met"),
    "achieving": (MET, "'Achieving' is an era level, not a judgement; read as Met"),
    "blue": (MET, "an IEG 'Blue' light is read as Met"),
}

_EQUALITY_LEVELS: dict[str, Judgement] = {"1": NOT_MET, "2": PARTLY, "3": PARTLY, "4": MET, "5": MET}

_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t.:;!,'\"()[]"


def normalise_word(text: str) -> str:
    """The form words are compared in: lower case, single spaces, no surrounding punctuation."""
    cleaned = _SPACES.sub(" ", text.strip().lower()).strip(_EDGE_PUNCTUATION)
    if cleaned.endswith("?") and len(cleaned) > 1:
        cleaned = cleaned[:-1].strip(_EDGE_PUNCTUATION)
    if cleaned.endswith(".0") and cleaned[:-2].isdigit():
        cleaned = cleaned[:-2]  # a number cell read as a float
    return cleaned.replace(" / ", "/")


def read_judgement(  # noqa: PLR0911 - one return per kind of reading
    text: str, user_mapping: Mapping[str, Judgement] | None = None
) -> JudgementReading:
    """What ``text`` (a cell's text) says about a criterion, with a confidence and a flag when unsure."""
    bracketed_tick = re.match(r"\s*\(\s*[✓✔√]\s*\)\s*", text)
    if bracketed_tick:  # a tick in brackets: partly
        if bracketed_tick.end() == len(text):
            return JudgementReading(PARTLY, 1.0, None)
        return JudgementReading(PARTLY, 0.7, f"read {text.strip()!r} from its first words; check it")
    word = normalise_word(text)
    if user_mapping:
        for key, judgement in user_mapping.items():
            if normalise_word(key) == word:
                return JudgementReading(judgement, 1.0, None)
    clear = _CLEAR.get(word)
    if clear is not None:
        return JudgementReading(clear, 1.0, None)
    ambiguous = _AMBIGUOUS.get(word)
    if ambiguous is not None:
        return JudgementReading(ambiguous[0], 0.5, ambiguous[1])
    level = _equality_level(word)
    if level is not None:
        return level
    first = _leading_word(word)
    if first is not None:
        return JudgementReading(first, 0.7, f"read {text.strip()!r} from its first words; check it")
    return JudgementReading(None, 0.0, f"the value {text.strip()!r} is not a judgement word this program knows")


def _equality_level(word: str) -> JudgementReading | None:
    match = re.fullmatch(r"(?:level|lvl|l)\s*([1-5])|([45])", word)
    if match is None:
        return None
    digit = match.group(1) or match.group(2)
    judgement = _EQUALITY_LEVELS[digit]
    return JudgementReading(
        judgement, 0.5, f"Equality Standard level {digit} is a level, not a judgement; read as {judgement.label}"
    )


def _leading_word(word: str) -> Judgement | None:
    """A judgement word followed by a remark, such as "Yes - policy approved 2005"."""
    parts = re.split(r"\s*[-–,;:(/]\s*|\s+", word, maxsplit=1)
    if len(parts) < 2 or not parts[0]:
        return None
    for length in (3, 2, 1):
        head = " ".join(word.replace("-", " ").split()[:length]).strip(_EDGE_PUNCTUATION)
        judgement = _CLEAR.get(head) or (_AMBIGUOUS[head][0] if head in _AMBIGUOUS else None)
        if judgement is not None and head:
            return judgement
    return None
