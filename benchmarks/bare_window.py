"""The baseline: a bare PySide6 main window, started and timed exactly as the app's --smoke run."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 760)
    window.show()
    shown_at = time.time()
    shown_cpu = time.process_time()  # CPU time: what the start cost, whatever else the machine runs

    def report() -> None:
        print(f"window shown at {shown_at:.6f}", flush=True)
        print(f"window shown cpu {shown_cpu:.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
