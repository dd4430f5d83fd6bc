"""A seeded, reproducible generator of legacy-style council returns, with the truth for every data row.

Each generated return is a real .xls, .xlsx or .ods workbook laid out the way councils kept their
own spreadsheets (DOMAIN.md, "Legacy returns: what to expect"), and a sidecar (JSON) that says,
for every data row (sheet, row number as the spreadsheet shows it), which catalogue criterion it is
about and which judgement it gives (``None`` where the council gave none or wrote something that
means no answer), plus the file's intended authority and round.

The corpus is stratified: the main choices (format, layout, reference style, answer vocabulary,
header names, ...) run through a seeded permutation of their options file by file, so every option
appears in any run of files as long as its list; the rest is drawn per file from a seeded generator.
Nothing here is tuned to what an importer finds easy.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from legacy_corpus import wording
from legacy_corpus.writers import CellValue, SheetPlan, write_workbook
from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.catalogue import Criterion, Section, Standard

RELEASE_ID = "nesds-2006.1"
SIDECAR_SUFFIX = ".truth.json"
FORMATS = ("xls", "xlsx", "ods", "xls", "xlsx")  # .xls as often as .xlsx, some .ods
LAYOUTS = ("per_standard", "single_sheet", "per_standard")
ROW_ORDERS = ("catalogue", "by_level", "catalogue", "shuffled_in_section")
STANDARD_CELL_STYLES = ("code", "title", "code_and_title")
HIDDEN_COLUMN_KINDS = ("sort_key", "last_year_status", "lookup_ref")
SHEET_NAME_STYLES = ("code", "code_standard", "title", "numbered")
STATED_IN = ("file_name", "title", "both", "neither")
ROUND_STYLES_IN_NAME = ("dash", "underscore", "short_dash", "full_dash")
ROUND_STYLES_IN_TITLE = ("slash", "dash", "short_slash", "full_slash")
# Optional columns: (period, mode): "absent" means missing from one file in ``period``, "present" in one in ``period``.
OPTIONAL_FIELDS = {"evidence": (6, "absent"), "notes": (3, "present"), "action": (3, "absent"),
                   "owner": (2, "present"), "due": (2, "present")}
# Occasional features: on in one file out of ``period`` (stratified, so a run of ``period`` files has one).
FEATURE_PERIODS = {
    "header_on_row_1": 4, "merged_title": 2, "two_row_header": 5, "spacer_rows": 3, "random_blank_rows": 6,
    "section_heading_rows": 3, "summary_rows": 4, "hidden_column": 3, "hidden_sheet": 5, "cover_sheet": 3,
    "columns_in_usual_order": 5, "ref_as_number": 2, "blank_refs": 4, "mixed_vocabulary": 6,
    "judgement_with_remarks": 4,
    "unknown_values": 4, "criteria_left_out": 5, "distractor_equality_level": 6, "distractor_priority": 6,
    "uppercase_headers": 6, "variant_words": 2, "due_text_ongoing": 5, "whole_return": 12,
}
OFFICERS = ("J. Smith", "Head of ICT", "A. Patel", "Customer Services Manager", "R. Jones", "Policy team",
            "M. O'Brien", "Revenues Manager", "S. Khan", "Corporate Performance")
ACTIONS = ("Draft and agree with CMT", "Include in next year's service plan", "Report to portfolio holder",
           "Procure as part of the ICT refresh", "Review with the e-champion", "Add to the IEG action plan",
           "Train front-line staff", "Scope with the project board")


@dataclass(frozen=True)
class GeneratedReturn:
    file_name: str
    data: bytes
    sidecar: dict[str, Any]


@cache
def bundled_standards() -> tuple[Standard, ...]:
    return load_release(bundled_standards_root() / RELEASE_ID).standards


def generate_corpus(seed: int, count: int, standards: Sequence[Standard] | None = None) -> Iterator[GeneratedReturn]:
    chosen = tuple(standards) if standards is not None else bundled_standards()
    for index in range(count):
        yield generate_return(seed, index, chosen)


def write_corpus(folder: Path, seed: int, count: int) -> list[Path]:
    """Write ``count`` returns and their sidecars into ``folder``; return the workbook paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for generated in generate_corpus(seed, count):
        path = folder / generated.file_name
        path.write_bytes(generated.data)
        sidecar_path(path).write_text(json.dumps(generated.sidecar, indent=1, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def sidecar_path(workbook: Path) -> Path:
    return workbook.with_name(workbook.name + SIDECAR_SUFFIX)


def generate_return(seed: int, index: int, standards: Sequence[Standard]) -> GeneratedReturn:
    design = _Design(seed, index, standards)
    sheets, rows = design.build()
    data = write_workbook(design.file_format, sheets)
    sidecar = {
        "generator": "nesds legacy corpus 1",
        "seed": seed,
        "index": index,
        "file": design.file_name,
        "format": design.file_format,
        "release": RELEASE_ID,
        "authority": design.authority,
        "authority_short": design.authority_short,
        "round": design.round,
        "authority_round_stated_in": design.stated_in,
        "variations": sorted(design.variations),
        "vocabulary": design.vocabulary_name,
        "sheets": design.sheet_records,
        "rows": rows,
    }
    return GeneratedReturn(design.file_name, data, sidecar)


# --- choosing ------------------------------------------------------------------------------------


@cache
def _permutation(seed: int, name: str, size: int) -> tuple[int, ...]:
    order = list(range(size))
    random.Random(f"nesds-legacy-{seed}-{name}").shuffle(order)
    return tuple(order)


def _stratified(seed: int, name: str, options: Sequence[Any], slot: int) -> Any:
    """Every option once in each block of ``len(options)`` slots, in a fresh seeded order per block
    (so choices with lists of related lengths do not lock together)."""
    block, position = divmod(slot, len(options))
    return options[_permutation(seed, f"{name}-{block}", len(options))[position]]


def _feature_on(seed: int, name: str, index: int) -> bool:
    """On in exactly one file of each block of ``period`` files, at a seeded place in the block."""
    period = FEATURE_PERIODS[name]
    block, position = divmod(index, period)
    return _permutation(seed, f"{name}-{block}", period)[0] == position


def _field_present(seed: int, name: str, index: int) -> bool:
    period, mode = OPTIONAL_FIELDS[name]
    block, position = divmod(index, period)
    hit = _permutation(seed, f"field-{name}-{block}", period)[0] == position
    return hit if mode == "present" else not hit


def _ref_style(seed: int, index: int) -> str:
    return str(_stratified(seed, "ref_style", wording.REF_STYLES, index))


def _level_column_present(seed: int, index: int) -> bool:
    return _ref_style(seed, index) == "bare_within_level" or index % 5 != 1


@cache
def _header_slot(seed: int, field: str, index: int) -> int:
    """How many earlier files show ``field``: header names run through their list among those files."""
    def present(i: int) -> bool:
        if field == "ref":
            return _ref_style(seed, i) != "missing"
        if field == "level":
            return _level_column_present(seed, i)
        if field in OPTIONAL_FIELDS:
            return _field_present(seed, field, i)
        return True
    return sum(present(i) for i in range(index))


# --- designing one file --------------------------------------------------------------------------


class _Design:
    def __init__(self, seed: int, index: int, standards: Sequence[Standard]) -> None:
        self.seed, self.index = seed, index
        self.rng = random.Random(f"nesds-legacy-file-{seed}-{index}")
        self.variations: set[str] = set()
        pick = self._pick
        self.file_format: str = pick("format", FORMATS)
        self.layout: str = pick("layout", LAYOUTS)
        self.standards = self._choose_standards(standards)
        self.authority, self.authority_short = pick("authority", wording.AUTHORITIES)
        year: int = pick("round", wording.ROUND_YEARS)
        self.year = year
        self.round = wording.round_label(year, "slash")
        self.stated_in: str = pick("stated_in", STATED_IN)
        self.ref_style = _ref_style(seed, index)
        self.vocabulary_name: str = pick("vocabulary", tuple(wording.VOCABULARIES))
        self.vocabulary = wording.VOCABULARIES[self.vocabulary_name]
        self.second_vocabulary = wording.VOCABULARIES[pick("second_vocabulary", tuple(wording.VOCABULARIES))]
        self.level_words: tuple[str, str, str] = wording.LEVEL_WORDS[pick("level_words", tuple(wording.LEVEL_WORDS))]
        self.date_style: str = pick("date_style", wording.DATE_STYLES)
        self.row_order: str = pick("row_order", ROW_ORDERS)
        self.standard_cell_style: str = pick("standard_cell", STANDARD_CELL_STYLES)
        hidden_slot = sum(_feature_on(seed, "hidden_column", i) for i in range(index))
        self.hidden_kind: str = _stratified(seed, "hidden_kind", HIDDEN_COLUMN_KINDS, hidden_slot)
        self.sheet_name_style: str = pick("sheet_name", SHEET_NAME_STYLES)
        self.reword_rate: float = (self.rng.choice((0.5, 1.0)) if self.ref_style == "missing"
                                   else self.rng.choice((0.0, 0.1, 0.3)))
        self.leave_out = self._on("criteria_left_out", tag=False)
        self.title_block = not self._on("header_on_row_1", tag=False) or self.stated_in in ("title", "both")
        if self.title_block:
            self.variations.add("title_block")
        else:
            self.variations.add("no_title_block")
        self.fields = self._choose_fields()
        self.headers = self._choose_headers()
        self.file_name = self._file_name()
        self.sheet_records: list[dict[str, Any]] = []
        self.variations |= {f"format:{self.file_format}", f"layout:{self.layout}", f"ref_style:{self.ref_style}",
                            f"vocabulary:{self.vocabulary_name}", f"date_style:{self.date_style}",
                            f"row_order:{self.row_order}", f"authority_round_in:{self.stated_in}"}

    def _pick(self, name: str, options: Sequence[Any]) -> Any:
        return _stratified(self.seed, name, options, self.index)

    def _on(self, feature: str, tag: bool = True) -> bool:
        """Whether this file has ``feature``; tagged now unless it only counts once it is applied."""
        on = _feature_on(self.seed, feature, self.index)
        if on and tag:
            self.variations.add(feature)
        return on

    def _choose_standards(self, standards: Sequence[Standard]) -> list[Standard]:
        if self.layout == "per_standard" and self._on("whole_return"):
            return list(standards)
        count = self.rng.choice((1, 1, 1, 2, 3)) if self.layout == "per_standard" else self.rng.choice((1, 2, 2, 3))
        first = self._pick("first_standard", tuple(range(len(standards))))
        others = [s for i, s in enumerate(standards) if i != first]
        return [standards[first], *self.rng.sample(others, count - 1)]

    def _choose_fields(self) -> list[str]:
        fields = ["statement", "judgement"]
        if self.ref_style != "missing":
            fields.insert(0, "ref")
        if self.layout == "single_sheet":
            fields.insert(0, "standard")
        if _level_column_present(self.seed, self.index):
            fields.append("level")
            self.variations.add("level_words:" + "/".join(self.level_words))
        else:
            self.variations.add("no_level_column")
        fields += [name for name in OPTIONAL_FIELDS if _field_present(self.seed, name, self.index)]
        if self._on("distractor_equality_level"):
            fields.append("equality_level")
        if self._on("distractor_priority"):
            fields.append("priority")
        if not self._on("columns_in_usual_order"):
            self.rng.shuffle(fields)
            self.variations.add("columns_reordered")
        if self._on("hidden_column"):
            fields.insert(self.rng.randrange(len(fields) + 1), "hidden")
            self.variations.add(f"hidden_column:{self.hidden_kind}")
        return fields

    def _choose_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for field in self.fields:
            if field in wording.HEADERS:
                names = wording.HEADERS[field]
                slot = _header_slot(self.seed, field, self.index)
                name = str(_stratified(self.seed, f"header-{field}", names, slot))
                while name in headers.values():  # one sheet never shows the same heading twice
                    name = names[(names.index(name) + 1) % len(names)]
                headers[field] = name
                self.variations.add(f"header:{field}:{name}")
        extra = {"equality_level": "Equality Standard level", "priority": "Priority",
                 "hidden": {"sort_key": "Sort", "last_year_status": f"{self.year - 1}/{self.year % 100:02d} status",
                            "lookup_ref": "Key"}[self.hidden_kind]}
        headers |= {field: extra[field] for field in self.fields if field in extra}
        if self._on("uppercase_headers"):
            headers = {field: name.upper() for field, name in headers.items()}
        return headers

    def _file_name(self) -> str:
        in_name = self.stated_in in ("file_name", "both")
        subject = self.standards[0].code if len(self.standards) == 1 else "e-Standards"
        if in_name:
            round_text = wording.round_label(self.year, self._pick("round_in_name", ROUND_STYLES_IN_NAME))
            who = self.rng.choice((self.authority_short, self.authority))
            stem = self.rng.choice((
                f"{who} NeSDS {subject} return {round_text}", f"{round_text} {who} e-standards self assessment",
                f"NeSDS_{subject}_{who.replace(' ', '_')}_{round_text}", f"{who} - {subject} - {round_text} FINAL",
            ))
        else:
            stem = self.rng.choice((f"NeSDS {subject} self assessment v3", "Copy of e-Standards return",
                                    f"{subject} standard assessment FINAL", "eStandards workshop output"))
        return f"{stem} ({self.index + 1}).{self.file_format}"

    # --- sheets ----------------------------------------------------------------------------------

    def build(self) -> tuple[list[SheetPlan], list[dict[str, Any]]]:
        sheets: list[SheetPlan] = []
        truth: list[dict[str, Any]] = []
        if self._on("cover_sheet"):
            cover = SheetPlan(self.rng.choice(("Cover", "Instructions", "Front sheet")))
            lines: list[str] = [*self._title_lines(None), "",
                                "Please complete one row for each criterion and return to the programme office."]
            cover.rows = [[line] for line in lines]
            sheets.append(cover)
        groups = [self.standards] if self.layout == "single_sheet" else [[s] for s in self.standards]
        for number, group in enumerate(groups, start=1):
            sheet = SheetPlan(self._sheet_name(group, number))
            truth += self._fill(sheet, group)
            sheets.append(sheet)
        if self._on("hidden_sheet"):
            lists: list[list[CellValue]] = [["Answers"]]
            lists += [[self._word(j, use_variant=False)] for j in self.vocabulary]
            sheets.append(SheetPlan("Lists", rows=lists, hidden=True))
        return sheets, truth

    def _sheet_name(self, group: list[Standard], number: int) -> str:
        if self.layout == "single_sheet":
            return str(self.rng.choice(("Self assessment", "All standards", "Sheet1", "Return",
                                        f"NeSDS {wording.round_label(self.year, 'dash')}")))
        standard = group[0]
        name = {"code": standard.code, "code_standard": f"{standard.code} standard",
                "title": re.sub(r"[\[\]:*?/\\]", " ", standard.title)[:31].strip(),
                "numbered": f"Sheet{number}"}[self.sheet_name_style]
        return name

    def _title_lines(self, group: list[Standard] | None) -> list[str]:
        in_title = self.stated_in in ("title", "both")
        round_text = wording.round_label(self.year, self._pick("round_in_title", ROUND_STYLES_IN_TITLE))
        subject = group[0].title if group and len(group) == 1 else "e-Standards"
        lines = [f"NeSDS {subject} self-assessment"]
        if in_title:
            lines.insert(0, self.rng.choice((self.authority, self.authority.upper())))
            lines.append(self.rng.choice((f"Round {round_text}", f"Assessment year: {round_text}",
                                          f"Position at March {self.year + 1} ({round_text})")))
        lines.append(f"Completed by {self.rng.choice(OFFICERS)}")
        return lines[: self.rng.randint(1 if not in_title else len(lines) - 1, len(lines))]

    def _fill(self, sheet: SheetPlan, group: list[Standard]) -> list[dict[str, Any]]:
        rows = sheet.rows
        width = len(self.fields)
        if self.title_block:
            for line in self._title_lines(group):
                rows.append([line] + [None] * (width - 1))
                if self._on("merged_title") and width > 1:
                    sheet.merges.append((len(rows) - 1, 0, len(rows) - 1, min(width, 6) - 1))
            rows.append([])
        if self._on("two_row_header"):
            groups = {"judgement": "Self-assessment", "action": "Improvement plan", "ref": "Criterion"}
            rows.append([groups.get(field) for field in self.fields])
        rows.append([self.headers[field] for field in self.fields])
        header_row = len(rows)
        sheet.hidden_columns = {i for i, field in enumerate(self.fields) if field == "hidden"}
        truth: list[dict[str, Any]] = []
        counts: dict[str | None, int] = {}
        for standard in group:
            for section_number, section in enumerate(standard.sections):
                if section_number and self._on("spacer_rows"):
                    rows.append([])
                if self._on("section_heading_rows"):
                    rows.append([f"Section {section.number}: {section.title}"] + [None] * (width - 1))
                for criterion in self._ordered(section):
                    if self.leave_out and self.rng.random() < 0.2:
                        self.variations.add("criteria_left_out")
                        continue
                    if self._on("random_blank_rows", tag=False) and self.rng.random() < 0.03:
                        self.variations.add("random_blank_rows")
                        rows.append([])
                    record = self._data_row(sheet.name, len(rows) + 1, standard, section, criterion)
                    rows.append(record.pop("_cells"))
                    counts[record["judgement"]] = counts.get(record["judgement"], 0) + 1
                    truth.append(record)
        if self._on("summary_rows"):
            rows += [[], ["Total met", counts.get(wording.MET, 0)],
                     ["Key: " + ", ".join(f"{self._word(j, use_variant=False)} = {j.replace('_', ' ')}"
                                          for j in self.vocabulary)]]
        self.sheet_records.append({
            "name": sheet.name, "standards": [s.code for s in group], "header_row": header_row,
            "columns": {field: {"column": i, "header": self.headers[field]} for i, field in enumerate(self.fields)},
            "hidden_columns": sorted(sheet.hidden_columns),
        })
        return truth

    def _ordered(self, section: Section) -> list[Criterion]:
        criteria = list(section.criteria)
        if self.row_order == "by_level":
            criteria.sort(key=lambda c: c.level.rank)
        elif self.row_order == "shuffled_in_section":
            self.rng.shuffle(criteria)
        return criteria

    def _data_row(self, sheet: str, row: int, standard: Standard, section: Section,
                  criterion: Criterion) -> dict[str, Any]:
        rng = self.rng
        judgement = self._true_judgement()
        written_judgement, truth_judgement = self._judgement_cell(judgement)
        ref = wording.written_ref(criterion, section, standard.code, self.ref_style)
        ref_cell: CellValue = ref
        if ref and self.ref_style in ("bare_seq", "bare_within_level") and self._on("ref_as_number"):
            ref_cell = float(ref)  # Excel turned 2.10 into 2.1
        if ref and self._on("blank_refs", tag=False) and rng.random() < 0.05:
            self.variations.add("blank_refs")
            ref_cell = None
        statement = criterion.statement
        was_reworded = rng.random() < self.reword_rate
        if was_reworded:
            statement = wording.reworded(statement, rng)
            self.variations.add("reworded_text")
        due = wording.random_due(rng, self.year) if judgement in (wording.PARTLY, wording.NOT_MET) else None
        due_cell: CellValue = wording.due_cell(due, self.date_style) if due else None
        if due and self._on("due_text_ongoing", tag=False) and rng.random() < 0.2:
            self.variations.add("due_text_ongoing")
            due, due_cell = None, rng.choice(("ongoing", "TBC", "Q3"))
        level_word = self.level_words[criterion.level.rank]
        values: dict[str, CellValue] = {
            "ref": ref_cell,
            "statement": statement,
            "standard": {"code": standard.code, "title": standard.title,
                         "code_and_title": f"{standard.code} - {standard.title}"}[self.standard_cell_style],
            "level": level_word,
            "judgement": written_judgement,
            "evidence": (f"{rng.choice(criterion.evidence)}" if criterion.evidence and judgement != wording.NOT_MET
                         and rng.random() < 0.8 else None),
            "notes": rng.choice((None, None, "Discussed at workshop", "Check with service head")),
            "action": rng.choice(ACTIONS) if judgement in (wording.PARTLY, wording.NOT_MET) else None,
            "owner": rng.choice(OFFICERS) if judgement in (wording.PARTLY, wording.NOT_MET) else None,
            "due": due_cell,
            "equality_level": rng.choice(wording.EQUALITY_STANDARD_LEVELS),
            "priority": rng.choice(("High", "Medium", "Low")),
            "hidden": self._hidden_value(row, criterion),
        }
        return {
            "sheet": sheet, "row": row, "ref": criterion.ref, "judgement": truth_judgement,
            "written": {"ref": _jsonable(ref_cell), "statement": statement, "judgement": _jsonable(written_judgement)},
            "reworded": was_reworded, "due": due.isoformat() if due else None,
            "_cells": [values[field] for field in self.fields],
        }

    def _hidden_value(self, row: int, criterion: Criterion) -> CellValue:
        if self.hidden_kind == "sort_key":
            return row * 10
        if self.hidden_kind == "lookup_ref":
            return criterion.ref
        return self._word(self.rng.choice(list(self.vocabulary)), use_variant=False)

    def _true_judgement(self) -> str | None:
        roll = self.rng.random()
        if roll < 0.4:
            return wording.MET
        if roll < 0.6:
            return wording.PARTLY
        if roll < 0.82:
            return wording.NOT_MET
        if roll < 0.9:
            self.variations.add("not_applicable")
            return wording.NOT_APPLICABLE
        self.variations.add("not_assessed_blank")
        return None

    def _judgement_cell(self, judgement: str | None) -> tuple[CellValue, str | None]:
        """The cell written for a judgement, and the truth it carries (None: no answer)."""
        if judgement is None:
            if self._on("unknown_values", tag=False) and self.rng.random() < 0.3:
                self.variations.add("unknown_values")
                return self.rng.choice(wording.UNKNOWN_WORDS), None
            return None, None
        if self._on("mixed_vocabulary", tag=False) and self.rng.random() < 0.1:
            self.variations.add("mixed_vocabulary")
            return self.rng.choice(self.second_vocabulary[judgement]), judgement
        word = self._word(judgement, use_variant=_feature_on(self.seed, "variant_words", self.index))
        if isinstance(word, str) and self._on("judgement_with_remarks", tag=False) and self.rng.random() < 0.06:
            self.variations.add("judgement_with_remarks")
            return word + self.rng.choice(wording.REMARKS), judgement
        return word, judgement

    def _word(self, judgement: str, use_variant: bool) -> str | int | bool:
        words = self.vocabulary[judgement]
        if use_variant and len(words) > 1 and self.rng.random() < 0.3:
            self.variations.add("variant_words")
            return self.rng.choice(words[1:])
        return words[0]


def _jsonable(value: CellValue) -> str | int | float | bool | None:
    return value.isoformat() if isinstance(value, date) else value
