"""A read-only table over rows of text that a comparison view hands it.

The comparison screens show service results that are replaced as a whole when a picker
changes, so one model serves every table: ``set_rows`` resets it with the new headers and
rows.  It keeps no data beyond that view.  Cells that hold a number are right-aligned, and
a cell may carry a tooltip and be marked (bold) to show "this authority" or "achieved"
by weight and text, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Cell:
    text: str
    tooltip: str = ""
    marked: bool = False
    number: bool = False


def cell(value: str | int | float | Cell) -> Cell:
    """A cell from text or a number (numbers are right-aligned)."""
    if isinstance(value, Cell):
        return value
    if isinstance(value, bool):
        return Cell(str(value))
    if isinstance(value, int | float):
        return Cell(f"{value:g}" if isinstance(value, float) else str(value), number=True)
    return Cell(value)


class RowsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._rows: tuple[tuple[Cell, ...], ...] = ()

    def set_rows(self, headers: Sequence[str], rows: Sequence[Sequence[str | int | float | Cell]]) -> None:
        width = len(headers)
        cleaned = []
        for row in rows:
            cells = tuple(cell(value) for value in row)
            if len(cells) != width:
                raise ValueError(f"a row has {len(cells)} cells, the table {width} columns")
            cleaned.append(cells)
        self.beginResetModel()
        self._headers = tuple(headers)
        self._rows = tuple(cleaned)
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return self._headers

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column].text

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._cell(index)
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if item.number else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and item.marked:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _cell(self, index: AnyIndex) -> Cell | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        return row[index.column()] if 0 <= index.column() < len(row) else None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return section + 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
