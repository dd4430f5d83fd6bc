"""Composition root: parse the command line, then run a command or open the window.

The window is shown before the store and catalogue are opened (they import
SQLAlchemy, which costs more than Qt itself), so the user sees it at once.  A lone
argument naming an assessment file (.nesds), as a double-click gives, opens the window
and then that file; on macOS the file comes as a FileOpen event instead.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nesds_desktop.storage.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if "-c" in arguments or "--multiprocessing-fork" in arguments:
        # An installed app started again as a multiprocessing helper (see worker_launch).
        from nesds_desktop.worker_launch import serve_if_worker

        if serve_if_worker(arguments):
            return 0
    # NESDS_SMOKE=1 lets start-up checks and benchmarks time exactly the double-click paths.
    smoke = os.environ.get("NESDS_SMOKE") == "1"
    if not arguments:
        # The usual double-click start: skip building the whole command-line parser.
        return run_gui(GuiOptions(smoke=smoke))
    opened = assessment_file_argument(arguments)
    if opened is not None:
        return run_gui(GuiOptions(smoke=smoke, open_file=opened))
    from nesds_desktop.cli import parse, run_command  # the whole parser: only when there are arguments

    args = parse(arguments)
    if args.command:
        return run_command(args)
    return run_gui(GuiOptions(data_dir=args.data_dir, smoke=args.smoke))


def assessment_file_argument(arguments: Sequence[str]) -> Path | None:
    """The assessment file when the only argument names one (a double-clicked .nesds file), else None."""
    if len(arguments) != 1 or not arguments[0].lower().endswith(".nesds"):
        return None  # decided without importing the exchange service (and SQLAlchemy with it)
    from nesds_desktop.services.exchange_service import exchange_path_argument

    return exchange_path_argument(arguments[0])


class GuiOptions:
    """How the window starts.  A plain class: argparse is not worth importing for a double-click."""

    def __init__(self, data_dir: str | None = None, smoke: bool = False, open_file: Path | None = None) -> None:
        self.data_dir = data_dir
        self.smoke = smoke
        self.open_file = open_file


def run_gui(args: GuiOptions) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from nesds_desktop._version import APP_NAME, __version__
    from nesds_desktop.ui.feedback import ConsoleFeedback
    from nesds_desktop.ui.main_window import FileOpenFilter, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("NeSDS Workbook")
    window = MainWindow(feedback=ConsoleFeedback() if args.smoke else None)
    app.installEventFilter(FileOpenFilter(window))
    if args.open_file is not None:
        window.request_open_file(args.open_file)  # opened by attach_store, once the store is open
    window.show()
    shown_at = time.time()
    shown_cpu = time.process_time()  # CPU time: what the start cost, whatever else the machine runs
    status = {"code": 0}

    def open_store_and_catalogue() -> None:
        from nesds_desktop.ui.icons import set_application_identity

        # The pages first, painted while the store opens (its libraries take a moment to load).
        window.build_pages()
        app.processEvents()
        # After the first paint: rendering the SVG icon is not worth delaying the window for.
        set_application_identity(app)
        status["code"] = attach_store(window, args.data_dir)
        if args.smoke:
            print(f"window shown at {shown_at:.6f}", flush=True)
            print(f"window shown cpu {shown_cpu:.6f}", flush=True)
            print(f"catalogue ready at {time.time():.6f}", flush=True)
            app.quit()

    QTimer.singleShot(0, open_store_and_catalogue)
    app.exec()
    return status["code"]


def attach_store(window: object, data_dir_option: str | None) -> int:
    """Open the store, load the bundled catalogue, and show it; 0 when all went well.

    A store that cannot be opened (damaged, locked, from a newer version) is explained and
    the user chooses a way out: the newest backup, another data folder, or quitting.
    """
    from nesds_desktop.services import catalogue_service, preferences
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.workbook_service import WorkbookService
    from nesds_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    opened = _open_store_or_way_out(window, resolve_data_dir(data_dir_option))
    if opened is None:
        window.close()
        return 1
    store, data_dir = opened
    window.destroyed.connect(store.close)
    report = catalogue_service.load_bundled_releases(store)
    if report.problems:
        details = "\n".join(str(p) for p in report.problems[:10])
        window.feedback.warning("Bundled catalogue problem", f"Some bundled releases could not be loaded:\n{details}")
    window.show_catalogue(
        data_dir, catalogue_service.list_releases(store), lambda rid: catalogue_service.get_release(store, rid)
    )
    window.attach_workbook(WorkbookService(store, preferences.author_name(store)))
    window.open_pending_files()  # a double-clicked assessment file, or one macOS sent
    return 0 if not report.problems else 1


def _open_store_or_way_out(window: object, data_dir: Path) -> tuple[Store, Path] | None:
    from nesds_desktop.services.store_access import StoreError, newest_backup, open_data_store, restore_backup
    from nesds_desktop.ui.main_window import MainWindow, StoreWayOut

    assert isinstance(window, MainWindow)
    while True:
        try:
            return open_data_store(data_dir), data_dir
        except StoreError as error:
            locked = error.locked
            # Never swap files under a store another program holds open.
            backup = None if locked else newest_backup(data_dir)
            choice = window.ask_store_way_out(str(error), backup, locked)
        if choice.way is StoreWayOut.OPEN_BACKUP and backup is not None:
            try:
                aside = restore_backup(data_dir, backup)
            except OSError as problem:
                window.feedback.error("The backup cannot be put in place", str(problem))
                continue
            window.feedback.information(
                "Backup opened",
                f"The store that could not be opened was moved aside to {aside.name} (it is kept, not deleted), "
                f"and the backup {backup.name} now takes its place in {data_dir}.",
            )
        elif choice.way is StoreWayOut.OTHER_FOLDER and choice.folder is not None:
            data_dir = choice.folder
        elif choice.way is not StoreWayOut.TRY_AGAIN:
            return None
