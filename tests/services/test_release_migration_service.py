"""Migrating stored assessments to a newer catalogue release, on real SQLite stores.

The shipped crosswalk nesds-2006.1 -> nesds-2007.1 (ICT) is used throughout: it rewords,
moves (reusing the retired ICT-4-M1's reference), splits, merges, retires and adds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from nesds_desktop.catalogue.crosswalk import crosswalk_path, load_crosswalk
from nesds_desktop.domain.assessments import Action, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.domain.release_migration import ArchiveReason, ChangeKind, Outcome
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.release_migration_service import ReleaseMigrationError, ReleaseMigrationService
from nesds_desktop.services.workbook_service import WorkbookError, WorkbookService
from nesds_desktop.storage import assessment_repository
from nesds_desktop.storage.store import STORE_FILE_NAME, Store, open_store

OLD = "nesds-2006.1"
NEW = "nesds-2007.1"
JUDGEMENTS = (Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET, Judgement.NOT_APPLICABLE)
EVIDENCE_REFS = ("ICT-1-M1", "ICT-4-M1", "ICT-4-M2", "ICT-2-M2", "ICT-6-M3", "ICT-6-P3", "ICT-1-M2")
ACTION_REFS = ("ICT-1-M1", "ICT-4-M1", "ICT-4-M2", "ICT-2-M2", "ICT-6-M3", None)


@pytest.fixture
def loaded(store: Store) -> Store:
    report = catalogue_service.load_bundled_releases(store)
    assert report.problems == []
    return store


@dataclass(frozen=True)
class Given:
    judgement: Judgement
    notes: str


def _assessment(store: Store, code: str = "ICT", release: str = OLD, year: int = 2006) -> tuple[WorkbookService, int]:
    workbook = WorkbookService(store, "Facilitator")
    authorities = workbook.list_authorities()
    authority = (
        authorities[0]
        if authorities
        else workbook.add_authority(
            Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON)
        )
    )
    summary = workbook.create_assessment(AssessmentDetails(authority.id, release, code, Round(year)))
    return workbook, summary.id


def _fully_answered(store: Store) -> tuple[WorkbookService, int, dict[str, Given]]:
    """Every ICT 2006.1 criterion answered with notes; evidence and actions on changed and unchanged criteria."""
    workbook, assessment_id = _assessment(store)
    answers: dict[str, Given] = {}
    for index, criterion in enumerate(workbook.standard(OLD, "ICT").criteria()):
        given = Given(JUDGEMENTS[index % len(JUDGEMENTS)], f"Workshop notes for {criterion.ref}: seen on the day.")
        workbook.set_judgement(assessment_id, criterion.ref, given.judgement)
        workbook.set_notes(assessment_id, criterion.ref, given.notes)
        answers[criterion.ref] = given
    for ref in EVIDENCE_REFS:
        workbook.add_evidence(assessment_id, ref, EvidenceReference(f"Evidence for {ref}", f"S:/ICT/{ref}.docx"))
    workbook.add_evidence(assessment_id, "ICT-2-M2", EvidenceReference("Backup log", "Server room"))
    for action_ref in ACTION_REFS:
        description = f"Action on {action_ref or 'the whole standard'}"
        workbook.add_action(assessment_id, Action(description, action_ref, owner="Head of ICT"))
    return workbook, assessment_id, answers


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that something changed nothing."""
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(map(tuple, connection.execute(f'SELECT * FROM "{table}"')), key=repr) for table in tables}
    finally:
        connection.close()


def _crosswalk_targets(standards_root: Path) -> dict[str, tuple[str, ...]]:
    """Old ICT reference -> new references, read straight from the shipped crosswalk file."""
    crosswalk = load_crosswalk(crosswalk_path(standards_root, OLD, NEW))
    targets: dict[str, tuple[str, ...]] = {}
    for entry in crosswalk.entries_for("ICT"):
        for ref in entry.old:
            targets[ref] = entry.new
    return targets


# -- a fully answered assessment ----------------------------------------------------------


def test_a_fully_answered_assessment_keeps_every_answer_evidence_and_action(
    loaded: Store, standards_root: Path
) -> None:
    workbook, assessment_id, answers = _fully_answered(loaded)
    evidence_before = {(e.reference.title, e.reference.location) for e in workbook.open(assessment_id).evidence}
    actions_before = {a.action.description for a in workbook.open(assessment_id).actions}
    service = ReleaseMigrationService(loaded, "Improvement officer")

    result = service.migrate(assessment_id, NEW)

    assert result.applied
    snapshot = workbook.open(assessment_id)
    assert snapshot.summary.release_id == NEW
    archive = {a.criterion_ref: a for a in service.archived_answers(assessment_id)}
    targets = _crosswalk_targets(standards_root)
    for ref, old in answers.items():
        new_refs = targets.get(ref, (ref,))
        on_new = [
            r
            for r in new_refs
            if (snapshot.answer(r).judgement, snapshot.answer(r).notes) == (old.judgement, old.notes)
        ]
        in_archive = ref in archive and (archive[ref].judgement, archive[ref].notes) == (old.judgement, old.notes)
        assert on_new or in_archive, f"the answer to {ref} was lost"
        if in_archive:
            assert archive[ref].release_id == OLD
    # Split: both parts carry the answer, to confirm; moved onto a reused reference: to confirm.
    for ref in ("ICT-2-M2", "ICT-2-M4"):
        assert (snapshot.answer(ref).judgement, snapshot.answer(ref).notes) == (
            answers["ICT-2-M2"].judgement,
            answers["ICT-2-M2"].notes,
        )
        assert snapshot.answer(ref).to_confirm
    assert snapshot.answer("ICT-4-M1").notes == answers["ICT-4-M2"].notes and snapshot.answer("ICT-4-M1").to_confirm
    assert snapshot.answer("ICT-1-M2").to_confirm  # reworded
    assert not snapshot.answer("ICT-1-M1").to_confirm  # unchanged
    # Retired and merged-not-carried answers are archived, with why.
    assert archive["ICT-4-M1"].reason is ArchiveReason.RETIRED
    assert archive["ICT-6-P3"].reason is ArchiveReason.RETIRED
    assert archive["ICT-3-E3"].reason is ArchiveReason.MERGED_NOT_CARRIED
    assert archive["ICT-3-E3"].merged_into == "ICT-3-E1"
    assert set(archive) == {"ICT-4-M1", "ICT-6-P3", "ICT-3-E3", "ICT-6-M3"}
    assert all(a.answered_by == "Facilitator" and a.archived_by == "Improvement officer" for a in archive.values())
    # New criteria start unanswered; the cached level and counts are those of the new release.
    for ref in ("ICT-4-M3", "ICT-7-E4"):
        assert ref not in snapshot.answers
    new_standard = workbook.standard(NEW, "ICT")
    assert snapshot.summary.total == sum(1 for _ in new_standard.criteria()) == 58
    assert snapshot.summary.answered == 56
    assert snapshot.summary.level_label == assess_standard(new_standard, snapshot.judgements()).level_label
    assert workbook.result(assessment_id).level_label == snapshot.summary.level_label

    # Evidence: nothing deleted; a split copies it, a retired criterion's stays with its archived label.
    evidence_after = snapshot.evidence
    assert {(e.reference.title, e.reference.location) for e in evidence_after} == evidence_before
    by_title: dict[str, list[str]] = {}
    for item in evidence_after:
        by_title.setdefault(item.reference.title, []).append(item.criterion_ref)
    assert sorted(by_title["Evidence for ICT-2-M2"]) == ["ICT-2-M2", "ICT-2-M4"]
    assert sorted(by_title["Backup log"]) == ["ICT-2-M2", "ICT-2-M4"]
    assert by_title["Evidence for ICT-4-M2"] == ["ICT-4-M1"]
    assert by_title["Evidence for ICT-4-M1"] == [archive["ICT-4-M1"].archived_ref] == ["ICT-4-M1 (2006.1)"]
    assert by_title["Evidence for ICT-6-M3"] == ["ICT-5-M3"]
    assert by_title["Evidence for ICT-1-M1"] == ["ICT-1-M1"]
    # The new ICT-4-M1 shows only the evidence of the criterion it really is.
    assert [e.reference.title for e in snapshot.evidence_for("ICT-4-M1")] == ["Evidence for ICT-4-M2"]
    # Actions: all kept; a split keeps its action on the first part.
    assert {a.action.description for a in snapshot.actions} == actions_before
    action_refs = {a.action.description: a.action.criterion_ref for a in snapshot.actions}
    assert action_refs["Action on ICT-2-M2"] == "ICT-2-M2"
    assert action_refs["Action on ICT-4-M2"] == "ICT-4-M1"
    assert action_refs["Action on ICT-4-M1"] == "ICT-4-M1 (2006.1)"
    assert action_refs["Action on ICT-6-M3"] == "ICT-5-M3"
    assert action_refs["Action on the whole standard"] is None

    # The old release stays in the store, and cannot be removed while answers given under it are archived.
    assert OLD in {r.info.release_id for r in catalogue_service.list_releases(loaded)}
    assert catalogue_service.get_release(loaded, OLD).standard("ICT")
    with loaded.engine.begin() as connection, pytest.raises(IntegrityError):
        connection.exec_driver_sql("DELETE FROM catalogue_release WHERE release_id = ?", (OLD,))


def test_every_changed_item_is_in_the_change_log(loaded: Store) -> None:
    workbook, assessment_id, _answers = _fully_answered(loaded)
    with loaded.session() as session:
        log_before = len(assessment_repository.history(session, assessment_id))
    ReleaseMigrationService(loaded, "Improvement officer").migrate(assessment_id, NEW)
    with loaded.session() as session:
        entries = assessment_repository.history(session, assessment_id)[log_before:]
    assert entries and all(e.author == "Improvement officer" for e in entries)
    kinds = [e.item_kind for e in entries]
    assert kinds.count("archived_answer") == 4
    assert kinds.count("assessment_release") == 1
    release_entry = next(e for e in entries if e.item_kind == "assessment_release")
    assert release_entry.content == {"from_release": OLD, "to_release": NEW}
    # Each archived judgement's row is logged as removed (content None), as assessment_repository does.
    archived = [e.content for e in entries if e.item_kind == "archived_answer"]
    assert all(isinstance(c, dict) for c in archived)
    removed_uids = {c["judgement_uid"] for c in archived if isinstance(c, dict)}
    removals = {e.item_uid for e in entries if e.item_kind == "judgement" and e.content is None}
    assert removed_uids == removals
    # The judgement now on ICT-4-M1 (moved from ICT-4-M2) has its move logged in the usual shape.
    moved = workbook.open(assessment_id).answers["ICT-4-M1"]
    last = [e for e in entries if e.item_kind == "judgement" and e.content and e.content.get("ref") == "ICT-4-M1"]
    assert len(last) == 1
    assert last[0].content == {
        "ref": "ICT-4-M1",
        "judgement": moved.judgement.value,
        "notes": moved.notes,
        "to_confirm": True,
    }
    assert {e.item_kind for e in entries} == {
        "judgement",
        "evidence",
        "action",
        "archived_answer",
        "assessment_release",
    }


def test_the_preview_changes_nothing_and_describes_the_migration(loaded: Store) -> None:
    _workbook, assessment_id, answers = _fully_answered(loaded)
    path = loaded.path
    before = _dump(path)

    preview = ReleaseMigrationService(loaded, "Improvement officer").preview(assessment_id, NEW)

    assert _dump(path) == before
    assert not preview.applied
    assert (preview.from_release, preview.to_release, preview.path) == (OLD, NEW, (OLD, NEW))
    assert preview.counts() == {
        "carried": 43,
        "carried_to_confirm": 13,
        "new_unanswered": 2,
        "not_answered_before": 0,
        "archived": 4,
    }
    by_ref = {c.new_ref: c for c in preview.criteria}
    assert by_ref["ICT-1-M2"].changed_by == (ChangeKind.REWORDED,)
    assert by_ref["ICT-4-M1"].reason == "moved from ICT-4-M2"
    assert by_ref["ICT-4-M1"].judgement == answers["ICT-4-M2"].judgement
    assert by_ref["ICT-2-M4"].reason == "split from ICT-2-M2"
    assert by_ref["ICT-5-M3"].reason == "merged from ICT-5-M3 and ICT-6-M3"
    assert by_ref["ICT-4-M3"].outcome is Outcome.NEW_UNANSWERED and by_ref["ICT-4-M3"].judgement is None
    assert {a.old_ref: a.reason for a in preview.archived}["ICT-6-P3"] is ArchiveReason.RETIRED
    # Evidence on 7 criteria plus a second item on ICT-2-M2; actions on 5 criteria and one on the standard.
    assert (preview.evidence.moved, preview.evidence.copied, preview.evidence.archived) == (2, 2, 2)
    assert (preview.actions.moved, preview.actions.archived, preview.actions.unchanged) == (2, 1, 2)

    applied = ReleaseMigrationService(loaded, "Improvement officer").migrate(assessment_id, NEW)
    assert applied.criteria == preview.criteria and applied.archived == preview.archived


def test_migrating_twice_is_refused_and_changes_nothing(loaded: Store) -> None:
    _workbook, assessment_id, _answers = _fully_answered(loaded)
    service = ReleaseMigrationService(loaded, "Improvement officer")
    service.migrate(assessment_id, NEW)
    before = _dump(loaded.path)
    with pytest.raises(ReleaseMigrationError, match=re.escape("already uses release nesds-2007.1")):
        service.migrate(assessment_id, NEW)
    with pytest.raises(ReleaseMigrationError, match="not newer"):
        service.preview(assessment_id, OLD)
    assert _dump(loaded.path) == before


def test_refusals_say_why(loaded: Store, tmp_path: Path) -> None:
    _workbook, customer_service = _assessment(loaded, code="CS")
    service = ReleaseMigrationService(loaded, "Improvement officer")
    with pytest.raises(ReleaseMigrationError, match="has no CS standard") as refused:
        service.preview(customer_service, NEW)
    assert isinstance(refused.value, WorkbookError)  # the window shows it like any other refusal
    _workbook, ict = _assessment(loaded)
    with pytest.raises(ReleaseMigrationError, match=re.escape("release nesds-2099.1 is not in the store")):
        service.preview(ict, "nesds-2099.1")
    with pytest.raises(ReleaseMigrationError, match="there is no assessment 999"):
        service.preview(999, NEW)
    empty_catalogue = tmp_path / "catalogue-without-crosswalks"
    empty_catalogue.mkdir()
    with pytest.raises(ReleaseMigrationError, match=re.escape("no crosswalk leads from nesds-2006.1 to nesds-2007.1")):
        ReleaseMigrationService(loaded, "Improvement officer", empty_catalogue).migrate(ict, NEW)
    assert service.newer_releases(ict) == [NEW]
    assert service.newer_releases(customer_service) == []


def test_a_partly_answered_assessment_keeps_what_it_has(loaded: Store) -> None:
    workbook, assessment_id = _assessment(loaded)
    workbook.set_judgement(assessment_id, "ICT-4-M1", Judgement.MET)  # retired
    workbook.set_judgement(assessment_id, "ICT-4-M2", Judgement.NOT_YET_ASSESSED)  # a row holding nothing
    workbook.set_notes(assessment_id, "ICT-6-M3", "Only notes, no judgement yet")  # merged, the partner unanswered
    workbook.set_judgement(assessment_id, "ICT-1-M1", Judgement.MET)
    service = ReleaseMigrationService(loaded, "Improvement officer")

    preview = service.preview(assessment_id, NEW)
    by_ref = {c.new_ref: c for c in preview.criteria}
    assert by_ref["ICT-4-M1"].outcome is Outcome.NOT_ANSWERED_BEFORE  # the empty row is nothing to carry
    assert by_ref["ICT-5-M3"].outcome is Outcome.CARRIED_TO_CONFIRM
    assert by_ref["ICT-5-M3"].carried_from == "ICT-6-M3"

    service.migrate(assessment_id, NEW)
    snapshot = workbook.open(assessment_id)
    assert (
        snapshot.answer("ICT-5-M3").notes == "Only notes, no judgement yet" and snapshot.answer("ICT-5-M3").to_confirm
    )
    # The empty row moved with ICT-4-M2 and still holds nothing: nothing to confirm.
    moved_empty = snapshot.answer("ICT-4-M1")
    assert (moved_empty.judgement, moved_empty.notes, moved_empty.to_confirm) == (Judgement.NOT_YET_ASSESSED, "", False)
    assert snapshot.answer("ICT-1-M1").judgement is Judgement.MET and not snapshot.answer("ICT-1-M1").to_confirm
    assert [(a.criterion_ref, a.judgement) for a in service.archived_answers(assessment_id)] == [
        ("ICT-4-M1", Judgement.MET)
    ]
    assert snapshot.summary.answered == 1


# -- the property -------------------------------------------------------------------------


def _ict_refs() -> tuple[str, ...]:
    from nesds_desktop.catalogue.bundled import bundled_standards_root
    from nesds_desktop.catalogue.loader import load_release

    return tuple(c.ref for c in load_release(bundled_standards_root() / OLD).standard("ICT").criteria())


_ICT_REFS = _ict_refs()


def _answer(ref: str) -> st.SearchStrategy[tuple[Judgement, str] | None]:
    """No row at all, or a judgement (any, including not yet assessed) with notes that name their criterion."""
    notes = st.sampled_from(["", "  ", f"{ref}: agreed at the workshop", f"{ref}: ask the CIO\n"])
    return st.one_of(st.none(), st.tuples(st.sampled_from(list(Judgement)), notes))


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        catalogue_service.load_bundled_releases(store)
        yield store
        store.close()


@settings(max_examples=100, deadline=None, database=None)
@given(assignment=st.fixed_dictionaries({ref: _answer(ref) for ref in _ICT_REFS}))
def test_property_every_old_answer_is_carried_or_archived(
    shared_store: Store, assignment: dict[str, tuple[Judgement, str] | None]
) -> None:
    workbook, assessment_id = _assessment(shared_store)
    given: dict[str, Given] = {}
    with shared_store.session() as session:  # one transaction: the workshop itself is tested elsewhere
        for ref, answer in assignment.items():
            if answer is not None:
                judgement, notes = answer
                assessment_repository.save_answer(session, assessment_id, ref, "Facilitator", judgement=judgement)
                assessment_repository.save_answer(session, assessment_id, ref, "Facilitator", notes=notes)
                given[ref] = Given(judgement, notes)
        session.commit()

    service = ReleaseMigrationService(shared_store, "Property")
    service.migrate(assessment_id, NEW)

    snapshot = workbook.open(assessment_id)
    archive = {a.criterion_ref: a for a in service.archived_answers(assessment_id)}
    targets = _crosswalk_targets(Path(__file__).resolve().parents[2] / "standards")
    for ref, old in given.items():
        if old.judgement is Judgement.NOT_YET_ASSESSED and old.notes == "":
            continue  # nothing was said, so there is nothing to keep
        on_new = [
            r
            for r in targets.get(ref, (ref,))
            if (snapshot.answer(r).judgement, snapshot.answer(r).notes) == (old.judgement, old.notes)
        ]
        in_archive = ref in archive and (archive[ref].judgement, archive[ref].notes) == (old.judgement, old.notes)
        assert on_new or in_archive, f"the answer to {ref} was lost"
    # Nothing invented: every answer now held is one that was given.
    held = {(a.judgement, a.notes) for a in snapshot.answers.values()} | {
        (a.judgement, a.notes) for a in archive.values()
    }
    assert held <= {(g.judgement, g.notes) for g in given.values()}
    assert snapshot.summary.answered == sum(1 for a in snapshot.answers.values() if a.judgement.is_assessed)


# -- chained crosswalks (2006.1 -> 2007.1 -> 2008.1) --------------------------------------


def _catalogue_with_2008(standards_root: Path, target: Path) -> Path:
    """A copy of the shipped catalogue plus nesds-2008.1: ICT-1-M1 reworded, ICT-7-P4 retired."""
    shutil.copytree(standards_root, target)
    folder = target / "nesds-2008.1"
    folder.mkdir()
    release = json.loads((target / NEW / "release.json").read_text(encoding="utf-8"))
    release.update(release_id="nesds-2008.1", version="2008.1", published="2008-03-31", supersedes=NEW)
    (folder / "release.json").write_text(json.dumps(release, indent=2), encoding="utf-8")
    ict = json.loads((target / NEW / "ICT.json").read_text(encoding="utf-8"))
    for section in ict["sections"]:
        section["criteria"] = [c for c in section["criteria"] if c["ref"] != "ICT-7-P4"]
        for criterion in section["criteria"]:
            if criterion["ref"] == "ICT-1-M1":
                criterion["statement"] += " It is reviewed every year."
    (folder / "ICT.json").write_text(json.dumps(ict, indent=2), encoding="utf-8")
    crosswalk = {
        "format": "nesds-crosswalk/1",
        "from_release": NEW,
        "to_release": "nesds-2008.1",
        "standards": {
            "ICT": [
                {"kind": "reworded", "old": ["ICT-1-M1"], "new": ["ICT-1-M1"], "note": "Yearly review added."},
                {"kind": "retired", "old": ["ICT-7-P4"], "new": [], "note": "User satisfaction measured elsewhere."},
            ]
        },
    }
    (target / "crosswalks" / "nesds-2007.1__nesds-2008.1.json").write_text(json.dumps(crosswalk), encoding="utf-8")
    return target


def test_crosswalks_are_followed_one_after_another(loaded: Store, standards_root: Path, tmp_path: Path) -> None:
    root = _catalogue_with_2008(standards_root, tmp_path / "catalogue")
    problems, _summaries = catalogue_service.check_catalogue(root)
    assert problems == []
    assert catalogue_service.load_bundled_releases(loaded, root).added == ["nesds-2008.1"]
    workbook, assessment_id, answers = _fully_answered(loaded)
    service = ReleaseMigrationService(loaded, "Improvement officer", root)
    assert service.newer_releases(assessment_id) == [NEW, "nesds-2008.1"]

    preview = service.preview(assessment_id, "nesds-2008.1")
    assert preview.path == (OLD, NEW, "nesds-2008.1")
    by_ref = {c.new_ref: c for c in preview.criteria}
    assert by_ref["ICT-1-M1"].changed_by == (ChangeKind.REWORDED,)  # unchanged, then reworded
    assert by_ref["ICT-4-M1"].reason == "moved from ICT-4-M2"  # moved, then unchanged
    assert "ICT-7-P4" not in by_ref

    service.migrate(assessment_id, "nesds-2008.1")
    snapshot = workbook.open(assessment_id)
    assert snapshot.summary.release_id == "nesds-2008.1"
    assert snapshot.answer("ICT-1-M1").to_confirm
    archive = {a.criterion_ref: a for a in service.archived_answers(assessment_id)}
    # ICT-5-P3 moved to ICT-7-P4 in 2007.1, which 2008.1 retires: archived as given, under 2006.1.
    assert archive["ICT-5-P3"].release_id == OLD
    assert archive["ICT-5-P3"].reason is ArchiveReason.RETIRED
    assert (archive["ICT-5-P3"].judgement, archive["ICT-5-P3"].notes) == (
        answers["ICT-5-P3"].judgement,
        answers["ICT-5-P3"].notes,
    )
    assert set(archive) == {"ICT-4-M1", "ICT-6-P3", "ICT-3-E3", "ICT-6-M3", "ICT-5-P3"}


def test_two_migrations_in_turn_keep_what_the_first_archived(
    loaded: Store, standards_root: Path, tmp_path: Path
) -> None:
    root = _catalogue_with_2008(standards_root, tmp_path / "catalogue")
    catalogue_service.load_bundled_releases(loaded, root)
    workbook, assessment_id, answers = _fully_answered(loaded)
    service = ReleaseMigrationService(loaded, "Improvement officer", root)
    service.migrate(assessment_id, NEW)
    evidence_between = {(e.criterion_ref, e.reference.title) for e in workbook.open(assessment_id).evidence}

    second = service.preview(assessment_id, "nesds-2008.1")
    assert second.path == (NEW, "nesds-2008.1")
    # Only ICT-7-P4's answer (given to ICT-5-P3, moved in 2007.1) is archived this time.
    assert [(a.old_ref, a.archived_ref) for a in second.archived] == [("ICT-7-P4", "ICT-7-P4 (2007.1)")]
    assert (second.evidence.moved, second.evidence.archived) == (0, 0)  # the 2006.1 labels stay as they are
    service.migrate(assessment_id, "nesds-2008.1")

    snapshot = workbook.open(assessment_id)
    assert {(e.criterion_ref, e.reference.title) for e in snapshot.evidence} == evidence_between
    assert ("ICT-4-M1 (2006.1)", "Evidence for ICT-4-M1") in evidence_between
    archive = {(a.release_id, a.criterion_ref): a for a in service.archived_answers(assessment_id)}
    assert set(archive) == {
        (OLD, "ICT-4-M1"),
        (OLD, "ICT-6-P3"),
        (OLD, "ICT-3-E3"),
        (OLD, "ICT-6-M3"),
        (NEW, "ICT-7-P4"),
    }
    kept = archive[(NEW, "ICT-7-P4")]
    assert (kept.judgement, kept.notes, kept.to_confirm) == (
        answers["ICT-5-P3"].judgement,
        answers["ICT-5-P3"].notes,
        True,  # it was still to be confirmed after its move in 2007.1
    )
    assert snapshot.answer("ICT-1-M1").to_confirm  # reworded in 2008.1


# -- the command line ---------------------------------------------------------------------


def _cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data_dir), "migrate", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.mark.slow
def test_the_command_line_previews_then_applies(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        catalogue_service.load_bundled_releases(store)
        _workbook, assessment_id, answers = _fully_answered(store)
    finally:
        store.close()
    before = _dump(data_dir / STORE_FILE_NAME)

    preview = _cli(data_dir, str(assessment_id), "--to", NEW)

    assert preview.returncode == 0, preview.stderr
    assert _dump(data_dir / STORE_FILE_NAME) == before
    out = preview.stdout
    for heading in (
        "Carried over (43):",
        "Carried over, to confirm (13):",
        "New criteria, not yet answered (2):",
        "Archived with the assessment, not deleted (4):",
    ):
        assert heading in out
    assert f"  ICT-4-M1   {answers['ICT-4-M2'].judgement.label} — moved from ICT-4-M2\n" in out
    assert "criterion retired; kept as ICT-4-M1 (2006.1)" in out
    assert "Nothing has been changed" in out

    applied = _cli(data_dir, str(assessment_id), "--to", NEW, "--apply")

    assert applied.returncode == 0, applied.stderr
    assert f"Assessment {assessment_id}" in applied.stdout and f"now uses {NEW}" in applied.stdout
    assert "43 carried over, 13 carried over to confirm, 2 new and not yet answered, 4 archived" in applied.stdout
    connection = sqlite3.connect(data_dir / STORE_FILE_NAME)
    try:
        release = connection.execute(
            "SELECT r.release_id FROM assessment a JOIN catalogue_release r ON r.id = a.release_pk WHERE a.id = ?",
            (assessment_id,),
        ).fetchone()
        archived = connection.execute("SELECT COUNT(*) FROM archived_answer").fetchone()
    finally:
        connection.close()
    assert release == (NEW,) and archived == (4,)

    again = _cli(data_dir, str(assessment_id), "--to", NEW, "--apply")
    assert again.returncode == 1
    assert "error: the assessment already uses release nesds-2007.1" in again.stderr
