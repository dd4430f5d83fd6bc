"""Opening the user's store, for the command line and the window."""

from __future__ import annotations

from pathlib import Path

from nesds_desktop.storage.store import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_data_store"]


def open_data_store(data_dir: Path) -> Store:
    """Open (creating or upgrading as needed) the store in ``data_dir``."""
    return open_store(data_dir)
