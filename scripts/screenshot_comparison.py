"""Render the comparison pages offscreen at 1366x768 into docs/ from a small demo store.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_comparison.py [docs]

Writes comparison-peers.png, comparison-progress.png and comparison-portfolio.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from nesds_desktop.services import catalogue_service
from nesds_desktop.services.comparison_service import ComparisonService
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store
from nesds_desktop.ui.feedback import ConsoleFeedback
from nesds_desktop.ui.views.comparison_view import ComparisonView

SIZE = (1366, 768)


def main(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        try:
            catalogue_service.load_bundled_releases(store)
            fill_demo_store(WorkbookService(store, "screenshots"), 40, 3, seed=2006)
            view = ComparisonView(ComparisonService(store), ConsoleFeedback())
            view.resize(*SIZE)
            subject = view.service.authorities()[3]
            view.set_authority(subject.id)
            view.peers.standard.setCurrentIndex(max(0, view.peers.standard.findData("ICT")))
            view.progress.standard.setCurrentIndex(max(0, view.progress.standard.findData("ICT")))
            view.show()
            for index, name in enumerate(("peers", "progress", "portfolio")):
                view.tabs.setCurrentIndex(index)
                app.processEvents()
                path = target / f"comparison-{name}.png"
                if not view.grab().save(str(path)):
                    raise OSError(f"could not write {path}")
                print(f"wrote {path}")
            view.close()
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs"))
