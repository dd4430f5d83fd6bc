"""The Assessments tab: every assessment, filtered by authority, standard, round and state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from nesds_desktop.domain.assessments import AssessmentState, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails, AssessmentSummary
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store
from nesds_desktop.ui.models.assessment_list_model import COLUMNS, AssessmentIdRole, AssessmentListModel
from nesds_desktop.ui.views.assessment_list import AssessmentList

RELEASE = "nesds-2006.1"


@pytest.fixture
def service(store: Store) -> WorkbookService:
    catalogue_service.load_bundled_releases(store)
    return WorkbookService(store, "Pat Facilitator")


@pytest.fixture
def assessments(service: WorkbookService) -> dict[str, AssessmentSummary]:
    havering = service.add_authority(
        Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")
    )
    essex = service.add_authority(
        Authority("Essex County Council", AuthorityType.COUNTY, Region.EAST_OF_ENGLAND, "E10000012")
    )
    made = {
        "havering-ict-2006": service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006))),
        "havering-ict-2007": service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2007))),
        "havering-cs-2006": service.create_assessment(
            AssessmentDetails(havering.id, RELEASE, "CS", Round(2006), state=AssessmentState.AGREED)
        ),
        "essex-ict-2006": service.create_assessment(
            AssessmentDetails(essex.id, RELEASE, "ICT", Round(2006), state=AssessmentState.SUBMITTED)
        ),
    }
    return made


@pytest.fixture
def listing(
    qtbot: QtBot, service: WorkbookService, assessments: dict[str, AssessmentSummary]
) -> Iterator[AssessmentList]:
    view = AssessmentList()
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.set_service(service)
    view.show()
    yield view


def _rows(view: AssessmentList) -> list[list[str]]:
    model = view.model
    return [[str(model.index(r, c).data()) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_every_assessment_is_listed_with_its_facts(listing: AssessmentList) -> None:
    assert [listing.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == [
        "Authority",
        "Standard",
        "Round",
        "State",
        "Level",
        "Answered",
    ]
    rows = _rows(listing)
    assert len(rows) == 4
    assert rows[0][0] == "Essex County Council"
    assert [
        "London Borough of Havering",
        "ICT — Information and Communications Technology",
        "2007/08",
        "Draft",
        "No level",
        "0 of 58",
    ] in rows
    assert any(row[3] == "Submitted" for row in rows) and any(row[3] == "Agreed" for row in rows)
    assert "4 assessments" in listing.count_label.text()


def test_filters_narrow_the_list(qtbot: QtBot, listing: AssessmentList) -> None:
    qtbot.keyClicks(listing.authority_edit, "haver")  # type: ignore[no-untyped-call]
    assert {row[0] for row in _rows(listing)} == {"London Borough of Havering"}
    assert len(_rows(listing)) == 3
    assert "3 assessments shown of 4" in listing.count_label.text()

    listing.standard_combo.setCurrentIndex(listing.standard_combo.findData("ICT"))
    assert [row[2] for row in _rows(listing)] == ["2007/08", "2006/07"]
    listing.round_combo.setCurrentIndex(listing.round_combo.findData("2006/07"))
    assert [row[2] for row in _rows(listing)] == ["2006/07"]

    listing.authority_edit.clear()
    listing.state_combo.setCurrentIndex(listing.state_combo.findData(AssessmentState.SUBMITTED.value))
    assert [row[0] for row in _rows(listing)] == ["Essex County Council"]
    listing.state_combo.setCurrentIndex(listing.state_combo.findData(AssessmentState.AGREED.value))
    assert _rows(listing) == []
    assert not listing.open_button.isEnabled()


def test_the_choices_are_the_standards_and_rounds_in_use(listing: AssessmentList) -> None:
    standards = [listing.standard_combo.itemText(i) for i in range(listing.standard_combo.count())]
    rounds = [listing.round_combo.itemText(i) for i in range(listing.round_combo.count())]
    assert standards == ["All", "CS — Customer Service", "ICT — Information and Communications Technology"]
    assert rounds == ["All", "2007/08", "2006/07"]


def test_enter_opens_the_chosen_assessment(
    qtbot: QtBot, listing: AssessmentList, assessments: dict[str, AssessmentSummary]
) -> None:
    listing.select(assessments["havering-cs-2006"].id)
    listing.table.setFocus()
    with qtbot.waitSignal(listing.openRequested) as opened:
        qtbot.keyClick(listing.table, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    assert opened.args == [assessments["havering-cs-2006"].id]
    qtbot.keyClick(listing.table, Qt.Key.Key_Down)  # type: ignore[no-untyped-call]
    with qtbot.waitSignal(listing.openRequested) as opened:
        qtbot.keyClick(listing.table, Qt.Key.Key_Enter)  # type: ignore[no-untyped-call]
    assert opened.args == [listing.current_assessment_id()]
    assert opened.args != [assessments["havering-cs-2006"].id]


def test_a_change_updates_the_row_in_place(
    qtbot: QtBot, listing: AssessmentList, service: WorkbookService, assessments: dict[str, AssessmentSummary]
) -> None:
    chosen = assessments["havering-ict-2006"]
    listing.select(chosen.id)
    ref = next(service.standard(RELEASE, "ICT").criteria()).ref
    service.set_judgement(chosen.id, ref, Judgement.MET)
    resets: list[bool] = []
    listing.model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(listing.model.dataChanged):
        listing.mark_stale()
    row = listing.model.row_of(chosen.id)
    assert row is not None
    assert listing.model.index(row, 5).data() == "1 of 58"
    assert resets == [] and listing.current_assessment_id() == chosen.id  # the user's place is kept


def test_a_hidden_list_refreshes_when_shown(
    listing: AssessmentList, service: WorkbookService, assessments: dict[str, AssessmentSummary]
) -> None:
    listing.hide()
    chosen = assessments["essex-ict-2006"]
    ref = next(service.standard(RELEASE, "ICT").criteria()).ref
    service.set_judgement(chosen.id, ref, Judgement.NOT_MET)
    listing.mark_stale()
    row = listing.model.row_of(chosen.id)
    assert row is not None and listing.model.index(row, 5).data() == "0 of 58"  # not yet: it is hidden
    listing.show()
    assert listing.model.index(row, 5).data() == "1 of 58"


def test_the_model_passes_the_qt_model_tester(
    qtmodeltester: object, listing: AssessmentList, assessments: dict[str, AssessmentSummary]
) -> None:
    qtmodeltester.check(listing.model)  # type: ignore[attr-defined]
    assert listing.model.index(0, 0).data(AssessmentIdRole) in {a.id for a in assessments.values()}
    assert "criteria answered" in str(listing.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole))
    assert listing.model.index(0, 0, listing.model.index(0, 0)) == QModelIndex()


def test_an_empty_model_passes_the_model_tester(qtmodeltester: object) -> None:
    qtmodeltester.check(AssessmentListModel())  # type: ignore[attr-defined]


def test_an_empty_store_says_how_to_start(qtbot: QtBot, service: WorkbookService) -> None:
    view = AssessmentList()
    qtbot.addWidget(view)
    view.set_service(service)
    assert "Ctrl+N" in view.count_label.text()
    with qtbot.waitSignal(view.newRequested):
        view.new_button.click()
