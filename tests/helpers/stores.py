"""Stores holding the bundled catalogue, copied from one made once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nesds_desktop.services import catalogue_service
from nesds_desktop.storage.store import STORE_FILE_NAME, Store, open_store

RELEASE = "nesds-2006.1"
_templates: dict[Path, Path] = {}


def catalogue_template(factory: pytest.TempPathFactory) -> Path:
    """A store file with the bundled catalogue loaded, made on first use in this session."""
    base = factory.getbasetemp()
    if base not in _templates:
        folder = factory.mktemp("catalogue-store")
        store = open_store(folder)
        try:
            report = catalogue_service.load_bundled_releases(store)
        finally:
            store.close()  # the last connection closing checkpoints the WAL into the file
        assert report.problems == [] and RELEASE in report.added
        _templates[base] = folder / STORE_FILE_NAME
    return _templates[base]


def new_catalogue_store(data_dir: Path, factory: pytest.TempPathFactory) -> Store:
    """Open a new store in ``data_dir`` (which must not hold one) holding the bundled catalogue."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / STORE_FILE_NAME
    if target.exists():
        raise FileExistsError(target)
    shutil.copyfile(catalogue_template(factory), target)
    return open_store(data_dir)
