"""The real main window, driven with qtbot offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from nesds_desktop.app import attach_store
from nesds_desktop.domain.catalogue import Criterion, Section, Standard
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.main_window import MainWindow
from nesds_desktop.ui.models.catalogue_tree_model import CatalogueTreeModel, ItemRole


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> MainWindow:
    feedback = RecordingFeedback()
    main = MainWindow(feedback=feedback)
    qtbot.addWidget(main)
    main.show()
    assert attach_store(main, str(data_dir)) == 0
    assert feedback.messages == []
    return main


def _first_criterion(window: MainWindow) -> QModelIndex:
    proxy = window.browser.proxy
    standard = proxy.index(0, 0)
    section = proxy.index(0, 0, standard)
    return proxy.index(0, 0, section)


def test_window_shows_the_catalogue_tree(window: MainWindow) -> None:
    proxy = window.browser.proxy
    assert proxy.rowCount() == 10
    assert proxy.index(0, 0).data() == "ICT — Information and Communications Technology"
    assert isinstance(proxy.index(0, 0).data(ItemRole), Standard)
    assert isinstance(proxy.index(0, 0, proxy.index(0, 0)).data(ItemRole), Section)
    assert "586 criteria" in window.status_label.text() or "criteria" in window.status_label.text()


def test_choosing_a_criterion_shows_its_guidance(window: MainWindow, qtbot: QtBot) -> None:
    index = _first_criterion(window)
    criterion = index.data(ItemRole)
    assert isinstance(criterion, Criterion)
    window.browser.tree.setCurrentIndex(index)
    text = window.browser.details.toPlainText()
    assert criterion.ref in text and criterion.guidance[:40] in text and "Examples of evidence" in text


def test_keyboard_filter_finds_a_reference(window: MainWindow, qtbot: QtBot) -> None:
    window.find_action.trigger()
    assert window.browser.filter_edit.hasFocus() or window.browser.filter_edit.isVisible()
    qtbot.keyClicks(window.browser.filter_edit, "ICT-3-P2")  # type: ignore[no-untyped-call]
    proxy = window.browser.proxy
    assert proxy.rowCount() == 1
    section = proxy.index(0, 0, proxy.index(0, 0))
    assert proxy.rowCount(section) == 1
    assert str(proxy.index(0, 0, section).data()).startswith("ICT-3-P2")


def test_level_filter_keeps_only_that_level(window: MainWindow) -> None:
    window.browser.level_combo.setCurrentIndex(3)  # Excellent
    proxy = window.browser.proxy
    for s in range(proxy.rowCount()):
        standard = proxy.index(s, 0)
        for sec in range(proxy.rowCount(standard)):
            section = proxy.index(sec, 0, standard)
            levels = {proxy.index(c, 1, section).data() for c in range(proxy.rowCount(section))}
            assert levels == {"Excellent"}


def test_about_names_version_data_folder_and_provenance(window: MainWindow, data_dir: Path) -> None:
    dialog = window.show_about()
    text = dialog.text.toPlainText()
    assert "NeSDS Workbook 0.1.0" in text or "NeSDS Workbook" in text
    assert str(data_dir) in text
    assert "not the official text" in text
    dialog.close()


def test_a_damaged_store_is_reported_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "store.sqlite").write_bytes(b"\x00not a database" * 300)
    feedback = RecordingFeedback()  # answers nothing: the user dismisses the question, which quits
    main = MainWindow(feedback=feedback)
    qtbot.addWidget(main)
    assert attach_store(main, str(damaged)) == 1
    [(kind, _title, text)] = feedback.messages
    assert kind == "question" and "damaged" in text and str(damaged) in text
    assert (damaged / "store.sqlite").read_bytes().startswith(b"\x00not a database")


def test_models_pass_the_qt_model_tester(window: MainWindow, qtmodeltester: object) -> None:
    qtmodeltester.check(window.browser.model)  # type: ignore[attr-defined]
    window.browser.filter_edit.setText("evidence")
    qtmodeltester.check(window.browser.proxy)  # type: ignore[attr-defined]


def test_empty_tree_model_passes_the_model_tester(qtmodeltester: object) -> None:
    qtmodeltester.check(CatalogueTreeModel())  # type: ignore[attr-defined]


def test_menus_have_mnemonics_and_shortcuts(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Assessment", "&View", "&Help"]
    assert not window.quit_action.shortcut().isEmpty()
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.browser.tree.focusPolicy() != Qt.FocusPolicy.NoFocus
