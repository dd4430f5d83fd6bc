"""The legacy returns import wizard: choose files, review what was read, confirm, import, report.

The work is the import service's: this wizard only shows its previews and passes on what the
user decided (authority, round, rows confirmed, meanings of judgement words, and per sheet the
standard, header row and columns, through the sheet editor).  Nothing is
written to the store before the confirm page; the meanings given to unknown words are
remembered (through the service) only when the import goes ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.legacy_import_service import (
    FIELD_LABELS,
    AppliedLegacyImport,
    FileStatus,
    LegacyFilePreview,
    LegacyImportError,
    RowKey,
    SheetOverride,
    apply_legacy_import,
    current_catalogue,
    expand_paths,
    needs_reading_again,
    preview_legacy_imports,
    releases_in_force,
    remember_vocabulary,
    write_import_report,
)
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.ui.dialogs.legacy_sheet_editor import SheetEditor
from nesds_desktop.ui.feedback import Feedback
from nesds_desktop.ui.wording import plural

SPREADSHEET_FILTER = "Spreadsheets (*.xls *.xlsx *.xlsm *.xlsb *.ods);;All files (*)"
NOT_MAPPED = "(leave out)"
ROW_COLUMNS = ["Confirm", "Sheet", "Row", "Reference as written", "Criterion", "Matched by", "Confidence",
               "Judgement as written", "Judgement", "Why it needs review"]


@dataclass
class FileChoices:
    """What the user decided for one file."""

    authority: str = ""
    round_label: str = ""
    confirmed: set[RowKey] = field(default_factory=set)
    sheets: dict[str, SheetOverride] = field(default_factory=dict)
    """What the person set per sheet in place of what was detected (edited by the sheet editor)."""
    read_with: dict[str, SheetOverride] = field(default_factory=dict)
    """The settings the file's current reading was made with."""

    @property
    def pending(self) -> bool:
        """Settings changed since the file was last read."""
        return self.sheets != self.read_with


def unknown_words(previews: list[LegacyFilePreview]) -> list[str]:
    """Judgement words written in the files but not understood (lower case, sorted, once each)."""
    words = {
        m.row.judgement_text.strip().lower()
        for p in previews
        for m in p.matches
        if m.judgement is None and m.row.judgement_text.strip()
    }
    return sorted(words)


def status_text(preview: LegacyFilePreview) -> str:
    """The file's state in words with a symbol, never by colour alone."""
    return {
        FileStatus.READY: "✔ Read",
        FileStatus.OWN_RETURN: "✔ This application's return",
        FileStatus.REJECTED: "✖ Refused",
        FileStatus.FAILED: "✖ Could not be read",
    }[preview.status]


class LegacyImportWizard(QWizard):
    """Four pages: files, review, confirm (the import runs on leaving it), summary."""

    file_imported = Signal(Path)
    """After each file is applied: a test (or a caller) may cancel the rest from here."""

    def __init__(self, service: WorkbookService, feedback: Feedback, parent: QWidget | None = None,
                 start: Path | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.feedback = feedback
        self.start = start
        self.previews: list[LegacyFilePreview] = []
        self.choices: dict[Path, FileChoices] = {}
        self.vocabulary: dict[str, Judgement] = {}
        self.applied: dict[Path, AppliedLegacyImport] = {}
        self.failures: dict[Path, str] = {}
        self.cancelled = False
        self.progress: QProgressDialog | None = None
        self.setWindowTitle("Import legacy returns")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.files_page = FilesPage(self)
        self.review_page = ReviewPage(self)
        self.confirm_page = ConfirmPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.files_page, self.review_page, self.confirm_page, self.summary_page):
            self.addPage(page)
        self.resize(1100, 680)

    # -- reading -----------------------------------------------------------------------------------
    def read_files(self, paths: list[Path]) -> bool:
        """Preview every file (nothing is written); False when the user stopped the reading."""
        files = expand_paths(paths)
        dialog = self._progress_dialog("Reading the returns…", len(files))
        stopped = False

        def step(done: int, total: int) -> bool:
            nonlocal stopped
            dialog.setValue(min(done, total))
            QApplication.processEvents()
            stopped = dialog.wasCanceled()
            return not stopped

        overrides = {path: dict(choice.sheets) for path, choice in self.choices.items() if choice.sheets}
        rounds = {path: choice.round_label for path, choice in self.choices.items() if choice.round_label}
        try:
            self.previews = preview_legacy_imports(self.service, files, vocabulary=self.vocabulary,
                                                   overrides=overrides, round_for=rounds, progress=step)
        except LegacyImportError as error:
            self.feedback.error("The returns cannot be read", str(error))
            return False
        finally:
            dialog.close()
            dialog.deleteLater()
        for preview in self.previews:
            self._take_reading(preview)
        return not stopped

    def read_file_again(self, path: Path) -> LegacyFilePreview | None:
        """Read one file again with the sheet settings the person gave it; nothing is written."""
        choice = self.choices.setdefault(path, FileChoices())
        dialog = self._progress_dialog(f"Reading {path.name} again…", 1)
        try:
            (preview,) = preview_legacy_imports(self.service, [path], vocabulary=self.vocabulary,
                                                overrides={path: dict(choice.sheets)},
                                                round_for={path: choice.round_label} if choice.round_label else None)
        except LegacyImportError as error:
            self.feedback.error("The return cannot be read", str(error))
            return None
        finally:
            dialog.close()
            dialog.deleteLater()
        # The rows may now be other rows: a tick given to the old reading must not carry over.
        choice.confirmed.clear()
        self.previews = [preview if p.path == path else p for p in self.previews]
        self._take_reading(preview)
        return preview

    def _take_reading(self, preview: LegacyFilePreview) -> None:
        choice = self.choices.setdefault(preview.path, FileChoices())
        choice.read_with = dict(choice.sheets)
        reading = preview.reading
        if reading is not None:
            choice.authority = choice.authority or (reading.authority_hint or "")
            choice.round_label = choice.round_label or (reading.round_hint or "")

    def pending_files(self) -> list[Path]:
        """Files whose sheet settings changed since they were read, or whose round is assessed against
        other catalogue releases than the ones they were read against."""
        pending = []
        in_force: dict[str, dict[str, str] | None] = {}  # one catalogue lookup per round typed
        for preview in self.previews:
            choice = self.choices.get(preview.path, FileChoices())
            if choice.round_label not in in_force:
                in_force[choice.round_label] = releases_in_force(self.service, choice.round_label)
            if choice.pending or needs_reading_again(preview, in_force[choice.round_label]):
                pending.append(preview.path)
        return pending

    def standard_choices(self) -> list[tuple[str, str]]:
        """(code, title) of every standard rows can be matched against."""
        try:
            catalogue = current_catalogue(self.service)
        except LegacyImportError:
            return []
        return [(s.code, s.title) for s in catalogue.standards]

    def map_word(self, word: str, judgement: Judgement | None) -> None:
        """Give an unknown word a meaning (kept for this wizard; remembered when the import runs)."""
        if judgement is None:
            self.vocabulary.pop(word, None)
        else:
            self.vocabulary[word] = judgement

    # -- importing ---------------------------------------------------------------------------------
    def importable(self) -> list[LegacyFilePreview]:
        return [p for p in self.previews if not p.failed]

    def run_import(self) -> None:
        """Apply each file in turn; Cancel stops between files, so each file is all in or not started."""
        if self.vocabulary:
            remember_vocabulary(self.service, self.vocabulary)
        files = self.importable()
        self.progress = self._progress_dialog("Importing the returns…", len(files))
        try:
            for number, preview in enumerate(files):
                if self.progress.wasCanceled():
                    self.cancelled = True
                    break
                self.progress.setLabelText(f"Importing {preview.path.name} ({number + 1} of {len(files)})…")
                choice = self.choices.get(preview.path, FileChoices())
                try:
                    self.applied[preview.path] = apply_legacy_import(
                        self.service, preview, authority=choice.authority or None,
                        round_label=choice.round_label or None, confirmed=choice.confirmed,
                    )
                except (LegacyImportError, ValueError) as error:
                    self.failures[preview.path] = str(error)
                self.progress.setValue(number + 1)
                self.file_imported.emit(preview.path)
                QApplication.processEvents()
        finally:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def save_report(self) -> Path | None:
        path = self.feedback.choose_save_file("Save the import report", self.start, "Excel workbook (*.xlsx)")
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            write_import_report(path, self.previews, self.applied, self.failures)
        except OSError as error:
            self.feedback.error("The report was not saved", f"{path}: {error.strerror or error}")
            return None
        self.feedback.offer_folder("Report saved", f"The import report was saved as {path}.", path.parent)
        return path

    def _progress_dialog(self, label: str, total: int) -> QProgressDialog:
        dialog = QProgressDialog(label, "&Cancel", 0, max(total, 1), self)
        dialog.setWindowTitle("Import legacy returns")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        return dialog


class FilesPage(QWizardPage):
    def __init__(self, wizard: LegacyImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the returns")
        self.setSubTitle("Add spreadsheet files (.xls, .xlsx, .xlsm, .xlsb, .ods) or a folder of them. "
                         "Nothing is written until you confirm on the third page.")
        self.list = QListWidget()
        self.list.setAccessibleName("Files to import")
        add_files = QPushButton("Add &files…")
        add_folder = QPushButton("Add a f&older…")
        remove = QPushButton("&Remove")
        add_files.clicked.connect(self.choose_files)
        add_folder.clicked.connect(self.choose_folder)
        remove.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        for button in (add_files, add_folder, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def paths(self) -> list[Path]:
        return [Path(self.list.item(i).text()) for i in range(self.list.count())]

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.list.addItem(QListWidgetItem(str(path)))
                known.add(path)
        self.completeChanged.emit()

    def choose_files(self) -> None:
        self.add_paths(self.owner.feedback.choose_open_files("Choose returns", self.owner.start, SPREADSHEET_FILTER))

    def choose_folder(self) -> None:
        folder = self.owner.feedback.choose_folder("Choose a folder of returns", self.owner.start)
        if folder is not None:
            self.add_paths([folder])

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.list.count() > 0

    def validatePage(self) -> bool:  # noqa: N802
        if not self.owner.read_files(self.paths()):
            return False
        if not self.owner.previews:
            self.owner.feedback.warning("No returns found", "No spreadsheet files were found in what you chose.")
            return False
        return True


class ReviewPage(QWizardPage):
    """Per file: what was detected, rows matched, flagged (tick to confirm) and not matched."""

    def __init__(self, wizard: LegacyImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._filling = False
        self.setTitle("Check what was read")
        self.setSubTitle("Choose a file to see what was found in it. Rows that need review are imported only "
                         "when ticked; rows not matched are left out and listed in the report. Where a sheet was "
                         "read wrongly, change its standard, header row or columns under Sheets and columns.")
        self.files = QListWidget()
        self.files.setAccessibleName("Files read")
        self.files.currentRowChanged.connect(self.show_file)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.authority = QLineEdit()
        self.authority.setAccessibleName("Authority")
        self.round = QLineEdit()
        self.round.setAccessibleName("Round")
        self.round.setPlaceholderText("e.g. 2006/07")
        self.authority.textEdited.connect(self._details_edited)
        self.round.textEdited.connect(self._details_edited)
        self.detected = QTextBrowser()
        self.detected.setAccessibleName("What was detected")
        self.detected.setMaximumHeight(80)
        self.sheets = SheetEditor(wizard.standard_choices())
        self.sheets.changed.connect(self._sheets_changed)
        self.sheets.read_again.connect(self.read_file_again)
        self.words = QTableWidget(0, 2)
        self.words.setAccessibleName("Judgement words not understood")
        self.words.setHorizontalHeaderLabels(["Word as written", "Means"])
        self.words.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.words.verticalHeader().setVisible(False)
        self.words.setMaximumHeight(120)
        self.reread = QPushButton("Read again with these &meanings")
        self.reread.clicked.connect(self.read_again)
        self.rows = QTableWidget(0, len(ROW_COLUMNS))
        self.rows.setAccessibleName("Rows read")
        self.rows.setHorizontalHeaderLabels(ROW_COLUMNS)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.verticalHeader().setVisible(False)
        self.rows.horizontalHeader().setStretchLastSection(True)
        self.rows.itemChanged.connect(self._row_ticked)

        form = QFormLayout()
        authority_label = QLabel("&Authority:")
        authority_label.setBuddy(self.authority)
        round_label = QLabel("R&ound:")
        round_label.setBuddy(self.round)
        form.addRow(authority_label, self.authority)
        form.addRow(round_label, self.round)
        self.words.setMaximumHeight(16777215)
        words_tab = QWidget()
        words_layout = QVBoxLayout(words_tab)
        words_layout.addWidget(QLabel("Words written in the judgement column that were not understood. Give each "
                                      "a meaning; it applies to every file and is remembered for later imports."))
        words_line = QHBoxLayout()
        words_line.addWidget(self.words, 1)
        words_line.addWidget(self.reread, 0, Qt.AlignmentFlag.AlignBottom)
        words_layout.addLayout(words_line, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rows, "Ro&ws")
        self.tabs.addTab(self.sheets, "Sheets and co&lumns")
        self.tabs.addTab(words_tab, "Judgement wor&ds")
        detail = QVBoxLayout()
        detail.addWidget(self.message)
        detail.addLayout(form)
        detail.addWidget(self.detected)
        detail.addWidget(self.tabs, 1)
        files_label = QLabel("&Files:")
        files_label.setBuddy(self.files)
        side = QVBoxLayout()
        side.addWidget(files_label)
        side.addWidget(self.files, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 1)
        layout.addLayout(detail, 4)

    def initializePage(self) -> None:  # noqa: N802
        # The register's names are offered as the authority is typed, so a file's "Fife" becomes Fife Council.
        completer = QCompleter(sorted(a.name for a in self.owner.service.list_authorities()), self.authority)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.authority.setCompleter(completer)
        self.fill()

    def fill(self) -> None:
        current = max(self.files.currentRow(), 0)
        self.files.blockSignals(True)
        self.files.clear()
        for preview in self.owner.previews:
            item = QListWidgetItem(f"{status_text(preview)}: {preview.path.name}")
            item.setToolTip(str(preview.path))
            self.files.addItem(item)
        self.files.blockSignals(False)
        self.fill_words()
        if self.owner.previews:
            self.files.setCurrentRow(min(current, len(self.owner.previews) - 1))
            self.show_file(self.files.currentRow())

    def fill_words(self) -> None:
        words = unknown_words(self.owner.previews)
        self.words.setRowCount(len(words))
        for row, word in enumerate(words):
            item = QTableWidgetItem(word)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.words.setItem(row, 0, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Meaning of {word}")
            combo.addItem(NOT_MAPPED, None)
            for judgement in Judgement:
                combo.addItem(judgement.label, judgement)
            chosen = self.owner.vocabulary.get(word)
            if chosen is not None:
                combo.setCurrentIndex(combo.findData(chosen))
            combo.currentIndexChanged.connect(lambda _i, w=word, c=combo: self._word_mapped(w, c))
            self.words.setCellWidget(row, 1, combo)
        self.reread.setEnabled(bool(words))
        self.tabs.setTabText(2, f"Judgement wor&ds ({len(words)})")

    def _word_mapped(self, word: str, combo: QComboBox) -> None:
        data = combo.currentData()  # Qt hands a string enum back as its value
        self.owner.map_word(word, Judgement(data) if data else None)

    def word_combo(self, word: str) -> QComboBox:
        """The meaning chooser for ``word`` (for tests and keyboard users alike)."""
        for row in range(self.words.rowCount()):
            item = self.words.item(row, 0)
            if item is not None and item.text() == word:
                widget = self.words.cellWidget(row, 1)
                assert isinstance(widget, QComboBox)
                return widget
        raise KeyError(word)

    def read_again(self) -> None:
        """Read the files again, so the meanings just given apply (to every file, the next ones too)."""
        self.owner.read_files([p.path for p in self.owner.previews])
        self.fill()

    def current_preview(self) -> LegacyFilePreview | None:
        row = self.files.currentRow()
        return self.owner.previews[row] if 0 <= row < len(self.owner.previews) else None

    def show_file(self, row: int) -> None:
        if not 0 <= row < len(self.owner.previews):
            return
        preview = self.owner.previews[row]
        choice = self.owner.choices.setdefault(preview.path, FileChoices())
        self._filling = True
        self.message.setText(f"{status_text(preview)}. {preview.message}")
        editable = preview.status is FileStatus.READY
        self.authority.setEnabled(editable)
        self.round.setEnabled(editable)
        self.authority.setText(choice.authority)
        self.round.setText(choice.round_label)
        self.detected.setPlainText(self._detected_text(preview))
        self.rows.setRowCount(len(preview.matches))
        for number in range(len(preview.matches)):
            self._fill_row(preview, number, choice.confirmed)
        self.rows.resizeColumnsToContents()
        self.tabs.setTabText(0, f"Ro&ws ({len(preview.matches)})")
        # This application's own returns are imported exactly, by their metadata: nothing to set.
        own = preview.status is FileStatus.OWN_RETURN
        self.sheets.show_file(None if own else preview.reading, choice.sheets, choice.pending)
        self._filling = False

    def _sheets_changed(self) -> None:
        preview = self.current_preview()
        if preview is not None:
            self.sheets.set_pending(self.owner.choices.setdefault(preview.path, FileChoices()).pending)

    def read_file_again(self) -> None:
        """Read the current file again with the sheet settings just given."""
        preview = self.current_preview()
        if preview is None:
            return
        if self.owner.read_file_again(preview.path) is not None:
            self.fill()

    @staticmethod
    def _detected_text(preview: LegacyFilePreview) -> str:
        reading = preview.reading
        if reading is None:
            return "Nothing was read from this file."
        lines = []
        for sheet in reading.sheets:
            columns = ", ".join(f"{FIELD_LABELS.get(kind, kind)} ← “{header}”"
                                for kind, header in sheet.columns.items())
            per_row = "standard_column" in sheet.columns and not sheet.standard_code
            standard = sheet.standard_code or ("given on each row" if per_row else "not found")
            if sheet.standard_code != sheet.detected_standard:
                standard += f" (as you chose; found {sheet.detected_standard or 'none'})"
            lines.append(f"Sheet “{sheet.sheet}”: standard {standard}; header on row "
                         f"{sheet.header_row}; columns: {columns}; {plural(len(sheet.matches), 'row')}.")
        lines.extend(f"Problem: {problem}" for problem in reading.problems)
        if preview.macros_present:
            lines.append("The workbook contains macros; they were not run.")
        return "\n".join(lines)

    def _fill_row(self, preview: LegacyFilePreview, number: int, confirmed: set[RowKey]) -> None:
        match = preview.matches[number]
        key = RowKey(match.row.sheet, match.row.row)
        tick = QTableWidgetItem()
        if match.flags and match.criterion_ref and match.judgement is not None:
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            tick.setCheckState(Qt.CheckState.Checked if key in confirmed else Qt.CheckState.Unchecked)
            tick.setText("Review")
        elif match.criterion_ref is None:
            tick.setText("✖ Not matched")
        elif match.judgement is None:
            tick.setText("? Word not understood")
        else:
            tick.setText("✔ Ready")
        tick.setData(Qt.ItemDataRole.UserRole, key)
        values = [match.row.sheet, str(match.row.row), match.row.ref_text, match.criterion_ref or "—",
                  match.matched_by, f"{match.match_confidence:.0%}", match.row.judgement_text,
                  match.judgement.label if match.judgement else "—", "; ".join(match.flags)]
        self.rows.setItem(number, 0, tick)
        for column, value in enumerate(values, start=1):
            cell = QTableWidgetItem(value)
            cell.setToolTip(value)  # the reasons can be long: the whole text is a hover away
            self.rows.setItem(number, column, cell)

    def _row_ticked(self, item: QTableWidgetItem) -> None:
        preview = self.current_preview()
        if self._filling or preview is None or item.column() != 0:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(key, RowKey) or not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        confirmed = self.owner.choices.setdefault(preview.path, FileChoices()).confirmed
        if item.checkState() == Qt.CheckState.Checked:
            confirmed.add(key)
        else:
            confirmed.discard(key)

    def _details_edited(self) -> None:
        preview = self.current_preview()
        if preview is None or self._filling:
            return
        choice = self.owner.choices.setdefault(preview.path, FileChoices())
        choice.authority = self.authority.text().strip()
        choice.round_label = self.round.text().strip()

    def validatePage(self) -> bool:  # noqa: N802
        pending = self.owner.pending_files()
        if pending:
            # Never import a reading the person has asked to change: read again, and let them look.
            for path in pending:
                if self.owner.read_file_again(path) is None:
                    return False
            self.fill()
            names = ", ".join(path.name for path in pending)
            self.owner.feedback.information(
                "Read again with your changes",
                f"{names} {'was' if len(pending) == 1 else 'were'} read again with the sheet settings and round "
                "you gave. "
                "Check the rows, then press Next.",
            )
            return False
        if not self.owner.importable():
            self.owner.feedback.warning("Nothing to import", "None of the files chosen can be imported.")
            return False
        return True


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: LegacyImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Confirm the import")
        self.setSubTitle("Press Import to record the judgements and notes. You can cancel between files.")
        self.text = QTextBrowser()
        self.text.setAccessibleName("What will be imported")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        self.setCommitPage(True)  # once imported, there is no going back to change what was chosen
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")

    def initializePage(self) -> None:  # noqa: N802
        lines = []
        for preview in self.owner.previews:
            if preview.failed:
                lines.append(f"✖ {preview.path.name}: not imported — {preview.message}")
                continue
            choice = self.owner.choices.get(preview.path, FileChoices())
            if preview.status is FileStatus.OWN_RETURN:
                lines.append(f"✔ {preview.path.name}: {preview.message}")
                continue
            rows = len(preview.ready_rows) + len(choice.confirmed)
            lines.append(f"✔ {preview.path.name}: {plural(rows, 'criterion', 'criteria')} for "
                         f"{choice.authority or '(authority not given)'}, round {choice.round_label or '(not given)'}")
        if self.owner.vocabulary:
            meanings = ", ".join(f"“{w}” = {j.label}" for w, j in sorted(self.owner.vocabulary.items()))
            lines.append(f"\nThese meanings will be remembered for later imports: {meanings}")
        self.text.setPlainText("\n".join(lines))

    def validatePage(self) -> bool:  # noqa: N802
        self.owner.run_import()
        return True


class SummaryPage(QWizardPage):
    def __init__(self, wizard: LegacyImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Import finished")
        self.text = QTextBrowser()
        self.text.setAccessibleName("What happened")
        self.save_button = QPushButton("&Save report…")
        self.save_button.clicked.connect(self.owner.save_report)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)

    def initializePage(self) -> None:  # noqa: N802
        lines = []
        for preview in self.owner.previews:
            name = preview.path.name
            applied = self.owner.applied.get(preview.path)
            if preview.failed:
                lines.append(f"✖ {name}: {preview.message}")
            elif preview.path in self.owner.failures:
                lines.append(f"✖ {name}: {self.owner.failures[preview.path]}")
            elif applied is None:
                lines.append(f"– {name}: not imported (the import was cancelled)")
            else:
                who = f" for {applied.authority}, round {applied.round_label}" if applied.authority else ""
                lines.append(f"✔ {name}: {plural(applied.imported, 'criterion', 'criteria')} imported{who}; "
                             f"{plural(len(applied.left), 'row')} left")
                lines.extend(f"    note: {message}" for message in applied.messages)
        if self.owner.cancelled:
            lines.insert(0, "The import was cancelled; the files imported before then are in the store.\n")
        self.text.setPlainText("\n".join(lines))
