"""Change how the sheets of one legacy return are read: standard, header row, columns, or leave a sheet out.

The editor shows what the reader detected and keeps what the person changes in the file's
``SheetOverride`` mapping (owned by the wizard); nothing is read again until the person asks,
since each reading runs in the bounded child process.  The first rows of the sheet are shown
beside the column mapping, so the header row can be picked by looking at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.services.legacy_import_service import (
    FIELD_LABELS,
    LegacyReading,
    SheetOverride,
    SheetReading,
    columns_for_header,
)
from nesds_desktop.ui.wording import plural

NOT_USED = "(not used)"
MAX_HEADER_ROW = 999
MIN_MAPPING_COLUMNS = 4


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class SheetEditor(QWidget):
    """Per sheet of the current file: the standard, header row, column mapping and "leave out"."""

    changed = Signal()
    """Something was changed that a new reading would take into account."""
    read_again = Signal()
    """The person asked for the file to be read again with the changes."""

    def __init__(self, standards: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.standards = list(standards)
        self.reading: LegacyReading | None = None
        self.overrides: dict[str, SheetOverride] = {}
        self._filling = False

        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Sheet")
        self.sheet.currentIndexChanged.connect(self._show_sheet)
        self.skip = QCheckBox("Leave this sheet ou&t")
        self.skip.toggled.connect(self._skip_toggled)
        self.standard = QComboBox()
        self.standard.setAccessibleName("Standard of the sheet")
        self.standard.currentIndexChanged.connect(self._standard_chosen)
        self.header_row = QSpinBox()
        self.header_row.setAccessibleName("Header row")
        self.header_row.setRange(1, MAX_HEADER_ROW)
        self.header_row.valueChanged.connect(self._header_row_chosen)
        self.columns = QTableWidget(0, 3)
        self.columns.setAccessibleName("What each column holds")
        self.columns.setHorizontalHeaderLabels(["Column", "Heading", "Read as"])
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.top = QTableWidget(0, 0)
        self.top.setAccessibleName("First rows of the sheet")
        self.top.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.top.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.top.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.top.setToolTip("Double-click a row (or press Enter on it) to make it the header row")
        self.top.cellDoubleClicked.connect(lambda row, _column: self.header_row.setValue(row + 1))
        self.top.cellActivated.connect(lambda row, _column: self.header_row.setValue(row + 1))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.read_button = QPushButton("&Read this file again")
        self.read_button.clicked.connect(self.read_again)
        self.reset_button = QPushButton("&Use what was detected")
        self.reset_button.setToolTip("Forget the changes made to this sheet")
        self.reset_button.clicked.connect(self.reset_sheet)

        form = QFormLayout()
        for text, widget in (("Sh&eet:", self.sheet), ("&Standard:", self.standard), ("&Header row:", self.header_row)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.skip)
        columns_label = QLabel("&Columns:")
        columns_label.setBuddy(self.columns)
        top_label = QLabel("F&irst rows of the sheet (the header row is in bold; double-click a row to choose it):")
        top_label.setWordWrap(True)
        top_label.setBuddy(self.top)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(columns_label)
        left.addWidget(self.columns, 1)
        right = QVBoxLayout()
        right.addWidget(top_label)
        right.addWidget(self.top, 1)
        panes = QHBoxLayout()
        panes.addLayout(left, 2)
        panes.addLayout(right, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.read_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(panes, 1)
        layout.addLayout(buttons)

    # -- what is shown -----------------------------------------------------------------------------
    def show_file(self, reading: LegacyReading | None, overrides: dict[str, SheetOverride], pending: bool) -> None:
        """Show ``reading``; changes go into ``overrides`` (the file's own mapping, edited in place)."""
        self.reading, self.overrides = reading, overrides
        names = self.sheet_names()
        self._filling = True
        current = self.sheet.currentData()
        self.sheet.clear()
        for name in names:
            self.sheet.addItem(self._sheet_label(name), name)
        if current in names:
            self.sheet.setCurrentIndex(names.index(current))
        self._filling = False
        self.setEnabled(bool(names))
        self._show_sheet()
        self.set_pending(pending)

    def set_pending(self, pending: bool) -> None:
        self.state.setText("Changed: press Read this file again to see the rows read this way." if pending else "")
        self.read_button.setDefault(pending)

    def sheet_names(self) -> list[str]:
        """Every visible sheet of the file with something in it, in workbook order."""
        if self.reading is None:
            return []
        return list(self.reading.sheet_tops)

    def current_sheet(self) -> str | None:
        data = self.sheet.currentData()
        return data if isinstance(data, str) else None

    def _sheet_reading(self, name: str) -> SheetReading | None:
        """What was read from the sheet ``name``; None when it was not read."""
        return next((s for s in self.reading.sheets if s.sheet == name), None) if self.reading else None

    def _top(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The first rows of the sheet ``name``, as text."""
        return self.reading.sheet_tops.get(name, ()) if self.reading else ()

    def _sheet_label(self, name: str) -> str:
        override = self.overrides.get(name, SheetOverride())
        found = self._sheet_reading(name)
        if override.skip:
            return f"{name} — left out"
        if found is None:
            return f"{name} — no header row found"
        return f"{name} — {found.standard_code or 'standard not found'}, {plural(len(found.matches), 'row')}"

    def _show_sheet(self) -> None:
        if self._filling:
            return
        name = self.current_sheet()
        self._filling = True
        try:
            if name is None or self.reading is None:
                self.standard.clear()
                self._clear_columns()
                self.top.setRowCount(0)
                return
            found = self._sheet_reading(name)
            override = self.overrides.get(name, SheetOverride())
            self.skip.setChecked(override.skip)
            self._fill_standards(found.detected_standard if found else None, override.standard_code)
            header = override.header_row or (found.header_row if found else 1)
            self.header_row.setValue(header)
            if override.columns is not None:
                mapping = dict(override.columns)
            elif found is not None and override.header_row in (None, found.header_row):
                mapping = dict(found.column_positions)
            else:
                mapping = columns_for_header(self._row_cells(name, header))
            self._fill_top(name, header)
            self._fill_columns(name, header, mapping)
            for widget in (self.standard, self.header_row, self.columns):
                widget.setEnabled(not override.skip)
        finally:
            self._filling = False

    def _fill_standards(self, detected: str | None, chosen: str | None) -> None:
        self.standard.clear()
        self.standard.addItem(f"As found ({detected or 'none found'})", None)
        for code, title in self.standards:
            self.standard.addItem(f"{code} — {title}", code)
        index = self.standard.findData(chosen) if chosen else 0
        self.standard.setCurrentIndex(max(index, 0))

    def _row_cells(self, sheet: str, header_row: int) -> tuple[str, ...]:
        top = self._top(sheet)
        found = self._sheet_reading(sheet)
        if found is not None and found.header_row == header_row:
            return found.header_cells
        return top[header_row - 1] if 0 < header_row <= len(top) else ()

    def _fill_top(self, sheet: str, header_row: int) -> None:
        top = self._top(sheet)
        width = max((len(row) for row in top), default=0)
        self.top.clear()
        self.top.setRowCount(len(top))
        self.top.setColumnCount(width)
        self.top.setHorizontalHeaderLabels([column_letter(c) for c in range(width)])
        self.top.setVerticalHeaderLabels([str(r + 1) for r in range(len(top))])
        bold = QFont(self.top.font())
        bold.setBold(True)
        for row, cells in enumerate(top):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row + 1 == header_row:
                    item.setFont(bold)
                self.top.setItem(row, column, item)
        self.top.resizeColumnsToContents()
        for column in range(width):
            self.top.setColumnWidth(column, min(self.top.columnWidth(column), 220))
        if 0 < header_row <= len(top):
            self.top.selectRow(header_row - 1)

    def _fill_columns(self, sheet: str, header_row: int, mapping: dict[str, tuple[int, ...]]) -> None:
        cells = self._row_cells(sheet, header_row)
        top = self._top(sheet)
        widest = max((len(row) for row in top), default=0)
        used = max((p for positions in mapping.values() for p in positions), default=-1) + 1
        count = max(len(cells), widest, used, MIN_MAPPING_COLUMNS)
        field_of = {p: field for field, positions in mapping.items() for p in positions}
        self._clear_columns()
        self.columns.setRowCount(count)
        for position in range(count):
            letter = QTableWidgetItem(column_letter(position))
            heading = cells[position] if position < len(cells) else ""
            text = QTableWidgetItem(heading)
            text.setToolTip(heading)
            self.columns.setItem(position, 0, letter)
            self.columns.setItem(position, 1, text)
            combo = QComboBox()
            combo.setAccessibleName(f"Column {column_letter(position)} is read as")
            combo.addItem(NOT_USED, None)
            for field, label in FIELD_LABELS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(combo.findData(field_of.get(position)), 0) if position in field_of else 0)
            combo.currentIndexChanged.connect(self._column_chosen)
            self.columns.setCellWidget(position, 2, combo)
        self.columns.resizeColumnToContents(0)
        self.columns.setColumnWidth(2, 190)

    def _clear_columns(self) -> None:
        """Take the old choosers out at once: Qt deletes a replaced cell widget only later, and it shows till then."""
        for position in range(self.columns.rowCount()):
            widget = self.columns.cellWidget(position, 2)
            if widget is not None:
                widget.hide()
                self.columns.removeCellWidget(position, 2)
        self.columns.setRowCount(0)

    # -- changes -----------------------------------------------------------------------------------
    def column_combo(self, position: int) -> QComboBox:
        """The "read as" chooser of a 0-based column (for tests and keyboard users alike)."""
        widget = self.columns.cellWidget(position, 2)
        assert isinstance(widget, QComboBox)
        return widget

    def mapping(self) -> dict[str, tuple[int, ...]]:
        """Field -> columns, as the combos say now."""
        found: dict[str, list[int]] = {}
        for position in range(self.columns.rowCount()):
            field = self.column_combo(position).currentData()
            if isinstance(field, str):
                found.setdefault(field, []).append(position)
        return {field: tuple(positions) for field, positions in found.items()}

    def _store(self, **changes: object) -> None:
        name = self.current_sheet()
        if name is None or self._filling:
            return
        updated = replace(self.overrides.get(name, SheetOverride()), **changes)  # type: ignore[arg-type]
        if updated.is_default:
            self.overrides.pop(name, None)
        else:
            self.overrides[name] = updated
        self.sheet.setItemText(self.sheet.currentIndex(), self._sheet_label(name))
        self.changed.emit()

    def _skip_toggled(self, checked: bool) -> None:
        if self._filling:
            return
        self._store(skip=checked)
        for widget in (self.standard, self.header_row, self.columns):
            widget.setEnabled(not checked)

    def _standard_chosen(self) -> None:
        data = self.standard.currentData()
        self._store(standard_code=data if isinstance(data, str) else None)

    def _header_row_chosen(self, row: int) -> None:
        name = self.current_sheet()
        if self._filling or name is None:
            return
        # A new header row means new headings: the columns are taken afresh from them.
        self._store(header_row=row, columns=None)
        self._filling = True
        try:
            self._fill_top(name, row)
            self._fill_columns(name, row, columns_for_header(self._row_cells(name, row)))
        finally:
            self._filling = False

    def _column_chosen(self) -> None:
        if self._filling:
            return
        self._store(header_row=self.header_row.value(), columns=self.mapping())

    def reset_sheet(self) -> None:
        name = self.current_sheet()
        if name is None:
            return
        if self.overrides.pop(name, None) is not None:
            self.changed.emit()
        self._show_sheet()
        self.sheet.setItemText(self.sheet.currentIndex(), self._sheet_label(name))
