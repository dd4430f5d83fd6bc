"""Export, import, merge, undo and redo through the service, against real stores and real files."""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exchange_support import (
    HAVERING,
    RELEASE,
    Desk,
    assert_every_other_edit_kept,
    comparable,
    content_of,
    new_desk,
    open_desk,
    refs_of,
    start_assessment,
    table_dump,
    three_copies,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nesds_desktop.domain.assessments import EvidenceReference
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.exchange_service import ExchangeError, Side
from nesds_desktop.storage import catalogue_repository


def _without_update_times(dump: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    # The assessment row's updated_at (last column) records when the store last wrote: leave it out.
    return {table: [row[:-1] for row in rows] if table == "assessment" else rows for table, rows in dump.items()}


# -- round trip -------------------------------------------------------------------------------


def test_export_import_into_an_empty_store_and_export_again_gives_the_same_content(
    desks: list[Desk], tmp_path: Path
) -> None:
    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    assessment_id = start_assessment(origin)
    first = tmp_path / "first.nesds"
    origin.exchange.export([assessment_id], first)

    empty = new_desk(desks, tmp_path, "empty", "Sam Head", bundled=False)
    preview = empty.exchange.preview(first)
    assert preview.releases_to_add == (RELEASE,) and preview.authorities_to_add == (HAVERING.name,)
    applied = empty.exchange.apply(preview)
    second = tmp_path / "second.nesds"
    empty.exchange.export(applied.assessment_ids, second)

    assert content_of(second) == content_of(first)  # byte for byte
    copy = empty.workbook.open(applied.assessment_ids[0])
    original = origin.workbook.open(assessment_id)
    assert copy.answers.keys() == original.answers.keys()
    assert {r: (a.judgement, a.notes) for r, a in copy.answers.items()} == {
        r: (a.judgement, a.notes) for r, a in original.answers.items()
    }
    assert [a.action for a in copy.actions] == [a.action for a in original.actions]
    assert [e.reference for e in copy.evidence] == [e.reference for e in original.evidence]
    assert copy.summary.level_label == original.summary.level_label
    with empty.store.session() as session:
        release = catalogue_repository.get_release(session, RELEASE)
    assert release.info.source == "exchange"


def test_the_file_is_small_enough_for_email(desks: list[Desk], tmp_path: Path) -> None:
    desk = new_desk(desks, tmp_path, "desk", "Pat Facilitator")
    release = desk.workbook.release(RELEASE)
    largest = max(release.standards, key=lambda s: sum(1 for _ in s.criteria()))
    assessment_id = start_assessment(desk, largest.code)
    note = "The service head described the current arrangements in detail; " * 6
    for index, criterion in enumerate(largest.criteria()):
        desk.workbook.set_judgement(assessment_id, criterion.ref, list(Judgement)[index % 4])
        desk.workbook.set_notes(assessment_id, criterion.ref, f"{note} ({criterion.ref})")
        desk.workbook.add_evidence(assessment_id, criterion.ref, EvidenceReference(f"Evidence for {criterion.ref}"))
    outcome = desk.exchange.export([assessment_id], tmp_path / "full.nesds")
    assert outcome.file_bytes < 400 * 1024, f"{outcome.file_bytes} bytes"


def test_redaction_leaves_out_notes_and_names_and_such_a_copy_imports_as_new(desks: list[Desk], tmp_path: Path) -> None:
    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    assessment_id = start_assessment(origin)
    path = tmp_path / "redacted.nesds"
    assert origin.exchange.export([assessment_id], path, redact_names=True).redacted
    text = content_of(path).decode()
    for secret in ("Pat Facilitator", "Sam Head", "Kim Lee", "Strategy agreed by cabinet"):
        assert secret not in text
    assert "ICT strategy 2006–09" in text  # evidence references themselves stay
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("manifest.json"))["created_by"] == ""
    other = new_desk(desks, tmp_path, "other", "Sam Head")
    added = other.exchange.apply(other.exchange.preview(path))
    snapshot = other.workbook.open(added.assessment_ids[0])
    assert snapshot.summary.facilitator == "" and all(a.notes == "" for a in snapshot.answers.values())
    with pytest.raises(ExchangeError, match="left out"):
        origin.exchange.preview(path)


def test_an_authority_already_in_the_register_is_used_not_duplicated(desks: list[Desk], tmp_path: Path) -> None:
    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    path = tmp_path / "a.nesds"
    origin.exchange.export([start_assessment(origin)], path)
    other = new_desk(desks, tmp_path, "other", "Sam Head")
    local = other.workbook.add_authority(HAVERING)  # the same council, registered here on its own
    other.workbook.add_authority(Authority("Harlow District Council", AuthorityType.DISTRICT, Region.EAST_OF_ENGLAND))
    preview = other.exchange.preview(path)
    assert preview.authorities_to_add == () and "taken to be" in preview.notes[0]
    applied = other.exchange.apply(preview)
    assert other.workbook.get_assessment(applied.assessment_ids[0]).authority.id == local.id
    assert len(other.workbook.list_authorities()) == 2


# -- three copies -----------------------------------------------------------------------------


def test_three_copies_merge_with_exactly_one_conflict_and_every_other_edit_kept(
    desks: list[Desk], tmp_path: Path
) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange = scenario.origin.exchange
    for name in ("sam", "jo"):
        preview = exchange.preview(scenario.returned[name])
        assert preview.conflicts == ()
        exchange.apply(preview)
    preview = exchange.preview(scenario.returned["kim"])
    (conflict,) = preview.conflicts
    assert conflict.criterion_ref == scenario.contested
    assert conflict.mine.author == "Sam Head" and conflict.theirs.author == "Kim Lee"
    assert conflict.mine.lines[0] == "✗ Not met" and conflict.theirs.lines[0] == "– Not applicable"
    assert conflict.base is not None and conflict.base.lines[0] == "✓ Met"
    with pytest.raises(ExchangeError, match="need a choice"):
        exchange.apply(preview)
    exchange.apply(preview, {conflict.key: Side.THEIRS})
    assert_every_other_edit_kept(scenario, Judgement.NOT_APPLICABLE)


def test_merging_the_same_files_again_changes_nothing(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange = scenario.origin.exchange
    for name in ("sam", "kim", "jo"):
        exchange.apply(exchange.preview(scenario.returned[name]), prefer=Side.MINE)
    before = table_dump(scenario.origin.store)
    for name in ("sam", "kim", "jo"):
        preview = exchange.preview(scenario.returned[name])
        assert preview.nothing_to_do
        exchange.apply(preview)
    assert table_dump(scenario.origin.store) == before


def test_a_merged_copy_sent_back_fast_forwards_the_other_side(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange = scenario.origin.exchange
    for name in ("sam", "kim", "jo"):
        exchange.apply(exchange.preview(scenario.returned[name]), prefer=Side.THEIRS)
    merged = tmp_path / "merged.nesds"
    exchange.export([scenario.assessment_id], merged)
    sam = desks[1]
    preview = sam.exchange.preview(merged)
    assert preview.conflicts == ()  # Sam's change was settled by Pat: Sam takes the result
    sam.exchange.apply(preview)
    again = tmp_path / "again.nesds"
    sam.exchange.export([sam.workbook.list_assessments()[0].id], again)
    assert comparable(again) == comparable(merged)


# -- undo and redo ----------------------------------------------------------------------------


def test_undo_puts_every_table_back_and_redo_makes_the_merge_again(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange, store = scenario.origin.exchange, scenario.origin.store
    exchange.apply(exchange.preview(scenario.returned["sam"]))
    before = table_dump(store)
    preview = exchange.preview(scenario.returned["kim"])
    applied = exchange.apply(preview, {preview.conflicts[0].key: Side.THEIRS})
    after = table_dump(store)
    assert after != before
    exchange.undo(applied)
    assert table_dump(store) == before
    exchange.redo(applied)
    assert _without_update_times(table_dump(store)) == _without_update_times(after)
    exchange.undo(applied)
    assert _without_update_times(table_dump(store)) == _without_update_times(before)


def test_undo_after_later_edits_were_undone_keeps_their_history(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange, workbook = scenario.origin.exchange, scenario.origin.workbook
    applied = exchange.apply(exchange.preview(scenario.returned["sam"]))
    # An edit after the merge, then its undo (as the window's undo stack would do first).
    before, _after = workbook.set_judgement(scenario.assessment_id, scenario.refs[9], Judgement.NOT_MET)
    workbook.restore_answer(scenario.assessment_id, before)
    exchange.undo(applied)
    snapshot = workbook.open(scenario.assessment_id)
    assert snapshot.answer(scenario.contested).judgement is Judgement.MET
    assert not snapshot.evidence_for(scenario.refs[3])
    exchange.redo(applied)
    assert workbook.open(scenario.assessment_id).answer(scenario.contested).judgement is Judgement.NOT_MET


def test_undo_is_refused_when_a_merged_item_was_changed_since(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange, workbook = scenario.origin.exchange, scenario.origin.workbook
    applied = exchange.apply(exchange.preview(scenario.returned["sam"]))
    workbook.set_judgement(scenario.assessment_id, scenario.contested, Judgement.PARTLY_MET)
    before = table_dump(scenario.origin.store)
    with pytest.raises(ExchangeError, match="changed since"):
        exchange.undo(applied)
    assert table_dump(scenario.origin.store) == before
    assert applied.parts[0].done


def test_undoing_an_import_removes_the_assessment_its_authority_and_release(desks: list[Desk], tmp_path: Path) -> None:
    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    path = tmp_path / "a.nesds"
    origin.exchange.export([start_assessment(origin)], path)
    empty = new_desk(desks, tmp_path, "empty", "Sam Head", bundled=False)
    before = table_dump(empty.store)
    applied = empty.exchange.apply(empty.exchange.preview(path))
    empty.exchange.undo(applied)
    assert table_dump(empty.store) == before
    empty.exchange.redo(applied)
    assert [s.uid for s in empty.workbook.list_assessments()] == [applied.parts[0].uid]


def test_a_preview_made_stale_by_an_edit_is_not_applied(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange, workbook = scenario.origin.exchange, scenario.origin.workbook
    preview = exchange.preview(scenario.returned["sam"])
    workbook.set_notes(scenario.assessment_id, scenario.refs[7], "Typed while the dialog was open")
    before = table_dump(scenario.origin.store)
    with pytest.raises(ExchangeError, match="changed since the file was opened") as caught:
        exchange.apply(preview)
    assert caught.value.reason == "stale"
    assert table_dump(scenario.origin.store) == before


# -- properties through real stores -----------------------------------------------------------

Edit = tuple[int, int]  # (criterion index, judgement index); index 99 adds an evidence reference


@pytest.fixture(scope="module")
def base_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store holding one assessment, and the file it was sent out as."""
    folder = tmp_path_factory.mktemp("base")
    desk = open_desk(folder / "origin", "Pat Facilitator")
    assessment_id = start_assessment(desk)
    desk.exchange.export([assessment_id], folder / "sent.nesds")
    desk.close()
    return folder


def _edited_copy(base: Path, work: Path, name: str, edits: list[Edit]) -> Path:
    """A service head's copy: the sent file imported, ``edits`` made, exported back."""
    desk = open_desk(work / name, name, bundled=False)
    try:
        copy_id = desk.exchange.apply(desk.exchange.preview(base / "sent.nesds")).assessment_ids[0]
        refs = refs_of(desk)
        for criterion, value in edits:
            if value == 99:
                desk.workbook.add_evidence(copy_id, refs[criterion], EvidenceReference(f"{name} document"))
            else:
                desk.workbook.set_judgement(copy_id, refs[criterion], list(Judgement)[value])
        path = work / f"{name}.nesds"
        desk.exchange.export([copy_id], path)
        return path
    finally:
        desk.close()


def _origin(base: Path, work: Path, name: str) -> Desk:
    shutil.copytree(base / "origin", work / name)
    return open_desk(work / name, "Pat Facilitator", bundled=False)


edits_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=15), st.sampled_from([0, 1, 2, 3, 4, 99])), min_size=1, max_size=4
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mine=edits_strategy, theirs=edits_strategy, prefer=st.sampled_from(list(Side)))
def test_merging_the_same_file_twice_changes_nothing_in_the_store(
    base_folder: Path, mine: list[Edit], theirs: list[Edit], prefer: Side
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        their_file = _edited_copy(base_folder, work, "sam", theirs)
        origin = _origin(base_folder, work, "origin")
        try:
            assessment_id = origin.workbook.list_assessments()[0].id
            refs = refs_of(origin)
            for criterion, value in mine:
                if value != 99:
                    origin.workbook.set_judgement(assessment_id, refs[criterion], list(Judgement)[value])
            origin.exchange.apply(origin.exchange.preview(their_file), prefer=prefer)
            once = table_dump(origin.store)
            preview = origin.exchange.preview(their_file)
            assert preview.nothing_to_do and not preview.conflicts
            origin.exchange.apply(preview)
            assert table_dump(origin.store) == once
        finally:
            origin.close()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(edits_strategy, min_size=3, max_size=3))
def test_non_conflicting_copies_merge_to_the_same_store_content_in_any_order(
    base_folder: Path, edits: list[list[Edit]]
) -> None:
    owner: dict[int, int] = {}
    for index, edit_list in enumerate(edits):
        for criterion, _value in edit_list:
            owner.setdefault(criterion, index)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        files = [
            _edited_copy(base_folder, work, f"head{index}", [e for e in edit_list if owner[e[0]] == index])
            for index, edit_list in enumerate(edits)
        ]
        results: list[dict[str, Any]] = []
        for number, order in enumerate(itertools.permutations(range(3))):
            origin = _origin(base_folder, work, f"origin{number}")
            try:
                for index in order:
                    preview = origin.exchange.preview(files[index])
                    assert not preview.conflicts
                    origin.exchange.apply(preview)
                out = work / f"result{number}.nesds"
                origin.exchange.export([origin.workbook.list_assessments()[0].id], out)
                results.append(comparable(out))
            finally:
                origin.close()
        assert all(result == results[0] for result in results)


def test_a_locked_store_is_reported_and_nothing_is_changed(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    exchange = scenario.origin.exchange
    preview = exchange.preview(scenario.returned["sam"])
    before = table_dump(scenario.origin.store)
    other_program = sqlite3.connect(scenario.origin.store.path, timeout=0)
    try:
        other_program.execute("BEGIN IMMEDIATE")  # another writer holds the store
        with pytest.raises(ExchangeError, match="the store could not be used") as caught:
            exchange.apply(preview)
        assert caught.value.reason == "store"
    finally:
        other_program.rollback()
        other_program.close()
    assert table_dump(scenario.origin.store) == before
    exchange.apply(preview)  # once the other program lets go, the same preview applies
