"""Checks on catalogue content beyond the file format: references, levels, duplicates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from nesds_desktop.catalogue.problems import Problem
from nesds_desktop.catalogue.schema import REFERENCE_PATTERN, StandardFile
from nesds_desktop.domain.levels import Level

_WORDS = re.compile(r"[a-z0-9]+")


def normalised_statement(text: str) -> str:
    """Lower case words only: two statements that differ in case or punctuation are duplicates."""
    return " ".join(_WORDS.findall(text.lower()))


def check_release_content(standards: Sequence[StandardFile], paths: Mapping[str, Path]) -> list[Problem]:
    problems: list[Problem] = []
    seen_refs: dict[str, str] = {}
    seen_statements: dict[str, str] = {}
    seen_codes: set[str] = set()
    for standard in standards:
        path = paths[standard.code]
        if standard.code in seen_codes:
            problems.append(Problem(path, "code", f"standard {standard.code} appears twice in the release"))
        seen_codes.add(standard.code)
        problems.extend(_check_sections(standard, path))
        for section in standard.sections:
            for criterion in section.criteria:
                where = f"section {section.number} > criterion {criterion.ref}"
                if criterion.ref in seen_refs:
                    problems.append(Problem(path, where, f"reference {criterion.ref} is used twice"))
                seen_refs[criterion.ref] = criterion.ref
                key = normalised_statement(criterion.statement)
                if key in seen_statements:
                    problems.append(
                        Problem(path, where, f"statement duplicates {seen_statements[key]}: {criterion.statement!r}")
                    )
                else:
                    seen_statements[key] = criterion.ref
    return problems


def _check_sections(standard: StandardFile, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    numbers = [section.number for section in standard.sections]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(Problem(path, "sections", f"sections must be numbered 1, 2, 3... in order; found {numbers}"))
    for section in standard.sections:
        where = f"section {section.number}"
        levels_present = {criterion.level for criterion in section.criteria}
        for level in Level:
            if level not in levels_present:
                problems.append(
                    Problem(path, where, f"has no {level.label} criteria; every section needs all three levels")
                )
        numbers_by_level: dict[str, list[int]] = {}
        for criterion in section.criteria:
            match = REFERENCE_PATTERN.match(criterion.ref)
            if match is None:  # the schema already reported it
                continue
            ref_where = f"{where} > criterion {criterion.ref}"
            if match["code"] != standard.code:
                problems.append(
                    Problem(path, ref_where, f"reference belongs to standard {match['code']}, not {standard.code}")
                )
            if int(match["section"]) != section.number:
                problems.append(
                    Problem(
                        path,
                        ref_where,
                        f"reference names section {match['section']} but sits in section {section.number}",
                    )
                )
            numbers_by_level.setdefault(match["letter"], []).append(int(match["number"]))
        for letter, found in numbers_by_level.items():
            if sorted(found) != list(range(1, len(found) + 1)):
                problems.append(
                    Problem(
                        path,
                        where,
                        f"{Level.from_letter(letter).label} references must be numbered 1, 2, 3...; "
                        f"found {sorted(found)}",
                    )
                )
    return problems
