"""The shipped catalogue: valid, complete, loaded into the store and never replaced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from nesds_desktop.catalogue.check import check_path
from nesds_desktop.catalogue.loader import find_release_folders, load_release, read_release
from nesds_desktop.domain.levels import Level
from nesds_desktop.services import catalogue_service
from nesds_desktop.storage.store import Store

FIRST_RELEASE = "nesds-2006.1"
TEN_STANDARDS = ["ICT", "CS", "REV", "BEN", "PBC", "EHL", "HSG", "SC", "LCL", "HTW"]


def test_bundled_catalogue_checks_clean(standards_root: Path) -> None:
    problems, summaries = check_path(standards_root)
    assert problems == []
    assert any(line.startswith(FIRST_RELEASE) for line in summaries)


def test_first_release_has_the_ten_standards_with_every_level_in_every_section(standards_root: Path) -> None:
    release = load_release(standards_root / FIRST_RELEASE)
    assert [s.code for s in release.standards] == TEN_STANDARDS
    total = 0
    for standard in release.standards:
        assert 5 <= len(standard.sections) <= 7, standard.code
        count = sum(standard.count_by_level().values())
        assert 40 <= count <= 80, standard.code
        total += count
        for section in standard.sections:
            assert all(section.criteria_at(level) for level in Level), f"{standard.code} section {section.number}"
    assert total >= 500


def test_content_hash_ignores_layout_but_not_content(tmp_path: Path, standards_root: Path) -> None:
    original = read_release(standards_root / FIRST_RELEASE)
    copy = tmp_path / FIRST_RELEASE
    shutil.copytree(standards_root / FIRST_RELEASE, copy)
    ict = copy / "ICT.json"
    data = json.loads(ict.read_text(encoding="utf-8"))
    ict.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")  # same content, new layout
    assert read_release(copy).content_hash == original.content_hash
    data["sections"][0]["criteria"][0]["guidance"] += " Changed."
    ict.write_text(json.dumps(data), encoding="utf-8")
    assert read_release(copy).content_hash != original.content_hash


def test_first_start_loads_every_bundled_release(store: Store, standards_root: Path) -> None:
    report = catalogue_service.load_bundled_releases(store)
    expected = [read_release(f).release_file.release_id for f in find_release_folders(standards_root)]  # type: ignore[union-attr]
    assert sorted(report.added) == sorted(expected)
    assert report.problems == []
    summaries = {s.info.release_id: s for s in catalogue_service.list_releases(store)}
    first = summaries[FIRST_RELEASE]
    assert [s.code for s in first.standards] == TEN_STANDARDS
    assert first.total >= 500
    stored = catalogue_service.get_release(store, FIRST_RELEASE)
    assert stored == load_release(standards_root / FIRST_RELEASE)


def test_second_start_adds_nothing(store: Store) -> None:
    catalogue_service.load_bundled_releases(store)
    again = catalogue_service.load_bundled_releases(store)
    assert again.added == []
    assert FIRST_RELEASE in again.already_present


def test_newer_bundled_release_is_added_beside_the_older_one(
    store: Store, tmp_path: Path, standards_root: Path
) -> None:
    root = tmp_path / "standards"
    root.mkdir()
    shutil.copytree(standards_root / FIRST_RELEASE, root / FIRST_RELEASE)
    assert catalogue_service.load_bundled_releases(store, root).added == [FIRST_RELEASE]
    before = catalogue_service.get_release(store, FIRST_RELEASE)

    newer = root / "nesds-2099.1"
    shutil.copytree(standards_root / FIRST_RELEASE, newer)
    meta = json.loads((newer / "release.json").read_text(encoding="utf-8"))
    meta.update(release_id="nesds-2099.1", version="2099.1", published="2099-01-01", supersedes=FIRST_RELEASE)
    (newer / "release.json").write_text(json.dumps(meta), encoding="utf-8")
    # A changed copy of the old release must not replace what the store holds.
    ict = root / FIRST_RELEASE / "ICT.json"
    data = json.loads(ict.read_text(encoding="utf-8"))
    data["sections"][0]["criteria"][0]["statement"] += " (changed after publication)"
    ict.write_text(json.dumps(data), encoding="utf-8")

    report = catalogue_service.load_bundled_releases(store, root)
    assert report.added == ["nesds-2099.1"]
    ids = [s.info.release_id for s in catalogue_service.list_releases(store)]
    assert ids[:1] == [FIRST_RELEASE] and "nesds-2099.1" in ids
    assert catalogue_service.get_release(store, FIRST_RELEASE) == before
