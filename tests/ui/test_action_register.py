"""The action register page: totals to the penny, add/edit/delete with undo, the table model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from nesds_desktop.domain.assessments import Action, ActionPriority, ActionState, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.records import ActionItem, AssessmentDetails
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import Store, open_store
from nesds_desktop.ui.dialogs.action_dialog import ActionDialog
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.models.action_table_model import CASHABLE, DESCRIPTION, DUE, ActionTableModel
from nesds_desktop.ui.views.action_register import totals_text
from nesds_desktop.ui.views.workbook_view import Prompts, WorkbookView

RELEASE = "nesds-2006.1"


class RecordingFeedback(Feedback):
    def __init__(self) -> None:
        super().__init__(None)
        self.messages: list[tuple[str, str]] = []

    def error(self, title: str, text: str) -> None:
        self.messages.append((title, text))

    warning = information = error


class QueuedActions(Prompts):
    def __init__(self) -> None:
        self.answers: list[Action | None] = []
        self.existing: list[Action | None] = []

    def evidence(self, parent: QWidget, ref: str, existing: EvidenceReference | None) -> EvidenceReference | None:
        raise AssertionError("no evidence dialog expected")

    def action(self, parent: QWidget, refs: object, existing: Action | None, default_ref: str | None) -> Action | None:
        self.existing.append(existing)
        return self.answers.pop(0)


STRATEGY = Action(
    "Adopt a benefits realisation procedure",
    "ICT-1-P2",
    "Head of ICT",
    date(2007, 3, 31),
    ActionPriority.HIGH,
    ActionState.IN_PROGRESS,
    Decimal("12500.00"),
    Decimal("4000"),
)
CHAMPIONS = Action(
    "Report on e-champions twice a year", "ICT-1-M2", "Chief Executive", saving_non_cashable=Decimal("1500")
)
BOARD = Action("Set up an ICT board", None, state=ActionState.CANCELLED, saving_cashable=Decimal("800"))


@pytest.fixture
def service(store: Store) -> WorkbookService:
    catalogue_service.load_bundled_releases(store)
    return WorkbookService(store, "Jo Facilitator")


@pytest.fixture
def assessment_id(service: WorkbookService) -> int:
    authority = service.add_authority(
        Authority("Leeds City Council", AuthorityType.METROPOLITAN_BOROUGH, Region.YORKSHIRE_AND_THE_HUMBER)
    )
    return service.create_assessment(AssessmentDetails(authority.id, RELEASE, "ICT", Round(2006))).id


@pytest.fixture
def reader(data_dir: Path, service: WorkbookService) -> Iterator[WorkbookService]:
    other = open_store(data_dir)
    yield WorkbookService(other, "reader")
    other.close()


@pytest.fixture
def prompts() -> QueuedActions:
    return QueuedActions()


@pytest.fixture
def view(qtbot: QtBot, service: WorkbookService, assessment_id: int, prompts: QueuedActions) -> Iterator[WorkbookView]:
    for action in (STRATEGY, CHAMPIONS, BOARD):
        service.add_action(assessment_id, action)
    feedback = RecordingFeedback()
    workbook = WorkbookView(service, assessment_id, feedback)
    workbook.prompts = prompts
    qtbot.addWidget(workbook)
    workbook.resize(1366, 768)
    workbook.show()
    workbook.activateWindow()
    qtbot.waitUntil(workbook.isActiveWindow)
    workbook.show_actions()
    yield workbook
    assert feedback.messages == []


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)  # type: ignore[no-untyped-call]


def stored_descriptions(reader: WorkbookService, assessment_id: int) -> list[str]:
    return [item.action.description for item in reader.open(assessment_id).actions]


def test_register_lists_actions_with_totals_leaving_out_cancelled(view: WorkbookView) -> None:
    model = view.register.model
    assert model.rowCount() == 3
    assert model.index(0, DESCRIPTION).data() == "Adopt a benefits realisation procedure"
    assert model.index(0, DUE).data() == "31 Mar 2007"
    assert model.index(0, CASHABLE).data() == "£12,500.00"
    assert model.index(2, 0).data() == "Whole standard"
    assert view.register.totals_label.text() == (
        "Estimated savings a year, 2 actions counted: cashable £12,500.00 · non-cashable £5,500.00 · "
        "total £18,000.00 (69% cashable). 1 cancelled left out."
    )
    assert "Action re&gister (3)" in view.pages.tabText(1)


def test_totals_text_without_actions_and_with_one() -> None:
    assert totals_text([]) == (
        "Estimated savings a year, 0 actions counted: cashable £0.00 · non-cashable £0.00 · total £0.00."
    )
    one = ActionItem(1, "u", Action("x", saving_cashable=Decimal("0.01")))
    assert totals_text([one]).startswith("Estimated savings a year, 1 action counted: cashable £0.01")


def test_add_edit_delete_from_the_register_with_undo(
    view: WorkbookView, qtbot: QtBot, prompts: QueuedActions, reader: WorkbookService, assessment_id: int
) -> None:
    prompts.answers.append(Action("Publish the ICT strategy", None, saving_cashable=Decimal("1000")))
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored_descriptions(reader, assessment_id)[-1] == "Publish the ICT strategy"
    assert "cashable £13,500.00" in view.register.totals_label.text()
    assert view.register.model.rowCount() == 4
    assert view.register.table.currentIndex().row() == 3, "the new action is chosen"

    # Enter on the chosen row edits it.
    prompts.answers.append(Action("Publish the ICT strategy on the website", None, saving_cashable=Decimal("1200")))
    view.register.table.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert prompts.existing[-1] == Action("Publish the ICT strategy", None, saving_cashable=Decimal("1000"))
    assert stored_descriptions(reader, assessment_id)[-1] == "Publish the ICT strategy on the website"
    assert "cashable £13,700.00" in view.register.totals_label.text()

    # Delete removes the chosen row; undo puts it back in its place.
    view.register.table.setCurrentIndex(view.register.model.index(0, 0))
    press(qtbot, Qt.Key.Key_Delete)
    assert stored_descriptions(reader, assessment_id) == [
        "Report on e-champions twice a year",
        "Set up an ICT board",
        "Publish the ICT strategy on the website",
    ]
    assert "cashable £1,200.00" in view.register.totals_label.text()
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_descriptions(reader, assessment_id) == [
        "Adopt a benefits realisation procedure",
        "Report on e-champions twice a year",
        "Set up an ICT board",
        "Publish the ICT strategy on the website",
    ]
    assert "cashable £13,700.00" in view.register.totals_label.text()
    view.undo()
    view.undo()
    assert stored_descriptions(reader, assessment_id) == [
        "Adopt a benefits realisation procedure",
        "Report on e-champions twice a year",
        "Set up an ICT board",
    ]
    assert view.register.model.rowCount() == 3


def test_cancelled_dialog_changes_nothing(
    view: WorkbookView, prompts: QueuedActions, reader: WorkbookService, assessment_id: int
) -> None:
    prompts.answers.append(None)
    view.register.add_button.click()
    assert view.undo_stack.count() == 0
    assert len(stored_descriptions(reader, assessment_id)) == 3


def test_table_model_passes_the_model_tester_through_changes(qtmodeltester: Any) -> None:
    model = ActionTableModel()
    qtmodeltester.check(model)
    a, b, c = (ActionItem(i, f"u{i}", action) for i, action in enumerate((STRATEGY, CHAMPIONS, BOARD), start=1))
    model.set_actions([a, b, c])
    qtmodeltester.check(model)
    removed: list[tuple[int, int]] = []
    inserted: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.set_actions([a, c])
    assert removed == [(1, 1)], "one row removed, last index inclusive"
    d = ActionItem(4, "u4", CHAMPIONS)
    model.set_actions([a, d, c])
    assert inserted == [(1, 1)]
    changed = ActionItem(1, "u1", Action("Changed", saving_cashable=Decimal(1)))
    model.set_actions([changed, d, c])
    assert model.index(0, DESCRIPTION).data() == "Changed"
    model.set_actions([c, changed])  # reordered: a reset
    assert [model.item(row).id for row in range(model.rowCount())] == [3, 1]
    model.set_actions([])
    assert model.rowCount() == 0


def test_action_dialog_builds_an_action_and_refuses_bad_money(qtbot: QtBot) -> None:
    dialog = ActionDialog(["ICT-1-M1", "ICT-1-M2"], None, "ICT-1-M2")
    qtbot.addWidget(dialog)
    assert dialog.criterion_combo.currentText() == "ICT-1-M2", "offers the current criterion"
    dialog.accept()
    assert "needs a description" in dialog.error_label.text()
    dialog.description_edit.setPlainText("Train members")
    dialog.owner_edit.setText("Member services")
    dialog.due_check.setChecked(True)
    dialog.due_edit.setDate(QDate(2007, 1, 31))
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData(ActionPriority.HIGH.value))
    dialog.cashable_edit.setText("£1,250.5")
    dialog.non_cashable_edit.setText("12.345")
    dialog.accept()
    assert dialog.action() is None
    assert "Non-cashable saving" in dialog.error_label.text() and "fraction of a penny" in dialog.error_label.text()
    dialog.non_cashable_edit.setText("")
    dialog.accept()
    assert dialog.action() == Action(
        "Train members",
        "ICT-1-M2",
        "Member services",
        date(2007, 1, 31),
        ActionPriority.HIGH,
        ActionState.NOT_STARTED,
        Decimal("1250.50"),
        Decimal("0.00"),
    )


def test_action_dialog_edits_an_existing_action(qtbot: QtBot) -> None:
    dialog = ActionDialog(["ICT-1-P2"], STRATEGY, None)
    qtbot.addWidget(dialog)
    assert dialog.description_edit.toPlainText() == STRATEGY.description
    assert dialog.cashable_edit.text() == "12500.00"
    assert dialog.due_check.isChecked()
    dialog.state_combo.setCurrentIndex(dialog.state_combo.findData(ActionState.COMPLETED.value))
    dialog.accept()
    result = dialog.action()
    assert result is not None and result.state is ActionState.COMPLETED and result.due == STRATEGY.due
