"""Schema migrations, in order.  Each step is frozen once released.

A step builds tables with SQLAlchemy Core (dialect-neutral) rather than the live
SQLModel classes, so that later changes to the classes never alter what an old
step does.  ``tests/storage/test_migrations.py`` checks that running every step
gives exactly the schema of :mod:`nesds_desktop.storage.tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.sql import func


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _schema_1_catalogue(connection: Connection) -> None:
    metadata = MetaData()
    Table(
        "schema_migration",
        metadata,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("description", String, nullable=False),
        Column("applied_at", DateTime, nullable=False),
    )
    Table(
        "catalogue_release",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("release_id", String(100), nullable=False, unique=True),
        Column("title", String(200), nullable=False),
        Column("version", String(50), nullable=False),
        Column("published", Date, nullable=False),
        Column("provenance", Text, nullable=False),
        Column("supersedes", String(100)),
        Column("content_hash", String(80), nullable=False),
        Column("loaded_at", DateTime, nullable=False),
    )
    Table(
        "catalogue_standard",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "release_pk", Integer, ForeignKey("catalogue_release.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        Column("position", Integer, nullable=False),
        Column("code", String(10), nullable=False),
        Column("title", String(200), nullable=False),
        Column("summary", Text, nullable=False),
        Column("maintainer", String(100), nullable=False),
        UniqueConstraint("release_pk", "code"),
    )
    Table(
        "catalogue_section",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "standard_pk", Integer, ForeignKey("catalogue_standard.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        Column("number", Integer, nullable=False),
        Column("title", String(200), nullable=False),
        Column("summary", Text, nullable=False),
        UniqueConstraint("standard_pk", "number"),
    )
    Table(
        "catalogue_criterion",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "section_pk", Integer, ForeignKey("catalogue_section.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        Column("position", Integer, nullable=False),
        Column("ref", String(20), nullable=False),
        Column("level", String(20), nullable=False),
        Column("statement", Text, nullable=False),
        Column("guidance", Text, nullable=False),
        Column("evidence", JSON, nullable=False),
        Column("signposts", JSON, nullable=False),
        UniqueConstraint("section_pk", "ref"),
    )
    metadata.create_all(connection)


def _schema_2_release_source_and_preferences(connection: Connection) -> None:
    # Where a release came from: bundled with the app, imported, or carried in an assessment file.
    connection.execute(text("ALTER TABLE catalogue_release ADD COLUMN source VARCHAR(20) NOT NULL DEFAULT 'bundled'"))
    metadata = MetaData()
    Table(
        "preference",
        metadata,
        Column("key", String(100), primary_key=True),
        Column("value", Text, nullable=False),
    )
    metadata.create_all(connection)


def _schema_3_assessments(connection: Connection) -> None:
    metadata = MetaData()
    Table("catalogue_release", metadata, Column("id", Integer, primary_key=True))
    Table(
        "authority",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(36), nullable=False, unique=True),
        Column("name", String(200), nullable=False, index=True),
        Column("type", String(40), nullable=False),
        Column("region", String(40), nullable=False),
        Column("gss_code", String(9), unique=True),
    )
    Table(
        "assessment",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(36), nullable=False, unique=True),
        Column("authority_pk", Integer, ForeignKey("authority.id", ondelete="RESTRICT"), nullable=False, index=True),
        Column(
            "release_pk", Integer, ForeignKey("catalogue_release.id", ondelete="RESTRICT"), nullable=False, index=True
        ),
        Column("standard_code", String(10), nullable=False),
        Column("round_label", String(7), nullable=False, index=True),
        Column("facilitator", String(200), nullable=False),
        Column("participants", Text, nullable=False),
        Column("workshop_start", Date),
        Column("workshop_end", Date),
        Column("state", String(20), nullable=False),
        Column("level_label", String(40), nullable=False),
        Column("answered", Integer, nullable=False),
        Column("total", Integer, nullable=False),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )

    def item_columns() -> list[Column[object]]:
        return [
            Column("id", Integer, primary_key=True),
            Column("uid", String(36), nullable=False, unique=True),
            Column(
                "assessment_pk", Integer, ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True
            ),
        ]

    def stamp_columns() -> list[Column[object]]:
        return [
            Column("changed_by", String(200), nullable=False),
            Column("changed_at", DateTime, nullable=False),
            Column("revision", Integer, nullable=False),
        ]

    Table(
        "judgement",
        metadata,
        *item_columns(),
        Column("criterion_ref", String(20), nullable=False),
        Column("value", String(20), nullable=False),
        Column("notes", Text, nullable=False),
        Column("to_confirm", Boolean, nullable=False),
        *stamp_columns(),
        UniqueConstraint("assessment_pk", "criterion_ref"),
    )
    Table(
        "evidence_reference",
        metadata,
        *item_columns(),
        Column("criterion_ref", String(20), nullable=False),
        Column("position", Integer, nullable=False),
        Column("title", Text, nullable=False),
        Column("location", Text, nullable=False),
        *stamp_columns(),
    )
    Table(
        "assessment_action",
        metadata,
        *item_columns(),
        Column("criterion_ref", String(20)),
        Column("position", Integer, nullable=False),
        Column("description", Text, nullable=False),
        Column("owner", String(200), nullable=False),
        Column("due", Date),
        Column("priority", String(20), nullable=False),
        Column("state", String(20), nullable=False),
        Column("saving_cashable_pence", Integer, nullable=False),
        Column("saving_non_cashable_pence", Integer, nullable=False),
        *stamp_columns(),
    )
    Table(
        "change_log",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("assessment_pk", Integer, ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("item_kind", String(20), nullable=False),
        Column("item_uid", String(36), nullable=False, index=True),
        Column("revision", Integer, nullable=False),
        Column("author", String(200), nullable=False),
        Column("changed_at", DateTime, nullable=False),
        Column("content", JSON),
    )
    metadata.create_all(connection, tables=[t for name, t in metadata.tables.items() if name != "catalogue_release"])


def _schema_4_archived_answers(connection: Connection) -> None:
    metadata = MetaData()
    Table("catalogue_release", metadata, Column("id", Integer, primary_key=True))
    Table("assessment", metadata, Column("id", Integer, primary_key=True))
    Table(
        "archived_answer",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(36), nullable=False, unique=True),
        Column("assessment_pk", Integer, ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True),
        Column(
            "release_pk", Integer, ForeignKey("catalogue_release.id", ondelete="RESTRICT"), nullable=False, index=True
        ),
        Column("criterion_ref", String(20), nullable=False),
        Column("archived_ref", String(20), nullable=False),
        Column("value", String(20), nullable=False),
        Column("notes", Text, nullable=False),
        Column("to_confirm", Boolean, nullable=False),
        Column("reason", String(30), nullable=False),
        Column("merged_into", String(20)),
        Column("note", Text, nullable=False),
        Column("answered_by", String(200), nullable=False),
        Column("answered_at", DateTime, nullable=False),
        Column("archived_at", DateTime, nullable=False),
        Column("changed_by", String(200), nullable=False),
        UniqueConstraint("assessment_pk", "release_pk", "criterion_ref"),
    )
    metadata.create_all(connection, tables=[metadata.tables["archived_answer"]])


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "catalogue releases, standards, sections and criteria", _schema_1_catalogue),
    Migration(2, "release source and user preferences", _schema_2_release_source_and_preferences),
    Migration(3, "authorities, assessments, judgements, evidence, actions and their history", _schema_3_assessments),
    Migration(4, "answers archived by release migrations", _schema_4_archived_answers),
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(connection: Connection) -> int:
    """0 for an empty database; -1 for a database that is not a NeSDS Workbook store."""
    tables = set(inspect(connection).get_table_names())
    if "schema_migration" not in tables:
        return 0 if not tables else -1
    version = connection.execute(text("SELECT MAX(version) FROM schema_migration")).scalar()
    return int(version or 0)


def migrate(connection: Connection, target: int = LATEST_VERSION) -> list[Migration]:
    """Apply every step above the current version, each in its own transaction."""
    applied: list[Migration] = []
    start = current_version(connection)
    connection.commit()  # end the transaction the inspection began
    for migration in MIGRATIONS:
        if migration.version <= start or migration.version > target:
            continue
        with connection.begin():
            migration.apply(connection)
            _record(connection, migration)
        applied.append(migration)
    return applied


def _record(connection: Connection, migration: Migration) -> None:
    table = Table("schema_migration", MetaData(), autoload_with=connection)
    connection.execute(
        insert(table).values(
            version=migration.version,
            description=migration.description,
            applied_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )
    assert connection.execute(select(func.max(table.c.version))).scalar() == migration.version
