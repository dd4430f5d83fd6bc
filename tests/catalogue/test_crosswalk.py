"""Crosswalk files: the shipped one validates, broken copies give named problems."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nesds_desktop.app import main
from nesds_desktop.catalogue.check import check_path
from nesds_desktop.catalogue.crosswalk import crosswalk_path, load_crosswalk, read_crosswalk
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.catalogue.problems import CatalogueError, Problem
from nesds_desktop.domain.release_migration import ChangeKind, plan_migration

OLD = "nesds-2006.1"
NEW = "nesds-2007.1"
CROSSWALK = f"crosswalks/{OLD}__{NEW}.json"

Data = dict[str, Any]


@pytest.fixture
def catalogue_copy(tmp_path: Path, standards_root: Path) -> Path:
    """Both releases and the crosswalk folder, copied so a test can break them."""
    root = tmp_path / "standards"
    for name in (OLD, NEW, "crosswalks"):
        shutil.copytree(standards_root / name, root / name)
    return root


def _edit(path: Path, change: Callable[[Data], object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _problems(root: Path) -> list[Problem]:
    problems, _ = check_path(root)
    return problems


def _ict(data: Data) -> list[Data]:
    entries: list[Data] = data["standards"]["ICT"]
    return entries


def _entry_index(data: Data, kind: str, old: list[str]) -> int:
    return next(i for i, e in enumerate(_ict(data)) if e["kind"] == kind and e["old"] == old)


def _drop(kind: str, old: list[str]) -> Callable[[Data], object]:
    return lambda d: _ict(d).pop(_entry_index(d, kind, old))


# --- the shipped crosswalk ------------------------------------------------------------


def test_shipped_catalogue_with_its_crosswalk_checks_clean(standards_root: Path) -> None:
    problems, summaries = check_path(standards_root)
    assert problems == []
    assert (
        f"crosswalk {OLD} -> {NEW}: ICT: 43 unchanged, 15 changes "
        "(3 reworded, 4 moved, 2 split, 2 merged, 2 retired, 2 added)"
    ) in summaries


def test_catalogue_check_command_exits_zero_and_reports_the_crosswalk(
    standards_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalogue", "check", str(standards_root)]) == 0
    out = capsys.readouterr().out
    assert f"crosswalk {OLD} -> {NEW}" in out and "catalogue OK" in out


def test_shipped_crosswalk_uses_every_kind_and_names_only_ict(standards_root: Path) -> None:
    crosswalk = load_crosswalk(crosswalk_path(standards_root, OLD, NEW))
    assert (crosswalk.from_release, crosswalk.to_release) == (OLD, NEW)
    assert [s.code for s in crosswalk.standards] == ["ICT"]
    kinds = {entry.kind for entry in crosswalk.entries_for("ICT")}
    assert kinds == set(ChangeKind) - {ChangeKind.UNCHANGED}
    assert all(entry.note for entry in crosswalk.entries_for("ICT"))


def test_new_release_revises_ict_only_and_supersedes_the_old(standards_root: Path) -> None:
    old = load_release(standards_root / OLD)
    new = load_release(standards_root / NEW)
    assert new.info.supersedes == OLD
    assert new.info.published.isoformat() == "2007-03-30"
    assert [s.code for s in new.standards] == ["ICT"]
    assert "revises the ICT e-Standard" in new.info.provenance
    assert "not the official text" in new.info.provenance
    entries = load_crosswalk(crosswalk_path(standards_root, OLD, NEW)).entries_for("ICT")
    plan = plan_migration(old.standard("ICT"), new.standard("ICT"), entries)
    counts = plan.counts()
    # Most criteria are unchanged; every kind of change occurs at least twice.
    assert counts[ChangeKind.UNCHANGED] == 43
    assert all(counts[kind] >= 2 for kind in ChangeKind)


def test_crosswalk_file_can_be_checked_on_its_own(standards_root: Path) -> None:
    problems, summaries = check_path(crosswalk_path(standards_root, OLD, NEW))
    assert problems == []
    assert summaries[0].startswith(f"crosswalk {OLD} -> {NEW}: ICT: 43 unchanged")


def test_a_catalogue_without_crosswalks_folder_is_checked_as_before(catalogue_copy: Path) -> None:
    shutil.rmtree(catalogue_copy / "crosswalks")
    problems, summaries = check_path(catalogue_copy)
    assert problems == []
    assert not any(line.startswith("crosswalk") for line in summaries)


# --- broken copies --------------------------------------------------------------------

BROKEN: list[tuple[str, Callable[[Data], object], list[str]]] = [
    (
        "retired entry dropped",
        _drop("retired", ["ICT-6-P3"]),
        ["[standards > ICT]: old criterion ICT-6-P3 is not in the new release and no entry says what happened to it"],
    ),
    (
        # ICT-4-M1 is reused in the new release by the renumbered ICT-4-M2, so it cannot pass as unchanged.
        "retirement of a reused reference dropped",
        _drop("retired", ["ICT-4-M1"]),
        [
            "[standards > ICT]: old criterion ICT-4-M1 is not named, "
            "but its reference in the new release is named by entry 4"
        ],
    ),
    (
        "reworded entry dropped",
        _drop("reworded", ["ICT-1-M2"]),
        ["[standards > ICT]: ICT-1-M2 changed wording but the crosswalk does not say so"],
    ),
    (
        "added entry dropped",
        lambda d: _ict(d).pop(),
        ["[standards > ICT]: new criterion ICT-7-E4 is not in the old release and no entry says where it comes from"],
    ),
    (
        "renumbering left out",
        _drop("moved", ["ICT-4-M2"]),
        [
            "old criterion ICT-4-M2 is not named, but its reference in the new release is named by entry 4",
            "new criterion ICT-4-M1 is not named, but its reference in the old release is named by entry 11",
        ],
    ),
    (
        "split into one",
        lambda d: _ict(d)[_entry_index(d, "split", ["ICT-2-M2"])].update(new=["ICT-2-M2"]),
        [
            "[standards > ICT > entry 8 (split ICT-2-M2 -> ICT-2-M2)]: a split entry takes exactly 1 old reference "
            "and at least 2 new references; this one names 1 old and 1 new",
            "new criterion ICT-2-M4 is not in the old release and no entry says where it comes from",
        ],
    ),
    (
        "merge of one",
        lambda d: _ict(d)[_entry_index(d, "merged", ["ICT-5-M3", "ICT-6-M3"])].update(old=["ICT-5-M3"]),
        [
            "a merged entry takes at least 2 old references and exactly 1 new reference; "
            "this one names 1 old and 1 new",
            "old criterion ICT-6-M3 is not in the new release and no entry says what happened to it",
        ],
    ),
    (
        "retired with a successor",
        lambda d: _ict(d)[_entry_index(d, "retired", ["ICT-6-P3"])].update(new=["ICT-6-P2"]),
        [
            "(retired ICT-6-P3 -> ICT-6-P2)]: a retired entry takes at least 1 old reference and no new references",
            "old criterion ICT-6-P2 is not named, but its reference in the new release is named by entry 13",
        ],
    ),
    (
        "reference named twice",
        lambda d: _ict(d).append({"kind": "retired", "old": ["ICT-3-M2"], "note": "duplicate"}),
        [
            "[standards > ICT > entry 16 (retired ICT-3-M2 -> nothing)]: "
            "old reference ICT-3-M2 is already named in entry 9"
        ],
    ),
    (
        "reference that does not exist",
        lambda d: _ict(d)[_entry_index(d, "moved", ["ICT-5-P3"])].update(new=["ICT-9-P4"]),
        [
            "(moved ICT-5-P3 -> ICT-9-P4)]: new reference ICT-9-P4 is not a criterion of the new release",
            "new criterion ICT-7-P4 is not in the old release and no entry says where it comes from",
        ],
    ),
    (
        "reworded that changed reference",
        lambda d: _ict(d)[_entry_index(d, "moved", ["ICT-2-E2"])].update(kind="reworded"),
        ["a reworded criterion keeps its reference, but ICT-2-E2 became ICT-2-P4; use moved"],
    ),
    (
        "moved that kept its reference",
        lambda d: _ict(d)[_entry_index(d, "reworded", ["ICT-3-M1"])].update(kind="moved"),
        ["a moved criterion gets a new reference, but ICT-3-M1 kept its own; use reworded"],
    ),
    (
        "reworded but identical",
        lambda d: _ict(d).append({"kind": "reworded", "old": ["ICT-1-M1"], "new": ["ICT-1-M1"]}),
        ["says ICT-1-M1 was reworded, but its statement is the same in both releases"],
    ),
    (
        "unchanged written out",
        lambda d: _ict(d).append({"kind": "unchanged", "old": ["ICT-1-M1"], "new": ["ICT-1-M1"]}),
        ["[standards > ICT > entry 16 > kind]: unchanged criteria are left out of a crosswalk, not listed"],
    ),
    (
        "unknown kind and field",
        lambda d: _ict(d)[0].update(kind="renamed", why="x"),
        [
            "[standards > ICT > entry 1 > kind]: Input should be 'unchanged', 'reworded'",
            "[standards > ICT > entry 1 > why]: unknown field (not part of the crosswalk format)",
        ],
    ),
    (
        "reference out of scheme",
        lambda d: _ict(d)[0].update(old=["ICT 1.2"]),
        ["[standards > ICT > entry 1 > old > item 1]: String should match pattern"],
    ),
    (
        "standard not in the new release",
        lambda d: d["standards"].update(CS=[{"kind": "retired", "old": ["CS-1-M1"]}]),
        ["[standards > CS]: standard CS is not in nesds-2007.1; a crosswalk covers standards in both releases"],
    ),
    (
        "release that does not exist",
        lambda d: d.update(to_release="nesds-2008.1"),
        [
            "[to_release]: release nesds-2008.1 is not in this catalogue",
            "is a crosswalk from nesds-2006.1 to nesds-2008.1, so must be named nesds-2006.1__nesds-2008.1.json",
        ],
    ),
    (
        "the same release twice",
        lambda d: d.update(to_release=OLD),
        ["from_release and to_release are both nesds-2006.1"],
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in BROKEN], ids=[n for n, _, _ in BROKEN])
def test_broken_crosswalk_gives_named_problems(
    catalogue_copy: Path, mutate: Callable[[Data], object], expected: list[str]
) -> None:
    path = catalogue_copy / CROSSWALK
    _edit(path, mutate)
    problems = _problems(catalogue_copy)
    messages = [str(p) for p in problems]
    assert problems, "a broken crosswalk must not pass"
    assert all(p.file == path for p in problems), messages
    for fragment in expected:
        assert any(fragment in m for m in messages), (fragment, messages)


def test_entry_problem_points_at_the_line_of_the_entry(catalogue_copy: Path) -> None:
    path = catalogue_copy / CROSSWALK
    _edit(path, lambda d: _ict(d)[_entry_index(d, "split", ["ICT-3-M2"])].update(new=["ICT-3-M2"]))
    text = path.read_text(encoding="utf-8").splitlines()
    problem = next(p for p in _problems(catalogue_copy) if "entry 9" in p.location)
    assert problem.line is not None
    assert text[problem.line - 1].strip() == "{"
    assert text[problem.line].strip() == '"kind": "split",'
    assert '"ICT-3-M2"' in text[problem.line + 2]


def test_changed_wording_in_the_new_release_without_an_entry(catalogue_copy: Path) -> None:
    _edit(
        catalogue_copy / NEW / "ICT.json",
        lambda d: d["sections"][1]["criteria"][0].update(statement="The council keeps an up-to-date asset register."),
    )
    messages = [str(p) for p in _problems(catalogue_copy)]
    assert messages == [
        f"{catalogue_copy / CROSSWALK} [standards > ICT]: ICT-2-M1 changed wording but the crosswalk does not say so"
    ]


def test_crosswalk_to_a_broken_release_says_it_cannot_be_checked(catalogue_copy: Path) -> None:
    _edit(catalogue_copy / NEW / "ICT.json", lambda d: d["sections"][0]["criteria"][0].update(statement=" "))
    messages = [str(p) for p in _problems(catalogue_copy)]
    assert any("ICT.json" in m and "criterion ICT-1-M1 > statement" in m for m in messages)
    waiting = "cannot be checked until release nesds-2007.1 has no problems"
    assert any(m.startswith(str(catalogue_copy / CROSSWALK)) and waiting in m for m in messages)


def test_new_release_published_before_the_old(catalogue_copy: Path) -> None:
    _edit(catalogue_copy / NEW / "release.json", lambda d: d.update(published="2005-01-01"))
    messages = [str(p) for p in _problems(catalogue_copy)]
    assert any("[to_release]: nesds-2007.1 was published on 2005-01-01, before nesds-2006.1" in m for m in messages)


def test_invalid_json_names_the_line(catalogue_copy: Path) -> None:
    path = catalogue_copy / CROSSWALK
    path.write_text('{\n  "format": "nesds-crosswalk/1",\n  "from_release": oops\n}\n', encoding="utf-8")
    [message] = [str(p) for p in _problems(catalogue_copy)]
    assert message.startswith(f"{path}:3 ") and "not valid JSON" in message


def test_a_file_not_named_as_a_crosswalk(catalogue_copy: Path) -> None:
    stray = catalogue_copy / "crosswalks" / "notes.json"
    stray.write_text("{}", encoding="utf-8")
    [problem] = _problems(catalogue_copy)
    assert problem.file == stray
    assert "is not named as a crosswalk" in problem.message


def test_load_crosswalk_raises_with_every_problem(catalogue_copy: Path) -> None:
    path = catalogue_copy / CROSSWALK
    _edit(path, lambda d: (d.pop("from_release"), _ict(d)[0].update(kind="renamed")))
    crosswalk, problems = read_crosswalk(path)
    assert crosswalk is None
    assert {p.location for p in problems} == {"from_release", "standards > ICT > entry 1 > kind"}
    with pytest.raises(CatalogueError) as raised:
        load_crosswalk(path)
    assert len(raised.value.problems) == 2
