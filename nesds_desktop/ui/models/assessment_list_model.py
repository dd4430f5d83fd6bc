"""A table model over the assessments the service lists: one row per assessment.

It keeps the service's last answer and nothing else; ``set_assessments`` adapts a new
answer into row updates (changed rows when the same assessments come back, a reset when
the set changes), so a refresh during a workshop keeps the user's place in the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:  # types only: the window imports this module before it is shown
    from nesds_desktop.domain.records import AssessmentSummary

SummaryRole = Qt.ItemDataRole.UserRole + 1
AssessmentIdRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("Authority", "Standard", "Round", "State", "Level", "Answered")
ANSWERED_COLUMN = COLUMNS.index("Answered")


def answered_text(summary: AssessmentSummary) -> str:
    return f"{summary.answered} of {summary.total}"


def cell_text(summary: AssessmentSummary, column: int) -> str:
    cells = (
        summary.authority.name,
        f"{summary.standard_code} — {summary.standard_title}",
        summary.round.label,
        summary.state.label,
        summary.level_label,
        answered_text(summary),
    )
    return cells[column]


def spoken_text(summary: AssessmentSummary) -> str:
    """The whole row as one sentence, for screen readers and tooltips."""
    return (
        f"{summary.authority.name}, {summary.standard_code} {summary.standard_title}, round {summary.round.label}: "
        f"{summary.state.label.lower()}, level {summary.level_label}, "
        f"{summary.answered} of {summary.total} criteria answered"
    )


class AssessmentListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AssessmentSummary] = []

    # -- feeding ------------------------------------------------------------------------------
    def set_assessments(self, summaries: Sequence[AssessmentSummary]) -> None:
        new_rows = list(summaries)
        if [s.id for s in new_rows] == [s.id for s in self._rows]:
            changed = [row for row, (old, new) in enumerate(zip(self._rows, new_rows, strict=True)) if old != new]
            self._rows = new_rows
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = new_rows
        self.endResetModel()

    def summary(self, row: int) -> AssessmentSummary:
        return self._rows[row]

    def row_of(self, assessment_id: int) -> int | None:
        return next((row for row, s in enumerate(self._rows) if s.id == assessment_id), None)

    def summaries(self) -> list[AssessmentSummary]:
        return list(self._rows)

    # -- the model ----------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        value: Any = None
        if role == Qt.ItemDataRole.DisplayRole:
            value = cell_text(summary, index.column())
        elif role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            value = spoken_text(summary)
        elif role == Qt.ItemDataRole.TextAlignmentRole and index.column() == ANSWERED_COLUMN:
            value = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == SummaryRole:
            value = summary
        elif role == AssessmentIdRole:
            value = summary.id
        return value

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
