"""Stores with a real assessment in them, copies made through real files, and a dump of every table."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from nesds_desktop.domain.assessments import Action, ActionPriority, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.exchange_service import ExchangeService
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store, open_store

RELEASE = "nesds-2006.1"
HAVERING = Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")


@dataclass
class Desk:
    """One person's machine: a store, the workbook and exchange services, and their name."""

    store: Store
    workbook: WorkbookService
    exchange: ExchangeService
    folder: Path

    @property
    def author(self) -> str:
        return self.workbook.author

    def close(self) -> None:
        self.store.close()


def open_desk(folder: Path, author: str, *, bundled: bool = True) -> Desk:
    store = open_store(folder)
    if bundled:
        catalogue_service.load_bundled_releases(store)
    workbook = WorkbookService(store, author)
    return Desk(store, workbook, ExchangeService.for_workbook(workbook), folder)


def new_desk(desks: list[Desk], tmp_path: Path, name: str, author: str, *, bundled: bool = True) -> Desk:
    desk = open_desk(tmp_path / name, author, bundled=bundled)
    desks.append(desk)
    return desk


def refs_of(desk: Desk, code: str = "ICT") -> list[str]:
    return [c.ref for c in desk.workbook.standard(RELEASE, code).criteria()]


def start_assessment(desk: Desk, code: str = "ICT") -> int:
    """An assessment part-scored in a workshop: judgements, notes, evidence (one removed), actions."""
    authority = desk.workbook.add_authority(HAVERING)
    summary = desk.workbook.create_assessment(
        AssessmentDetails(
            authority.id,
            RELEASE,
            code,
            Round(2006),
            facilitator="Pat Facilitator",
            participants="Sam Head, Kim Lee",
            workshop_start=date(2006, 5, 3),
        )
    )
    refs = refs_of(desk, code)
    for index, ref in enumerate(refs[:12]):
        desk.workbook.set_judgement(
            summary.id, ref, [Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET][index % 3]
        )
    desk.workbook.set_notes(summary.id, refs[0], "Strategy agreed by cabinet, March 2006.")
    desk.workbook.add_evidence(summary.id, refs[0], EvidenceReference("ICT strategy 2006–09", "intranet/ict/strategy"))
    dropped = desk.workbook.add_evidence(summary.id, refs[1], EvidenceReference("Old draft", "shared drive"))
    desk.workbook.remove_evidence(summary.id, dropped.id)
    desk.workbook.add_action(
        summary.id,
        Action(
            "Adopt a data protection policy",
            refs[2],
            owner="Kim Lee",
            due=date(2006, 12, 1),
            priority=ActionPriority.HIGH,
            saving_cashable=Decimal("1200.50"),
        ),
    )
    desk.workbook.add_action(summary.id, Action("Publish the ICT strategy on the web site"))
    return summary.id


def table_dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove that a refused file changed nothing."""
    connection = sqlite3.connect(store.path)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: list(connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')) for table in sorted(tables)}
    finally:
        connection.close()


def content_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("content.json")


def comparable(path: Path) -> dict[str, object]:
    """content.json without the moments that record when a store last wrote (they differ by design)."""
    document = json.loads(content_of(path))
    for assessment in document["assessments"]:
        assessment.pop("updated_at")
    return dict(document)


@dataclass
class ThreeCopies:
    """An assessment sent to three service heads; each edits their copy and sends it back.

    Sam and Kim both change criterion ``contested`` (differently): the one conflict.
    """

    origin: Desk
    assessment_id: int
    sent: Path
    returned: dict[str, Path]
    refs: list[str]
    contested: str


def three_copies(desks: list[Desk], tmp_path: Path) -> ThreeCopies:
    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    assessment_id = start_assessment(origin)
    refs = refs_of(origin)
    sent = tmp_path / "havering-ict.nesds"
    origin.exchange.export([assessment_id], sent)
    returned: dict[str, Path] = {}
    for name, author in (("sam", "Sam Head"), ("kim", "Kim Lee"), ("jo", "Jo Bloggs")):
        desk = new_desk(desks, tmp_path, name, author)
        copy_id = desk.exchange.apply(desk.exchange.preview(sent)).assessment_ids[0]
        snapshot = desk.workbook.open(copy_id)
        if name == "sam":
            desk.workbook.set_judgement(copy_id, refs[0], Judgement.NOT_MET)
            desk.workbook.set_notes(copy_id, refs[4], "Sam: the service desk logs every call.")
            desk.workbook.add_evidence(copy_id, refs[3], EvidenceReference("Service desk report", "ICT share"))
        elif name == "kim":
            desk.workbook.set_judgement(copy_id, refs[0], Judgement.NOT_APPLICABLE)
            desk.workbook.set_judgement(copy_id, refs[30], Judgement.MET)
            first = snapshot.actions[0]
            desk.workbook.update_action(copy_id, first.id, replace(first.action, owner="Kim Lee (DPO)"))
        else:
            desk.workbook.add_action(copy_id, Action("Train staff in the new telephony system", refs[20]))
            desk.workbook.remove_evidence(copy_id, snapshot.evidence[0].id)
            details = desk.workbook.get_assessment(copy_id)
            desk.workbook.update_details(
                copy_id,
                AssessmentDetails(
                    details.authority.id,
                    RELEASE,
                    "ICT",
                    details.round,
                    facilitator=details.facilitator,
                    participants=details.participants + ", Jo Bloggs",
                    workshop_start=details.workshop_start,
                ),
            )
        returned[name] = tmp_path / f"havering-ict-from-{name}.nesds"
        desk.exchange.export([copy_id], returned[name])
    return ThreeCopies(origin, assessment_id, sent, returned, refs, refs[0])


def assert_every_other_edit_kept(scenario: ThreeCopies, contested: Judgement) -> None:
    """What all three service heads did is in the origin's store (the conflict settled as ``contested``)."""
    workbook, refs = scenario.origin.workbook, scenario.refs
    snapshot = workbook.open(scenario.assessment_id)
    assert snapshot.answer(scenario.contested).judgement is contested
    assert snapshot.answer(refs[4]).notes == "Sam: the service desk logs every call."
    assert [e.reference.title for e in snapshot.evidence_for(refs[3])] == ["Service desk report"]
    assert snapshot.answer(refs[30]).judgement is Judgement.MET
    owners = {a.action.description: a.action.owner for a in snapshot.actions}
    assert owners["Adopt a data protection policy"] == "Kim Lee (DPO)"
    assert "Train staff in the new telephony system" in owners
    assert not snapshot.evidence_for(refs[0])  # Jo removed the strategy reference
    assert snapshot.summary.participants.endswith(", Jo Bloggs")
    # And what the workshop gave before sending is still there.
    assert snapshot.answer(refs[1]).judgement is Judgement.PARTLY_MET
    assert snapshot.answer(refs[0]).notes == "Strategy agreed by cabinet, March 2006."
