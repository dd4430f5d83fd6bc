"""``catalogue check``: validate a catalogue root, a release folder, one standard file or one crosswalk."""

from __future__ import annotations

import json
from pathlib import Path

from nesds_desktop.catalogue.crosswalk import CROSSWALK_FOLDER, check_crosswalk_file, check_crosswalk_folder
from nesds_desktop.catalogue.loader import ReleaseRead, find_release_folders, read_release, read_standard_file
from nesds_desktop.catalogue.problems import Problem
from nesds_desktop.domain.catalogue import Release

PUBLISHED_FILE = "published.json"


def check_path(path: Path) -> tuple[list[Problem], list[str]]:
    """Return the problems found and a line of summary per release, crosswalk or file checked."""
    if not path.exists():
        return [Problem(path, "", "no such file or folder")], []
    if path.is_file():
        if path.parent.name == CROSSWALK_FOLDER:
            return _check_one_crosswalk(path)
        standard, file_problems = read_standard_file(path)
        count = sum(len(s.criteria) for s in standard.sections) if standard else 0
        return file_problems, [f"{path}: standard {standard.code if standard else '?'}, {count} criteria"]
    folders = find_release_folders(path)
    if not folders:
        return [Problem(path, "", "holds no release folder (a folder with release.json)")], []
    problems: list[Problem] = []
    summaries: list[str] = []
    pins = _read_pins(path / PUBLISHED_FILE, problems)
    reads: list[ReleaseRead] = []
    for folder in folders:
        result = read_release(folder)
        reads.append(result)
        problems.extend(result.problems)
        if result.release_file is None:
            continue
        criteria = sum(len(sec.criteria) for s in result.standard_files for sec in s.sections)
        line = f"{result.release_file.release_id}: {len(result.standard_files)} standards, {criteria} criteria"
        if result.ok:
            digest = result.content_hash
            pinned = pins.get(result.release_file.release_id)
            if pinned is not None and pinned != digest:
                problems.append(
                    Problem(
                        folder,
                        "",
                        f"release {result.release_file.release_id} was published with content hash {pinned} "
                        f"but its files now hash to {digest}; published releases are immutable, "
                        "so publish the change as a new release",
                    )
                )
            line += f", {digest}" + (" (published)" if pinned == digest else " (not yet published)")
        summaries.append(line)
    crosswalks = path / CROSSWALK_FOLDER
    if crosswalks.is_dir():
        found, lines = check_crosswalk_folder(crosswalks, _releases_by_id(reads))
        problems.extend(found)
        summaries.extend(lines)
    return problems, summaries


def _check_one_crosswalk(path: Path) -> tuple[list[Problem], list[str]]:
    """A crosswalk file is checked against the releases of the catalogue that holds it."""
    root = path.parent.parent
    reads = [read_release(folder) for folder in find_release_folders(root)]
    return check_crosswalk_file(path, _releases_by_id(reads))


def _releases_by_id(reads: list[ReleaseRead]) -> dict[str, Release | None]:
    """Each release found, as content when valid, or None when it has problems of its own."""
    releases: dict[str, Release | None] = {}
    for result in reads:
        if result.release_file is not None:
            releases[result.release_file.release_id] = result.to_domain() if result.ok else None
    return releases


def _read_pins(path: Path, problems: list[Problem]) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        problems.append(Problem(path, "", f"cannot be read as JSON: {exc}"))
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        problems.append(Problem(path, "", "must map release ids to content hashes"))
        return {}
    return data
