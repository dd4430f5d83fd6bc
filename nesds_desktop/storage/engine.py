"""Engine set-up: SQLite by default, WAL journal, foreign keys on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_store_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        # Wait for a competing writer rather than failing at once.
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL: readers never block the writer, and a crash mid-write leaves the store intact.
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed edit survives a power cut as well as a crash (laptops die in workshops).
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()
