"""Help > About: version, data folder and where the catalogue comes from."""

from __future__ import annotations

import platform
from html import escape
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from nesds_desktop._version import APP_NAME, __version__
from nesds_desktop.domain.catalogue import ReleaseSummary
from nesds_desktop.ui.wording import plural


def about_html(data_dir: Path | None, releases: list[ReleaseSummary]) -> str:
    release_parts = []
    for summary in releases:
        info = summary.info
        release_parts.append(
            f"<h3>{escape(info.title)} {escape(info.version)} ({escape(info.release_id)})</h3>"
            f"<p>Published {info.published:%d %B %Y}; {plural(len(summary.standards), 'standard')}, "
            f"{plural(summary.total, 'criterion', 'criteria')}; "
            f"source: {escape(info.source)}.</p><p>{escape(info.provenance)}</p>"
        )
    catalogue = "".join(release_parts) or "<p>The catalogue is still loading.</p>"
    folder = escape(str(data_dir)) if data_dir else "not yet opened"
    return (
        f"<h2>{APP_NAME} {__version__}</h2>"
        "<p>Self-assessment of council service areas against the NeSDS e-Standards "
        "(Minimum, Progressing, Excellent): workshops, evidence, action plans and comparison.</p>"
        f"<p><b>Data folder:</b> {folder}</p>"
        f"<p>Python {platform.python_version()}, Qt for Python {pyside_version}.</p>"
        f"<h2>Catalogue</h2>{catalogue}"
    )


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path | None, releases: list[ReleaseSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.text = QTextBrowser()
        self.text.setHtml(about_html(data_dir, releases))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 520)
