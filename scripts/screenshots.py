"""``make screenshots``: render the main screens offscreen into docs/ (never edited by hand)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QWidget

from nesds_desktop.app import attach_store
from nesds_desktop.ui.feedback import ConsoleFeedback
from nesds_desktop.ui.main_window import MainWindow

SIZE = (1366, 768)  # the commonest laptop and projector resolution in councils


def _find(window: MainWindow, text_start: str) -> QModelIndex:
    proxy = window.browser.proxy
    matches = proxy.match(proxy.index(0, 0), 0, text_start, 1, _match_flags())
    if not matches:
        raise LookupError(text_start)
    return matches[0]


def _match_flags() -> Qt.MatchFlag:
    return Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path}")


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(feedback=ConsoleFeedback())
    window.resize(*SIZE)
    window.show()
    with tempfile.TemporaryDirectory() as data:
        if attach_store(window, data) != 0:
            return 1
        window.data_dir = Path("~/.local/share/NeSDS Workbook")  # show the usual folder, not the temporary one
        criterion = _find(window, "ICT-3-P2")
        window.browser.tree.expand(criterion.parent().parent())
        window.browser.tree.expand(criterion.parent())
        window.browser.tree.setCurrentIndex(criterion)
        window.browser.tree.scrollTo(criterion)
        window._on_release_changed("")  # refresh the status text with the folder shown above
        _save(window, out_dir / "main-window.png")
        about = window.show_about()
        about.resize(640, 560)
        _save(about, out_dir / "about.png")
        about.close()
        window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs")))
