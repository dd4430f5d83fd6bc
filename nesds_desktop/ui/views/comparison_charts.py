"""Painted charts for the comparison screens (see :mod:`comparison_view` for why painted).

Colours follow the level order (pale for No level, dark for Excellent) and every segment,
bar and marker also carries its text or count, so nothing is told by colour alone; the
same numbers are in the table beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nesds_desktop.domain.comparison import BAND_RANK, BANDS

# Pale to dark blue: lightness follows the level, so the order survives greyscale printing.
BAND_COLOURS: dict[str, str] = {
    "No level": "#e6e6e6",
    "Minimum": "#b7cbe8",
    "Progressing": "#5b87c7",
    "Excellent": "#1f3864",
}
_DARK_BANDS = {"Progressing", "Excellent"}
_MARGIN = 12


def _text_colour(band: str) -> QColor:
    return QColor("white") if band in _DARK_BANDS else QColor("black")


@dataclass(frozen=True)
class DistributionRow:
    label: str
    counts: dict[str, int]
    subject: str | None = None
    """This authority's band, marked on the row; None when none is compared."""


class DistributionChart(QWidget):
    """One stacked horizontal bar per section (and overall): how many peers are in each band."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[DistributionRow, ...] = ()
        self._subject_name = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart of levels among peers")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_rows(self, rows: Sequence[DistributionRow], subject_name: str = "") -> None:
        self._rows = tuple(rows)
        self._subject_name = subject_name
        self.setAccessibleDescription(self.summary())
        self.updateGeometry()
        self.update()

    def summary(self) -> str:
        """The chart in words, for screen readers."""
        parts = []
        for row in self._rows:
            counts = ", ".join(f"{row.counts[band]} {band}" for band in BANDS)
            mine = f"; {self._subject_name or 'this authority'}: {row.subject}" if row.subject else ""
            parts.append(f"{row.label}: {counts}{mine}")
        return ". ".join(parts)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(500, 60 + 34 * max(1, len(self._rows)))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 70 + 40 * max(1, len(self._rows)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        metrics = QFontMetrics(self.font())
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        if not self._rows:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to compare")
            return
        label_width = min(max(metrics.horizontalAdvance(r.label) for r in self._rows) + 16, self.width() // 3)
        mark_width = metrics.horizontalAdvance("◆ Progressing") + 16
        legend_height = metrics.height() + 14
        left = _MARGIN + label_width
        right = self.width() - _MARGIN - mark_width
        available = max(1, right - left)
        row_height = max(26, min(44, (self.height() - legend_height - 2 * _MARGIN) // len(self._rows)))
        bar_height = row_height - 10
        top = _MARGIN
        self._legend(painter, metrics, left, top)
        top += legend_height
        for index, row in enumerate(self._rows):
            y = top + index * row_height
            painter.setPen(text_colour)
            label_font = QFont(self.font())
            label_font.setBold(row.label.startswith("Overall"))
            painter.setFont(label_font)
            painter.drawText(QRectF(_MARGIN, y, label_width - 8, bar_height), int(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), metrics.elidedText(
                row.label, Qt.TextElideMode.ElideRight, label_width - 8))  # fmt: skip
            painter.setFont(self.font())
            total = sum(row.counts.values())
            x = float(left)
            for band in BANDS:
                count = row.counts.get(band, 0)
                if not count:
                    continue
                width = available * count / total
                segment = QRectF(x, y, width, bar_height)
                painter.fillRect(segment, QColor(BAND_COLOURS[band]))
                painter.setPen(QPen(QColor("#7f7f7f"), 1))
                painter.drawRect(segment)
                text = str(count)
                if metrics.horizontalAdvance(text) + 6 < width:
                    painter.setPen(_text_colour(band))
                    painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, text)
                if row.subject == band:
                    painter.setPen(QPen(QColor("#c00000"), 3))
                    painter.drawRect(segment.adjusted(1.5, 1.5, -1.5, -1.5))
                x += width
            if total == 0:
                painter.setPen(text_colour)
                painter.drawText(QRectF(left, y, available, bar_height), Qt.AlignmentFlag.AlignVCenter, "no peers")
            if row.subject:
                self._subject_mark(painter, row, right, y, bar_height, text_colour, total == 0 or row.subject not in
                                   BAND_RANK or not row.counts.get(row.subject))  # fmt: skip

    def _legend(self, painter: QPainter, metrics: QFontMetrics, left: int, top: int) -> None:
        x = float(left)
        size = metrics.height() - 2
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        for band in BANDS:
            painter.fillRect(QRectF(x, top + 1, size, size), QColor(BAND_COLOURS[band]))
            painter.drawRect(QRectF(x, top + 1, size, size))
            x += size + 5
            painter.drawText(QPointF(x, top + metrics.ascent()), band)
            x += metrics.horizontalAdvance(band) + 18
        if any(row.subject for row in self._rows):
            marker = f"outlined in red and ◆: {self._subject_name or 'this authority'}"
            painter.drawText(QPointF(x, top + metrics.ascent()), marker)

    def _subject_mark(
        self, painter: QPainter, row: DistributionRow, right: int, y: float, height: float, colour: QColor,
        alone: bool,
    ) -> None:  # fmt: skip
        painter.setPen(colour)
        text = f"◆ {row.subject}" + (" (no peer)" if alone and row.subject in BAND_RANK else "")
        painter.drawText(QRectF(right + 8, y, self.width() - right - 8, height), Qt.AlignmentFlag.AlignVCenter, text)


@dataclass(frozen=True)
class ProgressRow:
    label: str
    bands: tuple[str, ...]
    """One per round, oldest first ("Not applicable" or "" when the section is not there)."""


class ProgressChart(QWidget):
    """One row per section (and overall), one column per round: a bar as long as the level, named."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rounds: tuple[str, ...] = ()
        self._rows: tuple[ProgressRow, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart of levels per round")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_rows(self, rounds: Sequence[str], rows: Sequence[ProgressRow]) -> None:
        self._rounds = tuple(rounds)
        self._rows = tuple(rows)
        described = [
            f"{row.label}: " + ", ".join(f"{rd} {b}" for rd, b in zip(self._rounds, row.bands, strict=True))
            for row in self._rows
        ]
        self.setAccessibleDescription(". ".join(described))
        self.updateGeometry()
        self.update()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(500, 40 + 28 * max(1, len(self._rows)))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 50 + 34 * max(1, len(self._rows)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        metrics = QFontMetrics(self.font())
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        painter.setPen(text_colour)
        if not self._rows or not self._rounds:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No rounds to show")
            return
        label_width = min(max(metrics.horizontalAdvance(r.label) for r in self._rows) + 16, self.width() // 3)
        left = _MARGIN + label_width
        column_width = (self.width() - left - _MARGIN) / len(self._rounds)
        header = metrics.height() + 10
        row_height = max(22, min(40, (self.height() - header - 2 * _MARGIN) // len(self._rows)))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        for index, label in enumerate(self._rounds):
            painter.drawText(QRectF(left + index * column_width, _MARGIN, column_width, header - 6),
                             Qt.AlignmentFlag.AlignCenter, label)  # fmt: skip
        top = _MARGIN + header
        for row_index, row in enumerate(self._rows):
            y = top + row_index * row_height
            painter.setPen(text_colour)
            painter.setFont(bold if row.label.startswith("Overall") else self.font())
            painter.drawText(QRectF(_MARGIN, y, label_width - 8, row_height - 6), int(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), metrics.elidedText(
                row.label, Qt.TextElideMode.ElideRight, label_width - 8))  # fmt: skip
            painter.setFont(self.font())
            previous: int | None = None
            for column, band in enumerate(row.bands):
                cell = QRectF(left + column * column_width + 4, y, column_width - 8, row_height - 6)
                rank = BAND_RANK.get(band)
                if rank is None:
                    painter.setPen(text_colour)
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, band or "not assessed")
                    previous = None
                    continue
                bar = QRectF(cell.left(), cell.top(), cell.width() * (rank + 1) / len(BANDS), cell.height())
                painter.fillRect(bar, QColor(BAND_COLOURS[band]))
                painter.setPen(QPen(QColor("#7f7f7f"), 1))
                painter.drawRect(bar)
                arrow = "" if previous is None or previous == rank else (" ▲" if rank > previous else " ▼")
                text = band + arrow
                inside = metrics.horizontalAdvance(text) + 8 < bar.width()
                painter.setPen(_text_colour(band) if inside else text_colour)
                text_rect = bar.adjusted(4, 0, 0, 0) if inside else QRectF(bar.right() + 4, cell.top(),
                                                                           cell.right() - bar.right(), cell.height())
                painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
                previous = rank
