"""Read a release folder, validate it, and turn it into domain objects.

Every problem is collected (not just the first) and named by file, line and
location, so a maintainer can fix a whole release in one pass.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from nesds_desktop.catalogue.checks import check_release_content
from nesds_desktop.catalogue.hashing import content_hash
from nesds_desktop.catalogue.layout import RELEASE_FILE, find_release_folders, is_release_folder
from nesds_desktop.catalogue.problems import CatalogueError, Problem
from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile
from nesds_desktop.domain.catalogue import Criterion, Release, ReleaseInfo, Section, Standard

M = TypeVar("M", bound=BaseModel)
__all__ = ["RELEASE_FILE", "ReleaseRead", "find_release_folders", "is_release_folder", "load_release", "read_release"]


@dataclass
class ReleaseRead:
    """The outcome of reading one release folder."""

    folder: Path
    release_file: ReleaseFile | None = None
    standard_files: list[StandardFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.release_file is not None

    @property
    def content_hash(self) -> str:
        assert self.release_file is not None
        return content_hash(self.release_file, self.standard_files)

    def to_domain(self, source: str = "bundled") -> Release:
        if not self.ok or self.release_file is None:
            raise CatalogueError(self.problems)
        return release_to_domain(self.release_file, self.standard_files, source)


def read_release(folder: Path) -> ReleaseRead:
    result = ReleaseRead(folder)
    release_path = folder / RELEASE_FILE
    release = _read_model(release_path, ReleaseFile, result.problems)
    if release is None:
        return result
    result.release_file = release
    listed = set(release.standards)
    for code in release.standards:
        path = folder / f"{code}.json"
        if not path.is_file():
            result.problems.append(Problem(release_path, "standards", f"lists {code} but {path.name} is missing"))
            continue
        standard = _read_model(path, StandardFile, result.problems)
        if standard is None:
            continue
        if standard.code != code:
            result.problems.append(
                Problem(
                    path, "code", f"file is named for {code} but its code is {standard.code}", _line_of(path, '"code"')
                )
            )
        result.standard_files.append(standard)
    for stray in sorted(folder.glob("*.json")):
        if stray.name != RELEASE_FILE and stray.stem not in listed:
            result.problems.append(Problem(stray, "", f"{stray.name} is not listed in {RELEASE_FILE}"))
    if len(result.standard_files) == len(release.standards):
        paths = {s.code: folder / f"{s.code}.json" for s in result.standard_files}
        result.problems.extend(check_release_content(result.standard_files, paths))
    return result


def read_standard_file(path: Path) -> tuple[StandardFile | None, list[Problem]]:
    """Validate a single standard file on its own (used by ``catalogue check FILE``)."""
    problems: list[Problem] = []
    standard = _read_model(path, StandardFile, problems)
    if standard is not None:
        problems.extend(check_release_content([standard], {standard.code: path}))
    return standard, problems


def load_release(folder: Path, source: str = "bundled") -> Release:
    """Read and validate a release; raise :class:`CatalogueError` on any problem."""
    return read_release(folder).to_domain(source)


def release_to_domain(release: ReleaseFile, standards: Sequence[StandardFile], source: str) -> Release:
    info = ReleaseInfo(
        release_id=release.release_id,
        title=release.title,
        version=release.version,
        published=release.published,
        provenance=release.provenance,
        content_hash=content_hash(release, standards),
        supersedes=release.supersedes,
        source=source,
    )
    return Release(info, tuple(_standard_to_domain(s) for s in standards))


def _standard_to_domain(standard: StandardFile) -> Standard:
    sections = tuple(
        Section(
            number=section.number,
            title=section.title,
            summary=section.summary,
            criteria=tuple(
                Criterion(
                    ref=c.ref,
                    level=c.level,
                    statement=c.statement,
                    guidance=c.guidance,
                    evidence=tuple(c.evidence),
                    signposts=tuple(c.signposts),
                )
                for c in section.criteria
            ),
        )
        for section in standard.sections
    )
    return Standard(standard.code, standard.title, standard.summary, standard.maintainer, sections)


def _read_model(path: Path, model: type[M], problems: list[Problem]) -> M | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(path, "", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, "", f"cannot be read: {exc}"))
        return None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(path, f"column {exc.colno}", f"is not valid JSON: {exc.msg}", exc.lineno))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            location, line = _describe_location(error["loc"], raw, text)
            problems.append(Problem(path, location, _describe_error(error), line))
        return None


def _describe_error(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (not part of the catalogue format)"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def _describe_location(loc: Sequence[int | str], raw: Any, text: str) -> tuple[str, int | None]:
    """Turn a pydantic location into words ("section 3 > criterion ICT-3-P2 > statement")."""
    parts: list[str] = []
    node: Any = raw
    anchor: str | None = None
    index = 0
    while index < len(loc):
        key = loc[index]
        nxt = loc[index + 1] if index + 1 < len(loc) else None
        if key in ("sections", "criteria") and isinstance(nxt, int) and isinstance(node, dict):
            items = node.get(key)
            item = items[nxt] if isinstance(items, list) and nxt < len(items) else None
            if key == "sections":
                number = item.get("number") if isinstance(item, dict) else None
                parts.append(f"section {number if number is not None else nxt + 1}")
            else:
                ref = item.get("ref") if isinstance(item, dict) else None
                parts.append(f"criterion {ref}" if isinstance(ref, str) else f"criterion #{nxt + 1}")
                if isinstance(ref, str):
                    anchor = f'"{ref}"'
            node = item
            index += 2
            continue
        parts.append(str(key) if not isinstance(key, int) else f"item {key + 1}")
        node = node.get(key) if isinstance(node, dict) and isinstance(key, str) else None
        index += 1
    return " > ".join(parts), _line_in(text, anchor) if anchor else None


def _line_in(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def _line_of(path: Path, needle: str) -> int | None:
    try:
        return _line_in(path.read_text(encoding="utf-8"), needle)
    except OSError:
        return None
