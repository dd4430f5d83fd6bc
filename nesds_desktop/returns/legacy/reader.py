"""Read a return a council kept in its own spreadsheet, whatever its shape.

Per sheet: find the header row in the first rows (under any title block), recognise
the columns by the many names councils gave them, read the data rows (skipping spacer
rows and section headings), work out which standard the sheet is about, then match
each row to a criterion and read its judgement.  Nothing here writes anything; the
caller has already passed the bytes through the workbook safety checks.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from io import BytesIO
from pathlib import PurePath

from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns.legacy.matching import CriterionIndex, parse_reference
from nesds_desktop.returns.legacy.model import LegacyReading, LegacyRow, RowMatch, SheetOverride, SheetReading
from nesds_desktop.returns.legacy.vocabulary import read_judgement
from nesds_desktop.returns.legacy.xls_columns import hidden_xls_columns

HEADER_SEARCH_ROWS = 30
# How much of the top of each sheet a reading keeps for people to look at.
TOP_COLUMNS = 30
TOP_CELL_CHARACTERS = 80

# Field -> header names, exact (after normalising).  Checked before the keyword rules.
_EXACT: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "ref no", "ref number", "no", "number", "id", "#", "criterion ref",
            "criterion no", "criterion number", "item", "item no", "para", "code", "nesds ref", "std ref"),
    "statement": ("criterion", "criteria", "standard", "requirement", "requirements", "description",
                  "statement", "criterion text", "what is required", "indicator", "question",
                  "criterion description", "measure", "what good looks like"),
    "standard_column": ("e-standard", "service area", "area", "service", "e-standard area", "standard code"),
    "level": ("level", "standard level", "criterion level", "band", "stage", "tier", "level (m/p/e)"),
    "judgement": ("status", "met", "met?", "achieved", "achieved?", "judgement", "assessment", "rating",
                  "rag", "rag status", "score", "self assessment", "self-assessment", "compliance",
                  "compliant", "compliant?", "progress", "position", "answer", "response", "result",
                  "current position", "current status", "do we meet it?", "in place?", "in place",
                  "yes/no", "y/n", "traffic light"),
    "notes": ("comments", "comment", "notes", "note", "remarks", "narrative", "commentary",
              "observations", "explanation", "officer comments", "officer notes"),
    "evidence": ("evidence", "evidence ref", "source of evidence", "supporting evidence", "documents",
                 "evidence reference", "evidence references", "where is the evidence?"),
    "action": ("action", "actions", "action required", "next steps", "further action", "improvement action",
               "action plan", "actions needed", "action needed", "planned action"),
    "owner": ("owner", "lead officer", "lead", "responsible officer", "responsible", "who", "officer",
              "action owner", "responsibility", "accountable officer"),
    "due": ("target date", "by when", "due", "due date", "deadline", "date", "completion date", "target",
            "when", "timescale", "by"),
}
# Keyword rules for headers not listed exactly, in priority order ("Action owner" is an owner).
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("due", ("date", "by when", "deadline", "timescale")),
    ("owner", ("owner", "lead officer", "responsible", "officer")),
    ("ref", ("ref", "ref.", "no.")),
    ("action", ("action", "next step")),
    ("evidence", ("evidence",)),
    ("notes", ("comment", "note", "remark", "narrative")),
    ("judgement", ("met", "achieved", "status", "rag", "rating", "judgement", "compliance", "score",
                   "progress", "assessment")),
    ("statement", ("criterion", "criteria", "requirement", "description", "standard")),
    ("level", ("level",)),
)
_MULTI_FIELDS = frozenset({"notes", "evidence", "action"})
# Columns some councils kept beside the answers that are not answers: never read as a field.
_DISTRACTORS = re.compile(r"equality|priority|^sort$|^key$|^colour$|^rank")
# A header longer than this is a data cell, not a header.
_MAX_HEADER_WORDS = 6

# 2006/07, 2006-07, 2006/7, 2006-2007; not a date such as 2006-07-31.
_ROUND = re.compile(r"(?<![\d/-])((?:19|20)\d\d)\s*[-/_ ]\s*((?:19|20)?\d{1,2})(?!\d|[-/]\d)")
_AUTHORITY = re.compile(
    r"((?:London Borough of|Royal Borough of|City of|Borough of|County of)\s+[A-Z][\w'&.-]*"
    r"(?:[ -](?:upon|on|and|in|under|le|by|the|[A-Z][\w'&.-]*))*"
    r"|[A-Z][\w'&.-]*(?:[ -](?:upon|on|and|in|under|le|by|the|[A-Z][\w'&.-]*))*\s+"
    r"(?:County|District|Borough|City|Metropolitan Borough|Metropolitan District)?\s*Council)(?!\s+Tax)"
)
# A round written with two-digit years only: 05-06, 06/07 (not part of a date such as 31/05/06).
_SHORT_ROUND = re.compile(r"(?<![\d/.-])(\d\d)\s*[-/_]\s*(\d\d)(?![\d/.-])")
# Words of file names and titles that say what the file is, not whose it is.
_NOT_A_NAME = re.compile(
    r"(?i)\b(?:nesds|e-?standards?|standards?|self[- ]?assessments?|assessments?|returns?|final|draft|copy|of|"
    r"v\d+|version|workshop|output|council|the|for|and|submission|template|sheet\d*|book\d*|workbook|"
    r"rev|ict|cs|ben|pbc|ehl|hsg|sc|lcl|htw)\b"
)

# Words that label a file ("NeSDS BEN ... FINAL"), never part of a council's name: trimmed off a name's ends.
_LABEL_WORD = re.compile(
    r"(?i)^(?:nesds|e-?standards?|standards?|self|assessments?|returns?|final|draft|copy|v\d+|version|workshop|"
    r"output|submission|template|rev|ict|cs|ben|pbc|ehl|hsg|sc|lcl|htw)$"
)
# Words written in lower case inside a place name once a title in capitals is put into ordinary case.
_SMALL_WORDS = frozenset({"of", "upon", "on", "and", "in", "under", "le", "by", "the"})

CellValue = str | int | float | bool | date | datetime | time | timedelta


def read_legacy_workbook(
    data: bytes,
    file_name: str,
    standards: Sequence[Standard],
    vocabulary: Mapping[str, Judgement] | None = None,
    overrides: Mapping[str, SheetOverride] | None = None,
) -> LegacyReading:
    """Read every visible sheet of a legacy return in ``data`` (already safety-checked).

    ``overrides`` (sheet name -> what a person set) take the place of what would be detected:
    the standard, the header row, the column mapping, or leaving the sheet out.
    """
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    index = _index_for(standards)
    problems: list[str] = []
    sheets: list[SheetReading] = []
    unread: list[str] = []
    tops: dict[str, tuple[tuple[str, ...], ...]] = {}
    titles: list[str] = []
    overrides = overrides or {}
    macros = _has_macros(data)
    hidden_columns = _hidden_xlsx_columns(data) or _hidden_ods_columns(data) or hidden_xls_columns(data)
    try:
        with CalamineWorkbook.from_filelike(BytesIO(data)) as workbook:
            for meta in workbook.sheets_metadata:
                if meta.visible != SheetVisibleEnum.Visible:
                    problems.append(f"the hidden sheet {meta.name!r} was not read")
                    continue
                override = overrides.get(meta.name, SheetOverride())
                if override.skip:
                    problems.append(f"the sheet {meta.name!r} was left out, as chosen")
                    continue
                try:
                    rows: list[list[CellValue]] = workbook.get_sheet_by_name(meta.name).to_python(
                        skip_empty_area=False
                    )
                except (CalamineError, ValueError, OSError) as exc:
                    problems.append(f"the sheet {meta.name!r} could not be read: {exc}")
                    continue
                except BaseException as exc:
                    if not is_parser_panic(exc):
                        raise
                    problems.append(f"the sheet {meta.name!r} could not be read: it is damaged")
                    continue
                tops[meta.name] = _top_of(rows)
                reading, sheet_titles = _read_sheet(
                    meta.name, rows, index, vocabulary, hidden_columns.get(meta.name, set()), override
                )
                titles.extend(sheet_titles)
                if reading is None:
                    if override.header_row is not None:
                        problems.append(f"the sheet {meta.name!r} has no row {override.header_row}, so it was skipped")
                        unread.append(meta.name)
                    elif any(any(_text(c) for c in row) for row in rows):
                        problems.append(f"the sheet {meta.name!r} has no recognisable header row, so it was skipped")
                        unread.append(meta.name)
                    continue
                sheets.append(reading)
    except PasswordError:
        problems.append("the workbook is protected with a password")
    except (CalamineError, ValueError, OSError) as exc:
        problems.append(f"the workbook could not be read as a spreadsheet: {exc}")
    except BaseException as exc:
        if not is_parser_panic(exc):
            raise
        problems.append("the workbook could not be read as a spreadsheet: it is damaged")
    if not sheets and not problems:
        problems.append("no sheet has a header row with criteria and judgements")
    if macros:
        problems.append("the workbook contains macros; they were not run")
    stem = PurePath(file_name).stem
    return LegacyReading(
        file=file_name,
        authority_hint=_authority_hint(titles, stem, index),
        round_hint=_round_hint([*titles, stem]),
        sheets=tuple(sheets),
        problems=tuple(problems),
        macros_present=macros,
        unread_sheets=tuple(unread),
        sheet_tops=tops,
    )


def _top_of(rows: list[list[CellValue]]) -> tuple[tuple[str, ...], ...]:
    """The first rows as short texts, trailing blanks trimmed."""
    top: list[tuple[str, ...]] = []
    for row in rows[:HEADER_SEARCH_ROWS]:
        cells = [_text(c)[:TOP_CELL_CHARACTERS] for c in row[:TOP_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        top.append(tuple(cells))
    return tuple(top)


def is_parser_panic(error: BaseException) -> bool:
    """True for a panic of the Rust parser under calamine: pyo3 raises it as a BaseException, not an Exception,
    so ``except Exception`` lets it through."""
    return type(error).__name__ == "PanicException"


_INDEX_CACHE: list[tuple[tuple[Standard, ...], CriterionIndex]] = []


def _index_for(standards: Sequence[Standard]) -> CriterionIndex:
    """The index of ``standards``, built once per catalogue: a batch reads hundreds of files against one."""
    key = tuple(standards)
    for cached, index in _INDEX_CACHE:
        same = len(cached) == len(key) and all(a is b for a, b in zip(cached, key, strict=True))
        if same or cached == key:
            return index
    index = CriterionIndex(key)
    _INDEX_CACHE[:] = [(key, index)]  # the cache holds the standards, so their identities stay valid
    return index


# -- header -------------------------------------------------------------------------------------


def _normal_header(value: CellValue) -> str:
    return " ".join(_text(value).lower().replace("\n", " ").split()).strip(" :*")


def field_for_header(header: str) -> str | None:
    """The field a header names, or None."""
    text = _normal_header(header)
    if not text or len(text.split()) > _MAX_HEADER_WORDS or _DISTRACTORS.search(text):
        return None
    for field, names in _EXACT.items():
        if text in names or text.rstrip("?. ") in names:
            return field
    words = set(re.findall(r"[a-z]+\.?", text))
    for field, keywords in _KEYWORDS:
        for keyword in keywords:
            if (" " in keyword and keyword in text) or keyword in words or keyword.rstrip(".") in words:
                return field
    return None


def detect_columns(cells: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """The fields the headings ``cells`` name, as the reader would take them: field -> 0-based columns."""
    return {field: tuple(positions) for field, positions in _header_columns(list(cells), set()).items()}


def _header_columns(row: Sequence[CellValue], hidden: set[int]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for position, value in enumerate(row):
        field = field_for_header(_text(value))
        if field is None:
            continue
        if field == "statement" and _normal_header(value) == "standard":
            # "Standard" may hold the criterion text or the standard's code; a Criterion column beside it wins.
            field = "standard_column" if "statement" in columns else field
        elif field == "statement" and "statement" in columns and _normal_header(row[columns["statement"][0]]) == (
            "standard"
        ):
            columns["standard_column"] = columns.pop("statement")
        if field in columns and field not in _MULTI_FIELDS:
            # A second column of one field: keep the visible one (a hidden column is an old copy),
            # and of two answer columns the one not headed by a year, or by the later year ("2005/06 status").
            kept = columns[field][0]
            kept_year, year = _header_year(row[kept]), _header_year(value)
            if (kept in hidden and position not in hidden) or (
                kept_year is not None and (year is None or year > kept_year) and position not in hidden
            ):
                columns[field] = [position]
            continue
        columns.setdefault(field, []).append(position)
    for field, positions in list(columns.items()):
        visible = [p for p in positions if p not in hidden]
        if visible:
            columns[field] = visible
        elif field in _MULTI_FIELDS:
            del columns[field]
    return columns


def _header_year(value: CellValue) -> int | None:
    """The first year of a heading such as "2005/06 status" or "Status 05-06"; None when undated."""
    match = re.search(r"((?:19|20)?\d\d)\s*[/-]\s*\d\d", _text(value))
    if match is None:
        return None
    year = int(match.group(1))
    return year if year >= 100 else 2000 + year


def _find_header(rows: list[list[CellValue]], hidden: set[int]) -> tuple[int, dict[str, list[int]]] | None:
    best: tuple[int, int, dict[str, list[int]]] | None = None
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _header_columns(row, hidden)
        if "judgement" not in columns or not ({"ref", "statement"} & columns.keys()):
            continue
        score = len(columns)
        if best is None or score > best[1]:
            best = (number, score, columns)
    return (best[0], best[2]) if best else None


# -- sheet ----------------------------------------------------------------------------------------


def _read_sheet(
    name: str,
    rows: list[list[CellValue]],
    index: CriterionIndex,
    vocabulary: Mapping[str, Judgement] | None,
    hidden: set[int],
    override: SheetOverride,
) -> tuple[SheetReading | None, list[str]]:
    found = _header_and_columns(rows, hidden, override)
    if found is None:
        return None, [t for row in rows[:5] for c in row if (t := _text(c))]
    header_index, columns = found
    titles = [t for row in rows[:header_index] for c in row if (t := _text(c))]
    legacy_rows = [r for i in range(header_index + 1, len(rows)) if (r := _legacy_row(name, i, rows[i], columns))]
    detected = (
        index.guess_standard([name, *titles])
        or _standard_from_refs(legacy_rows, index)
        or index.guess_standard_from_text(r.statement_text for r in legacy_rows if r.statement_text)
    )
    standard = override.standard_code or detected
    # A standard chosen by a person holds for every row, over a Standard column's codes.
    row_standards = {} if override.standard_code else _row_standards(rows, columns, index)
    row_levels = _row_levels(rows, columns)
    matches = [
        m for row in legacy_rows
        if (m := _match(row, index, row_standards.get(row.row) or standard, row_levels.get(row.row), vocabulary))
        is not None
    ]
    _flag_duplicates(matches)
    header = rows[header_index]
    header_texts = {
        field: _text(header[positions[0]]) if positions[0] < len(header) else ""
        for field, positions in columns.items() if positions
    }
    cells = [_text(c) for c in header]
    while cells and not cells[-1]:
        cells.pop()
    reading = SheetReading(
        name, header_index + 1, header_texts, standard, tuple(matches),
        column_positions={field: tuple(positions) for field, positions in columns.items() if positions},
        header_cells=tuple(cells), detected_standard=detected,
    )
    return reading, titles


def _header_and_columns(
    rows: list[list[CellValue]], hidden: set[int], override: SheetOverride
) -> tuple[int, dict[str, list[int]]] | None:
    """The header row (0-based) and the columns of each field: as a person set them, else as detected."""
    if not rows:
        return None
    if override.header_row is not None:
        header_index = override.header_row - 1
        if not 0 <= header_index < len(rows):
            return None
        columns = _header_columns(rows[header_index], hidden)
    else:
        found = _find_header(rows, hidden)
        if found is None and override.columns is None:
            return None
        header_index, columns = found or (0, {})
    if override.columns is not None:
        columns = {field: sorted({p for p in positions if p >= 0})
                   for field, positions in override.columns.items() if positions}
    return header_index, columns


def _row_standards(rows: list[list[CellValue]], columns: dict[str, list[int]], index: CriterionIndex) -> dict[int, str]:
    """Row number -> standard code, from a "Standard" column holding codes or titles (one sheet for all)."""
    positions = columns.get("standard_column")
    if not positions:
        return {}
    found: dict[int, str] = {}
    for number, row in enumerate(rows, start=1):
        text = _text(row[positions[0]]) if positions[0] < len(row) else ""
        code = index.guess_standard([text]) if text and len(text) < 80 else None
        if code:
            found[number] = code
    return found


# Level words -> the letter in catalogue references (M, P, E), including the era scales.
_LEVEL_LETTERS: dict[str, str] = {
    **dict.fromkeys(["minimum", "min", "m", "level 1", "l1", "1", "required", "developing", "basic"], "M"),
    **dict.fromkeys(["progressing", "prog", "p", "level 2", "l2", "2", "good", "achieving", "intermediate"], "P"),
    **dict.fromkeys(["excellent", "exc", "e", "level 3", "l3", "3", "advanced"], "E"),
}


def _row_levels(rows: list[list[CellValue]], columns: dict[str, list[int]]) -> dict[int, str]:
    """Row number -> the criterion level letter its Level column gives."""
    positions = columns.get("level")
    if not positions:
        return {}
    found: dict[int, str] = {}
    for number, row in enumerate(rows, start=1):
        word = _normal_header(row[positions[0]]) if positions[0] < len(row) else ""
        letter = _LEVEL_LETTERS.get(word.rstrip("."))
        if letter:
            found[number] = letter
    return found


def _legacy_row(sheet: str, index: int, row: list[CellValue], columns: dict[str, list[int]]) -> LegacyRow | None:
    def cell(field: str) -> str:
        parts = [_text(row[p]) for p in columns.get(field, []) if p < len(row)]
        return "\n".join(p for p in parts if p)

    ref, statement, judgement = cell("ref"), cell("statement"), _judgement_text(row, columns)
    if not (ref or statement or judgement):
        return None  # spacer row
    due_cells = [row[p] for p in columns.get("due", []) if p < len(row)]
    return LegacyRow(
        sheet=sheet, row=index + 1, ref_text=ref, statement_text=statement, judgement_text=judgement,
        notes=cell("notes"), evidence=cell("evidence"), action=cell("action"), owner=cell("owner"),
        due=_date(due_cells[0]) if due_cells else None,
    )


def _judgement_text(row: list[CellValue], columns: dict[str, list[int]]) -> str:
    positions = columns.get("judgement", [])
    if not positions or positions[0] >= len(row):
        return ""
    value = row[positions[0]]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _text(value)


def _is_heading(row: LegacyRow) -> bool:
    """A section heading or a note between criteria: no judgement and no usable reference."""
    if row.judgement_text:
        return False
    if row.ref_text and parse_reference(row.ref_text) is not None:
        return False
    short = len(row.statement_text.split()) < 12
    return short or bool(re.match(r"(?i)\s*section\b", row.statement_text + row.ref_text))


def _match(
    row: LegacyRow,
    index: CriterionIndex,
    standard: str | None,
    level: str | None,
    vocabulary: Mapping[str, Judgement] | None,
) -> RowMatch | None:
    if _is_heading(row):
        return None
    criterion = index.match(row.ref_text, row.statement_text, standard, level)
    judgement = read_judgement(row.judgement_text, vocabulary)
    flags = list(criterion.flags)
    if judgement.flag:
        flags.append(judgement.flag)
    return RowMatch(
        row=row,
        criterion_ref=criterion.ref,
        match_confidence=criterion.confidence,
        matched_by=criterion.matched_by,
        judgement=judgement.judgement,
        judgement_confidence=judgement.confidence,
        flags=tuple(flags),
    )


def _flag_duplicates(matches: list[RowMatch]) -> None:
    counts = Counter(m.criterion_ref for m in matches if m.criterion_ref)
    for position, match in enumerate(matches):
        if match.criterion_ref and counts[match.criterion_ref] > 1:
            others = [str(m.row.row) for m in matches if m.criterion_ref == match.criterion_ref and m is not match]
            flag = f"rows {', '.join(others)} also claim {match.criterion_ref}"
            matches[position] = RowMatch(
                match.row, match.criterion_ref, match.match_confidence, match.matched_by, match.judgement,
                match.judgement_confidence, (*match.flags, flag),
            )


def _standard_from_refs(rows: list[LegacyRow], index: CriterionIndex) -> str | None:
    codes = Counter(p.code for r in rows if (p := parse_reference(r.ref_text)) and p.code in index.standards)
    if not codes:
        return None
    (code, count), total = codes.most_common(1)[0], sum(codes.values())
    return code if count == total else None  # mixed codes: one sheet for all standards


# -- cell values ----------------------------------------------------------------------------------


def _text(value: CellValue | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                 "%B %Y", "%b %Y", "%d-%b-%y", "%d-%b-%Y", "%d %b %y")


def _date(value: CellValue) -> date | None:  # noqa: PLR0911 - one return per form of date
    """A date from a cell: a date, an Excel serial number, or text in a common UK form."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return date(1899, 12, 30) + timedelta(days=int(value))
        return None
    text = _text(value).strip().rstrip(".")
    if not text:
        return None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return date(1899, 12, 30) + timedelta(days=int(float(text)))
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


# -- hints ------------------------------------------------------------------------------------------


def _round_hint(texts: Sequence[str]) -> str | None:
    for text in texts:
        for match in _ROUND.finditer(text):
            start, end = int(match.group(1)), match.group(2)
            end_year = int(end) % 100
            if end_year == (start + 1) % 100:
                return f"{start}/{end_year:02d}"
    for text in texts:
        for match in _SHORT_ROUND.finditer(text):
            start, end = int(match.group(1)), int(match.group(2))
            if end == (start + 1) % 100:
                century = 1900 if start >= 70 else 2000
                return f"{century + start}/{end:02d}"
    return None


def _authority_hint(titles: Sequence[str], stem: str, index: CriterionIndex) -> str | None:
    """An authority named in the title cells or the file name ("... Council", "London Borough of ...").

    Failing that, a place name left in the file name once the round, the standard and words such as
    "e-Standards self assessment FINAL" are taken out ("Fife 05-06 return" gives "Fife"); never a
    standard's title or a column heading, which title cells are full of.
    """
    name = _ordinary_case(stem.replace("_", " "))
    texts = [_ordinary_case(t) for t in titles]
    for text in [*texts, name]:
        match = _AUTHORITY.search(text)
        if match:
            words = match.group(1).split()
            while words and _LABEL_WORD.match(words[0]):
                words.pop(0)
            while words and _LABEL_WORD.match(words[-1]):
                words.pop()
            if words:
                return " ".join(words)
    service_words = {w for aliases in index.aliases.values() for alias in aliases for w in alias.split() if len(w) > 3}
    for text in [name, *texts[:3]]:
        left = _ROUND.sub(" ", text)
        left = _SHORT_ROUND.sub(" ", left)
        left = re.sub(r"\(\d+\)|\d+", " ", left)
        left = _NOT_A_NAME.sub(" ", left)
        words = [w for w in re.split(r"[\s\-–,:;()]+", left) if w]
        if not 1 <= len(words) <= 3 or not all(w[0].isupper() and w.replace("'", "").isalpha() for w in words):
            continue
        candidate = " ".join(words)
        if any(w.upper() in service_words for w in words) or field_for_header(candidate) is not None:
            continue  # "Housing", "Planning Building Control", "Criterion": what the sheet is, not whose
        return candidate
    return None


def _ordinary_case(text: str) -> str:
    """A title written in capitals ("ROYAL BOROUGH OF KINGSTON UPON THAMES") in ordinary case, so the
    name can be found in it; any other text as it is."""
    if not re.search(r"[A-Z]{2}", text) or re.search(r"[a-z]", text):
        return text
    words = text.lower().split(" ")
    return " ".join(w if (w in _SMALL_WORDS and position) else w[:1].upper() + w[1:]
                    for position, w in enumerate(words))


# -- workbook parts calamine does not report -------------------------------------------------------


def _has_macros(data: bytes) -> bool:
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        return any(n.lower().endswith("vbaproject.bin") or n.startswith("Basic/") for n in names)
    return b"_\x00V\x00B\x00A\x00_\x00P\x00R\x00O\x00J\x00E\x00C\x00T\x00" in data


def _hidden_xlsx_columns(data: bytes) -> dict[str, set[int]]:
    """Hidden columns per sheet of an .xlsx/.xlsm (0-based); empty for other formats."""
    if not data.startswith(b"PK"):
        return {}
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                return {}
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
            reversed_order = re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
            targets.update({rel_id: target for target, rel_id in reversed_order})
            hidden: dict[str, set[int]] = {}
            for tag in re.findall(r"<sheet\b[^>]*>", workbook):
                name_match, rel_match = re.search(r'name="([^"]*)"', tag), re.search(r'r:id="([^"]+)"', tag)
                if not name_match or not rel_match or rel_match.group(1) not in targets:
                    continue
                target = targets[rel_match.group(1)].lstrip("/")
                path = target if target.startswith("xl/") else f"xl/{target}"
                if path not in names:
                    continue
                head = archive.open(path).read(200_000).decode("utf-8", "replace")
                columns: set[int] = set()
                for col in re.findall(r"<col\b[^>]*>", head.split("<sheetData", 1)[0]):
                    if re.search(r'hidden="(?:1|true)"', col):
                        low, high = re.search(r'min="(\d+)"', col), re.search(r'max="(\d+)"', col)
                        if low and high:
                            columns.update(range(int(low.group(1)) - 1, min(int(high.group(1)), 200)))
                hidden[_unescape(name_match.group(1))] = columns
            return hidden
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return {}


def _hidden_ods_columns(data: bytes) -> dict[str, set[int]]:
    """Hidden (collapsed) columns per sheet of an .ods (0-based); empty for other formats."""
    if not data.startswith(b"PK"):
        return {}
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if "content.xml" not in archive.namelist():
                return {}
            content = archive.read("content.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    hidden: dict[str, set[int]] = {}
    for table in re.finditer(r'<table:table\b[^>]*table:name="([^"]*)"[^>]*>(.*?)(?:<table:table-row\b|</table:table>)',
                             content, re.S):
        position, columns = 0, set[int]()
        for column in re.findall(r"<table:table-column\b[^>]*>", table.group(2)):
            repeat = re.search(r'table:number-columns-repeated="(\d+)"', column)
            count = min(int(repeat.group(1)), 1024) if repeat else 1
            if re.search(r'table:visibility="(?:collapse|filter)"', column):
                columns.update(range(position, position + count))
            position += count
        hidden[_unescape(table.group(1))] = columns
    return hidden


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&"
    )
