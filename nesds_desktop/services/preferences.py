"""User preferences kept in the store (so they travel with a copied data folder)."""

from __future__ import annotations

import getpass

from nesds_desktop.storage.store import Store
from nesds_desktop.storage.tables import Preference

AUTHOR_NAME = "author_name"


def get(store: Store, key: str, default: str = "") -> str:
    with store.session() as session:
        row = session.get(Preference, key)
        return row.value if row else default


def put(store: Store, key: str, value: str) -> None:
    with store.session() as session:
        row = session.get(Preference, key) or Preference(key=key, value=value)
        row.value = value
        session.add(row)
        session.commit()


def author_name(store: Store) -> str:
    """The name stamped on every edit: set once in preferences, else the computer's user name."""
    name = get(store, AUTHOR_NAME).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
