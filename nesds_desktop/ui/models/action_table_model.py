"""The action register as a table: one row per action the service returns, in register order.

``set_actions`` takes the service's latest list and turns the difference into row removals,
insertions and changes, so the selection stays put while the facilitator edits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from nesds_desktop.domain.assessments import Action
from nesds_desktop.domain.records import ActionItem

AnyIndex = QModelIndex | QPersistentModelIndex

ActionItemRole = Qt.ItemDataRole.UserRole + 1
"""The row's ActionItem."""
ActionIdRole = Qt.ItemDataRole.UserRole + 2

WHOLE_STANDARD = "Whole standard"

COLUMNS = (
    "Criterion",
    "Description",
    "Owner",
    "Due",
    "Priority",
    "State",
    "Cashable (£)",
    "Non-cashable (£)",
)
CRITERION, DESCRIPTION, OWNER, DUE, PRIORITY, STATE, CASHABLE, NON_CASHABLE = range(len(COLUMNS))
MONEY_COLUMNS = (CASHABLE, NON_CASHABLE)


def money(amount: Decimal) -> str:
    """Pounds with thousands separators and pence, e.g. "£1,250.00"."""
    return f"£{amount:,.2f}"


_CELLS: tuple[Callable[[Action], str], ...] = (
    lambda action: action.criterion_ref or WHOLE_STANDARD,
    lambda action: action.description,
    lambda action: action.owner,
    lambda action: f"{action.due:%d %b %Y}" if action.due else "",
    lambda action: action.priority.label,
    lambda action: action.state.label,
    lambda action: money(action.saving_cashable),
    lambda action: money(action.saving_non_cashable),
)


def _cell(action: Action, column: int) -> str:
    return _CELLS[column](action) if 0 <= column < len(_CELLS) else ""


def describe_action(action: Action) -> str:
    """One line for lists and screen readers: "Write an ICT strategy — owner J Smith, due 31 Mar 2007"."""
    parts = [f"owner {action.owner}" if action.owner else "no owner"]
    if action.due:
        parts.append(f"due {action.due:%d %b %Y}")
    parts.append(f"{action.priority.label.lower()} priority")
    parts.append(action.state.label.lower())
    if action.saving_total:
        cashable, non_cashable = money(action.saving_cashable), money(action.saving_non_cashable)
        parts.append(f"saving {cashable} cashable, {non_cashable} non-cashable")
    return f"{action.description} — {', '.join(parts)}"


class ActionTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ActionItem] = []

    def set_actions(self, items: Sequence[ActionItem]) -> None:
        """Show ``items``: removed rows go, new rows come in at their place, changed rows repaint."""
        new_items = list(items)
        new_ids = [item.id for item in new_items]
        wanted = set(new_ids)
        for row in reversed(range(len(self._items))):
            if self._items[row].id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
        kept_ids = [item.id for item in self._items]
        if kept_ids != [item_id for item_id in new_ids if item_id in set(kept_ids)]:
            # The order of the remaining rows changed: nothing to gain from finer signals.
            self.beginResetModel()
            self._items = new_items
            self.endResetModel()
            return
        present = set(kept_ids)
        for row, item in enumerate(new_items):
            if item.id in present:
                if self._items[row] != item:
                    self._items[row] = item
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            else:
                self.beginInsertRows(QModelIndex(), row, row)
                self._items.insert(row, item)
                self.endInsertRows()

    def item(self, row: int) -> ActionItem:
        return self._items[row]

    def row_of(self, action_id: int) -> int | None:
        for row, item in enumerate(self._items):
            if item.id == action_id:
                return row
        return None

    # -- QAbstractTableModel ----------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return str(section + 1) if 0 <= section < len(self._items) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = index.column()
        if role in (ActionItemRole, ActionIdRole):
            return item if role == ActionItemRole else item.id
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(item.action, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == DESCRIPTION:
            return describe_action(item.action)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {_cell(item.action, column) or 'none'}"
        right_aligned = role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY_COLUMNS
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if right_aligned else None
