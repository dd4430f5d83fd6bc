"""``catalogue check`` on deliberately broken copies names the file, the place and the problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from nesds_desktop.catalogue.check import check_path

RELEASE = "nesds-2006.1"


@pytest.fixture
def broken_copy(tmp_path: Path, standards_root: Path) -> Path:
    root = tmp_path / "standards"
    shutil.copytree(standards_root / RELEASE, root / RELEASE)
    return root


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _messages(root: Path) -> list[str]:
    problems, _ = check_path(root)
    return [str(p) for p in problems]


def test_invalid_json_names_file_and_line(broken_copy: Path) -> None:
    path = broken_copy / RELEASE / "CS.json"
    path.write_text('{\n  "code": "CS",\n  "title": oops\n}', encoding="utf-8")
    [message] = _messages(broken_copy)
    assert "CS.json:3" in message and "not valid JSON" in message


def test_empty_statement_names_the_criterion(broken_copy: Path) -> None:
    path = broken_copy / RELEASE / "ICT.json"
    _edit(path, lambda d: d["sections"][1]["criteria"][0].update(statement="   "))
    [message] = _messages(broken_copy)
    assert "ICT.json:" in message
    assert "section 2 > criterion ICT-2-M1 > statement" in message


def test_reference_out_of_scheme_and_wrong_level(broken_copy: Path) -> None:
    path = broken_copy / RELEASE / "HSG.json"
    _edit(path, lambda d: d["sections"][0]["criteria"][0].update(ref="HSG 1.1"))
    _edit(path, lambda d: d["sections"][0]["criteria"][1].update(level="excellent"))
    messages = _messages(broken_copy)
    assert any("HSG 1.1" in m and "does not follow the scheme" in m for m in messages)
    assert any("HSG-1-M2" in m and "says level M but level is excellent" in m for m in messages)


def test_duplicate_reference_and_duplicate_statement(broken_copy: Path) -> None:
    path = broken_copy / RELEASE / "REV.json"

    def duplicate(d: dict[str, Any]) -> None:
        first, second = d["sections"][0]["criteria"][0], d["sections"][0]["criteria"][1]
        second["statement"] = first["statement"].upper() + "!"

    _edit(path, duplicate)
    messages = _messages(broken_copy)
    assert any("REV-1-M2" in m and "duplicates REV-1-M1" in m for m in messages)


def test_section_without_excellent_criteria(broken_copy: Path) -> None:
    path = broken_copy / RELEASE / "LCL.json"
    _edit(
        path,
        lambda d: d["sections"][2].update(
            criteria=[c for c in d["sections"][2]["criteria"] if c["level"] != "excellent"]
        ),
    )
    messages = _messages(broken_copy)
    assert any("LCL.json" in m and "section 3" in m and "no Excellent criteria" in m for m in messages)


def test_missing_and_unlisted_files(broken_copy: Path) -> None:
    (broken_copy / RELEASE / "SC.json").rename(broken_copy / RELEASE / "XYZ.json")
    messages = _messages(broken_copy)
    assert any("release.json" in m and "SC.json is missing" in m for m in messages)
    assert any("XYZ.json is not listed" in m for m in messages)


def test_unknown_field_and_missing_field(broken_copy: Path) -> None:
    path = broken_copy / RELEASE / "BEN.json"
    _edit(path, lambda d: d["sections"][0]["criteria"][2].update(colour="red"))
    _edit(path, lambda d: d["sections"][0]["criteria"][3].pop("guidance"))
    messages = _messages(broken_copy)
    assert any("colour" in m and "unknown field" in m for m in messages)
    assert any("guidance" in m and "required field is missing" in m for m in messages)


def test_changing_a_published_release_is_refused(broken_copy: Path, standards_root: Path) -> None:
    published = standards_root / "published.json"
    if not published.exists():
        pytest.fail("standards/published.json must pin the content hash of every published release")
    shutil.copyfile(published, broken_copy / "published.json")
    assert _messages(broken_copy) == []
    path = broken_copy / RELEASE / "EHL.json"
    _edit(
        path,
        lambda d: d["sections"][0]["criteria"][0].update(
            guidance=d["sections"][0]["criteria"][0]["guidance"] + " More."
        ),
    )
    [message] = _messages(broken_copy)
    assert "immutable" in message and RELEASE in message
