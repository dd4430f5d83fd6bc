"""Schema 4 (archived answers): a store at schema 3 with assessments upgrades with nothing lost,
and the repository refuses a plan that would lose an answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from nesds_desktop.domain.release_migration import ArchiveReason
from nesds_desktop.services import catalogue_service
from nesds_desktop.storage import assessment_repository, migration_repository
from nesds_desktop.storage.migration_repository import (
    ArchivedJudgement,
    CarriedJudgement,
    CarriedTo,
    RepointError,
    Repointing,
    archived_ref,
)
from nesds_desktop.storage.migrations import LATEST_VERSION, migrate
from nesds_desktop.storage.store import STORE_FILE_NAME, Store, open_store

ITEM_TABLES = (
    "catalogue_release",
    "catalogue_standard",
    "authority",
    "assessment",
    "judgement",
    "evidence_reference",
    "assessment_action",
)


def _schema_3_store(path: Path) -> None:
    """A store as schema 3 left it, written with SQL so that today's classes play no part."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        migrate(connection, target=3)
    engine.dispose()
    db = sqlite3.connect(path)
    db.executescript(
        """
        INSERT INTO catalogue_release (id, release_id, title, version, published, provenance, supersedes,
            content_hash, loaded_at, source)
        VALUES (1, 'nesds-2006.1', 'NeSDS e-Standards', '2006.1', '2006-03-31', 'Test copy.', NULL,
            'sha256:00', '2006-04-03 09:15:00', 'bundled');
        INSERT INTO catalogue_standard (id, release_pk, position, code, title, summary, maintainer)
        VALUES (1, 1, 0, 'ICT', 'Information and Communications Technology', 'Test copy.', 'SOCITM');
        INSERT INTO authority (id, uid, name, type, region, gss_code)
        VALUES (1, 'a-1', 'London Borough of Havering', 'london_borough', 'London', 'E09000016');
        INSERT INTO assessment (id, uid, authority_pk, release_pk, standard_code, round_label, facilitator,
            participants, workshop_start, workshop_end, state, level_label, answered, total, created_at, updated_at)
        VALUES (1, 's-1', 1, 1, 'ICT', '2006/07', 'A. Facilitator', 'Head of ICT; CIO', '2006-06-01', NULL,
            'draft', 'Minimum', 2, 58, '2006-06-01 10:00:00', '2006-06-01 12:00:00');
        INSERT INTO judgement (id, uid, assessment_pk, criterion_ref, value, notes, to_confirm, changed_by,
            changed_at, revision)
        VALUES (1, 'j-1', 1, 'ICT-1-M1', 'met', 'Strategy approved by cabinet in May — see minute 12.', 0,
            'A. Facilitator', '2006-06-01 10:05:00', 2),
            (2, 'j-2', 1, 'ICT-4-M1', 'partly_met', '', 1, 'A. Facilitator', '2006-06-01 10:06:00', 1);
        INSERT INTO evidence_reference (id, uid, assessment_pk, criterion_ref, position, title, location,
            changed_by, changed_at, revision)
        VALUES (1, 'e-1', 1, 'ICT-1-M1', 0, 'ICT strategy 2006–09', 'S:/ICT/strategy.pdf', 'A. Facilitator',
            '2006-06-01 10:07:00', 1);
        INSERT INTO assessment_action (id, uid, assessment_pk, criterion_ref, position, description, owner, due,
            priority, state, saving_cashable_pence, saving_non_cashable_pence, changed_by, changed_at, revision)
        VALUES (1, 'x-1', 1, 'ICT-4-M1', 0, 'Publish BVPI 157 return', 'CIO', '2006-09-30', 'high',
            'in_progress', 1250050, 99, 'A. Facilitator', '2006-06-01 10:08:00', 1);
        INSERT INTO change_log (id, assessment_pk, item_kind, item_uid, revision, author, changed_at, content)
        VALUES (1, 1, 'judgement', 'j-1', 1, 'A. Facilitator', '2006-06-01 10:05:00',
            '{"ref": "ICT-1-M1", "judgement": "met", "notes": "", "to_confirm": false}');
        """
    )
    db.commit()
    db.close()


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    finally:
        db.close()


def test_a_schema_3_store_upgrades_to_4_with_nothing_lost(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / STORE_FILE_NAME
    _schema_3_store(path)
    before = {table: _rows(path, table) for table in (*ITEM_TABLES, "change_log")}
    assert all(before[table] for table in before)

    store = open_store(data_dir)
    try:
        assert store.schema_version() == LATEST_VERSION == 4
        assert store.backup is not None
        with store.session() as session:
            summary = assessment_repository.get_assessment(session, 1)
            answers = assessment_repository.answers(session, 1)
            assert migration_repository.archived_answers(session, 1) == []
    finally:
        store.close()

    for table, rows in before.items():
        assert _rows(path, table) == rows, table
    assert _rows(path, "archived_answer") == []
    assert _rows(store.backup, "schema_migration")[-1][0] == 3
    assert (summary.release_id, summary.level_label, summary.answered) == ("nesds-2006.1", "Minimum", 2)
    assert answers["ICT-1-M1"].notes == "Strategy approved by cabinet in May — see minute 12."
    assert answers["ICT-4-M1"].to_confirm


@pytest.fixture
def upgraded(data_dir: Path) -> Store:
    """The schema 3 store, upgraded, with the bundled releases loaded beside its own copy of 2006.1."""
    data_dir.mkdir(parents=True)
    _schema_3_store(data_dir / STORE_FILE_NAME)
    store = open_store(data_dir)
    catalogue_service.load_bundled_releases(store)
    return store


def test_the_repository_refuses_a_plan_that_would_lose_an_answer(upgraded: Store) -> None:
    try:
        # ICT-4-M1's answer is neither carried nor archived.
        plan = Repointing("nesds-2007.1", carried=(CarriedJudgement("ICT-1-M1", (CarriedTo("ICT-1-M1", False),)),))
        with upgraded.session() as session, pytest.raises(RepointError, match="lose the answers to ICT-4-M1"):
            migration_repository.repoint_assessment(session, 1, plan, "Tester")
        clash = Repointing(
            "nesds-2007.1",
            carried=(
                CarriedJudgement("ICT-1-M1", (CarriedTo("ICT-1-M1", False),)),
                CarriedJudgement("ICT-4-M1", (CarriedTo("ICT-1-M1", True),)),
            ),
        )
        with upgraded.session() as session, pytest.raises(RepointError, match="more than one answer would go to"):
            migration_repository.repoint_assessment(session, 1, clash, "Tester")
    finally:
        upgraded.close()


def test_an_upgraded_store_archives_an_answer_and_keeps_its_action(upgraded: Store) -> None:
    try:
        plan = Repointing(
            "nesds-2007.1",
            carried=(CarriedJudgement("ICT-1-M1", (CarriedTo("ICT-1-M1", False),)),),
            archived=(ArchivedJudgement("ICT-4-M1", ArchiveReason.RETIRED, note="BVPI 157 withdrawn"),),
            ref_map={"ICT-1-M1": ("ICT-1-M1",)},
        )
        with upgraded.session() as session:
            report = migration_repository.repoint_assessment(session, 1, plan, "Tester")
            session.commit()
        with upgraded.session() as session:
            archived = migration_repository.archived_answers(session, 1)
            actions = assessment_repository.actions(session, 1)
            evidence = assessment_repository.evidence(session, 1)
            summary = assessment_repository.get_assessment(session, 1)
    finally:
        upgraded.close()
    assert (report.judgements_archived, report.actions_archived, report.evidence_moved) == (1, 1, 0)
    assert summary.release_id == "nesds-2007.1"
    [record] = archived
    assert (record.release_id, record.criterion_ref, record.reason, record.note) == (
        "nesds-2006.1",
        "ICT-4-M1",
        ArchiveReason.RETIRED,
        "BVPI 157 withdrawn",
    )
    assert record.to_confirm and record.answered_by == "A. Facilitator" and record.archived_by == "Tester"
    assert record.archived_ref == archived_ref("ICT-4-M1", "2006.1") == "ICT-4-M1 (2006.1)"
    assert [a.action.criterion_ref for a in actions] == ["ICT-4-M1 (2006.1)"]
    assert actions[0].action.description == "Publish BVPI 157 return"
    assert [(e.criterion_ref, e.reference.title) for e in evidence] == [("ICT-1-M1", "ICT strategy 2006–09")]


def test_an_archived_label_always_fits_the_reference_column() -> None:
    assert archived_ref("ICT-4-M1", "2006.1") == "ICT-4-M1 (2006.1)"
    assert archived_ref("ABCD-12-E12", "2006.1") == "ABCD-12-E12 (2006.1)"
    assert len(archived_ref("ABCD-12-E12", "2006.1-revised")) <= 20
