"""Assessment > Authorities: the register of councils, to list, add and edit them.

The domain checks every authority (name, type, region and GSS code must fit together);
its message is shown beside the form, not in a box, so the user can fix it and save again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.authorities import Authority, AuthorityError, AuthorityType, Region
from nesds_desktop.domain.records import AuthorityRecord
from nesds_desktop.services.workbook_service import NotFoundError, WorkbookError, WorkbookService

_IdRole = Qt.ItemDataRole.UserRole + 1

# The region an authority type implies; chosen for the user when the type is chosen.
_REGION_OF_TYPE: dict[AuthorityType, Region] = {
    AuthorityType.LONDON_BOROUGH: Region.LONDON,
    AuthorityType.WELSH_UNITARY: Region.WALES,
    AuthorityType.SCOTTISH_UNITARY: Region.SCOTLAND,
}


def authority_line(record: AuthorityRecord) -> str:
    authority = record.authority
    code = authority.gss_code or "no GSS code"
    return f"{authority.name} — {authority.type.label}, {authority.region.label} ({code})"


class AuthorityRegisterDialog(QDialog):
    #: Emitted with the authority's id after it is added or changed.
    authoritySaved = Signal(int)  # noqa: N815 (Qt naming)

    def __init__(self, service: WorkbookService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Authorities")
        self._editing: int | None = None

        self.list = QListWidget()
        self.list.setAccessibleName("Authorities in the register")
        list_label = QLabel("&Authorities in the register:")
        list_label.setBuddy(self.list)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("e.g. London Borough of Havering")
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName("Type")
        for authority_type in AuthorityType:
            self.type_combo.addItem(authority_type.label, authority_type.value)
        self.region_combo = QComboBox()
        self.region_combo.setAccessibleName("Region")
        for region in Region:
            self.region_combo.addItem(region.label, region.value)
        self.gss_edit = QLineEdit()
        self.gss_edit.setAccessibleName("GSS code")
        self.gss_edit.setMaxLength(12)
        self.gss_hint = QLabel()
        self.gss_hint.setWordWrap(True)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Type:", self.type_combo)
        form.addRow("Re&gion:", self.region_combo)
        form.addRow("GSS &code:", self.gss_edit)
        form.addRow("", self.gss_hint)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setAccessibleName("Problem")
        self.problem_label.setStyleSheet("color: #a00000; font-weight: bold;")
        self.problem_label.hide()
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextFormat(Qt.TextFormat.PlainText)

        self.new_button = QPushButton("New a&uthority")
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.save_button)
        row.addStretch(1)

        editor = QVBoxLayout()
        editor.addWidget(self.heading)
        editor.addLayout(form)
        editor.addWidget(self.problem_label)
        editor.addWidget(self.saved_label)
        editor.addLayout(row)
        editor.addStretch(1)
        listing = QVBoxLayout()
        listing.addWidget(list_label)
        listing.addWidget(self.list, 1)
        columns = QHBoxLayout()
        columns.addLayout(listing, 1)
        columns.addLayout(editor, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)

        self.list.currentItemChanged.connect(self._on_current_changed)
        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.setTabOrder(self.list, self.name_edit)
        self.setTabOrder(self.name_edit, self.type_combo)
        self.setTabOrder(self.type_combo, self.region_combo)
        self.setTabOrder(self.region_combo, self.gss_edit)
        self.setTabOrder(self.gss_edit, self.new_button)
        self.setTabOrder(self.new_button, self.save_button)
        self.reload()
        self.start_new()
        self.resize(900, 440)

    # -- the list -------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for record in self.service.list_authorities():
            item = QListWidgetItem(authority_line(record))
            item.setData(_IdRole, record.id)
            self.list.addItem(item)
            if record.id == select_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def authority_names(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        authority_id = current.data(_IdRole)
        record = next((r for r in self.service.list_authorities() if r.id == authority_id), None)
        if record is not None:
            self._load(record)

    # -- the form -------------------------------------------------------------------------------
    def start_new(self) -> None:
        """Clear the form for a new authority."""
        self._editing = None
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.heading.setText("New authority")
        self.name_edit.clear()
        self.gss_edit.clear()
        self.type_combo.setCurrentIndex(0)
        self._on_type_changed()
        self._show_problem("")
        self.name_edit.setFocus()

    def _load(self, record: AuthorityRecord) -> None:
        self._editing = record.id
        authority = record.authority
        self.heading.setText(f"Editing {authority.name}")
        self.name_edit.setText(authority.name)
        self.type_combo.setCurrentIndex(self.type_combo.findData(authority.type.value))
        self.region_combo.setCurrentIndex(self.region_combo.findData(authority.region.value))
        self.gss_edit.setText(authority.gss_code or "")
        self._show_problem("")
        self.saved_label.clear()

    def _on_type_changed(self, _row: int = 0) -> None:
        authority_type = AuthorityType(self.type_combo.currentData())
        region = _REGION_OF_TYPE.get(authority_type)
        current = Region(self.region_combo.currentData())
        if region is not None:
            self.region_combo.setCurrentIndex(self.region_combo.findData(region.value))
        elif current.country is not authority_type.country or current is Region.LONDON:
            # An English type: move off London, Wales or Scotland to the first English region.
            self.region_combo.setCurrentIndex(0)
        self.gss_hint.setText(
            f"Its code starts {authority_type.gss_entity} (a letter and eight digits); "
            "leave it blank for a council abolished before GSS codes."
        )

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(f"⚠ {text}" if text else "")
        self.problem_label.setVisible(bool(text))

    def authority_from_form(self) -> Authority:
        """The authority the form describes; AuthorityError says what does not fit."""
        code = self.gss_edit.text().strip()
        return Authority(
            name=self.name_edit.text(),
            type=AuthorityType(self.type_combo.currentData()),
            region=Region(self.region_combo.currentData()),
            gss_code=code or None,
        )

    def save(self) -> AuthorityRecord | None:
        """Add or update the authority in the form; on a problem, say it beside the form."""
        self.saved_label.clear()
        try:
            authority = self.authority_from_form()
            if self._editing is None:
                record = self.service.add_authority(authority)
            else:
                record = self.service.update_authority(self._editing, authority)
        except (AuthorityError, WorkbookError, NotFoundError) as error:
            self._show_problem(_sentence(str(error)))
            return None
        self._show_problem("")
        self.reload(select_id=record.id)
        self._load(record)
        self.saved_label.setText(f"✓ Saved {record.name}.")
        self.authoritySaved.emit(record.id)
        return record


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else f"{text}."
