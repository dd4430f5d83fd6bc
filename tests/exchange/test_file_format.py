"""The file format: published schema current, bytes deterministic, content shapes equal to the store's log."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import zipfile
from datetime import date
from pathlib import Path
from types import ModuleType

from exchange_support import RELEASE, Desk, content_of, new_desk, refs_of, start_assessment

from nesds_desktop.domain.assessments import Action, AssessmentState, EvidenceReference
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.exchange import container, file_format
from nesds_desktop.exchange.file_format import FORMAT_VERSION, normalise_content, read_exchange_file
from nesds_desktop.storage import exchange_repository

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_published_schema_is_generated_from_the_current_models() -> None:
    writer = _script("write_exchange_schema")
    published = (ROOT / "docs" / "schemas" / "assessment-file.schema.json").read_text(encoding="utf-8")
    assert published == writer.rendered(), "run scripts/write_exchange_schema.py"
    schema = json.loads(published)
    assert "Manifest" in schema["$defs"] and set(schema["required"]) >= {"releases", "authorities", "assessments"}


def test_the_documentation_states_the_format_version_and_every_limit() -> None:
    text = (ROOT / "docs" / "assessment-file.md").read_text(encoding="utf-8")
    assert f"format version {FORMAT_VERSION}" in text.lower()
    for limit in (container.MAX_FILE_BYTES, container.MAX_CONTENT_BYTES, container.MAX_MANIFEST_BYTES):
        assert f"{limit // 1024:,} KiB".replace(",", " ") in text or f"{limit // (1024 * 1024)} MiB" in text
    for name in ("MAX_ASSESSMENTS", "MAX_JUDGEMENTS", "MAX_EVIDENCE", "MAX_ACTIONS", "MAX_HISTORY"):
        assert f"{getattr(file_format, name):,}".replace(",", " ") in text, name


def test_the_container_is_three_entries_in_order_and_its_bytes_depend_only_on_the_content(
    desks: list[Desk], tmp_path: Path
) -> None:
    desk = new_desk(desks, tmp_path, "desk", "Pat Facilitator")
    assessment_id = start_assessment(desk)
    first, second = tmp_path / "1.nesds", tmp_path / "2.nesds"
    desk.exchange.export([assessment_id], first)
    desk.exchange.export([assessment_id], second)
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        manifest = json.loads(archive.read("manifest.json"))
    assert [i.filename for i in infos] == ["mimetype", "manifest.json", "content.json"]
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert first.read_bytes()[30:38] == b"mimetype" and b"application/x-nesds-assessment" in first.read_bytes()[:80]
    content = content_of(first)
    assert manifest["content"] == {
        "name": "content.json",
        "bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert manifest["format"] == "nesds-assessment" and manifest["format_version"] == FORMAT_VERSION
    assert content_of(second) == content
    read = read_exchange_file(first)
    assert read.manifest.created_by == "Pat Facilitator" and len(read.copies) == 1


def test_the_store_logs_every_item_in_the_shape_the_file_carries(desks: list[Desk], tmp_path: Path) -> None:
    desk = new_desk(desks, tmp_path, "desk", "Pat Facilitator")
    assessment_id = start_assessment(desk)
    workbook, refs = desk.workbook, refs_of(desk)
    workbook.set_judgement(assessment_id, refs[5], Judgement.NOT_APPLICABLE)
    evidence = workbook.add_evidence(assessment_id, refs[5], EvidenceReference("Minutes", "committee papers"))
    workbook.update_evidence(assessment_id, evidence.id, EvidenceReference("Minutes, 12 April", "committee papers"))
    action = workbook.open(assessment_id).actions[0]
    workbook.update_action(assessment_id, action.id, Action("Adopt it", refs[5], due=date(2007, 3, 31)))
    summary = workbook.get_assessment(assessment_id)
    workbook.update_details(
        assessment_id,
        AssessmentDetails(
            summary.authority.id, RELEASE, "ICT", summary.round, "Pat", "Sam", state=AssessmentState.AGREED
        ),
    )
    with desk.store.session() as session:
        stored = exchange_repository.read_assessment(session, assessment_id)
    kinds = {item.kind for item in stored.items}
    assert kinds == {"details", "judgement", "evidence", "action"}
    for item in stored.items:
        if item.kind == "details":
            assert item.entries == ()  # edited in the workbook, not yet logged: export logs it
            continue
        last = item.entries[-1].content
        assert last == item.content, item  # the row and its newest log entry agree, key for key
        assert normalise_content(item.kind, last) == last  # and that shape is the file's
