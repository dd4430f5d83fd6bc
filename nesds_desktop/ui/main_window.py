"""The main window: tabs for the catalogue, the assessment list and each open assessment.

Every command is a menu action with a mnemonic and a shortcut.  Undo and redo follow the
current assessment's own stack (a QUndoGroup).  The store is saved as each edit is made,
so the title never says "unsaved": it says how many edits the user can still undo.

Files come and go through the File menu: an assessment file (.nesds) opened from the menu,
dropped on the window or double-clicked is previewed in the merge dialog and, once
applied, is one undo step; returns, action plans and assessment files are exported with a
progress dialog; an edited return is previewed before it is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QObject, QStandardPaths, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFileOpenEvent,
    QKeySequence,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressDialog,
    QTabBar,
    QTabWidget,
    QWidget,
)
from shiboken6 import Shiboken

from nesds_desktop._version import APP_NAME
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.wording import plural

# Imported only when needed: the services import SQLAlchemy, and the pages import Qt's enum
# namespace (~12 ms) and build their models; none of it is needed for the window's first paint.
if TYPE_CHECKING:
    from nesds_desktop.domain.catalogue import ReleaseSummary
    from nesds_desktop.domain.records import AssessmentSummary
    from nesds_desktop.services.exchange_service import AppliedMerge, ExchangeService
    from nesds_desktop.services.release_migration_service import ReleaseMigrationService
    from nesds_desktop.services.workbook_service import WorkbookService
    from nesds_desktop.ui.dialogs.about_dialog import AboutDialog
    from nesds_desktop.ui.dialogs.authority_dialog import AuthorityRegisterDialog
    from nesds_desktop.ui.dialogs.duplicate_round_dialog import DuplicateRoundDialog
    from nesds_desktop.ui.dialogs.legacy_import_wizard import LegacyImportWizard
    from nesds_desktop.ui.dialogs.new_assessment_dialog import NewAssessmentDialog
    from nesds_desktop.ui.dialogs.preferences_dialog import PreferencesDialog
    from nesds_desktop.ui.dialogs.shortcuts_overlay import ShortcutsOverlay
    from nesds_desktop.ui.views.assessment_list import AssessmentList
    from nesds_desktop.ui.views.catalogue_browser import CatalogueBrowser, ReleaseLoader
    from nesds_desktop.ui.views.comparison_view import ComparisonView
    from nesds_desktop.ui.views.presentation_window import PresentationWindow
    from nesds_desktop.ui.views.workbook_view import WorkbookView

CATALOGUE_TAB = 0
ASSESSMENTS_TAB = 1
ASSESSMENT_FILE_SUFFIX = ".nesds"  # as exchange.file_format.FILE_SUFFIX, without importing it at start-up
ASSESSMENT_FILE_FILTER = "NeSDS assessment files (*.nesds);;All files (*)"
KEEP_NAMES = "&Keep notes and names"
LEAVE_OUT_NAMES = "&Leave out notes and names"


def short_title(summary: AssessmentSummary) -> str:
    """E.g. "Havering · ICT · 2006/07": what a tab and the window title show."""
    return f"{summary.authority.name} · {summary.standard_code} · {summary.round.label}"


def edit_mark(stack: QUndoStack, undo_keys: str, redo_keys: str) -> str:
    """The honest state of an assessment for the title: every edit is already in the store,
    so the mark says how many can be undone (or redone), and nothing when the stack is clean."""
    if stack.isClean():
        return ""
    clean = stack.cleanIndex()
    done = stack.index() - clean if clean >= 0 else stack.index()
    if done > 0:
        return f"{plural(done, 'edit')} saved ({undo_keys} to undo)"
    if done < 0:
        return f"{plural(-done, 'edit')} undone, also saved ({redo_keys} to redo)"
    return ""


class StoreWayOut(Enum):
    OPEN_BACKUP = "Open the newest &backup"
    OTHER_FOLDER = "Choose another data &folder…"
    TRY_AGAIN = "&Try again"
    QUIT = "&Quit"


@dataclass(frozen=True)
class StoreChoice:
    way: StoreWayOut
    folder: Path | None = None


def dropped_assessment_files(mime: QMimeData) -> list[Path]:
    """The local .nesds files among what is dragged (others are not for this window)."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() == ASSESSMENT_FILE_SUFFIX]


class FileOpenFilter(QObject):
    """macOS opens a double-clicked file by sending the application a FileOpen event."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)  # goes with the window, and Qt then stops calling it
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = Path(event.file())
            if path.suffix.lower() == ASSESSMENT_FILE_SUFFIX:
                self._window.request_open_file(path)
                return True
        return False


class _Progress:
    """A modal progress dialog fed by a service's ``progress(done, total)`` callback."""

    def __init__(self, parent: QWidget, label: str) -> None:
        self.dialog = QProgressDialog(label, "", 0, 0, parent)
        self.dialog.setWindowTitle("Please wait")
        self.dialog.setCancelButton(None)  # the services cannot stop half-way
        from PySide6.QtCore import Qt  # not at import: Qt's enum namespace costs ~12 ms at start-up

        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.show()
        QApplication.processEvents()

    def __call__(self, done: int, total: int) -> None:
        if self.dialog.maximum() != max(total, 1):
            self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))

    def close(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()


class MainWindow(QMainWindow):
    def __init__(self, feedback: Feedback | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feedback = feedback or Feedback(self)
        self.data_dir: Path | None = None
        self.service: WorkbookService | None = None
        self.exchange: ExchangeService | None = None
        self._migration: ReleaseMigrationService | None = None
        self._newer_releases: dict[int, list[str]] = {}
        self._pending_files: list[Path] = []
        self._last_folder: Path | None = None
        self._releases: list[ReleaseSummary] = []
        self._views: dict[int, WorkbookView] = {}
        self._titles: dict[int, str] = {}
        self.presentation: PresentationWindow | None = None
        self.comparison: ComparisonView | None = None
        self.undo_group = QUndoGroup(self)
        self.setWindowTitle(APP_NAME)

        # The catalogue and assessment pages are built on first use (the store opens right after
        # the first paint and fills them), so the window itself appears at once.
        self._browser: CatalogueBrowser | None = None
        self._assessment_list: AssessmentList | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.setCentralWidget(self.tabs)

        self.status_label = QLabel("Opening the store…")
        self.statusBar().addWidget(self.status_label, 1)
        self._build_menus()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tabs.tabCloseRequested.connect(self.close_assessment)
        self.setAcceptDrops(True)
        self._update_actions()
        self.resize(1280, 760)

    # -- the two fixed pages, built on first use ---------------------------------------------------
    @property
    def browser(self) -> CatalogueBrowser:
        self.build_pages()
        assert self._browser is not None
        return self._browser

    @property
    def assessment_list(self) -> AssessmentList:
        self.build_pages()
        assert self._assessment_list is not None
        return self._assessment_list

    def build_pages(self) -> None:
        """Put the Catalogue and Assessments pages in (once)."""
        if self._browser is not None:
            return
        from PySide6.QtCore import Qt

        from nesds_desktop.ui.views.assessment_list import AssessmentList
        from nesds_desktop.ui.views.catalogue_browser import CatalogueBrowser

        browser, listing = CatalogueBrowser(), AssessmentList()
        self._browser, self._assessment_list = browser, listing
        self.tabs.insertTab(CATALOGUE_TAB, browser, "Catalogue")
        self.tabs.insertTab(ASSESSMENTS_TAB, listing, "Assessments")
        bar = self.tabs.tabBar()
        for fixed in (CATALOGUE_TAB, ASSESSMENTS_TAB):  # these two stay open
            for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
                bar.setTabButton(fixed, side, None)
        self.tabs.setCurrentIndex(CATALOGUE_TAB)
        browser.releaseChanged.connect(self._on_release_changed)
        listing.openRequested.connect(self.open_assessment)
        listing.newRequested.connect(self.new_assessment)
        for action in (self.expand_action, self.collapse_action):
            # Keys of the catalogue only: in an assessment Ctrl+E adds an evidence reference.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            browser.addAction(action)

    # -- menus ----------------------------------------------------------------------------------
    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], object], *keys: QKeySequence | QKeySequence.StandardKey | str
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys])
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action(file_menu, "&New Assessment…", self.new_assessment, "Ctrl+N")
        self.open_action = self._action(file_menu, "&Open Assessment…", self.show_assessment_list, "Ctrl+O")
        self.open_file_action = self._action(file_menu, "Open &File…", self.choose_assessment_file, "Ctrl+Shift+O")
        self.duplicate_action = self._action(
            file_menu, "&Duplicate into New Round…", self.duplicate_assessment, "Ctrl+Shift+D"
        )
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        self.export_file_action = self._action(
            export_menu, "Assessment &file (.nesds)…", self.export_assessment_file, "Ctrl+Shift+S"
        )
        self.export_return_action = self._action(export_menu, "&Return (Excel)…", self.export_return, "Ctrl+Shift+X")
        self.export_plan_action = self._action(
            export_menu, "&Action plan (PDF)…", self.export_action_plan, "Ctrl+Shift+P"
        )
        import_menu = file_menu.addMenu("&Import")
        self.import_return_action = self._action(
            import_menu, "Edited &return…", self.import_edited_return, "Ctrl+Shift+M"
        )
        self.import_legacy_action = self._action(
            import_menu, "&Legacy returns…", self.import_legacy_returns, "Ctrl+Shift+L"
        )
        file_menu.addSeparator()
        self.close_action = self._action(file_menu, "&Close Assessment", self.close_assessment, "Ctrl+W")
        file_menu.addSeparator()
        self.preferences_action = self._action(file_menu, "&Preferences…", self.show_preferences, "Ctrl+,")
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, "Ctrl+Q")

        edit_menu = bar.addMenu("&Edit")
        # The current tab's stack, through the group; text typed but not yet committed goes first,
        # so Undo takes back the newest edit, whatever the user was doing.
        self.undo_action = self._action(edit_menu, "&Undo", lambda: self._step_stack(undo=True), "Ctrl+Z")
        # Both usual redo keys, on every platform: people bring habits from Windows and Linux alike.
        self.redo_action = self._action(
            edit_menu, "&Redo", lambda: self._step_stack(undo=False), "Ctrl+Shift+Z", "Ctrl+Y"
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.undo_group.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_group.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_group.undoTextChanged.connect(lambda text: self.undo_action.setText(_step_text("&Undo", text)))
        self.undo_group.redoTextChanged.connect(lambda text: self.redo_action.setText(_step_text("&Redo", text)))

        assessment_menu = bar.addMenu("&Assessment")
        self.authorities_action = self._action(assessment_menu, "&Authorities…", self.show_authorities, "Ctrl+Shift+U")
        self.details_action = self._action(assessment_menu, "&Details…", self.show_details, "Ctrl+Shift+I")
        self.actions_action = self._action(
            assessment_menu, "Action &Register", self._current_view_call("show_actions"), "Ctrl+Shift+R"
        )
        # "&Move": R is Action Register's letter in this menu.
        self.migrate_action = self._action(
            assessment_menu, "&Move to a Newer Release…", self.move_to_newer_release, "Ctrl+Shift+N"
        )
        assessment_menu.addSeparator()
        self.presentation_action = self._action(assessment_menu, "&Presentation View", self.toggle_presentation, "F5")
        self.presentation_action.setCheckable(True)
        self.presentation_larger_action = self._action(
            assessment_menu, "Presentation Text &Larger", lambda: self._zoom_presentation(+1), "Ctrl+Alt+="
        )
        self.presentation_smaller_action = self._action(
            assessment_menu, "Presentation Text &Smaller", lambda: self._zoom_presentation(-1), "Ctrl+Alt+-"
        )
        assessment_menu.addSeparator()
        self.zoom_in_action = self._action(
            assessment_menu, "Zoom &In", self._current_view_call("zoom_in"), QKeySequence.StandardKey.ZoomIn, "Ctrl+="
        )
        self.zoom_out_action = self._action(
            assessment_menu, "Zoom &Out", self._current_view_call("zoom_out"), QKeySequence.StandardKey.ZoomOut
        )
        self.zoom_reset_action = self._action(assessment_menu, "&Normal Size", self._reset_zoom, "Ctrl+0")

        view_menu = bar.addMenu("&View")
        # Alt+digit, as Ctrl+1 and Ctrl+2 switch pages inside an assessment.
        self.catalogue_tab_action = self._action(view_menu, "&Catalogue", self.show_catalogue_tab, "Alt+1")
        self.list_tab_action = self._action(view_menu, "&Assessments", self.show_assessment_list, "Alt+2")
        self.compare_tab_action = self._action(view_menu, "Co&mpare", self.show_comparison, "Alt+3")
        self.next_tab_action = self._action(view_menu, "&Next Tab", lambda: self._step_tab(+1), "Ctrl+PgDown")
        self.previous_tab_action = self._action(view_menu, "&Previous Tab", lambda: self._step_tab(-1), "Ctrl+PgUp")
        view_menu.addSeparator()
        self.find_action = self._action(view_menu, "&Find Criteria", self._focus_filter, QKeySequence.StandardKey.Find)
        self.expand_action = self._action(view_menu, "&Expand All", self._expand_catalogue, "Ctrl+E")
        self.collapse_action = self._action(view_menu, "C&ollapse All", self._collapse_catalogue, "Ctrl+Shift+E")

        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self._action(help_menu, "&Keyboard Shortcuts", self.show_shortcuts, "F1")
        self.about_action = self._action(help_menu, f"&About {APP_NAME}", self.show_about)
        self.about_qt_action = self._action(help_menu, "About &Qt", QApplication.aboutQt)

    def window_actions(self) -> list[QAction]:
        """Every command of the window's menus, submenus' commands included."""

        def commands(menu: QMenu) -> list[QAction]:
            found: list[QAction] = []
            for action in menu.actions():
                sub = action.menu()
                if isinstance(sub, QMenu):
                    found += commands(sub)
                elif not action.isSeparator():
                    found.append(action)
            return found

        menus = [a.menu() for a in self.menuBar().actions()]
        return [a for m in menus if isinstance(m, QMenu) for a in commands(m)]

    def _give_way(self, view: QWidget) -> None:
        """Take from the view's own actions the keys the window's menus already answer.

        Two actions on one key are ambiguous and Qt fires neither; the window's action (undo
        through the QUndoGroup, zoom of the current view) does the same work for every tab.
        """
        from PySide6.QtCore import Qt

        taken = {
            key.toString()
            for action in self.window_actions()
            if action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
            for key in action.shortcuts()
        }
        for action in view.actions():
            keys = action.shortcuts()
            kept = [key for key in keys if key.toString() not in taken]
            if len(kept) != len(keys):
                action.setShortcuts(kept)

    def _step_stack(self, *, undo: bool) -> None:
        view = self.current_view()
        if view is None:
            return
        view.flush_pending_edits()
        if undo:
            self.undo_group.undo()
        else:
            self.undo_group.redo()

    def _current_view_call(self, method: str) -> Callable[[], None]:
        def call() -> None:
            view = self.current_view()
            if view is not None:
                getattr(view, method)()

        return call

    def _update_actions(self) -> None:
        has_service = self.service is not None
        has_view = self.current_view() is not None
        for action in (
            self.new_action,
            self.open_action,
            self.open_file_action,
            self.import_return_action,
            self.import_legacy_action,
            self.preferences_action,
            self.authorities_action,
            self.compare_tab_action,
        ):
            action.setEnabled(has_service)
        for action in (
            self.duplicate_action,
            self.close_action,
            self.details_action,
            self.actions_action,
            self.export_file_action,
            self.export_return_action,
            self.export_plan_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.zoom_reset_action,
        ):
            action.setEnabled(has_view)
        view = self.current_view()
        self.migrate_action.setEnabled(view is not None and bool(self.newer_releases(view.assessment_id())))
        self.presentation_action.setEnabled(has_service)
        shown = self.presentation is not None and self.presentation.isVisible()
        self.presentation_action.setChecked(shown)
        self.presentation_larger_action.setEnabled(shown)
        self.presentation_smaller_action.setEnabled(shown)

    # -- fed by the composition root -----------------------------------------------------------
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

    def attach_workbook(self, service: WorkbookService) -> None:
        """The store is open: assessments can be listed, started, opened, exchanged and exported."""
        from nesds_desktop.services.exchange_service import ExchangeService

        self.service = service
        self.exchange = ExchangeService.for_workbook(service)
        service.listeners.append(self._on_store_changed)
        self.assessment_list.set_service(service)
        self._update_actions()

    def refresh_catalogue(self) -> None:
        """The releases in the store changed (a file brought one, or its merge was undone)."""
        from nesds_desktop.services import catalogue_service

        if self.service is None:
            return
        store = self.service.store
        self._releases = catalogue_service.list_releases(store)
        self.browser.set_catalogue(self._releases, lambda rid: catalogue_service.get_release(store, rid))
        self._newer_releases.clear()
        self._update_actions()

    def show_store_problem(self, title: str, message: str) -> None:
        self.status_label.setText(message)
        self.feedback.error(title, message)

    def ask_store_way_out(self, message: str, backup: Path | None, locked: bool) -> StoreChoice:
        """The store cannot be opened: say why, and let the user choose how to go on."""
        self.status_label.setText(message)
        choices = []
        if locked:
            choices.append(StoreWayOut.TRY_AGAIN)
        if backup is not None:
            choices.append(StoreWayOut.OPEN_BACKUP)
        choices += [StoreWayOut.OTHER_FOLDER, StoreWayOut.QUIT]
        if backup is not None:
            details = (
                f"The newest backup is {backup.name}. Opening it moves the damaged file aside (it is kept, "
                "not deleted) and puts a copy of the backup in its place; edits made after the backup was "
                "taken stay in the file moved aside."
            )
        elif locked:
            details = "Close the other program using the store, then try again, or work in another data folder."
        else:
            details = "There is no backup in the data folder's backups folder. You can work in another data folder."
        answer = self.feedback.ask("The store cannot be opened", message, [w.value for w in choices], details=details)
        way = next((w for w in choices if w.value == answer), StoreWayOut.QUIT)
        if way is StoreWayOut.OTHER_FOLDER:
            folder = self.feedback.choose_folder("Choose a data folder", self.data_dir)
            if folder is None:
                return StoreChoice(StoreWayOut.QUIT)
            return StoreChoice(way, folder)
        return StoreChoice(way)

    # -- the tabs -------------------------------------------------------------------------------
    def current_view(self) -> WorkbookView | None:
        widget = self.tabs.currentWidget()
        return next((view for view in self._views.values() if view is widget), None)

    def open_views(self) -> list[WorkbookView]:
        return list(self._views.values())

    def view_for(self, assessment_id: int) -> WorkbookView | None:
        return self._views.get(assessment_id)

    def open_assessment(self, assessment_id: int) -> WorkbookView | None:
        """Show the assessment in its tab, opening one if it is not open yet."""
        from nesds_desktop.services.workbook_service import NotFoundError, WorkbookError
        from nesds_desktop.ui.views.workbook_view import WorkbookView  # its cost is paid when first used

        if assessment_id in self._views:
            view = self._views[assessment_id]
            self.tabs.setCurrentWidget(view)
            view.setFocus()
            return view
        if self.service is None:
            return None
        try:
            summary = self.service.get_assessment(assessment_id)
            view = WorkbookView(self.service, assessment_id, self.feedback)
        except (NotFoundError, WorkbookError) as error:
            self.feedback.error("The assessment cannot be opened", str(error))
            return None
        self._views[assessment_id] = view
        self._give_way(view)
        self._titles[assessment_id] = short_title(summary)
        self.undo_group.addStack(view.undo_stack)
        view.undo_stack.indexChanged.connect(self._update_title)
        view.undo_stack.cleanChanged.connect(self._update_title)
        view.currentCriterionChanged.connect(lambda ref, v=view: self._on_criterion_changed(v, ref))
        index = self.tabs.addTab(view, self._titles[assessment_id])
        self.tabs.setTabToolTip(index, summary.title)
        self.tabs.setCurrentIndex(index)
        view.setFocus()
        return view

    def show_comparison(self) -> ComparisonView | None:
        """Open (or go to) the Compare tab: peers, progress over rounds, portfolio.

        Built on first use, as its queries are not needed to start a workshop; it follows the
        authority of the assessment open when it is asked for.
        """
        if self.service is None:
            return None
        from nesds_desktop.services.comparison_service import ComparisonService
        from nesds_desktop.ui.views.comparison_view import ComparisonView

        summary = self._current_summary()
        if self.comparison is None:
            self.comparison = ComparisonView(ComparisonService(self.service.store), self.feedback)
            self.tabs.addTab(self.comparison, "Compare")
        else:
            self.comparison.refresh()
        if summary is not None:
            self.comparison.set_authority(summary.authority.id)
        self.tabs.setCurrentWidget(self.comparison)
        return self.comparison

    def close_assessment(self, index: int | None = None) -> bool:
        """Close an assessment's tab (the current one by default); its pending text is saved first."""
        widget = self.tabs.currentWidget() if index is None or isinstance(index, bool) else self.tabs.widget(index)
        comparison = self.comparison
        if comparison is not None and widget is comparison:
            self.tabs.removeTab(self.tabs.indexOf(comparison))
            comparison.deleteLater()
            self.comparison = None
            return True
        assessment_id = next((aid for aid, view in self._views.items() if view is widget), None)
        if assessment_id is None:
            return False
        view = self._views.pop(assessment_id)
        view.flush_pending_edits()
        self._titles.pop(assessment_id, None)
        self.undo_group.removeStack(view.undo_stack)
        self.tabs.removeTab(self.tabs.indexOf(view))
        view.close()
        view.deleteLater()
        if self.presentation is not None and self.presentation.assessment_id == assessment_id:
            self._present_current()
        self._update_title()
        self._update_actions()
        return True

    def show_catalogue_tab(self) -> None:
        self.tabs.setCurrentWidget(self.browser)
        self.browser.tree.setFocus()

    def show_assessment_list(self) -> None:
        self.tabs.setCurrentWidget(self.assessment_list)
        self.assessment_list.table.setFocus()

    def _step_tab(self, step: int) -> None:
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def _on_tab_changed(self, _index: int) -> None:
        view = self.current_view()
        self.undo_group.setActiveStack(view.undo_stack if view is not None else None)  # type: ignore[arg-type]
        if view is not None:
            self._present_current()
        self._update_title()
        self._update_actions()

    def _on_criterion_changed(self, view: WorkbookView, ref: str) -> None:
        if view is self.current_view() and self.presentation is not None:
            self.presentation.follow(ref)

    def _on_store_changed(self, assessment_id: int) -> None:
        if not Shiboken.isValid(self):  # the window is gone: stop listening
            if self.service is not None and self._on_store_changed in self.service.listeners:
                self.service.listeners.remove(self._on_store_changed)
            return
        self.assessment_list.mark_stale()
        view = self.current_view()
        if view is not None and view.assessment_id() == assessment_id:
            self._update_status(assessment_id)

    # -- the title and status bar ---------------------------------------------------------------
    def _update_title(self) -> None:
        view = self.current_view()
        if view is None:
            self.setWindowTitle(APP_NAME)
            return
        title = f"{APP_NAME} — {self._titles.get(view.assessment_id(), '')}"
        mark = edit_mark(view.undo_stack, _keys(self.undo_action), _keys(self.redo_action))
        self.setWindowTitle(f"{title} — {mark}" if mark else title)
        self._update_status(view.assessment_id())

    def _update_status(self, assessment_id: int) -> None:
        from nesds_desktop.services.workbook_service import NotFoundError

        if self.service is None:
            return
        try:
            summary = self.service.get_assessment(assessment_id)
        except NotFoundError:
            return
        self.status_label.setText(
            f"{short_title(summary)}: {summary.level_label} · {summary.answered} of {summary.total} answered · "
            f"every edit is saved as it is made"
        )

    # -- dialogs --------------------------------------------------------------------------------
    def new_assessment(self) -> NewAssessmentDialog | None:
        from nesds_desktop.ui.dialogs.new_assessment_dialog import NewAssessmentDialog

        if self.service is None:
            return None
        dialog = NewAssessmentDialog(self.service, self._releases, self)
        dialog.accepted.connect(lambda: self._opened_from(dialog.saved))
        dialog.open()
        return dialog

    def _opened_from(self, summary: AssessmentSummary | None) -> None:
        if summary is None:
            return
        self.assessment_list.mark_stale()
        self.open_assessment(summary.id)

    def show_details(self) -> NewAssessmentDialog | None:
        from nesds_desktop.ui.dialogs.new_assessment_dialog import NewAssessmentDialog

        view = self.current_view()
        if view is None or self.service is None:
            return None
        existing = self.service.get_assessment(view.assessment_id())
        dialog = NewAssessmentDialog(self.service, self._releases, self, existing=existing)
        dialog.accepted.connect(lambda: self._details_saved(dialog.saved))
        dialog.open()
        return dialog

    def _details_saved(self, summary: AssessmentSummary | None) -> None:
        if summary is None or summary.id not in self._views:
            return
        self._titles[summary.id] = short_title(summary)
        index = self.tabs.indexOf(self._views[summary.id])
        self.tabs.setTabText(index, self._titles[summary.id])
        self.tabs.setTabToolTip(index, summary.title)
        self._views[summary.id].refresh()
        self.assessment_list.mark_stale()
        if self.presentation is not None:
            self.presentation.refresh()
        self._update_title()

    def duplicate_assessment(self) -> DuplicateRoundDialog | None:
        from nesds_desktop.ui.dialogs.duplicate_round_dialog import DuplicateRoundDialog

        view = self.current_view()
        if view is None or self.service is None:
            return None
        view.flush_pending_edits()
        dialog = DuplicateRoundDialog(self.service, self.service.get_assessment(view.assessment_id()), self)
        dialog.accepted.connect(lambda: self._opened_from(dialog.created))
        dialog.open()
        return dialog

    def show_authorities(self) -> AuthorityRegisterDialog | None:
        from nesds_desktop.ui.dialogs.authority_dialog import AuthorityRegisterDialog

        if self.service is None:
            return None
        dialog = AuthorityRegisterDialog(self.service, self)
        dialog.authoritySaved.connect(lambda _id: self.assessment_list.mark_stale())
        dialog.open()
        return dialog

    def show_preferences(self) -> PreferencesDialog | None:
        from nesds_desktop.ui.dialogs.preferences_dialog import PreferencesDialog

        if self.service is None:
            return None
        dialog = PreferencesDialog(self.service, self)
        dialog.open()
        return dialog

    def shortcut_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        from nesds_desktop.ui.dialogs.shortcuts_overlay import menu_shortcuts

        groups = [(title, list(entries)) for title, entries in menu_shortcuts(self.menuBar())]
        view = self.current_view()
        if view is not None:
            groups.insert(0, (f"Assessment: {self._titles.get(view.assessment_id(), '')}", view.shortcut_help()))
        return groups

    def show_shortcuts(self) -> ShortcutsOverlay:
        from nesds_desktop.ui.dialogs.shortcuts_overlay import ShortcutsOverlay

        overlay = ShortcutsOverlay(self.shortcut_groups(), self)
        overlay.open()
        return overlay

    def show_about(self) -> AboutDialog:
        from nesds_desktop.ui.dialogs.about_dialog import AboutDialog  # rarely opened: not worth its start-up cost

        dialog = AboutDialog(self.data_dir, self._releases, self)
        dialog.open()
        return dialog

    # -- assessment files: open, drop, double-click ---------------------------------------------
    def choose_assessment_file(self) -> None:
        path = self.feedback.choose_open_file(
            "Open assessment file", self._last_folder or self.data_dir, ASSESSMENT_FILE_FILTER
        )
        if path is not None:
            self._last_folder = path.parent
            self.open_assessment_file(path)

    def request_open_file(self, path: Path) -> None:
        """Open ``path`` once the store is attached (a double-click may come before it is)."""
        if self.exchange is None:
            self._pending_files.append(path)
        else:
            QTimer.singleShot(0, lambda: self.open_assessment_file(path))

    def open_pending_files(self) -> None:
        """Open the files asked for before the store was attached (called by the composition root)."""
        pending, self._pending_files = self._pending_files, []
        for path in pending:
            self.open_assessment_file(path)

    def open_assessment_file(self, path: Path) -> AppliedMerge | None:
        """Preview ``path`` in the merge dialog; once applied, show each assessment and make each
        merge one undo step on that assessment's stack.  None when nothing was applied."""
        from nesds_desktop.ui.dialogs.merge_dialog import MergeDialog
        from nesds_desktop.ui.undo.merge_command import MergeCommand

        if self.exchange is None:
            self._pending_files.append(path)
            return None
        self.flush_all()  # typed notes belong in the store before it is compared with the file
        dialog = MergeDialog.for_file(self.exchange, path, self.feedback, self)
        if dialog is None:  # the problem was already explained
            return None
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        applied = dialog.applied
        dialog.deleteLater()
        if not accepted or applied is None:
            return None
        for part in applied.parts:
            view = self.open_assessment(part.assessment_id)
            if view is None or part.is_new:
                continue
            view.undo_stack.push(  # the push does not merge again
                MergeCommand(
                    self.exchange,
                    applied,
                    part.assessment_id,
                    notify=partial(self._after_merge_step, applied),
                    report=partial(self._report_step, view),
                )
            )
        if applied.releases:
            self.refresh_catalogue()
        self.assessment_list.mark_stale()
        added, merged = len(applied.added_ids), len(applied.merged_ids)
        self.status_label.setText(
            f"{path.name} opened: {plural(added, 'assessment')} added, {plural(merged, 'assessment')} merged"
            + (f" ({_keys(self.undo_action)} undoes a merge)" if merged else "")
        )
        return applied

    def _after_merge_step(self, applied: AppliedMerge, _ref: str | None) -> None:
        """A merge was undone or redone: the releases it brought may have gone or come back."""
        if applied.releases:
            self.refresh_catalogue()
        self.assessment_list.mark_stale()

    def _report_step(self, view: WorkbookView, what: str, error: Exception) -> None:
        self.feedback.error("The change could not be made", f"{what}: {error}")
        view.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.exchange is not None and dropped_assessment_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self.exchange is not None and dropped_assessment_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = dropped_assessment_files(event.mimeData())
        if self.exchange is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # After the drop returns: the dialog is modal, and the dragging application waits for us.
        QTimer.singleShot(0, lambda: self._open_files(paths))

    def _open_files(self, paths: list[Path]) -> None:
        for path in paths:
            self.open_assessment_file(path)

    # -- export and import ----------------------------------------------------------------------
    def _save_path(self, title: str, name: str, filters: str, suffix: str) -> Path | None:
        start = self._last_folder or _documents_folder()
        path = self.feedback.choose_save_file(title, start / name, filters)
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._last_folder = path.parent
        return path

    def _current_summary(self) -> AssessmentSummary | None:
        view = self.current_view()
        if view is None or self.service is None:
            return None
        self.flush_all()
        return self.service.get_assessment(view.assessment_id())

    def _written(self, title: str, text: str, path: Path) -> None:
        self.status_label.setText(f"Written: {path}")
        self.feedback.offer_folder(title, text, path.parent)

    def export_assessment_file(self) -> Path | None:
        """The current assessment as a .nesds file to send by email; notes and names may be left out."""
        summary = self._current_summary()
        if summary is None or self.exchange is None:
            return None
        answer = self.feedback.ask(
            "Export an assessment file",
            f"Export {summary.title} as an assessment file to send. Keep the evidence notes and people's names "
            "in it, or leave them out?",
            [KEEP_NAMES, LEAVE_OUT_NAMES],
            details="A file without notes and names can be opened elsewhere as a new copy, but it can never be "
            "merged back into this assessment.",
        )
        if answer is None:
            return None
        name = _safe_file_name(f"{summary.authority.name} {summary.standard_code} {summary.round.label}")
        path = self._save_path(
            "Export assessment file", name + ASSESSMENT_FILE_SUFFIX, ASSESSMENT_FILE_FILTER, ".nesds"
        )
        if path is None:
            return None
        from nesds_desktop.services.exchange_service import ExchangeError

        progress = _Progress(self, f"Writing {path.name}…")
        try:
            # The save dialog has already asked before replacing a file.
            outcome = self.exchange.export([summary.id], path, redact_names=answer == LEAVE_OUT_NAMES, overwrite=True)
        except ExchangeError as error:
            self.feedback.error("The assessment file was not written", str(error))
            return None
        finally:
            progress.close()
        left_out = " Evidence notes and people's names were left out." if outcome.redacted else ""
        self._written(
            "Assessment file written",
            f"{summary.title} was written to {path} ({_size(outcome.file_bytes)}).{left_out}",
            path,
        )
        return path

    def export_return(self) -> Path | None:
        """The return of the current assessment's authority for its round: every standard it assessed."""
        from nesds_desktop.services.return_service import ReturnError, export_return, return_assessment_ids

        summary = self._current_summary()
        if summary is None or self.service is None:
            return None
        ids = return_assessment_ids(self.service, summary.authority.id, summary.round)
        name = _safe_file_name(f"{summary.authority.name} return {summary.round.label}") + ".xlsx"
        path = self._save_path("Export the return", name, "Excel workbooks (*.xlsx)", ".xlsx")
        if path is None:
            return None
        progress = _Progress(self, f"Writing the return for {summary.authority.name}, {summary.round.label}…")
        try:
            exported = export_return(self.service, ids, path, progress=progress)
        except (ReturnError, OSError) as error:
            self.feedback.error("The return was not written", str(error))
            return None
        finally:
            progress.close()
        warnings = "".join(f"\n\n{warning}." for warning in exported.warnings)
        self._written(
            "Return written",
            f"The return for {summary.authority.name}, {summary.round.label} "
            f"({plural(exported.assessments, 'standard')}: {', '.join(exported.sheets)}) was written to {path}: "
            f"{plural(exported.criteria, 'criterion', 'criteria')}, {plural(exported.actions, 'action')}.{warnings}",
            path,
        )
        return path

    def export_action_plan(self) -> Path | None:
        from nesds_desktop.services.action_plan_service import ActionPlanError, export_action_plan, suggested_file_name

        summary = self._current_summary()
        if summary is None or self.service is None:
            return None
        path = self._save_path("Export the action plan", suggested_file_name(summary), "PDF documents (*.pdf)", ".pdf")
        if path is None:
            return None
        progress = _Progress(self, f"Writing the action plan for {summary.title}…")
        try:
            export_action_plan(self.service, summary.id, path, progress=progress)
        except ActionPlanError as error:
            self.feedback.error("The action plan was not written", str(error))
            return None
        finally:
            progress.close()
        self._written("Action plan written", f"The action plan for {summary.title} was written to {path}.", path)
        return path

    def import_edited_return(self) -> None:
        """Read a return edited outside the workbook, show what it changes, and apply it if asked."""
        from nesds_desktop.services.return_service import ReturnError, apply_return_import, preview_return_import
        from nesds_desktop.ui.dialogs.return_import_dialog import ReturnImportDialog

        if self.service is None:
            return
        path = self.feedback.choose_open_file(
            "Import an edited return",
            self._last_folder or _documents_folder(),
            "Spreadsheets (*.xlsx *.xlsm *.xls *.ods);;All files (*)",
        )
        if path is None:
            return
        self._last_folder = path.parent
        self.flush_all()
        try:
            preview = preview_return_import(self.service, path)
        except ReturnError as error:
            self.feedback.error(f"{path.name} cannot be imported", f"{error}\n\nNothing in the store was changed.")
            return
        dialog = ReturnImportDialog(preview, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        try:
            applied = apply_return_import(self.service, preview)
        except Exception as error:  # refused, or a locked or damaged store part-way
            self.feedback.error("The return was not applied in full", str(error))
            applied = None
        for view in self._views.values():
            view.refresh()
        self.assessment_list.mark_stale()
        if applied is None:
            return
        skipped = "".join(f"\n{line}" for line in applied.skipped)
        text = f"{plural(applied.applied, 'change')} from {path.name} applied."
        if skipped:
            text += f"\n\nLeft out, because they changed after the preview:{skipped}"
        self.status_label.setText(text.splitlines()[0])
        self.feedback.information("Return imported", text)

    def import_legacy_returns(self) -> LegacyImportWizard | None:
        """Open the wizard that brings in returns councils kept in their own spreadsheets."""
        from PySide6.QtCore import Qt

        from nesds_desktop.ui.dialogs.legacy_import_wizard import LegacyImportWizard

        if self.service is None:
            return None
        self.flush_all()
        wizard = LegacyImportWizard(self.service, self.feedback, self, self._last_folder or _documents_folder())
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(lambda _result: self._after_legacy_import(wizard))
        wizard.open()
        return wizard

    def _after_legacy_import(self, wizard: LegacyImportWizard) -> None:
        if not wizard.applied:
            return
        for view in self._views.values():
            view.refresh()
        self.assessment_list.mark_stale()
        imported = sum(result.imported for result in wizard.applied.values())
        self.status_label.setText(
            f"{plural(imported, 'criterion', 'criteria')} imported from {plural(len(wizard.applied), 'return')}"
        )

    # -- catalogue releases ---------------------------------------------------------------------
    def migration_service(self) -> ReleaseMigrationService | None:
        from nesds_desktop.services.release_migration_service import ReleaseMigrationService

        if self.service is None:
            return None
        if self._migration is None:
            self._migration = ReleaseMigrationService(self.service.store, self.service.author)
            self._migration.listeners = self.service.listeners  # so the list and status follow a move
        self._migration.author = self.service.author  # the preferences may have changed it
        return self._migration

    def newer_releases(self, assessment_id: int) -> list[str]:
        """The releases the assessment can move to (remembered until a move or a catalogue change)."""
        if assessment_id not in self._newer_releases:
            migration = self.migration_service()
            try:
                found = migration.newer_releases(assessment_id) if migration is not None else []
            except Exception:  # a missing assessment or a damaged crosswalk: nothing to offer
                found = []
            self._newer_releases[assessment_id] = found
        return self._newer_releases[assessment_id]

    def move_to_newer_release(self) -> None:
        """Preview the move of the current assessment to a newer release; on Apply, reopen it there."""
        from nesds_desktop.ui.dialogs.release_migration_dialog import ReleaseMigrationDialog

        view = self.current_view()
        migration = self.migration_service()
        if view is None or migration is None:
            return
        assessment_id = view.assessment_id()
        releases = self.newer_releases(assessment_id)
        if not releases:
            return
        view.flush_pending_edits()
        dialog = ReleaseMigrationDialog(migration, assessment_id, releases, self.feedback, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        migrated = dialog.migrated
        dialog.deleteLater()
        if not accepted or migrated is None:
            return
        # The undo stack speaks of the old release's criteria: the view starts again.
        self.close_assessment(self.tabs.indexOf(view))
        self._newer_releases.pop(assessment_id, None)
        self.assessment_list.mark_stale()
        self.open_assessment(assessment_id)
        self.status_label.setText(
            f"{migrated.assessment_title} now uses {migrated.to_release}: "
            f"{plural(len(migrated.to_confirm), 'answer')} to confirm, "
            f"{plural(len(migrated.new), 'new criterion', 'new criteria')}"
        )

    # -- the presentation view ------------------------------------------------------------------
    def toggle_presentation(self) -> PresentationWindow:
        from nesds_desktop.ui.views.presentation_window import PresentationWindow

        if self.presentation is None:
            self.presentation = PresentationWindow(self)
            self.presentation.shownChanged.connect(lambda _shown: self._update_actions())
        if not self.presentation.isVisible():
            self._present_current()
        self.presentation.toggle(self.screen())
        self.activateWindow()  # the facilitator keeps the keyboard
        self._update_actions()
        return self.presentation

    def _present_current(self) -> None:
        if self.presentation is None:
            return
        view = self.current_view() or next(iter(self._views.values()), None)
        if view is None or self.service is None:
            self.presentation.clear()
        elif self.presentation.assessment_id != view.assessment_id():
            self.presentation.show_assessment(self.service, view.assessment_id(), view.current_ref())
        else:
            self.presentation.follow(view.current_ref())

    def _zoom_presentation(self, step: int) -> None:
        if self.presentation is not None:
            (self.presentation.zoom_in if step > 0 else self.presentation.zoom_out)()

    def _reset_zoom(self) -> None:
        view = self.current_view()
        if view is not None:
            view.set_zoom(1.0)

    # -- the catalogue --------------------------------------------------------------------------
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
        self.tabs.setCurrentWidget(self.browser)
        self.browser.filter_edit.setFocus()
        self.browser.filter_edit.selectAll()

    def _expand_catalogue(self) -> None:
        self.tabs.setCurrentWidget(self.browser)
        self.browser.tree.expandAll()

    def _collapse_catalogue(self) -> None:
        self.tabs.setCurrentWidget(self.browser)
        self.browser.tree.collapseAll()

    # -- closing --------------------------------------------------------------------------------
    def flush_all(self) -> None:
        for view in self._views.values():
            view.flush_pending_edits()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.flush_all()
        if self.presentation is not None:
            self.presentation.close()
        if self.service is not None and self._on_store_changed in self.service.listeners:
            self.service.listeners.remove(self._on_store_changed)
        super().closeEvent(event)


def _step_text(verb: str, step: str) -> str:
    return f"{verb} {step}" if step else verb


def _keys(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def _safe_file_name(name: str) -> str:
    """A name every file system takes: "2006/07" becomes "2006-07", other awkward characters spaces."""
    cleaned = name.replace("/", "-")
    return " ".join("".join(" " if c in '\\:*?"<>|' or ord(c) < 32 else c for c in cleaned).split())


def _documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"
