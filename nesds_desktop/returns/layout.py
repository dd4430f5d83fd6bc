"""What the return writer and reader agree on: sheet names, columns, and how text is compared.

A return leaves the application, is edited in Excel or LibreOffice and may come back.
To say exactly what a person changed, the reader compares each editable cell with what
was exported.  The export records, on a hidden metadata sheet, the judgement and a
digest of the notes of every criterion as written, and a checksum over that sheet.

Text is written in the form a cell holds it (:func:`cell_form`): line breaks as ``\\n``
(spreadsheet XML turns ``\\r\\n`` into ``\\n``), characters XML cannot carry left out, text
of only spaces as empty, and text longer than a cell cut at the cell limit; the digest
is of that.  What is read back is :func:`normalised` the same way but never cut, so a
note the spreadsheet could not hold exactly never looks "changed" when it was not, and
a long note typed in Excel comes back whole.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nesds_desktop.domain.judgements import Judgement

FORMAT_NAME = "nesds-workbook-return"
FORMAT_VERSION = "1"

COVER_SHEET = "Cover"
ACTIONS_SHEET = "Actions"
METADATA_SHEET = "NeSDS metadata"
RESERVED_SHEETS = frozenset({COVER_SHEET, ACTIONS_SHEET, METADATA_SHEET})

#: The most characters an Excel cell holds (counted as Excel counts them, in UTF-16 units).
CELL_LIMIT = 32_767
TRUNCATION_MARKER = " [… cut short: the full text is in NeSDS Workbook]"

#: On a standard's sheet: title rows above, then the heading row, then one row per criterion.
HEADING_ROW = 4
FIRST_CRITERION_ROW = HEADING_ROW + 1


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    editable: bool = False


REFERENCE = Column("Reference", 11)
SECTION = Column("Section", 16)
LEVEL = Column("Level", 11)
CRITERION = Column("Criterion", 42)
JUDGEMENT = Column("Judgement", 14, editable=True)
NOTES = Column("Evidence notes", 36, editable=True)
EVIDENCE = Column("Evidence references", 24)
ACTIONS = Column("Linked actions", 28)
OWNER = Column("Owner", 16)
DUE = Column("Due date", 11)

CRITERIA_COLUMNS: tuple[Column, ...] = (
    REFERENCE, SECTION, LEVEL, CRITERION, JUDGEMENT, NOTES, EVIDENCE, ACTIONS, OWNER, DUE,
)
#: Shown for information only: a change to these is reported, never imported.
FIXED_COLUMNS: tuple[Column, ...] = tuple(c for c in CRITERIA_COLUMNS if not c.editable and c is not REFERENCE)

#: The drop-down on judgement cells, best first as in the workshop.
JUDGEMENT_CHOICES: tuple[Judgement, ...] = (
    Judgement.MET,
    Judgement.PARTLY_MET,
    Judgement.NOT_MET,
    Judgement.NOT_APPLICABLE,
    Judgement.NOT_YET_ASSESSED,
)

# Metadata rows: the first cell says what the row is.
RECORD_FORMAT = "format"
RECORD_EXPORT = "export"
RECORD_ASSESSMENT = "assessment"
RECORD_CRITERION = "criterion"
RECORD_CHECKSUM = "checksum"

# Characters XML 1.0 cannot carry (tab and line feed can; carriage return is normalised first).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel writes characters it cannot store as _xHHHH_ and readers decode that; a literal one is escaped.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")

_JUDGEMENT_WORDS: dict[str, Judgement] = {
    **{j.label.casefold(): j for j in Judgement},
    **{j.value.replace("_", " "): j for j in Judgement},
    "n/a": Judgement.NOT_APPLICABLE,
    "": Judgement.NOT_YET_ASSESSED,
}


def normalised(text: str) -> str:
    """``text`` with line breaks as ``\\n``, without characters XML cannot carry, and empty if only spaces.

    What a cell read back from any spreadsheet program is compared in.
    """
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if text.strip() else ""


def cell_form(text: str) -> str:
    """``text`` as this application writes it into a cell: normalised, and cut short if it does not fit.

    Applying it twice changes nothing, and it is what a cell left alone reads back as.
    """
    text = normalised(text)
    if not _fits(text):
        room = CELL_LIMIT - excel_length(TRUNCATION_MARKER)
        kept = text.encode("utf-16-le")[: 2 * room].decode("utf-16-le", "ignore")
        if not _fits(kept + TRUNCATION_MARKER):
            # Escaped, the text is still too long: keep the longest beginning that fits.
            shortest, longest = 0, len(kept)
            while shortest < longest:
                middle = (shortest + longest + 1) // 2
                if _fits(kept[:middle] + TRUNCATION_MARKER):
                    shortest = middle
                else:
                    longest = middle - 1
            kept = kept[:shortest]
        text = kept + TRUNCATION_MARKER
    return text


def excel_length(text: str) -> int:
    """Characters as Excel counts them: UTF-16 units, so a character beyond the BMP (an emoji) counts two."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _fits(text: str) -> bool:
    # Excel's limit counts the text; the file holds it escaped, and writers cut that at the limit too.
    return excel_length(text) <= CELL_LIMIT and len(excel_escaped(text)) <= CELL_LIMIT


def is_cut_short(text: str) -> bool:
    """True when :func:`cell_form` has to shorten ``text`` to fit a cell."""
    return not _fits(normalised(text))


def excel_escaped(text: str) -> str:
    """``text`` with any literal ``_xHHHH_`` escaped, so a reader does not decode it into another character."""
    return _EXCEL_ESCAPE.sub(r"_x005F_\1", text)


def digest(text: str) -> str:
    """A digest of ``text`` exactly as given: of what was written, and of what was read back."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fixed_digest(values: Sequence[str]) -> str:
    """A digest of a criterion's information-only cells, in column order, exactly as given."""
    return digest("\x1f".join(values))


def metadata_row(values: Sequence[str]) -> list[str]:
    """A metadata row without the empty cells at its end, which a spreadsheet does not keep."""
    row = list(values)
    while row and not row[-1]:
        row.pop()
    return row


def metadata_checksum(rows: Sequence[Sequence[str]]) -> str:
    """The checksum over the metadata rows before the checksum row.

    A checksum, not a signature: it catches a metadata sheet changed by hand or by a
    program, which would make the comparison with what was exported meaningless.
    """
    canonical = json.dumps([list(row) for row in rows], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def judgement_from_text(text: str) -> Judgement | None:
    """The judgement a cell names: a label from the drop-down in any case, "n/a", or empty for not yet
    assessed; None when it names none."""
    return _JUDGEMENT_WORDS.get(" ".join(text.split()).casefold())
