"""Open the local store: create it, refuse a foreign or newer one, back up, migrate."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from nesds_desktop.storage.engine import create_store_engine, sqlite_url
from nesds_desktop.storage.migrations import LATEST_VERSION, current_version, migrate

STORE_FILE_NAME = "store.sqlite"
BACKUP_FOLDER_NAME = "backups"


class StoreError(Exception):
    """The store cannot be opened; the message says why and what to do."""

    def __init__(self, path: Path, message: str, *, locked: bool = False) -> None:
        self.path = path
        #: Another program holds the store: try again later; never swap files under it.
        self.locked = locked
        super().__init__(f"{path}: {message}")


class Store:
    """An open store: one engine, sessions on demand."""

    def __init__(self, path: Path, engine: Engine, backup: Path | None) -> None:
        self.path = path
        self.engine = engine
        #: The copy taken before an upgrade, if this opening upgraded the schema.
        self.backup = backup

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def schema_version(self) -> int:
        with self.engine.connect() as connection:
            return current_version(connection)

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path) -> Store:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(data_dir, f"the data folder cannot be created ({exc.strerror})") from exc
    path = data_dir / STORE_FILE_NAME
    had_content = path.exists() and path.stat().st_size > 0
    engine = create_store_engine(sqlite_url(path))
    try:
        with engine.connect() as connection:
            version = current_version(connection)
            connection.commit()
            if version < 0:
                raise StoreError(path, "this file is not a NeSDS Workbook store. Choose another data folder.")
            if version > LATEST_VERSION:
                raise StoreError(
                    path,
                    f"this store was written by a newer version of NeSDS Workbook (schema {version}; this version "
                    f"understands up to {LATEST_VERSION}). Please update NeSDS Workbook, "
                    "or choose another data folder.",
                )
            backup = _backup(path, data_dir, version) if had_content and version < LATEST_VERSION else None
            migrate(connection)
    except OperationalError as exc:
        engine.dispose()
        if "locked" in str(exc.orig):
            raise StoreError(
                path, "the store is locked by another program (is NeSDS Workbook already open?).", locked=True
            ) from exc
        raise StoreError(path, f"the store cannot be opened ({exc.orig}).") from exc
    except DatabaseError as exc:
        engine.dispose()
        raise StoreError(
            path,
            f"the store is damaged ({exc.orig}). Open a backup from the '{BACKUP_FOLDER_NAME}' folder "
            "or choose another data folder.",
        ) from exc
    except StoreError:
        engine.dispose()
        raise
    return Store(path, engine, backup)


def _backup(path: Path, data_dir: Path, version: int) -> Path:
    """Copy the store before changing its schema, through SQLite's backup API (safe under WAL)."""
    folder = data_dir / BACKUP_FOLDER_NAME
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"store-schema-{version}-{stamp}.sqlite"
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
