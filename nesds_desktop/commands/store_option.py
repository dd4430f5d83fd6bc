"""The store a command works on: the --data-dir folder (or its default), opened or explained."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from nesds_desktop.services.store_access import Store


def open_store_or_report(args: argparse.Namespace, err: TextIO) -> Store | None:
    """The open store, or None after saying on ``err`` why it cannot be opened."""
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.store_access import StoreError, open_data_store

    try:
        return open_data_store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return None
