"""The main window: menus, status bar and the catalogue browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from nesds_desktop._version import APP_NAME
from nesds_desktop.domain.catalogue import ReleaseSummary
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.views.catalogue_browser import CatalogueBrowser, ReleaseLoader, plural

if TYPE_CHECKING:
    from nesds_desktop.ui.dialogs.about_dialog import AboutDialog


class MainWindow(QMainWindow):
    def __init__(self, feedback: Feedback | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feedback = feedback or Feedback(self)
        self.data_dir: Path | None = None
        self._releases: list[ReleaseSummary] = []
        self.setWindowTitle(APP_NAME)
        self.browser = CatalogueBrowser()
        self.setCentralWidget(self.browser)
        self.status_label = QLabel("Opening the store…")
        self.statusBar().addWidget(self.status_label, 1)
        self._build_menus()
        self.browser.releaseChanged.connect(self._on_release_changed)
        self.resize(1280, 760)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.find_action = QAction("&Find Criteria", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_filter)
        view_menu.addAction(self.find_action)
        self.expand_action = QAction("&Expand All", self)
        self.expand_action.setShortcut(QKeySequence("Ctrl+E"))
        self.expand_action.triggered.connect(self.browser.tree.expandAll)
        view_menu.addAction(self.expand_action)
        self.collapse_action = QAction("&Collapse All", self)
        self.collapse_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.collapse_action.triggered.connect(self.browser.tree.collapseAll)
        view_menu.addAction(self.collapse_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = QAction(f"&About {APP_NAME}", self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        about_qt = QAction("About &Qt", self)
        about_qt.triggered.connect(QApplication.aboutQt)
        help_menu.addAction(about_qt)

    # -- fed by the composition root -----------------------------------------------------
    def show_catalogue(self, data_dir: Path, releases: list[ReleaseSummary], load_release: ReleaseLoader) -> None:
        self.data_dir = data_dir
        self._releases = releases
        self.browser.set_catalogue(releases, load_release)
        self.browser.tree.setFocus()
        if self.browser.proxy.rowCount() and not self.browser.tree.currentIndex().isValid():
            # A visible current item, so keyboard users see where focus is from the start.
            self.browser.tree.setCurrentIndex(self.browser.proxy.index(0, 0))
        if not releases:
            self.status_label.setText(f"No catalogue release in the store · data folder {data_dir}")

    def show_store_problem(self, title: str, message: str) -> None:
        self.status_label.setText(message)
        self.feedback.error(title, message)

    # -- reactions -------------------------------------------------------------------------
    def _on_release_changed(self, release_id: str) -> None:
        release = self.browser.release
        if release is None:
            return
        criteria = sum(1 for s in release.standards for _ in s.criteria())
        self.status_label.setText(
            f"{release.info.title} {release.info.version}: {plural(len(release.standards), 'standard')}, "
            f"{plural(criteria, 'criterion', 'criteria')} · data folder {self.data_dir}"
        )

    def _focus_filter(self) -> None:
        self.browser.filter_edit.setFocus()
        self.browser.filter_edit.selectAll()

    def show_about(self) -> AboutDialog:
        from nesds_desktop.ui.dialogs.about_dialog import AboutDialog  # rarely opened: not worth its start-up cost

        dialog = AboutDialog(self.data_dir, self._releases, self)
        dialog.open()
        return dialog
