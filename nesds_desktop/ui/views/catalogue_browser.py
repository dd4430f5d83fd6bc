"""The catalogue browser: a filterable tree of one release beside the chosen item's text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.domain.catalogue import Criterion, Release, ReleaseSummary, Section, Standard
from nesds_desktop.domain.levels import Level
from nesds_desktop.ui.models.catalogue_tree_model import CatalogueTreeModel, ItemRole, SearchTextRole
from nesds_desktop.ui.views.catalogue_details import criterion_html, release_html, section_html, standard_html
from nesds_desktop.ui.wording import plural

ReleaseLoader = Callable[[str], Release]
__all__ = ["CatalogueBrowser", "CatalogueFilterProxy", "ReleaseLoader", "plural"]





class CatalogueFilterProxy(QSortFilterProxyModel):
    """Keeps criteria whose text contains every typed word and, optionally, one level."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._level: Level | None = None
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    def set_filter(self, text: str, level: Level | None) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self._level = level
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self._words and self._level is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        item = index.data(ItemRole)
        if not isinstance(item, Criterion):
            # Standards and sections stay when a criterion below them matches (recursive filtering),
            # or when their own title matches the words and no level is chosen.
            return self._level is None and self._matches(str(index.data(SearchTextRole)))
        if self._level is not None and item.level is not self._level:
            return False
        return self._matches(str(index.data(SearchTextRole)))

    def _matches(self, text: str) -> bool:
        lowered = text.lower()
        return all(word in lowered for word in self._words)


class CatalogueBrowser(QWidget):
    releaseChanged = Signal(str)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_release: ReleaseLoader | None = None
        self._release: Release | None = None
        self._summaries: list[ReleaseSummary] = []

        self.release_combo = QComboBox()
        self.release_combo.setAccessibleName("Catalogue release")
        release_label = QLabel("&Release:")
        release_label.setBuddy(self.release_combo)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by reference or words (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter criteria")
        filter_label = QLabel("&Find:")
        filter_label.setBuddy(self.filter_edit)
        self.level_combo = QComboBox()
        self.level_combo.addItem("All levels", None)
        for level in Level:
            self.level_combo.addItem(level.label, level.value)  # Qt turns a str enum into plain str
        self.level_combo.setAccessibleName("Level shown")
        level_label = QLabel("&Level:")
        level_label.setBuddy(self.level_combo)

        bar = QHBoxLayout()
        bar.addWidget(release_label)
        bar.addWidget(self.release_combo, 2)
        bar.addSpacing(12)
        bar.addWidget(filter_label)
        bar.addWidget(self.filter_edit, 3)
        bar.addSpacing(12)
        bar.addWidget(level_label)
        bar.addWidget(self.level_combo)

        self.model = CatalogueTreeModel(self)
        self.proxy = CatalogueFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAccessibleName("Standards, sections and criteria")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)
        self.details.setAccessibleName("Details of the chosen item")
        self.details.setHtml("<p>Loading the standards catalogue…</p>")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.release_combo.currentIndexChanged.connect(self._on_release_chosen)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.level_combo.currentIndexChanged.connect(self._apply_filter)
        self.tree.selectionModel().currentChanged.connect(self._show_current)

    # -- feeding --------------------------------------------------------------------------
    def set_catalogue(self, summaries: list[ReleaseSummary], load_release: ReleaseLoader) -> None:
        """List the releases in the store, newest first, and open the fullest one.

        A revision release may hold only the standards its maintainer revised, so the
        release opened first is the one with most standards (the newest among equals).
        """
        self._load_release = load_release
        self._summaries = sorted(summaries, key=lambda s: (s.info.published, s.info.release_id), reverse=True)
        self.release_combo.blockSignals(True)
        self.release_combo.clear()
        for summary in self._summaries:
            info = summary.info
            self.release_combo.addItem(
                f"{info.title} {info.version} ({plural(len(summary.standards), 'standard')}, "
                f"{plural(summary.total, 'criterion', 'criteria')})",
                info.release_id,
            )
        self.release_combo.blockSignals(False)
        if self._summaries:
            fullest = max(range(len(self._summaries)), key=lambda row: (len(self._summaries[row].standards), -row))
            self.release_combo.setCurrentIndex(fullest)
            self._on_release_chosen(fullest)
        else:
            self.model.set_release(None)
            self.details.setHtml("<p>No catalogue release is in the store.</p>")

    @property
    def release(self) -> Release | None:
        return self._release

    # -- reactions ------------------------------------------------------------------------
    def _on_release_chosen(self, row: int) -> None:
        release_id = self.release_combo.itemData(row)
        if not isinstance(release_id, str) or self._load_release is None:
            return
        self._release = self._load_release(release_id)
        self.model.set_release(self._release)
        self.details.setHtml(release_html(self._release.info))
        self.releaseChanged.emit(release_id)

    def _apply_filter(self) -> None:
        value = self.level_combo.currentData()
        level = Level(value) if isinstance(value, str) else None
        self.proxy.set_filter(self.filter_edit.text(), level)
        if self.filter_edit.text().strip() or level is not None:
            self.tree.expandAll()

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole)
        if isinstance(item, Criterion):
            section_index = current.parent()
            section = section_index.data(ItemRole)
            standard = section_index.parent().data(ItemRole)
            self.details.setHtml(
                criterion_html(
                    item,
                    section if isinstance(section, Section) else None,
                    standard if isinstance(standard, Standard) else None,
                )
            )
        elif isinstance(item, Section):
            standard = current.parent().data(ItemRole)
            self.details.setHtml(section_html(item, standard if isinstance(standard, Standard) else None))
        elif isinstance(item, Standard):
            self.details.setHtml(standard_html(item))
