"""The navigator model over a real assessment: structure, status text, live levels, model tester."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.catalogue import Criterion, Section
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store
from nesds_desktop.ui.models.navigator_model import (
    STATUS_COLUMN,
    ItemRole,
    JudgementRole,
    NavigatorModel,
    RefRole,
    SectionNumberRole,
)

RELEASE = "nesds-2006.1"


@pytest.fixture
def service(store: Store) -> WorkbookService:
    catalogue_service.load_bundled_releases(store)
    return WorkbookService(store, "Jo Facilitator")


@pytest.fixture
def assessment_id(service: WorkbookService) -> int:
    authority = service.add_authority(Authority("Kent County Council", AuthorityType.COUNTY, Region.SOUTH_EAST))
    return service.create_assessment(AssessmentDetails(authority.id, RELEASE, "ICT", Round(2006))).id


def loaded(service: WorkbookService, assessment_id: int) -> NavigatorModel:
    model = NavigatorModel()
    snapshot = service.open(assessment_id)
    model.set_assessment(snapshot.standard, snapshot.answers, service.result(assessment_id))
    return model


def refresh(model: NavigatorModel, service: WorkbookService, assessment_id: int) -> None:
    model.update_answers(service.open(assessment_id).answers, service.result(assessment_id))


def test_sections_then_criteria_in_catalogue_order(service: WorkbookService, assessment_id: int) -> None:
    model = loaded(service, assessment_id)
    standard = service.standard(RELEASE, "ICT")
    assert model.rowCount() == len(standard.sections) == 7
    assert model.columnCount() == 2
    total = 0
    for row, section in enumerate(standard.sections):
        index = model.index(row, 0)
        assert index.data() == f"{section.number}. {section.title}"
        assert isinstance(index.data(ItemRole), Section)
        assert index.data(SectionNumberRole) == section.number
        assert index.data(RefRole) is None
        assert model.rowCount(index) == len(section.criteria)
        for c_row, criterion in enumerate(section.criteria):
            child = model.index(c_row, 0, index)
            assert child.data(RefRole) == criterion.ref
            assert isinstance(child.data(ItemRole), Criterion)
            assert str(child.data()).startswith(criterion.ref)
            assert model.parent(child) == index
            assert model.index_for_ref(criterion.ref) == child
            total += 1
    assert total == 58 == len(model.refs())
    assert model.refs() == [c.ref for c in standard.criteria()]
    assert not model.index_for_ref("NOPE-1-M1").isValid()


def test_status_shows_symbol_and_label_and_section_level(service: WorkbookService, assessment_id: int) -> None:
    model = loaded(service, assessment_id)
    section = service.standard(RELEASE, "ICT").sections[0]
    section_status = model.index_for_section(section.number).siblingAtColumn(STATUS_COLUMN)
    first = model.index_for_ref(section.criteria[0].ref)
    assert first.siblingAtColumn(STATUS_COLUMN).data() == "? Not yet assessed"
    assert Judgement(first.data(JudgementRole)) is Judgement.NOT_YET_ASSESSED
    assert section_status.data() == "No level"

    changed: list[tuple[int, int | None]] = []

    def on_changed(top: QModelIndex, bottom: QModelIndex, _roles: Any = None) -> None:
        assert top.row() == bottom.row() and top.parent() == bottom.parent()
        changed.append((top.row(), top.parent().data(SectionNumberRole)))

    model.dataChanged.connect(on_changed)
    for criterion in section.criteria_at(Level.MINIMUM):
        service.set_judgement(assessment_id, criterion.ref, Judgement.MET)
    service.set_judgement(assessment_id, section.criteria[-1].ref, Judgement.PARTLY_MET)
    refresh(model, service, assessment_id)

    assert first.siblingAtColumn(STATUS_COLUMN).data() == "✓ Met"
    last = model.index_for_ref(section.criteria[-1].ref).siblingAtColumn(STATUS_COLUMN)
    assert last.data() == "◐ Partly met"
    assert section_status.data() == "Minimum"
    tooltip = str(section_status.data(Qt.ItemDataRole.ToolTipRole))
    assert "level Minimum" in tooltip and "not Progressing, because" in tooltip
    # Only the rows that changed are announced: the criteria given answers, and their section.
    minimum_rows = [(section.criteria.index(c), section.number) for c in section.criteria_at(Level.MINIMUM)]
    assert sorted(changed, key=str) == sorted(
        [*minimum_rows, (len(section.criteria) - 1, section.number), (0, None)], key=str
    )


def test_carried_answers_are_marked_to_confirm(service: WorkbookService, assessment_id: int) -> None:
    ref = service.standard(RELEASE, "ICT").sections[0].criteria[0].ref
    service.set_judgement(assessment_id, ref, Judgement.NOT_MET)
    carried = service.duplicate_into_round(assessment_id, Round(2007))
    model = loaded(service, carried.id)
    status = model.index_for_ref(ref).siblingAtColumn(STATUS_COLUMN)
    assert status.data() == "✗ Not met · ⚑ to confirm"
    assert "to confirm" in str(status.data(Qt.ItemDataRole.AccessibleTextRole))


def test_model_passes_the_qt_model_tester_while_answers_change(
    service: WorkbookService, assessment_id: int, qtmodeltester: Any
) -> None:
    model = loaded(service, assessment_id)
    qtmodeltester.check(model)
    # The tester stays attached and checks every signal from here on.
    for criterion in list(service.standard(RELEASE, "ICT").criteria())[:12]:
        service.set_judgement(assessment_id, criterion.ref, Judgement.MET)
        refresh(model, service, assessment_id)
    snapshot = service.open(assessment_id)
    model.set_assessment(snapshot.standard, snapshot.answers, service.result(assessment_id))
    qtmodeltester.check(model)


def test_empty_model_passes_the_qt_model_tester(qtmodeltester: Any) -> None:
    model = NavigatorModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    assert model.data(QPersistentModelIndex()) is None
