"""Composition root: parse the command line, then run a command or open the window.

The window is shown before the store and catalogue are opened (they import
SQLAlchemy, which costs more than Qt itself), so the user sees it at once.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from nesds_desktop.cli import parse, run_command


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        # The usual double-click start: skip building the whole command-line parser.
        return run_gui(argparse.Namespace(command=None, data_dir=None, smoke=False))
    args = parse(arguments)
    if args.command:
        return run_command(args)
    return run_gui(args)


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from nesds_desktop._version import APP_NAME, __version__
    from nesds_desktop.ui.feedback import ConsoleFeedback
    from nesds_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("NeSDS Workbook")
    window = MainWindow(feedback=ConsoleFeedback() if args.smoke else None)
    window.show()
    shown_at = time.time()
    status = {"code": 0}

    def open_store_and_catalogue() -> None:
        status["code"] = attach_store(window, args.data_dir)
        if args.smoke:
            print(f"window shown at {shown_at:.6f}", flush=True)
            print(f"catalogue ready at {time.time():.6f}", flush=True)
            app.quit()

    QTimer.singleShot(0, open_store_and_catalogue)
    app.exec()
    return status["code"]


def attach_store(window: object, data_dir_option: str | None) -> int:
    """Open the store, load the bundled catalogue, and show it; 0 when all went well."""
    from nesds_desktop.services import catalogue_service
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.store_access import StoreError, open_data_store
    from nesds_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    data_dir = resolve_data_dir(data_dir_option)
    try:
        store = open_data_store(data_dir)
    except StoreError as exc:
        window.show_store_problem("The store cannot be opened", str(exc))
        return 1
    window.destroyed.connect(store.close)
    report = catalogue_service.load_bundled_releases(store)
    if report.problems:
        details = "\n".join(str(p) for p in report.problems[:10])
        window.feedback.warning("Bundled catalogue problem", f"Some bundled releases could not be loaded:\n{details}")
    window.show_catalogue(
        data_dir, catalogue_service.list_releases(store), lambda rid: catalogue_service.get_release(store, rid)
    )
    return 0 if not report.problems else 1
