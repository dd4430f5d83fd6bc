"""The level rule: which level a section and a standard reach, and why.

The rule, as users are shown it, is :data:`LEVEL_RULE`.  Decisions on the edge cases:

* **Not applicable** criteria are left out of everything: levels, shares and counts of
  applicable criteria.
* **Not yet assessed** criteria (a ref missing from the judgements counts as one) block a
  level exactly as Not met does, and the explanation says they are not yet assessed, so
  a half-finished workshop never shows a level it has not earned.
* **A level with no applicable criteria** (all marked not applicable, or the section has
  none at that level) counts as achieved once the levels below it are, and the
  explanation says so.  Otherwise one inapplicable level would cap a section for ever.
* **A section with no applicable criteria at all** does not apply: it has no level, does
  not hold the standard back, and says it is left out.  Showing it as "Excellent" would
  put a level on a chart that nobody assessed.
* **A standard none of whose sections apply** has no level ("every criterion is marked
  not applicable"): a standard cannot be Excellent by having nothing to meet.

Shares are per level: met credit (Met 1, Partly met 0.5, Not met and not yet assessed 0)
divided by the number of applicable criteria; None when no criterion at that level applies.

It runs on every keystroke in the workshop, so it is plain loops over the catalogue and
builds each explanation once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nesds_desktop.domain.catalogue import Section, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.levels import Level

LEVEL_RULE = (
    "For each section: Minimum is achieved when every applicable Minimum criterion is met; "
    "Progressing when Minimum is achieved and every applicable Progressing criterion is met; "
    "Excellent likewise. Not applicable criteria are left out; partly met does not achieve a level, "
    "and criteria not yet assessed hold a level back until they are. "
    "A level none of whose criteria apply counts as achieved. "
    "A standard's level is its lowest section level; sections none of whose criteria apply are left out. "
    "The share met at each level counts partly met as half."
)

NO_LEVEL = "No level"
NOT_APPLICABLE = "Not applicable"

# Blocking reasons are listed in this order: the firmest finding first.
_REASON_ORDER = (Judgement.NOT_MET, Judgement.PARTLY_MET, Judgement.NOT_YET_ASSESSED)
# A standard's explanation names at most this many refs per reason, then "and N more".
_STANDARD_REFS_SHOWN = 6
# Level.rank searches the enum on every call; this rule runs per keystroke, so look it up once.
_LEVELS = tuple(Level)
_RANK: dict[Level, int] = {level: rank for rank, level in enumerate(_LEVELS)}


@dataclass(frozen=True)
class LevelShare:
    """How far one level is met: the counts, and the share they give."""

    level: Level
    criteria: int = 0
    met: int = 0
    partly_met: int = 0
    not_met: int = 0
    not_yet_assessed: int = 0
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        return self.criteria - self.not_applicable

    @property
    def credit(self) -> float:
        return self.met + 0.5 * self.partly_met

    @property
    def share(self) -> float | None:
        """Met credit over applicable criteria, 0 to 1; None when none apply."""
        applicable = self.applicable
        return self.credit / applicable if applicable else None

    @property
    def fully_met(self) -> bool:
        """Every applicable criterion is Met (true when none apply)."""
        return self.met == self.applicable

    @property
    def share_text(self) -> str:
        """E.g. "2.5 of 3 met (83%)" or "none apply".

        The percentage is rounded down, so "100%" is only ever shown when every one is met.
        """
        applicable = self.applicable
        if not applicable:
            return "none apply"
        # Whole-number arithmetic on half points: exact, unlike flooring a float.
        percent = (2 * self.met + self.partly_met) * 100 // (2 * applicable)
        return f"{self.credit:g} of {applicable} met ({percent}%)"

    def __add__(self, other: LevelShare) -> LevelShare:
        if other.level is not self.level:
            raise ValueError(f"cannot add a {other.level.label} share to a {self.level.label} share")
        return LevelShare(
            self.level,
            self.criteria + other.criteria,
            self.met + other.met,
            self.partly_met + other.partly_met,
            self.not_met + other.not_met,
            self.not_yet_assessed + other.not_yet_assessed,
            self.not_applicable + other.not_applicable,
        )


@dataclass(frozen=True)
class Blocker:
    """A criterion that stops the next level being achieved, with its judgement."""

    ref: str
    judgement: Judgement


@dataclass(frozen=True)
class SectionResult:
    number: int
    title: str
    level: Level | None
    """The highest level achieved; None when Minimum is not achieved or the section does not apply."""
    applies: bool
    """False when no criterion in the section applies: it is left out of the standard's level."""
    shares: tuple[LevelShare, ...]
    """One per level, lowest first."""
    next_level: Level | None
    """The level not yet achieved (None when Excellent or not applicable)."""
    blockers: tuple[Blocker, ...]
    """Criteria at ``next_level`` that are not Met, in catalogue order."""
    vacuous_levels: tuple[Level, ...]
    """Achieved levels that count as achieved only because none of their criteria apply."""
    explanation: str

    @property
    def level_label(self) -> str:
        return level_label(self.level, self.applies)

    def share(self, level: Level) -> LevelShare:
        return self.shares[_RANK[level]]


@dataclass(frozen=True)
class StandardResult:
    code: str
    title: str
    level: Level | None
    """The lowest level among the sections that apply; None if any has none, or none apply."""
    applies: bool
    sections: tuple[SectionResult, ...]
    holding_back: tuple[SectionResult, ...]
    """The applicable sections at the standard's level that stop it reaching the next one."""
    shares: tuple[LevelShare, ...]
    """Per level across all sections, lowest first."""
    next_level: Level | None
    blockers: tuple[Blocker, ...]
    """The blockers of the sections holding the standard back, in catalogue order."""
    explanation: str

    @property
    def level_label(self) -> str:
        return level_label(self.level, self.applies)

    def share(self, level: Level) -> LevelShare:
        return self.shares[_RANK[level]]

    def section(self, number: int) -> SectionResult:
        for result in self.sections:
            if result.number == number:
                return result
        raise KeyError(number)


def level_label(level: Level | None, applies: bool = True) -> str:
    if not applies:
        return NOT_APPLICABLE
    return NO_LEVEL if level is None else level.label


def assess_section(section: Section, judgements: Mapping[str, Judgement]) -> SectionResult:
    """Apply the level rule to one section; a ref missing from ``judgements`` is not yet assessed."""
    levels = _LEVELS
    counts = [[0] * 6 for _ in levels]  # criteria, met, partly, not met, not yet assessed, n/a
    unmet: list[list[Blocker]] = [[] for _ in levels]
    for criterion in section.criteria:
        judgement = judgements.get(criterion.ref, Judgement.NOT_YET_ASSESSED)
        rank = _RANK[criterion.level]
        row = counts[rank]
        row[0] += 1
        row[_COUNT_COLUMN[judgement]] += 1
        if judgement is not Judgement.MET and judgement is not Judgement.NOT_APPLICABLE:
            unmet[rank].append(Blocker(criterion.ref, judgement))
    shares = tuple(LevelShare(level, *row) for level, row in zip(levels, counts, strict=True))

    applies = any(share.applicable for share in shares)
    achieved: Level | None = None
    next_level: Level | None = None
    blockers: tuple[Blocker, ...] = ()
    if applies:
        for level in levels:
            if unmet[_RANK[level]]:
                next_level = level
                blockers = tuple(unmet[_RANK[level]])
                break
            achieved = level
    vacuous = tuple(
        share.level
        for share in shares
        if applies and achieved is not None and _RANK[share.level] <= _RANK[achieved] and not share.applicable
    )
    explanation = _explain_section(
        section, level=achieved, applies=applies, next_level=next_level, blockers=blockers, vacuous=vacuous
    )
    return SectionResult(
        section.number, section.title, achieved, applies, shares, next_level, blockers, vacuous, explanation
    )


def assess_standard(standard: Standard, judgements: Mapping[str, Judgement]) -> StandardResult:
    """Apply the level rule to every section and take the lowest level among those that apply."""
    sections = tuple(assess_section(section, judgements) for section in standard.sections)
    applicable = [s for s in sections if s.applies]
    shares = tuple(_sum_shares(level, sections) for level in Level)
    if not applicable:
        explanation = (
            "No level: this standard has no criteria."
            if not any(share.criteria for share in shares)
            else "No level: every criterion in this standard is marked not applicable."
        )
        return StandardResult(standard.code, standard.title, None, False, sections, (), shares, None, (), explanation)

    lowest = min(applicable, key=_rank)
    level = lowest.level
    holding_back = tuple(s for s in applicable if s.level is level and s.next_level is not None)
    next_level = holding_back[0].next_level if holding_back else None
    blockers = tuple(b for s in holding_back for b in s.blockers)
    explanation = _explain_standard(level, next_level, holding_back, blockers, sections)
    return StandardResult(
        standard.code, standard.title, level, True, sections, holding_back, shares, next_level, blockers, explanation
    )


_COUNT_COLUMN: dict[Judgement, int] = {
    Judgement.MET: 1,
    Judgement.PARTLY_MET: 2,
    Judgement.NOT_MET: 3,
    Judgement.NOT_YET_ASSESSED: 4,
    Judgement.NOT_APPLICABLE: 5,
}


def _rank(section: SectionResult) -> int:
    return -1 if section.level is None else _RANK[section.level]


def _sum_shares(level: Level, sections: Iterable[SectionResult]) -> LevelShare:
    total = LevelShare(level)
    for section in sections:
        total = total + section.share(level)
    return total


def _explain_section(
    section: Section,
    *,
    level: Level | None,
    applies: bool,
    next_level: Level | None,
    blockers: Sequence[Blocker],
    vacuous: Sequence[Level],
) -> str:
    if not applies:
        if not section.criteria:
            return "Not applicable: this section has no criteria, so it is left out of the standard's level."
        return (
            "Not applicable: every criterion in this section is marked not applicable, "
            "so it is left out of the standard's level."
        )
    text = _headline(level, next_level, blockers, refs_shown=None)
    return _with_vacuous_note(text, vacuous)


def _explain_standard(
    level: Level | None,
    next_level: Level | None,
    holding_back: Sequence[SectionResult],
    blockers: Sequence[Blocker],
    sections: Sequence[SectionResult],
) -> str:
    if next_level is None:
        text = "Excellent: every applicable criterion in every section is met."
    else:
        text = _headline(level, next_level, blockers, refs_shown=_STANDARD_REFS_SHOWN)
        numbers = [f"{s.number} ({s.title})" for s in holding_back]
        noun = "section" if len(numbers) == 1 else "sections"
        text += f" Held back by {noun} {_join(numbers)}."
    left_out = [f"{s.number} ({s.title})" for s in sections if not s.applies]
    if left_out:
        noun = "Section" if len(left_out) == 1 else "Sections"
        verb = "is" if len(left_out) == 1 else "are"
        pronoun = "its" if len(left_out) == 1 else "their"
        text += f" {noun} {_join(left_out)} {verb} left out because none of {pronoun} criteria apply."
    return text


def _headline(
    level: Level | None, next_level: Level | None, blockers: Sequence[Blocker], refs_shown: int | None
) -> str:
    if next_level is None:
        return "Excellent: every applicable criterion is met."
    reasons = _reasons(blockers, refs_shown)
    if level is None:
        return f"No level: {next_level.label} not achieved because {reasons}."
    return f"{level.label}, not {next_level.label}, because {reasons}."


def _with_vacuous_note(text: str, vacuous: Sequence[Level]) -> str:
    if not vacuous:
        return text
    if len(vacuous) == 1:
        return f"{text} {vacuous[0].label} counts as achieved because none of its criteria apply."
    labels = _join([level.label for level in vacuous])
    return f"{text} {labels} count as achieved because none of their criteria apply."


def _reasons(blockers: Sequence[Blocker], refs_shown: int | None) -> str:
    """E.g. "ICT-3-E2 and ICT-3-E4 are not met; ICT-3-E1 is partly met"."""
    clauses = []
    for judgement in _REASON_ORDER:
        refs = [b.ref for b in blockers if b.judgement is judgement]
        if not refs:
            continue
        verb = "is" if len(refs) == 1 else "are"
        if refs_shown is not None and len(refs) > refs_shown + 1:
            named = [*refs[:refs_shown], f"{len(refs) - refs_shown} more"]
        else:
            named = refs
        clauses.append(f"{_join(named)} {verb} {judgement.phrase}")
    return "; ".join(clauses)


def _join(items: Sequence[str]) -> str:
    """Join as "A", "A and B" or "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
