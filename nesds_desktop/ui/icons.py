"""The application's icon and desktop identity, loaded from package resources.

In a wheel or installer the SVG sources are package data (``nesds_desktop/resources/icons``,
put there by the wheel build); in a source checkout or a Briefcase bundle they are the
top-level ``resources/icons`` folder beside the package.  No path is taken from the current
working directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPixmap

APPLICATION_ICON = "nesds-workbook.svg"
DOCUMENT_ICON = "nesds-assessment.svg"
# The Briefcase bundle identifier plus app name: the Linux desktop entry is named after it,
# and Wayland compositors match a window to that entry (and so to its icon) by this name.
DESKTOP_FILE_NAME = "uk.org.nesds-workbook.nesds-desktop"
# Sizes rendered when Qt's SVG icon engine plugin is not available.
_FALLBACK_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icons_folder() -> Path:
    """The folder holding the icon SVGs: packaged copy first, source tree second."""
    packaged = Path(str(resources.files("nesds_desktop") / "resources" / "icons"))
    if (packaged / APPLICATION_ICON).is_file():
        return packaged
    beside_package = Path(__file__).resolve().parents[2] / "resources" / "icons"
    if (beside_package / APPLICATION_ICON).is_file():
        return beside_package
    raise FileNotFoundError(f"{APPLICATION_ICON} is neither in {packaged} nor in {beside_package}")


def icon_path(name: str = APPLICATION_ICON) -> Path:
    path = icons_folder() / name
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def application_icon() -> QIcon:
    """The NeSDS Workbook icon, sharp at any size the platform asks for."""
    return _svg_icon(icon_path(APPLICATION_ICON))


def document_icon() -> QIcon:
    """The icon of an assessment file (.nesds)."""
    return _svg_icon(icon_path(DOCUMENT_ICON))


def set_application_identity(app: QGuiApplication) -> None:
    """Give every window the icon, and tell the desktop which entry the app belongs to."""
    app.setWindowIcon(application_icon())
    app.setDesktopFileName(DESKTOP_FILE_NAME)


def _svg_icon(path: Path) -> QIcon:
    icon = QIcon(str(path))  # scalable through Qt's SVG icon engine when its plugin is present
    if not icon.isNull() and not icon.pixmap(QSize(32, 32)).isNull():
        return icon
    return rendered_icon(path)


def rendered_icon(path: Path) -> QIcon:
    """The SVG drawn at fixed sizes: the fallback when Qt's SVG icon engine plugin is missing."""
    from PySide6.QtSvg import QSvgRenderer  # only needed here; keeps start-up lean

    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        raise ValueError(f"{path} is not an SVG that QtSvg can draw")
    icon = QIcon()
    for size in _FALLBACK_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
