"""Catalogue use cases: load bundled releases, list, read, check."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.layout import RELEASE_FILE, find_release_folders
from nesds_desktop.catalogue.problems import Problem
from nesds_desktop.domain.catalogue import Release, ReleaseSummary
from nesds_desktop.storage import catalogue_repository
from nesds_desktop.storage.store import Store


@dataclass
class BundledLoadReport:
    added: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_bundled_releases(store: Store, root: Path | None = None) -> BundledLoadReport:
    """Add each bundled release the store lacks.  A release already present is never replaced."""
    report = BundledLoadReport()
    root = root or bundled_standards_root()
    with store.session() as session:
        present = catalogue_repository.stored_hashes(session)
    for folder in find_release_folders(root):
        release_id = _release_id(folder)
        if release_id in present:
            report.already_present.append(release_id)
            continue
        from nesds_desktop.catalogue.loader import read_release  # pydantic: only when a release is new

        result = read_release(folder)
        if not result.ok:
            report.problems.extend(result.problems)
            continue
        release = result.to_domain("bundled")
        with store.session() as session:
            catalogue_repository.add_release(session, release)
            session.commit()
        report.added.append(release.release_id)
    return report


def _release_id(folder: Path) -> str | None:
    # Reading only release.json keeps a warm start fast: the full release is read only when new.
    try:
        value = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8")).get("release_id")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def list_releases(store: Store) -> list[ReleaseSummary]:
    with store.session() as session:
        return catalogue_repository.list_releases(session)


def get_release(store: Store, release_id: str) -> Release:
    with store.session() as session:
        return catalogue_repository.get_release(session, release_id)


def check_catalogue(path: Path | None = None) -> tuple[list[Problem], list[str]]:
    from nesds_desktop.catalogue.check import check_path

    return check_path(path or bundled_standards_root())
