"""The live table definitions (SQLModel).

Migrations in :mod:`nesds_desktop.storage.migrations` build this schema step by
step; a test checks that a migrated database matches these tables exactly.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SchemaMigration(SQLModel, table=True):
    __tablename__ = "schema_migration"

    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    description: str
    applied_at: datetime


class Preference(SQLModel, table=True):
    __tablename__ = "preference"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))


class CatalogueRelease(SQLModel, table=True):
    __tablename__ = "catalogue_release"

    id: int | None = Field(default=None, primary_key=True)
    release_id: str = Field(max_length=100, unique=True)
    title: str = Field(max_length=200)
    version: str = Field(max_length=50)
    published: date
    provenance: str = Field(sa_column=Column(Text, nullable=False))
    supersedes: str | None = Field(default=None, max_length=100)
    content_hash: str = Field(max_length=80)
    loaded_at: datetime
    source: str = Field(default="bundled", max_length=20)


class CatalogueStandard(SQLModel, table=True):
    __tablename__ = "catalogue_standard"
    __table_args__ = (UniqueConstraint("release_pk", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    release_pk: int = Field(foreign_key="catalogue_release.id", index=True, ondelete="CASCADE")
    position: int
    code: str = Field(max_length=10)
    title: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    maintainer: str = Field(default="", max_length=100)


class CatalogueSection(SQLModel, table=True):
    __tablename__ = "catalogue_section"
    __table_args__ = (UniqueConstraint("standard_pk", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    standard_pk: int = Field(foreign_key="catalogue_standard.id", index=True, ondelete="CASCADE")
    number: int
    title: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))


class CatalogueCriterion(SQLModel, table=True):
    __tablename__ = "catalogue_criterion"
    __table_args__ = (UniqueConstraint("section_pk", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    section_pk: int = Field(foreign_key="catalogue_section.id", index=True, ondelete="CASCADE")
    position: int
    ref: str = Field(max_length=20)
    level: str = Field(max_length=20)
    statement: str = Field(sa_column=Column(Text, nullable=False))
    guidance: str = Field(sa_column=Column(Text, nullable=False))
    evidence: list[str] = Field(sa_column=Column(JSON, nullable=False))
    signposts: list[str] = Field(sa_column=Column(JSON, nullable=False))


class AuthorityRow(SQLModel, table=True):
    __tablename__ = "authority"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    name: str = Field(max_length=200, index=True)
    type: str = Field(max_length=40)
    region: str = Field(max_length=40)
    gss_code: str | None = Field(default=None, max_length=9, unique=True)


class AssessmentRow(SQLModel, table=True):
    __tablename__ = "assessment"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    authority_pk: int = Field(foreign_key="authority.id", index=True, ondelete="RESTRICT")
    release_pk: int = Field(foreign_key="catalogue_release.id", index=True, ondelete="RESTRICT")
    standard_code: str = Field(max_length=10)
    round_label: str = Field(max_length=7, index=True)
    facilitator: str = Field(default="", max_length=200)
    participants: str = Field(default="", sa_column=Column(Text, nullable=False))
    workshop_start: date | None = None
    workshop_end: date | None = None
    state: str = Field(default="draft", max_length=20)
    # Kept up to date with every judgement, so lists and comparisons need not recompute.
    level_label: str = Field(default="No level", max_length=40)
    answered: int = 0
    total: int = 0
    created_at: datetime
    updated_at: datetime


class JudgementRow(SQLModel, table=True):
    __tablename__ = "judgement"
    __table_args__ = (UniqueConstraint("assessment_pk", "criterion_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    assessment_pk: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    criterion_ref: str = Field(max_length=20)
    value: str = Field(default="not_yet_assessed", max_length=20)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    to_confirm: bool = False
    changed_by: str = Field(default="", max_length=200)
    changed_at: datetime
    revision: int = 1


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence_reference"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    assessment_pk: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    criterion_ref: str = Field(max_length=20)
    position: int = 0
    title: str = Field(sa_column=Column(Text, nullable=False))
    location: str = Field(default="", sa_column=Column(Text, nullable=False))
    changed_by: str = Field(default="", max_length=200)
    changed_at: datetime
    revision: int = 1


class ActionRow(SQLModel, table=True):
    __tablename__ = "assessment_action"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    assessment_pk: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    criterion_ref: str | None = Field(default=None, max_length=20)
    position: int = 0
    description: str = Field(sa_column=Column(Text, nullable=False))
    owner: str = Field(default="", max_length=200)
    due: date | None = None
    priority: str = Field(default="medium", max_length=20)
    state: str = Field(default="not_started", max_length=20)
    # Whole pence: exact, and the same in every SQL dialect.
    saving_cashable_pence: int = 0
    saving_non_cashable_pence: int = 0
    changed_by: str = Field(default="", max_length=200)
    changed_at: datetime
    revision: int = 1


class ChangeRow(SQLModel, table=True):
    """Every committed edit, newest last: the revision history a three-way merge needs."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    assessment_pk: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    item_kind: str = Field(max_length=20)
    item_uid: str = Field(max_length=36, index=True)
    revision: int
    author: str = Field(default="", max_length=200)
    changed_at: datetime
    # The item as it stood after the change; null when the change deleted it.
    content: dict[str, object] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ArchivedAnswerRow(SQLModel, table=True):
    """An answer kept with its assessment after a release migration gave it no criterion to sit on.

    ``release_pk`` and ``criterion_ref`` say what the answer was given to; the foreign key
    keeps that release in the store for as long as the archived answer exists.  Evidence
    references and actions that belonged to the answer now carry ``archived_ref``.
    """

    __tablename__ = "archived_answer"
    __table_args__ = (UniqueConstraint("assessment_pk", "release_pk", "criterion_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    assessment_pk: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    release_pk: int = Field(foreign_key="catalogue_release.id", index=True, ondelete="RESTRICT")
    criterion_ref: str = Field(max_length=20)
    archived_ref: str = Field(max_length=20)
    value: str = Field(max_length=20)
    notes: str = Field(sa_column=Column(Text, nullable=False))
    to_confirm: bool = False
    # retired, merged_not_carried or not_in_old_release (domain ArchiveReason values).
    reason: str = Field(max_length=30)
    merged_into: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    answered_by: str = Field(default="", max_length=200)
    answered_at: datetime
    archived_at: datetime
    changed_by: str = Field(default="", max_length=200)
