"""``catalogue check``: validate a catalogue root, a release folder or one standard file."""

from __future__ import annotations

import json
from pathlib import Path

from nesds_desktop.catalogue.loader import find_release_folders, read_release, read_standard_file
from nesds_desktop.catalogue.problems import Problem

PUBLISHED_FILE = "published.json"


def check_path(path: Path) -> tuple[list[Problem], list[str]]:
    """Return the problems found and a line of summary per release or file checked."""
    if not path.exists():
        return [Problem(path, "", "no such file or folder")], []
    if path.is_file():
        standard, problems = read_standard_file(path)
        count = sum(len(s.criteria) for s in standard.sections) if standard else 0
        return problems, [f"{path}: standard {standard.code if standard else '?'}, {count} criteria"]
    folders = find_release_folders(path)
    if not folders:
        return [Problem(path, "", "holds no release folder (a folder with release.json)")], []
    problems: list[Problem] = []
    summaries: list[str] = []
    pins = _read_pins(path / PUBLISHED_FILE, problems)
    for folder in folders:
        result = read_release(folder)
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
    return problems, summaries


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
