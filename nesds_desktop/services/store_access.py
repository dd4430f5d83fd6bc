"""Opening the user's store, for the command line and the window."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from nesds_desktop.storage.store import BACKUP_FOLDER_NAME, STORE_FILE_NAME, Store, StoreError, open_store

__all__ = ["Store", "StoreError", "newest_backup", "open_data_store", "restore_backup"]


def open_data_store(data_dir: Path) -> Store:
    """Open (creating or upgrading as needed) the store in ``data_dir``."""
    return open_store(data_dir)


def newest_backup(data_dir: Path) -> Path | None:
    """The most recent store copy in the data folder's backups folder, if any."""
    folder = data_dir / BACKUP_FOLDER_NAME
    if not folder.is_dir():
        return None
    copies = [p for p in folder.glob("*.sqlite") if p.is_file() and p.stat().st_size > 0]
    return max(copies, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def restore_backup(data_dir: Path, backup: Path) -> Path:
    """Move the store (and its journal files) aside, never deleting it, and copy ``backup`` into its place.

    Returns where the old store went.  The journal files move too: a write-ahead log left
    beside the restored copy would be replayed into it.
    """
    store_path = data_dir / STORE_FILE_NAME
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = data_dir / f"store.damaged-{stamp}.sqlite"
    counter = 1
    while aside.exists():
        counter += 1
        aside = data_dir / f"store.damaged-{stamp}-{counter}.sqlite"
    if store_path.exists():
        store_path.rename(aside)
    for suffix in ("-wal", "-shm", "-journal"):
        journal = data_dir / f"{STORE_FILE_NAME}{suffix}"
        if journal.exists():
            journal.rename(aside.with_name(aside.name + suffix))
    shutil.copy2(backup, store_path)
    return aside
