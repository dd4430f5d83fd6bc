"""A read-only tree model of one release: standards > sections > criteria."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from nesds_desktop.domain.catalogue import Criterion, Release, Section, Standard

ItemRole = Qt.ItemDataRole.UserRole + 1
SearchTextRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("Item", "Level")


@dataclass(eq=False)
class _Node:
    """The model's own tree: domain objects never hold references to rows."""

    item: Standard | Section | Criterion | None
    parent: _Node | None
    row: int
    children: list[_Node] = field(default_factory=list)


class CatalogueTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None, 0)

    def set_release(self, release: Release | None) -> None:
        self.beginResetModel()
        self._root = _Node(None, None, 0)
        if release is not None:
            for s_row, standard in enumerate(release.standards):
                s_node = _Node(standard, self._root, s_row)
                self._root.children.append(s_node)
                for sec_row, section in enumerate(standard.sections):
                    sec_node = _Node(section, s_node, sec_row)
                    s_node.children.append(sec_node)
                    sec_node.children.extend(_Node(c, sec_node, c_row) for c_row, c in enumerate(section.criteria))
        self.endResetModel()

    def _node(self, index: AnyIndex) -> _Node:
        if index.isValid():
            node: _Node = index.internalPointer()
            return node
        return self._root

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._node(index).item
        if role == ItemRole:
            return item
        if role == SearchTextRole:
            return _search_text(item)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _display(item, index.column(), tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _display(item, index.column(), tooltip=True)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _display(item: Standard | Section | Criterion | None, column: int, tooltip: bool) -> str | None:
    if isinstance(item, Standard):
        return f"{item.code} — {item.title}" if column == 0 else None
    if isinstance(item, Section):
        return f"{item.number}. {item.title}" if column == 0 else None
    if isinstance(item, Criterion):
        if column == 1:
            return item.level.label
        return f"{item.ref}  {item.statement}" if not tooltip else f"{item.ref} ({item.level.label}): {item.statement}"
    return None


def _search_text(item: Standard | Section | Criterion | None) -> str:
    if isinstance(item, Standard):
        return f"{item.code} {item.title}"
    if isinstance(item, Section):
        return item.title
    if isinstance(item, Criterion):
        return " ".join((item.ref, item.level.label, item.statement, item.guidance, *item.evidence, *item.signposts))
    return ""
