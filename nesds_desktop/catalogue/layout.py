"""Where releases sit on disk.  Kept free of pydantic so a warm start can look without validating."""

from __future__ import annotations

from pathlib import Path

RELEASE_FILE = "release.json"
CROSSWALK_FOLDER = "crosswalks"


def is_release_folder(path: Path) -> bool:
    return (path / RELEASE_FILE).is_file()


def find_release_folders(root: Path) -> list[Path]:
    """Release folders directly under ``root`` (or ``root`` itself), sorted by name."""
    if is_release_folder(root):
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and is_release_folder(p))
