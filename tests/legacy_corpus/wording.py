"""The words councils used in their own returns: headers, answers, levels, references, dates, rewordings.

Collected from DOMAIN.md ("Legacy returns: what to expect").  Each answer vocabulary maps its
words to the judgement they mean (a ``Judgement`` value); the generator records that truth.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from nesds_desktop.domain.catalogue import Criterion, Section

MET, PARTLY, NOT_MET, NOT_APPLICABLE = "met", "partly_met", "not_met", "not_applicable"

# Column names by field; a file picks one name per field (and names stay unique in a sheet).
HEADERS: dict[str, tuple[str, ...]] = {
    "ref": ("Ref", "Ref.", "Ref No", "No.", "Reference", "Criterion ref", "Para", "Item", "#", "ID"),
    "statement": ("Criterion", "Criteria", "Standard", "Statement", "Description", "Requirement",
                  "Criterion text", "What good looks like"),
    "level": ("Level", "Stage", "Band", "Level (M/P/E)"),
    "judgement": ("Status", "Met?", "Achieved", "Achieved?", "Assessment", "Self assessment", "Score", "Rating",
                  "Judgement", "Compliance", "Current position", "RAG", "RAG status", "Y/N"),
    "evidence": ("Evidence", "Comments", "Evidence / comments", "Supporting evidence", "Evidence of achievement",
                 "Commentary"),
    "notes": ("Notes", "Remarks", "Officer notes"),
    "action": ("Action", "Actions", "Action required", "Next steps", "Improvement action", "Action plan"),
    "owner": ("Owner", "Lead officer", "Responsible officer", "Lead", "Who"),
    "due": ("Target date", "By when", "Due date", "Deadline", "Timescale", "Target"),
    "standard": ("Standard", "e-Standard", "Service area", "Area", "Service"),
}

# Answer vocabularies: judgement -> the words a council wrote for it (first is the usual one).
VOCABULARIES: dict[str, dict[str, tuple[str | int | bool, ...]]] = {
    "yes_no": {MET: ("Yes", "yes", "YES"), PARTLY: ("Partly", "Partial", "partly"), NOT_MET: ("No", "no", "NO"),
               NOT_APPLICABLE: ("N/A", "n/a", "Not applicable")},
    "y_n_p": {MET: ("Y", "y"), PARTLY: ("P", "p"), NOT_MET: ("N", "n"), NOT_APPLICABLE: ("N/A", "NA")},
    "met": {MET: ("Met", "met", "MET"), PARTLY: ("Partially met", "Partly met", "partially met"),
            NOT_MET: ("Not met", "not met", "NOT MET"), NOT_APPLICABLE: ("N/A", "Not applicable")},
    "achieved": {MET: ("Achieved", "achieved"), PARTLY: ("In progress", "In Progress", "in progress"),
                 NOT_MET: ("Not started", "Not Started"), NOT_APPLICABLE: ("Not applicable", "N/A")},
    "rag": {MET: ("Green", "green", "G"), PARTLY: ("Amber", "amber", "A"), NOT_MET: ("Red", "red", "R"),
            NOT_APPLICABLE: ("N/A", "n/a")},
    "ieg_lights": {MET: ("GREEN", "Green - achieved"), PARTLY: ("AMBER", "Amber - on track"),
                   NOT_MET: ("RED", "Red - at risk"), NOT_APPLICABLE: ("N/A",)},
    "fully_not": {MET: ("Fully", "fully"), PARTLY: ("Largely", "Partly", "partly"),
                  NOT_MET: ("Not", "Not at all"), NOT_APPLICABLE: ("N/A", "n/a")},
    "digits": {MET: (1,), PARTLY: (2,), NOT_MET: (3,), NOT_APPLICABLE: ("N/A", "n/a")},
    "digit_text": {MET: ("1",), PARTLY: ("2",), NOT_MET: ("3",), NOT_APPLICABLE: ("N/A", "n/a")},
    "ticks": {MET: ("✓", "✔", "√"), PARTLY: ("(✓)", "~", "Partly"), NOT_MET: ("✗", "✘", "X", "x"),
              NOT_APPLICABLE: ("N/A", "n/a")},
    "booleans": {MET: (True,), PARTLY: ("Partly", "Partial"), NOT_MET: (False,), NOT_APPLICABLE: ("N/A",)},
}
# Era vocabulary: a judgement word with a remark attached, and words that mean "not known yet".
REMARKS = (" - see evidence", " (see notes)", " – action planned", " but see comments", "?")
UNKNOWN_WORDS = ("TBC", "?", "Don't know", "See comments", "tbc", "Awaiting info")

# Level column vocabularies: Minimum/Progressing/Excellent and the era ones from related frameworks
# (Priority Outcomes Required/Good/Excellent; the equality frameworks' Developing/Achieving/Excellent).
LEVEL_WORDS: dict[str, tuple[str, str, str]] = {
    "nesds": ("Minimum", "Progressing", "Excellent"),
    "letters": ("M", "P", "E"),
    "short": ("Min", "Prog", "Exc"),
    "numbered": ("Level 1", "Level 2", "Level 3"),
    "priority_outcomes": ("Required", "Good", "Excellent"),
    "equality_framework": ("Developing", "Achieving", "Excellent"),
}
# A distracting column some councils kept beside the answers: the Equality Standard level (1-5).
EQUALITY_STANDARD_LEVELS = (1, 2, 3, 4, 5)

REF_STYLES = ("canonical", "spaced", "lower", "level_dotted", "code_dotted_seq", "code_dashed_seq", "bare_seq",
              "bare_within_level", "missing")

AUTHORITIES: tuple[tuple[str, str], ...] = (
    ("London Borough of Havering", "Havering"), ("London Borough of Barnet", "Barnet"),
    ("Kent County Council", "Kent"), ("Wychavon District Council", "Wychavon"),
    ("Leeds City Council", "Leeds"), ("Cardiff Council", "Cardiff"), ("Fife Council", "Fife"),
    ("Norfolk County Council", "Norfolk"), ("Salford City Council", "Salford"),
    ("South Lakeland District Council", "South Lakeland"), ("Bristol City Council", "Bristol"),
    ("Royal Borough of Kingston upon Thames", "Kingston"), ("Wakefield Council", "Wakefield"),
    ("Cornwall County Council", "Cornwall"), ("Tameside Metropolitan Borough Council", "Tameside"),
    ("Swansea Council", "Swansea"), ("Mid Suffolk District Council", "Mid Suffolk"),
    ("Hertfordshire County Council", "Hertfordshire"), ("Newcastle City Council", "Newcastle"),
    ("Powys County Council", "Powys"),
)
ROUND_YEARS = (2004, 2005, 2006, 2007, 2008)

SYNONYMS = {
    "council": "authority", "council's": "authority's", "members": "councillors", "approved": "agreed",
    "within": "in", "published": "made available", "website": "web site", "online": "on-line",
    "customers": "the public", "staff": "officers", "each": "every", "annually": "every year",
    "targets": "goals", "named": "identified", "dated": "timed", "reviewed": "looked at", "service": "services",
    "strategy": "strategy document", "electronic": "e-", "records": "data",
}
DROPPABLE = {"the", "a", "an", "all", "each", "its", "their", "also", "and", "of", "to", "is", "are", "for"}


def round_label(year: int, style: str) -> str:
    """A round written as a council would: 2006/07, 2006-07, 06/07, 2006/2007..."""
    short = f"{(year + 1) % 100:02d}"
    return {
        "slash": f"{year}/{short}", "dash": f"{year}-{short}", "underscore": f"{year}_{short}",
        "short_slash": f"{year % 100:02d}/{short}", "short_dash": f"{year % 100:02d}-{short}",
        "full_dash": f"{year}-{year + 1}", "full_slash": f"{year}/{year + 1}",
    }[style]


def written_ref(criterion: Criterion, section: Section, standard_code: str, style: str) -> str:
    """The reference as the council wrote it ("" for the style without references)."""
    match = re.fullmatch(r"([A-Z]+)-(\d+)-([MPE])(\d+)", criterion.ref)
    assert match is not None, criterion.ref
    code, number, letter, within = match.groups()
    sequence = section.criteria.index(criterion) + 1
    return {
        "canonical": criterion.ref,
        "spaced": f"{code} {number} {letter}{within}",
        "lower": criterion.ref.lower(),
        "level_dotted": f"{number}.{letter}{within}",
        "code_dotted_seq": f"{standard_code} {number}.{sequence}",
        "code_dashed_seq": f"{standard_code}-{number}-{sequence}",
        "bare_seq": f"{number}.{sequence}",
        "bare_within_level": f"{number}.{within}",
        "missing": "",
    }[style]


def reworded(statement: str, rng: random.Random) -> str:
    """The statement slightly reworded: a few words dropped or replaced, a clause moved, punctuation changed."""
    text = statement
    operations = rng.sample(["drop", "replace", "reorder", "punctuation"], k=rng.randint(1, 3))
    for operation in operations:
        if operation == "drop":
            text = _drop_words(text, rng)
        elif operation == "replace":
            text = _replace_words(text, rng)
        elif operation == "reorder":
            text = _move_clause(text)
        else:
            text = text.rstrip(".") if rng.random() < 0.6 else text.lower()
    if text == statement:
        text = _drop_words(text, rng) or text
    return text


def _drop_words(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if i > 0 and word.lower() in DROPPABLE]
    for index in sorted(rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))), reverse=True):
        del words[index]
    return " ".join(words)


def _replace_words(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if word.lower().strip(",.") in SYNONYMS]
    for index in rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))):
        word = words[index]
        bare = word.strip(",.")
        replacement = SYNONYMS[bare.lower()]
        if bare[:1].isupper():
            replacement = replacement[:1].upper() + replacement[1:]
        words[index] = word.replace(bare, replacement)
    return " ".join(words)


CLAUSE_OPENERS = ("with", "including", "comparing", "stating", "showing", "so", "which", "both", "each",
                  "using", "covering", "within", "at", "in", "for")


def _move_clause(text: str) -> str:
    """'A does B, with C.' becomes 'With C, a does B.' — the same criterion with a clause moved to the front."""
    head, separator, tail = text.rstrip(".").rpartition(", ")
    if not separator or tail.split(" ", 1)[0].lower() not in CLAUSE_OPENERS:
        return text
    return f"{tail[:1].upper()}{tail[1:]}, {head[:1].lower()}{head[1:]}."


def due_cell(due: date, style: str) -> str | int | date:
    """A target date as text, as an Excel serial number, or as a real date cell."""
    if style == "date_cell":
        return due
    if style == "serial":
        return (due - date(1899, 12, 30)).days
    formats = {"uk_slash": "%d/%m/%Y", "uk_dot_short": "%d.%m.%y", "long": "%d %B %Y", "iso": "%Y-%m-%d",
               "short_month": "%d %b %y"}
    return due.strftime(formats[style])


DATE_STYLES = ("date_cell", "serial", "uk_slash", "uk_dot_short", "long", "iso", "short_month")


def random_due(rng: random.Random, year: int) -> date:
    return date(year, 4, 1) + timedelta(days=rng.randint(30, 900))
