"""The crosswalk file: what changed, criterion by criterion, between two releases.

A crosswalk lives at ``standards/crosswalks/<from>__<to>.json``::

    {
      "format": "nesds-crosswalk/1",
      "from_release": "nesds-2006.1",
      "to_release": "nesds-2007.1",
      "standards": {
        "ICT": [
          {"kind": "reworded", "old": ["ICT-1-M2"], "new": ["ICT-1-M2"], "note": "IEG statements ended"},
          {"kind": "split", "old": ["ICT-3-M2"], "new": ["ICT-3-M2", "ICT-3-M4"], "note": "..."}
        ]
      }
    }

Kinds: reworded and moved (one old to one new), split (one to two or more), merged
(two or more to one), retired (old only), added (new only).  A criterion the file does
not mention is unchanged: same reference, same statement in both releases.  Whether the
entries add up is decided in :mod:`nesds_desktop.domain.release_migration`; this module
reads the file, names each problem by file, entry and line, and converts to domain objects.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nesds_desktop.catalogue.problems import CatalogueError, Problem
from nesds_desktop.catalogue.schema import REFERENCE_PATTERN, STANDARD_CODE_PATTERN
from nesds_desktop.domain.catalogue import Release, Standard
from nesds_desktop.domain.release_migration import (
    ChangeKind,
    Crosswalk,
    CrosswalkEntry,
    StandardCrosswalk,
    check_crosswalk,
    plan_migration,
)

CROSSWALK_FOLDER = "crosswalks"
CROSSWALK_FORMAT_NAME = "nesds-crosswalk"
CROSSWALK_FORMAT_VERSION = 1
RELEASE_ID_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"
_SEPARATOR = "__"

Reference = Annotated[str, Field(pattern=REFERENCE_PATTERN.pattern, description="A criterion reference, e.g. ICT-3-P2")]
StandardCode = Annotated[str, Field(pattern=STANDARD_CODE_PATTERN)]
ReleaseId = Annotated[str, Field(pattern=RELEASE_ID_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CrosswalkEntryFile(_Strict):
    """One change to one or more criteria."""

    kind: Annotated[ChangeKind, Field(description="reworded, moved, split, merged, retired or added")]
    old: Annotated[list[Reference], Field(default_factory=list, description="References in the earlier release")]
    new: Annotated[list[Reference], Field(default_factory=list, description="References in the later release")]
    note: Annotated[str, Field(description="Why it changed, shown when answers are confirmed")] = ""

    @field_validator("kind")
    @classmethod
    def _not_unchanged(cls, kind: ChangeKind) -> ChangeKind:
        if kind is ChangeKind.UNCHANGED:
            raise ValueError("unchanged criteria are left out of a crosswalk, not listed")
        return kind


class CrosswalkFile(_Strict):
    """The content of ``crosswalks/<from>__<to>.json``."""

    format: Annotated[str, Field(pattern=rf"^{CROSSWALK_FORMAT_NAME}/[0-9]+$")] = (
        f"{CROSSWALK_FORMAT_NAME}/{CROSSWALK_FORMAT_VERSION}"
    )
    from_release: ReleaseId
    to_release: ReleaseId
    note: str = ""
    standards: dict[StandardCode, list[CrosswalkEntryFile]]

    @model_validator(mode="after")
    def _two_different_releases(self) -> CrosswalkFile:
        if self.from_release == self.to_release:
            raise ValueError(f"from_release and to_release are both {self.from_release}")
        return self


def crosswalk_file_name(from_release: str, to_release: str) -> str:
    return f"{from_release}{_SEPARATOR}{to_release}.json"


def crosswalk_path(root: Path, from_release: str, to_release: str) -> Path:
    """Where the crosswalk between two releases of the catalogue at ``root`` is kept."""
    return root / CROSSWALK_FOLDER / crosswalk_file_name(from_release, to_release)


def to_domain(crosswalk: CrosswalkFile) -> Crosswalk:
    return Crosswalk(
        from_release=crosswalk.from_release,
        to_release=crosswalk.to_release,
        note=crosswalk.note,
        standards=tuple(
            StandardCrosswalk(
                code,
                tuple(CrosswalkEntry(e.kind, tuple(e.old), tuple(e.new), e.note) for e in entries),
            )
            for code, entries in crosswalk.standards.items()
        ),
    )


def read_crosswalk(path: Path) -> tuple[CrosswalkFile | None, list[Problem]]:
    """Read and validate the file format only (not against the releases)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, "", f"cannot be read: {exc}")]
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(path, f"column {exc.colno}", f"is not valid JSON: {exc.msg}", exc.lineno)]
    try:
        return CrosswalkFile.model_validate(raw), []
    except ValidationError as exc:
        return None, [_problem_from_error(path, text, error) for error in exc.errors()]


def load_crosswalk(path: Path) -> Crosswalk:
    """Read a crosswalk file; raise :class:`CatalogueError` if its format is wrong."""
    crosswalk, problems = read_crosswalk(path)
    if crosswalk is None:
        raise CatalogueError(problems)
    return to_domain(crosswalk)


def check_crosswalk_file(path: Path, releases: Mapping[str, Release | None]) -> tuple[list[Problem], list[str]]:
    """Validate one crosswalk against the releases of its catalogue.

    ``releases`` maps each release id found in the catalogue to its content, or to None
    when the release has problems of its own (reported elsewhere).
    """
    crosswalk, problems = read_crosswalk(path)
    if crosswalk is None:
        return problems, []
    text = path.read_text(encoding="utf-8")
    expected = crosswalk_file_name(crosswalk.from_release, crosswalk.to_release)
    if path.name != expected:
        message = f"is a crosswalk from {crosswalk.from_release} to {crosswalk.to_release}, so must be named {expected}"
        problems.append(Problem(path, "", message))
    old = _release(path, text, releases, release_id=crosswalk.from_release, field="from_release", problems=problems)
    new = _release(path, text, releases, release_id=crosswalk.to_release, field="to_release", problems=problems)
    if old is None or new is None:
        return problems, []
    if new.info.published < old.info.published:
        message = (
            f"{new.release_id} was published on {new.info.published}, before {old.release_id} ({old.info.published})"
        )
        problems.append(Problem(path, "to_release", message, _line_in(text, '"to_release"')))
    old_codes = {s.code for s in old.standards}
    new_codes = {s.code for s in new.standards}
    for code in crosswalk.standards:
        missing = [r.release_id for r, codes in ((old, old_codes), (new, new_codes)) if code not in codes]
        if missing:
            message = f"standard {code} is not in {' or '.join(missing)}; a crosswalk covers standards in both releases"
            problems.append(Problem(path, f"standards > {code}", message, _line_in(text, f'"{code}"')))
    domain = to_domain(crosswalk)
    parts: list[str] = []
    for standard in new.standards:
        if standard.code not in old_codes:
            continue
        entries = domain.entries_for(standard.code)
        issues = check_crosswalk(old.standard(standard.code), standard, entries)
        for issue in issues:
            location = f"standards > {standard.code}"
            line = None
            if issue.entry is not None:
                location += f" > entry {issue.entry + 1} ({entries[issue.entry].describe()})"
                line = _entry_line(text, standard.code, issue.entry)
            problems.append(Problem(path, location, issue.message, line))
        if not issues:
            parts.append(_describe_changes(standard.code, old.standard(standard.code), standard, entries))
    summary = f"crosswalk {old.release_id} -> {new.release_id}: " + ("; ".join(parts) or "no standard in common")
    return problems, [summary]


def check_crosswalk_folder(folder: Path, releases: Mapping[str, Release | None]) -> tuple[list[Problem], list[str]]:
    """Validate every crosswalk in ``folder`` (``<root>/crosswalks``)."""
    problems: list[Problem] = []
    summaries: list[str] = []
    for path in sorted(folder.glob("*.json")):
        if _SEPARATOR not in path.stem:
            problems.append(Problem(path, "", "is not named as a crosswalk: <from release>__<to release>.json"))
            continue
        found, lines = check_crosswalk_file(path, releases)
        problems.extend(found)
        summaries.extend(lines)
    return problems, summaries


def _release(
    path: Path,
    text: str,
    releases: Mapping[str, Release | None],
    *,
    release_id: str,
    field: str,
    problems: list[Problem],
) -> Release | None:
    """The release named by ``field`` (from_release or to_release), or None after noting why not."""
    line = _line_in(text, f'"{field}"')
    if release_id not in releases:
        problems.append(Problem(path, field, f"release {release_id} is not in this catalogue", line))
        return None
    release = releases[release_id]
    if release is None:
        problems.append(Problem(path, field, f"cannot be checked until release {release_id} has no problems", line))
    return release


def _describe_changes(code: str, old: Standard, new: Standard, entries: Sequence[CrosswalkEntry]) -> str:
    plan = plan_migration(old, new, entries)
    unchanged = plan.counts()[ChangeKind.UNCHANGED]
    by_kind = Counter(entry.kind for entry in entries)
    changes = ", ".join(f"{by_kind[kind]} {kind.value}" for kind in ChangeKind if by_kind[kind])
    return f"{code}: {unchanged} unchanged, {len(entries)} changes" + (f" ({changes})" if changes else "")


def _problem_from_error(path: Path, text: str, error: Any) -> Problem:
    loc: tuple[int | str, ...] = tuple(error.get("loc", ()))
    parts: list[str] = []
    line: int | None = None
    for index, key in enumerate(loc):
        if isinstance(key, int) and index >= 2 and loc[index - 2] == "standards":
            parts.append(f"entry {key + 1}")
            line = _entry_line(text, str(loc[index - 1]), key)
        elif isinstance(key, int):
            parts.append(f"item {key + 1}")
        else:
            parts.append(key)
    if line is None and loc:
        line = _line_in(text, f'"{loc[0]}"')
    kind = error.get("type", "")
    if kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        message = "unknown field (not part of the crosswalk format)"
    else:
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return Problem(path, " > ".join(parts), message, line)


def _entry_line(text: str, code: str, index: int) -> int | None:
    """Line where the ``index``-th entry under ``standards > code`` opens, found by scanning the JSON text."""
    standards = text.find('"standards"')
    match = re.compile(rf'"{re.escape(code)}"\s*:\s*\[').search(text, max(standards, 0))
    if match is None:
        return None
    depth, count, in_string, escaped = 0, -1, False, False
    for position in range(match.end(), len(text)):
        char = text[position]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            if depth == 0 and char == "{":
                count += 1
                if count == index:
                    return text.count("\n", 0, position) + 1
            depth += 1
        elif char in "}]":
            if depth == 0:  # the end of this standard's list
                return None
            depth -= 1
    return None


def _line_in(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None
