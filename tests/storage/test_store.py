"""Opening, creating, upgrading and refusing stores, on real SQLite files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, create_engine

from nesds_desktop.storage import tables  # noqa: F401  (registers the live tables)
from nesds_desktop.storage.migrations import LATEST_VERSION
from nesds_desktop.storage.store import BACKUP_FOLDER_NAME, STORE_FILE_NAME, StoreError, open_store

FIXTURE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "store-schema-1.sqlite"


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_new_store_is_created_at_latest_schema_with_wal_and_foreign_keys(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        assert (data_dir / STORE_FILE_NAME).is_file()
        assert store.schema_version() == LATEST_VERSION
        assert store.backup is None
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        store.close()


def test_deleting_the_data_folder_and_starting_again_recreates_it(data_dir: Path) -> None:
    open_store(data_dir).close()
    shutil.rmtree(data_dir)
    store = open_store(data_dir)
    store.close()
    assert (data_dir / STORE_FILE_NAME).is_file()


def test_foreign_keys_are_enforced_through_the_engine(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        with store.engine.connect() as connection, pytest.raises(IntegrityError):
            connection.exec_driver_sql(
                "INSERT INTO catalogue_standard (release_pk, position, code, title, summary, maintainer)"
                " VALUES (999, 0, 'X', 'X', 'X', '')"
            )
    finally:
        store.close()


def test_schema_1_store_upgrades_with_backup_and_nothing_lost(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    target = data_dir / STORE_FILE_NAME
    shutil.copyfile(FIXTURE_V1, target)
    before_criteria = _rows(
        target, "SELECT ref, level, statement, evidence, signposts FROM catalogue_criterion ORDER BY id"
    )
    before_release = _rows(
        target, "SELECT release_id, title, version, published, provenance, content_hash FROM catalogue_release"
    )

    store = open_store(data_dir)
    try:
        assert store.schema_version() == LATEST_VERSION
        assert store.backup is not None
        assert store.backup.parent == data_dir / BACKUP_FOLDER_NAME
    finally:
        store.close()

    # The backup is the old store, byte for byte in content, still at schema 1.
    assert _rows(store.backup, "SELECT MAX(version) FROM schema_migration") == [(1,)]
    assert (
        _rows(store.backup, "SELECT ref, level, statement, evidence, signposts FROM catalogue_criterion ORDER BY id")
        == before_criteria
    )
    # Everything survives the upgrade, and the new column has its default.
    assert (
        _rows(target, "SELECT ref, level, statement, evidence, signposts FROM catalogue_criterion ORDER BY id")
        == before_criteria
    )
    assert (
        _rows(target, "SELECT release_id, title, version, published, provenance, content_hash FROM catalogue_release")
        == before_release
    )
    assert _rows(target, "SELECT source FROM catalogue_release") == [("bundled",)]
    assert _rows(target, "SELECT version FROM schema_migration ORDER BY version") == [
        (v,) for v in range(1, LATEST_VERSION + 1)
    ]


def test_upgraded_store_opens_again_without_a_second_backup(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    shutil.copyfile(FIXTURE_V1, data_dir / STORE_FILE_NAME)
    open_store(data_dir).close()
    store = open_store(data_dir)
    store.close()
    assert store.backup is None
    assert len(list((data_dir / BACKUP_FOLDER_NAME).iterdir())) == 1


def test_migrated_schema_equals_the_live_table_definitions(tmp_path: Path, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    shutil.copyfile(FIXTURE_V1, data_dir / STORE_FILE_NAME)
    open_store(data_dir).close()
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    SQLModel.metadata.create_all(fresh)
    migrated = create_engine(f"sqlite:///{data_dir / STORE_FILE_NAME}")
    try:
        assert _describe(migrated) == _describe(fresh)
    finally:
        fresh.dispose()
        migrated.dispose()


def _describe(engine: object) -> dict[str, object]:
    inspector = inspect(engine)
    described: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        described[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], (fk.get("options") or {}).get("ondelete"))
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "indexes": sorted((tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
        }
    return described


def test_a_store_from_a_newer_version_is_refused_unchanged(data_dir: Path) -> None:
    open_store(data_dir).close()
    path = data_dir / STORE_FILE_NAME
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO schema_migration VALUES (99, 'from the future', '2030-01-01 00:00:00')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of NeSDS Workbook"):
        open_store(data_dir)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_a_clear_message(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / STORE_FILE_NAME).write_bytes(b"this is not SQLite at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        open_store(data_dir)


def test_a_foreign_sqlite_database_is_refused(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    connection = sqlite3.connect(data_dir / STORE_FILE_NAME)
    connection.execute("CREATE TABLE photos (id INTEGER)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="not a NeSDS Workbook store"):
        open_store(data_dir)


def test_an_uncreatable_data_folder_gets_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot be created"):
        open_store(blocker / "data")
