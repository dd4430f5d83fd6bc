"""Shared fixtures.  Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.storage.store import Store, open_store

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def standards_root() -> Path:
    return bundled_standards_root()


@pytest.fixture(autouse=True)
def _no_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A test must never touch the real user's data folder.
    monkeypatch.setenv("NESDS_DATA_DIR", str(tmp_path / "default-data"))


@pytest.fixture
def desks() -> Iterator[list[Any]]:
    """Stores opened as people's desks in the exchange tests (append them); closed at the end."""
    opened: list[Any] = []
    yield opened
    for desk in opened:
        desk.close()
