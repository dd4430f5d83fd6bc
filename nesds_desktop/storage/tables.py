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
