"""Catalogue releases in the store, read and written as domain objects."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from nesds_desktop.domain.catalogue import (
    Criterion,
    Release,
    ReleaseInfo,
    ReleaseSummary,
    Section,
    Standard,
    StandardSummary,
)
from nesds_desktop.domain.levels import Level
from nesds_desktop.storage.tables import CatalogueCriterion, CatalogueRelease, CatalogueSection, CatalogueStandard


class ReleaseExistsError(Exception):
    """A release with this id is already in the store; releases are never replaced."""


def stored_hashes(session: Session) -> dict[str, str]:
    """Release id -> content hash, for every release in the store."""
    rows = session.exec(select(CatalogueRelease.release_id, CatalogueRelease.content_hash)).all()
    return dict(rows)


def add_release(session: Session, release: Release) -> None:
    """Add a whole release; releases are immutable, so an existing id is refused."""
    info = release.info
    if session.exec(select(CatalogueRelease.id).where(CatalogueRelease.release_id == info.release_id)).first():
        raise ReleaseExistsError(info.release_id)
    row = CatalogueRelease(
        release_id=info.release_id,
        title=info.title,
        version=info.version,
        published=info.published,
        provenance=info.provenance,
        supersedes=info.supersedes,
        content_hash=info.content_hash,
        loaded_at=datetime.now(UTC),
        source=info.source,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for position, standard in enumerate(release.standards):
        standard_row = CatalogueStandard(
            release_pk=row.id,
            position=position,
            code=standard.code,
            title=standard.title,
            summary=standard.summary,
            maintainer=standard.maintainer,
        )
        session.add(standard_row)
        session.flush()
        assert standard_row.id is not None
        for section in standard.sections:
            section_row = CatalogueSection(
                standard_pk=standard_row.id, number=section.number, title=section.title, summary=section.summary
            )
            session.add(section_row)
            session.flush()
            session.execute(
                insert(CatalogueCriterion),
                [
                    {
                        "section_pk": section_row.id,
                        "position": index,
                        "ref": criterion.ref,
                        "level": criterion.level.value,
                        "statement": criterion.statement,
                        "guidance": criterion.guidance,
                        "evidence": list(criterion.evidence),
                        "signposts": list(criterion.signposts),
                    }
                    for index, criterion in enumerate(section.criteria)
                ],
            )


def _info(row: CatalogueRelease) -> ReleaseInfo:
    return ReleaseInfo(
        release_id=row.release_id,
        title=row.title,
        version=row.version,
        published=row.published,
        provenance=row.provenance,
        content_hash=row.content_hash,
        supersedes=row.supersedes,
        source=row.source,
    )


def list_releases(session: Session) -> list[ReleaseSummary]:
    """Every release, oldest first, with criterion counts per standard and level."""
    releases = session.exec(
        select(CatalogueRelease).order_by(col(CatalogueRelease.published), col(CatalogueRelease.release_id))
    ).all()
    count_rows = session.exec(
        select(CatalogueSection.standard_pk, CatalogueCriterion.level, func.count())
        .join(CatalogueCriterion, col(CatalogueCriterion.section_pk) == col(CatalogueSection.id))
        .group_by(col(CatalogueSection.standard_pk), col(CatalogueCriterion.level))
    ).all()
    counts: dict[int, dict[Level, int]] = defaultdict(lambda: dict.fromkeys(Level, 0))
    for standard_pk, level, count in count_rows:
        counts[standard_pk][Level(level)] = count
    section_rows = session.exec(
        select(CatalogueSection.standard_pk, func.count()).group_by(col(CatalogueSection.standard_pk))
    ).all()
    sections = dict(section_rows)
    standards = session.exec(select(CatalogueStandard).order_by(col(CatalogueStandard.position))).all()
    by_release: dict[int, list[StandardSummary]] = defaultdict(list)
    for standard in standards:
        assert standard.id is not None
        by_release[standard.release_pk].append(
            StandardSummary(standard.code, standard.title, sections.get(standard.id, 0), counts[standard.id])
        )
    return [ReleaseSummary(_info(r), tuple(by_release[r.id or 0])) for r in releases]


def get_release(session: Session, release_id: str) -> Release:
    row = session.exec(select(CatalogueRelease).where(CatalogueRelease.release_id == release_id)).first()
    if row is None or row.id is None:
        raise KeyError(release_id)
    standards = session.exec(
        select(CatalogueStandard)
        .where(CatalogueStandard.release_pk == row.id)
        .order_by(col(CatalogueStandard.position))
    ).all()
    standard_ids = [s.id for s in standards]
    sections = session.exec(
        select(CatalogueSection)
        .where(col(CatalogueSection.standard_pk).in_(standard_ids))
        .order_by(col(CatalogueSection.number))
    ).all()
    section_ids = [s.id for s in sections]
    criteria = session.exec(
        select(CatalogueCriterion)
        .where(col(CatalogueCriterion.section_pk).in_(section_ids))
        .order_by(col(CatalogueCriterion.position))
    ).all()
    criteria_by_section: dict[int, list[Criterion]] = defaultdict(list)
    for c in criteria:
        criteria_by_section[c.section_pk].append(
            Criterion(c.ref, Level(c.level), c.statement, c.guidance, tuple(c.evidence), tuple(c.signposts))
        )
    sections_by_standard: dict[int, list[Section]] = defaultdict(list)
    for s in sections:
        sections_by_standard[s.standard_pk].append(
            Section(s.number, s.title, s.summary, tuple(criteria_by_section[s.id or 0]))
        )
    return Release(
        _info(row),
        tuple(
            Standard(s.code, s.title, s.summary, s.maintainer, tuple(sections_by_standard[s.id or 0]))
            for s in standards
        ),
    )
