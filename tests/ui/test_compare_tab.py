"""The Compare tab in the real main window: opened from the View menu, following the open assessment."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from nesds_desktop.app import attach_store
from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.main_window import MainWindow
from nesds_desktop.ui.views.comparison_view import ComparisonView


def test_compare_tab_opens_on_the_open_assessments_authority(qtbot: QtBot, data_dir: Path) -> None:
    window = MainWindow(feedback=Feedback(None))
    qtbot.addWidget(window)
    window.show()
    assert attach_store(window, str(data_dir)) == 0
    service = window.service
    assert service is not None
    councils = [
        service.add_authority(Authority(name, AuthorityType.DISTRICT, Region.SOUTH_WEST, code))
        for name, code in (("Thornbridge District Council", "E07900101"), ("Kellow District Council", "E07900102"))
    ]
    ids = []
    for council in councils:
        summary = service.create_assessment(
            AssessmentDetails(council.id, "nesds-2006.1", "ICT", Round.parse("2006/07"), "Pat Morgan")
        )
        ids.append(summary.id)
    for criterion in service.standard("nesds-2006.1", "ICT").criteria():
        service.set_judgement(ids[0], criterion.ref, Judgement.MET)
    window.open_assessment(ids[1])

    assert window.compare_tab_action.shortcut().toString() == "Alt+3"
    window.compare_tab_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, ComparisonView) and view is window.comparison
    assert view.peers.authority.currentData() == councils[1].id
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Compare"

    # Closing the tab and asking again builds it anew, without error.
    assert window.close_assessment(window.tabs.indexOf(view)) is True
    assert window.comparison is None
    assert isinstance(window.show_comparison(), ComparisonView)
