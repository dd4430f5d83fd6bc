"""The presentation view: large type, follows the facilitator, live levels, a second screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails, AssessmentSummary
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store
from nesds_desktop.ui.views.presentation_window import MAX_ZOOM, PresentationWindow, presentation_screen

RELEASE = "nesds-2006.1"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def service(store: Store) -> WorkbookService:
    catalogue_service.load_bundled_releases(store)
    return WorkbookService(store, "Pat Facilitator")


@pytest.fixture
def assessment(service: WorkbookService) -> AssessmentSummary:
    havering = service.add_authority(
        Authority("London Borough of Havering", AuthorityType.LONDON_BOROUGH, Region.LONDON, "E09000016")
    )
    return service.create_assessment(AssessmentDetails(havering.id, RELEASE, "ICT", Round(2006)))


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[PresentationWindow]:
    shown = PresentationWindow()
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    yield shown


def _refs(service: WorkbookService) -> list[str]:
    return [c.ref for c in service.standard(RELEASE, "ICT").criteria()]


def test_it_shows_the_criterion_its_judgement_and_the_levels(
    window: PresentationWindow, service: WorkbookService, assessment: AssessmentSummary
) -> None:
    standard = service.standard(RELEASE, "ICT")
    section = standard.sections[2]
    criterion = section.criteria[1]
    window.show_assessment(service, assessment.id, criterion.ref)
    window.show()
    assert window.ref_label.text() == f"{criterion.ref} · {criterion.level.label}"
    assert window.section_label.text() == f"Section {section.number}: {section.title}"
    assert window.statement_label.text() == criterion.statement
    assert window.judgement_label.text() == "?  Not yet assessed"
    assert window.standard_label.text() == "Standard level: No level"
    assert window.explanation_label.text().startswith("No level: Minimum not achieved because")
    sections_text = window.sections_label.text()
    assert all(s.title in sections_text for s in standard.sections)
    assert "London Borough of Havering" in window.context_label.text() and "2006/07" in window.context_label.text()


def test_it_follows_the_facilitator_and_updates_live(
    window: PresentationWindow, service: WorkbookService, assessment: AssessmentSummary
) -> None:
    refs = _refs(service)
    window.show_assessment(service, assessment.id, refs[0])
    window.show()
    service.set_judgement(assessment.id, refs[0], Judgement.MET)  # from elsewhere: the facilitator's view
    assert window.judgement_label.text() == "✓  Met"
    assert "1 of 58 criteria answered" in window.context_label.text()
    window.follow(refs[1])
    assert window.ref_label.text().startswith(refs[1])
    service.set_judgement(assessment.id, refs[1], Judgement.PARTLY_MET)
    assert window.judgement_label.text() == "◐  Partly met"
    assert f"{refs[1]} is partly met" in window.explanation_label.text()
    service.set_judgement(assessment.id, refs[1], Judgement.NOT_APPLICABLE)
    assert window.judgement_label.text() == "–  Not applicable"


def test_section_one_reaching_minimum_shows_at_once(
    window: PresentationWindow, service: WorkbookService, assessment: AssessmentSummary
) -> None:
    standard = service.standard(RELEASE, "ICT")
    first = standard.sections[0]
    window.show_assessment(service, assessment.id)
    window.show()
    for criterion in first.criteria_at(first.criteria[0].level):
        service.set_judgement(assessment.id, criterion.ref, Judgement.MET)
    assert f"{first.title}</td><td style='white-space: nowrap;'>Minimum" in window.sections_label.text()


def test_a_hidden_window_stops_listening(
    window: PresentationWindow, service: WorkbookService, assessment: AssessmentSummary
) -> None:
    window.show_assessment(service, assessment.id)
    window.show()
    assert len(service.listeners) == 1
    window.hide()
    assert service.listeners == []
    window.show()
    assert len(service.listeners) == 1
    window.close()
    assert service.listeners == []


def test_it_fits_a_projector_at_1366_by_768(
    window: PresentationWindow, service: WorkbookService, assessment: AssessmentSummary
) -> None:
    standard = service.standard(RELEASE, "ICT")
    longest = max(standard.criteria(), key=lambda c: len(c.statement))
    window.show_assessment(service, assessment.id, longest.ref)
    window.show()
    assert window.scroll_area.verticalScrollBar().maximum() == 0  # nothing below the fold
    assert window.statement_label.font().pointSizeF() >= 24
    assert window.judgement_label.font().pointSizeF() >= 28


def test_zoom_makes_every_label_larger_within_limits(
    qtbot: QtBot, window: PresentationWindow, service: WorkbookService, assessment: AssessmentSummary
) -> None:
    window.show_assessment(service, assessment.id)
    window.show()
    labels = window.findChildren(QLabel)
    before = {label.objectName(): label.font().pointSizeF() for label in labels}
    window.zoom_in()
    after = {label.objectName(): label.font().pointSizeF() for label in labels}
    assert all(after[name] > before[name] for name in before)
    window.zoom_out()
    assert window.zoom == pytest.approx(1.0)
    for _ in range(30):
        window.zoom_in()
    assert window.zoom == MAX_ZOOM
    window.set_zoom(1.0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # type: ignore[no-untyped-call]
    assert window.zoom > 1.0
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # type: ignore[no-untyped-call]
    assert window.zoom == pytest.approx(1.0)


def test_with_nothing_open_it_says_so(window: PresentationWindow) -> None:
    window.show()
    assert window.context_label.text() == "No assessment is open."
    window.follow("ICT-1-M1")  # nothing to follow: no error
    assert window.statement_label.text() == ""


def test_the_room_gets_a_screen_the_facilitator_is_not_using() -> None:
    assert presentation_screen(["laptop"], "laptop") is None
    assert presentation_screen(["laptop", "projector"], "laptop") == "projector"
    assert presentation_screen(["projector", "laptop"], "laptop") == "projector"
    assert presentation_screen(["laptop", "projector"], None) == "laptop"


_TWO_SCREENS_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QWidget
from nesds_desktop.ui.views.presentation_window import PresentationWindow
app = QApplication(sys.argv[:1])
laptop = QApplication.screens()[0]
facilitator = QWidget()
facilitator.setScreen(laptop)
presentation = PresentationWindow()
shown = presentation.toggle(laptop)
app.processEvents()
print(shown, presentation.screen().name(), presentation.isFullScreen(), presentation.geometry().x())
"""


def test_on_two_screens_it_opens_full_screen_on_the_other(tmp_path: Path) -> None:
    # The offscreen platform takes a list of screens from a file: a laptop and a projector.
    screens = {
        "screens": [
            {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1},
            {"name": "projector", "x": 1366, "y": 0, "width": 1024, "height": 768, "logicalDpi": 96, "dpr": 1},
        ]
    }
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(screens), encoding="utf-8")
    environment = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, "-c", _TWO_SCREENS_SCRIPT],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO_ROOT,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["True", "projector", "True", "1366"]
