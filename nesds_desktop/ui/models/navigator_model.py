"""The workbook navigator: one standard's sections and criteria, with each answer and section level.

The model keeps the catalogue structure (fixed for an assessment) and the latest answers and
level result handed to it by the view; it holds nothing the service does not already know.
A new answer updates rows in place (``dataChanged``), so the current row and the selection
survive every keystroke of a workshop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from nesds_desktop.domain.catalogue import Criterion, Section, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import SectionResult, StandardResult
from nesds_desktop.domain.records import CriterionAnswer

AnyIndex = QModelIndex | QPersistentModelIndex

RefRole = Qt.ItemDataRole.UserRole + 1
"""A criterion row's reference (None on a section row)."""
ItemRole = Qt.ItemDataRole.UserRole + 2
"""The Criterion or Section of the row."""
JudgementRole = Qt.ItemDataRole.UserRole + 3
"""A criterion row's judgement value, e.g. "met" (Qt hands a str enum back as plain str); None on a section row."""
SectionNumberRole = Qt.ItemDataRole.UserRole + 4

COLUMNS = ("Criterion", "Judgement")
CRITERION_COLUMN = 0
STATUS_COLUMN = 1

TO_CONFIRM = "to confirm"
TO_CONFIRM_MARK = "⚑"

# Colour only reinforces the symbol and label; dark enough to read on a washed-out projector.
_JUDGEMENT_COLOURS: dict[Judgement, str] = {
    Judgement.MET: "#1b5e20",
    Judgement.PARTLY_MET: "#8a4b00",
    Judgement.NOT_MET: "#b71c1c",
}


def judgement_text(answer: CriterionAnswer) -> str:
    """E.g. "✓ Met", or "✓ Met · ⚑ to confirm" for an answer carried from an earlier round."""
    text = f"{answer.judgement.symbol} {answer.judgement.label}"
    return f"{text} · {TO_CONFIRM_MARK} {TO_CONFIRM}" if answer.to_confirm else text


@dataclass(eq=False)
class _Node:
    """The model's own tree: catalogue objects never hold references to rows."""

    item: Section | Criterion | None
    parent: _Node | None
    row: int
    children: list[_Node] = field(default_factory=list)


class NavigatorModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node(None, None, 0)
        self._standard: Standard | None = None
        self._answers: Mapping[str, CriterionAnswer] = {}
        self._result: StandardResult | None = None
        self._criterion_nodes: dict[str, _Node] = {}
        self._section_nodes: dict[int, _Node] = {}

    # -- fed by the view --------------------------------------------------------------------
    def set_assessment(
        self, standard: Standard | None, answers: Mapping[str, CriterionAnswer], result: StandardResult | None
    ) -> None:
        """Show a whole standard afresh (when an assessment opens)."""
        self.beginResetModel()
        self._standard = standard
        self._answers = dict(answers)
        self._result = result
        self._root = _Node(None, None, 0)
        self._criterion_nodes = {}
        self._section_nodes = {}
        if standard is not None:
            for section_row, section in enumerate(standard.sections):
                section_node = _Node(section, self._root, section_row)
                self._root.children.append(section_node)
                self._section_nodes[section.number] = section_node
                for row, criterion in enumerate(section.criteria):
                    node = _Node(criterion, section_node, row)
                    section_node.children.append(node)
                    self._criterion_nodes[criterion.ref] = node
        self.endResetModel()

    def update_answers(self, answers: Mapping[str, CriterionAnswer], result: StandardResult) -> None:
        """Take new answers and levels, telling the views about the rows that changed."""
        old_answers, old_result = self._answers, self._result
        self._answers = dict(answers)
        self._result = result
        for ref, node in self._criterion_nodes.items():
            if old_answers.get(ref) != self._answers.get(ref):
                self._row_changed(node)
        for number, node in self._section_nodes.items():
            before = _section_result(old_result, number)
            if before != _section_result(result, number):
                self._row_changed(node)

    def _row_changed(self, node: _Node) -> None:
        parent = node.parent
        assert parent is not None
        parent_index = QModelIndex() if parent is self._root else self.createIndex(parent.row, 0, parent)
        first = self.index(node.row, 0, parent_index)
        last = self.index(node.row, len(COLUMNS) - 1, parent_index)
        self.dataChanged.emit(first, last)

    # -- lookups for the view ---------------------------------------------------------------
    def index_for_ref(self, ref: str) -> QModelIndex:
        node = self._criterion_nodes.get(ref)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def index_for_section(self, number: int) -> QModelIndex:
        node = self._section_nodes.get(number)
        return QModelIndex() if node is None else self.createIndex(node.row, 0, node)

    def refs(self) -> list[str]:
        """Every criterion reference in catalogue order."""
        return list(self._criterion_nodes)

    # -- QAbstractItemModel -----------------------------------------------------------------
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

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._node(index).item
        if isinstance(item, Criterion):
            return self._criterion_data(item, index.column(), role)
        if isinstance(item, Section):
            return self._section_data(item, index.column(), role)
        return None

    def _answer(self, ref: str) -> CriterionAnswer:
        return self._answers.get(ref) or CriterionAnswer(ref)

    def _criterion_data(self, criterion: Criterion, column: int, role: int) -> Any:
        answer = self._answer(criterion.ref)
        if role in (RefRole, ItemRole, JudgementRole):
            return {RefRole: criterion.ref, ItemRole: criterion, JudgementRole: answer.judgement.value}[role]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{criterion.ref}  {criterion.statement}" if column == CRITERION_COLUMN else judgement_text(answer)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{criterion.ref} ({criterion.level.label}): {judgement_text(answer)}. {criterion.statement}"
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS_COLUMN:
            colour = _JUDGEMENT_COLOURS.get(answer.judgement)
            return QBrush(QColor(colour)) if colour else None
        return None

    def _section_data(self, section: Section, column: int, role: int) -> Any:
        result = _section_result(self._result, section.number)
        level = result.level_label if result else ""
        if role == ItemRole:
            return section
        if role == SectionNumberRole:
            return section.number
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{section.number}. {section.title}" if column == CRITERION_COLUMN else level
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            explanation = f" {result.explanation}" if result else ""
            return f"Section {section.number}, {section.title}: level {level}.{explanation}"
        return None


def _section_result(result: StandardResult | None, number: int) -> SectionResult | None:
    if result is None:
        return None
    for section in result.sections:
        if section.number == number:
            return section
    return None
