"""The comparison view over real stores: the hand-checked case on every page, and a demo store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.stores import new_catalogue_store
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "comparison"))
from comparison_support import ALDER, AS_OF, CODE, EARLIER_ROUND, ROUND, store_case

from nesds_desktop.domain.authorities import AuthorityType
from nesds_desktop.services.comparison_service import ComparisonService
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.models.comparison_models import RowsTableModel
from nesds_desktop.ui.views.comparison_view import ComparisonView


@pytest.fixture
def case_store(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = new_catalogue_store(tmp_path / "case", tmp_path_factory)
    store_case(store)
    yield store
    store.close()


def _rows(model: RowsTableModel) -> list[list[str]]:
    return [[model.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _view(qtbot: QtBot, store: Store, feedback: RecordingFeedback | None = None) -> ComparisonView:
    view = ComparisonView(ComparisonService(store), feedback or RecordingFeedback())
    qtbot.addWidget(view)
    view.resize(1366, 768)
    return view


def _pick(view: ComparisonView, authority_name: str) -> int:
    authority_id = next(a.id for a in view.service.authorities() if a.name == authority_name)
    view.set_authority(authority_id)
    return authority_id


def test_peers_page_shows_the_hand_checked_figures_as_chart_and_table(
    qtbot: QtBot, qtmodeltester: Any, case_store: Store
) -> None:
    view = _view(qtbot, case_store)
    _pick(view, ALDER.name)
    page = view.peers
    assert page.standard.currentData() == CODE and page.round.currentData() == ROUND
    assert _rows(page.levels_model) == [
        ["1 Leadership", "Minimum", "4", "1", "0", "1", "2", "0",
         "higher than 1 of 4 peers, level with 0, lower than 3"],
        ["2 Customer access", "No level", "3", "0", "1", "0", "2", "1",
         "higher than 0 of 3 peers, level with 0, lower than 3"],
        ["Overall (standard)", "No level", "4", "1", "0", "1", "2", "0",
         "higher than 0 of 4 peers, level with 1, lower than 3"],
    ]  # fmt: skip
    assert page.levels_model.headers()[1] == "Alder Vale"
    assert [row[0] for row in _rows(page.gaps_model)] == ["T-2-M1", "T-1-P1", "T-2-P1"]
    assert _rows(page.gaps_model)[1][4] == "3 of 4 peers (75%)"
    # The chart says the same in words (its accessible description), this authority included.
    assert "1 Leadership: 1 No level, 0 Minimum, 1 Progressing, 2 Excellent; Alder Vale: Minimum" in (
        page.chart.accessibleDescription()
    )
    for model in (page.levels_model, page.gaps_model, page.peers_model):
        qtmodeltester.check(model)

    page.anonymise.setChecked(True)
    assert [row[0] for row in _rows(page.peers_model)] == [f"Authority {c}" for c in "ABCD"]
    assert page.peers_model.headers()[:2] == ("Peer", "Overall")
    page.type.setCurrentIndex(page.type.findData(AuthorityType.DISTRICT.value))
    assert [row[2] for row in _rows(page.levels_model)] == ["2", "2", "2"]  # Bramwick and Dalby Fen
    qtmodeltester.check(page.peers_model)


def test_peers_only_and_a_round_nobody_assessed_are_explained(qtbot: QtBot, case_store: Store) -> None:
    view = _view(qtbot, case_store)
    page = view.peers
    assert page.authority.currentData() is None  # peers only, at first
    assert page.levels_model.headers()[1] == "Peers"
    assert _rows(page.levels_model)[2][:7] == ["Overall (standard)", "5", "2", "0", "1", "2", "0"]
    page.round.setCurrentIndex(page.round.findData(EARLIER_ROUND))
    _pick(view, "Bramwick")
    assert "Bramwick has not assessed TST in 2005/06." in page.notes.text()
    assert page.levels_model.rowCount() == 3


def test_progress_and_portfolio_pages(qtbot: QtBot, qtmodeltester: Any, case_store: Store) -> None:
    view = _view(qtbot, case_store)
    _pick(view, ALDER.name)
    view.progress.refresh(AS_OF)
    progress = view.progress
    assert _rows(progress.rounds_model) == [
        [EARLIER_ROUND, "No level", "No level", "No level", "3 of 7", "0", "0", "0"],
        [ROUND, "No level", "Minimum", "No level", "2 of 7", "4", "1", "1"],
    ]
    assert _rows(progress.changes_model) == [
        [f"{EARLIER_ROUND} to {ROUND}", "✓ Newly met", "T-1-M2"],
        [f"{EARLIER_ROUND} to {ROUND}", "✗ Newly lost", "T-1-P1"],
        [f"{EARLIER_ROUND} to {ROUND}", "✗ Newly lost", "T-2-P1"],
    ]
    assert _rows(progress.actions_model) == [[ROUND, "T-2-M1", "Train the team", "Team leader", "31 Jan 2007"]]
    assert "1 Leadership: 2005/06 No level, 2006/07 Minimum" in progress.chart.accessibleDescription()
    for model in (progress.rounds_model, progress.changes_model, progress.actions_model):
        qtmodeltester.check(model)

    view.portfolio.round.setCurrentIndex(view.portfolio.round.findData(ROUND))
    assert _rows(view.portfolio.model) == [
        ["TST Tiny test standard", "No level", "● No level", "", "", "", "7 of 7", "Draft"]
    ]
    assert "0 Excellent" in view.portfolio.notes.text()
    qtmodeltester.check(view.portfolio.model)


def test_export_writes_the_workbook_chosen_through_feedback(qtbot: QtBot, case_store: Store, tmp_path: Path) -> None:
    feedback = RecordingFeedback([tmp_path / "peers"])
    view = _view(qtbot, case_store, feedback)
    _pick(view, ALDER.name)
    view.peers.export_button.click()
    written = tmp_path / "peers.xlsx"
    assert feedback.messages[-1][0] == "information" and str(written) in feedback.messages[-1][2]
    assert load_workbook(written).sheetnames == ["Distribution", "This authority", "Gaps", "Peers", "Progress"]
    view.peers.export_button.click()  # no answer left: nothing chosen, nothing written or said
    assert [kind for kind, _, _ in feedback.messages] == ["choose save file", "information", "choose save file"]


def test_view_on_a_demo_store_fills_every_page(qtbot: QtBot, tmp_path: Path,
                                               tmp_path_factory: pytest.TempPathFactory) -> None:  # fmt: skip
    store = new_catalogue_store(tmp_path / "demo", tmp_path_factory)
    try:
        fill_demo_store(WorkbookService(store, "tester"), 15, 3, seed=3)
        view = _view(qtbot, store)
        _pick(view, view.service.authorities()[0].name)
        view.show()
        assert view.peers.levels_model.rowCount() > 1 and view.peers.peers_model.rowCount() == 14
        assert view.progress.rounds_model.rowCount() == 3
        assert view.portfolio.model.rowCount() == 10
        for index in range(3):
            view.tabs.setCurrentIndex(index)
            assert not view.grab().isNull()
        view.close()
    finally:
        store.close()
