"""Match a legacy row to a catalogue criterion: by reference when it has a usable one, else by text.

References were written many ways: the catalogue's own (ICT-2-P3), or a section and a
position within it (ICT 2.3, ICT-2-3, or 2.3 when the sheet's standard is known).  Text
is matched by weighted word overlap (rare words count more) so a reworded criterion
still finds its original.  Every match carries a confidence; a weak or contested match
is flagged for review, never silently accepted.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nesds_desktop.domain.catalogue import Criterion, Standard
from nesds_desktop.returns.legacy.model import MatchedBy

# A text match this good, and this far ahead of the next best, is accepted without review.
ACCEPT_SCORE = 0.45
ACCEPT_MARGIN = 0.12
# Below this, a text match is not offered at all.
MIN_SCORE = 0.2
# Below this, the row's text is too unlike the referenced criterion's to take the reference on trust.
DISAGREE_SCORE = 0.2

_REF = re.compile(
    r"""^\s*(?:(?P<code>[A-Za-z]{2,4})\s*[-_./:\s]?\s*)?
        (?P<section>\d{1,2})\s*[-_./:\s]\s*
        (?:(?P<level>[MPEmpe])\s*[-_.]?\s*)?(?P<number>\d{1,3})\s*[.)]?\s*$""",
    re.VERBOSE,
)

_STOPWORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "by", "with", "at", "from", "is",
        "are", "be", "been", "has", "have", "had", "its", "it", "this", "that", "which", "who", "as", "all",
        "each", "any", "every", "their", "there", "these", "those", "within", "into", "per", "than", "so",
        "such", "not",
    }
)


@dataclass(frozen=True)
class CriterionMatch:
    ref: str | None
    confidence: float
    matched_by: MatchedBy
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ParsedRef:
    code: str | None
    section: int
    level: str | None
    number: int


def parse_reference(text: str) -> ParsedRef | None:
    """The parts of a reference however it was written; None when ``text`` is not one."""
    match = _REF.match(text)
    if match is None:
        return None
    code = match.group("code")
    level = match.group("level")
    return ParsedRef(code.upper() if code else None, int(match.group("section")),
                     level.upper() if level else None, int(match.group("number")))


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def tokens(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS and len(w) > 1]


_GENERIC_WORDS = frozenset({"INFORMATION", "SERVICE", "SERVICES", "COUNCIL"})


def _aliases(standard: Standard) -> set[str]:
    """Names a sheet or title may use for a standard: its code, its title, the title's main part."""
    def words(text: str) -> str:
        return " ".join(re.findall(r"[A-Z0-9&]+", text.upper()))

    head = standard.title.split("(")[0]
    aliases = {standard.code.upper(), words(standard.title), words(head)}
    first = words(head.split(",")[0].split(" and ")[0])
    if len(first) > 5 and first not in _GENERIC_WORDS:
        aliases.add(first)
        aliases.add(first.removesuffix("S"))
    return {a for a in aliases if a}


class CriterionIndex:
    """The criteria of the given standards, indexed by reference and by words."""

    def __init__(self, standards: Sequence[Standard]) -> None:
        self.standards = {s.code: s for s in standards}
        self.aliases = {s.code: _aliases(s) for s in standards}
        self.by_ref: dict[str, Criterion] = {}
        self.standard_of: dict[str, str] = {}
        self.by_position: dict[tuple[str, int, int], str] = {}
        for standard in standards:
            for section in standard.sections:
                for position, criterion in enumerate(section.criteria, start=1):
                    self.by_ref[criterion.ref.upper()] = criterion
                    self.standard_of[criterion.ref] = standard.code
                    self.by_position[(standard.code, section.number, position)] = criterion.ref
        documents = {ref: set(tokens(c.statement)) for ref, c in ((c.ref, c) for c in self.by_ref.values())}
        counts: dict[str, int] = defaultdict(int)
        for words in documents.values():
            for word in words:
                counts[word] += 1
        total = max(len(documents), 1)
        self.weight = {word: math.log(1 + total / n) for word, n in counts.items()}
        self.postings: dict[str, list[str]] = defaultdict(list)
        self.norm: dict[str, float] = {}
        for ref, words in documents.items():
            for word in words:
                self.postings[word].append(ref)
            self.norm[ref] = sum(self.weight[w] for w in words)

    def resolve_reference(
        self, text: str, standard_code: str | None, level: str | None = None
    ) -> tuple[str | None, float, str | None]:
        """(criterion ref, confidence, flag) for a reference cell; ref None when it names no criterion."""
        candidates, flag = self.reference_candidates(text, standard_code, level)
        if not candidates:
            return None, 0.0, None
        if len(candidates) > 1:
            listed = " or ".join(candidates)
            return candidates[0], 0.5, f"the reference {text.strip()!r} may mean {listed}; check it"
        ref = candidates[0]
        parsed = parse_reference(text)
        return ref, 1.0 if parsed is not None and parsed.level else 0.95, flag

    def reference_candidates(
        self, text: str, standard_code: str | None, level: str | None = None
    ) -> tuple[list[str], str | None]:
        """The criteria a reference may mean, likeliest first, and a flag when it names another standard.

        "2.3" is the third criterion of section 2, or with a Level column saying Progressing, P3
        of section 2; a criterion whose level contradicts the Level column is not a candidate.
        """
        parsed = parse_reference(text)
        if parsed is None:
            return [], None
        code = parsed.code or standard_code
        if code is None or code not in self.standards:
            return [], None
        flag = None
        if parsed.code is not None and standard_code is not None and parsed.code != standard_code:
            flag = f"the reference {text.strip()!r} names {parsed.code} on a sheet about {standard_code}"
        if parsed.level is not None:
            ref = f"{code}-{parsed.section}-{parsed.level}{parsed.number}"
            return ([ref], flag) if ref.upper() in self.by_ref else ([], None)
        candidates: list[str] = []
        if level is not None:
            within = f"{code}-{parsed.section}-{level}{parsed.number}"
            if within in self.by_ref:
                candidates.append(within)
        positional = self.by_position.get((code, parsed.section, parsed.number))
        if positional is not None and positional not in candidates and (
            level is None or self.by_ref[positional].level.value[0].upper() == level
        ):
            candidates.append(positional)
        return candidates, flag

    def text_scores(self, text: str, standard_code: str | None) -> list[tuple[float, str]]:
        """Criteria scored by shared words (weighted Dice), best first."""
        words = set(tokens(text))
        if not words:
            return []
        own = sum(self.weight.get(w, math.log(2 + len(self.by_ref))) for w in words)
        shared: dict[str, float] = defaultdict(float)
        for word in words:
            for ref in self.postings.get(word, ()):
                if standard_code is None or self.standard_of[ref] == standard_code:
                    shared[ref] += self.weight[word]
        scored = [(2 * value / (own + self.norm[ref]), ref) for ref, value in shared.items()]
        scored.sort(reverse=True)
        return scored

    def match(
        self, ref_text: str, statement: str, standard_code: str | None, level: str | None = None
    ) -> CriterionMatch:
        candidates, flag = self.reference_candidates(ref_text, standard_code, level) if ref_text.strip() else ([], None)
        scores = self.text_scores(statement, standard_code) if statement.strip() else []
        if candidates:
            return self._by_reference(ref_text, candidates, flag, scores, has_text=bool(statement.strip()))
        if not scores or scores[0][0] < MIN_SCORE:
            why = "no reference and no criterion text" if not ref_text.strip() and not statement.strip() else (
                f"no criterion matches the reference {ref_text.strip()!r} or the text" if ref_text.strip()
                else "no criterion's text is close enough")
            return CriterionMatch(None, 0.0, "none", (why,))
        best, best_ref = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        confidence = round(min(1.0, best) * min(1.0, 0.5 + (best - runner_up) * 2), 3)
        flags = []
        if best < ACCEPT_SCORE:
            flags.append(f"a weak text match to {best_ref} ({best:.0%} similar)")
        elif best - runner_up < ACCEPT_MARGIN:
            flags.append(f"the text matches {best_ref} and {scores[1][1]} almost equally")
        if ref_text.strip():
            flags.append(f"the reference {ref_text.strip()!r} names no criterion; matched by text")
        return CriterionMatch(best_ref, confidence, "text", tuple(flags))

    def _by_reference(
        self, ref_text: str, candidates: list[str], flag: str | None, scores: list[tuple[float, str]], *,
        has_text: bool,
    ) -> CriterionMatch:
        flags = [flag] if flag else []
        explicit = parse_reference(ref_text)
        confidence = 1.0 if explicit is not None and explicit.level else 0.95
        score_of = dict((r, sc) for sc, r in scores)
        if len(candidates) > 1:
            ranked = sorted(candidates, key=lambda r: score_of.get(r, 0.0), reverse=True)
            first, second = (score_of.get(r, 0.0) for r in ranked[:2])
            if first >= ACCEPT_SCORE and first - second >= ACCEPT_MARGIN:
                candidates = ranked[:1]  # the text says which of the readings is meant
            else:
                listed = " or ".join(candidates)
                flags.append(f"the reference {ref_text.strip()!r} may mean {listed}; check it")
                return CriterionMatch(candidates[0], 0.5, "reference", tuple(flags))
        ref = candidates[0]
        if has_text:
            # The row's text is a second witness: a reference is accepted only when the text does not
            # point clearly elsewhere and is at least somewhat like the criterion referenced.
            ref_score = score_of.get(ref, 0.0)
            best, best_ref = scores[0] if scores else (0.0, ref)
            if best_ref != ref and best >= ACCEPT_SCORE and best - ref_score >= ACCEPT_MARGIN:
                flags.append(f"the reference says {ref} but the text reads like {best_ref}")
                confidence = min(confidence, 0.5)
            elif ref_score < DISAGREE_SCORE:
                flags.append(f"the text is not like {ref}'s ({ref_score:.0%} similar); check the reference")
                confidence = min(confidence, 0.5)
        return CriterionMatch(ref, confidence, "reference", tuple(flags))

    def guess_standard(self, texts: Iterable[str]) -> str | None:
        """The standard a sheet is about, from its name and title cells (a code, a title or its first words).

        The longest name found wins; two standards found by names as long say nothing.
        """
        for text in texts:
            upper = f" {' '.join(re.findall(r'[A-Z0-9&]+', text.upper()))} "
            found: dict[str, int] = {}
            for code, aliases in self.aliases.items():
                for alias in aliases:
                    if f" {alias} " in upper:
                        found[code] = max(found.get(code, 0), len(alias))
            if found:
                longest = max(found.values())
                best = [code for code, length in found.items() if length == longest]
                if len(best) == 1:
                    return best[0]
        return None

    def guess_standard_from_text(self, statements: Iterable[str]) -> str | None:
        """The standard most rows' text matches, when a clear majority agree."""
        votes: dict[str, int] = defaultdict(int)
        total = 0
        for statement in statements:
            scores = self.text_scores(statement, None)
            if scores and scores[0][0] >= ACCEPT_SCORE:
                votes[self.standard_of[scores[0][1]]] += 1
                total += 1
        if not votes:
            return None
        code, count = max(votes.items(), key=lambda item: item[1])
        return code if count >= 0.6 * total else None
