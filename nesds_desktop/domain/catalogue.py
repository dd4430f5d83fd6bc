"""Catalogue content as immutable plain objects, shared by every layer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from nesds_desktop.domain.levels import Level


@dataclass(frozen=True)
class Criterion:
    ref: str
    level: Level
    statement: str
    guidance: str
    evidence: tuple[str, ...] = ()
    signposts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    summary: str
    criteria: tuple[Criterion, ...] = ()

    def criteria_at(self, level: Level) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.level is level)


@dataclass(frozen=True)
class Standard:
    code: str
    title: str
    summary: str
    maintainer: str = ""
    sections: tuple[Section, ...] = ()

    def criteria(self) -> Iterator[Criterion]:
        for section in self.sections:
            yield from section.criteria

    def count_by_level(self) -> dict[Level, int]:
        counts = dict.fromkeys(Level, 0)
        for criterion in self.criteria():
            counts[criterion.level] += 1
        return counts


@dataclass(frozen=True)
class ReleaseInfo:
    """What a release is, without its content."""

    release_id: str
    title: str
    version: str
    published: date
    provenance: str
    content_hash: str
    supersedes: str | None = None
    source: str = "bundled"


@dataclass(frozen=True)
class Release:
    info: ReleaseInfo
    standards: tuple[Standard, ...] = field(default=())

    @property
    def release_id(self) -> str:
        return self.info.release_id

    def standard(self, code: str) -> Standard:
        for standard in self.standards:
            if standard.code == code:
                return standard
        raise KeyError(code)


@dataclass(frozen=True)
class StandardSummary:
    code: str
    title: str
    sections: int
    counts: dict[Level, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ReleaseSummary:
    info: ReleaseInfo
    standards: tuple[StandardSummary, ...]

    @property
    def total(self) -> int:
        return sum(s.total for s in self.standards)
