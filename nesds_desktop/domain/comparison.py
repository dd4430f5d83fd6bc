"""Comparisons: one authority beside its peers, and one authority over its rounds.

Plain functions over judgements; the store and the screens only feed and show them.

Decisions:

* **Bands.** A section's or a standard's outcome is one of four bands, lowest first:
  No level, Minimum, Progressing, Excellent.  A section none of whose criteria apply is
  counted as Not applicable, apart from the bands, so it never looks like an achievement.
* **Position** is given as how many peers are in a lower, the same and a higher band than
  this authority, which reads the same whatever the size of the peer group.
* **Gaps** are the criteria this authority has assessed as partly met or not met, or not
  yet assessed, that most peers meet (more than half, by default).  A peer's share is
  counted among the peers to whom the criterion applies (Not applicable is left out, as
  in the level rule; not yet assessed counts as not met).
* **Anonymised labels** ("Authority A", "Authority B", ... "Authority AA") follow an order
  drawn from a hash of the whole peer set, so the same set always gets the same labels,
  and the labels give away neither the alphabetical order nor the store's identities.
* **Progress** compares consecutive rounds.  A criterion is newly met when it is Met now
  and was not Met in the round before; newly lost when it was Met and is now partly met or
  not met (not yet assessed is not a finding, so it is not a loss; Not applicable neither).
  When the rounds were assessed against different releases, ``ref_map`` (from the crosswalk)
  says which earlier criteria each later one comes from; a later criterion with no earlier
  source (added) is left out of both lists; a merged one counts as met before only if all
  of its sources were.
* **Overdue actions** are open (not started or in progress) and due before the given date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from nesds_desktop.domain.assessments import Action, ActionState
from nesds_desktop.domain.catalogue import Criterion, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import NO_LEVEL, NOT_APPLICABLE
from nesds_desktop.domain.levels import Level

#: The bands a section or standard can be in, lowest first (Not applicable is kept apart).
BANDS: tuple[str, ...] = (NO_LEVEL, *(level.label for level in Level))
BAND_RANK: dict[str, int] = {band: rank for rank, band in enumerate(BANDS)}
#: A criterion is a gap when more than this share of the peers it applies to meet it.
MOST_PEERS = 0.5
_LEVELS = tuple(Level)


def band(level: Level | None, applies: bool = True) -> str:
    """The band label of a level: "No level", "Minimum", ... or "Not applicable"."""
    if not applies:
        return NOT_APPLICABLE
    return NO_LEVEL if level is None else level.label


# -- levels without explanations --------------------------------------------------------------


@dataclass(frozen=True)
class LevelsOnly:
    """The bands the level rule gives, per section (by number) and for the standard."""

    sections: dict[int, str]
    overall: str


def levels_only(standard: Standard, judgements: Mapping[str, Judgement]) -> LevelsOnly:
    """The level rule's bands, without building explanations: fast enough for hundreds of peers.

    Gives exactly what :func:`nesds_desktop.domain.level_rule.assess_standard` gives (a test
    checks it on random judgements).
    """
    sections: dict[int, str] = {}
    lowest: int | None = None
    for section in standard.sections:
        applicable = [False, False, False]
        unmet = [False, False, False]
        for criterion in section.criteria:
            judgement = judgements.get(criterion.ref, Judgement.NOT_YET_ASSESSED)
            if judgement is Judgement.NOT_APPLICABLE:
                continue
            rank = _RANK[criterion.level]
            applicable[rank] = True
            if judgement is not Judgement.MET:
                unmet[rank] = True
        if not any(applicable):
            sections[section.number] = NOT_APPLICABLE
            continue
        achieved = 0  # bands: 0 No level, 1 Minimum, ...
        for rank in range(len(_LEVELS)):
            if unmet[rank]:
                break
            achieved = rank + 1
        sections[section.number] = BANDS[achieved]
        lowest = achieved if lowest is None else min(lowest, achieved)
    overall = NOT_APPLICABLE if lowest is None else BANDS[lowest]
    return LevelsOnly(sections, overall)


_RANK: dict[Level, int] = {level: rank for rank, level in enumerate(_LEVELS)}


# -- peers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorityJudgements:
    """One authority's answers to one standard in one round."""

    authority_id: int
    name: str
    judgements: Mapping[str, Judgement]
    authority_type: str = ""
    region: str = ""


@dataclass(frozen=True)
class Distribution:
    """How many peers are in each band, and where this authority stands among them."""

    counts: dict[str, int]
    """Per band in :data:`BANDS` order; peers for whom it does not apply are in ``not_applicable``."""
    not_applicable: int = 0
    subject: str | None = None
    """This authority's band (or "Not applicable"); None when no authority is compared."""
    below: int = 0
    same: int = 0
    above: int = 0

    @property
    def peers(self) -> int:
        """Peers in a band (those for whom it does not apply left out)."""
        return sum(self.counts.values())

    def share(self, band_label: str) -> float | None:
        peers = self.peers
        return self.counts.get(band_label, 0) / peers if peers else None

    @property
    def position_text(self) -> str:
        """E.g. "higher than 12 peers, level with 5, lower than 3"; empty without a subject band."""
        if self.subject is None or self.subject == NOT_APPLICABLE or not self.peers:
            return ""
        return f"higher than {self.below} of {self.peers} peers, level with {self.same}, lower than {self.above}"


@dataclass(frozen=True)
class SectionComparison:
    number: int
    title: str
    distribution: Distribution


@dataclass(frozen=True)
class GapCriterion:
    """A criterion most peers meet that this authority does not."""

    criterion: Criterion
    section_number: int
    judgement: Judgement
    """This authority's judgement of it."""
    peers_meeting: int
    peers_applicable: int

    @property
    def share(self) -> float:
        return self.peers_meeting / self.peers_applicable if self.peers_applicable else 0.0

    @property
    def share_text(self) -> str:
        percent = self.peers_meeting * 100 // self.peers_applicable if self.peers_applicable else 0
        return f"{self.peers_meeting} of {self.peers_applicable} peers ({percent}%)"


@dataclass(frozen=True)
class PeerRow:
    """One peer's bands, under its name or anonymised label."""

    label: str
    authority_id: int
    overall: str
    sections: dict[int, str]
    authority_type: str = ""
    region: str = ""


@dataclass(frozen=True)
class PeerComparison:
    standard_code: str
    standard_title: str
    round_label: str
    subject_name: str | None
    """The authority compared; None for the peer distribution alone."""
    subject_sections: dict[int, str]
    subject_overall: str | None
    overall: Distribution
    sections: tuple[SectionComparison, ...]
    gaps: tuple[GapCriterion, ...]
    peers: tuple[PeerRow, ...]
    anonymised: bool = False
    notes: tuple[str, ...] = field(default=())
    """What was left out and why, in words for the reader."""


def compare_with_peers(
    standard: Standard,
    round_label: str,
    peers: Sequence[AuthorityJudgements],
    subject: AuthorityJudgements | None = None,
    *,
    anonymise: bool = False,
    most: float = MOST_PEERS,
    notes: Sequence[str] = (),
) -> PeerComparison:
    """Compare ``subject`` with ``peers`` (the subject is taken out of the peers if given among them)."""
    if subject is not None:
        peers = [p for p in peers if p.authority_id != subject.authority_id]
    levels = [levels_only(standard, peer.judgements) for peer in peers]
    subject_levels = levels_only(standard, subject.judgements) if subject is not None else None

    def distribution(values: Sequence[str], subject_band: str | None) -> Distribution:
        counts = dict.fromkeys(BANDS, 0)
        not_applicable = 0
        for value in values:
            if value == NOT_APPLICABLE:
                not_applicable += 1
            else:
                counts[value] += 1
        below = same = above = 0
        if subject_band is not None and subject_band != NOT_APPLICABLE:
            mine = BAND_RANK[subject_band]
            below = sum(count for b, count in counts.items() if BAND_RANK[b] < mine)
            same = counts[subject_band]
            above = sum(count for b, count in counts.items() if BAND_RANK[b] > mine)
        return Distribution(counts, not_applicable, subject_band, below, same, above)

    overall = distribution([lv.overall for lv in levels], subject_levels.overall if subject_levels else None)
    sections = tuple(
        SectionComparison(
            section.number,
            section.title,
            distribution(
                [lv.sections[section.number] for lv in levels],
                subject_levels.sections[section.number] if subject_levels else None,
            ),
        )
        for section in standard.sections
    )
    gaps = _gaps(standard, peers, subject, most) if subject is not None else ()
    labels = anonymous_labels([p.authority_id for p in peers]) if anonymise else {}
    rows = [
        PeerRow(
            labels.get(peer.authority_id, peer.name),
            peer.authority_id,
            lv.overall,
            lv.sections,
            "" if anonymise else peer.authority_type,
            "" if anonymise else peer.region,
        )
        for peer, lv in zip(peers, levels, strict=True)
    ]
    rows.sort(key=lambda row: (_label_key(row.label) if anonymise else (0, row.label.casefold())))
    return PeerComparison(
        standard_code=standard.code,
        standard_title=standard.title,
        round_label=round_label,
        subject_name=subject.name if subject is not None else None,
        subject_sections=dict(subject_levels.sections) if subject_levels else {},
        subject_overall=subject_levels.overall if subject_levels else None,
        overall=overall,
        sections=sections,
        gaps=gaps,
        peers=tuple(rows),
        anonymised=anonymise,
        notes=tuple(notes),
    )


def _gaps(
    standard: Standard, peers: Sequence[AuthorityJudgements], subject: AuthorityJudgements, most: float
) -> tuple[GapCriterion, ...]:
    found: list[tuple[GapCriterion, int]] = []
    position = 0
    for section in standard.sections:
        for criterion in section.criteria:
            position += 1
            mine = subject.judgements.get(criterion.ref, Judgement.NOT_YET_ASSESSED)
            if mine is Judgement.MET or mine is Judgement.NOT_APPLICABLE:
                continue
            applicable = meeting = 0
            for peer in peers:
                theirs = peer.judgements.get(criterion.ref, Judgement.NOT_YET_ASSESSED)
                if theirs is Judgement.NOT_APPLICABLE:
                    continue
                applicable += 1
                meeting += theirs is Judgement.MET
            if applicable and meeting / applicable > most:
                found.append((GapCriterion(criterion, section.number, mine, meeting, applicable), position))
    # The widest gaps first (the share most peers meet), then the lower level, then catalogue order.
    found.sort(key=lambda pair: (-pair[0].share, pair[0].criterion.level.rank, pair[1]))
    return tuple(gap for gap, _ in found)


def anonymous_labels(authority_ids: Sequence[int]) -> dict[int, str]:
    """"Authority A", "Authority B", ... for the given set, the same for the same set."""
    members = sorted(set(authority_ids))
    fingerprint = ",".join(str(member) for member in members)

    def order(member: int) -> str:
        return hashlib.sha256(f"{fingerprint}:{member}".encode()).hexdigest()

    return {member: f"Authority {_letters(index)}" for index, member in enumerate(sorted(members, key=order))}


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as spreadsheet columns are named."""
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = chr(ord("A") + remainder) + text
    return text


def _label_key(label: str) -> tuple[int, str]:
    letters = label.removeprefix("Authority ")
    return (len(letters), letters)


# -- progress over rounds ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoundAssessment:
    """One round's assessment of a standard by one authority."""

    round_label: str
    release_id: str
    standard: Standard
    judgements: Mapping[str, Judgement]
    actions: Sequence[Action] = ()


@dataclass(frozen=True)
class OverdueAction:
    description: str
    criterion_ref: str | None
    owner: str
    due: date


@dataclass(frozen=True)
class RoundProgress:
    round_label: str
    release_id: str
    overall: str
    sections: dict[int, str]
    met: int
    applicable: int
    actions: int
    completed: int
    overdue: tuple[OverdueAction, ...]


@dataclass(frozen=True)
class RoundChange:
    """What changed between one round and the next, in the later round's references."""

    from_round: str
    to_round: str
    newly_met: tuple[str, ...]
    newly_lost: tuple[str, ...]
    through_crosswalk: bool = False


@dataclass(frozen=True)
class Progress:
    standard_code: str
    standard_title: str
    section_titles: dict[int, str]
    """From the latest round's release; sections are matched by number across releases."""
    rounds: tuple[RoundProgress, ...]
    changes: tuple[RoundChange, ...]
    as_of: date
    notes: tuple[str, ...] = ()


def track_progress(
    rounds: Sequence[RoundAssessment],
    as_of: date,
    ref_maps: Mapping[int, Mapping[str, tuple[str, ...]]] | None = None,
    notes: Sequence[str] = (),
) -> Progress:
    """Progress over ``rounds`` (oldest first).

    ``ref_maps[i]`` maps each criterion of round ``i`` to the criteria of round ``i - 1``
    it comes from; when absent, a criterion comes from the one with the same reference.
    """
    if not rounds:
        raise ValueError("progress needs at least one round")
    ref_maps = ref_maps or {}
    latest = rounds[-1].standard
    progress = tuple(_round_progress(item, as_of) for item in rounds)
    changes = []
    for index in range(1, len(rounds)):
        before, after = rounds[index - 1], rounds[index]
        mapping = ref_maps.get(index)
        newly_met: list[str] = []
        newly_lost: list[str] = []
        for criterion in after.standard.criteria():
            sources = mapping.get(criterion.ref, ()) if mapping is not None else (criterion.ref,)
            if not sources:
                continue
            was_met = all(before.judgements.get(s, Judgement.NOT_YET_ASSESSED) is Judgement.MET for s in sources)
            now = after.judgements.get(criterion.ref, Judgement.NOT_YET_ASSESSED)
            if now is Judgement.MET and not was_met:
                newly_met.append(criterion.ref)
            elif was_met and now in (Judgement.PARTLY_MET, Judgement.NOT_MET):
                newly_lost.append(criterion.ref)
        changes.append(
            RoundChange(before.round_label, after.round_label, tuple(newly_met), tuple(newly_lost), mapping is not None)
        )
    return Progress(
        standard_code=latest.code,
        standard_title=latest.title,
        section_titles={section.number: section.title for section in latest.sections},
        rounds=progress,
        changes=tuple(changes),
        as_of=as_of,
        notes=tuple(notes),
    )


def _round_progress(item: RoundAssessment, as_of: date) -> RoundProgress:
    levels = levels_only(item.standard, item.judgements)
    met = applicable = 0
    for criterion in item.standard.criteria():
        judgement = item.judgements.get(criterion.ref, Judgement.NOT_YET_ASSESSED)
        if judgement is Judgement.NOT_APPLICABLE:
            continue
        applicable += 1
        met += judgement is Judgement.MET
    completed = sum(1 for action in item.actions if action.state is ActionState.COMPLETED)
    overdue = tuple(
        OverdueAction(action.description, action.criterion_ref, action.owner, action.due)
        for action in item.actions
        if action.state.is_open and action.due is not None and action.due < as_of
    )
    return RoundProgress(
        item.round_label,
        item.release_id,
        levels.overall,
        levels.sections,
        met,
        applicable,
        len(item.actions),
        completed,
        overdue,
    )


# -- portfolio --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioEntry:
    standard_code: str
    standard_title: str
    band: str | None
    """The cached level label; None when the standard was not assessed in the round."""
    answered: int = 0
    total: int = 0
    state: str = ""


@dataclass(frozen=True)
class Portfolio:
    authority_name: str
    round_label: str
    entries: tuple[PortfolioEntry, ...]

    def count(self, band_label: str) -> int:
        return sum(1 for entry in self.entries if entry.band == band_label)
